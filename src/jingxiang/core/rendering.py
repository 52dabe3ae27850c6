"""One place that decides between a full page and an HTMX partial."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``; for an HTMX request that targets a region, render only ``partial``.

    Boosted navigations (hx-boost) want the full page, so only non-boosted HTMX requests get the partial.
    """
    htmx = getattr(request, "htmx", None)
    if partial and htmx and not htmx.boosted:
        return render(request, partial, context or {}, status=status)
    return render(request, template, context or {}, status=status)
