from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jingxiang.academy.models import (
    Certificate,
    CertificateStatus,
    Cohort,
    CohortStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Occupation,
    OccupationLevel,
    OrderStatus,
    TrainingOrder,
)
from jingxiang.core.filters import FilterSet, YearFilter
from jingxiang.core.search import search_key
from jingxiang.organisations.models import Organisation, OrganisationKind
from jingxiang.talents.models import Skill


def _search(queryset: QuerySet[Any], fields: Sequence[str], value: str | None) -> QuerySet[Any]:
    value = (value or "").strip()
    if not value:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": value})
    return queryset.filter(condition)


class CourseFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    skill = django_filters.ModelChoiceFilter(
        label=_("技能"), queryset=Skill.objects.filter(is_active=True), empty_label=_("全部技能")
    )
    occupation = django_filters.ModelChoiceFilter(
        label=_("职业"),
        queryset=Occupation.objects.all(),
        field_name="occupation_level__occupation",
        empty_label=_("全部职业"),
    )
    provider = django_filters.ModelChoiceFilter(
        label=_("承办机构"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY),
        empty_label=_("全部机构"),
    )

    class Meta:
        model = Course
        fields = ["q", "skill", "occupation", "provider"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _search(queryset, ["code", "title", "description"], value)


class CohortFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=CohortStatus.choices, empty_label=_("全部状态")
    )
    course = django_filters.ModelChoiceFilter(
        label=_("课程"), queryset=Course.objects.active(), empty_label=_("全部课程")
    )
    is_order = django_filters.BooleanFilter(
        label=_("订单班"), field_name="order", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Cohort
        fields = ["q", "status", "course", "is_order"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _search(queryset, ["name", "venue", "course__title"], value)


class EnrolmentFilter(FilterSet):
    q = django_filters.CharFilter(label=_("学员姓名"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=EnrolmentStatus.choices, empty_label=_("全部状态")
    )
    cohort = django_filters.ModelChoiceFilter(
        label=_("班级"), queryset=Cohort.objects.all(), empty_label=_("全部班级")
    )
    firm = django_filters.ModelChoiceFilter(
        label=_("企业"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.FIRM),
        field_name="talent__home_organisation",
        empty_label=_("全部企业"),
    )

    class Meta:
        model = Enrolment
        fields = ["q", "status", "cohort", "firm"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        visible_cohorts = kwargs.pop("cohorts", None)
        super().__init__(*args, **kwargs)
        if visible_cohorts is not None:
            self.filters["cohort"].queryset = visible_cohorts
        if self.queryset is not None:
            # The firms of the enrolments the user may see, not every firm of the cluster: at scale 10 the
            # choice list alone was 200 KB of HTML (issue 13), and it named firms the viewer has no
            # enrolment of.
            self.filters["firm"].queryset = Organisation.objects.filter(
                kind=OrganisationKind.FIRM, pk__in=self.queryset.values("talent__home_organisation")
            )

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _search(queryset, ["talent__name", "talent__search_text"], search_key(value) or value)


class CertificateFilter(FilterSet):
    q = django_filters.CharFilter(label=_("编号或姓名"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=CertificateStatus.choices, empty_label=_("全部状态")
    )
    occupation_level = django_filters.ModelChoiceFilter(
        label=_("职业等级"),
        queryset=OccupationLevel.objects.select_related("occupation"),
        empty_label=_("全部等级"),
    )
    year = YearFilter(label=_("年份"))

    class Meta:
        model = Certificate
        fields = ["q", "status", "occupation_level", "year"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _search(queryset, ["number", "holder_name", "talent__search_text"], search_key(value) or value)


class OrderFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=OrderStatus.choices, empty_label=_("全部状态")
    )
    school = django_filters.ModelChoiceFilter(
        label=_("承接学校"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY),
        empty_label=_("全部学校"),
    )

    class Meta:
        model = TrainingOrder
        fields = ["q", "status", "school"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _search(queryset, ["title", "requirements"], value)
