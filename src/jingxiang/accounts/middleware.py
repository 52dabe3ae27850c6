"""Asking for the privacy policy's new version at the next login.

When someone logs in (any way: the login form, a registration, a one-time code) and has not agreed to
the current version, the session is marked; until they agree, every page they open leads to the
consent page first (the policy, the consent page itself, logging out and static files excepted). Form
posts are let through, so nothing typed before is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

SESSION_KEY = "privacy_consent_due"


def mark_if_due(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: mark the session of a person who has yet to agree."""
    from jingxiang.accounts.privacy import asked_at_login, current_policy, needs_consent

    if request is None or not hasattr(request, "session") or not asked_at_login():
        return
    if needs_consent(user):
        request.session[SESSION_KEY] = current_policy().version
    else:
        request.session.pop(SESSION_KEY, None)


class PrivacyConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "GET"
            and SESSION_KEY in getattr(request, "session", {})
            and getattr(request.user, "is_authenticated", False)
            and not self._exempt(request.path)
        ):
            target = reverse("accounts:privacy_consent")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (
            reverse("accounts:privacy_consent"),
            reverse("accounts:privacy"),
            reverse("accounts:logout"),
            "/static/",
            "/media/",
            "/i18n/",
            "/verify/",
            "/api/",  # programs, not people: the API answers with data, never with a consent page
        )
        return path.startswith(exempt)
