"""What the matchmaking events tell people: notifications and the scheduler job's texts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

PARTICIPANT_WITHDREW = message(
    "events.participant_withdrew", gettext_lazy("%(name)s 已取消参加「%(event)s」,你们的洽谈取消")
)
MEETING_REQUESTED = message("events.meeting_requested", gettext_lazy("%(name)s 想在「%(event)s」与您洽谈"))
MEETING_ACCEPTED = message("events.meeting_accepted", gettext_lazy("%(name)s 接受了您的洽谈预约"))
MEETING_DECLINED = message("events.meeting_declined", gettext_lazy("%(name)s 婉拒了您的洽谈预约"))
AGENDA_PUBLISHED = message("events.agenda_published", gettext_lazy("「%(event)s」洽谈日程已发布"))
FOLLOW_UP_WISHED = message("events.follow_up_wished", gettext_lazy("%(name)s 希望在洽谈后继续合作"))

SCHEDULE_TITLE = message("events.schedule_title", gettext_lazy("排程:%(event)s"))
SCHEDULE_EXPIRED = message(
    "events.schedule_expired", gettext_lazy("已处理过期预约 %(n)s 个,正在整理排程数据。")
)
SCHEDULE_SOLVING = message("events.schedule_solving", gettext_lazy("正在求解:%(m)s 场洽谈。"))
SCHEDULE_PHASE = message(
    "events.schedule_phase", gettext_lazy("第 %(phase)s 阶段:已排入权重 %(w)s,上界 %(b)s")
)
SCHEDULE_VALIDATING = message("events.schedule_validating", gettext_lazy("正在用独立校验器检查排程。"))
SCHEDULE_BAD_DATA = message("events.schedule_bad_data", gettext_lazy("排程数据有误,未能计算:%(e)s"))
SCHEDULE_INFEASIBLE = message(
    "events.schedule_infeasible",
    gettext_lazy("锁定的洽谈互相冲突,没有可行的排程。请查看排程结果并调整锁定。"),
)
SCHEDULE_INVALID = message("events.schedule_invalid", gettext_lazy("独立校验发现排程违反规则,已阻止发布。"))
SCHEDULE_DONE = message(
    "events.schedule_done", gettext_lazy("排程完成:排入 %(s)s 场,未排入 %(u)s 场,请查看结果并发布。")
)

REGISTERED_BY_OPERATOR = message(
    "events.registered_by_operator",
    gettext_lazy("平台运营人员已为 %(name)s 报名「%(event)s」,请核对在场时段和洽谈需求"),
)
LAYOUT_MOVED = message(
    "events.layout_moved",
    gettext_lazy("「%(event)s」日程调整:您与 %(other)s 的洽谈 %(change)s"),
)
LAYOUT_DROPPED = message(
    "events.layout_dropped",
    gettext_lazy("「%(event)s」日程调整:您与 %(other)s 的洽谈已取消(%(reason)s)"),
)
LAYOUT_PRESENCE = message(
    "events.layout_presence",
    gettext_lazy("「%(event)s」取消了部分时段(%(reason)s),请核对您的在场时段"),
)
