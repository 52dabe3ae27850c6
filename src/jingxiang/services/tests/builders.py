"""Builders for marketplace tests: an agency with a staff login, a service, a programme, a voucher and
an order walked to any status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jingxiang.organisations.models import OrganisationKind
from jingxiang.services import services
from jingxiang.services.models import ProviderStaff, Service, ServiceCategory, VoucherProgramme
from jingxiang.testing.factories import OrganisationFactory, UserFactory


def agency(name: str = "长江创服(台州)服务有限公司", username: str = "provider") -> tuple[Any, Any]:
    """A service agency and its marketplace staff member (a ProviderStaff, no organisation role)."""
    org = OrganisationFactory(name=name, kind=OrganisationKind.SERVICE_AGENCY, uscc=None)
    user = UserFactory(username=username)
    ProviderStaff.objects.create(provider=org, user=user)
    return org, user


def service(provider: Any, **overrides: Any) -> Service:
    data = {
        "title": "镜架外观专利申请代理",
        "category": ServiceCategory.IP,
        "description": "外观设计专利检索、撰写与申报,含一次补正答复。",
        "price": Decimal("6000.00"),
        "lead_time_days": 30,
        "deliverables": "专利申请受理通知书",
    }
    data.update(overrides)
    return Service.objects.create(provider=provider, **data)


def programme(**overrides: Any) -> VoucherProgramme:
    today = timezone.localdate()
    data = {
        "name": "临海市科技创新券",
        "eligible_sizes": ["micro", "small"],
        "eligible_regions": [],
        "categories": [ServiceCategory.IP, ServiceCategory.TESTING, ServiceCategory.DESIGN],
        "share": Decimal("50"),
        "cap_per_firm_year": Decimal("20000"),
        "budget": Decimal("100000"),
        "valid_from": dt.date(today.year, 1, 1),
        "valid_to": dt.date(today.year, 12, 31),
    }
    data.update(overrides)
    return VoucherProgramme.objects.create(**data)


def approved_voucher(cast: Any, prog: VoucherProgramme, firm: Any = None, actor: Any = None) -> Any:
    firm = firm or cast.firm
    if firm.size not in prog.eligible_sizes:
        firm.size = prog.eligible_sizes[0]
        firm.save()
    voucher = services.voucher_apply(
        actor=actor or cast.firm_admin, programme=prog, firm=firm, purpose="专利申请"
    )
    return services.voucher_decide(actor=cast.operator, voucher=voucher, approve=True)


def delivered_order(
    cast: Any, svc: Service, staff: Any, *, voucher: Any = None, firm: Any = None, actor: Any = None
) -> Any:
    """An order of ``svc`` by the cast's firm, ordered (with ``voucher``) and delivered."""
    actor = actor or cast.firm_admin
    order = services.order_request(actor=actor, service=svc, firm=firm or cast.firm, brief="新款镜架外观专利")
    order = services.order_place(actor=actor, order=order, voucher=voucher)
    milestone = services.milestone_add(
        actor=staff, order=order, title="提交申请", due_date=timezone.localdate()
    )
    services.milestone_done(actor=staff, milestone=milestone)
    return services.order_deliver(actor=staff, order=order)
