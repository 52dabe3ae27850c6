from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template (the resolved outputs of a page, by output id)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
