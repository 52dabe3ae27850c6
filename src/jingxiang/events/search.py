"""What people find of the events app in the global search: matchmaking events (对接会)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats
from django.utils.translation import pgettext_lazy

from jingxiang.core.pickers import PickerSource, register_source
from jingxiang.core.search import SearchKind, register_search_kind
from jingxiang.events.models import Event, FollowUpKind


def _detail(event: Event) -> str:
    parts = [formats.date_format(event.event_date, "DATE_FORMAT"), event.venue, event.get_status_display()]
    return " · ".join(part for part in parts if part)


def operator_organisations(user: Any) -> QuerySet | None:
    """Approved firms and institutions an operator may register on their behalf."""
    from jingxiang.events.permissions import INSTITUTION_KINDS
    from jingxiang.organisations.models import Organisation, OrganisationKind
    from jingxiang.organisations.permissions import is_operator

    if not is_operator(user):
        return None
    return Organisation.objects.filter(
        status="approved", archived_at__isnull=True, kind__in=[OrganisationKind.FIRM, *INSTITUTION_KINDS]
    ).order_by("name")


def operator_talents(user: Any) -> QuerySet | None:
    """Talents (experts) an operator may register on their behalf."""
    from jingxiang.organisations.permissions import is_operator
    from jingxiang.talents.models import Talent

    if not is_operator(user):
        return None
    return Talent.objects.filter(archived_at__isnull=True).order_by("name")


def _follow_up_source(kind: str) -> PickerSource:
    from jingxiang.events.targets import match_targets, target_choices, target_label

    return PickerSource(
        f"events.follow_up.{kind}",
        lambda user: target_choices(kind, user),
        label=target_label,
        match=match_targets(kind),
    )


def register_search() -> None:
    register_source(
        PickerSource(
            "events.organisations",
            operator_organisations,
            label=lambda organisation: organisation.name,
            detail=lambda organisation: organisation.get_kind_display(),
        )
    )
    register_source(
        PickerSource(
            "events.talents",
            operator_talents,
            label=lambda talent: talent.name,
            detail=lambda talent: getattr(talent, "title", "") or "",
        )
    )
    for kind in FollowUpKind.values:
        register_source(_follow_up_source(kind))
    register_search_kind(
        SearchKind(
            key="events.event",
            label=pgettext_lazy("搜索结果分组", "对接会"),
            model=Event,
            visible=lambda user: Event.objects.visible_to(user),
            url=lambda event: reverse("events:detail", args=[event.pk]),
            detail=_detail,
            fields=("title", "venue"),
            indexed=lambda event: (event.title, event.venue),
            index_fields=("title", "venue"),
            order=20,
        )
    )
