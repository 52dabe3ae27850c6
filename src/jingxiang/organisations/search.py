"""What people find of the organisations app: organisations in the global search, firms in pickers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from jingxiang.core.pickers import PickerSource, register_source
from jingxiang.core.search import SearchKind, register_search_kind
from jingxiang.organisations.models import Organisation


def firm_choices(user: Any) -> QuerySet[Organisation] | None:
    """Approved firms, for everyone who uses the directory (members of approved organisations and
    talents with a login); others may not pick firms at all."""
    from jingxiang.organisations.models import _has_talent_profile
    from jingxiang.organisations.permissions import is_approved_member, is_operator

    if not getattr(user, "is_authenticated", False):
        return None
    if not (is_operator(user) or is_approved_member(user) or _has_talent_profile(user)):
        return None
    return Organisation.objects.visible_to(user).approved().firms()


def organisation_detail(organisation: Organisation) -> str:
    return " · ".join(part for part in (organisation.get_kind_display(), organisation.region) if part)


def register_search() -> None:
    register_search_kind(
        SearchKind(
            key="organisations.organisation",
            label=pgettext_lazy("搜索结果分组", "机构"),
            model=Organisation,
            visible=lambda user: Organisation.objects.visible_to(user),
            url=lambda organisation: reverse("organisations:detail", args=[organisation.pk]),
            title=lambda organisation: organisation.name,
            detail=organisation_detail,
            fields=("name", "short_name"),
            key_fields=("search_text",),
            order=90,
        )
    )
    register_source(
        PickerSource(
            "organisations.firms",
            firm_choices,
            label=lambda organisation: organisation.name,
            detail=organisation_detail,
        )
    )
