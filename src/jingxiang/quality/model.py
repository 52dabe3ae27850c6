"""Typed inputs and outputs of the engine: the case, each item's result and the verdict.

Numbers are ``Decimal`` everywhere; ``to_dict`` renders them as strings so that a verdict stored
as JSON keeps exactly the digits the decision was made on.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jingxiang.quality.exact import format_decimal
from jingxiang.quality.vocabulary import ProductType

FieldValue = Decimal | bool
LensValues = dict[str, FieldValue]


class Certainty(enum.StrEnum):
    """How sure the reference is of a value: V read from the standard, S secondary source, U recall."""

    VERIFIED = "V"
    SECONDARY = "S"
    UNVERIFIED = "U"


class ItemStatus(enum.StrEnum):
    """Outcome of one item. ``not_applicable`` is reserved for items the product does not call for."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    NOT_ASSESSED = "not_assessed"
    NOT_APPLICABLE = "not_applicable"


class Overall(enum.StrEnum):
    """Overall verdict.

    ``incomplete`` is never a pass: some mandatory item could not be assessed. A failing item
    decides ``fail`` even when other items are missing, because more data cannot rescue it.
    """

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    INCOMPLETE = "incomplete"
    #: A row fails on an indicative (U, unconfirmed) limit and nobody has decided it yet: the
    #: reviewer confirms the limit (the row then counts) or excludes the item with a written reason.
    UNDECIDED = "undecided"


INDICATIVE_NOTICE_ZH = "参考性结果,请对照标准原文核实"
INDICATIVE_NOTICE_EN = "indicative, verify against the standard text"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a case or a rules file, addressed by a JSON-pointer-like path."""

    path: str
    message: str
    code: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


class CaseRejectedError(ValueError):
    """The case cannot be judged; ``problems`` lists every reason, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{problem.path}: {problem.message}" for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Case:
    """A product to judge, already parsed into canonical units.

    ``nominal`` and ``measured`` hold whole-product values by field name; ``nominal_lenses`` and
    ``measured_lenses`` hold per-lens values keyed by side (``lens`` for an uncut lens,
    ``right``/``left`` for spectacles).
    """

    product_type: ProductType
    standard: str | None
    edition: str | None = None
    test_date: datetime.date | None = None
    nominal: dict[str, FieldValue] = field(default_factory=dict)
    measured: dict[str, FieldValue] = field(default_factory=dict)
    nominal_lenses: dict[str, LensValues] = field(default_factory=dict)
    measured_lenses: dict[str, LensValues] = field(default_factory=dict)
    confirmed_rules: frozenset[str] = frozenset()
    #: Items the reviewer left out of the conclusion, rule id -> the written reason (printed).
    excluded_rules: Mapping[str, str] = field(default_factory=dict)
    case_id: str | None = None
    input_warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Acceptance:
    """What passes, expressed on the deviation (``deviation``) or on the measured value (``value``)."""

    applies_to: str
    low: Decimal | None
    low_inclusive: bool
    high: Decimal | None
    high_inclusive: bool

    def accepts(self, quantity: Decimal) -> bool:
        if self.low is not None and (
            quantity < self.low or (quantity == self.low and not self.low_inclusive)
        ):
            return False
        return not (
            self.high is not None
            and (quantity > self.high or (quantity == self.high and not self.high_inclusive))
        )

    def describe(self) -> str:
        """Short human text: ``±0.12``, ``≤ 0.50``, ``≥ 0.80``, ``(3, 8]``."""
        if (
            self.low is not None
            and self.high is not None
            and self.low == -self.high
            and self.low_inclusive
            and self.high_inclusive
        ):
            return f"±{format_decimal(self.high)}"
        if self.low is None and self.high is not None:
            return f"{'≤' if self.high_inclusive else '<'} {format_decimal(self.high)}"
        if self.high is None and self.low is not None:
            return f"{'≥' if self.low_inclusive else '>'} {format_decimal(self.low)}"
        low = "-inf" if self.low is None else format_decimal(self.low)
        high = "inf" if self.high is None else format_decimal(self.high)
        return f"{'[' if self.low_inclusive else '('}{low}, {high}{']' if self.high_inclusive else ')'}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "applies_to": self.applies_to,
            "low": None if self.low is None else format_decimal(self.low),
            "low_inclusive": self.low_inclusive,
            "high": None if self.high is None else format_decimal(self.high),
            "high_inclusive": self.high_inclusive,
        }


def symmetric_tolerance(tolerance: Decimal) -> Acceptance:
    """``|deviation| ≤ tolerance``: the standards' "shall not deviate by more than"."""
    return Acceptance("deviation", -tolerance, True, tolerance, True)


def at_most(limit: Decimal, applies_to: str = "value") -> Acceptance:
    return Acceptance(applies_to, None, False, limit, True)


def at_least(limit: Decimal, applies_to: str = "value") -> Acceptance:
    return Acceptance(applies_to, limit, True, None, False)


@dataclass(frozen=True)
class ItemResult:
    """One judged item, with everything the report must cite."""

    rule_id: str
    label_zh: str
    label_en: str
    status: ItemStatus
    standard: str
    edition: str
    clause: str
    certainty: Certainty
    mandatory: bool
    side: str | None = None
    part: str | None = None
    measured: FieldValue | None = None
    nominal: FieldValue | None = None
    deviation: Decimal | None = None
    acceptance: Acceptance | None = None
    unit: str = ""
    confirmed: bool = False
    notes: tuple[str, ...] = ()
    #: Why the reviewer left this item out of the conclusion (None = it counts).
    exclusion_reason: str | None = None
    #: Where the rules file says the U value was checked (``confirmed_source``), if it does.
    confirmed_source: str | None = None

    @property
    def indicative(self) -> bool:
        """A U rule nobody confirmed (not the case, not the rules file): a failure needs a decision."""
        return self.certainty is Certainty.UNVERIFIED and not self.confirmed

    @property
    def excluded(self) -> bool:
        return self.exclusion_reason is not None

    @property
    def result_id(self) -> str:
        """Unique within a verdict: rule id, then lens side and part (e.g. ``L-PWR-A.right.meridian_2``)."""
        return ".".join(part for part in (self.rule_id, self.side, self.part) if part is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "result_id": self.result_id,
            "rule_id": self.rule_id,
            "side": self.side,
            "part": self.part,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "status": self.status.value,
            "measured": _render(self.measured),
            "nominal": _render(self.nominal),
            "deviation": _render(self.deviation),
            "tolerance": None if self.acceptance is None else self.acceptance.describe(),
            "acceptance": None if self.acceptance is None else self.acceptance.to_dict(),
            "unit": self.unit,
            "standard": self.standard,
            "edition": self.edition,
            "clause": self.clause,
            "certainty": self.certainty.value,
            "mandatory": self.mandatory,
            "indicative": self.indicative,
            "confirmed": self.confirmed,
            "confirmed_source": self.confirmed_source,
            "judged_on_indicative_limit": self.certainty is Certainty.UNVERIFIED,
            "excluded": self.excluded,
            "exclusion_reason": self.exclusion_reason,
            "notice": (f"{INDICATIVE_NOTICE_ZH} / {INDICATIVE_NOTICE_EN}" if self.indicative else None),
            "notes": list(self.notes),
        }


def _render(value: FieldValue | None) -> str | bool | None:
    if value is None or isinstance(value, bool):
        return value
    return format_decimal(value)


@dataclass(frozen=True)
class StandardRef:
    """The standard edition a verdict was judged against, and why that edition was chosen."""

    designation: str
    series: str
    edition: str
    mandatory: bool
    effective_from: datetime.date | None
    effective_until: datetime.date | None
    selected_by: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "designation": self.designation,
            "series": self.series,
            "edition": self.edition,
            "mandatory_standard": self.mandatory,
            "effective_from": None if self.effective_from is None else self.effective_from.isoformat(),
            "effective_until": None if self.effective_until is None else self.effective_until.isoformat(),
            "selected_by": self.selected_by,
        }


@dataclass(frozen=True)
class Verdict:
    """The engine's answer for one case."""

    case_id: str | None
    product_type: ProductType
    standard: StandardRef
    test_date: datetime.date | None
    items: tuple[ItemResult, ...]
    warnings: tuple[str, ...] = ()

    @property
    def overall(self) -> Overall:
        """The conclusion by :func:`conclude` (the one rule the lab, its reports and the brand follow)."""
        return Overall(conclude([item.to_dict() for item in self.items])["overall"])

    @property
    def indicative_findings(self) -> tuple[ItemResult, ...]:
        """Failing rows judged on an indicative limit that are still undecided."""
        return tuple(
            item
            for item in self.items
            if item.indicative and item.status is ItemStatus.FAIL and not item.excluded
        )

    def to_dict(self) -> dict[str, Any]:
        counts = {status.value: 0 for status in ItemStatus}
        for item in self.items:
            counts[item.status.value] += 1
        return {
            "case_id": self.case_id,
            "product_type": self.product_type.value,
            "test_date": None if self.test_date is None else self.test_date.isoformat(),
            "standard": self.standard.to_dict(),
            **conclude(items := [item.to_dict() for item in self.items]),
            "counts": counts,
            "items": items,
            "warnings": list(self.warnings),
        }


def conclude(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The conclusion of a set of judged rows (``ItemResult.to_dict`` mappings).

    * a failing row on a confirmed (V, S or confirmed U) limit -> ``fail``, whatever else is missing;
    * a failing row on an indicative limit that was neither confirmed nor excluded -> ``undecided``:
      never a pass, the reviewer must decide it;
    * a mandatory deciding row not assessed, or no deciding row passed at all -> ``incomplete``;
    * otherwise ``pass``. Excluded rows (with their written reason) do not count either way.

    Used on the engine's own verdicts and on restricted row sets (a request's chosen items), so a
    conclusion never disagrees with the rows printed under it.
    """
    counted = [item for item in items if not item.get("excluded")]
    deciding = [item for item in counted if not item.get("indicative")]
    failed = [item["result_id"] for item in deciding if item["status"] == "fail"]
    pending = [item for item in counted if item.get("indicative") and item["status"] == "fail"]
    missing = [
        item["result_id"] for item in deciding if item["status"] == "not_assessed" and item.get("mandatory")
    ]
    if failed:
        overall = Overall.FAIL
    elif pending:
        overall = Overall.UNDECIDED
    elif missing or not any(item["status"] == "pass" for item in deciding):
        overall = Overall.INCOMPLETE
    else:
        overall = Overall.PASS
    return {
        "overall": overall.value,
        "failed": failed,
        "not_assessed_mandatory": missing,
        "indicative_findings": [item["result_id"] for item in pending],
        "decisions_needed": sorted({item["rule_id"] for item in pending}),
        "judged_on_indicative_limits": [
            item["result_id"]
            for item in items
            if item.get("judged_on_indicative_limit") and item["status"] in {"pass", "fail"}
        ],
        "excluded": [
            {
                "result_id": item["result_id"],
                "rule_id": item["rule_id"],
                "reason": item.get("exclusion_reason"),
            }
            for item in items
            if item.get("excluded")
        ],
    }
