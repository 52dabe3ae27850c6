"""The competition's picker sources: the platform's experts an organiser may appoint as judges, and the
logins an operator may appoint to an edition's organising committee (thousands of each: a type-ahead,
never a select of every row)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from jingxiang.competition.permissions import is_organiser
from jingxiang.core.pickers import PickerSource, register_source
from jingxiang.organisations.permissions import is_operator
from jingxiang.talents.models import Talent


def judge_choices(user: Any) -> QuerySet[Talent] | None:
    """Experts with a login (a judge scores on their phone), for organisers and operators only."""
    if not is_organiser(user):
        return None
    return Talent.objects.active().filter(user__isnull=False, user__is_active=True)


def organiser_choices(user: Any) -> QuerySet[Any] | None:
    """Active logins, for operators only (they appoint the committee)."""
    if not is_operator(user):
        return None
    return get_user_model().objects.filter(is_active=True)


def match_users(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    typed = query.strip()
    if not typed:
        return queryset.order_by("display_name", "username")
    return queryset.filter(Q(display_name__icontains=typed) | Q(username__icontains=typed)).order_by(
        "display_name", "username"
    )


def register_search() -> None:
    register_source(
        PickerSource(
            "competition.judges",
            judge_choices,
            label=lambda talent: talent.name,
            detail=lambda talent: talent.home_organisation.name if talent.home_organisation_id else "",
            select_related=("home_organisation",),
        )
    )
    register_source(
        PickerSource(
            "competition.organisers",
            organiser_choices,
            label=lambda user: user.display_name or user.username,
            detail=lambda user: user.username,
            match=match_users,
        )
    )
