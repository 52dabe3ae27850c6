"""The assignment instance seen from the assigners: eligible pairs with their fit, as arrays.

The solver and the greedy baseline start from the same :class:`Problem`, so they apply the same
conflicts and the same fit, and the benchmark compares like with like. The validator deliberately does
*not* use this module.

Fit of a reviewer for a submission = the number of the submission's tags that are among the reviewer's
expertise tags (after :func:`formats.normalise_tag`). It is an integer, so the flow costs are exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jingxiang.review.conflicts import Eligibility, derive
from jingxiang.review.records import AssignInstance

IntArray = NDArray[np.int64]


@dataclass
class Problem:
    """Per submission (by position): eligible reviewer positions, their fit and organisation groups."""

    instance: AssignInstance
    eligibility: Eligibility
    eligible: list[IntArray]
    fits: list[IntArray]
    groups: list[IntArray]
    need: IntArray
    max_load: IntArray

    @property
    def submission_count(self) -> int:
        return len(self.instance.submissions)

    @property
    def reviewer_count(self) -> int:
        return len(self.instance.reviewers)

    def distinct_groups(self, submission: int) -> int:
        return len(np.unique(self.groups[submission]))


def prepare(instance: AssignInstance, *, history: bool = True) -> Problem:
    """Derive eligibility (see :mod:`.conflicts`) and compute every eligible pair's fit."""
    eligibility = derive(instance, history=history)
    tag_position: dict[str, int] = {}
    for reviewer in instance.reviewers:
        for tag in reviewer.expertise:
            tag_position.setdefault(tag, len(tag_position))
    expertise = np.zeros((len(instance.reviewers), max(1, len(tag_position))), dtype=np.int64)
    for position, reviewer in enumerate(instance.reviewers):
        expertise[position, [tag_position[tag] for tag in reviewer.expertise]] = 1
    group_of = np.asarray(eligibility.group, dtype=np.int64)
    eligible, fits, groups = [], [], []
    for position, submission in enumerate(instance.submissions):
        reviewers = np.asarray(eligibility.eligible[position], dtype=np.int64)
        columns = [tag_position[tag] for tag in submission.tags if tag in tag_position]
        fit = expertise[reviewers][:, columns].sum(axis=1) if columns else np.zeros(len(reviewers), np.int64)
        eligible.append(reviewers)
        fits.append(fit.astype(np.int64))
        groups.append(group_of[reviewers] if len(reviewers) else np.zeros(0, np.int64))
    return Problem(
        instance=instance,
        eligibility=eligibility,
        eligible=eligible,
        fits=fits,
        groups=groups,
        need=np.asarray([s.reviewers_needed for s in instance.submissions], dtype=np.int64),
        max_load=np.asarray([r.max_load for r in instance.reviewers], dtype=np.int64),
    )
