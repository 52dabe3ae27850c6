"""The seed catalogue (catalogue.yaml): tiers, 500精英计划 grades, call defaults, the diligence checklist
and the attachment kinds. Read once; operators change tiers and grades in the database afterwards."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).with_name("catalogue.yaml")


@functools.cache
def catalogue() -> dict[str, Any]:
    with PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def attachment_kinds() -> dict[str, dict[str, Any]]:
    kinds: dict[str, dict[str, Any]] = catalogue()["attachment_kinds"]
    return kinds


def defaults() -> dict[str, Any]:
    values: dict[str, Any] = catalogue()["call_defaults"]
    return values


def seed(tier_model: Any, grade_model: Any) -> None:
    """Create the catalogue's tiers and grades when none exist (a data migration and the tests call it)."""
    data = catalogue()
    if not tier_model.objects.exists():
        for row in data["tiers"]:
            tier_model.objects.create(source="policy-rules.md §6.1", **row)
    if not grade_model.objects.exists():
        for row in data["elite_grades"]:
            grade_model.objects.create(source="policy-rules.md §6.2", **row)
