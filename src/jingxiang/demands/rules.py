"""The demand board's time rules (core.timerules): stated once, checked by its forms and its services.

A firm's wanted-by date lies ahead when it is entered; a 揭榜挂帅 challenge's application deadline lies
after the day it is published (applications closing the day they open could not be answered); each
milestone of a challenge's payment plan lies ahead too, and the plan runs in order (no milestone is due
before the one it follows). Operators may enter past dates with a reason (a challenge run on paper before
the platform); the order of a plan is never waived.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore, NotInPast

#: A demand's 期望完成日期 (optional) is not in the past.
DEMAND_RULES = (NotInPast("deadline", label=_("期望完成日期")),)

#: ``today`` is the day the challenge is published.
CHALLENGE_RULES = (
    NotBefore(
        "deadline", "today", label=_("揭榜截止日期"), other_label=_("今天"), strict=True, overridable=True
    ),
)

#: Each milestone of a plan, with the due date of the one before it (``previous_due_date``, none for the
#: first).
MILESTONE_RULES = (
    NotInPast("due_date", label=_("计划完成日期")),
    NotBefore(
        "due_date", "previous_due_date", label=_("计划完成日期"), other_label=_("上一个里程碑的计划完成日期")
    ),
)
