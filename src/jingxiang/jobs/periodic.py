"""Work that is due by the calendar: reminders, overdue sweeps, the monthly report.

Apps state each such duty once in their ``AppConfig.ready``::

    register_periodic(Periodic("alliance.obligation_reminders", every="daily", run=send_obligation_reminders))

``run`` gets the date the duty is due for and does (or enqueues, for long work) what that day needs; it
must be idempotent for its date, because a crash after the work but before the run is recorded repeats
it. ``run_due_periodic`` runs every duty that is due and not yet done: it is called by the worker's
maintenance pass and by ``manage.py jobs_periodic`` (for cron or a systemd timer, every 15 minutes in
production). A duty missed for several days (the platform was down) runs once, for the latest due
date: reminders look at what is due *now*, so catching up day by day would only repeat messages.

Each run is a ``PeriodicRun`` row (unique per duty and date), so two workers never run one duty twice
for the same date, and the admin shows when each duty last ran and how it ended.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

Every = Literal["daily", "monthly"]


@dataclass(frozen=True)
class Periodic:
    """A duty due every day (from ``hour`` local time) or on the first day of each month."""

    key: str
    every: Every
    run: Callable[[dt.date], object]
    hour: int = 6

    def due_on(self, now: dt.datetime) -> dt.date | None:
        """The latest date this duty is due for at ``now`` (None before its first hour today/this month)."""
        local = timezone.localtime(now)
        today = local.date()
        if self.every == "daily":
            return today if local.hour >= self.hour else today - dt.timedelta(days=1)
        first = today.replace(day=1)
        if today == first and local.hour < self.hour:
            previous = first - dt.timedelta(days=1)
            return previous.replace(day=1)
        return first


_REGISTRY: dict[str, Periodic] = {}


def register_periodic(duty: Periodic) -> Periodic:
    if duty.every not in ("daily", "monthly"):
        raise ValueError(f"periodic duty {duty.key}: every must be 'daily' or 'monthly'")
    if not 0 <= duty.hour <= 23:
        raise ValueError(f"periodic duty {duty.key}: hour must be 0–23")
    _REGISTRY[duty.key] = duty
    return duty


def registered_periodic() -> dict[str, Periodic]:
    return dict(_REGISTRY)


def run_due_periodic(
    *, now: dt.datetime | None = None, keys: list[str] | None = None
) -> list[tuple[str, dt.date]]:
    """Run every registered duty that is due and has no run for its date; return what ran."""
    from jingxiang.jobs.models import PeriodicRun

    now = now or timezone.now()
    ran: list[tuple[str, dt.date]] = []
    for key, duty in sorted(_REGISTRY.items()):
        if keys is not None and key not in keys:
            continue
        due = duty.due_on(now)
        if due is None or PeriodicRun.objects.filter(key=key, due_on=due).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(key=key, due_on=due)
        except IntegrityError:  # another worker claimed it first
            continue
        try:
            with transaction.atomic():
                duty.run(due)
        except Exception as error:  # one failing duty must not stop the others
            logger.exception("periodic duty %s for %s failed", key, due)
            PeriodicRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), error=str(error)[:500])
            continue
        PeriodicRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
        ran.append((key, due))
    return ran
