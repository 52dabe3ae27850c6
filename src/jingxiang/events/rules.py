"""The events app's time rules (core.timerules): stated once, checked by its forms and its services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore, NotInPast

#: A new event, and its answer deadline, lie ahead; operators may enter a past event with a reason.
EVENT_RULES = (
    NotInPast("event_date", label=_("对接会日期")),
    NotInPast("requests_expire_at", label=_("未答复预约失效时间")),
)

#: A new session starts in the future and ends after it starts.
SESSION_RULES = (
    NotInPast("starts_at", label=_("场次开始时间")),
    NotBefore("ends_at", "starts_at", label=_("结束时间"), other_label=_("开始时间"), strict=True),
)

#: A single time slot moved or resized: a new start not in the past (``moved_to``, set only when the start
#: changes, so a running slot can still be extended), and it ends after it starts.
SLOT_RULES = (
    NotInPast("moved_to", label=_("时段开始时间")),
    NotBefore("ends_at", "starts_at", label=_("结束时间"), other_label=_("开始时间"), strict=True),
)

#: Nobody checks in before the event's day, and no meeting is marked held before its time slot starts.
CHECK_IN_RULES = (NotBefore("checked_in_at", "event_date", label=_("签到时间"), other_label=_("对接会当天")),)
ATTENDANCE_RULES = (
    NotBefore("marked_at", "slot_starts_at", label=_("登记时间"), other_label=_("洽谈时段开始")),
)
