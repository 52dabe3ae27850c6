"""The monthly report: figures of the month, change against last month and the year's target, as a PDF.

Official documents render in Chinese whatever the reader's language. Its public verification page shows
the month, the number and the public figures, exactly as printed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument
from jingxiang.insights.definitions import CHAINS, indicators
from jingxiang.insights.models import MonthlyReport
from jingxiang.insights.selectors import Period, Scope, figures, month_start


def _previous(month: dt.date) -> dt.date:
    return month_start(month - dt.timedelta(days=1))


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def monthly_report_figures(month: dt.date) -> list[dict[str, Any]]:
    """Each indicator's figure for the month, last month, the year so far and the year's target."""
    codes = list(indicators())
    with translation.override("zh-hans"):
        this = figures(codes, Period(month, month), Scope())
        before = {
            f.indicator.code: f for f in figures(codes, Period(_previous(month), _previous(month)), Scope())
        }
        year = {f.indicator.code: f for f in figures(codes, Period(month.replace(month=1), month), Scope())}
        trend_first = month_start(month.replace(year=month.year - 1) + dt.timedelta(days=31))
        trend = {f.indicator.code: f for f in figures(codes, Period(trend_first, month), Scope())}
    result = []
    for figure in this:
        code = figure.indicator.code
        value, previous = figure.value, before[code].value
        change = None if value is None or previous is None else value - previous
        result.append(
            {
                "code": code,
                "name": figure.indicator.names["zh"],
                "chain": figure.indicator.chain,
                "unit": figure.indicator.unit_labels["zh"],
                "public": figure.indicator.public,
                "value": _plain(value),
                "previous": _plain(previous),
                "change": _plain(change),
                "year_to_date": _plain(year[code].value),
                "target": _plain(year[code].target),
                "progress": _plain(year[code].progress),
                "frozen": month in figure.frozen,
                "trend": [
                    [f"{m:%Y-%m}", _plain(v)]
                    for m, v in zip(trend[code].period.months, trend[code].month_values(), strict=True)
                ],
            }
        )
    return result


def monthly_report_pdf(report: MonthlyReport) -> bytes:
    month = report.month
    figures_ = report.figures
    frozen = all(item["frozen"] for item in figures_) if figures_ else False
    document = PdfDocument(
        title="三链融合月度报告",
        subtitle=f"{month:%Y 年 %m 月} · 杜桥眼镜产业集群",
        number=report.number,
        issuer="镜享平台运营方",
        facts=[
            ("统计月份", f"{month:%Y-%m}"),
            ("口径", "月末冻结快照" if frozen else "按生成时的记录计算(该月尚未冻结)"),
            ("指标数", str(len(figures_))),
        ],
        verify_kind="insights-report",
        verify_code=report.verification_code,
        footer_note="每项指标均由平台记录计算,可在平台上逐条下钻核对。",
    )
    for chain, label in CHAINS.items():
        rows = [
            [
                item["name"],
                _with_unit(item["value"], item["unit"]),
                _with_unit(item["previous"], item["unit"]),
                _signed(item["change"]),
                _with_unit(item["year_to_date"], item["unit"]),
                _with_unit(item["target"], item["unit"]),
                f"{item['progress']}%" if item["progress"] is not None else "—",
            ]
            for item in figures_
            if item["chain"] == chain
        ]
        if not rows:
            continue
        with translation.override("zh-hans"):
            heading = str(label)
        document.add_table(heading, ["指标", "本月", "上月", "环比", "本年累计", "年度目标", "完成率"], rows)
        headline = next(item for item in figures_ if item["chain"] == chain)
        document.add_bar_chart(
            f"{headline['name']} · 近 12 个月",
            [m[5:] for m, _ in headline["trend"]],
            [float(v) if v is not None else None for _, v in headline["trend"]],
        )
    return document.render()


def _with_unit(value: str | None, unit: str) -> str:
    return "—" if value is None else f"{value} {unit}"


def _signed(value: str | None) -> str:
    if value is None:
        return "—"
    return value if value.startswith("-") else f"+{value}"


def report_lookup(code: str) -> dict[str, Any] | None:
    report = MonthlyReport.objects.filter(verification_code=code.upper()).first()
    if report is None:
        return None
    public = [item for item in report.figures if item["public"]]
    return {
        "status": "valid",
        "status_label": _("有效"),
        "title": _("三链融合月度报告 %(month)s") % {"month": f"{report.month:%Y-%m}"},
        "facts": [(_("编号"), report.number), (_("生成时间"), f"{report.updated_at:%Y-%m-%d %H:%M}")]
        + [(item["name"], _with_unit(item["value"], item["unit"])) for item in public],
        "note": _("此处只显示公开指标,数值与报告所印一致。"),
    }
