"""What people find of the alliance app: pickers for organisations and for the records outputs link to,
and alliances in the global search."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from jingxiang.alliance.outputs import LINK_KINDS, LinkKind
from jingxiang.core.pickers import PickerSource, register_source
from jingxiang.core.search import SearchKind, register_search_kind


def organisation_choices(user: Any) -> QuerySet[Any] | None:
    """Approved organisations of every kind, for those who run an alliance (members, parties)."""
    from jingxiang.alliance.permissions import may_create_alliance
    from jingxiang.organisations.models import Organisation

    if not may_create_alliance(user):
        return None
    return Organisation.objects.approved()


def _record_source(kind: LinkKind) -> PickerSource:
    def rows(user: Any) -> QuerySet[Any] | None:
        if not getattr(user, "is_authenticated", False):
            return None
        return kind.candidates(user)

    return PickerSource(f"alliance.{kind.key}", rows, label=kind.title, match=kind.match)


def register_search() -> None:
    from jingxiang.alliance.models import Alliance
    from jingxiang.organisations.search import organisation_detail

    register_source(
        PickerSource(
            "alliance.organisations",
            organisation_choices,
            label=lambda organisation: organisation.name,
            detail=organisation_detail,
        )
    )
    for kind in LINK_KINDS.values():
        register_source(_record_source(kind))
    register_search_kind(
        SearchKind(
            key="alliance.alliance",
            label=pgettext_lazy("搜索结果分组", "联盟"),
            model=Alliance,
            visible=lambda user: Alliance.objects.visible_to(user),
            url=lambda alliance: reverse("alliance:detail", args=[alliance.pk]),
            title=lambda alliance: alliance.name,
            fields=("name", "short_name"),
            order=80,
        )
    )
