"""Status badges for the lab's own states (colour and word together), on top of the house tones."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

register = template.Library()

_TONES = {
    "pass": "ok",
    "valid": "ok",
    "active": "ok",
    "approved": "ok",
    "completed": "ok",
    "fail": "bad",
    "suspended": "bad",
    "rejected": "bad",
    "incomplete": "waiting",
    "undecided": "waiting",
    "not_assessed": "waiting",
    "submitted": "waiting",
    "pending": "waiting",
    "in_progress": "waiting",
    "registered": "waiting",
    "in_test": "waiting",
    "awaiting_review": "waiting",
    "correction": "waiting",
    "superseded": "grey",
    "cancelled": "grey",
    "not_applicable": "grey",
    "expired": "grey",
}

_ITEM_LABELS = {
    "pass": _("合格"),
    "fail": _("不合格"),
    "not_assessed": _("未判定"),
    "not_applicable": _("不适用"),
    # The engine's overall verdict when a mandatory item could not be assessed.
    "incomplete": _("未完成判定"),
    # A row fails on an indicative limit: the reviewer must confirm the limit or exclude the item.
    "undecided": _("待审核人判定"),
}


@register.simple_tag
def lab_badge(status: Any, label: Any = "") -> str:
    return format_html(
        '<span class="badge badge-{}">{}</span>', _TONES.get(str(status), "grey"), label or status
    )


@register.simple_tag
def item_badge(status: Any) -> str:
    """An engine item status (pass / fail / not_assessed / not_applicable) in Chinese."""
    return lab_badge(status, _ITEM_LABELS.get(str(status), status))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def shown(value: Any) -> Any:
    """Verdict values as people read them: booleans as 是/否, missing as —."""
    if value in (None, ""):
        return "—"
    if str(value) in {"True", "true"}:
        return _("是")
    if str(value) in {"False", "false"}:
        return _("否")
    return value
