"""Map sharing statuses onto the house colours (green = done/active, amber = waiting, red = problem, grey)."""

from __future__ import annotations

from typing import Any

from django import template

from jingxiang.sharing import permissions

register = template.Library()

# The permission rules the lists show per row, as filters: {% if request.user|may_cancel_booking:b %}.
# They are the functions the services check, so a button is shown exactly when the action is allowed.
for rule in (
    permissions.may_cancel_booking,
    permissions.may_log_hours,
    permissions.may_review_timesheet,
    permissions.may_resolve_timesheet,
):
    register.filter(rule.__name__, rule)

_TONE_KEYS = {
    "open": "pending",
    "invited": "pending",
    "matched": "active",
    "closed": "closed",
    "accepted": "active",
    "declined": "rejected",
    "superseded": "archived",
    "ended": "closed",
    "booked": "active",
    "cancelled": "archived",
    "submitted": "pending",
    "approved": "approved",
    "disputed": "disputed",
    "resolved": "completed",
    "draft": "pending",
    "issued": "valid",
}


@register.filter
def tone_key(status: Any) -> str:
    """The core badge key for one of our statuses (e.g. a draft statement is waiting: amber)."""
    return _TONE_KEYS.get(str(status), str(status))
