"""The parks demo loads through the services."""

from __future__ import annotations

import pytest

from jingxiang.parks import selectors
from jingxiang.parks.models import Lease, Site, Stage


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_loads_the_parks(monkeypatch):
    from jingxiang.core import demo as core_demo

    class OnlyParks:
        @staticmethod
        def get_app_configs():
            from django.apps import apps

            return [config for config in apps.get_app_configs() if config.name == "jingxiang.parks"]

    monkeypatch.setattr(core_demo, "apps", OnlyParks)
    context = core_demo.load_demo()
    city = Site.objects.get(name="中国·杜桥眼镜城")
    assert selectors.occupancy(city)["leased"] == 5
    assert Lease.objects.count() == 6
    park = Site.objects.get(name="杜桥小微眼镜创业园")
    assert park.incubations.get().stage == Stage.INCUBATING
    assert "park_manager" in context.users
