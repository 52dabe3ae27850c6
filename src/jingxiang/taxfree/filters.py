"""Filter sets of the 离境退税 lists and aggregate pages, all derived from ``core.filters.FilterSet``.

Junk values (a status that does not exist, a store the viewer may not see, a date like 2026-13-45 or
in year 10000) are errors of the filter form: the page shows them and lists nothing, never a 500.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jingxiang.core.filters import FilterSet, YesNoFilter
from jingxiang.taxfree import permissions
from jingxiang.taxfree.models import FilingStatus, FormStatus, RefundForm, Store


def _stores(request: Any) -> QuerySet[Store]:
    """The stores a viewer may choose: only those they may see (none without a request)."""
    if request is None:
        return Store.objects.none()
    return permissions.visible_stores(request.user).order_by("code")


class StoreFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("备案状态"), choices=FilingStatus.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = Store
        fields = ["q", "status"]

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class FormPeriodFilter(FilterSet):
    """Store and purchase-date range: the filters of the reconciliation and the reports."""

    store = django_filters.ModelChoiceFilter(label=_("门店"), queryset=_stores, empty_label=_("全部门店"))
    date_from = django_filters.DateFilter(label=_("起始日期"), field_name="purchase_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("截止日期"), field_name="purchase_date", lookup_expr="lte")

    class Meta:
        model = RefundForm
        fields = ["store", "date_from", "date_to"]


class OverdueFilter(FormPeriodFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")

    class Meta:
        model = RefundForm
        fields = ["q", "store", "date_from", "date_to"]

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(
            Q(number__icontains=value) | Q(invoice_number__icontains=value) | Q(store__name__icontains=value)
        )


class FormFilter(OverdueFilter):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=FormStatus.choices, empty_label=_("全部状态")
    )
    instant = YesNoFilter(label=_("即买即退"))

    class Meta:
        model = RefundForm
        fields = ["q", "status", "store", "instant", "date_from", "date_to"]
