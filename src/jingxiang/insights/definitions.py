"""The indicator registry: ``indicators.yaml`` read once, checked whole, every problem named.

A figure's meaning lives in data (code, names, chain, unit, the record source it counts, whether the
public sees it, yearly targets, a definition in both languages); only the query behind it is code, in
the app that owns the records (``registry.RecordSource``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DEFINITIONS = Path(__file__).with_name("indicators.yaml")

CHAINS = {
    "organisation": _("组织链"),
    "skills": _("技能链"),
    "rights": _("权益链"),
}
UNITS = ("count", "money", "hours", "percent")


class DefinitionError(ValueError):
    """The indicator file is wrong; ``problems`` lists every mistake, not just the first."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Indicator:
    code: str
    names: dict[str, str]
    chain: str
    unit: str
    unit_labels: dict[str, str]
    source: str
    public: bool
    targets: dict[int, Decimal]
    definitions: dict[str, str]

    def _pick(self, values: dict[str, str]) -> str:
        language = (get_language() or "zh-hans").lower()
        return values["en"] if language.startswith("en") else values["zh"]

    @property
    def name(self) -> str:
        return self._pick(self.names)

    @property
    def unit_label(self) -> str:
        return self._pick(self.unit_labels)

    @property
    def definition(self) -> str:
        return self._pick(self.definitions)

    @property
    def chain_label(self) -> str:
        return str(CHAINS[self.chain])


def check_target(unit: str, value: Any) -> Decimal:
    """A target in the indicator's unit, or ValueError saying why not (whole counts, 0–100 per cent)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError("not a number") from None
    if not number.is_finite() or number < 0:
        raise ValueError("must be zero or more")
    if unit == "count" and number != number.to_integral_value():
        raise ValueError("a count target must be a whole number")
    if unit == "percent" and number > 100:
        raise ValueError("a percentage target must be between 0 and 100")
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("at most two decimal places")
    return number


def parse(text: str) -> dict[str, Indicator]:
    data = yaml.safe_load(text) or {}
    problems: list[str] = []
    result: dict[str, Indicator] = {}
    for index, raw in enumerate(data.get("indicators") or [], start=1):
        where = f"indicator {index} ({raw.get('code', '?') if isinstance(raw, dict) else '?'})"
        if not isinstance(raw, dict):
            problems.append(f"{where}: not a mapping")
            continue
        code = str(raw.get("code") or "")
        if not code.replace("_", "").isalnum() or not code.islower():
            problems.append(f"{where}: code must be lower-case letters, digits and _")
        if code in result:
            problems.append(f"{where}: code {code} is used twice")
        for key in ("name", "unit_label", "definition"):
            value = raw.get(key)
            if not isinstance(value, dict) or not value.get("zh") or not value.get("en"):
                problems.append(f"{where}: {key} needs zh and en")
        chain, unit = raw.get("chain"), raw.get("unit")
        if chain not in CHAINS:
            problems.append(f"{where}: chain must be one of {', '.join(CHAINS)}")
        if unit not in UNITS:
            problems.append(f"{where}: unit must be one of {', '.join(UNITS)}")
        if not raw.get("source"):
            problems.append(f"{where}: source is missing")
        targets: dict[int, Decimal] = {}
        for year, value in (raw.get("targets") or {}).items():
            try:
                targets[int(year)] = check_target(str(unit), value)
            except ValueError as error:
                problems.append(f"{where}: target for {year}: {error}")
        if problems:
            continue
        result[code] = Indicator(
            code=code,
            names={"zh": raw["name"]["zh"], "en": raw["name"]["en"]},
            chain=str(chain),
            unit=str(unit),
            unit_labels={"zh": str(raw["unit_label"]["zh"]), "en": str(raw["unit_label"]["en"])},
            source=str(raw["source"]),
            public=bool(raw.get("public", False)),
            targets=targets,
            definitions={"zh": raw["definition"]["zh"], "en": raw["definition"]["en"]},
        )
    if problems:
        raise DefinitionError(problems)
    return result


@functools.cache
def indicators() -> dict[str, Indicator]:
    """All indicators, in file order."""
    return parse(DEFINITIONS.read_text(encoding="utf-8"))


def get_indicator(code: str) -> Indicator | None:
    return indicators().get(code)
