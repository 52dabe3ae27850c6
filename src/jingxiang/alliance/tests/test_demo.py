"""The demo alliance loads through the services, quickly, with figures that come from records."""

from __future__ import annotations

import time

import pytest

from jingxiang.alliance import demo as alliance_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_alliance(monkeypatch, client):
    from django.utils import timezone

    from jingxiang.alliance import selectors
    from jingxiang.alliance.models import Agreement, Alliance, Member, Obligation, Output
    from jingxiang.core.demo import load_demo

    timings: list[float] = []
    original = alliance_demo.load

    def timed(context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        original(context)
        timings.append(time.perf_counter() - started)

    monkeypatch.setattr(alliance_demo, "load", timed)
    context = load_demo()
    # A guard against a runaway load on a shared machine, not a speed figure.
    assert timings and timings[0] < 30
    alliance = Alliance.objects.get(name="台州眼镜产业创新联盟")
    assert Member.objects.current().filter(alliance=alliance).count() == 10
    assert alliance.domains.count() == 5
    assert Agreement.objects.filter(alliance=alliance).count() == 5
    assert Obligation.objects.filter(agreement__alliance=alliance).count() == 10
    assert Output.objects.filter(alliance=alliance).exists()
    assert Alliance.objects.filter(kind="reform").count() == 3
    board = selectors.dashboard(alliance, timezone.localdate().year)
    assert sum(f.value for f in board.by_kind) == Output.objects.filter(alliance=alliance).count()
    client.force_login(context.users["secretariat"])
    assert client.get(f"/alliance/{alliance.pk}/dashboard/").status_code == 200
    client.force_login(context.users["firm_admin"])
    assert client.get(f"/alliance/{alliance.pk}/").status_code == 200
