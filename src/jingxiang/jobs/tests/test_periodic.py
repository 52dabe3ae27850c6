"""Calendar duties: due by date and hour, run once per date whoever calls, a failure recorded, not spread."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from jingxiang.jobs import periodic
from jingxiang.jobs.models import PeriodicRun
from jingxiang.jobs.periodic import Periodic, register_periodic, run_due_periodic

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def duties(monkeypatch):
    monkeypatch.setattr(periodic, "_REGISTRY", {})
    calls: list[tuple[str, dt.date]] = []

    def recorder(key):
        return lambda due: calls.append((key, due))

    register_periodic(Periodic("test.daily", every="daily", run=recorder("daily"), hour=6))
    register_periodic(Periodic("test.monthly", every="monthly", run=recorder("monthly"), hour=1))
    return calls


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_due_dates_follow_the_local_hour():
    daily = Periodic("d", every="daily", run=print, hour=6)
    assert daily.due_on(at(2026, 3, 10, 5, 59)) == dt.date(2026, 3, 9)
    assert daily.due_on(at(2026, 3, 10, 6, 0)) == dt.date(2026, 3, 10)
    monthly = Periodic("m", every="monthly", run=print, hour=1)
    assert monthly.due_on(at(2026, 3, 1, 0, 30)) == dt.date(2026, 2, 1)
    assert monthly.due_on(at(2026, 3, 1, 1, 0)) == dt.date(2026, 3, 1)
    assert monthly.due_on(at(2026, 3, 17, 0, 0)) == dt.date(2026, 3, 1)
    with pytest.raises(ValueError):
        register_periodic(Periodic("bad", every="weekly", run=print))  # type: ignore[arg-type]


def test_each_duty_runs_once_per_date(duties):
    now = at(2026, 3, 10, 8, 0)
    assert run_due_periodic(now=now) == [
        ("test.daily", dt.date(2026, 3, 10)),
        ("test.monthly", dt.date(2026, 3, 1)),
    ]
    assert run_due_periodic(now=now) == []
    assert run_due_periodic(now=at(2026, 3, 11, 7, 0)) == [("test.daily", dt.date(2026, 3, 11))]
    assert duties == [
        ("daily", dt.date(2026, 3, 10)),
        ("monthly", dt.date(2026, 3, 1)),
        ("daily", dt.date(2026, 3, 11)),
    ]
    assert PeriodicRun.objects.filter(finished_at__isnull=False).count() == 3


def test_a_failing_duty_is_recorded_and_the_others_still_run(monkeypatch):
    monkeypatch.setattr(periodic, "_REGISTRY", {})
    done = []

    def broken(due):
        raise RuntimeError("mail server gone")

    register_periodic(Periodic("a.broken", every="daily", run=broken, hour=0))
    register_periodic(Periodic("b.fine", every="daily", run=done.append, hour=0))
    ran = run_due_periodic(now=at(2026, 3, 10, 9, 0))
    assert ran == [("b.fine", dt.date(2026, 3, 10))]
    failed = PeriodicRun.objects.get(key="a.broken")
    assert "mail server gone" in failed.error and failed.finished_at is not None
    # The failure is not retried for the same date: an operator sees it in the admin.
    assert run_due_periodic(now=at(2026, 3, 10, 10, 0)) == []


def test_command_runs_named_duties_and_refuses_unknown_ones(duties, capsys):
    call_command("jobs_periodic", "test.daily")
    assert [key for key, _ in duties] == ["daily"]
    with pytest.raises(SystemExit):
        call_command("jobs_periodic", "test.nope")
