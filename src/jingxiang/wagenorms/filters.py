"""Filters of 权益链's lists (derived from core.filters.FilterSet)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from jingxiang.core.filters import FilterSet, YesNoFilter
from jingxiang.wagenorms.checking import parse_month
from jingxiang.wagenorms.models import LineStatus, WageLine


class MonthField(forms.CharField):
    def clean(self, value: object) -> object:
        text = super().clean(value)
        if not text:
            return None
        month = parse_month(str(text))
        if month is None:
            raise forms.ValidationError(_("请输入有效月份,如 2026-03。"))
        return month


class MonthFilter(django_filters.Filter):  # type: ignore[misc]
    field_class = MonthField


class LineFilter(FilterSet):
    firm_name = django_filters.CharFilter(label=_("企业"), field_name="firm__name")
    post = django_filters.CharFilter(label=_("岗位"))
    level = django_filters.CharFilter(label=_("认定等级"))
    month = MonthFilter(label=_("月份"), field_name="month")
    status = django_filters.ChoiceFilter(label=_("结果"), choices=LineStatus.choices, empty_label=_("全部"))
    failed = YesNoFilter(label=_("不达标(含已处理)"), method="filter_failed")

    class Meta:
        model = WageLine
        fields: list[str] = []

    def filter_failed(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if value is None:
            return queryset
        if value:
            return queryset.exclude(status=LineStatus.PASSED)
        return queryset.filter(status=LineStatus.PASSED)


class PeriodForm(forms.Form):
    month = MonthField(label=_("月份"), required=False, help_text=_("如 2026-03;留空为全部"))
