"""Rules as data: loading, schema and semantic validation, and the period in force on a date.

The rules file holds successive *periods* (each with its effective date; a later period lists only
what changed), the regions (agency fee, instant-refund period and cap), the goods categories with
the excluded ones, the defaults of the named parameters, the holiday calendar and the text of every
rule in Chinese and English with its basis. Validation reports every problem in one pass.
"""

from __future__ import annotations

import datetime
import itertools
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Any, Generic, TypeVar

from jingxiang.taxrefund.exact import CONTEXT, HUNDRED, decimal_places, parse_date, plain
from jingxiang.taxrefund.loading import parse_yaml, read_resource, schema_problems
from jingxiang.taxrefund.model import WARNING, Problem, RulesInvalidError
from jingxiang.taxrefund.parameters import Parameters, parse_parameters
from jingxiang.taxrefund.workdays import Calendar

FORMAT = "jingxiang-taxrefund-rules/1"
BUILTIN = "cn-departure-tax-refund.yaml"
T = TypeVar("T")

# Every rule the engine can give, with the figures it supplies to the rule's message. The rules
# file must give a text for each and may only use these names in its messages.
RULE_FIGURES: dict[str, frozenset[str]] = {
    rule: frozenset(names.split())
    for rule, names in {
        "T-ID": "document_type",
        "T-WHO": "category category_zh category_en",
        "T-HUAQIAO": "",
        "T-ENTRY": "",
        "T-183": "purchase_date last_entry_date days limit",
        "T-RESIDENT": "event_zh event_en on since days limit",
        "P-BEFORE-ENTRY": "purchase_date last_entry_date",
        "P-INVOICE": "invoice_kind invoice_kind_zh invoice_kind_en date accepted accepted_zh accepted_en",
        "P-THRESHOLD": "amount threshold",
        "P-PERIOD": "date first",
        "S-FILED": "store date filed_on",
        "S-CREDIT": "store rating accepted date",
        "S-TAXPAYER": "store",
        "L-SERVICE": "description",
        "L-USED": "description",
        "L-EXEMPT": "description",
        "L-EXCLUDED": "description category category_zh category_en basis",
        "L-EXCLUDED-U": "description category category_zh category_en basis",
        "L-RATE": "description vat_rate known_rates",
        "D-ORDER": "departure_date purchase_date",
        "D-90": "departure_date purchase_date days limit",
        "D-CUSTOMS": "result",
        "D-LATEST": "latest",
        "C-CASH": "amount cap basis basis_zh basis_en",
        "I-FORM": "",
        "I-STORE": "store",
        "I-CONSENT": "",
        "I-CARD": "",
        "I-PROMISE": "promised earliest latest",
        "I-CAP": "amount cap",
        "I-GAP": "region region_zh region_en limit",
        "I-FAILED": "amount",
        "I-LATE": "verified_on promised amount",
        "I-PORT": "port promised_port amount",
        "I-MISSING": "promised as_of amount",
        "I-POLICY": "amount",
        "I-FALLBACK": "",
        "K-CALENDAR": "date covers_from covers_until",
    }.items()
}

PERIOD_FIELDS = (
    "min_purchase_per_store_day",
    "cash_cap",
    "refund_rates",
    "store_credit_ratings",
    "invoice_kinds",
    "max_days_purchase_after_entry",
    "max_days_residence",
    "max_days_departure_after_purchase",
)
INVOICE_KINDS = {
    "vat_ordinary": ("增值税普通发票", "VAT ordinary invoice"),
    "digital_ordinary": ("电子发票(普通发票)", "digital e-invoice (ordinary)"),
    "vat_special": ("增值税专用发票", "VAT special invoice"),
}


@dataclass(frozen=True)
class Sourced(Generic[T]):
    """A value with where it comes from and how sure the reference is of it."""

    value: T
    certainty: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Period:
    """The rules in force from ``effective_from`` until the day before the next period (complete)."""

    id: str
    effective_from: datetime.date
    effective_until: datetime.date | None
    date_certainty: str
    title_zh: str
    title_en: str
    source: str
    min_purchase: Sourced[Decimal]
    cash_cap: Sourced[Decimal]
    refund_rates: Sourced[Mapping[Decimal, Decimal]]
    credit_ratings: Sourced[tuple[str, ...]]
    invoice_kinds: Sourced[tuple[str, ...]]
    max_days_after_entry: Sourced[int]
    max_days_residence: Sourced[int]
    max_days_to_departure: Sourced[int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "effective_from": self.effective_from.isoformat(),
            "effective_until": None if self.effective_until is None else self.effective_until.isoformat(),
            "date_certainty": self.date_certainty,
            "min_purchase_per_store_day": plain(self.min_purchase.value),
            "cash_cap": plain(self.cash_cap.value),
            "refund_rates": {plain(vat): plain(refund) for vat, refund in self.refund_rates.value.items()},
            "store_credit_ratings": list(self.credit_ratings.value),
            "invoice_kinds": list(self.invoice_kinds.value),
            "max_days_purchase_after_entry": self.max_days_after_entry.value,
            "max_days_residence": self.max_days_residence.value,
            "max_days_departure_after_purchase": self.max_days_to_departure.value,
        }


@dataclass(frozen=True)
class Region:
    code: str
    name_zh: str
    name_en: str
    agency: str
    agency_fee_percent: Sourced[Decimal | None]
    promised_departure_days: Sourced[int | None]
    max_purchase_per_store_day: Sourced[Decimal | None]


@dataclass(frozen=True)
class Category:
    code: str
    name_zh: str
    name_en: str
    excluded: bool
    certainty: str
    basis: str


@dataclass(frozen=True)
class RuleText:
    id: str
    message_zh: str
    message_en: str
    basis: str
    certainty: str
    source: str


@dataclass(frozen=True)
class Rules:
    """A validated rules file; build it with :func:`load_rules_text` or :func:`builtin_rules`."""

    id: str
    title_zh: str
    title_en: str
    last_reviewed: datetime.date | None
    periods: tuple[Period, ...]
    regions: Mapping[str, Region]
    categories: Mapping[str, Category]
    parameters: Parameters
    parameter_notes: Mapping[str, Sourced[object]]
    calendar: Calendar
    recovery_working_days: Sourced[int]
    advance_basis: Sourced[str]
    texts: Mapping[str, RuleText]

    def period_for(self, day: datetime.date) -> Period | None:
        """The period in force on ``day``: the last one that started on or before it."""
        found = None
        for period in self.periods:
            if period.effective_from <= day:
                found = period
        return found

    @property
    def first_day(self) -> datetime.date:
        return self.periods[0].effective_from


def _sourced(raw: Mapping[str, Any], convert: Any = None) -> Sourced[Any]:
    value = raw["value"]
    return Sourced(
        value if convert is None or value is None else convert(value),
        str(raw["certainty"]),
        str(raw["source"]),
        str(raw.get("note", "")),
    )


def _date_problem(path: str, value: object, problems: list[Problem]) -> datetime.date | None:
    try:
        return parse_date(value)
    except ValueError as error:
        problems.append(Problem(path, str(error), "date"))
        return None


def _check_periods(raw_periods: Sequence[Mapping[str, Any]], problems: list[Problem]) -> list[Period]:
    """Resolve the periods (each complete, carrying over unchanged fields) and check them."""
    resolved: list[Period] = []
    current: dict[str, Any] = {}
    seen_ids: set[str] = set()
    previous_day: datetime.date | None = None
    starts: list[datetime.date | None] = []
    for index, raw in enumerate(raw_periods):
        path = f"/periods/{index}"
        if raw["id"] in seen_ids:
            problems.append(
                Problem(f"{path}/id", f"period id {raw['id']!r} appears twice", "duplicate_period")
            )
        seen_ids.add(raw["id"])
        day = _date_problem(f"{path}/effective_from", raw["effective_from"], problems)
        starts.append(day)
        if day is not None and previous_day is not None and day <= previous_day:
            problems.append(
                Problem(
                    f"{path}/effective_from",
                    f"periods must be in order of date: {day} is not after {previous_day}",
                    "period_order",
                )
            )
        if day is not None:
            previous_day = day
        for name in PERIOD_FIELDS:
            if name in raw:
                current[name] = raw[name]
            elif index == 0:
                problems.append(
                    Problem(
                        f"{path}/{name}",
                        f"the first period must give {name} (later ones inherit it)",
                        "incomplete",
                    )
                )
        rates = raw.get("refund_rates")
        if rates is not None:
            _check_rates(rates["value"], f"{path}/refund_rates/value", problems)
        for name in ("store_credit_ratings", "invoice_kinds"):
            if name in raw and len(set(raw[name]["value"])) != len(raw[name]["value"]):
                problems.append(Problem(f"{path}/{name}/value", f"{name} lists a value twice", "duplicate"))
        for name in ("min_purchase_per_store_day", "cash_cap"):
            if name in raw and decimal_places(Decimal(raw[name]["value"])) > 2:
                problems.append(
                    Problem(f"{path}/{name}/value", f"{name} has more than two decimals", "precision")
                )
        if problems or day is None:
            continue
        resolved.append(
            Period(
                id=str(raw["id"]),
                effective_from=day,
                effective_until=None,
                date_certainty=str(raw["date_certainty"]),
                title_zh=str(raw.get("title_zh", "")),
                title_en=str(raw.get("title_en", "")),
                source=str(raw["source"]),
                min_purchase=_sourced(current["min_purchase_per_store_day"], Decimal),
                cash_cap=_sourced(current["cash_cap"], Decimal),
                refund_rates=_sourced(
                    current["refund_rates"],
                    lambda rows: {
                        Decimal(row["vat_percent"]): Decimal(row["refund_percent"]) for row in rows
                    },
                ),
                credit_ratings=_sourced(current["store_credit_ratings"], tuple),
                invoice_kinds=_sourced(current["invoice_kinds"], tuple),
                max_days_after_entry=_sourced(current["max_days_purchase_after_entry"], int),
                max_days_residence=_sourced(current["max_days_residence"], int),
                max_days_to_departure=_sourced(current["max_days_departure_after_purchase"], int),
            )
        )
    # Each period ends the day before the next one starts.
    return [
        replace(period, effective_until=following.effective_from - datetime.timedelta(days=1))
        for period, following in itertools.pairwise(resolved)
    ] + resolved[-1:]


def _check_rates(rows: Sequence[Mapping[str, Any]], path: str, problems: list[Problem]) -> None:
    seen: set[Decimal] = set()
    for index, row in enumerate(rows):
        vat, refund = Decimal(row["vat_percent"]), Decimal(row["refund_percent"])
        if vat in seen:
            problems.append(
                Problem(f"{path}/{index}", f"VAT rate {plain(vat)} % listed twice", "duplicate_rate")
            )
        seen.add(vat)
        # The VAT contained in an amount including VAT is amount × v / (100 + v): 13 % → 11.50 %.
        contained = CONTEXT.divide(CONTEXT.multiply(vat, HUNDRED), HUNDRED + vat)
        if refund > contained:
            problems.append(
                Problem(
                    f"{path}/{index}/refund_percent",
                    f"a refund of {plain(refund)} % of the amount including VAT is more than the VAT it contains "
                    f"at {plain(vat)} % ({contained:.4f} %)",
                    "refund_above_vat",
                )
            )


def _check_regions(
    raw_regions: Sequence[Mapping[str, Any]], periods: Sequence[Period], problems: list[Problem]
) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    lowest_refund = min(
        (rate for period in periods for rate in period.refund_rates.value.values()), default=None
    )
    longest = max((period.max_days_to_departure.value for period in periods), default=None)
    for index, raw in enumerate(raw_regions):
        path = f"/regions/{index}"
        code = str(raw["code"])
        if code in regions:
            problems.append(Problem(f"{path}/code", f"region {code!r} appears twice", "duplicate_region"))
        fee = raw["agency_fee_percent"]["value"]
        if fee is not None and lowest_refund is not None and Decimal(fee) >= lowest_refund:
            problems.append(
                Problem(
                    f"{path}/agency_fee_percent/value",
                    f"a fee of {plain(Decimal(fee))} % would take the whole refund at the {plain(lowest_refund)} % rate",
                    "fee_above_refund",
                )
            )
        days = raw["promised_departure_days"]["value"]
        if days is not None and longest is not None and days > longest:
            problems.append(
                Problem(
                    f"{path}/promised_departure_days/value",
                    f"{days} days is beyond the {longest}-day limit between purchase and departure, which bounds it anyway",
                    "promise_beyond_limit",
                    WARNING,
                )
            )
        for name in ("agency_fee_percent", "promised_departure_days", "max_purchase_per_store_day"):
            item = raw[name]
            if item["value"] is None and item["certainty"] != "GAP":
                problems.append(
                    Problem(
                        f"{path}/{name}/certainty", "a missing value (null) must have certainty GAP", "gap"
                    )
                )
        regions[code] = Region(
            code=code,
            name_zh=str(raw["name_zh"]),
            name_en=str(raw["name_en"]),
            agency=str(raw.get("agency", "")),
            agency_fee_percent=_sourced(raw["agency_fee_percent"], Decimal),
            promised_departure_days=_sourced(raw["promised_departure_days"], int),
            max_purchase_per_store_day=_sourced(raw["max_purchase_per_store_day"], Decimal),
        )
    return regions


def _check_categories(
    raw_categories: Sequence[Mapping[str, Any]], problems: list[Problem]
) -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for index, raw in enumerate(raw_categories):
        path = f"/categories/{index}"
        code = str(raw["code"])
        if code in categories:
            problems.append(Problem(f"{path}/code", f"category {code!r} appears twice", "duplicate_category"))
        if raw["excluded"] and not (raw.get("certainty") and raw.get("basis")):
            problems.append(
                Problem(path, "an excluded category needs its certainty and basis", "exclusion_basis")
            )
        categories[code] = Category(
            code=code,
            name_zh=str(raw["name_zh"]),
            name_en=str(raw["name_en"]),
            excluded=bool(raw["excluded"]),
            certainty=str(raw.get("certainty", "F")),
            basis=str(raw.get("basis", "")),
        )
    return categories


def _check_calendar(raw: Mapping[str, Any], problems: list[Problem]) -> Calendar | None:
    start = _date_problem("/calendar/covers/from", raw["covers"]["from"], problems)
    end = _date_problem("/calendar/covers/until", raw["covers"]["until"], problems)
    if start is not None and end is not None and end < start:
        problems.append(Problem("/calendar/covers", "the calendar ends before it starts", "dates_reversed"))
    holidays: set[datetime.date] = set()
    for index, item in enumerate(raw["holidays"]):
        path = f"/calendar/holidays/{index}"
        first = _date_problem(f"{path}/from", item["from"], problems)
        last = _date_problem(f"{path}/until", item["until"], problems)
        if first is None or last is None:
            continue
        if last < first or (last - first).days > 31:
            problems.append(Problem(path, "a holiday runs forwards and for at most a month", "holiday_range"))
            continue
        if start is not None and end is not None and not (start <= first and last <= end):
            problems.append(
                Problem(path, "a holiday outside the range the calendar covers", "outside_calendar")
            )
        day = first
        while day <= last:
            holidays.add(day)
            day += datetime.timedelta(days=1)
    working: set[datetime.date] = set()
    for index, value in enumerate(raw["working_weekend_days"]):
        path = f"/calendar/working_weekend_days/{index}"
        day_value = _date_problem(path, value, problems)
        if day_value is None:
            continue
        if day_value.weekday() < 5:
            problems.append(
                Problem(
                    path, f"{day_value} is a weekday, not a weekend day made a working day", "not_weekend"
                )
            )
        if day_value in holidays:
            problems.append(Problem(path, f"{day_value} is also listed as a holiday", "holiday_and_working"))
        working.add(day_value)
    if start is None or end is None:
        return None
    return Calendar(
        start, end, frozenset(holidays), frozenset(working), str(raw["certainty"]), str(raw["source"])
    )


def _check_texts(raw_texts: Sequence[Mapping[str, Any]], problems: list[Problem]) -> dict[str, RuleText]:
    texts: dict[str, RuleText] = {}
    formatter = string.Formatter()
    for index, raw in enumerate(raw_texts):
        path = f"/texts/{index}"
        rule = str(raw["id"])
        if rule in texts:
            problems.append(Problem(f"{path}/id", f"rule {rule} has two texts", "duplicate_text"))
        allowed = RULE_FIGURES.get(rule)
        if allowed is None:
            problems.append(Problem(f"{path}/id", f"the engine has no rule {rule}", "unknown_rule"))
            continue
        for language in ("message_zh", "message_en"):
            try:
                parts = list(formatter.parse(raw[language]))
            except ValueError as error:
                problems.append(
                    Problem(f"{path}/{language}", f"not a valid message template: {error}", "template")
                )
                continue
            for _, name, spec, conversion in parts:
                if name is None:
                    continue
                if name not in allowed or spec or conversion:
                    known = ", ".join(sorted(allowed)) or "none"
                    problems.append(
                        Problem(
                            f"{path}/{language}",
                            f"{{{name}}} is not a figure of rule {rule} (figures: {known}; no format specs)",
                            "unknown_figure",
                        )
                    )
        texts[rule] = RuleText(
            rule,
            str(raw["message_zh"]),
            str(raw["message_en"]),
            str(raw["basis"]),
            str(raw["certainty"]),
            str(raw["source"]),
        )
    for rule in RULE_FIGURES:
        if rule not in texts:
            problems.append(Problem("/texts", f"rule {rule} has no text", "missing_text"))
    return texts


def _build(text: str) -> tuple[Rules | None, list[Problem]]:
    data, problems = parse_yaml(text)
    if problems:
        return None, problems
    problems = schema_problems(data, "rules.schema.json")
    if problems:
        return None, problems
    periods = _check_periods(data["periods"], problems)
    regions = _check_regions(data["regions"], periods, problems)
    categories = _check_categories(data["categories"], problems)
    calendar = _check_calendar(data["calendar"], problems)
    texts = _check_texts(data["texts"], problems)
    raw_parameters = {name: item["value"] for name, item in data["parameters"].items()}
    values, parameter_problems = parse_parameters(raw_parameters, "/parameters", complete=True)
    problems += [
        Problem(
            problem.path + ("/value" if problem.code == "parameter" else ""), problem.message, problem.code
        )
        for problem in parameter_problems
    ]
    last_reviewed = None
    if "last_reviewed" in data:
        last_reviewed = _date_problem("/last_reviewed", data["last_reviewed"], problems)
    if any(problem.is_error for problem in problems) or calendar is None:
        return None, problems
    rules = Rules(
        id=str(data["id"]),
        title_zh=str(data["title_zh"]),
        title_en=str(data.get("title_en", "")),
        last_reviewed=last_reviewed,
        periods=tuple(periods),
        regions=regions,
        categories=categories,
        parameters=Parameters(**values),  # type: ignore[arg-type]  # each value checked by its parser
        parameter_notes={
            name: Sourced(values[name], str(item["certainty"]), "", str(item.get("note", "")))
            for name, item in data["parameters"].items()
        },
        calendar=calendar,
        recovery_working_days=_sourced(data["instant"]["recovery_working_days"], int),
        advance_basis=_sourced(data["instant"]["advance"], str),
        texts=texts,
    )
    return rules, problems


def validate_rules_text(text: str) -> list[Problem]:
    """Every problem of a rules file (errors and warnings); no error means :func:`load_rules_text` accepts it."""
    _, problems = _build(text)
    return problems


def load_rules_text(text: str) -> Rules:
    """A validated :class:`Rules`; :class:`RulesInvalidError` (with every problem) otherwise."""
    rules, problems = _build(text)
    if rules is None:
        raise RulesInvalidError([problem for problem in problems if problem.is_error])
    return rules


@cache
def builtin_rules() -> Rules:
    """The rules shipped with the engine (``rules/cn-departure-tax-refund.yaml``), loaded once."""
    return load_rules_text(read_resource("rules", BUILTIN))


def builtin_rules_text() -> str:
    return read_resource("rules", BUILTIN)
