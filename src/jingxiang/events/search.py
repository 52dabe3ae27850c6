"""What people find of the events app in the global search: matchmaking events (对接会)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import pgettext_lazy

from jingxiang.core.search import SearchKind, register_search_kind
from jingxiang.events.models import Event


def _detail(event: Event) -> str:
    parts = [formats.date_format(event.event_date, "DATE_FORMAT"), event.venue, event.get_status_display()]
    return " · ".join(part for part in parts if part)


def register_search() -> None:
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
