"""Editions in force that have no rules loaded, and the instrument types fit to measure an item.

Both are data files next to the code (``editions.yaml``, ``instruments.yaml``); this module only
reads them. No Django import: the lab turns these answers into its own messages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from jingxiang.quality.engine import _item_field_names
from jingxiang.quality.rules import RuleDocument, RuleItem, RuleRegistry, normalise_designation
from jingxiang.quality.vocabulary import ProductType


@dataclass(frozen=True)
class KnownEdition:
    """An edition that exists (dates and scope from the reference) but whose values are not loaded."""

    designation: str
    series: str
    title_zh: str
    title_en: str
    mandatory: bool
    effective_from: datetime.date
    relation: str  # "replaces" the series' earlier edition, or "adds" a further standard
    product_types: frozenset[ProductType]
    dates_certainty: str
    source: str


@dataclass(frozen=True)
class EditionGap:
    """On ``on``, ``edition`` is in force for the product but the registry has no rules for it.

    ``blocks`` is true when the gap leaves the requested series without any loaded edition in force
    (a "replaces" edition): the request must name an edition in the contract or wait for the upload.
    """

    edition: KnownEdition
    on: datetime.date
    blocks: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "designation": self.edition.designation,
            "series": self.edition.series,
            "effective_from": self.edition.effective_from.isoformat(),
            "mandatory_standard": self.edition.mandatory,
            "relation": self.edition.relation,
            "blocks": self.blocks,
            "dates_certainty": self.edition.dates_certainty,
        }


def _read(name: str) -> dict[str, Any]:
    text = resources.files("jingxiang.quality").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: not a mapping")
    return data


@lru_cache(maxsize=1)
def known_editions() -> tuple[KnownEdition, ...]:
    """The editions listed in ``editions.yaml``."""
    return tuple(
        KnownEdition(
            designation=entry["designation"],
            series=entry["series"],
            title_zh=entry["title_zh"],
            title_en=entry["title_en"],
            mandatory=bool(entry["mandatory"]),
            effective_from=entry["effective_from"],
            relation=entry["relation"],
            product_types=frozenset(ProductType(value) for value in entry["product_types"]),
            dates_certainty=entry["dates_certainty"],
            source=entry["source"],
        )
        for entry in _read("editions.yaml")["editions"]
    )


def edition_gaps(
    product_type: ProductType | str,
    on: datetime.date,
    registry: RuleRegistry,
    *,
    series: str | None = None,
) -> list[EditionGap]:
    """Known editions in force on ``on`` for the product type whose rules are not loaded.

    With ``series`` (a request naming "the edition in force of series X"), a "replaces" edition of
    that series blocks when no loaded edition of the series covers the product on that day.
    """
    product_type = ProductType(product_type)
    loaded = {normalise_designation(document.designation) for document in registry.documents}
    gaps = []
    for edition in known_editions():
        if product_type not in edition.product_types or edition.effective_from > on:
            continue
        if normalise_designation(edition.designation) in loaded:
            continue
        blocks = False
        if edition.relation == "replaces" and series is not None and edition.series == series:
            blocks = not any(
                document.series == series
                and document.in_force_on(on)
                and product_type in document.product_types
                for document in registry.documents
            )
        gaps.append(EditionGap(edition, on, blocks))
    return gaps


@lru_cache(maxsize=1)
def instrument_type_labels() -> dict[str, tuple[str, str]]:
    """Instrument type id -> (zh, en) label."""
    return {
        key: (value["label_zh"], value["label_en"])
        for key, value in _read("instruments.yaml")["types"].items()
    }


@lru_cache(maxsize=1)
def _field_types() -> dict[str, tuple[str, ...]]:
    return {field: tuple(types) for field, types in _read("instruments.yaml")["fields"].items()}


def instrument_types(document: RuleDocument, item: RuleItem) -> tuple[str, ...]:
    """Instrument types that may measure ``item``: its own list, else those of its measured fields.

    Empty = the item needs no instrument (a marking, a declared category).
    """
    if item.instruments:
        return item.instruments
    types: list[str] = []
    for role, name in _item_field_names(document, item):
        if role != "measured":
            continue
        types.extend(kind for kind in _field_types().get(name, ()) if kind not in types)
    return tuple(types)


def instrument_types_by_rule(document: RuleDocument) -> dict[str, tuple[str, ...]]:
    """Every item of an edition -> the instrument types fit to measure it."""
    return {item.id: instrument_types(document, item) for item in document.items}
