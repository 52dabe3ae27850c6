"""Time rules of 权益链 (core.timerules)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore, NotInFuture

ROUND_RULES = (NotInFuture("held_on", label=_("协商日期")),)
VOTE_RULES = (NotInFuture("held_on", label=_("表决日期")),)
FILING_RULES = (
    NotInFuture("filed_on", label=_("报送日期")),
    NotBefore("filed_on", "voted_on", label=_("报送日期"), other_label=_("表决日期")),
)
TERM_RULES = (
    NotBefore("expires_on", "effective_from", label=_("到期日期"), other_label=_("生效日期"), strict=True),
)
