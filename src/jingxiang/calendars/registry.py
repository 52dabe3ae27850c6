"""The calendar registry: each app contributes what a person has on their calendar.

A provider is a function ``(user, start, end) -> list[CalendarEntry]`` for the half-open local interval
``[start, end)``. It returns only the person's own entries (what they attend, arrange or must meet), read
through its app's ``visible_to`` rules, in a fixed number of queries. Apps register providers in their
``AppConfig.ready`` with :func:`register_provider`; the calendars app registers those of the apps that
were written before it (``calendars.providers``).

An entry carries no more about other people than it needs: a booking names the host firm to the talent
and the talent to the firm, never phone numbers or wages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    """A kind of entry: its label (a word, never colour alone) and its tone (the badge colour)."""

    key: str
    label: str | Promise
    tone: str = "grey"  # ok / waiting / bad / grey / brand


@dataclass(frozen=True)
class CalendarEntry:
    """One thing on a person's calendar.

    ``uid`` is stable for the same record (the ``.ics`` UID, so phones update rather than duplicate);
    ``starts``/``ends`` are aware datetimes, or dates with ``all_day`` (a deadline: ``ends`` is the day).
    """

    uid: str
    kind: Kind
    title: str
    starts: dt.datetime | dt.date
    ends: dt.datetime | dt.date
    all_day: bool = False
    url: str = ""
    location: str = ""
    description: str = ""

    @property
    def local_day(self) -> dt.date:
        if isinstance(self.starts, dt.datetime):
            return timezone.localtime(self.starts).date()
        return self.starts

    @property
    def sort_key(self) -> tuple[dt.date, int, str, str]:
        if isinstance(self.starts, dt.datetime):
            return (self.local_day, 1, timezone.localtime(self.starts).strftime("%H:%M"), self.uid)
        return (self.starts, 0, "", self.uid)

    @property
    def time_text(self) -> str:
        """``09:00–11:00`` for a timed entry, empty for an all-day one."""
        if not isinstance(self.starts, dt.datetime) or not isinstance(self.ends, dt.datetime):
            return ""
        return f"{timezone.localtime(self.starts):%H:%M}–{timezone.localtime(self.ends):%H:%M}"


Provider = Callable[[Any, dt.datetime, dt.datetime], list[CalendarEntry]]
ActionProvider = Callable[[Any], list[tuple[str, str]]]


@dataclass
class _Registry:
    providers: dict[str, Provider] = field(default_factory=dict)
    actions: dict[str, ActionProvider] = field(default_factory=dict)


_registry = _Registry()


def register_provider(key: str, provider: Provider) -> None:
    """Add (or replace, by ``key``) an app's provider of calendar entries."""
    _registry.providers[key] = provider


def register_actions(key: str, provider: ActionProvider) -> None:
    """Add links the calendar page offers the user, ``[(label, url)]`` (e.g. "book a shared talent")."""
    _registry.actions[key] = provider


def provider_keys() -> list[str]:
    return list(_registry.providers)


def entries_for(user: Any, start: dt.datetime, end: dt.datetime) -> list[CalendarEntry]:
    """Everything on the user's calendar in ``[start, end)``, in time order (all-day entries first)."""
    if not getattr(user, "is_authenticated", False):
        return []
    entries: list[CalendarEntry] = []
    for provider in _registry.providers.values():
        entries.extend(provider(user, start, end))
    return sorted(entries, key=lambda entry: entry.sort_key)


def actions_for(user: Any) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    for provider in _registry.actions.values():
        links.extend(provider(user))
    return links
