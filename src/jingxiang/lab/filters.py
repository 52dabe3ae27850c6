from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jingxiang.core.filters import FilterSet
from jingxiang.lab.models import (
    PRODUCT_TYPE_CHOICES,
    BrandAuthorisation,
    BrandStatus,
    Instrument,
    Overall,
    ProductLine,
    Report,
    ReportStatus,
    RequestStatus,
    Sample,
    SampleStatus,
    TestRequest,
)


class RequestFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=RequestStatus.choices, empty_label=_("全部状态")
    )
    product_type = django_filters.ChoiceFilter(
        label=_("产品类型"), choices=PRODUCT_TYPE_CHOICES, empty_label=_("全部类型")
    )

    class Meta:
        model = TestRequest
        fields = ["q", "status", "product_type"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(number__icontains=value)
            | Q(product_name__icontains=value)
            | Q(product_line__name__icontains=value)
        )


class SampleFilter(FilterSet):
    q = django_filters.CharFilter(label=_("样品编号"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=SampleStatus.choices, empty_label=_("全部状态")
    )
    mine = django_filters.BooleanFilter(label=_("只看分配给我的"), method="filter_mine")

    class Meta:
        model = Sample
        fields = ["q", "status", "mine"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(code__icontains=value) | Q(request__number__icontains=value))

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        return queryset.filter(technician=self.request.user) if value else queryset


class ReportFilter(FilterSet):
    q = django_filters.CharFilter(label=_("报告编号/产品"), method="filter_search")
    overall = django_filters.ChoiceFilter(label=_("结论"), choices=Overall.choices, empty_label=_("全部结论"))
    status = django_filters.ChoiceFilter(
        label=_("版本状态"), choices=ReportStatus.choices, empty_label=_("全部")
    )
    product_type = django_filters.ChoiceFilter(
        label=_("产品类型"), choices=PRODUCT_TYPE_CHOICES, empty_label=_("全部类型")
    )

    class Meta:
        model = Report
        fields = ["q", "overall", "status", "product_type"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(number__icontains=value)
            | Q(product_name__icontains=value)
            | Q(product_line__name__icontains=value)
        )


class InstrumentFilter(FilterSet):
    q = django_filters.CharFilter(label=_("名称/编号"), method="filter_search")
    due = django_filters.ChoiceFilter(
        label=_("校准"),
        choices=[("valid", _("有效")), ("expired", _("已过期"))],
        method="filter_due",
        empty_label=_("全部"),
    )

    class Meta:
        model = Instrument
        fields = ["q", "due"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(name__icontains=value) | Q(serial__icontains=value))

    def filter_due(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        from django.utils import timezone

        today = timezone.localdate()
        return (
            queryset.filter(calibration_due__gte=today)
            if value == "valid"
            else queryset.filter(calibration_due__lt=today)
        )


class BrandFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=BrandStatus.choices, empty_label=_("全部状态")
    )
    q = django_filters.CharFilter(label=_("产品线/编号"), method="filter_search")

    class Meta:
        model = BrandAuthorisation
        fields = ["q", "status"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(number__icontains=value) | Q(product_line__name__icontains=value))


class ProductLineFilter(FilterSet):
    q = django_filters.CharFilter(label=_("产品线"), field_name="name", lookup_expr="icontains")
    product_type = django_filters.ChoiceFilter(
        label=_("产品类型"), choices=PRODUCT_TYPE_CHOICES, empty_label=_("全部类型")
    )

    class Meta:
        model = ProductLine
        fields = ["q", "product_type"]


class BrandDirectoryFilter(FilterSet):
    """The public directory: one search box over firm, product line, product type and number."""

    q = django_filters.CharFilter(label=_("企业/产品/授权编号"), method="filter_search")
    product_type = django_filters.ChoiceFilter(
        label=_("产品类型"),
        field_name="product_line__product_type",
        choices=PRODUCT_TYPE_CHOICES,
        empty_label=_("全部类型"),
    )

    class Meta:
        model = BrandAuthorisation
        fields = ["q", "product_type"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(number__icontains=value)
            | Q(product_line__name__icontains=value)
            | Q(firm__name__icontains=value)
            | Q(product_line__test_requests__product_name__icontains=value)
        ).distinct()
