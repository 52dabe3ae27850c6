"""Fixed query counts on list pages and dashboards, whatever the amount of data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jingxiang.lab import services
from jingxiang.lab.tests.conftest import BAD_GOGGLES, GOOD_GOGGLES

pytestmark = pytest.mark.django_db

PAGES = [
    ("firm_admin", "/lab/"),
    ("lab_staff", "/lab/samples/"),
    ("firm_admin", "/lab/reports/"),
    ("operator", "/lab/reports/?overall=fail"),
    ("firm_admin", "/lab/brand/"),
    ("operator", "/lab/product-lines/"),
    ("lab_staff", "/lab/instruments/"),
    ("operator", "/lab/quality/"),
    ("firm_admin", "/lab/quality/"),
    ("lab_staff", "/lab/quality/?product_type=high_altitude_goggles"),
    (None, "/lab/quality/public/"),
]


def add_reports(lab_setup, count: int) -> None:  # type: ignore[no-untyped-def]
    from jingxiang.lab.models import Report

    offset = Report.objects.count()
    for index in range(count):
        report = lab_setup.report(
            BAD_GOGGLES if index % 3 == 0 else GOOD_GOGGLES, line=f"线 {offset + index}"
        )
        if index % 2 == 0:
            brand_line = report.product_line
            if report.overall == "pass":
                brand = services.brand_apply(actor=lab_setup.cast.firm_admin, product_line=brand_line)
                services.brand_review(actor=lab_setup.cast.operator, brand=brand, approve=True)


def counts(lab_setup) -> dict[str, int]:  # type: ignore[no-untyped-def]
    result = {}
    users = lab_setup.cast.by_role()
    for persona, url in PAGES:
        client = Client()
        if persona:
            client.force_login(users[persona])
        client.get(url)  # warm caches that are per process, not per request (e.g. rules files)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        result[f"{persona} {url}"] = len(captured)
    return result


def test_list_pages_and_dashboards_do_not_grow_with_data(lab_setup):
    add_reports(lab_setup, 3)
    small = counts(lab_setup)
    add_reports(lab_setup, 6)
    large = counts(lab_setup)
    assert large == small
    assert max(large.values()) <= 25


def test_quality_picture_is_a_fixed_number_of_aggregate_queries(lab_setup, django_assert_num_queries):
    from jingxiang.lab.models import Report
    from jingxiang.lab.selectors import quality_picture

    add_reports(lab_setup, 4)
    with django_assert_num_queries(3):
        picture = quality_picture(Report.objects.all())
    with django_assert_num_queries(4):
        operator_view = quality_picture(Report.objects.all(), with_firms=True)
    assert picture.total == 4 and picture.passed == 2
    assert operator_view.by_firm[0]["firm__name"] == lab_setup.cast.firm.name
    assert picture.items[0]["rule_id"] == "HA-NODRIVE" and picture.items[0]["failed"] == 2
    labelling = next(row for row in picture.spot_checks if row["group"] == "labelling")
    assert (labelling["assessed"], labelling["failed"]) == (4, 2)


def test_attention_cards_use_a_fixed_number_of_queries(lab_setup):
    from jingxiang.lab.permissions import attention_cards

    def measure() -> dict[str, int]:
        result = {}
        for persona in ("lab_staff", "operator", "firm_admin"):
            user = type(lab_setup.cast.by_role()[persona]).objects.get(
                pk=lab_setup.cast.by_role()[persona].pk
            )
            with CaptureQueriesContext(connection) as captured:
                cards = attention_cards(user)
            assert cards or persona == "firm_admin"
            result[persona] = len(captured)
        return result

    add_reports(lab_setup, 1)
    small = measure()
    add_reports(lab_setup, 3)
    sample = lab_setup.register(lab_setup.submit())
    lab_setup.enter(sample, GOOD_GOGGLES)
    assert measure() == small
    assert max(small.values()) <= 3
