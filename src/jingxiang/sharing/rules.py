"""The sharing app's time rules (core.timerules): stated once, checked by its forms and its services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore, NotInFuture, NotInPast, TimeRule

#: A request's period is a wish (it may start before the request is filed) but runs forwards.
REQUEST_RULES = (NotBefore("period_end", "period_start", label=_("结束日期"), other_label=_("开始日期")),)

AGREEMENT_START = NotInPast("period_start", label=_("协议开始日期"))
AGREEMENT_PERIOD = NotBefore("period_end", "period_start", label=_("结束日期"), other_label=_("开始日期"))


def agreement_rules(*, start_moved: bool = True) -> tuple[TimeRule, ...]:
    """A new agreement starts today or later (operators may enter one signed on paper, with a reason)
    and ends after it starts. An amendment that keeps the running agreement's start date is checked
    for the order only: its start lies in the past because the work has begun."""
    return (AGREEMENT_START, AGREEMENT_PERIOD) if start_moved else (AGREEMENT_PERIOD,)


#: A new booking starts in the future (operators may enter one that took place, with a reason) and ends
#: after it starts.
BOOKING_RULES = (
    NotInPast("starts_at", label=_("预约开始时间")),
    NotBefore("ends_at", "starts_at", label=_("结束时间"), other_label=_("开始时间"), strict=True),
)

#: Hours are reported for work that has begun, within the agreement's term; neither is ever waived.
TIMESHEET_RULES = (
    NotInFuture("work_starts_at", label=_("工作时间")),
    NotBefore("work_date", "agreement_start", label=_("工作日期"), other_label=_("协议开始日期")),
)

#: A subsidy policy's validity runs forwards.
SUBSIDY_RULES = (NotBefore("valid_to", "valid_from", label=_("失效日期"), other_label=_("生效日期")),)


def timesheet_moments(booking: Any) -> dict[str, Any]:
    """What ``TIMESHEET_RULES`` compare for hours logged against ``booking`` (its agreement loaded)."""
    return {
        "work_starts_at": booking.starts_at,
        "work_date": booking.local_date,
        "agreement_start": booking.agreement.period_start,
    }
