"""Who sees which calendar: a person sees their own, and the feed URL is its owner's key."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jingxiang.calendars.models import CalendarFeed


def uses_calendar(user: Any) -> bool:
    """Everyone signed in has a calendar (it may be empty); nobody sees another person's."""
    return bool(getattr(user, "is_authenticated", False))


def access_feed(token: str) -> CalendarFeed:
    """The live feed a token opens, for anyone holding the URL (a phone's calendar has no login).

    An unknown or revoked token is a 404, as is the feed of a user who can no longer log in."""
    feed: CalendarFeed | None = CalendarFeed.objects.live().select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed
