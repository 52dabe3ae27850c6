"""The demand board's demo content loads through the real services, fast, and the personas see it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_demo_loads_quickly_and_every_persona_has_something_to_do(monkeypatch: Any) -> None:
    from jingxiang.core import demo
    from jingxiang.demands.demo import load
    from jingxiang.demands.models import Challenge, ChallengeStatus, Demand, DemandStatus, MatchFeedback

    monkeypatch.setattr(demo.apps, "get_app_configs", lambda: [])
    context = demo.load_demo()
    started = time.monotonic()
    load(context)
    # A guard against a runaway demo load, not a speed figure (those live in bench/): the machine is shared.
    assert time.monotonic() - started < 60
    # Template loaders list the installed apps too: restore them before rendering anything.
    monkeypatch.undo()

    statuses = sorted(Demand.objects.values_list("status", flat=True))
    assert statuses.count(DemandStatus.SCREENING) == 2
    assert {DemandStatus.IN_TALKS, DemandStatus.CLOSED, DemandStatus.DRAFT, DemandStatus.MATCHED} <= set(
        statuses
    )
    flagged = Demand.objects.get(title="板材架抛光后表面有白雾")
    assert flagged.duplicate_of is not None and flagged.duplicate_of.title == "板材架抛光后有白雾"
    assert MatchFeedback.objects.filter(kind="rated", rating=5).exists()
    challenge = Challenge.objects.get()
    assert challenge.status == ChallengeStatus.REVIEWING and challenge.applications.count() == 2

    def page(username: str, url: str) -> str:
        client = Client()
        client.force_login(context.users[username])
        response = client.get(url)
        assert response.status_code == 200, (username, url)
        return response.content.decode()

    coating = Demand.objects.get(title="镜片戴一段时间膜层起皱脱落")
    assert "周敏华" in page("firm_admin", f"/demands/{coating.pk}/")
    assert "镜片戴一段时间膜层起皱脱落" in page("expert", "/demands/for-me/")
    assert "待审核" in page("operator", "/demands/board/?status=screening")
    assert "加权得分" in page("operator", f"/demands/challenges/{challenge.pk}/")
    assert "近视防控离焦镜片光学设计攻关" in Client().get("/demands/challenges/").content.decode()
