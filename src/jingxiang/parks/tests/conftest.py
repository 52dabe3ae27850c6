"""Park fixtures: the 小微眼镜创业园 with a park manager login and two units."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from jingxiang.parks import services
from jingxiang.parks.models import ParkManager, Site, SiteKind
from jingxiang.testing.factories import UserFactory


@dataclass
class Park:
    site: Any
    manager: Any
    a101: Any
    a102: Any


@pytest.fixture
def park(cast: Any) -> Park:
    site = Site.objects.create(
        name="杜桥小微眼镜创业园", kind=SiteKind.STARTUP_PARK, address="杜桥镇园区路 8 号"
    )
    manager = UserFactory(username="park_manager")
    ParkManager.objects.create(site=site, user=manager)
    a101 = services.unit_add(
        actor=manager,
        site=site,
        building="A 幢",
        code="101",
        floor=1,
        area=Decimal("120"),
        monthly_rent=Decimal("3600"),
    )
    a102 = services.unit_add(
        actor=manager,
        site=site,
        building="A 幢",
        code="102",
        floor=1,
        area=Decimal("80"),
        monthly_rent=Decimal("2400"),
    )
    return Park(site, manager, a101, a102)
