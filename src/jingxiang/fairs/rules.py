"""The fairs' time rules (core.timerules)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore, NotInPast

#: A new fair opens in the future (an operator may enter a past one with a reason) and closes after
#: (or on) its opening day.
FAIR_RULES = (
    NotInPast("starts_on", label=_("开幕日期")),
    NotBefore("ends_on", "starts_on", label=_("闭幕日期"), other_label=_("开幕日期")),
)
