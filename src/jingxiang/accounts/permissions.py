"""Who may invite a talent to take a login (the claim itself needs no login: the code is the proof)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jingxiang.organisations.permissions import FIRM_MANAGERS, approved_organisation_ids, is_operator
from jingxiang.talents.models import Talent
from jingxiang.talents.permissions import access_talent


def may_invite_login(user: Any, talent: Talent) -> bool:
    """Operators, and the admins and 共享人才官 of the talent's (approved) home organisation.

    An independent talent has no home organisation, so only operators can invite them.
    """
    if is_operator(user):
        return True
    return (
        talent.home_organisation_id is not None
        and talent.home_organisation_id in approved_organisation_ids(user, *FIRM_MANAGERS)
    )


def access_talent_for_invitation(user: Any, pk: int) -> Talent:
    """The talent if the user may see it and invite it to take a login; 404 otherwise."""
    talent = access_talent(user, pk)
    if not may_invite_login(user, talent):
        raise Http404
    return talent
