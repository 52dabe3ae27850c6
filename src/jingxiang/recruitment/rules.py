"""Time rules of campus recruitment (core.timerules)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore, NotInPast

#: A new fair lies ahead (operators may enter a past fair with a reason); interviews end after they start.
FAIR_RULES = (
    NotInPast("fair_date", label=_("招聘会日期")),
    NotBefore(
        "interviews_until", "interviews_from", label=_("面试结束"), other_label=_("面试开始"), strict=True
    ),
)
#: A class ends after it starts.
CLASS_RULES = (
    NotBefore("ends_at", "starts_at", label=_("上课结束"), other_label=_("上课开始"), strict=True),
)
