"""The academy's rules of time, stated once: the forms show them next to the other field errors and the
services enforce them again (``core.timerules``).

* A new cohort does not start in the past and ends on or after the day it starts.
* A session does not start in the past and ends after it starts.
* Nobody checks in, and the academy marks no attendance, before the session has started.
* No certificate is issued before the cohort's last day.
* A 订单培养 order is due after the day it is placed.

Operators may back-date a cohort or a session with a reason (entering training held before the
platform); the other rules are facts of the training and cannot be waived.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.timerules import NotBefore, NotInPast

COHORT_ORDER = NotBefore(
    "ends_on", "starts_on", label=gettext_lazy("结业日期"), other_label=gettext_lazy("开班日期")
)
#: Opening a cohort (开班).
COHORT_RULES = (NotInPast("starts_on", label=gettext_lazy("开班日期")), COHORT_ORDER)
#: Changing a cohort that may have started already: only the order of its dates.
COHORT_EDIT_RULES = (COHORT_ORDER,)

SESSION_RULES = (
    NotInPast("starts_at", label=gettext_lazy("开始时间")),
    NotBefore(
        "ends_at",
        "starts_at",
        label=gettext_lazy("结束时间"),
        other_label=gettext_lazy("开始时间"),
        strict=True,
    ),
)

#: ``checked_at`` is the moment of the scan, ``starts_at`` the session's start.
CHECKIN_RULES = (
    NotBefore("checked_at", "starts_at", label=gettext_lazy("签到"), other_label=gettext_lazy("上课时间")),
)
#: ``marked_at`` is the moment the academy saves the register.
ATTENDANCE_RULES = (
    NotBefore("marked_at", "starts_at", label=gettext_lazy("登记出勤"), other_label=gettext_lazy("上课时间")),
)

#: ``issued_on`` is the day of issue, ``ends_on`` the cohort's last day.
CERTIFICATE_RULES = (
    NotBefore("issued_on", "ends_on", label=gettext_lazy("发证日期"), other_label=gettext_lazy("结业日期")),
)

#: ``today`` is the day the order is placed: an order due today could not be trained for.
ORDER_RULES = (
    NotBefore(
        "due_on", "today", label=gettext_lazy("期望完成日期"), other_label=gettext_lazy("今天"), strict=True
    ),
)

#: A quiz closes after it opens (``opens_at``/``closes_at`` as entered).
QUIZ_RULES = (
    NotBefore(
        "closes_at",
        "opens_at",
        label=gettext_lazy("截止时间"),
        other_label=gettext_lazy("开放时间"),
        strict=True,
    ),
)
#: ``started_at`` is the moment a trainee starts an attempt.
QUIZ_ATTEMPT_RULES = (
    NotBefore("started_at", "opens_at", label=gettext_lazy("开始答题"), other_label=gettext_lazy("开放时间")),
)
