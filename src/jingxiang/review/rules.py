"""The review engine's rules as data: collaboration kinds, default parameters and input limits.

They live in ``rules.yaml`` next to this module so that a policy change (a longer avoidance window, a
different outlier threshold) is a reviewed data edit, not a code change. The file is read once and
checked here, because a typo in it would otherwise surface as a confusing error deep in a solve.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

RULES_PATH = Path(__file__).with_name("rules.yaml")


@dataclass(frozen=True)
class CollaborationKind:
    """A kind of past collaboration that counts as a conflict of interest, with its labels."""

    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class Rules:
    """Everything ``rules.yaml`` holds, typed."""

    collaboration_kinds: dict[str, CollaborationKind]
    lookback_years: int
    min_scores: int
    shrinkage: float
    outlier_threshold: float
    limits: dict[str, int]


def _positive_int(section: dict[str, Any], key: str) -> int:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{RULES_PATH.name}: {key} must be a non-negative integer, got {value!r}")
    return value


def _number(section: dict[str, Any], key: str) -> float:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{RULES_PATH.name}: {key} must be a non-negative number, got {value!r}")
    return float(value)


@cache
def rules() -> Rules:
    """The parsed rules file (cached: it does not change while the process runs)."""
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    kinds = {
        code: CollaborationKind(code=code, zh=str(labels["zh"]), en=str(labels["en"]))
        for code, labels in data["collaboration_kinds"].items()
    }
    limits = {key: _positive_int(data["limits"], key) for key in data["limits"]}
    return Rules(
        collaboration_kinds=kinds,
        lookback_years=_positive_int(data["assign"], "lookback_years"),
        min_scores=_positive_int(data["score"], "min_scores"),
        shrinkage=_number(data["score"], "shrinkage"),
        outlier_threshold=_number(data["score"], "outlier_threshold"),
        limits=limits,
    )
