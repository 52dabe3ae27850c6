"""Charts drawn in the page with Apache ECharts, served by the platform itself.

A view builds a `Chart` (what to draw, in plain numbers) and the template includes
``includes/chart.html`` with it. The same numbers are always shown as a table as well: a screen reader
reads the table, a phone too narrow for the drawing still shows the figures, and each category can link to
the records behind it (``links``), so a chart never shows a figure its drill-down cannot back. ECharts is
installed from the npm registry by ``make install`` (``package.json`` + lock file) into
``core/static/vendor/echarts/``; ``app.js`` loads it once, only on pages that have a chart.

``chart_export_response`` gives the same table as an Excel file, so every chart exports like every list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpResponse

from jingxiang.core.excel import export_response

ChartKind = Literal["bar", "line", "pie", "stacked"]
Number = int | float | Decimal | None


@dataclass(frozen=True)
class Series:
    """One named row of values, one value per category (None where there is no figure)."""

    name: str
    values: Sequence[Number]


@dataclass(frozen=True)
class Chart:
    """What to draw: categories along one axis, one or more series of values.

    ``key`` names the chart within its page (element ids, the export's file name); ``links`` gives, per
    category, the URL of the records behind it (or None); ``target`` draws a dashed line for a yearly
    target on bar and line charts.
    """

    key: str
    title: str
    kind: ChartKind
    categories: Sequence[str]
    series: Sequence[Series]
    unit: str = ""
    links: Sequence[str | None] = field(default_factory=tuple)
    target: Number = None

    def __post_init__(self) -> None:
        for one in self.series:
            if len(one.values) != len(self.categories):
                raise ValueError(
                    f"chart {self.key}: series {one.name!r} has {len(one.values)} values for "
                    f"{len(self.categories)} categories"
                )
        if self.links and len(self.links) != len(self.categories):
            raise ValueError(
                f"chart {self.key}: {len(self.links)} links for {len(self.categories)} categories"
            )
        if self.kind == "pie" and len(self.series) != 1:
            raise ValueError(f"chart {self.key}: a pie chart draws exactly one series")

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"

    def rows(self) -> list[dict[str, Any]]:
        """The table view: one row per category, its values in series order and its drill-down link."""
        links = list(self.links) or [None] * len(self.categories)
        return [
            {
                "category": category,
                "values": [one.values[index] for one in self.series],
                "cells": [(one.name, one.values[index]) for one in self.series],
                "url": links[index],
            }
            for index, category in enumerate(self.categories)
        ]

    def option(self) -> dict[str, Any]:
        """The ECharts option object (JSON-ready: Decimals become floats only for drawing)."""

        def plain(value: Number) -> float | int | None:
            if value is None:
                return None
            return float(value) if isinstance(value, Decimal) else value

        base: dict[str, Any] = {
            "aria": {"enabled": True},
            "tooltip": {"trigger": "item" if self.kind == "pie" else "axis"},
            "textStyle": {
                "fontFamily": "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"
            },
        }
        if len(self.series) > 1 or self.kind == "pie":
            base["legend"] = {"type": "scroll", "bottom": 0}
        if self.kind == "pie":
            base["series"] = [
                {
                    "type": "pie",
                    "name": self.series[0].name,
                    "radius": ["35%", "65%"],
                    "data": [
                        {"name": category, "value": plain(value)}
                        for category, value in zip(self.categories, self.series[0].values, strict=True)
                    ],
                }
            ]
            return base
        draw = "line" if self.kind == "line" else "bar"
        series: list[dict[str, Any]] = []
        for one in self.series:
            entry: dict[str, Any] = {"type": draw, "name": one.name, "data": [plain(v) for v in one.values]}
            if self.kind == "stacked":
                entry["stack"] = "total"
            series.append(entry)
        if self.target is not None and series:
            series[0]["markLine"] = {
                "symbol": "none",
                "lineStyle": {"type": "dashed"},
                "data": [{"yAxis": plain(self.target), "name": "target"}],
            }
        base.update(
            {
                "grid": {
                    "left": 8,
                    "right": 16,
                    "top": 24,
                    "bottom": 48 if "legend" in base else 24,
                    "containLabel": True,
                },
                "xAxis": {
                    "type": "category",
                    "data": list(self.categories),
                    "axisLabel": {"interval": 0, "hideOverlap": True},
                },
                "yAxis": {"type": "value", "name": self.unit},
                "series": series,
            }
        )
        return base


def chart_export_response(chart: Chart, *, category_header: str) -> HttpResponse:
    """The chart's table as an Excel file: one column for the categories, one per series."""
    headers = [category_header, *[one.name for one in chart.series]]
    rows = [[row["category"], *row["values"]] for row in chart.rows()]
    return export_response(chart.key, headers, rows, sheet_title=chart.title)
