"""The demo content loads quickly through the services and shows the whole journey."""

from __future__ import annotations

import time

import pytest

from jingxiang.sharing.models import (
    Agreement,
    AgreementStatus,
    Outcome,
    SharingRequest,
    Statement,
    StatementStatus,
)


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_loads_the_sharing_journey(monkeypatch):
    from jingxiang.core import demo as core_demo
    from jingxiang.sharing import demo

    timings = {}
    original = demo.load

    def timed(context):
        started = time.perf_counter()
        original(context)
        timings["sharing"] = time.perf_counter() - started

    monkeypatch.setattr(demo, "load", timed)

    class OnlySharing:
        """Load the foundation and this app's demo only, so another app's demo cannot break this test."""

        @staticmethod
        def get_app_configs():
            from django.apps import apps

            return [config for config in apps.get_app_configs() if config.name == "jingxiang.sharing"]

    monkeypatch.setattr(core_demo, "apps", OnlySharing)
    context = core_demo.load_demo()
    # A guard against a runaway demo load, not a speed figure (those live in bench/): the machine is shared.
    assert timings["sharing"] < 60
    agreement = Agreement.objects.get(talent=context.users["expert"].talent)
    assert agreement.status == AgreementStatus.ACTIVE and agreement.home is None
    assert Statement.objects.filter(
        agreement=agreement, status=StatementStatus.ISSUED, subsidy__gt=0
    ).exists()
    assert Outcome.objects.filter(agreement=agreement).exclude(patent_number="").exists()
    assert SharingRequest.objects.open().filter(firm=context.organisations["kangbo"]).exists()
