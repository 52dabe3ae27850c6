from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jingxiang.core.filters import FilterSet
from jingxiang.recruitment.models import Application, ApplicationStatus, Degree, Fair, FairStatus


class FairFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=FairStatus.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = Fair
        fields = ["q", "status"]

    def filter_search(self, queryset: QuerySet[Fair], name: str, value: str) -> QuerySet[Fair]:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(university__name__icontains=value))


class ApplicationFilter(FilterSet):
    fair = django_filters.ModelChoiceFilter(
        label=_("招聘会"),
        field_name="job__fair_firm__fair",
        queryset=Fair.objects.all(),
        empty_label=_("全部招聘会"),
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ApplicationStatus.choices, empty_label=_("全部状态")
    )
    degree = django_filters.ChoiceFilter(
        label=_("学历"), field_name="student__degree", choices=Degree.choices, empty_label=_("全部学历")
    )
    school = django_filters.CharFilter(label=_("学校"), field_name="student__school", lookup_expr="icontains")

    class Meta:
        model = Application
        fields = ["fair", "status", "degree", "school"]
