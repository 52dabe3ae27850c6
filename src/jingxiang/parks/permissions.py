"""Who may see and act on park records. Default deny; "not found" and "forbidden" both 404.

Park managers are :class:`ParkManager` rows (organisation roles are not changed); tenants act through
their firm managers; operators see every site.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jingxiang.organisations.permissions import is_operator
from jingxiang.parks.models import ParkManager, Site


def managed_site_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached: set[int] | None = getattr(user, "_parks_site_ids", None)
    if cached is not None:
        return cached
    ids = set(ParkManager.objects.filter(user=user, active=True).values_list("site_id", flat=True))
    user._parks_site_ids = ids
    return ids


def is_park_manager(user: Any) -> bool:
    return bool(managed_site_ids(user))


def may_manage_site(user: Any, site_id: int) -> bool:
    return site_id in managed_site_ids(user) or is_operator(user)


def access_site(user: Any, pk: int, *, write: bool = False) -> Site:
    """Sites are managed by their park managers and the operators; nobody else opens them here."""
    site: Site | None = Site.objects.filter(pk=pk).first()
    if site is None or not may_manage_site(user, site.pk):
        raise Http404
    return site
