"""The union on a phone: dashboard, a different period, drill-down from patents to outcomes, the monthly PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jingxiang.insights import services
from jingxiang.insights.selectors import month_start
from jingxiang.sharing import services as sharing_services
from jingxiang.sharing.tests.builders import make_agreement
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_union_drills_down_from_patents_and_downloads_the_monthly_report(phone_page, live_server, cast):
    page = phone_page
    agreement = make_agreement(cast).agreement
    sharing_services.outcome_record(
        actor=cast.talent_officer,
        agreement=agreement,
        data={
            "rating": 5,
            "problem_solved": True,
            "patent_number": "CN202610000001.1",
            "cost_saved": Decimal("80000"),
        },
    )
    last_month = month_start(month_start(timezone.localdate()) - dt.timedelta(days=1))
    report = services.report_generate(month=last_month, actor=cast.operator)

    login(page, live_server.url, cast.union_staff.username)
    page.goto(live_server.url + "/insights/")
    figure = page.locator("#figure-sharing_patents .stat-value a")
    assert figure.inner_text().strip() == "1"
    page.wait_for_selector("#chart-progress-organisation svg")
    screenshot(page, "insights-union-dashboard-phone")

    # A period that ended last month: this month's patent drops out.
    page.fill("#id_first", f"{last_month:%Y-%m}")
    page.fill("#id_last", f"{last_month:%Y-%m}")
    page.get_by_role("button", name="查看").click()
    assert page.locator("#figure-sharing_patents .stat-value a").inner_text().strip() == "0"

    page.goto(live_server.url + "/insights/")
    page.locator("#figure-sharing_patents .stat-value a").click()
    page.wait_for_selector("#records-summary")
    assert "CN202610000001.1" in page.locator("#results").inner_text()
    assert "1 条记录" in page.locator("#records-summary").inner_text()
    # The union sees the outcome in the list, but the agreement itself is the parties' business: no link.
    assert page.locator("#results a", has_text="打开").count() == 0

    page.goto(live_server.url + "/insights/reports/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=report.number).click()
    download = download_info.value
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
