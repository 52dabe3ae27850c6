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
