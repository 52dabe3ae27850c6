"""The engine's named choices on points the reference leaves open or only infers.

Each choice has a default in the rules file (with its certainty and a note) and may be overridden
per case under ``parameters``, so that a point settled later (say, the tax office confirms that the
cash cap applies to 应退 rather than 实退) is a data change, not a code change. docs/taxrefund.md
explains every parameter and its default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from jingxiang.taxrefund.exact import HUNDRED, NotAnAmountError, decimal_places, plain, shown, to_decimal
from jingxiang.taxrefund.model import Problem


def _choice(*choices: str) -> Callable[[object], object]:
    def parse(value: object) -> object:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}; got {shown(value)}")
        return value

    return parse


def _flag(value: object) -> object:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false; got {shown(value)}")
    return value


def _percent_or_null(value: object) -> object:
    if value is None:
        return None
    try:
        number = to_decimal(value)
    except NotAnAmountError as error:
        raise ValueError(str(error)) from error
    if not Decimal(0) <= number < HUNDRED or decimal_places(number) > 4:
        raise ValueError(
            f"must be a percentage from 0 to below 100 with at most 4 decimals; got {shown(value)}"
        )
    return number


def _days_or_null(value: object) -> object:
    if value is None:
        return None
    try:
        number = to_decimal(value)
    except NotAnAmountError as error:
        raise ValueError(str(error)) from error
    if number != number.to_integral_value() or not 0 <= number <= 366:
        raise ValueError(f"must be a whole number of days from 0 to 366, or null; got {shown(value)}")
    return int(number)


def _amount_or_null(value: object) -> object:
    if value is None:
        return None
    try:
        number = to_decimal(value)
    except NotAnAmountError as error:
        raise ValueError(str(error)) from error
    if not Decimal(0) < number <= Decimal(1_000_000_000) or decimal_places(number) > 2:
        raise ValueError(f"must be an amount above 0 with at most 2 decimals, or null; got {shown(value)}")
    return number


PARSERS: dict[str, Callable[[object], object]] = {
    "day_counting": _choice("difference", "inclusive"),
    "rounding": _choice("half_up", "half_even", "down"),
    "cash_cap_basis": _choice("net", "gross"),
    "cash_cap_scope": _choice("form", "departure"),
    "cash_cap_date": _choice("purchase", "payment"),
    "preauthorisation_basis": _choice("advance", "gross"),
    "overseas_chinese_eligible": _flag,
    "apply_unverified_exclusions": _flag,
    "agency_fee_percent": _percent_or_null,
    "instant_promised_departure_days": _days_or_null,
    "instant_max_purchase_per_store_day": _amount_or_null,
}


@dataclass(frozen=True)
class Parameters:
    """The resolved choices for one evaluation (rules defaults, then the case's overrides)."""

    day_counting: str
    rounding: str
    cash_cap_basis: str
    cash_cap_scope: str
    cash_cap_date: str
    preauthorisation_basis: str
    overseas_chinese_eligible: bool
    apply_unverified_exclusions: bool
    agency_fee_percent: Decimal | None
    instant_promised_departure_days: int | None
    instant_max_purchase_per_store_day: Decimal | None

    def with_overrides(self, overrides: Mapping[str, object]) -> Parameters:
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        values.update(overrides)
        return Parameters(**values)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            data[item.name] = plain(value) if isinstance(value, Decimal) else value
        return data


def parse_parameters(raw: object, path: str, *, complete: bool) -> tuple[dict[str, object], list[Problem]]:
    """Read a mapping of parameter values; ``complete`` requires every parameter (the rules file)."""
    problems: list[Problem] = []
    values: dict[str, object] = {}
    if not isinstance(raw, Mapping):
        return values, [Problem(path, "parameters must be an object", "type")]
    for name, value in raw.items():
        parser = PARSERS.get(str(name))
        if parser is None:
            known = ", ".join(PARSERS)
            problems.append(
                Problem(
                    f"{path}/{name}", f"unknown parameter {shown(name)}; known: {known}", "unknown_parameter"
                )
            )
            continue
        try:
            values[str(name)] = parser(value)
        except ValueError as error:
            problems.append(Problem(f"{path}/{name}", f"parameter {name} {error}", "parameter"))
    if complete:
        for name in PARSERS:
            if name not in raw:
                problems.append(
                    Problem(f"{path}/{name}", f"parameter {name} needs a default", "parameter_missing")
                )
    return values, problems
