"""The shared filter layer of list pages and the API: the base ``FilterSet`` and filter fields.

Every filter set derives from ``FilterSet`` here. It bounds every number, date and time filter to what
the database and Python's ``datetime`` can hold, so an out-of-range value (a year 0 or 10000, a
20-digit id, a date whose time-zone shift leaves year 1–9999) is a validation error of the filter form:
the list page shows it next to the field, the API answers 400 with it, and no query is ever built with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field

YEARS = (1, 9999)
"""Python's date range: a year lookup turns the year into two dates."""
BIGINT = (-(2**63), 2**63 - 1)
"""An SQL bigint: the widest integer any column here holds."""
FIRST_DAY, LAST_DAY = dt.date(1, 1, 2), dt.date(9999, 12, 30)
"""A day short of each end of the date range, so a date or time shifted by a time zone stays in range."""


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose empty choice reads "全部" (all), not "unknown"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
        )
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A whole year from 1 to 9999, on a date (``lookup_expr="year"``) or on a year column."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", YEARS[0])
        kwargs.setdefault("max_value", YEARS[1])
        super().__init__(*args, **kwargs)


def _within_dates(value: Any) -> None:
    """Dates and times (or a from–to range of them) between 0001-01-02 and 9999-12-30."""
    ends = [value.start, value.stop] if isinstance(value, slice) else [value]
    for end in ends:
        day = end.date() if isinstance(end, dt.datetime) else end
        if isinstance(day, dt.date) and not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(
                _("日期须在 %(first)s 至 %(last)s 之间。"),
                code="date_range",
                params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
            )


def _integer_range(model: type[models.Model] | None, field_name: str, lookup: str) -> tuple[int, int]:
    """What the filtered column can hold: a year lookup needs a real year, an integer column its range."""
    if lookup == "year" or lookup.endswith("__year"):
        return YEARS
    field = get_model_field(model, field_name) if model is not None else None
    if isinstance(field, models.ForeignObject):
        field = field.target_field
    if isinstance(field, (models.IntegerField, models.AutoField)):
        try:
            low, high = connection.ops.integer_field_range(field.get_internal_type())
        except KeyError:  # an integer field type the backend does not list
            return BIGINT
        return (BIGINT[0] if low is None else low, BIGINT[1] if high is None else high)
    return BIGINT


DATE_FILTERS = (
    django_filters.DateFilter,
    django_filters.DateTimeFilter,
    django_filters.IsoDateTimeFilter,
    django_filters.DateFromToRangeFilter,
    django_filters.DateTimeFromToRangeFilter,
    django_filters.IsoDateTimeFromToRangeFilter,
)


def bound_filter(filter_: django_filters.Filter, model: type[models.Model] | None) -> None:
    """Give a date/time filter the date range and a number filter the range of its column."""
    if isinstance(filter_, DATE_FILTERS):  # before RangeFilter: the from–to filters derive from it
        validators = list(filter_.extra.get("validators", []))
        if _within_dates not in validators:
            filter_.extra["validators"] = [*validators, _within_dates]
    elif isinstance(filter_, (django_filters.NumberFilter, django_filters.RangeFilter)):
        low, high = _integer_range(model, filter_.field_name or "", filter_.lookup_expr or "exact")
        if isinstance(filter_, django_filters.RangeFilter):
            filter_.extra.setdefault(
                "fields",
                (
                    forms.DecimalField(min_value=low, max_value=high),
                    forms.DecimalField(min_value=low, max_value=high),
                ),
            )
            return
        if (low, high) == YEARS:
            filter_.field_class = forms.IntegerField
        filter_.extra.setdefault("min_value", low)
        filter_.extra.setdefault("max_value", high)


class FilterSet(django_filters.FilterSet):
    """Base of every filter set (list pages and API): number and date filters are bounded (see module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            bound_filter(filter_, self._meta.model)


class FilterBackend(DjangoFilterBackend):
    """The API's filter backend: filter sets it generates from ``filterset_fields`` are bounded too."""

    filterset_base = FilterSet
