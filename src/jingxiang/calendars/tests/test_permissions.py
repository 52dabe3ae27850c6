"""Every calendars route, visited as every persona and anonymously (the feed needs no login)."""

from __future__ import annotations

import pytest

from jingxiang.calendars import services
from jingxiang.testing.matrix import ALL_LOGGED_IN, ANONYMOUS, RouteCase, check_matrix

pytestmark = pytest.mark.django_db


def feed_url(cast):  # type: ignore[no-untyped-def]
    return f"/calendar/feed/{services.feed_issue(actor=cast.expert_user).token}.ics"


CASES = [
    RouteCase("calendars:calendar", "/calendar/", ALL_LOGGED_IN),
    RouteCase("calendars:calendar week", "/calendar/?view=week&day=2026-12-03", ALL_LOGGED_IN),
    RouteCase("calendars:download", "/calendar/calendar.ics", ALL_LOGGED_IN),
    RouteCase("calendars:feed", feed_url, ALL_LOGGED_IN | {ANONYMOUS}),
    RouteCase("calendars:feed unknown", "/calendar/feed/nope.ics", frozenset(), anonymous_status=(404,)),
    RouteCase(
        "calendars:feed_issue", "/calendar/feed/issue/", ALL_LOGGED_IN, method="post", ok_status=(302,)
    ),
    # After issuing, everyone has a feed to revoke; a second revoke is refused with a message (302 too).
    RouteCase(
        "calendars:feed_revoke", "/calendar/feed/revoke/", ALL_LOGGED_IN, method="post", ok_status=(302,)
    ),
]


def test_role_matrix(cast):
    assert check_matrix(cast, CASES) == []


def test_matrix_covers_every_route():
    from jingxiang.calendars.urls import urlpatterns

    covered = {case.name.split(" ")[0] for case in CASES}
    assert {f"calendars:{p.name}" for p in urlpatterns} <= covered
