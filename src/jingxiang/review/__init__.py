"""Review engine for the talent fund and the competition (issue 15): fair assignment and scoring.

Plain Python without Django, so the fund and competition apps, background tasks, the command line and
the benchmark all call the same code. The public API:

* :func:`assign_instance_from_json` / :func:`assign_result_to_json` - the JSON formats of ``assign``;
* :func:`assign` - reviewers to submissions with no conflict of interest, exact coverage, even loads
  and the best expertise fit, solved exactly with OR-Tools flows (CP-SAT when the pool is too small);
* :func:`greedy_assign` - the spreadsheet-style baseline;
* :func:`validate` - an independent re-check of an assignment before it is published;
* :func:`score_instance_from_json` / :func:`score` / :func:`score_result_to_json` - weighted totals,
  per-reviewer normalisation, outlier flags and the ranking with and without normalisation.
"""

from jingxiang.review.formats import (
    assign_instance_from_json,
    assign_instance_to_json,
    assign_result_to_json,
    score_instance_from_json,
    score_result_to_json,
)
from jingxiang.review.greedy import greedy_assign
from jingxiang.review.records import (
    AssignInstance,
    AssignResult,
    Bounds,
    Collaboration,
    Criterion,
    EntryTotal,
    Exclusion,
    InputError,
    Load,
    Outlier,
    Party,
    Problem,
    RankedEntry,
    RawScore,
    ReviewAssignment,
    Reviewer,
    ReviewerSummary,
    Scale,
    ScoreInstance,
    ScoreParameters,
    ScoreResult,
    Submission,
    Uncovered,
)
from jingxiang.review.scoring import score
from jingxiang.review.solver import assign
from jingxiang.review.validator import Violation, validate


def validate_assignment(instance: AssignInstance, result: AssignResult) -> list[Violation]:
    """Typed convenience over :func:`validate`: both sides go through their JSON form first."""
    return validate(assign_instance_to_json(instance), assign_result_to_json(result))


__all__ = [
    "AssignInstance",
    "AssignResult",
    "Bounds",
    "Collaboration",
    "Criterion",
    "EntryTotal",
    "Exclusion",
    "InputError",
    "Load",
    "Outlier",
    "Party",
    "Problem",
    "RankedEntry",
    "RawScore",
    "ReviewAssignment",
    "Reviewer",
    "ReviewerSummary",
    "Scale",
    "ScoreInstance",
    "ScoreParameters",
    "ScoreResult",
    "Submission",
    "Uncovered",
    "Violation",
    "assign",
    "assign_instance_from_json",
    "assign_instance_to_json",
    "assign_result_to_json",
    "greedy_assign",
    "score",
    "score_instance_from_json",
    "score_result_to_json",
    "validate",
    "validate_assignment",
]
