"""The parks' time rules (core.timerules)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore

#: A lease ends after it starts (a lease signed on paper may start in the past).
LEASE_RULES = (
    NotBefore("ends_on", "starts_on", label=_("到期日期"), other_label=_("起租日期"), strict=True),
)
