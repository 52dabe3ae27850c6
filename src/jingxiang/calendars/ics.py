"""The ``.ics`` rendering of calendar entries (RFC 5545, with the ``icalendar`` library).

Times are written in Asia/Shanghai with its VTIMEZONE; all-day entries as dates. UIDs are stable per
record, so a phone that re-reads the feed updates an entry instead of adding a copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from jingxiang.calendars.registry import CalendarEntry
from jingxiang.core.links import absolute_url

UID_DOMAIN = "jingxiang"
PRODID = "-//Jingxiang//Calendar//ZH"


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _event(entry: CalendarEntry, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{entry.uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", f"[{entry.kind.label}] {entry.title}")
    if entry.all_day:
        day = entry.local_day
        last = entry.ends if not isinstance(entry.ends, dt.datetime) else day
        event.add("dtstart", day)
        event.add("dtend", last + dt.timedelta(days=1))  # DTEND of a date is exclusive
    else:
        assert isinstance(entry.starts, dt.datetime) and isinstance(entry.ends, dt.datetime)
        event.add("dtstart", entry.starts.astimezone(_zone()))
        event.add("dtend", entry.ends.astimezone(_zone()))
    if entry.location:
        event.add("location", entry.location)
    if entry.description:
        event.add("description", entry.description)
    if entry.url:
        event.add("url", absolute_url(entry.url))
    return event


def calendar_ics(entries: Iterable[CalendarEntry], *, name: str) -> bytes:
    """One VCALENDAR with every entry, ready to serve as ``text/calendar``."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for entry in entries:
        calendar.add_component(_event(entry, stamp))
    calendar.add_missing_timezones()
    body: bytes = calendar.to_ical()
    return body
