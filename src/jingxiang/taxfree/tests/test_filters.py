"""The taxfree lists and aggregate pages: filters narrow the rows, junk values are form errors (200)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from jingxiang.taxfree.models import FormStatus
from jingxiang.taxfree.tests.conftest import TODAY, issue, traveller

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("parameter", "junk"),
    [("status", "lost"), ("date_from", "2026-13-45"), ("date_to", "10000-01-01"), ("store", "abc")],
)
def test_form_list_junk_filter_is_a_form_error(tf: Any, parameter: str, junk: str) -> None:
    form = issue(tf, [(tf.frame, 1)])
    response = _client(tf.clerk).get("/taxfree/forms/", {parameter: junk})
    assert response.status_code == 200
    errors = response.context["filterset"].form.errors
    assert parameter in errors
    html = response.content.decode()
    assert 'class="error" role="alert"' in html
    assert form.number not in html  # nothing listed with a junk filter


def test_form_list_filters_by_status_store_and_dates(tf: Any) -> None:
    form = issue(tf, [(tf.frame, 1)])
    client = _client(tf.clerk)
    day = TODAY.isoformat()
    assert form.number in client.get("/taxfree/forms/", {"status": form.status}).content.decode()
    assert form.number not in client.get("/taxfree/forms/", {"status": FormStatus.VOIDED}).content.decode()
    assert (
        form.number
        in client.get("/taxfree/forms/", {"store": tf.store.pk, "date_from": day}).content.decode()
    )
    later = (TODAY + dt.timedelta(days=1)).isoformat()
    assert form.number not in client.get("/taxfree/forms/", {"date_from": later}).content.decode()
    # A store the clerk may not see is not a choice.
    hidden = client.get("/taxfree/forms/", {"store": tf.other.pk})
    assert hidden.status_code == 200 and "store" in hidden.context["filterset"].form.errors


@pytest.mark.parametrize("path", ["/taxfree/reconciliation/", "/taxfree/reports/"])
@pytest.mark.parametrize(
    ("parameter", "junk"), [("date_from", "2026-13-45"), ("store", "99999999999999999999")]
)
def test_aggregate_pages_junk_filter_is_a_form_error(tf: Any, path: str, parameter: str, junk: str) -> None:
    issue(tf, [(tf.frame, 1)])
    client = _client(tf.clerk)
    for export in ({}, {"export": "xlsx"}, {"export": "store"}):
        response = client.get(path, {parameter: junk, **export})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert parameter in response.context["filterset"].form.errors
        assert tf.store.name not in response.content.decode().split('id="results"')[1]


def test_reconciliation_filtered_by_dates_adds_up_to_form_list(tf: Any) -> None:
    form = issue(tf, [(tf.frame, 1)])
    client = _client(tf.clerk)
    day = TODAY.isoformat()
    shown = client.get("/taxfree/reconciliation/", {"date_from": day, "date_to": day})
    rows = shown.context["by_store"]
    assert [(r["store__code"], r["forms"], r["refund"]) for r in rows] == [(tf.store.code, 1, form.refund)]
    later = (TODAY + dt.timedelta(days=1)).isoformat()
    assert client.get("/taxfree/reconciliation/", {"date_from": later}).context["by_store"] == []
    export = client.get("/taxfree/reconciliation/", {"date_from": day, "export": "store"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/taxfree/reports/", {"store": tf.store.pk}).context["tables"]["store"][0]["forms"] == 1


def test_report_charts_draw_the_same_figures_as_the_tables_and_leave_voided_forms_out(tf: Any) -> None:
    from jingxiang.taxfree import services

    kept = issue(tf, [(tf.frame, 1)])
    voided = issue(tf, [(tf.frame, 2)], number="M87654321", traveller=traveller(name="LEE SOYEON"))
    services.form_void(actor=tf.clerk, form=voided, reason="退货")
    page = _client(tf.clerk).get("/taxfree/reports/")
    by_day, by_nation = page.context["charts"]
    assert by_day.series[0].values == [r["refund"] for r in page.context["tables"]["day"]] == [kept.refund]
    assert by_nation.categories == ["KOR"] and by_nation.series[0].values == [1]
    html = page.content.decode()
    assert 'data-chart="' in html and "每日应退税额与已追回" in html
