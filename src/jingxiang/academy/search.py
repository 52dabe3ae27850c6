"""What people find of the academy: courses and cohorts in the global search; trainers, trainees and
courses in pickers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats
from django.utils.translation import pgettext_lazy

from jingxiang.academy.models import Cohort, Course
from jingxiang.academy.permissions import is_academy_staff
from jingxiang.core.pickers import PickerSource, register_source
from jingxiang.core.search import SearchKind, matching, register_search_kind, search_kind
from jingxiang.organisations.permissions import managed_firm_ids
from jingxiang.talents.models import Talent, TalentKind
from jingxiang.talents.search import talent_detail, talent_label


def trainer_choices(user: Any) -> QuerySet[Any] | None:
    """Craftsmen and experts of the talent pool, for the academy staff who set up courses."""
    if not is_academy_staff(user):
        return None
    return Talent.objects.active().filter(kind__in=[TalentKind.CRAFTSMAN, TalentKind.EXPERT])


def talent_pool_choices(user: Any) -> QuerySet[Any] | None:
    """The whole talent pool, for the academy staff who enrol anyone (order cohorts, walk-ins)."""
    if not is_academy_staff(user):
        return None
    return Talent.objects.active()


def firm_worker_choices(user: Any) -> QuerySet[Any] | None:
    """A firm's own workers only: its admins and 共享人才官 enrol them (FirmEnrolForm)."""
    firms = managed_firm_ids(user)
    if not firms:
        return None
    return Talent.objects.active().filter(home_organisation_id__in=firms)


def course_choices(user: Any) -> QuerySet[Any] | None:
    """Active courses, for the academy staff choosing prerequisites."""
    if not is_academy_staff(user):
        return None
    return Course.objects.active()


def match_courses(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    """Code, title, or the title's pinyin from the search index."""
    if not query.strip():
        return queryset
    kind = search_kind("academy.course")
    return matching(kind, queryset, query) if kind else queryset.filter(title__icontains=query.strip())


def _cohort_detail(cohort: Cohort) -> str:
    return f"{cohort.course.title} · {formats.date_format(cohort.starts_on, 'DATE_FORMAT')}"


def register_search() -> None:
    register_search_kind(
        SearchKind(
            key="academy.course",
            label=pgettext_lazy("搜索结果分组", "课程"),
            model=Course,
            visible=lambda user: Course.objects.visible_to(user),
            url=lambda course: reverse("academy:course_detail", args=[course.pk]),
            detail=lambda course: course.provider.name,
            fields=("code", "title"),
            indexed=lambda course: (course.title,),
            index_fields=("title",),
            select_related=("provider",),
            order=40,
        )
    )
    register_search_kind(
        SearchKind(
            key="academy.cohort",
            label=pgettext_lazy("搜索结果分组", "班级"),
            model=Cohort,
            visible=lambda user: Cohort.objects.visible_to(user),
            url=lambda cohort: reverse("academy:cohort_detail", args=[cohort.pk]),
            detail=_cohort_detail,
            fields=("name",),
            indexed=lambda cohort: (cohort.name,),
            index_fields=("name",),
            select_related=("course",),
            order=41,
        )
    )
    for name, choices in (
        ("academy.trainers", trainer_choices),
        ("academy.talent_pool", talent_pool_choices),
        ("academy.firm_workers", firm_worker_choices),
    ):
        register_source(
            PickerSource(
                name, choices, label=talent_label, detail=talent_detail, select_related=("home_organisation",)
            )
        )
    register_source(
        PickerSource(
            "academy.courses",
            course_choices,
            label=str,
            detail=lambda course: course.provider.name,
            match=match_courses,
            select_related=("provider",),
        )
    )
