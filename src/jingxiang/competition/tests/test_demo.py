"""The competition demo loads through the services: a finished preliminary and an open semi-final."""

from __future__ import annotations

import pytest

from jingxiang.competition.models import Edition, StageEntry, StageKind


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_loads_the_competition(monkeypatch):
    from jingxiang.core import demo as core_demo

    class Only:
        @staticmethod
        def get_app_configs():
            from django.apps import apps

            return [c for c in apps.get_app_configs() if c.name == "jingxiang.competition"]

    monkeypatch.setattr(core_demo, "apps", Only)
    context = core_demo.load_demo()
    edition = Edition.objects.get()
    prelim = edition.stages.get(kind=StageKind.PRELIMINARY)
    assert prelim.decided_at is not None and prelim.round.is_closed()
    assert StageEntry.objects.filter(stage=prelim, advanced=True).count() == 6
    semi = edition.stages.get(kind=StageKind.SEMIFINAL)
    assert semi.round is not None and StageEntry.objects.filter(stage=semi).count() == 6
    assert "contest_organiser" in context.users
