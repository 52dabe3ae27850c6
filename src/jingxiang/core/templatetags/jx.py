"""House formats (shared/design/UI.md): money, 万 amounts, percentages, status tones, sort links, icons."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

_TONES = {
    "approved": "ok",
    "active": "ok",
    "succeeded": "ok",
    "pass": "ok",
    "valid": "ok",
    "signed": "ok",
    "published": "ok",
    "completed": "ok",
    "closed": "grey",
    "archived": "grey",
    "pending": "waiting",
    "queued": "waiting",
    "running": "waiting",
    "screening": "waiting",
    "draft": "grey",
    "rejected": "bad",
    "failed": "bad",
    "fail": "bad",
    "revoked": "bad",
    "suspended": "bad",
    "disputed": "bad",
    "declined": "bad",
    "in_talks": "waiting",
    "reviewing": "waiting",
    "returned": "waiting",
    "incomplete": "waiting",
    "not_assessed": "waiting",
    "matched": "ok",
    "awarded": "ok",
    "accepted": "ok",
    "issued": "ok",
    "open": "ok",
    "merged": "grey",
    "superseded": "grey",
    "expired": "grey",
    "withdrawn": "grey",
}


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


@register.filter
def money(value: Any) -> str:
    """¥12,345.00"""
    amount = _decimal(value)
    if amount is None:
        return "—"
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def wan(value: Any) -> str:
    """Dashboard figures: 12,345 → 1.2万; below ten thousand shown in full."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    if abs(amount) >= 10000:
        return f"{(amount / 10000).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}{_('万')}"
    return f"{amount.quantize(Decimal('1'), rounding=ROUND_HALF_UP):,}"


@register.filter
def percent(value: Any) -> str:
    """A fraction (0.123) as 12.3 %."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return f"{(amount * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@register.filter
def tone(status: Any) -> str:
    return _TONES.get(str(status), "grey")


@register.simple_tag
def badge(status: Any, label: Any) -> str:
    """A status badge: colour and word together, never colour alone."""
    return format_html('<span class="badge badge-{}">{}</span>', _TONES.get(str(status), "grey"), label)


@register.simple_tag(takes_context=True)
def sort_link(context: dict[str, Any], column: str, label: str) -> str:
    current = context.get("sort", "")
    query = context.get("query_nosort", "")
    descending = current == column
    target = f"-{column}" if descending else column
    arrow = (
        icon("chevron-up") if current == column else icon("chevron-down") if current == f"-{column}" else ""
    )
    prefix = f"{query}&" if query else ""
    return format_html(
        '<a href="?{}sort={}" class="sort" aria-sort="{}">{} {}</a>',
        prefix,
        target,
        "ascending" if current == column else "descending" if arrow else "none",
        label,
        arrow,
    )


@functools.lru_cache(maxsize=1)
def _sprite_url() -> str:
    """The sprite's address, resolved once per process (a page draws up to a few hundred icons, and
    each ``static()`` goes through the storage); cleared when the static settings change (tests)."""
    return static("jingxiang/icons.svg")


@receiver(setting_changed)
def _forget_sprite_url(setting: str, **_kwargs: Any) -> None:
    if setting in {"STATIC_URL", "STORAGES", "STATICFILES_STORAGE"}:
        _sprite_url.cache_clear()


@register.simple_tag
def icon(name: str, label: str = "", css: str = "") -> SafeString:
    """An icon from the sprite ``jingxiang/icons.svg``, as inline SVG.

    Never a font glyph: a symbol missing from the reader's fonts shows as an empty box. Decorative
    (hidden from screen readers) unless ``label`` says what it means.
    """
    href = f"{_sprite_url()}#{name}"
    classes = f"icon {css}".strip()
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}" focusable="false"><use href="{}"></use></svg>',
            classes,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', classes, href
    )


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def error_summary(form: Any) -> str:
    """The error summary at the top of a form, once per form however many templates ask for it.

    ``includes/form_page.html`` shows it above the fields and ``includes/form_fields.html`` shows it for
    every other page that renders a whole form, so each form gets one: a linked list of the fields in
    error (``role="alert"``). A link goes to the field's input, or for a radio or checkbox group to the
    group (whose first option has no label of its own to point at).
    """
    from django.template.loader import render_to_string

    if form is None or not getattr(form, "errors", None) or getattr(form, "_jx_summary_shown", False):
        return ""
    form._jx_summary_shown = True
    items = []
    for field in form:
        for error in field.errors:
            items.append(
                {
                    "anchor": field.id_for_label or field.auto_id or field.html_name,
                    "label": field.label,
                    "error": error,
                }
            )
    context = {"items": items, "non_field": form.non_field_errors(), "count": len(form.errors)}
    return render_to_string("includes/form_errors_summary_body.html", context)
