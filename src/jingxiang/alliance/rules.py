"""The alliance's time rules (core.timerules): stated once, checked by its forms and its services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore, NotInFuture

#: A membership ends after it starts.
MEMBER_RULES = (NotBefore("left_on", "joined_on", label=_("退盟日期"), other_label=_("入盟日期")),)

#: An agreement is registered once signed, and its term ends after it starts.
AGREEMENT_RULES = (
    NotInFuture("signed_on", label=_("签约日期")),
    NotBefore("term_end", "term_start", label=_("有效期至"), other_label=_("有效期自"), strict=True),
)

#: An alliance is registered once founded.
ALLIANCE_RULES = (NotInFuture("founded_on", label=_("成立日期")),)
