"""The statutory minimum wage by region tier and date, from a data file (``minimum_wages/*.yaml``).

Kept apart from the agreements because the government, not the negotiating parties, sets it, and
one table serves every agreement in the province. A month is judged by the standard in force on
its first day; the loader insists that standards take effect on the first of a month so that no
month ever straddles two standards.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources

from jingxiang.wages.amounts import parse_date
from jingxiang.wages.loading import parse_yaml, schema_problems
from jingxiang.wages.model import WARNING, MinimumWageTableInvalidError, Problem

FORMAT = "jingxiang-minimum-wage/1"


@dataclass(frozen=True)
class StatutoryPeriod:
    """One announced standard, in force from ``effective_from`` until the next one."""

    effective_from: datetime.date
    source: str
    certainty: str
    monthly: Mapping[int, Decimal]
    hourly: Mapping[int, Decimal]


@dataclass(frozen=True)
class RegionTier:
    region: str
    tier: int
    certainty: str
    note: str = ""


@dataclass(frozen=True)
class StatutoryTable:
    id: str
    jurisdiction: str
    periods: tuple[StatutoryPeriod, ...]
    regions: Mapping[str, RegionTier] = field(default_factory=dict)
    last_reviewed: datetime.date | None = None
    source: str = ""

    def period_for(self, month: datetime.date) -> StatutoryPeriod | None:
        """The standard in force on the first day of ``month``, or ``None`` before the first one."""
        found = None
        for period in self.periods:
            if period.effective_from <= month:
                found = period
            else:
                break
        return found

    def periods_within(
        self, start: datetime.date, end: datetime.date
    ) -> list[tuple[datetime.date, StatutoryPeriod | None]]:
        """``(first month, period)`` for every standard in force during ``start``…``end`` (months)."""
        spans: list[tuple[datetime.date, StatutoryPeriod | None]] = [(start, self.period_for(start))]
        for period in self.periods:
            if start < period.effective_from <= end:
                spans.append((period.effective_from, period))
        return spans

    def tier_of(self, region: str) -> RegionTier | None:
        return self.regions.get(region.strip())

    def tiers(self) -> set[int]:
        return {tier for period in self.periods for tier in period.monthly}


def load_statutory_text(text: str, source: str = "<upload>") -> StatutoryTable:
    """Load a minimum-wage table or raise :class:`MinimumWageTableInvalidError` listing every problem."""
    table, problems = statutory_problems_and_table(text, source)
    errors = [problem for problem in problems if problem.is_error]
    if errors or table is None:
        raise MinimumWageTableInvalidError(errors)
    return table


def statutory_problems_and_table(text: str, source: str) -> tuple[StatutoryTable | None, list[Problem]]:
    data, problems = parse_yaml(text, "a minimum-wage table")
    if data is None:
        return None, problems
    problems = schema_problems(data, "minimum-wage.schema.json")
    if problems:
        return None, problems
    periods: list[StatutoryPeriod] = []
    previous: datetime.date | None = None
    for index, raw in enumerate(data["periods"]):
        path = f"/periods/{index}"
        try:
            start = parse_date(raw["effective_from"])
        except ValueError as error:
            problems.append(Problem(f"{path}/effective_from", str(error), "date"))
            continue
        if start.day != 1:
            problems.append(
                Problem(
                    f"{path}/effective_from",
                    f"{start.isoformat()} is not the first day of a month: wages are checked by month, "
                    "so a standard must take effect on the 1st",
                    "not_month_start",
                )
            )
        if previous is not None and start <= previous:
            problems.append(
                Problem(
                    f"{path}/effective_from",
                    "periods must be in date order, each after the one before",
                    "order",
                )
            )
        previous = start
        tiers = [entry["tier"] for entry in raw["tiers"]]
        if len(set(tiers)) != len(tiers):
            problems.append(Problem(f"{path}/tiers", "a tier is listed twice", "duplicate_tier"))
        monthly = {entry["tier"]: Decimal(entry["monthly"]) for entry in raw["tiers"]}
        hourly = {entry["tier"]: Decimal(entry["hourly"]) for entry in raw["tiers"] if "hourly" in entry}
        ordered = [monthly[tier] for tier in sorted(monthly)]
        if any(second > first for first, second in itertools.pairwise(ordered)):
            problems.append(
                Problem(
                    f"{path}/tiers",
                    "tier 1 should be the highest standard, each next tier lower",
                    "tier_order",
                    WARNING,
                )
            )
        periods.append(StatutoryPeriod(start, raw["source"], raw["certainty"], monthly, hourly))
    regions = {
        name.strip(): RegionTier(name.strip(), entry["tier"], entry["certainty"], entry.get("note", ""))
        for name, entry in data.get("regions", {}).items()
    }
    known = {tier for period in periods for tier in period.monthly}
    for name, region in regions.items():
        if region.tier not in known:
            problems.append(
                Problem(f"/regions/{name}/tier", f"tier {region.tier} is in no period", "unknown_tier")
            )
    last_reviewed = None
    if "last_reviewed" in data:
        try:
            last_reviewed = parse_date(data["last_reviewed"])
        except ValueError as error:
            problems.append(Problem("/last_reviewed", str(error), "date"))
    if any(problem.is_error for problem in problems):
        return None, problems
    table = StatutoryTable(
        id=data["id"],
        jurisdiction=data["jurisdiction"],
        periods=tuple(periods),
        regions=regions,
        last_reviewed=last_reviewed,
        source=source,
    )
    return table, problems


@cache
def builtin_statutory(table_id: str) -> StatutoryTable | None:
    """A table shipped in ``jingxiang/wages/minimum_wages`` by its id (the file name), or ``None``."""
    folder = resources.files("jingxiang.wages").joinpath("minimum_wages")
    entry = folder.joinpath(f"{table_id}.yaml")
    if not table_id.replace("-", "").replace("_", "").isalnum() or not entry.is_file():
        return None
    return load_statutory_text(entry.read_text(encoding="utf-8"), f"{table_id}.yaml")


def builtin_statutory_ids() -> list[str]:
    folder = resources.files("jingxiang.wages").joinpath("minimum_wages")
    return sorted(
        entry.name.removesuffix(".yaml") for entry in folder.iterdir() if entry.name.endswith(".yaml")
    )
