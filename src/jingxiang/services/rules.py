"""The marketplace's time rules (core.timerules): stated once, checked by forms and services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore, NotInPast

#: A consultation is booked ahead of time, never in the past.
CONSULTATION_RULES = (NotInPast("starts_at", label=_("咨询开始时间")),)

#: A programme runs forwards.
PROGRAMME_RULES = (NotBefore("valid_to", "valid_from", label=_("失效日期"), other_label=_("生效日期")),)
