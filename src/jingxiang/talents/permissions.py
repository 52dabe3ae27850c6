"""Who may see, change and reveal talent profiles."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jingxiang.organisations.permissions import FIRM_MANAGERS, approved_organisation_ids, is_operator
from jingxiang.talents.models import Talent


def has_talent_profile(user: Any) -> bool:
    """Whether the user is linked to an active talent profile (experts who log in)."""
    from jingxiang.organisations.models import _has_talent_profile

    # Cached per request on the user: menus of several apps ask this on every page.
    return bool(getattr(user, "is_authenticated", False)) and _has_talent_profile(user)


def may_edit(user: Any, talent: Talent) -> bool:
    """Operators, the talent themself, and admins of the talent's home organisation."""
    if is_operator(user):
        return True
    if talent.user_id is not None and talent.user_id == getattr(user, "pk", None):
        return True
    return talent.home_organisation_id in approved_organisation_ids(user, *FIRM_MANAGERS)


def may_create_for(user: Any, organisation_id: int | None) -> bool:
    """Operators create talents anywhere; admins and shared-talent officers only for their own organisation."""
    if is_operator(user):
        return True
    return organisation_id is not None and organisation_id in approved_organisation_ids(user, *FIRM_MANAGERS)


def may_create_any(user: Any) -> bool:
    """Whether the user may add talents at all (the "add" button of the directory)."""
    return is_operator(user) or bool(approved_organisation_ids(user, *FIRM_MANAGERS))


def may_reveal_personal(user: Any, talent: Talent) -> bool:
    """Full mobile/ID numbers: operators, the person themself, and their home organisation's admins."""
    return may_edit(user, talent)


def access_talent(user: Any, pk: int, *, write: bool = False) -> Talent:
    """The talent if the user may see it (or change it, with ``write``); 404 otherwise."""
    talent: Talent | None = (
        Talent.objects.visible_to(user).select_related("home_organisation", "user").filter(pk=pk).first()
    )
    if talent is None or (write and not may_edit(user, talent)):
        raise Http404
    return talent
