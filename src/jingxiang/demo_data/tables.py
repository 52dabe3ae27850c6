"""The data tables next to this module (YAML), read once and handed out as typed, immutable values.

Keeping names, places, products and sentence templates as data lets people who know the cluster
correct them without touching the generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

from jingxiang.demo_data.records import OrganisationKind, Product

DATA_DIRECTORY = Path(__file__).parent


def _load(name: str) -> dict[str, Any]:
    with (DATA_DIRECTORY / name).open(encoding="utf-8") as handle:
        return cast(dict[str, Any], yaml.safe_load(handle))


@dataclass(frozen=True)
class ProductTable:
    product: Product
    weight: int
    name_words: tuple[str, ...]


@dataclass(frozen=True)
class Region:
    name: str
    code: str
    address_prefix: str
    firm_weight: int
    talent_weight: int


@dataclass(frozen=True)
class InstitutionTemplate:
    kind: OrganisationKind
    pattern: str
    short_pattern: str
    fields: tuple[str, ...]  # taxonomy domain codes
    uscc_authority: str
    uscc_category: str


@dataclass(frozen=True)
class RealUniversity:
    name: str
    region: str
    region_code: str
    address: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class PeopleTables:
    surnames: tuple[str, ...]
    surname_weights: tuple[int, ...]
    given_name_characters: dict[str, tuple[str, ...]]
    famous_names: frozenset[str]


@dataclass(frozen=True)
class PlaceTables:
    regions: tuple[Region, ...]
    birthplace_codes: tuple[str, ...]
    birthplace_weights: tuple[int, ...]
    duqiao_roads: tuple[str, ...]
    duqiao_villages: tuple[str, ...]
    town_roads: tuple[str, ...]
    parks: tuple[str, ...]

    def region(self, name: str) -> Region:
        for region in self.regions:
            if region.name == name:
                return region
        raise KeyError(name)


@dataclass(frozen=True)
class InstitutionTables:
    real_universities: tuple[RealUniversity, ...]
    cities: tuple[str, ...]
    segments: tuple[str, ...]
    templates: dict[OrganisationKind, tuple[InstitutionTemplate, ...]]
    counts_per_scale: dict[OrganisationKind, int]
    brand_characters: tuple[str, ...]
    firm_prefixes: tuple[str, ...]
    firm_prefix_weights: tuple[int, ...]
    firm_suffixes: tuple[str, ...]
    firm_suffix_weights: tuple[int, ...]


@dataclass(frozen=True)
class ProfileTables:
    openings: dict[str, tuple[str, ...]]
    achievements: dict[str, tuple[str, ...]]


@cache
def public_organisations() -> tuple[dict[str, Any], ...]:
    """Raw entries (validated by the generator when it builds records from them)."""
    return tuple(_load("public_organisations.yaml")["organisations"])


@cache
def products() -> tuple[ProductTable, ...]:
    return tuple(
        ProductTable(
            product=Product(
                code=raw["code"],
                name_zh=raw["name_zh"],
                name_en=raw["name_en"],
                skill_codes=tuple(raw["skills"]),
            ),
            weight=int(raw["weight"]),
            name_words=tuple(raw["name_words"]),
        )
        for raw in _load("products.yaml")["products"]
    )


@cache
def people() -> PeopleTables:
    raw = _load("people.yaml")
    return PeopleTables(
        surnames=tuple(raw["surnames"]),
        surname_weights=tuple(int(weight) for weight in raw["surnames"].values()),
        given_name_characters={
            generation: tuple(characters) for generation, characters in raw["given_name_characters"].items()
        },
        famous_names=frozenset(raw["famous_names"]),
    )


@cache
def places() -> PlaceTables:
    raw = _load("places.yaml")
    return PlaceTables(
        regions=tuple(Region(**region) for region in raw["regions"]),
        birthplace_codes=tuple(raw["birthplace_codes"]),
        birthplace_weights=tuple(int(weight) for weight in raw["birthplace_codes"].values()),
        duqiao_roads=tuple(raw["duqiao_roads"]),
        duqiao_villages=tuple(raw["duqiao_villages"]),
        town_roads=tuple(raw["town_roads"]),
        parks=tuple(raw["parks"]),
    )


@cache
def institutions() -> InstitutionTables:
    raw = _load("institutions.yaml")
    return InstitutionTables(
        real_universities=tuple(
            RealUniversity(
                name=entry["name"],
                region=entry["region"],
                region_code=entry["region_code"],
                address=entry["address"],
                fields=tuple(entry["fields"]),
            )
            for entry in raw["real_universities"]
        ),
        cities=tuple(raw["cities"]),
        segments=tuple(raw["segments"]),
        templates={
            OrganisationKind(kind): tuple(
                InstitutionTemplate(
                    kind=OrganisationKind(kind),
                    pattern=entry["pattern"],
                    short_pattern=entry["short"],
                    fields=tuple(entry["fields"]),
                    uscc_authority=entry["uscc"][0],
                    uscc_category=entry["uscc"][1],
                )
                for entry in entries
            )
            for kind, entries in raw["templates"].items()
        },
        counts_per_scale={
            OrganisationKind(kind): int(count) for kind, count in raw["counts_per_scale"].items()
        },
        brand_characters=tuple(raw["brand_characters"]),
        firm_prefixes=tuple(raw["firm_prefixes"]),
        firm_prefix_weights=tuple(int(weight) for weight in raw["firm_prefixes"].values()),
        firm_suffixes=tuple(raw["firm_suffixes"]),
        firm_suffix_weights=tuple(int(weight) for weight in raw["firm_suffixes"].values()),
    )


@cache
def profiles() -> ProfileTables:
    raw = _load("profiles.yaml")
    return ProfileTables(
        openings={kind: tuple(sentences) for kind, sentences in raw["openings"].items()},
        achievements={kind: tuple(sentences) for kind, sentences in raw["achievements"].items()},
    )
