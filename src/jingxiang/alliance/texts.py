"""What the alliance tells people: notifications and the reminder job's texts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

MEMBER_APPLIED = message("alliance.member_applied", gettext_lazy("%(org)s 申请加入「%(alliance)s」"))
MEMBER_REVIEWED = message("alliance.member_reviewed", gettext_lazy("「%(alliance)s」入盟审核结果:%(result)s"))
LEAVE_REQUESTED = message("alliance.leave_requested", gettext_lazy("%(org)s 申请退出「%(alliance)s」"))
LEAVE_APPROVED = message("alliance.leave_approved", gettext_lazy("%(org)s 已退出「%(alliance)s」"))
TASK_ASSIGNED = message(
    "alliance.task_assigned", gettext_lazy("联盟任务「%(task)s」由贵单位负责,期限 %(due)s")
)
OBLIGATION_DUE = message(
    "alliance.obligation_due",
    gettext_lazy("协议「%(agreement)s」的义务「%(obligation)s」将于 %(due)s 到期"),
)
OBLIGATION_OVERDUE = message(
    "alliance.obligation_overdue",
    gettext_lazy("协议「%(agreement)s」的义务「%(obligation)s」(%(party)s)已逾期,期限 %(due)s"),
)
REMINDERS_TITLE = message("alliance.reminders_title", gettext_lazy("协议义务到期与逾期提醒"))
REMINDERS_PROGRESS = message("alliance.reminders_progress", gettext_lazy("正在检查协议义务的期限。"))
REMINDERS_DONE = message(
    "alliance.reminders_done",
    gettext_lazy("已发送到期提醒 %(due)s 条、逾期提醒 %(overdue)s 条。"),
)
