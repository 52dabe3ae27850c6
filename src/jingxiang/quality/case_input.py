"""Reading a case from JSON (or a Python mapping) into a :class:`~jingxiang.quality.model.Case`.

This is where bad input is stopped. Every problem is collected (not just the first) so the lab
can fix a sheet in one go. Physically impossible values and unit mix-ups are rejected here rather
than judged, because judging "PD = 6.4 mm" would produce a confident but meaningless verdict.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jingxiang import strictjson
from jingxiang.quality.exact import NotANumberError, format_decimal, to_decimal
from jingxiang.quality.model import Case, CaseRejectedError, FieldValue, LensValues, Problem
from jingxiang.quality.rules import RuleDocument, RuleRegistry
from jingxiang.quality.vocabulary import (
    ACCEPTED_UNITS,
    ALL_LENS_SIDES,
    CANONICAL_UNIT,
    CASE_UNIT_KEYS,
    DEFAULT_CASE_UNITS,
    LENS_SIDES,
    FieldSpec,
    ProductType,
    Quantity,
)

HEADER_KEYS = {
    "case_id",
    "product_type",
    "standard",
    "edition",
    "test_date",
    "units",
    "nominal",
    "measured",
    "confirmed_rules",
    "excluded_rules",
    "comment",
}

# Below this a luminous transmittance "in percent" is almost surely a fraction typed by mistake
# (0.35 meant 35 %): no sun filter category goes below 3 %.
FRACTION_LOOKALIKE_LIMIT = Decimal(1)


def load_case_json(text: str) -> dict[str, Any]:
    """Parse case JSON with every number as an exact ``Decimal``; malformed JSON is a problem, not a crash."""
    try:
        data = strictjson.loads(text, exact=True)
    except json.JSONDecodeError as error:
        raise CaseRejectedError(
            [Problem("", f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}", "json")]
        ) from error
    if not isinstance(data, dict):
        raise CaseRejectedError([Problem("", "a case must be a JSON object", "json")])
    return data


def parse_case(
    data: Mapping[str, Any], registry: RuleRegistry
) -> tuple[Case, RuleDocument, str, tuple[str, ...]]:
    """Validate a raw case and choose its standard edition.

    Returns the parsed case, the rules document, how the edition was selected and the selection
    warnings; raises :class:`CaseRejectedError` with every problem found.
    """
    problems: list[Problem] = []
    warnings: list[str] = []
    for key in data:
        if key not in HEADER_KEYS:
            warnings.append(f"unknown top-level key {key!r} ignored")

    product_type = _product_type(data.get("product_type"), problems)
    standard = _optional_text(data, "standard", problems)
    edition = _optional_text(data, "edition", problems)
    test_date = _test_date(data.get("test_date"), problems)
    case_id = _optional_text(data, "case_id", problems)
    units, explicit_units = _units(data.get("units"), problems)
    confirmed = _confirmed_rules(data.get("confirmed_rules"), problems)
    excluded = _excluded_rules(data.get("excluded_rules"), confirmed, problems)
    if product_type is None or problems:
        raise CaseRejectedError(problems)

    selection = registry.select(product_type, standard, edition, test_date)
    document = selection.document
    reader = _ValueReader(document, units, explicit_units, problems, warnings)
    nominal, nominal_lenses = reader.section(data.get("nominal"), "nominal", product_type)
    measured, measured_lenses = reader.section(data.get("measured"), "measured", product_type)
    known_ids = {item.id for item in document.items}
    for rule_id in sorted(confirmed - known_ids):
        warnings.append(f"confirmed rule {rule_id!r} is not an item of {document.designation}")
    for rule_id in sorted(set(excluded) - known_ids):
        warnings.append(f"excluded rule {rule_id!r} is not an item of {document.designation}")
    if problems:
        raise CaseRejectedError(problems)
    case = Case(
        product_type=product_type,
        standard=standard,
        edition=edition,
        test_date=test_date,
        nominal=nominal,
        measured=measured,
        nominal_lenses=nominal_lenses,
        measured_lenses=measured_lenses,
        confirmed_rules=frozenset(confirmed),
        excluded_rules=excluded,
        case_id=case_id,
        input_warnings=tuple(warnings),
    )
    return case, document, selection.selected_by, selection.warnings


def _product_type(value: Any, problems: list[Problem]) -> ProductType | None:
    known = ", ".join(product_type.value for product_type in ProductType)
    if value is None:
        problems.append(Problem("/product_type", f"product_type is required; one of: {known}", "required"))
        return None
    try:
        return ProductType(value)
    except ValueError:
        problems.append(
            Problem("/product_type", f"unknown product_type {value!r}; one of: {known}", "product_type")
        )
        return None


def _optional_text(data: Mapping[str, Any], key: str, problems: list[Problem]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        # An edition typed as a bare number (2011) is still unambiguous.
        return format_decimal(Decimal(value))
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(f"/{key}", f"{key} must be a non-empty string", "type"))
        return None
    return value.strip()


def _test_date(value: Any, problems: list[Problem]) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(
        Problem("/test_date", f"test_date must be a date written YYYY-MM-DD, got {value!r}", "date")
    )
    return None


def _units(value: Any, problems: list[Problem]) -> tuple[dict[str, str], set[str]]:
    units = dict(DEFAULT_CASE_UNITS)
    explicit: set[str] = set()
    if value is None:
        return units, explicit
    if not isinstance(value, dict):
        problems.append(Problem("/units", 'units must be an object such as {"length": "mm"}', "type"))
        return units, explicit
    for key, unit in value.items():
        quantity = CASE_UNIT_KEYS.get(key)
        if quantity is None:
            problems.append(
                Problem(
                    f"/units/{key}", f"no case-level unit for {key!r}; use length or transmittance", "unit"
                )
            )
        elif unit not in ACCEPTED_UNITS[quantity]:
            accepted = ", ".join(ACCEPTED_UNITS[quantity])
            problems.append(
                Problem(f"/units/{key}", f"unit {unit!r} not accepted for {key}; one of: {accepted}", "unit")
            )
        else:
            units[key] = unit
            explicit.add(key)
    return units, explicit


def _confirmed_rules(value: Any, problems: list[Problem]) -> set[str]:
    if value is None:
        return set()
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        problems.append(Problem("/confirmed_rules", "confirmed_rules must be a list of rule ids", "type"))
        return set()
    return set(value)


def _excluded_rules(value: Any, confirmed: set[str], problems: list[Problem]) -> dict[str, str]:
    """``{rule_id: reason}``: items left out of the conclusion, each with a written reason."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(
            Problem("/excluded_rules", "excluded_rules must map rule ids to written reasons", "type")
        )
        return {}
    excluded: dict[str, str] = {}
    for rule_id, reason in value.items():
        if not isinstance(reason, str) or not reason.strip():
            problems.append(
                Problem(f"/excluded_rules/{rule_id}", "an excluded item needs a written reason", "reason")
            )
        elif rule_id in confirmed:
            problems.append(
                Problem(
                    f"/excluded_rules/{rule_id}", "a rule cannot be both confirmed and excluded", "conflict"
                )
            )
        else:
            excluded[rule_id] = reason.strip()
    return excluded


class _ValueReader:
    """Reads the ``nominal``/``measured`` sections field by field against the document's vocabulary."""

    def __init__(
        self,
        document: RuleDocument,
        units: dict[str, str],
        explicit_units: set[str],
        problems: list[Problem],
        warnings: list[str],
    ) -> None:
        self.document = document
        self.units = units
        self.explicit_units = explicit_units
        self.problems = problems
        self.warnings = warnings

    def section(
        self, value: Any, role: str, product_type: ProductType
    ) -> tuple[dict[str, FieldValue], dict[str, LensValues]]:
        top: dict[str, FieldValue] = {}
        lenses: dict[str, LensValues] = {}
        if value is None:
            return top, lenses
        if not isinstance(value, dict):
            self.problems.append(Problem(f"/{role}", f"{role} must be an object", "type"))
            return top, lenses
        sides = LENS_SIDES[product_type]
        for key, entry in value.items():
            path = f"/{role}/{key}"
            if key in ALL_LENS_SIDES:
                if key not in sides:
                    expected = " or ".join(sides) if sides else "no lens entries"
                    self.problems.append(
                        Problem(path, f"a {product_type.value} case has {expected}, not {key!r}", "lens_side")
                    )
                    continue
                if not isinstance(entry, dict):
                    self.problems.append(Problem(path, "a lens entry must be an object", "type"))
                    continue
                lenses[key] = self._lens(entry, path)
                continue
            spec = self.document.field_spec(key)
            if spec is None:
                self.warnings.append(
                    f"{role}.{key} is not a field known to {self.document.designation}; ignored"
                )
                continue
            if spec.per_lens:
                self.problems.append(
                    Problem(
                        path,
                        f"{key!r} is given per lens: put it under {' / '.join(sides) or 'a lens'}",
                        "lens_field",
                    )
                )
                continue
            parsed = self.value(entry, spec, path)
            if parsed is not None:
                top[key] = parsed
        return top, lenses

    def _lens(self, entry: dict[str, Any], path: str) -> LensValues:
        values: LensValues = {}
        for key, raw in entry.items():
            spec = self.document.field_spec(key)
            if spec is None:
                self.warnings.append(
                    f"{path[1:]}.{key} is not a field known to {self.document.designation}; ignored"
                )
                continue
            if not spec.per_lens:
                self.problems.append(
                    Problem(
                        f"{path}/{key}",
                        f"{key!r} is not a per-lens value; give it once, outside the lens",
                        "lens_field",
                    )
                )
                continue
            parsed = self.value(raw, spec, f"{path}/{key}")
            if parsed is not None:
                values[key] = parsed
        return values

    def value(self, raw: Any, spec: FieldSpec, path: str) -> FieldValue | None:
        """One value in canonical units, or ``None`` after recording why it is unusable."""
        if raw is None:
            return None
        if spec.quantity is Quantity.BOOLEAN:
            if isinstance(raw, bool):
                return raw
            self.problems.append(Problem(path, f"{spec.name} must be true or false, got {raw!r}", "type"))
            return None
        unit: str | None = None
        number: Any = raw
        if isinstance(raw, dict):
            if set(raw) - {"value", "unit"} or "value" not in raw:
                self.problems.append(
                    Problem(path, 'a value object is {"value": number, "unit": text}', "type")
                )
                return None
            number, unit = raw["value"], raw.get("unit")
        try:
            decimal = to_decimal(number)
        except NotANumberError as error:
            self.problems.append(Problem(path, f"{spec.name}: {error}", "type"))
            return None
        if spec.quantity is Quantity.CATEGORY:
            if decimal != decimal.to_integral_value():
                self.problems.append(
                    Problem(path, f"{spec.name} must be a whole category number, got {raw!r}", "type")
                )
                return None
            return self._plausible(decimal, spec, path)
        unit_key = next((key for key, quantity in CASE_UNIT_KEYS.items() if quantity is spec.quantity), None)
        explicit_unit = unit is not None or (unit_key is not None and unit_key in self.explicit_units)
        if unit is None:
            unit = (
                self.units[unit_key]
                if unit_key is not None
                else next(iter(ACCEPTED_UNITS[spec.quantity]), None)
            )
        factors = ACCEPTED_UNITS[spec.quantity]
        if unit not in factors:
            accepted = ", ".join(factors)
            self.problems.append(
                Problem(path, f"unit {unit!r} not accepted for {spec.name}; one of: {accepted}", "unit")
            )
            return None
        if (
            spec.quantity is Quantity.TRANSMITTANCE
            and unit == "fraction"
            and not (Decimal(0) <= decimal <= Decimal(1))
        ):
            self.problems.append(
                Problem(
                    path,
                    f"{spec.name} = {number} is not a fraction (0–1); was it given in percent? "
                    "set the unit to 'percent'",
                    "unit_mismatch",
                )
            )
            return None
        canonical = decimal * factors[unit]
        if (
            spec.name == "luminous_transmittance"
            and not explicit_unit
            and Decimal(0) < canonical < FRACTION_LOOKALIKE_LIMIT
        ):
            self.problems.append(
                Problem(
                    path,
                    f"luminous_transmittance = {number} read as {number} % looks like a fraction "
                    f"({canonical * 100} %?); state units.transmittance as 'percent' or 'fraction'",
                    "ambiguous_unit",
                )
            )
            return None
        return self._plausible(canonical, spec, path)

    def _plausible(self, value: Decimal, spec: FieldSpec, path: str) -> Decimal | None:
        low, high = spec.plausible_low, spec.plausible_high
        if (low is None or value >= low) and (high is None or value <= high):
            return value
        unit = CANONICAL_UNIT[spec.quantity]
        low_text = "-inf" if low is None else format_decimal(low)
        high_text = "inf" if high is None else format_decimal(high)
        bounds = f"{low_text}–{high_text} {unit}".rstrip()
        hint = ""
        if (
            spec.quantity is Quantity.LENGTH
            and low is not None
            and high is not None
            and low <= value * 10 <= high
        ):
            hint = " — it looks like centimetres: set units.length to 'cm' or give millimetres"
        elif spec.quantity is Quantity.TRANSMITTANCE and value < 0:
            hint = " — a transmittance cannot be negative"
        elif spec.quantity is Quantity.TRANSMITTANCE and value > 100:
            hint = " — a transmittance cannot exceed 100 %"
        self.problems.append(
            Problem(
                path,
                f"{spec.name} = {format_decimal(value)} {unit} is outside the physically plausible "
                f"range {bounds}{hint}",
                "implausible",
            )
        )
        return None
