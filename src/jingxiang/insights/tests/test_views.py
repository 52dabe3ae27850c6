"""Pages of insights per role: who sees which figures, bad periods, drill-down, open data, reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from jingxiang.core.models import Notification
from jingxiang.demands.tests.conftest import make_demand
from jingxiang.insights import services
from jingxiang.insights.handlers import monthly_duty
from jingxiang.insights.models import MonthlyReport, RunStatus, SnapshotRun
from jingxiang.insights.selectors import month_start
from jingxiang.jobs.periodic import run_due_periodic
from jingxiang.testing.matrix import RouteCase, check_matrix

pytestmark = pytest.mark.django_db

CLUSTER = frozenset({"operator", "union_staff"})
INSIGHT_USERS = CLUSTER | {"firm_admin", "talent_officer", "other_firm_admin"}
ALL = frozenset(
    {
        "firm_admin",
        "talent_officer",
        "member",
        "other_firm_admin",
        "lab_staff",
        "operator",
        "union_staff",
        "expert",
        "outsider",
    }
)

CASES = [
    RouteCase("insights:dashboard", "/insights/", INSIGHT_USERS),
    RouteCase("insights:indicator", "/insights/i/demands_posted/", INSIGHT_USERS),
    RouteCase("insights:records", "/insights/i/demands_posted/records/", INSIGHT_USERS),
    RouteCase("insights:snapshots", "/insights/snapshots/", frozenset({"operator"})),
    RouteCase("insights:targets", "/insights/targets/", frozenset({"operator"})),
    RouteCase("insights:reports", "/insights/reports/", INSIGHT_USERS),
    RouteCase("insights:open_data", "/insights/open-data/", ALL, anonymous_status=(200,)),
]


def last_month() -> dt.date:
    return month_start(month_start(timezone.localdate()) - dt.timedelta(days=1))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_role_matrix(cast):
    assert check_matrix(cast, CASES) == []


def test_the_firm_sees_its_own_figure_and_the_union_the_whole(cast):
    make_demand(cast, published_at=timezone.now())
    make_demand(
        cast, organisation=cast.other_firm, created_by=cast.other_firm_admin, published_at=timezone.now()
    )
    union = client_for(cast.union_staff).get("/insights/").content.decode()
    firm = client_for(cast.firm_admin).get("/insights/").content.decode()
    assert 'id="figure-demands_posted"' in union
    block = union[union.index('id="figure-demands_posted"') :][:900]
    assert ">2</a>" in block
    own = firm[firm.index('id="figure-demands_posted"') :][:900]
    assert ">1</a>" in own and "中位数" in own
    records = client_for(cast.firm_admin).get("/insights/i/demands_posted/records/").content.decode()
    assert records.count("XQ2026") == 1 or records.count("XQ") == 1


def test_bad_periods_and_unknown_indicators_get_a_clear_answer(cast):
    client = client_for(cast.operator)
    future = month_start(timezone.localdate()) + dt.timedelta(days=40)
    response = client.get("/insights/", {"first": "2026-01", "last": f"{future:%Y-%m}"})
    assert response.status_code == 200 and "不能晚于本月" in response.content.decode()
    response = client.get("/insights/", {"first": "2026-06", "last": "2026-01"})
    assert "起始月份不能晚于截止月份" in response.content.decode()
    response = client.get("/insights/", {"first": "junk"})
    assert response.status_code == 200
    assert client.get("/insights/i/no_such_code/").status_code == 404
    assert client.get("/insights/i/no_such_code/records/").status_code == 404


def test_exports_of_records_charts_and_open_data(cast):
    make_demand(cast, published_at=timezone.now())
    client = client_for(cast.operator)
    assert client.get("/insights/i/demands_posted/records/", {"export": "xlsx"})["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    assert client.get("/insights/i/demands_posted/", {"export": "trend"})["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    public = Client()
    csv = public.get("/insights/open-data/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "demands_posted" in csv
    assert "follow_ups" not in csv  # not a public indicator
    assert public.get("/insights/open-data/", {"format": "xlsx"}).status_code == 200
    assert "follow_ups" not in public.get("/insights/open-data/").content.decode()


def test_monthly_report_pdf_verification_and_subscribers(cast, django_capture_on_commit_callbacks):
    services.subscription_set(actor=cast.union_staff, active=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_request(actor=cast.operator, month=last_month())
    report = MonthlyReport.objects.get(month=last_month())
    assert report.pdf.read(4) == b"%PDF"
    assert Notification.objects.filter(recipient=cast.union_staff, kind="insights_report").exists()
    page = Client().get(f"/verify/insights-report/{report.verification_code}/").content.decode()
    assert report.number in page
    download = client_for(cast.union_staff).get(f"/insights/reports/{report.pk}/")
    assert download.status_code == 200
    assert client_for(cast.outsider).get(f"/insights/reports/{report.pk}/").status_code == 404


def test_the_monthly_duty_freezes_last_month_and_issues_its_report(cast, django_capture_on_commit_callbacks):
    first = month_start(timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        monthly_duty(first)
    assert SnapshotRun.objects.get(month=last_month()).status == RunStatus.DONE
    assert MonthlyReport.objects.filter(month=last_month()).exists()
    now = dt.datetime.combine(first, dt.time(3), tzinfo=timezone.get_current_timezone())
    # Registered as a calendar duty; already done for this date, so the run is claimed once.
    with django_capture_on_commit_callbacks(execute=True):
        ran = run_due_periodic(now=now, keys=["insights.monthly_report"])
    assert ran == [("insights.monthly_report", first)]
    assert SnapshotRun.objects.filter(month=last_month()).count() == 1
