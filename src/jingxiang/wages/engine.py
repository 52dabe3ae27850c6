"""Checking worker-months against the agreement in force and the statutory minimum.

Rules (ids are stable; the web app stores them):

``W-STAT``  pay for normal hours excluding the skill allowance and overtime (base + piece + other)
            ≥ the statutory monthly minimum of the region tier in force that month.
``W-NORM``  pay for normal hours including the skill allowance ≥ the agreement's norm for the
            post's class and the worker's *certified* level (minimum-wage form), or ≥ the
            statutory minimum + the agreed allowance (allowance form).
``W-ALLOW`` allowance form only: the skill allowance paid ≥ the agreed allowance.
``W-OT``    overtime pay ≥ the hours at 150 / 200 / 300 % (or the agreement's higher rates) of the
            hourly base: the agreed monthly overtime base ÷ 21.75 ÷ 8.
``W-PIECE`` piece pay ≥ the pieces at the agreed rate per process.

Rounding: every amount owed is computed exactly and rounded once to the fen, half up — each overtime
rate and each process separately (as on a payslip), then summed. Paid amounts are taken as given.
A month with fewer normal hours than the standard month (``normal_hours`` < 174) pro-rates the
monthly requirements (W-STAT, W-NORM, W-ALLOW) by normal hours ÷ 174, rounded the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any, NamedTuple

from jingxiang.wages.agreement import SKILL_ALLOWANCE, Agreement, Norm
from jingxiang.wages.amounts import CONTEXT, HUNDRED, ZERO, money, month_text, plain, round_fen
from jingxiang.wages.model import Problem, collector_paused
from jingxiang.wages.rows import WageRow, parse_rows


@dataclass(frozen=True)
class Rule:
    id: str
    label_zh: str
    label_en: str
    source: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "W-STAT",
            "法定最低工资",
            "statutory minimum wage",
            "最低工资规定 Art.12 (overtime and special allowances excluded); 人社厅发〔2025〕52号 (wages "
            "excluding the skill allowance not below the statutory minimum)",
        ),
        Rule(
            "W-NORM",
            "能级工资标准",
            "skill-level wage norm",
            "the agreement's term in force; 人社厅发〔2025〕52号",
        ),
        Rule("W-ALLOW", "技能津贴标准", "skill allowance", "the agreement's term in force (月最低技能津贴)"),
        Rule(
            "W-OT",
            "加班工资",
            "overtime pay",
            "劳动法 Art.44 (150/200/300 %); 劳社部发〔2008〕3号 (÷ 21.75 ÷ 8); the agreement's overtime base",
        ),
        Rule("W-PIECE", "计件单价", "piece rates", "the agreement's piece rates per process"),
    )
}
_TIERS = {tier: str(tier) for tier in range(10)}


# A figure is kept raw and rendered only when a report is written: a 63,000-row file has some
# 200,000 findings, nearly all passing, and formatting their figures eagerly doubled the check time.
# Decimal = money; str = text; a tuple = (template, values…), see _render.
Figure = Decimal | str | tuple[Any, ...]


def _render(value: Figure) -> str:
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, str):
        return value
    kind, *values = value
    if kind == "hours":
        hours, percent, amount = values
        return f"{plain(hours)} h × {plain(percent)} % = {money(amount)}"
    if kind == "hourly":
        base, hours_per_month = values
        return f"{base / hours_per_month:.4f}"
    if kind == "conversion":
        return f"÷ {plain(values[0])} ÷ {plain(values[1])}"
    name, count, unit, rate, amount = values
    return f"{name}: {plain(count)} {unit} × {plain(rate)} = {money(amount)}"


class Finding(NamedTuple):
    """One rule judged on one row, with the figures the judgement used.

    A named tuple rather than a frozen dataclass: it is built five times per row, and a frozen
    dataclass's ``__init__`` cost a quarter of the check time on a 63,000-row file.
    """

    rule_id: str
    passed: bool
    required: Decimal
    paid: Decimal
    raw_figures: tuple[tuple[str, Figure], ...] = ()

    @property
    def figures(self) -> tuple[tuple[str, str], ...]:
        return tuple((key, _render(value)) for key, value in self.raw_figures)

    @property
    def shortfall(self) -> Decimal:
        return ZERO if self.passed else self.required - self.paid

    def to_dict(self) -> dict[str, Any]:
        rule = RULES[self.rule_id]
        return {
            "rule": self.rule_id,
            "label_zh": rule.label_zh,
            "label_en": rule.label_en,
            "status": "pass" if self.passed else "fail",
            "required": money(self.required),
            "paid": money(self.paid),
            "shortfall": money(self.shortfall),
            "figures": dict(self.figures),
            "source": rule.source,
        }


class RowResult(NamedTuple):
    row: WageRow
    norm: Norm
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    passed: bool = True

    @property
    def failures(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if not finding.passed)

    def to_dict(self) -> dict[str, Any]:
        row = self.row
        return {
            "row": row.row,
            "firm": row.firm,
            "worker_id": row.worker_id,
            "month": month_text(row.month),
            "post": row.post.name_zh,
            "post_class": row.post.post_class.name_zh,
            "certified_level": row.level.name_zh,
            "applied_level": self.norm.applied_level.name_zh,
            "term": row.term.id,
            "status": "pass" if self.passed else "fail",
            "norm": money(self.norm.amount),
            "statutory_minimum": money(self.norm.statutory_minimum),
            "findings": [finding.to_dict() for finding in self.findings],
            "notes": list(self.notes),
        }


@dataclass
class RuleTally:
    failures: int = 0
    shortfall: Decimal = ZERO


@dataclass
class FirmTally:
    rows: int = 0
    failed_rows: int = 0
    shortfall: Decimal = ZERO


@dataclass
class Report:
    """All rows of one file checked; ``failures_by_rule`` and ``by_firm`` feed the union's compliance page."""

    agreement: Agreement
    results: list[RowResult]
    warnings: list[Problem] = field(default_factory=list)
    source: str = ""

    @property
    def failed(self) -> list[RowResult]:
        return [result for result in self.results if not result.passed]

    def failures_by_rule(self) -> dict[str, RuleTally]:
        tallies = {rule_id: RuleTally() for rule_id in RULES}
        for result in self.results:
            for finding in result.findings:
                if not finding.passed:
                    tally = tallies[finding.rule_id]
                    tally.failures += 1
                    tally.shortfall += finding.shortfall
        return tallies

    def by_firm(self) -> dict[str, FirmTally]:
        tallies: dict[str, FirmTally] = {}
        for result in self.results:
            tally = tallies.setdefault(result.row.firm, FirmTally())
            tally.rows += 1
            if not result.passed:
                tally.failed_rows += 1
                tally.shortfall += sum((finding.shortfall for finding in result.findings), ZERO)
        return tallies

    def months(self) -> list[datetime.date]:
        return sorted({result.row.month for result in self.results})

    def summary(self) -> dict[str, Any]:
        by_rule = self.failures_by_rule()
        failed = self.failed
        return {
            "rows": len(self.results),
            "rows_passed": len(self.results) - len(failed),
            "rows_failed": len(failed),
            "workers": len({(result.row.firm, result.row.worker_id) for result in self.results}),
            "months": [month_text(month) for month in self.months()],
            "shortfall_total": money(sum((tally.shortfall for tally in by_rule.values()), ZERO)),
            "failures_by_rule": {
                rule_id: {"failures": tally.failures, "shortfall": money(tally.shortfall)}
                for rule_id, tally in by_rule.items()
            },
            "by_firm": {
                firm: {
                    "rows": tally.rows,
                    "rows_failed": tally.failed_rows,
                    "shortfall": money(tally.shortfall),
                }
                for firm, tally in sorted(self.by_firm().items())
            },
        }

    def to_dict(self, *, include_passing: bool = False) -> dict[str, Any]:
        with collector_paused():
            return self._to_dict(include_passing)

    def _to_dict(self, include_passing: bool) -> dict[str, Any]:
        rows = self.results if include_passing else self.failed
        return {
            "status": "checked",
            "agreement": {
                "id": self.agreement.id,
                "title_zh": self.agreement.title_zh,
                "region": self.agreement.region,
            },
            "source": self.source,
            "summary": self.summary(),
            "rows": [result.to_dict() for result in rows],
            "warnings": [warning.to_dict() for warning in self.warnings],
        }


def check_rows(
    agreement: Agreement, rows: Iterable[WageRow], warnings: Sequence[Problem] = (), source: str = ""
) -> Report:
    """Check parsed rows (see :func:`jingxiang.wages.rows.parse_rows`) in one exact decimal context."""
    with localcontext(CONTEXT), collector_paused():
        results = [_check_row(agreement, row) for row in rows]
    return Report(agreement, results, list(warnings), source)


def check_row(agreement: Agreement, row: WageRow) -> RowResult:
    """Every rule that applies to one worker-month (the self-check page checks one at a time)."""
    with localcontext(CONTEXT):
        return _check_row(agreement, row)


def check_values(agreement: Agreement, values: Mapping[str, object]) -> RowResult:
    """One worker-month given as column → value (the public self-check form), validated like a file row.

    Keys are the column names or labels of the wage file (``post``/``岗位``, ``level``, ``month``,
    ``base_wage`` …; ``worker_id`` may be left out). Raises :class:`RowsRejectedError` naming each
    bad field, so the form can show the message beside it.
    """
    data = {"worker_id": "self-check", **values}
    names = list(data)
    rows, _ = parse_rows(agreement, [(0, tuple(names)), (1, tuple(data[name] for name in names))])  # type: ignore[misc]
    return check_row(agreement, rows[0])


def _check_row(agreement: Agreement, row: WageRow) -> RowResult:
    norm = agreement.norm(row.post, row.level, row.month)
    term = row.term
    hours_per_month = term.overtime.hours_per_month
    notes = list(norm.notes)
    normal_hours = row.normal_hours
    prorate = normal_hours is not None and normal_hours < hours_per_month

    def monthly(amount: Decimal) -> Decimal:
        if normal_hours is None or not prorate:
            return amount
        return round_fen(amount * normal_hours / hours_per_month)

    if normal_hours is not None and prorate:
        notes.append(
            f"{plain(normal_hours)} of {plain(hours_per_month)} normal hours: monthly requirements pro-rated"
        )
    findings: list[Finding] = []
    normal_pay = row.base_wage + row.piece_pay + row.other_pay
    statutory = monthly(norm.statutory_minimum)
    findings.append(
        Finding(
            "W-STAT",
            normal_pay >= statutory,
            statutory,
            normal_pay,
            (
                ("statutory_minimum", norm.statutory_minimum),
                ("tier", _TIERS[norm.tier]),
                ("base_wage", row.base_wage),
                ("piece_pay", row.piece_pay),
                ("other_pay", row.other_pay),
            ),
        )
    )
    total = normal_pay + row.skill_allowance
    required = monthly(norm.amount)
    findings.append(
        Finding(
            "W-NORM",
            total >= required,
            required,
            total,
            (
                ("norm", norm.amount),
                ("post_class", norm.post.post_class.name_zh),
                ("applied_level", norm.applied_level.name_zh),
                ("term", term.id),
                ("skill_allowance", row.skill_allowance),
            ),
        )
    )
    if term.form == SKILL_ALLOWANCE and norm.allowance is not None:
        allowance = monthly(norm.allowance)
        findings.append(
            Finding(
                "W-ALLOW",
                row.skill_allowance >= allowance,
                allowance,
                row.skill_allowance,
                (("agreed_allowance", norm.allowance), ("applied_level", norm.applied_level.name_zh)),
            )
        )
    overtime = _overtime(row, norm)
    if overtime is not None:
        findings.append(overtime)
    if row.pieces:
        findings.append(_pieces(row))
    return RowResult(row, norm, tuple(findings), tuple(notes), all(finding.passed for finding in findings))


def overtime_base(row: WageRow, norm: Norm) -> tuple[Decimal, str]:
    """The monthly base overtime is paid on, and how it was chosen; never below the statutory minimum."""
    basis = row.term.overtime.basis
    if basis == "norm":
        base, how = norm.amount, "norm"
    elif basis == "contract":
        base, how = row.contract_wage or ZERO, "contract wage"
    elif row.contract_wage is not None and row.contract_wage > norm.amount:
        base, how = row.contract_wage, "contract wage (higher than the norm)"
    else:
        base, how = (
            norm.amount,
            "norm (not below the contract wage)" if row.contract_wage is not None else "norm",
        )
    if base < norm.statutory_minimum:
        return norm.statutory_minimum, "statutory minimum (the agreed base is below it)"
    return base, how


def _overtime(row: WageRow, norm: Norm) -> Finding | None:
    weekday, rest_day, holiday = (
        row.overtime_weekday_hours,
        row.overtime_rest_day_hours,
        row.overtime_holiday_hours,
    )
    if not (weekday or rest_day or holiday):
        return None
    terms = row.term.overtime
    hours_per_month = terms.hours_per_month
    base, how = overtime_base(row, norm)
    divisor = HUNDRED * hours_per_month
    figures: list[tuple[str, Figure]] = [
        ("overtime_base", base),
        ("basis", how),
        ("hourly_base", ("hourly", base, hours_per_month)),
        ("conversion", ("conversion", terms.days_per_month, terms.hours_per_day)),
    ]
    owed = ZERO
    for kind, hours, percent in (
        ("weekday", weekday, terms.weekday_percent),
        ("rest_day", rest_day, terms.rest_day_percent),
        ("holiday", holiday, terms.holiday_percent),
    ):
        if hours:
            amount = round_fen(base * hours * percent / divisor)
            owed += amount
            figures.append((kind, ("hours", hours, percent, amount)))
    return Finding("W-OT", row.overtime_pay >= owed, owed, row.overtime_pay, tuple(figures))


def _pieces(row: WageRow) -> Finding:
    owed = ZERO
    figures: list[tuple[str, Figure]] = []
    for process, count in row.pieces:
        rate = row.term.piece_rates[process.id]
        amount = round_fen(count * rate)
        owed += amount
        figures.append((process.id, ("pieces", process.name_zh, count, process.unit, rate, amount)))
    return Finding("W-PIECE", row.piece_pay >= owed, owed, row.piece_pay, tuple(figures))
