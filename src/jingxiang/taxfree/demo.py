"""Demo: one filed instant-refund store in the Duqiao eyewear city with its catalogue, a counter
clerk, the refund agency and the tax office, and two refund forms (one instant)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from jingxiang.core.demo import DEMO_PASSWORD
from jingxiang.taxfree import services
from jingxiang.taxfree.engine_bridge import BasketLine, Traveller
from jingxiang.taxfree.models import FilingStatus, Good, RefundAgency, Store, StoreStaff, TaxOffice


def _user(context: Any, username: str, name: str, role: str, code: str) -> Any:
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"display_name": name}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    context.users[username] = user
    # Printed like the foundation logins: username, role code, then who (name and what they do).
    context.logins.append((username, code, f"{name}({role})"))
    return user


def load(context: Any) -> None:
    today = timezone.localdate()
    agency = RefundAgency.objects.create(name="中国农业银行浙江省分行")
    office = TaxOffice.objects.create(name="国家税务总局临海市税务局")
    store = Store.objects.create(
        code="DQ-A101",
        name="杜桥国际眼镜城 A101",
        firm=context.organisations["kangbo"],
        credit_rating="B",
        agency=agency,
        tax_office=office,
        separate_ledger=True,
        uses_refund_system=True,
        instant_refund=True,
        status=FilingStatus.FILED,
        filed_on=today - dt.timedelta(days=60),
        sign_number=f"TF{today.year}-0001",
    )
    clerk = _user(context, "tf_clerk", "陈晓雯", "退税柜台门店员工", "store_staff")
    StoreStaff.objects.create(store=store, user=clerk)
    agency.members.add(_user(context, "tf_agency", "王建国", "退税代理机构", "refund_agency"))
    office.members.add(_user(context, "tf_tax", "李静", "主管税务机关,只读", "tax_office"))
    frame = Good.objects.create(
        store=store,
        name="钛金属光学镜架",
        name_en="Titanium frame",
        category="frames",
        vat_rate="13",
        price=Decimal("1130.00"),
    )
    Good.objects.create(
        store=store,
        name="偏光太阳镜",
        name_en="Polarised sunglasses",
        category="sunglasses",
        vat_rate="13",
        price=Decimal("680.00"),
    )
    cloth = Good.objects.create(
        store=store,
        name="镜布",
        name_en="Lens cloth",
        category="eyewear_accessories",
        vat_rate="9",
        price=Decimal("30.00"),
    )
    Good.objects.create(
        store=store,
        name="验光服务",
        name_en="Eye test",
        category="",
        kind="service",
        vat_rate="6",
        price=Decimal("100.00"),
    )
    visitor = Traveller(
        name="KIM MINJUN",
        category="foreigner",
        document_type="passport",
        nationality="KOR",
        last_entry_date=today - dt.timedelta(days=3),
    )
    services.form_issue(
        actor=clerk,
        store=store,
        traveller=visitor,
        document_number="M12345678",
        basket=[BasketLine(frame, 1), BasketLine(cloth, 2)],
        invoice_number="25332000000012345678",
        instant=True,
        promised_departure_date=today + dt.timedelta(days=7),
        promised_port="HGH",
        consent_signed=True,
        preauth_reference="PA-DEMO-0001",
    )
    services.form_issue(
        actor=clerk,
        store=store,
        traveller=Traveller(
            name="ANNA SCHMIDT",
            category="foreigner",
            document_type="passport",
            nationality="DEU",
            last_entry_date=today - dt.timedelta(days=10),
        ),
        document_number="C01X00T47",
        basket=[BasketLine(frame, 2)],
        invoice_number="25332000000012345679",
    )
    context.notes.append(
        "离境退税:tf_clerk 在 /taxfree/ 打开门店 DQ-A101 的退税柜台;tf_agency 导入海关验核文件。"
    )
