"""Role-matrix checks: every route visited as every persona and as an anonymous visitor.

Every response is also checked against the Content-Security-Policy (``jingxiang.testing.csp``): the
header is there and the page has no inline script, handler or style that the policy would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from importlib import import_module
from typing import Any

from django.conf import settings
from django.test import Client

from jingxiang.testing.csp import csp_problems

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class RouteCase:
    """One route and the personas allowed to use it; everyone else must get ``denied_status``.

    ``url`` may be a callable taking the cast, for routes with ids. Allowed personas must get one of
    ``ok_status``. Anonymous visitors are redirected to the login page unless listed in ``allowed``.
    """

    name: str
    url: str | Callable[[Any], str]
    allowed: frozenset[str]
    method: str = "get"
    data: dict[str, Any] | Callable[[Any], dict[str, Any]] = field(default_factory=dict)
    ok_status: tuple[int, ...] = (200,)
    denied_status: tuple[int, ...] = (404,)
    anonymous_status: tuple[int, ...] = (302,)


class _Visitor:
    """One persona's client: every request starts as a fresh visitor with a new logged-in session.

    Logging in (``force_login``) costs a session written twice plus the login signals (last-login
    update, django-axes' attempt reset) for every request of a matrix; here the persona logs in once
    and each request gets a new session with the same contents (the user, backend and password hash
    ``login()`` stores) and no other cookie, which is what a new ``Client`` plus ``force_login`` gives.
    """

    def __init__(self, user: Any) -> None:
        self.client = Client(raise_request_exception=True)
        self.session_data: dict[str, Any] | None = None
        if user is not None:
            self.client.force_login(user)
            self.session_data = dict(self.client.session.items())

    def fresh(self) -> Client:
        self.client.cookies = SimpleCookie()
        if self.session_data is not None:
            session = import_module(settings.SESSION_ENGINE).SessionStore()
            session.update(self.session_data)
            session.save()
            assert session.session_key is not None
            self.client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        return self.client


def check_matrix(cast: Any, cases: Iterable[RouteCase]) -> list[str]:
    """Return every mismatch as a readable line (empty when the matrix holds)."""
    problems: list[str] = []
    visitors = {name: _Visitor(user) for name, user in {**cast.by_role(), ANONYMOUS: None}.items()}
    for case in cases:
        url = case.url(cast) if callable(case.url) else case.url
        for persona_name, visitor in visitors.items():
            client = visitor.fresh()
            data = case.data(cast) if callable(case.data) else case.data
            response = getattr(client, case.method)(url, data)
            if persona_name in case.allowed:
                expected = case.ok_status
            elif persona_name == ANONYMOUS:
                expected = case.anonymous_status
            else:
                expected = case.denied_status
            if response.status_code not in expected:
                problems.append(
                    f"{case.method.upper()} {url} ({case.name}) as {persona_name}: "
                    f"got {response.status_code}, expected {expected}"
                )
            problems += [
                f"{case.method.upper()} {url} ({case.name}) as {persona_name}: {problem}"
                for problem in csp_problems(response)
            ]
    return problems


ALL_LOGGED_IN = frozenset(
    {
        "firm_admin",
        "talent_officer",
        "member",
        "other_firm_admin",
        "lab_staff",
        "operator",
        "union_staff",
        "expert",
        "outsider",
    }
)
APPROVED = ALL_LOGGED_IN - {"outsider"}
