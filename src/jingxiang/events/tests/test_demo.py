"""The demo content loads quickly, deterministically, and gives every demo login something to do."""

from __future__ import annotations

import time

import pytest

from jingxiang.events import demo as events_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_event_is_published_validated_and_under_way(monkeypatch):
    from jingxiang.core.demo import load_demo
    from jingxiang.events.models import Event, FollowUp, Meeting, Participant, RunStatus

    timings: list[float] = []
    original = events_demo.load

    def timed(context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        original(context)
        timings.append(time.perf_counter() - started)

    monkeypatch.setattr(events_demo, "load", timed)
    context = load_demo()
    # A guard against a runaway solver in `make demo`, not a speed figure (those live in bench/): the
    # machine is shared, so the bound is generous.
    assert timings and timings[0] < 60
    today = Event.objects.get(title="2026 杜桥眼镜产业需求对接会")
    assert today.status == "published"
    run = today.runs.get()
    assert run.status == RunStatus.PUBLISHED and run.violations == []
    assert run.scheduled_count > 10
    kangbo = Participant.objects.get(event=today, organisation__name="临海市康波眼镜有限公司")
    expert = Participant.objects.get(event=today, talent__user=context.users["expert"])
    assert Meeting.objects.filter(requester=kangbo, recipient=expert, slot__isnull=False).exists()
    assert FollowUp.objects.filter(event=today).exists()
    fair = Event.objects.get(title__startswith="台州(杜桥)国际眼镜展")
    assert fair.status == "open"
    assert not Participant.objects.filter(event=fair, organisation__name="临海市康波眼镜有限公司").exists()
