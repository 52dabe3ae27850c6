"""Figures counted from records: per month, per scope, frozen for past months, with their drill-down.

One query per indicator for the live months (grouped by month), one for all frozen months of all
indicators, so a dashboard's query count depends on the number of indicators, never on the data.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count as CountAgg
from django.db.models import F, QuerySet
from django.db.models import Sum as SumAgg
from django.db.models.functions import Coalesce, TruncMonth

from jingxiang.insights.definitions import Indicator, indicators
from jingxiang.insights.models import IndicatorTarget, RunStatus, Snapshot, SnapshotRun
from jingxiang.insights.registry import Ratio, RecordSource, Sum, get_source

ZERO = Decimal("0")
TZ = ZoneInfo(settings.TIME_ZONE)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Period:
    """Whole months from ``first`` to ``last`` inclusive (both first days of their month)."""

    first: dt.date
    last: dt.date

    @property
    def months(self) -> list[dt.date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = next_month(month)
        return months

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        return next_month(self.last)

    def label(self) -> str:
        if self.first == self.last:
            return f"{self.first:%Y-%m}"
        return f"{self.first:%Y-%m} – {self.last:%Y-%m}"


@dataclass(frozen=True)
class Scope:
    """Which records count: all, some organisations (a firm's own), a region or a firm size."""

    organisation_ids: frozenset[int] | None = None
    region: str = ""
    size: str = ""

    def record_filter(self, organisation_field: str) -> dict[str, Any]:
        lookups: dict[str, Any] = {}
        if self.organisation_ids is not None:
            lookups[f"{organisation_field}__in"] = sorted(self.organisation_ids)
        if self.region:
            lookups[f"{organisation_field}__region"] = self.region
        if self.size:
            lookups[f"{organisation_field}__size"] = self.size
        return lookups

    def snapshot_filter(self) -> dict[str, Any]:
        return self.record_filter("organisation")


@dataclass
class Tally:
    """What a measure adds up: ``amount`` (count, sum or numerator) and ``base`` (records)."""

    amount: Decimal = ZERO
    base: int = 0

    def add(self, amount: Decimal | int | None, base: int | None) -> None:
        self.amount += Decimal(amount or 0)
        self.base += int(base or 0)


def value_of(indicator: Indicator, tally: Tally) -> Decimal | None:
    """The figure a tally stands for in the indicator's unit (a ratio of no records has none)."""
    if indicator.unit == "percent":
        if not tally.base:
            return None
        return (tally.amount * 100 / tally.base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if indicator.unit == "count":
        return tally.amount.quantize(Decimal("1"))
    return tally.amount.quantize(Decimal("0.01"))


def _bounds(source: RecordSource, first: dt.date, end: dt.date) -> dict[str, Any]:
    if source.date_is_datetime():
        start = dt.datetime.combine(first, dt.time(), tzinfo=TZ)
        stop = dt.datetime.combine(end, dt.time(), tzinfo=TZ)
        return {f"{source.date_field}__gte": start, f"{source.date_field}__lt": stop}
    return {f"{source.date_field}__gte": first, f"{source.date_field}__lt": end}


def _aggregates(source: RecordSource) -> dict[str, Any]:
    measure = source.measure
    if isinstance(measure, Ratio):
        return {"amount": CountAgg("pk", filter=measure.numerator), "base": CountAgg("pk")}
    if isinstance(measure, Sum):
        return {"amount": Coalesce(SumAgg(measure.field), ZERO), "base": CountAgg("pk")}
    return {"amount": CountAgg("pk"), "base": CountAgg("pk")}


def records(source: RecordSource, first: dt.date, end: dt.date, scope: Scope) -> QuerySet[Any]:
    """The records behind a figure: the source's rows dated in [first, end) within the scope."""
    return source.queryset().filter(
        **_bounds(source, first, end), **scope.record_filter(source.organisation_field)
    )


def frozen_months(months: Sequence[dt.date]) -> set[dt.date]:
    return set(
        SnapshotRun.objects.filter(month__in=list(months), status=RunStatus.DONE).values_list(
            "month", flat=True
        )
    )


def live_by_month(source: RecordSource, months: Sequence[dt.date], scope: Scope) -> dict[dt.date, Tally]:
    """Per-month tallies counted from the records now (one grouped query)."""
    if not months:
        return {}
    rows = (
        records(source, min(months), next_month(max(months)), scope)
        .annotate(
            insights_month=TruncMonth(source.date_field, tzinfo=TZ)
            if source.date_is_datetime()
            else TruncMonth(source.date_field)
        )
        .values("insights_month")
        .annotate(**_aggregates(source))
        .order_by()
    )
    wanted = set(months)
    result: dict[dt.date, Tally] = {}
    for row in rows:
        month = row["insights_month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        if month in wanted:
            result.setdefault(month, Tally()).add(row["amount"], row["base"])
    return result


def live_by_organisation(source: RecordSource, period: Period, scope: Scope) -> dict[int | None, Tally]:
    rows = (
        records(source, period.first, period.end, scope)
        .values(insights_org=F(source.organisation_field))
        .annotate(**_aggregates(source))
        .order_by()
    )
    return {row["insights_org"]: Tally(Decimal(row["amount"] or 0), int(row["base"] or 0)) for row in rows}


@dataclass
class Figure:
    indicator: Indicator
    period: Period
    total: Tally
    by_month: dict[dt.date, Tally]
    frozen: set[dt.date]
    target: Decimal | None = None
    median: Decimal | None = None
    peers: int = 0

    @property
    def value(self) -> Decimal | None:
        return value_of(self.indicator, self.total)

    def month_values(self) -> list[Decimal | None]:
        return [value_of(self.indicator, self.by_month.get(m, Tally())) for m in self.period.months]

    @property
    def progress(self) -> Decimal | None:
        """Share of the yearly target reached (per cent), for the figure's period."""
        if self.target in (None, ZERO) or self.value is None:
            return None
        return (self.value * 100 / self.target).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def targets_for(year: int, codes: Iterable[str]) -> dict[str, Decimal]:
    """Operators' targets where set, otherwise the indicator file's (one query)."""
    result = {code: target for code in codes if (target := indicators()[code].targets.get(year)) is not None}
    for code, value in IndicatorTarget.objects.filter(year=year, indicator__in=list(codes)).values_list(
        "indicator", "value"
    ):
        result[code] = value
    return result


def figures(codes: Sequence[str], period: Period, scope: Scope, *, with_median: bool = False) -> list[Figure]:
    """The figures of ``codes`` over ``period`` within ``scope``: frozen months from snapshots, the rest live."""
    months = period.months
    frozen = frozen_months(months)
    live_months = [m for m in months if m not in frozen]
    snapshot_rows: dict[str, dict[dt.date, Tally]] = defaultdict(dict)
    if frozen:
        rows = (
            Snapshot.objects.filter(
                indicator__in=list(codes), month__in=sorted(frozen), **scope.snapshot_filter()
            )
            .values("indicator", "month")
            .annotate(amount=SumAgg("amount"), base=SumAgg("base"))
            .order_by()
        )
        for row in rows:
            snapshot_rows[row["indicator"]].setdefault(row["month"], Tally()).add(row["amount"], row["base"])
    targets = targets_for(period.last.year, codes)
    result = []
    for code in codes:
        indicator = indicators()[code]
        source = get_source(indicator.source)
        by_month = dict(snapshot_rows.get(code, {}))
        by_month.update(live_by_month(source, live_months, scope))
        total = Tally()
        for tally in by_month.values():
            total.add(tally.amount, tally.base)
        figure = Figure(indicator, period, total, by_month, frozen, target=targets.get(code))
        if with_median:
            _add_median(figure, source, period)
        result.append(figure)
    return result


def _add_median(figure: Figure, source: RecordSource, period: Period) -> None:
    """The cluster median among organisations with records in the period (live, one query)."""
    values = [
        value
        for org, tally in live_by_organisation(source, period, Scope()).items()
        if org is not None and (value := value_of(figure.indicator, tally)) is not None
    ]
    figure.peers = len(values)
    if values:
        figure.median = Decimal(statistics.median(values)).quantize(Decimal("0.01"))


def drilldown_tally(source: RecordSource, queryset: QuerySet[Any]) -> Tally:
    row = queryset.order_by().aggregate(**_aggregates(source))
    return Tally(Decimal(row["amount"] or 0), int(row["base"] or 0))
