"""What 互聘共享 tells people: requests, invitations, agreements, bookings, timesheets, statements."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

REQUEST_POSTED = message("sharing.request_posted", gettext_lazy("新的共享人才需求:%(firm)s · %(title)s"))
INVITED = message("sharing.invited", gettext_lazy("共享邀请:%(firm)s 邀请您参与「%(title)s」"), "%(problem)s")
INVITATION_ACCEPTED = message(
    "sharing.invitation_accepted", gettext_lazy("%(name)s 接受了共享邀请"), "%(reason)s"
)
INVITATION_DECLINED = message(
    "sharing.invitation_declined", gettext_lazy("%(name)s 婉拒了共享邀请"), "%(reason)s"
)
SIGNATURE_REQUESTED = message(
    "sharing.signature_requested", gettext_lazy("请签署共享协议 %(number)s(%(talent)s → %(host)s)")
)
AMENDMENT_SIGNATURE_REQUESTED = message(
    "sharing.amendment_signature_requested", gettext_lazy("请签署共享协议修订版 %(number)s")
)
AGREEMENT_ACTIVE = message(
    "sharing.agreement_active", gettext_lazy("共享协议 %(number)s 各方已签署,现已生效")
)
PARTY_SIGNED = message("sharing.party_signed", gettext_lazy("%(party)s 已签署共享协议 %(number)s"))
BOOKED = message("sharing.booked", gettext_lazy("%(host)s 预约了您的时间:%(slot)s"))
TIMESHEET_LOGGED = message(
    "sharing.timesheet_logged", gettext_lazy("%(name)s 登记了 %(hours)s 小时工时,请确认")
)
TIMESHEET_APPROVED = message("sharing.timesheet_approved", gettext_lazy("您登记的 %(h)s 小时工时已确认"))
TIMESHEET_DISPUTED = message(
    "sharing.timesheet_disputed",
    gettext_lazy("工时异议:%(name)s 的 %(h)s 小时工时待共享驿站裁定"),
    "%(reason)s",
)
DISPUTE_RESOLVED = message(
    "sharing.dispute_resolved", gettext_lazy("工时异议已裁定:确认 %(h)s 小时"), "%(note)s"
)
STATEMENT_ISSUED = message(
    "sharing.statement_issued",
    gettext_lazy("%(month)s 共享用工结算单 %(number)s 已出具:企业应付 %(amount)s 元"),
)
OUTCOME_RATED = message("sharing.outcome_rated", gettext_lazy("%(host)s 对您的共享服务作出了评价(%(r)s 分)"))

STATEMENTS_TITLE = message("sharing.statements_title", gettext_lazy("生成 %(m)s 月度结算单"))
STATEMENTS_PROGRESS = message("sharing.statements_progress", gettext_lazy("已处理 %(i)s / %(n)s 份协议"))
STATEMENTS_DONE = message(
    "sharing.statements_done",
    gettext_lazy("已生成 %(n)s 份 %(m)s 月度结算单草稿(共 %(a)s 份协议,%(s)s 份无可结算工时)。"),
)
