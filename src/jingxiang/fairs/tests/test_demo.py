"""The fairs demo loads through the services (with the events app's scheduler)."""

from __future__ import annotations

import pytest

from jingxiang.events.models import Meeting
from jingxiang.fairs.models import Booth, Buyer, ExhibitorApplication, Fair, Lead


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_loads_the_fairs(monkeypatch):
    from jingxiang.core import demo as core_demo

    class OnlyFairs:
        @staticmethod
        def get_app_configs():
            from django.apps import apps

            return [config for config in apps.get_app_configs() if config.name == "jingxiang.fairs"]

    monkeypatch.setattr(core_demo, "apps", OnlyFairs)
    context = core_demo.load_demo()
    fair = Fair.objects.get(code="TZ2027")
    assert fair.halls.count() == 2 and Booth.objects.filter(fair=fair).count() == 29
    assert ExhibitorApplication.objects.filter(fair=fair, status="allocated").count() >= 8
    kangbo = ExhibitorApplication.objects.get(fair=fair, organisation__name="临海市康波眼镜有限公司")
    assert kangbo.booth.code == "1A05"
    assert Buyer.objects.filter(fair=fair).count() == 11
    assert Meeting.objects.filter(event=fair.event, slot__isnull=False, announced=True).exists()
    assert Lead.objects.filter(application=kangbo).count() == 3
    assert "fair_buyer" in context.users
    # One walk-in buyer's personal link is printed, and she has asked 康波 for a meeting through it.
    from jingxiang.fairs.models import BuyerLink

    printed = [n for n in context.notes if "/fairs/my/" in n]
    assert len(printed) == 1
    link = BuyerLink.objects.get(token=printed[0].rsplit("/fairs/my/", 1)[1].strip("/"))
    assert link.revoked_at is None and link.buyer.user_id is None
    assert Meeting.objects.filter(
        requester_id=link.buyer.participant_id, recipient=kangbo.participant
    ).exists()
