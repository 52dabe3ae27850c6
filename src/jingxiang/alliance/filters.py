"""Filter sets of the alliance's lists (all from core.filters.FilterSet). The dashboard's drill-down
links are these filters, so a list shows exactly the rows a figure counts."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jingxiang.alliance.models import (
    Agreement,
    AgreementStatus,
    Domain,
    Member,
    Obligation,
    ObligationStatus,
    Output,
    Task,
    TaskStatus,
)
from jingxiang.alliance.outputs import kind_choices
from jingxiang.alliance.selectors import task_state
from jingxiang.core.filters import FilterSet, YearFilter

STATES = [("planned", _("计划内(不含已取消)")), ("done", _("已完成")), ("overdue", _("已逾期"))]


class _AllianceFilter(FilterSet):
    def __init__(self, *args: Any, alliance: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if alliance is not None:
            if "domain" in self.filters:
                self.filters["domain"].queryset = Domain.objects.filter(alliance=alliance)
            if "member" in self.filters:
                self.filters["member"].queryset = Member.objects.filter(alliance=alliance).select_related(
                    "organisation"
                )
            if "owner" in self.filters:
                self.filters["owner"].queryset = Member.objects.filter(alliance=alliance).select_related(
                    "organisation"
                )


class TaskFilter(_AllianceFilter):
    q = django_filters.CharFilter(label=_("搜索"), field_name="title", lookup_expr="icontains")
    year = YearFilter(label=_("年度"), field_name="year")
    domain = django_filters.ModelChoiceFilter(
        label=_("领域"), queryset=Domain.objects.none(), empty_label=_("全部领域")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("责任单位"), queryset=Member.objects.none(), empty_label=_("全部单位")
    )
    state = django_filters.ChoiceFilter(
        label=_("统计口径"), choices=STATES, method="filter_state", empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=TaskStatus.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = Task
        fields = ["q", "year", "domain", "owner", "state", "status"]

    def filter_state(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return task_state(queryset, value)


class OutputFilter(_AllianceFilter):
    year = YearFilter(label=_("年度"), field_name="task__year")
    kind = django_filters.ChoiceFilter(label=_("成果类型"), choices=kind_choices, empty_label=_("全部类型"))
    domain = django_filters.ModelChoiceFilter(
        label=_("领域"), field_name="task__domain", queryset=Domain.objects.none(), empty_label=_("全部领域")
    )
    member = django_filters.ModelChoiceFilter(
        label=_("成员单位"), queryset=Member.objects.none(), empty_label=_("全部单位")
    )

    class Meta:
        model = Output
        fields = ["year", "kind", "domain", "member"]


class AgreementFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    year = YearFilter(label=_("签约年度"), field_name="signed_on", lookup_expr="year")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=AgreementStatus.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = Agreement
        fields = ["q", "year", "status"]

    def __init__(self, *args: Any, alliance: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(title__icontains=value) | Q(number__icontains=value) | Q(parties__name__icontains=value)
        ).distinct()


class ObligationFilter(FilterSet):
    year = YearFilter(label=_("签约年度"), field_name="agreement__signed_on", lookup_expr="year")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ObligationStatus.choices, empty_label=_("全部状态")
    )
    party = django_filters.CharFilter(label=_("履约方"), field_name="party__name", lookup_expr="icontains")

    class Meta:
        model = Obligation
        fields = ["year", "status", "party"]

    def __init__(self, *args: Any, alliance: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
