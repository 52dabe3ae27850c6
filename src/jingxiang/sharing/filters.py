from __future__ import annotations

import datetime as dt
import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jingxiang.core.filters import FilterSet, YearFilter
from jingxiang.sharing.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Booking,
    BookingStatus,
    Outcome,
    RequestStatus,
    ServiceMode,
    SharingRequest,
    Statement,
    StatementStatus,
    Timesheet,
    TimesheetStatus,
)
from jingxiang.talents.models import Skill, Talent, TalentKind

YES_NO = [("1", _("是"))]


class PoolFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=TalentKind.choices, empty_label=_("全部类别"))
    mode = django_filters.ChoiceFilter(
        label=_("服务方式"), choices=ServiceMode.choices, empty_label=_("全部方式"), method="filter_mode"
    )
    region = django_filters.CharFilter(label=_("区域"), lookup_expr="icontains")
    skill = django_filters.ModelChoiceFilter(
        label=_("技能"),
        queryset=Skill.objects.filter(is_active=True),
        field_name="skills",
        # Only this filter joins the talent's skills: distinct here, not on every pool page (issue 13).
        distinct=True,
        empty_label=_("全部技能"),
    )
    independent = django_filters.ChoiceFilter(
        label=_("独立专家"), choices=YES_NO, empty_label=_("不限"), method="filter_independent"
    )

    class Meta:
        model = Talent
        fields = ["q", "kind", "mode", "region", "skill", "independent"]

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.search(value)

    def filter_mode(self, queryset, name, value):  # type: ignore[no-untyped-def]
        field = {"onsite": "offers_onsite", "remote": "offers_remote", "consultation": "offers_consultation"}[
            value
        ]
        return queryset.filter(**{f"sharing_profile__{field}": True})

    def filter_independent(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(home_organisation__isnull=True) if value == "1" else queryset


class RequestFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=RequestStatus.choices, empty_label=_("全部状态")
    )
    mode = django_filters.ChoiceFilter(
        label=_("服务方式"), choices=ServiceMode.choices, empty_label=_("全部方式")
    )

    class Meta:
        model = SharingRequest
        fields = ["q", "status", "mode"]

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(title__icontains=value) | Q(firm__name__icontains=value))


class AgreementFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=AgreementStatus.choices, empty_label=_("全部状态")
    )
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=AgreementKind.choices, empty_label=_("全部类型")
    )

    class Meta:
        model = Agreement
        fields = ["q", "status", "kind"]

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(
            Q(number__icontains=value) | Q(talent__name__icontains=value) | Q(host__name__icontains=value)
        )


class BookingFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=BookingStatus.choices, empty_label=_("全部状态")
    )
    date_from = django_filters.DateFilter(
        label=_("起始日期"), field_name="starts_at", lookup_expr="date__gte"
    )
    date_to = django_filters.DateFilter(label=_("截止日期"), field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Booking
        fields = ["q", "status", "date_from", "date_to"]

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(talent__name__icontains=value) | Q(agreement__host__name__icontains=value))


class TimesheetFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=TimesheetStatus.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = Timesheet
        fields = ["q", "status"]

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(
            Q(booking__talent__name__icontains=value) | Q(booking__agreement__host__name__icontains=value)
        )


class StatementFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=StatementStatus.choices, empty_label=_("全部状态")
    )
    month = django_filters.CharFilter(
        label=_("月份"), method="filter_month", widget=forms.TextInput(attrs={"type": "month"})
    )
    year = YearFilter(label=_("年份"), field_name="month", lookup_expr="year")

    class Meta:
        model = Statement
        fields = ["q", "status", "year", "month"]

    def filter_month(self, queryset, name, value):  # type: ignore[no-untyped-def]
        match = re.match(r"^(\d{4})-(\d{1,2})$", value.strip())
        if match is None or not 1 <= int(match.group(2)) <= 12:
            return queryset.none()
        return queryset.filter(month=dt.date(int(match.group(1)), int(match.group(2)), 1))

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(
            Q(number__icontains=value) | Q(host__name__icontains=value) | Q(talent__name__icontains=value)
        )


class OutcomeFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    patent = django_filters.ChoiceFilter(
        label=_("有专利"), choices=YES_NO, empty_label=_("不限"), method="filter_patent"
    )
    cost = django_filters.ChoiceFilter(
        label=_("有降本"), choices=YES_NO, empty_label=_("不限"), method="filter_cost"
    )
    solved = django_filters.ChoiceFilter(
        label=_("问题已解决"), choices=YES_NO, empty_label=_("不限"), method="filter_solved"
    )

    class Meta:
        model = Outcome
        fields = ["q", "patent", "cost", "solved"]

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(
            Q(agreement__talent__name__icontains=value)
            | Q(agreement__host__name__icontains=value)
            | Q(patent_number__icontains=value)
        )

    def filter_patent(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.exclude(patent_number="") if value == "1" else queryset

    def filter_cost(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(cost_saved__gt=0) if value == "1" else queryset

    def filter_solved(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(problem_solved=True) if value == "1" else queryset
