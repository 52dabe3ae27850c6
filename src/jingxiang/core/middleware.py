"""Request hygiene that every view relies on."""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from rest_framework.renderers import BrowsableAPIRenderer

from jingxiang.core.errors import not_found


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
    anyone else. Our error page says, in the user's language, what happened and what to do. A view that
    answers 404 with its own page (a public verification page saying "not found") keeps it, and API
    clients (``/api/``) keep their JSON answers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        unmatched = getattr(request, "resolver_match", None) is None
        if response.status_code == 404 and unmatched and not self._is_api(request):
            return not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404 | PermissionDenied) and not self._is_api(request):
            return not_found(request)
        return None

    @staticmethod
    def _is_api(request: HttpRequest) -> bool:
        return request.path.startswith("/api/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's header (``settings.CONTENT_SECURITY_POLICY``) with one scoped exception.

    The HTML view of the API (Django REST framework's browsable API, a developer tool whose templates
    are the library's) lays its page out with ``style=`` attributes and a ``<style>`` element for code
    highlighting. Those pages alone may use inline styles, which cannot run code; scripts stay
    ``'self'`` there as everywhere, and the API's JSON answers keep the full policy.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if isinstance(getattr(response, "accepted_renderer", None), BrowsableAPIRenderer):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts
