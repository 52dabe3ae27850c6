"""Thin views of insights: parse the period, find the viewer's scope, render figures and their records."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.core.charts import Chart, Series, chart_export_response
from jingxiang.core.excel import export_response
from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.insights import services
from jingxiang.insights.definitions import CHAINS, indicators
from jingxiang.insights.forms import PeriodForm, ReportForm, SnapshotForm, TargetForm
from jingxiang.insights.models import MonthlyReport, ReportSubscription, SnapshotRun
from jingxiang.insights.permissions import (
    access_indicator,
    may_manage,
    sees_cluster,
    uses_insights,
    viewer_scope,
)
from jingxiang.insights.registry import get_source
from jingxiang.insights.selectors import (
    Period,
    Scope,
    drilldown_tally,
    figures,
    month_start,
    records,
    value_of,
)
from jingxiang.organisations.models import Organisation


def _period_form(request: HttpRequest) -> PeriodForm:
    regions = list(
        Organisation.objects.exclude(region="").order_by("region").values_list("region", flat=True).distinct()
    )
    return PeriodForm(request.GET or None, regions=regions)


def _period_and_scope(request: HttpRequest, form: PeriodForm) -> tuple[Period | None, Scope | None]:
    if request.GET and not form.is_valid():
        return None, None
    if not request.GET:
        form.is_valid()  # unbound: fall back to this year
        today = month_start(timezone.localdate())
        period = Period(today.replace(month=1), today)
        return period, viewer_scope(request.user)
    return form.period(), viewer_scope(
        request.user, region=form.cleaned_data.get("region", ""), size=form.cleaned_data.get("size", "")
    )


def _query(request: HttpRequest) -> str:
    keep = {k: v for k, v in request.GET.items() if k in ("first", "last", "region", "size") and v}
    return urlencode(keep)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not uses_insights(request.user):
        raise Http404
    form = _period_form(request)
    period, scope = _period_and_scope(request, form)
    chains: list[dict[str, Any]] = []
    charts: list[Chart] = []
    if period is not None and scope is not None:
        codes = list(indicators())
        found = figures(codes, period, scope, with_median=not sees_cluster(request.user))
        for chain, label in CHAINS.items():
            items = [f for f in found if f.indicator.chain == chain]
            chains.append({"code": chain, "label": label, "figures": items})
            with_target = [f for f in items if f.progress is not None]
            if with_target:
                charts.append(
                    Chart(
                        key=f"progress-{chain}",
                        title=_("%(chain)s:年度目标完成率") % {"chain": label},
                        kind="bar",
                        categories=[f.indicator.name for f in with_target],
                        series=[Series(_("完成率"), [f.progress for f in with_target])],
                        unit="%",
                        links=[
                            reverse("insights:indicator", args=[f.indicator.code]) + "?" + _query(request)
                            for f in with_target
                        ],
                    )
                )
    export = request.GET.get("export")
    if export and (chart := next((c for c in charts if c.key == export), None)):
        return chart_export_response(chart, category_header=_("指标"))
    return render_page(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "period": period,
            "chains": chains,
            "charts": charts,
            "cluster": sees_cluster(request.user),
            "query": _query(request),
            "may_manage": may_manage(request.user),
        },
    )


@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = access_indicator(request.user, code)
    if not uses_insights(request.user):
        raise Http404
    form = _period_form(request)
    period, scope = _period_and_scope(request, form)
    figure = chart = None
    rows: list[dict[str, Any]] = []
    if period is not None and scope is not None:
        figure = figures([code], period, scope, with_median=not sees_cluster(request.user))[0]
        values = figure.month_values()
        base = reverse("insights:records", args=[code])
        chart = Chart(
            key="trend",
            title=_("%(name)s:逐月") % {"name": indicator.name},
            kind="line" if len(values) > 6 else "bar",
            categories=[f"{m:%Y-%m}" for m in period.months],
            series=[Series(indicator.name, values)],
            unit=indicator.unit_label,
            links=[f"{base}?first={m:%Y-%m}&last={m:%Y-%m}" for m in period.months],
        )
        rows = [
            {
                "month": m,
                "value": v,
                "frozen": m in figure.frozen,
                "url": f"{base}?first={m:%Y-%m}&last={m:%Y-%m}",
            }
            for m, v in zip(period.months, values, strict=True)
        ]
        if request.GET.get("export") == "trend":
            return chart_export_response(chart, category_header=_("月份"))
    return render_page(
        request,
        "insights/indicator.html",
        {
            "indicator": indicator,
            "form": form,
            "figure": figure,
            "chart": chart,
            "rows": rows,
            "query": _query(request),
        },
    )


@login_required
def indicator_records(request: HttpRequest, code: str) -> HttpResponse:
    """The records behind a figure: the same source, period and scope, so the rows add up to it."""
    indicator = access_indicator(request.user, code)
    if not uses_insights(request.user):
        raise Http404
    source = get_source(indicator.source)
    form = _period_form(request)
    period, scope = _period_and_scope(request, form)
    if period is None or scope is None:
        queryset = source.queryset().none()
    else:
        queryset = records(source, period.first, period.end, scope).select_related(*source.select_related)
    tally = drilldown_tally(source, queryset)
    figure = figures([code], period, scope)[0] if period is not None and scope is not None else None
    columns = [
        ExportColumn(gettext_lazy("日期"), lambda obj: _date_of(obj, source.date_field)),
        ExportColumn(gettext_lazy("机构"), lambda obj: _organisation_of(obj, source.organisation_field)),
        *[ExportColumn(c.label, c.value) for c in source.columns],
    ]

    def page_rows(_queryset: Any, page: Any) -> dict[str, Any]:
        shown = list(page.object_list)
        # A row links to its record only where the owning app lets this viewer open it (one query).
        openable = set(
            source.visible(request.user).filter(pk__in=[obj.pk for obj in shown]).values_list("pk", flat=True)
        )
        return {
            "rows": [
                {
                    "cells": [(column.header, column.value(obj)) for column in columns],
                    "url": source.url(obj) if obj.pk in openable else None,
                }
                for obj in shown
            ]
        }

    spec = ListSpec(
        template="insights/records.html",
        partial="insights/_records_rows.html",
        default_sort="-pk",
        sort=("pk",),
        export=Export(indicator.code, columns),
        context_from=page_rows,
    )
    return list_page(
        request,
        queryset,
        spec,
        {
            "indicator": indicator,
            "form": form,
            "figure": figure,
            "listed_value": value_of(indicator, tally),
            "listed_count": tally.base,
            "columns": columns,
            "query": _query(request),
        },
    )


def _date_of(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part, None)
    if hasattr(obj, "astimezone"):
        return timezone.localtime(obj).date()
    return obj


def _organisation_of(obj: Any, path: str) -> str:
    for part in path.split("__"):
        obj = getattr(obj, part, None)
    return getattr(obj, "name", "") if obj is not None else ""


def open_data(request: HttpRequest) -> HttpResponse:
    """Public indicators by month for anyone, with their definitions; CSV and Excel."""
    today = month_start(timezone.localdate())
    first = month_start(today.replace(year=today.year - 1) + dt.timedelta(days=31))
    period = Period(first, today)
    public = [i.code for i in indicators().values() if i.public]
    found = figures(public, period, Scope())
    headers = [_("指标代码"), _("指标"), _("单位"), *[f"{m:%Y-%m}" for m in period.months]]
    rows = [
        [
            f.indicator.code,
            f.indicator.name,
            f.indicator.unit_label,
            *[v if v is not None else "" for v in f.month_values()],
        ]
        for f in found
    ]
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return export_response("jingxiang-open-data", headers, rows, sheet_title=_("公开指标"))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="jingxiang-open-data-{today:%Y%m}.csv"'
        return response
    return render_page(
        request, "insights/open_data.html", {"figures": found, "period": period, "months": period.months}
    )


@login_required
def snapshots(request: HttpRequest) -> HttpResponse:
    if not may_manage(request.user):
        raise Http404
    form = SnapshotForm(request.POST or None)
    runs = SnapshotRun.objects.select_related("started_by")[:50]
    return form_page(
        request,
        form,
        save=lambda data: services.snapshot_run_start(
            actor=request.user, month=data["month"], reason=data["reason"]
        ),
        success_url=reverse("insights:snapshots"),
        success_message=_("已开始计算,完成后该月指标即冻结。"),
        template="insights/snapshots.html",
        context={"title": _("指标快照"), "back": reverse("insights:dashboard"), "runs": runs},
    )


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    if not may_manage(request.user):
        raise Http404
    form = TargetForm(request.POST or None, initial={"year": timezone.localdate().year})
    return form_page(
        request,
        form,
        save=lambda data: services.target_set(
            actor=request.user, indicator=data["indicator"], year=data["year"], value=data["value"]
        ),
        success_url=reverse("insights:dashboard"),
        success_message=_("目标已保存。"),
        context={"title": _("设定年度目标"), "back": reverse("insights:dashboard")},
    )


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    if not uses_insights(request.user):
        raise Http404
    if request.method == "POST" and "subscribe" in request.POST:
        services.subscription_set(actor=request.user, active=request.POST["subscribe"] == "1")
        messages.success(request, _("订阅设置已保存。"))
        return redirect("insights:reports")
    form = ReportForm(request.POST or None) if may_manage(request.user) else None
    context = {
        "title": _("月度报告"),
        "back": reverse("insights:dashboard"),
        "reports": MonthlyReport.objects.all()[:36],
        "subscribed": ReportSubscription.objects.filter(user=request.user, active=True).exists(),  # type: ignore[misc]
    }
    if form is None:
        return render_page(request, "insights/reports_readonly.html", context)
    return form_page(
        request,
        form,
        save=lambda data: services.report_request(actor=request.user, month=data["month"]),
        success_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        success_message=_("报告正在生成。"),
        template="insights/reports.html",
        context=context,
    )


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    if not uses_insights(request.user):
        raise Http404
    report = get_object_or_404(MonthlyReport, pk=pk)
    if not report.pdf:
        raise Http404
    return FileResponse(report.pdf.open("rb"), as_attachment=True, filename=f"{report.number}.pdf")
