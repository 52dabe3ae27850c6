"""In a real browser, under the Content-Security-Policy: the chart block draws with the local ECharts."""

from __future__ import annotations

import pytest

from jingxiang.testing.browser import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("jingxiang.core.tests.chart_urls"),
]


def test_a_chart_draws_as_svg_without_csp_refusals(phone_page, live_server, cast):
    page = phone_page
    login(page, live_server.url, "firm_admin")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/chart/")
    page.wait_for_selector("#chart-demo svg")
    assert page.locator("#chart-demo svg path, #chart-demo svg rect").count() > 0
    page.locator(".chart-table summary").click()
    assert page.locator(".chart-table a[href='/a/']").inner_text() == "一季度"
    assert all(url.startswith(live_server.url) for url in requests), "a chart loaded something from outside"
