"""The optimising assigner: conflicts first, then exact flows, CP-SAT only when the pool is too small.

Objectives, in strict order (docs/review.md):

1. cover as many submissions as possible, each with exactly its number of reviewers;
2. the smallest possible maximum load;
3. the most even loads (smallest sum of squared loads) under that maximum;
4. the greatest total expertise fit.

Submissions that no assignment can cover (too few eligible reviewers or organisations) are set aside
with their reason first. If a max flow then covers everything else, objectives 2-4 are solved exactly by
:mod:`.flows` and the result is ``optimal``. Otherwise :mod:`.coverage` chooses the submissions to cover
with CP-SAT and the flows optimise loads and fit for that choice; the result is then ``feasible`` -
another choice of equally many submissions might balance loads better - with the coverage bound reported.
"""

from __future__ import annotations

import time

import numpy as np

from jingxiang.review.coverage import flow_bound, maximise_coverage
from jingxiang.review.flows import FlowAssignment, Network
from jingxiang.review.greedy import greedy_panels, result_from_panels
from jingxiang.review.problem import Problem, prepare
from jingxiang.review.reasons import local_reason
from jingxiang.review.records import AssignInstance, AssignResult, Bounds

FLOW_METHOD = "min-cost flow"
COVERAGE_METHOD = "CP-SAT coverage, then min-cost flow"
MIN_SEARCH_SECONDS = 1.0


def _panels(assignment: FlowAssignment) -> dict[int, list[int]]:
    panels: dict[int, list[int]] = {}
    for submission, reviewer in zip(
        assignment.submissions.tolist(), assignment.reviewers.tolist(), strict=True
    ):
        panels.setdefault(submission, []).append(reviewer)
    return panels


def assign(
    instance: AssignInstance, *, time_limit_seconds: float = 60.0, workers: int = 2, seed: int = 0
) -> AssignResult:
    """Assign reviewers to submissions under every hard rule, optimising the objectives above.

    ``time_limit_seconds`` and ``workers`` matter only when the pool is too small for every
    submission (the CP-SAT step); the flow steps are exact and take seconds even at 2,000 × 300.
    """
    started = time.perf_counter()
    deadline = started + time_limit_seconds
    problem = prepare(instance)
    candidates = [s for s in range(problem.submission_count) if local_reason(problem, s) is None]
    network = Network(problem, candidates)
    if network.covers_all(problem.max_load):
        covered, coverage_bound, coverage_proven, method = candidates, len(candidates), True, FLOW_METHOD
        complete = True
    else:
        covered, coverage_bound, coverage_proven = _choose_covered(
            problem, candidates, network, deadline, workers, seed
        )
        network = Network(problem, covered)
        method, complete = COVERAGE_METHOD, False
    max_load = network.smallest_max_load()
    assignment, _squares = network.cheapest(np.minimum(problem.max_load, max_load), spread=True)
    loose, _ = network.cheapest(problem.max_load, spread=False)
    fit = int(assignment.fits.sum())
    bounds = Bounds(
        covered_at_most=coverage_bound,
        max_load_at_least=max_load if complete else None,
        fit_at_most=fit if complete else None,
        fit_at_most_ignoring_evenness=int(loose.fits.sum()),
    )
    if coverage_proven:
        proof = (
            f"covering it too would leave another submission uncovered (no assignment covers more than "
            f"{coverage_bound} of the coverable submissions; proven)"
        )
    else:
        proof = (
            f"the solver stopped at its time limit with {len(covered)} covered and at most {coverage_bound} "
            "possible; a longer run may cover it"
        )
    return result_from_panels(
        problem,
        _panels(assignment),
        assignment.loads(problem.reviewer_count),
        status="optimal" if complete else "feasible",
        method=method,
        bounds=bounds,
        capacity_proof=proof,
        started=started,
    )


def _choose_covered(
    problem: Problem, candidates: list[int], network: Network, deadline: float, workers: int, seed: int
) -> tuple[list[int], int, bool]:
    """Which submissions to cover when not all can be: (chosen, proven bound on how many, bound met)."""
    bound = flow_bound(problem, candidates, network.max_flow(problem.max_load))
    hints = [greedy_panels(problem, candidates, pick)[0] for pick in ("fit", "load")]
    hint = max(hints, key=len)
    if len(hint) >= bound:
        # The greedy panels already reach the flow bound: coverage is proven without CP-SAT.
        return sorted(hint), bound, True
    if deadline - time.perf_counter() < MIN_SEARCH_SECONDS:
        return sorted(hint), bound, False
    coverage = maximise_coverage(
        problem,
        candidates,
        hint=hint,
        bound=bound,
        time_limit_seconds=deadline - time.perf_counter(),
        workers=workers,
        seed=seed,
    )
    covered = list(coverage.covered)
    if not coverage.proven:
        # CP-SAT stopped early: still add every submission that fits beside the chosen ones.
        chosen = set(covered)
        for submission in candidates:
            if submission in chosen or time.perf_counter() > deadline + 5:
                continue
            trial = sorted(chosen | {submission})
            if Network(problem, trial).covers_all(problem.max_load):
                chosen.add(submission)
        covered = sorted(chosen)
    return covered, max(coverage.bound, len(covered)), len(covered) >= coverage.bound
