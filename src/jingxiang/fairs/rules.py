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

#: A badge is scanned while the fair is on (its dates, in the platform's time zone, Asia/Shanghai). An
#: operator may record a lead outside them — met at a pre-show meeting, or brought on paper after the
#: fair — with a reason (stored as a core.TimeRuleOverride).
LEAD_RULES = (
    NotBefore("scanned_on", "starts_on", label=_("扫码日期"), other_label=_("开幕日期"), overridable=True),
    NotBefore("ends_on", "scanned_on", label=_("闭幕日期"), other_label=_("扫码日期"), overridable=True),
)
