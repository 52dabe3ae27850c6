"""Who sees which figures: the cluster's whole for operators and the union, a firm its own contribution.

Default deny: a user who is neither sees only the open-data page (public indicators). Drill-down rows
show only each source's non-confidential columns; a row links to its record only where the owning
app's ``visible_to`` lets the viewer open it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jingxiang.insights.definitions import Indicator, get_indicator
from jingxiang.insights.selectors import Scope
from jingxiang.organisations.permissions import is_operator, is_union_staff, managed_firm_ids


def may_manage(user: Any) -> bool:
    """Freeze and recompute months, set targets, generate reports: platform operators."""
    return is_operator(user)


def sees_cluster(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (is_operator(user) or is_union_staff(user))


def own_firm_ids(user: Any) -> frozenset[int]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(managed_firm_ids(user))


def uses_insights(user: Any) -> bool:
    return sees_cluster(user) or bool(own_firm_ids(user))


def viewer_scope(user: Any, *, region: str = "", size: str = "") -> Scope | None:
    """The records a user's figures count (None: the user sees no dashboard)."""
    if sees_cluster(user):
        return Scope(region=region, size=size)
    firms = own_firm_ids(user)
    if firms:
        return Scope(organisation_ids=firms, region=region, size=size)
    return None


def access_indicator(user: Any, code: str) -> Indicator:
    """An indicator the user may see figures of; unknown codes and refusals are both a 404."""
    indicator = get_indicator(code)
    if indicator is None or (not indicator.public and not uses_insights(user)):
        raise Http404(code)
    return indicator
