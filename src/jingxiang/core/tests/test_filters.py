"""The shared filter layer: out-of-range numbers and dates are form errors, never a query that crashes."""

from __future__ import annotations

from typing import Any

import django_filters
import pytest
from django.test import Client

from jingxiang.core.filters import FilterSet, YearFilter
from jingxiang.sharing.models import Booking
from jingxiang.talents.models import Talent

pytestmark = pytest.mark.django_db


class TalentProbe(FilterSet):
    org = django_filters.NumberFilter(field_name="home_organisation_id")
    hours = django_filters.RangeFilter(field_name="monthly_hours")
    joined = django_filters.DateFromToRangeFilter(field_name="created_at")
    year = django_filters.NumberFilter(field_name="created_at", lookup_expr="year")

    class Meta:
        model = Talent
        fields = ["org", "hours", "joined", "year"]


class BookingProbe(FilterSet):
    after = django_filters.DateTimeFilter(field_name="starts_at", lookup_expr="gte")
    on = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")
    year = YearFilter(field_name="starts_at", lookup_expr="year")

    class Meta:
        model = Booking
        fields = ["after", "on", "year"]


@pytest.mark.parametrize(
    ("probe", "data", "invalid"),
    [
        (TalentProbe, {"org": "99999999999999999999"}, "org"),
        (TalentProbe, {"org": "-9223372036854775809"}, "org"),
        (TalentProbe, {"hours_min": "1e30"}, "hours"),
        (TalentProbe, {"joined_after": "0001-01-01"}, "joined"),
        (TalentProbe, {"year": "0"}, "year"),
        (TalentProbe, {"year": "2026.5"}, "year"),
        (BookingProbe, {"after": "0001-01-01 00:00"}, "after"),
        (BookingProbe, {"on": "9999-12-31"}, "on"),
        (BookingProbe, {"year": "10000"}, "year"),
        (BookingProbe, {"year": "-1"}, "year"),
    ],
)
def test_out_of_range_values_are_form_errors(probe: Any, data: dict[str, str], invalid: str) -> None:
    filterset = probe(data, queryset=probe._meta.model.objects.all())
    assert not filterset.is_valid()
    assert set(filterset.errors) == {invalid}
    list(filterset.qs)  # the other filters still run, without the refused one


@pytest.mark.parametrize(
    ("probe", "data"),
    [
        (TalentProbe, {"org": "9223372036854775807", "hours_min": "0", "hours_max": "160", "year": "2026"}),
        (TalentProbe, {"joined_after": "0001-01-02", "joined_before": "9999-12-30"}),
        (BookingProbe, {"after": "2026-06-01 09:00", "on": "2026-06-30", "year": "9999"}),
    ],
)
def test_values_in_range_filter(probe: Any, data: dict[str, str]) -> None:
    filterset = probe(data, queryset=probe._meta.model.objects.all())
    assert filterset.is_valid(), filterset.errors
    assert list(filterset.qs) == []


def test_every_filter_set_of_the_project_is_bounded() -> None:
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("jingxiang."):
            for module in ("filters", "forms", "api"):
                try:
                    import_module(f"{config.name}.{module}")
                except ModuleNotFoundError as missing:
                    if missing.name != f"{config.name}.{module}":
                        raise

    def subclasses(cls: type) -> list[type]:
        return [sub for direct in cls.__subclasses__() for sub in (direct, *subclasses(direct))]

    ours = [c for c in subclasses(django_filters.FilterSet) if c.__module__.startswith("jingxiang.")]
    assert len(ours) >= 25
    unbounded = [f"{c.__module__}.{c.__name__}" for c in ours if not issubclass(c, FilterSet)]
    assert not unbounded


@pytest.mark.parametrize("year", ["0", "-1", "10000", "99999999999999999999"])
def test_statement_year_out_of_range_is_explained(cast: Any, year: str) -> None:
    client = Client()
    client.force_login(cast.operator)
    api = client.get("/api/v1/sharing/statements/", {"year": year})
    assert api.status_code == 400
    assert list(api.json()) == ["year"]
    page = client.get("/sharing/statements/", {"year": year})
    assert page.status_code == 200
    assert 'role="alert"' in page.content.decode()
    export = client.get("/sharing/statements/", {"year": year, "export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
