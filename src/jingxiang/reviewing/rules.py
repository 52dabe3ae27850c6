"""The review block's time rules (core.timerules): a round opens now or later and closes after it opens."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore, NotInPast

ROUND_RULES = (
    NotInPast("opens_at", label=_("开始评分时间")),
    NotBefore("closes_at", "opens_at", label=_("截止评分时间"), other_label=_("开始评分时间"), strict=True),
)
