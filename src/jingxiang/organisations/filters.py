from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from jingxiang.core.filters import FilterSet, YesNoFilter
from jingxiang.organisations.models import (
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    OrganisationSize,
    OrganisationStatus,
)


class OrganisationFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=OrganisationKind.choices, empty_label=_("全部类型")
    )
    region = django_filters.CharFilter(label=_("区域"), lookup_expr="icontains")
    size = django_filters.ChoiceFilter(
        label=_("规模"), choices=OrganisationSize.choices, empty_label=_("全部规模")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=OrganisationStatus.choices, empty_label=_("全部状态")
    )
    is_alliance_member = YesNoFilter(label=_("联盟成员"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "region", "size", "status", "is_alliance_member"]

    def filter_search(self, queryset: OrganisationQuerySet, name: str, value: str) -> OrganisationQuerySet:
        return queryset.search(value)
