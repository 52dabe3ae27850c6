"""Reads of the parks: occupancy per site (each figure the count of the units listed under it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count
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
    return occupancy_by_site([site], day)[site.pk]


def occupancy_by_site(sites: list[Site], day: dt.date | None = None) -> dict[int, dict[str, Any]]:
    """The occupancy figures of several sites in three queries, whatever the number of sites."""
    day = day or timezone.localdate()
    ids = [site.pk for site in sites]
    units: dict[int, list[Unit]] = {pk: [] for pk in ids}
    for unit in Unit.objects.filter(building__site__in=ids).select_related("building"):
        units[unit.building.site_id].append(unit)
    current = {lease.unit_id: lease for lease in Lease.objects.on(day).filter(unit__building__site__in=ids)}
    stages: dict[tuple[int, str], int] = {
        (row["site_id"], row["stage"]): row["n"]
        for row in Incubation.objects.filter(site__in=ids, stage__in=[Stage.INCUBATING, Stage.GRADUATED])
        .values("site_id", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    }
    figures = {}
    for pk in ids:
        rows = [(unit, current.get(unit.pk)) for unit in units[pk]]
        leased = [unit for unit, lease in rows if lease is not None]
        area = sum((unit.area for unit, _lease in rows), ZERO)
        leased_area = sum((unit.area for unit in leased), ZERO)
        tenants = {lease.tenant_id for _unit, lease in rows if lease is not None}
        figures[pk] = {
            "units": len(rows),
            "leased": len(leased),
            "vacant": len(rows) - len(leased),
            "area": area,
            "leased_area": leased_area,
            "rate": (leased_area * 100 / area).quantize(Decimal("0.1")) if area else ZERO,
            "tenants": len(tenants),
            "incubating": stages.get((pk, Stage.INCUBATING), 0),
            "graduated": stages.get((pk, Stage.GRADUATED), 0),
        }
    return figures
