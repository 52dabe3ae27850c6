"""Request hygiene that every view relies on."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class RejectNulBytesMiddleware:
    """Answer 400 to a request whose parameters contain NUL bytes.

    No person types one; PostgreSQL refuses them in text columns, so letting one through would turn
    junk input into a server error wherever a view uses a parameter in a query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "\x00" in request.path
            or self._has_nul(request.GET)
            or (request.method == "POST" and self._has_nul(request.POST))
        ):
            return render(request, "errors/400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(params: object) -> bool:
        lists = getattr(params, "lists", None)
        if lists is None:
            return False
        return any("\x00" in key or any("\x00" in value for value in values) for key, values in lists())


class FriendlyErrorPagesMiddleware:
    """Show the platform's own "not found" page even where Django would show its debug page.

    With ``DEBUG`` on (the demo), Django answers an unknown URL or an ``Http404`` with a technical page
    that lists every URL pattern: confusing for a user trying the demo, and a map of the site for
    anyone else. Our error pages say, in the user's language, what happened and what to do. API
    clients (``/api/``) keep their JSON answers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (403, 404) and not request.path.startswith("/api/"):
            content_type = response.get("Content-Type", "")
            if content_type.startswith("text/html") and not getattr(response, "friendly", False):
                page = render(request, "errors/404.html", status=404)
                page.friendly = True  # type: ignore[attr-defined]
                return page
        return response
