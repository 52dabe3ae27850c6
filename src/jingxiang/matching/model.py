"""Typed records that go in and out of the matching engine.

They mirror the JSONL line formats of issue 4 one to one, so the command line, the web application and
the benchmarks all speak the same language.  Records are frozen: the index keeps references to them and
relies on them not changing behind its back (use ``MatchingIndex.upsert`` to change a profile).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SUPPLIER_KINDS: tuple[str, ...] = (
    "expert",
    "craftsman",
    "university_lab",
    "testing_lab",
    "service_agency",
    "enterprise_team",
)
DEMAND_CATEGORIES: tuple[str, ...] = (
    "技术研发",
    "技能培训",
    "质量检测",
    "品牌升级",
    "市场拓展",
    "人才招聘",
    "数字化",
)

OutcomeKind = Literal["accepted", "declined", "rated"]


@dataclass(frozen=True)
class Supplier:
    """Someone who can help: an expert, craftsman, lab, agency or enterprise team."""

    id: str
    kind: str
    name: str
    org: str = ""
    title: str = ""
    skills: tuple[str, ...] = ()
    description: str = ""
    region: str = ""
    hours_per_month: float = 0.0


@dataclass(frozen=True)
class Demand:
    """A firm's need, written in the owner's words."""

    id: str
    enterprise: str = ""
    title: str = ""
    description: str = ""
    category: str = ""
    region: str = ""
    hours_needed: float = 0.0


@dataclass(frozen=True)
class Match:
    """One ranked supplier (or demand, in reverse mode) with the evidence that put it there."""

    id: str
    score: float
    why: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranking:
    """The answer for one query, best first."""

    query_id: str
    matches: tuple[Match, ...] = ()
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Outcome:
    """What happened after a suggestion: an invitation accepted or declined, or an engagement rated.

    ``rating`` is 1-5 and only meaningful for ``kind == "rated"``.
    """

    demand_id: str
    supplier_id: str
    kind: OutcomeKind
    rating: int | None = None
