"""Why a submission gets no reviewers, in words a chair can act on (add a reviewer, raise a load).

Two kinds of reasons:

* *local* - the submission cannot be covered in any assignment: fewer eligible reviewers than needed
  after conflicts (``conflicts``), or enough reviewers but from too few organisations (``organisations``).
  They are decided before solving and listed with every excluded reviewer and the rule that excluded them.
* *capacity* - it could be covered on its own, but its eligible reviewers' loads are used by other
  submissions. Derived from the final loads, so it names what is actually left.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from jingxiang.review.problem import IntArray, Problem
from jingxiang.review.records import Exclusion, Id, Uncovered

RULE_LABELS = {
    "own_organisation": "own organisation",
    "own_team": "on the team",
    "declared_organisation": "declared conflict with the organisation",
    "declared_person": "declared conflict with a team member",
    "collaboration": "recent collaboration",
    "unavailable": "max_load 0",
}
SHOWN_PER_RULE = 8


def _names(ids: list[Id]) -> str:
    shown = ", ".join(repr(reviewer) for reviewer in ids[:SHOWN_PER_RULE])
    return shown if len(ids) <= SHOWN_PER_RULE else f"{shown} and {len(ids) - SHOWN_PER_RULE} more"


def excluded_summary(exclusions: list[Exclusion]) -> str:
    """``excluded: own organisation: 'r1', 'r2'; recent collaboration: 'r7'`` (each reviewer once per rule)."""
    by_rule: dict[str, list[Id]] = defaultdict(list)
    for exclusion in exclusions:
        if exclusion.reviewer not in by_rule[exclusion.rule]:
            by_rule[exclusion.rule].append(exclusion.reviewer)
    parts = [f"{RULE_LABELS[rule]}: {_names(ids)}" for rule, ids in by_rule.items()]
    return "excluded - " + "; ".join(parts) if parts else "no reviewer is excluded"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def local_reason(problem: Problem, submission: int) -> Uncovered | None:
    """The reason the submission can never be covered, or ``None`` if some assignment could cover it."""
    need = int(problem.need[submission])
    eligible = problem.eligible[submission]
    exclusions = problem.eligibility.excluded[submission]
    submission_id = problem.instance.submissions[submission].id
    if len(eligible) < need:
        if exclusions:
            reason = (
                f"only {_plural(len(eligible), 'eligible reviewer')} after conflicts, {need} needed; "
                f"{excluded_summary(exclusions)}"
            )
        else:
            reason = f"the pool has only {_plural(len(eligible), 'reviewer')}, {need} needed"
        return Uncovered(submission_id, need, len(eligible), "conflicts", reason, tuple(exclusions))
    groups = problem.distinct_groups(submission)
    if groups < need:
        reviewers = problem.instance.reviewers
        by_organisation: dict[Id, list[Id]] = defaultdict(list)
        independent: list[Id] = []
        for position in eligible:
            reviewer = reviewers[position]
            if reviewer.organisation is None:
                independent.append(reviewer.id)
            else:
                by_organisation[reviewer.organisation].append(reviewer.id)
        parts = [f"{organisation!r}: {_names(ids)}" for organisation, ids in by_organisation.items()]
        parts += [f"{reviewer_id!r} (independent)" for reviewer_id in independent]
        listing = "; ".join(parts)
        reason = (
            f"{_plural(len(eligible), 'eligible reviewer')} but from only {_plural(groups, 'organisation')} "
            f"({listing}); {need} needed and no two may come from one organisation; "
            f"{excluded_summary(exclusions)}"
        )
        return Uncovered(submission_id, need, len(eligible), "organisations", reason, tuple(exclusions))
    return None


def capacity_reason(problem: Problem, submission: int, loads: IntArray, proof: str) -> Uncovered:
    """The submission was left out because its eligible reviewers are booked; ``proof`` says how sure."""
    need = int(problem.need[submission])
    eligible = problem.eligible[submission]
    spare = eligible[loads[eligible] < problem.max_load[eligible]]
    free_groups = len(np.unique(problem.groups[submission][np.isin(eligible, spare)]))
    reviewers = problem.instance.reviewers
    if len(spare):
        left = (
            f"{_plural(len(spare), 'reviewer')} from {_plural(free_groups, 'organisation')} "
            f"{'has' if len(spare) == 1 else 'have'} a review left ({_names([reviewers[p].id for p in spare])})"
        )
    else:
        left = "none has a review left"
    reason = (
        f"its {_plural(len(eligible), 'eligible reviewer')} (from "
        f"{_plural(problem.distinct_groups(submission), 'organisation')}) are booked by other submissions: "
        f"{left}, {need} needed; {proof}"
    )
    return Uncovered(
        problem.instance.submissions[submission].id,
        need,
        len(eligible),
        "capacity",
        reason,
        tuple(problem.eligibility.excluded[submission]),
    )
