"""What the academy tells people: enrolment, certificate and order notifications, batch certification."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

WAITLIST_PROMOTED = message(
    "academy.waitlist_promoted",
    gettext_lazy("候补转正:%(name)s 已获得 %(cohort)s 的名额"),
    gettext_lazy("有学员退出,名额已按候补顺序自动递补。"),
)
WAITLIST_PROMOTED_PENDING = message(
    "academy.waitlist_promoted_pending",
    gettext_lazy("候补转正:%(name)s 已获得 %(cohort)s 的名额"),
    gettext_lazy("有学员退出,名额已按候补顺序自动递补。报名还需学院审核。"),
)
WAITLISTED = message("academy.waitlisted", gettext_lazy("%(name)s 已进入 %(cohort)s 候补名单"))
ENROLLED = message("academy.enrolled", gettext_lazy("%(name)s 已报名 %(cohort)s"))
ENROLMENT_APPROVED = message("academy.enrolment_approved", gettext_lazy("报名已通过:%(cohort)s"), "%(note)s")
ENROLMENT_REJECTED = message("academy.enrolment_rejected", gettext_lazy("报名未通过:%(cohort)s"), "%(note)s")
CERTIFICATE_ISSUED = message(
    "academy.certificate_issued",
    gettext_lazy("证书已颁发:%(number)s"),
    gettext_lazy("%(name)s 通过考核,技能档案已自动更新为 %(skill)s %(level)s 级。"),
)
CERTIFICATE_REVOKED = message(
    "academy.certificate_revoked", gettext_lazy("证书已撤销:%(number)s"), "%(reason)s"
)
ORDER_ACCEPTED = message("academy.order_accepted", gettext_lazy("订单培养已由 %(school)s 接单:%(title)s"))

CERTIFY_TITLE = message("academy.certify_title", gettext_lazy("批量发证:%(c)s"))
CERTIFY_PROGRESS = message("academy.certify_progress", gettext_lazy("已处理 %(i)s / %(n)s 人"))
CERTIFY_FORBIDDEN = message("academy.certify_forbidden", gettext_lazy("您已没有为该班级发证的权限。"))
CERTIFY_DONE = message("academy.certify_done", gettext_lazy("已颁发 %(n)s 张证书,跳过 %(m)s 人。"))

QUESTIONS_TITLE = message("academy.questions_title", gettext_lazy("导入题库:%(course)s(%(file)s)"))
QUESTIONS_FORBIDDEN = message("academy.questions_forbidden", gettext_lazy("您已没有管理该课程题库的权限。"))
QUESTIONS_REFUSED = message(
    "academy.questions_refused", gettext_lazy("题库文件有 %(n)s 处问题,未导入任何题目。")
)
QUESTIONS_DONE = message("academy.questions_done", gettext_lazy("已导入 %(n)s 道题目。"))
