"""Reads of the parks: occupancy per site (each figure the count of the units listed under it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jingxiang.parks.models import Incubation, Lease, Site, Stage, Unit

ZERO = Decimal("0")


def site_units(site: Site, day: dt.date | None = None) -> list[tuple[Unit, Lease | None]]:
    """Every unit of the site with the lease that covers ``day`` (at most one: leases never overlap)."""
    day = day or timezone.localdate()
    units = list(Unit.objects.filter(building__site=site).select_related("building"))
    current = {
        lease.unit_id: lease
        for lease in Lease.objects.on(day).filter(unit__building__site=site).select_related("tenant")
    }
    return [(unit, current.get(unit.pk)) for unit in units]


def occupancy(site: Site, day: dt.date | None = None) -> dict[str, Any]:
    rows = site_units(site, day)
    leased = [unit for unit, lease in rows if lease is not None]
    area = sum((unit.area for unit, _lease in rows), ZERO)
    leased_area = sum((unit.area for unit in leased), ZERO)
    tenants = {lease.tenant_id for _unit, lease in rows if lease is not None}
    return {
        "units": len(rows),
        "leased": len(leased),
        "vacant": len(rows) - len(leased),
        "area": area,
        "leased_area": leased_area,
        "rate": (leased_area * 100 / area).quantize(Decimal("0.1")) if area else ZERO,
        "tenants": len(tenants),
        "incubating": Incubation.objects.filter(site=site, stage=Stage.INCUBATING).count(),
        "graduated": Incubation.objects.filter(site=site, stage=Stage.GRADUATED).count(),
    }
