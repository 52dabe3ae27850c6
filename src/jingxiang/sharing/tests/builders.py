"""Builders for sharing tests: terms, requests, slots, bookings and a fully signed agreement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jingxiang.core.timerules import time_rule_violations
from jingxiang.sharing import services
from jingxiang.sharing.models import AvailabilityWindow, Weekday
from jingxiang.sharing.rules import AGREEMENT_START, BOOKING_RULES

#: The tests' engagements began months ago, so that hours can be logged and billed: the station enters
#: such agreements and bookings with a reason, as it does for work arranged on paper (issue 10).
BACKDATE = "测试:补录线下已开始的共享服务"


def slot(day: dt.date, start: int, end: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(day, dt.time(start), tzinfo=tz),
        dt.datetime.combine(day, dt.time(end), tzinfo=tz),
    )


def book_slot(cast: Any, agreement: Any, day: dt.date, start: int, end: int) -> Any:
    """Book the slot: the host books one that lies ahead; one that has begun is entered by the station
    with a reason, since new bookings may not start in the past."""
    starts, ends = slot(day, start, end)
    begun = bool(time_rule_violations(BOOKING_RULES, {"starts_at": starts}))
    return services.booking_create(
        actor=cast.operator if begun else cast.talent_officer,
        agreement=agreement,
        starts_at=starts,
        ends_at=ends,
        backdate_reason=BACKDATE if begun else "",
    )


def open_all_week(talent: Any) -> Any:
    """Make the talent bookable every day 07:00–22:00, so tests choose dates freely."""
    profile = services.sharing_profile_for(talent)
    profile.windows.all().delete()
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(profile=profile, weekday=w, start_time=dt.time(7), end_time=dt.time(22))
        for w in Weekday.values
    )
    return profile


def terms(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "period_start": today - dt.timedelta(days=90),
        "period_end": today + dt.timedelta(days=120),
        "monthly_hour_cap": 20,
        "mode": "onsite",
        "hourly_rate": Decimal("300.00"),
        "tasks": "镀膜车间良率提升:膜层脱落问题分析与工艺参数优化",
        "confidentiality": "",
        "supplementary_insurance": "",
    }
    data.update(overrides)
    return data


def request_data(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "title": "镀膜脱膜问题攻关",
        "problem": "树脂镜片加硬镀膜后出现脱膜和彩虹纹,良率从 96% 降到 88%,需要镀膜工艺专家指导。",
        "hours_needed": 16,
        "period_start": today - dt.timedelta(days=90),
        "period_end": today + dt.timedelta(days=120),
        "mode": "onsite",
        "budget": Decimal("50000.00"),
    }
    data.update(overrides)
    return data


@dataclass
class Sharing:
    cast: Any
    request: Any
    invitation: Any
    agreement: Any


def make_agreement(cast: Any, talent: Any = None, *, sign: bool = True, **term_overrides: Any) -> Sharing:
    talent = talent or cast.expert
    open_all_week(talent)
    request = services.request_file(actor=cast.talent_officer, firm=cast.firm, data=request_data())
    (invitation,) = services.invitation_send(actor=cast.operator, request=request, talents=[talent])
    services.invitation_respond(actor=talent.user, invitation=invitation, accept=True)
    data = terms(**term_overrides)
    # An agreement that has already started is entered by the station, with its reason.
    begun = bool(time_rule_violations((AGREEMENT_START,), data))
    agreement = services.agreement_create(
        actor=cast.operator if begun else cast.talent_officer,
        invitation=invitation,
        data={**data, "backdate_reason": BACKDATE if begun else ""},
    )
    if sign:
        if agreement.home_id:
            services.agreement_sign(actor=cast.other_firm_admin, agreement=agreement, party="home")
        services.agreement_sign(actor=cast.talent_officer, agreement=agreement, party="host")
        services.agreement_sign(actor=talent.user, agreement=agreement, party="talent", consent=True)
        agreement.refresh_from_db()
    return Sharing(cast=cast, request=request, invitation=invitation, agreement=agreement)


def second_host_agreement(cast: Any, firm: Any, officer: Any) -> Any:
    """A second host firm's active agreement for the same talent (林工), from today, capped at 10 h."""
    request = services.request_file(actor=officer, firm=firm, data=request_data())
    (invitation,) = services.invitation_send(actor=cast.operator, request=request, talents=[cast.expert])
    services.invitation_respond(actor=cast.expert_user, invitation=invitation, accept=True)
    agreement = services.agreement_create(
        actor=officer,
        invitation=invitation,
        data=terms(monthly_hour_cap=10, period_start=timezone.localdate()),
    )
    services.agreement_sign(actor=cast.other_firm_admin, agreement=agreement, party="home")
    services.agreement_sign(actor=officer, agreement=agreement, party="host")
    services.agreement_sign(actor=cast.expert_user, agreement=agreement, party="talent", consent=True)
    agreement.refresh_from_db()
    return agreement
