"""Reads of talent profiles that are more than one queryset filter."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import FIRM_MANAGERS, approved_organisation_ids, is_operator
from jingxiang.talents.models import Talent, TalentSkill


def directory(user: Any) -> QuerySet[Talent]:
    """The talents the user may see, with their organisation and skills (strongest first) in two queries."""
    return (
        Talent.objects.visible_to(user)
        .select_related("home_organisation")
        .prefetch_related(
            Prefetch("talent_skills", queryset=TalentSkill.objects.select_related("skill").order_by("-level"))
        )
    )


def home_organisations_for(user: Any) -> QuerySet[Organisation]:
    """The organisations the user may add talents for (the form's choices): any approved one for operators,
    else their own."""
    if is_operator(user):
        return Organisation.objects.approved()
    return Organisation.objects.filter(pk__in=approved_organisation_ids(user, *FIRM_MANAGERS))
