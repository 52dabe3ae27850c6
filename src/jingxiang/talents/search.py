"""What people find of the talents app: talents in the global search; talents, skills and home
organisations in pickers."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from jingxiang.core.pickers import PickerSource, register_source
from jingxiang.core.search import SearchKind, register_search_kind, search_key, searchable_text
from jingxiang.talents.models import Skill, Talent


def talent_label(talent: Talent) -> str:
    """A talent as pickers show it: the name and the kind tell namesakes apart."""
    return f"{talent.name}({talent.get_kind_display()})"


def talent_detail(talent: Talent) -> str:
    parts = [talent.title, talent.level]
    if talent.home_organisation is not None:
        parts.append(talent.home_organisation.name)
    return " · ".join(part for part in parts if part)


@lru_cache(maxsize=4096)
def _skill_keys(name_zh: str, name_en: str, code: str, aliases: tuple[str, ...]) -> str:
    return searchable_text(name_zh, name_en, code.replace("-", ""), *aliases)


def match_skills(queryset: QuerySet[Skill], query: str) -> list[Skill]:
    """The taxonomy is small (under a hundred skills), so its pinyin keys are computed, not stored."""
    needle = search_key(query)
    rows = list(queryset)
    if not needle:
        return rows
    return [
        skill
        for skill in rows
        if needle
        in _skill_keys(skill.name_zh, skill.name_en, skill.code, tuple(map(str, skill.aliases or ())))
    ]


def skill_choices(user: Any) -> QuerySet[Any] | None:
    """The skills taxonomy is public to everyone signed in."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Skill.objects.filter(is_active=True).select_related("domain")


def _home_organisations(user: Any) -> QuerySet[Any] | None:
    from jingxiang.organisations.permissions import is_operator
    from jingxiang.talents.selectors import home_organisations_for

    choices = home_organisations_for(user)
    return choices if is_operator(user) or choices.exists() else None


def register_search() -> None:
    register_search_kind(
        SearchKind(
            key="talents.talent",
            label=pgettext_lazy("搜索结果分组", "人才"),
            model=Talent,
            visible=lambda user: Talent.objects.visible_to(user),
            url=lambda talent: reverse("talents:detail", args=[talent.pk]),
            title=lambda talent: talent.name,
            detail=talent_detail,
            fields=("name",),
            key_fields=("search_text",),
            select_related=("home_organisation",),
            order=80,
        )
    )
    register_source(
        PickerSource(
            "talents.skills",
            skill_choices,
            label=lambda skill: skill.name,
            detail=lambda skill: skill.domain.name,
            match=match_skills,
            select_related=("domain",),
        )
    )
    register_source(
        PickerSource(
            "talents.home_organisations",
            _home_organisations,
            label=lambda organisation: organisation.name,
            detail=lambda organisation: organisation.get_kind_display(),
        )
    )
