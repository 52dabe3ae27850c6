"""Filters of the marketplace lists (all derived from core.filters.FilterSet)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from jingxiang.core.filters import FilterSet
from jingxiang.services.models import Order, OrderStatus, Service, ServiceCategory, Voucher, VoucherStatus


class ServiceFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索(中文或拼音)"), method="filter_search")
    category = django_filters.ChoiceFilter(
        label=_("服务类别"), choices=ServiceCategory.choices, empty_label=_("全部类别")
    )

    class Meta:
        model = Service
        fields = ["q", "category"]

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.search(value)


class OrderFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=OrderStatus.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = Order
        fields = ["status"]


class VoucherFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=VoucherStatus.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = Voucher
        fields = ["status"]
