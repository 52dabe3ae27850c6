"""The greedy baseline: how a secretariat fills a review spreadsheet, kept for comparison.

Submissions are taken in the order given; each gets, one at a time, the eligible reviewer with a load
to spare who fits best (``pick="fit"``: most shared tags, then least loaded) or who is least loaded
(``pick="load"``: then best fit), skipping organisations already on its panel. A submission that cannot
get all its reviewers at that moment gets none. It never revisits an earlier choice, which is what
makes loads uneven and leaves late submissions uncovered. ``history=False`` also ignores the platform's
collaboration records, as a spreadsheet that knows only declared conflicts would.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Literal

import numpy as np

from jingxiang.review.problem import IntArray, Problem, prepare
from jingxiang.review.reasons import capacity_reason, local_reason
from jingxiang.review.records import AssignInstance, AssignResult, Bounds, Load, ReviewAssignment, Uncovered

GreedyPick = Literal["fit", "load"]


def greedy_panels(
    problem: Problem, order: Sequence[int], pick: GreedyPick = "fit", loads: IntArray | None = None
) -> tuple[dict[int, list[int]], IntArray]:
    """Panels (submission → reviewer positions) and the loads they give, filled in ``order``."""
    loads = np.zeros(problem.reviewer_count, np.int64) if loads is None else loads.copy()
    panels: dict[int, list[int]] = {}
    for submission in order:
        eligible = problem.eligible[submission]
        need = int(problem.need[submission])
        spare = loads[eligible] < problem.max_load[eligible]
        candidates = eligible[spare]
        fits = problem.fits[submission][spare]
        groups = problem.groups[submission][spare]
        current = loads[candidates]
        # np.lexsort sorts by the last key first; positions break the remaining ties (input order).
        keys = (candidates, current, -fits) if pick == "fit" else (candidates, -fits, current)
        chosen: list[int] = []
        used_groups: set[int] = set()
        for index in np.lexsort(keys):
            if int(groups[index]) in used_groups:
                continue
            chosen.append(int(candidates[index]))
            used_groups.add(int(groups[index]))
            if len(chosen) == need:
                break
        if len(chosen) == need:
            panels[submission] = chosen
            loads[chosen] += 1
    return panels, loads


def greedy_assign(
    instance: AssignInstance, *, pick: GreedyPick = "fit", history: bool = True
) -> AssignResult:
    """Assign by the greedy rule above. Proves nothing: ``status`` is ``feasible``, bounds are ``None``."""
    started = time.perf_counter()
    problem = prepare(instance, history=history)
    panels, loads = greedy_panels(problem, range(problem.submission_count), pick)
    return result_from_panels(
        problem,
        panels,
        loads,
        status="feasible",
        method=f"greedy ({pick} first{'' if history else ', declared conflicts only'})",
        bounds=Bounds(None, None, None, None),
        capacity_proof="the greedy pass had given their remaining reviews to earlier submissions",
        started=started,
    )


def result_from_panels(
    problem: Problem,
    panels: dict[int, list[int]],
    loads: IntArray,
    *,
    status: Literal["optimal", "feasible"],
    method: str,
    bounds: Bounds,
    capacity_proof: str,
    started: float,
) -> AssignResult:
    """Turn panels into an :class:`AssignResult`, explaining every submission without a panel."""
    instance = problem.instance
    assignments: list[ReviewAssignment] = []
    uncovered: list[Uncovered] = []
    for submission in range(problem.submission_count):
        panel = panels.get(submission)
        if panel is None:
            reason = local_reason(problem, submission) or capacity_reason(
                problem, submission, loads, capacity_proof
            )
            uncovered.append(reason)
            continue
        fit_of = dict(
            zip(problem.eligible[submission].tolist(), problem.fits[submission].tolist(), strict=True)
        )
        for reviewer in sorted(panel):
            assignments.append(
                ReviewAssignment(
                    instance.submissions[submission].id, instance.reviewers[reviewer].id, fit_of[reviewer]
                )
            )
    return AssignResult(
        status=status,
        method=method,
        assignments=tuple(assignments),
        uncovered=tuple(uncovered),
        loads=tuple(
            Load(reviewer.id, int(loads[position]), reviewer.max_load)
            for position, reviewer in enumerate(instance.reviewers)
        ),
        bounds=bounds,
        conflict_pairs=problem.eligibility.conflict_pairs,
        solve_seconds=time.perf_counter() - started,
    )
