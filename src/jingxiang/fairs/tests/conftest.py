"""A fair set up through the services: one hall with four booths, open for applications and buyers.

The cast's 康波 (firm_admin) is the exhibitor; two buyer firms with their own logins (buyer_a, buyer_b)
stand for buyers who act for an organisation on the platform.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from jingxiang.fairs import services
from jingxiang.fairs.models import Fair, Hall
from jingxiang.organisations.models import Role
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory


@dataclass
class FairSetup:
    fair: Fair
    hall: Hall
    booths: dict[str, Any]
    buyer_a: Any
    buyer_b: Any
    buyer_firm_a: Any
    buyer_firm_b: Any


def make_fair(operator: Any, code: str = "TZ2027", days_ahead: int = 10) -> tuple[Fair, Hall, dict[str, Any]]:
    start = timezone.localdate() + dt.timedelta(days=days_ahead)
    fair = services.fair_create(
        actor=operator,
        code=code,
        title="2027 台州(杜桥)国际眼镜展",
        city="临海",
        venue="中国·杜桥眼镜城 会展中心",
        starts_on=start,
        ends_on=start + dt.timedelta(days=1),
        slot_minutes=30,
        meeting_tables=3,
    )
    hall = services.hall_add(
        actor=operator, fair=fair, code="1", name="1 号馆", width_m=Decimal("30"), depth_m=Decimal("12")
    )
    booths = {}
    for index, code_ in enumerate(("1A01", "1A02", "1A03", "1A04")):
        booths[code_] = services.booth_add(
            actor=operator,
            hall=hall,
            code=code_,
            width_m=Decimal("3"),
            depth_m=Decimal("3"),
            x_m=Decimal(2 + index * 4),
            y_m=Decimal("2"),
            price=Decimal("9800"),
        )
    fair = services.fair_open(actor=operator, fair=fair)
    return fair, hall, booths


def fair_is_on(fair: Fair, *, days_ago: int = 0) -> Fair:
    """Move the fair's dates so that it is on today (it opened ``days_ago`` days ago): lead capture
    happens only while a fair is on. The meeting sessions stay where they were."""
    start = timezone.localdate() - dt.timedelta(days=days_ago)
    Fair.objects.filter(pk=fair.pk).update(starts_on=start, ends_on=start + dt.timedelta(days=days_ago + 1))
    fair.refresh_from_db()
    return fair


def fair_is_over(fair: Fair) -> Fair:
    end = timezone.localdate() - dt.timedelta(days=1)
    Fair.objects.filter(pk=fair.pk).update(starts_on=end - dt.timedelta(days=1), ends_on=end)
    fair.refresh_from_db()
    return fair


def buyer_login(username: str, firm_name: str) -> tuple[Any, Any]:
    firm = OrganisationFactory(name=firm_name)
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=firm, role=Role.ORG_ADMIN)
    return user, firm


@pytest.fixture
def fair_setup(cast: Any) -> FairSetup:
    fair, hall, booths = make_fair(cast.operator)
    buyer_a, firm_a = buyer_login("buyer_a", "米兰视界眼镜贸易公司")
    buyer_b, firm_b = buyer_login("buyer_b", "义乌远景眼镜批发商行")
    return FairSetup(fair, hall, booths, buyer_a, buyer_b, firm_a, firm_b)


def register_buyer(
    fair: Fair, user: Any, firm: Any, *, name: str, country: str, mobile: str, kind: str = "wholesaler"
) -> Any:
    return services.buyer_register(
        actor=user,
        fair=fair,
        name=name,
        company=firm.name if firm else "Ottica Rossi",
        country=country,
        kind=kind,
        mobile=mobile,
        organisation_id=firm.pk if firm else None,
    )


def sweep_fairs(cast: Any) -> dict[str, dict[str, int]]:
    """Objects for the core filter sweep: the fair's lists and an exhibitor's lead desk."""
    fair, _hall, booths = make_fair(cast.operator, code="SWEEP")
    application = services.application_submit(
        actor=cast.firm_admin,
        fair=fair,
        organisation=cast.firm,
        booth_ids=[booths["1A01"].pk],
        products="镜架",
        contact_name="王",
    )
    return {
        "fairs:applications": {"pk": fair.pk},
        "fairs:buyers": {"pk": fair.pk},
        "fairs:leads": {"pk": application.pk},
    }
