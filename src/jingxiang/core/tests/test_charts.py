"""The chart block: the drawing and its table show the same figures, bad specs fail loudly, ECharts is local."""

from __future__ import annotations

import json
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from openpyxl import load_workbook

from jingxiang.core.charts import Chart, Series, chart_export_response


def sample(**overrides):
    values = {
        "key": "patents",
        "title": "专利",
        "kind": "bar",
        "categories": ["2025", "2026"],
        "series": [Series("授权", [3, Decimal("5.5")]), Series("申请", [4, None])],
        "unit": "件",
        "links": ["/outcomes/?year=2025", None],
    }
    values.update(overrides)
    return Chart(**values)


def test_a_series_must_have_one_value_per_category():
    with pytest.raises(ValueError, match="series"):
        sample(series=[Series("授权", [1])])
    with pytest.raises(ValueError, match="links"):
        sample(links=["/x/"])
    with pytest.raises(ValueError, match="pie"):
        sample(kind="pie")


def test_option_and_table_carry_the_same_numbers():
    chart = sample(target=4)
    option = chart.option()
    assert option["xAxis"]["data"] == ["2025", "2026"]
    assert option["series"][0]["data"] == [3, 5.5]
    assert option["series"][1]["data"] == [4, None]
    assert option["series"][0]["markLine"]["data"][0]["yAxis"] == 4
    assert [row["values"] for row in chart.rows()] == [[3, 4], [Decimal("5.5"), None]]
    pie = sample(kind="pie", series=[Series("授权", [3, 5])]).option()
    assert pie["series"][0]["data"] == [{"name": "2025", "value": 3}, {"name": "2026", "value": 5}]
    stacked = sample(kind="stacked").option()
    assert {one["stack"] for one in stacked["series"]} == {"total"}


def test_the_include_renders_data_table_and_links():
    html = render_to_string("includes/chart.html", {"chart": sample(), "export_url": "?export=patents"})
    assert 'data-chart="chart-patents-data"' in html
    start = html.index('id="chart-patents-data"')
    payload = html[html.index(">", start) + 1 : html.index("</script>", start)]
    assert json.loads(payload)["series"][0]["name"] == "授权"
    assert '<a href="/outcomes/?year=2025">2025</a>' in html
    assert 'data-label="申请">—' in html
    assert "?export=patents" in html


def test_export_has_one_column_per_series():
    response = chart_export_response(sample(), category_header="年度")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("年度", "授权", "申请")
    assert rows[1] == ("2025", 3, 4)


def test_echarts_is_served_from_our_static_files():
    # `make install` copies it from node_modules (package.json + lock file); no CDN at run time.
    found = finders.find("vendor/echarts/echarts.min.js")
    assert found, "run `make install`: ECharts is missing from static files"
    with open(found, "rb") as handle:
        assert b"echarts" in handle.read(4096)


def test_a_title_excel_refuses_as_a_sheet_name_still_exports():
    response = chart_export_response(sample(title="专利:逐月 [2026/03]"), category_header="年度")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.title == "专利 逐月  2026 03"
