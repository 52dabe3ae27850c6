"""Absolute links for whatever leaves the browser: QR codes, printed verification addresses, e-mails.

A relative URL is enough inside a page, but a QR code on a printed certificate or a link in an e-mail
must name the host. In production that is ``settings.PUBLIC_BASE_URL`` (required there): the address
people reach the platform at, which the server cannot guess behind a proxy. In development it is
usually unset, and the link uses the address the current request came to, so a QR code points at the
server that showed it, whatever host and port that server runs on.

The current request is known without passing it through every service: ``CurrentRequestMiddleware``
keeps it in a context variable for the length of the request (work run after commit inside the request,
such as a notification e-mail, still sees it). Work outside any request (the task worker, a management
command) falls back to ``DEVELOPMENT_BASE_URL``, the address ``make demo`` serves.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# ``make demo`` runs the server here; only used in development, outside any request.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:8000"

_current_request: ContextVar[HttpRequest | None] = ContextVar("jingxiang_current_request", default=None)


def public_base_url(request: HttpRequest | None = None) -> str:
    """Scheme and host for absolute links, without a trailing slash."""
    configured = str(getattr(settings, "PUBLIC_BASE_URL", "") or "")
    if configured:
        return configured.rstrip("/")
    request = request if request is not None else _current_request.get()
    if request is not None:
        # get_host() has already been checked against ALLOWED_HOSTS, so a forged Host header is refused
        # before it can end up in a printed link.
        return f"{request.scheme}://{request.get_host()}"
    return DEVELOPMENT_BASE_URL


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (from ``reverse``) as an absolute URL; a URL that is already absolute is returned as is."""
    if not path.startswith("/"):
        return path
    return public_base_url(request) + path


def new_link_token() -> str:
    """The key of a private link (a calendar feed, a fair buyer's personal page): 32 URL-safe random
    characters, stored on its row so that it can be revoked; whoever holds the URL holds the key."""
    return secrets.token_urlsafe(24)


class CurrentRequestMiddleware:
    """Make the current request available to ``public_base_url`` for the length of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
