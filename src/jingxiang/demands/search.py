"""What people find of the demands app in the global search: demands and challenges (揭榜挂帅)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import pgettext_lazy

from jingxiang.core.search import SearchKind, register_search_kind
from jingxiang.core.templatetags.jx import money
from jingxiang.demands.models import Challenge, Demand


def _challenge_detail(challenge: Challenge) -> str:
    deadline = formats.date_format(challenge.deadline, "DATE_FORMAT")
    return f"{money(challenge.award_amount)} · {challenge.get_status_display()} · {deadline}"


def register_search() -> None:
    register_search_kind(
        SearchKind(
            key="demands.demand",
            label=pgettext_lazy("搜索结果分组", "需求"),
            model=Demand,
            visible=lambda user: Demand.objects.visible_to(user),
            url=lambda demand: reverse("demands:detail", args=[demand.pk]),
            detail=lambda demand: f"{demand.organisation.name} · {demand.get_status_display()}",
            fields=("title",),
            key_fields=("organisation__search_text",),
            # The number (XQ2026…) is derived from the row, so it is matched through the index.
            indexed=lambda demand: (demand.title, demand.number),
            index_fields=("title",),
            select_related=("organisation",),
            order=10,
        )
    )
    register_search_kind(
        SearchKind(
            key="demands.challenge",
            label=pgettext_lazy("搜索结果分组", "揭榜挂帅榜单"),
            model=Challenge,
            visible=lambda user: Challenge.objects.visible_to(user),
            url=lambda challenge: reverse("demands:challenge_detail", args=[challenge.pk]),
            detail=_challenge_detail,
            fields=("title",),
            indexed=lambda challenge: (challenge.title,),
            index_fields=("title",),
            order=12,
        )
    )
