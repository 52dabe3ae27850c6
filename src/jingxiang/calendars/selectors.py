"""Reads: the month and week grids of a person's calendar, the feed they have, the ranges exported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.calendars.models import CalendarFeed
from jingxiang.calendars.registry import CalendarEntry, entries_for

MONTH, WEEK = "month", "week"
WEEKDAYS = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))
#: The ``.ics`` download and the feed carry the recent past and the year ahead.
EXPORT_PAST_DAYS = 60
EXPORT_FUTURE_DAYS = 400
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Day:
    date: dt.date
    entries: list[CalendarEntry]
    in_period: bool  # in the month shown (the month grid pads whole weeks)
    today: bool

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAYS[self.date.weekday()])


def parse_day(value: str | None) -> dt.date:
    """The day asked for in the URL (``2026-12-03``), today when missing or not a date."""
    if value:
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
        else:
            # Far-off years are typing slips (and would overflow the grid's arithmetic).
            if FIRST_YEAR <= day.year <= LAST_YEAR:
                return day
    return timezone.localdate()


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _span(view: str, day: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(first shown, last shown, previous period's day, next period's day)."""
    if view == WEEK:
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6), first - dt.timedelta(days=7), first + dt.timedelta(days=7)
    month = day.replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    first = month - dt.timedelta(days=month.weekday())
    last_of_month = following - dt.timedelta(days=1)
    last = last_of_month + dt.timedelta(days=6 - last_of_month.weekday())
    return first, last, previous, following


def entries_between(user: Any, first: dt.date, last: dt.date) -> list[CalendarEntry]:
    return entries_for(user, _local_midnight(first), _local_midnight(last + dt.timedelta(days=1)))


def calendar_page(user: Any, *, view: str, day: dt.date) -> dict[str, Any]:
    """What the calendar page shows: weeks of days (month) or one week, and the agenda of the same."""
    view = view if view in (MONTH, WEEK) else MONTH
    first, last, previous, following = _span(view, day)
    entries = entries_between(user, first, last)
    by_day: dict[dt.date, list[CalendarEntry]] = {}
    for entry in entries:
        # A timed entry sits on the day it starts (bookings never span days; meetings neither).
        by_day.setdefault(entry.local_day, []).append(entry)
    today = timezone.localdate()
    days = []
    current = first
    while current <= last:
        in_period = current.month == day.month if view == MONTH else True
        days.append(Day(current, by_day.get(current, []), in_period, current == today))
        current += dt.timedelta(days=1)
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    agenda = [d for d in days if d.entries and d.in_period]
    return {
        "view": view,
        "day": day,
        "first": first,
        "last": last,
        "previous": previous,
        "following": following,
        "weeks": weeks,
        "agenda": agenda,
        "count": sum(len(d.entries) for d in agenda),
        "weekday_names": WEEKDAYS,
    }


def export_entries(user: Any) -> list[CalendarEntry]:
    today = timezone.localdate()
    return entries_between(
        user, today - dt.timedelta(days=EXPORT_PAST_DAYS), today + dt.timedelta(days=EXPORT_FUTURE_DAYS)
    )


def live_feed(user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.visible_to(user).live().first()
