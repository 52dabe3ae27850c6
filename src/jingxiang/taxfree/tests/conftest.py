from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from jingxiang.taxfree import services
from jingxiang.taxfree.engine_bridge import BasketLine, Traveller
from jingxiang.taxfree.models import FilingStatus, Good, RefundAgency, Store, StoreStaff, TaxOffice
from jingxiang.testing.factories import UserFactory

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def tf(cast: Any) -> Any:
    """A filed instant-refund store with goods, its clerk, the agency and the tax office."""
    agency = RefundAgency.objects.create(name="中国农业银行浙江省分行")
    office = TaxOffice.objects.create(name="国家税务总局临海市税务局")
    store = Store.objects.create(
        code="DQ-A101",
        name="杜桥眼镜城 A101",
        firm=cast.firm,
        credit_rating="M",
        agency=agency,
        tax_office=office,
        general_taxpayer=True,
        separate_ledger=True,
        uses_refund_system=True,
        instant_refund=True,
        status=FilingStatus.FILED,
        filed_on=dt.date(2026, 1, 5),
        sign_number="TF2026-0001",
    )
    other = Store.objects.create(
        code="DQ-B208",
        name="杜桥眼镜城 B208",
        firm=cast.other_firm,
        credit_rating="B",
        agency=agency,
        tax_office=office,
        status=FilingStatus.FILED,
        filed_on=dt.date(2026, 1, 5),
    )
    clerk = UserFactory(username="clerk")
    StoreStaff.objects.create(store=store, user=clerk)
    agent = UserFactory(username="agent")
    agency.members.add(agent)
    officer = UserFactory(username="tax_officer")
    office.members.add(officer)
    frame = Good.objects.create(
        store=store, name="钛金属光学镜架", category="frames", vat_rate="13", price=Decimal("1130.00")
    )
    cloth = Good.objects.create(
        store=store, name="镜布", category="eyewear_accessories", vat_rate="9", price=Decimal("199.99")
    )
    cheap = Good.objects.create(
        store=store, name="镜盒", category="eyewear_accessories", vat_rate="13", price=Decimal("0.01")
    )
    service = Good.objects.create(
        store=store, name="验光服务", category="", kind="service", vat_rate="6", price=Decimal("100.00")
    )

    class TF:
        pass

    t = TF()
    t.__dict__.update(locals())
    return t


def traveller(entry: dt.date | None = dt.date(2026, 11, 20), **kw: Any) -> Traveller:
    values = {
        "name": "KIM MINJUN",
        "category": "foreigner",
        "document_type": "passport",
        "nationality": "KOR",
        "last_entry_date": entry,
    }
    values.update(kw)
    return Traveller(**values)


def issue(
    tf: Any, basket: list[tuple[Good, int]], *, number: str = "M12345678", day: dt.date = TODAY, **kw: Any
) -> Any:
    return services.form_issue(
        actor=tf.clerk,
        store=tf.store,
        traveller=kw.pop("traveller", traveller()),
        document_number=number,
        basket=[BasketLine(g, q) for g, q in basket],
        invoice_number="25332000000012345678",
        day=day,
        **kw,
    )
