"""Typed inputs and outputs of the review engine.

Frozen dataclasses, so an instance can pass between the web app, a background task and the solver
without anyone changing it on the way. Ids are kept exactly as the caller gave them (strings or
integers): the fund and competition apps pass database primary keys and must get the same values back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

Id = str | int
Status = Literal["optimal", "feasible"]
PartyKind = Literal["person", "organisation"]
UncoveredCause = Literal["conflicts", "organisations", "capacity"]
ExclusionRule = Literal[
    "own_organisation",
    "own_team",
    "declared_organisation",
    "declared_person",
    "collaboration",
    "unavailable",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, addressed by its field path (``reviewers[3].max_load``).

    ``line`` is filled in by the command line, which still has the text; callers that pass parsed
    JSON (the web app) get the path alone.
    """

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path or "input"
        return f"line {self.line}, {where}: {self.message}" if self.line else f"{where}: {self.message}"


class InputError(ValueError):
    """The input cannot be used; ``problems`` lists every reason found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("invalid input:\n" + "\n".join(f"- {problem}" for problem in self.problems))


# ---------------------------------------------------------------------------------------------- assign


@dataclass(frozen=True)
class Reviewer:
    """An expert who may review submissions.

    ``person`` is the reviewer's id as a person (what collaboration records and other submissions'
    teams use); it defaults to ``id``. ``organisation`` is ``None`` for an independent expert, who then
    counts as an organisation of their own for the one-reviewer-per-organisation rule.
    """

    id: Id
    organisation: Id | None
    expertise: tuple[str, ...]
    max_load: int
    conflict_organisations: tuple[Id, ...] = ()
    conflict_people: tuple[Id, ...] = ()
    person: Id | None = None

    @property
    def person_id(self) -> Id:
        return self.id if self.person is None else self.person


@dataclass(frozen=True)
class Submission:
    """A project, application or competition entry that needs ``reviewers_needed`` reviewers."""

    id: Id
    organisation: Id | None
    team: tuple[Id, ...]
    tags: tuple[str, ...]
    reviewers_needed: int


@dataclass(frozen=True)
class Party:
    """One side of a collaboration record: a person or an organisation."""

    kind: PartyKind
    id: Id


@dataclass(frozen=True)
class Collaboration:
    """A past collaboration known to the platform, e.g. a person who worked at an organisation in 2023."""

    a: Party
    b: Party
    kind: str
    date: datetime.date


@dataclass(frozen=True)
class AssignInstance:
    """Everything the assignment needs.

    Collaborations dated on or after ``as_of`` minus ``lookback_years`` count as conflicts (later dates
    too: a planned engagement is already a relationship). ``as_of`` is required when there are
    collaborations, so that the same file always gives the same assignment.
    """

    reviewers: tuple[Reviewer, ...]
    submissions: tuple[Submission, ...]
    collaborations: tuple[Collaboration, ...] = ()
    lookback_years: int = 3
    as_of: datetime.date | None = None


@dataclass(frozen=True)
class Exclusion:
    """Why one reviewer may not review one submission (a reviewer can have several)."""

    reviewer: Id
    rule: ExclusionRule
    detail: str


@dataclass(frozen=True)
class ReviewAssignment:
    """One review to do: ``reviewer`` reviews ``submission``; ``fit`` is their number of shared tags."""

    submission: Id
    reviewer: Id
    fit: int


@dataclass(frozen=True)
class Uncovered:
    """A submission that gets no reviewers, with a reason a chair can act on.

    ``cause`` is ``conflicts`` (fewer eligible reviewers than needed), ``organisations`` (enough
    reviewers, too few distinct organisations) or ``capacity`` (the eligible reviewers are fully booked).
    ``excluded`` lists every reviewer that conflicts or availability rule out, and why.
    """

    submission: Id
    needed: int
    eligible: int
    cause: UncoveredCause
    reason: str
    excluded: tuple[Exclusion, ...] = ()


@dataclass(frozen=True)
class Load:
    reviewer: Id
    load: int
    max_load: int


@dataclass(frozen=True)
class Bounds:
    """Proven limits on what any assignment obeying the hard rules can achieve.

    ``covered_at_most``: submissions any valid assignment can cover. ``max_load_at_least``: the smallest
    possible maximum load among assignments covering as many. ``fit_at_most``: the best fit among those
    that also have the optimal loads. ``fit_at_most_ignoring_evenness``: the best fit of any valid
    assignment covering the same submissions, loads only within limits - what evenness costs.
    ``None`` where nothing is proven (the greedy baseline; load and fit bounds when the pool is too small).
    """

    covered_at_most: int | None
    max_load_at_least: int | None
    fit_at_most: int | None
    fit_at_most_ignoring_evenness: int | None


@dataclass(frozen=True)
class AssignResult:
    """The assignment and its figures. ``status`` is ``optimal`` when all four objectives are proven."""

    status: Status
    method: str
    assignments: tuple[ReviewAssignment, ...]
    uncovered: tuple[Uncovered, ...]
    loads: tuple[Load, ...]
    bounds: Bounds
    conflict_pairs: int
    solve_seconds: float = 0.0

    @property
    def covered(self) -> int:
        return len({assignment.submission for assignment in self.assignments})

    @property
    def fit(self) -> int:
        return sum(assignment.fit for assignment in self.assignments)

    @property
    def max_load(self) -> int:
        return max((load.load for load in self.loads if load.max_load > 0), default=0)

    @property
    def min_load(self) -> int:
        return min((load.load for load in self.loads if load.max_load > 0), default=0)

    @property
    def load_sum_squares(self) -> int:
        return sum(load.load**2 for load in self.loads)


# ----------------------------------------------------------------------------------------------- score


@dataclass(frozen=True)
class Scale:
    """A closed range of allowed values; ``step`` (optional) restricts values to ``min + k * step``."""

    min: float
    max: float
    step: float | None = None

    @property
    def width(self) -> float:
        return self.max - self.min


@dataclass(frozen=True)
class Criterion:
    id: Id
    weight: float
    scale: Scale


@dataclass(frozen=True)
class RawScore:
    reviewer: Id
    submission: Id
    criterion: Id
    value: float


@dataclass(frozen=True)
class ScoreParameters:
    """How totals are normalised and flagged (defaults in ``rules.yaml``; see docs/review.md).

    ``target_mean`` / ``target_sd`` fix where z-scores are mapped back to; by default they come from the
    data (mean of all totals, pooled within-reviewer standard deviation).
    """

    min_scores: int = 5
    shrinkage: float = 0.0
    outlier_threshold: float = 1.5
    target_mean: float | None = None
    target_sd: float | None = None


@dataclass(frozen=True)
class ScoreInstance:
    criteria: tuple[Criterion, ...]
    scores: tuple[RawScore, ...]
    total_scale: Scale
    parameters: ScoreParameters = field(default_factory=ScoreParameters)


@dataclass(frozen=True)
class EntryTotal:
    """One reviewer's weighted total for one submission, raw and normalised.

    ``z`` is the total's position in the reviewer's own distribution (for a reviewer left raw, in the
    panel's); ``normalised_total`` maps it back onto the total scale.
    """

    reviewer: Id
    submission: Id
    raw_total: float
    z: float
    normalised_total: float


@dataclass(frozen=True)
class ReviewerSummary:
    """How one reviewer's totals were treated. ``method``: ``z-score``, ``raw`` or ``constant``.

    ``location`` and ``spread`` are the mean and standard deviation the totals were standardised with
    (after shrinkage), ``None`` for a reviewer left raw.
    """

    reviewer: Id
    count: int
    mean: float
    sd: float
    method: Literal["z-score", "raw", "constant"]
    location: float | None
    spread: float | None


@dataclass(frozen=True)
class Outlier:
    """A total far from the other reviewers of the same submission (both sides normalised).

    ``deviation`` is in panel standard deviations (``target_sd``), negative when this reviewer is lower.
    """

    reviewer: Id
    submission: Id
    raw_total: float
    normalised_total: float
    others_mean: float
    others_raw_mean: float
    others: int
    deviation: float
    message: str


@dataclass(frozen=True)
class RankedEntry:
    """A submission's place. ``decided_by`` names the tie-break that put it above the next entry."""

    submission: Id
    rank: int
    score: float
    raw_score: float
    raw_rank: int
    reviews: int
    decided_by: str
    raw_decided_by: str


@dataclass(frozen=True)
class ScoreResult:
    ranking: tuple[RankedEntry, ...]
    totals: tuple[EntryTotal, ...]
    reviewers: tuple[ReviewerSummary, ...]
    outliers: tuple[Outlier, ...]
    target_mean: float
    target_sd: float
    parameters: ScoreParameters
    total_scale: Scale
