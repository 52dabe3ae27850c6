"""When the pool is too small: choose which submissions to cover, with CP-SAT.

A flow can spread reviews, but it cannot say "all of this submission's reviewers or none": a partly
reviewed entry would be judged on fewer opinions than the others. Only when the max flow shows that not
every submission can be covered does this module run: one Boolean ``y_s`` per submission and ``x_rs``
per eligible pair, ``Σ_r x_rs = need_s · y_s``, at most one per organisation and submission, loads
within ``max_load``, maximise ``Σ y_s``. The max-flow value gives a first bound (the most submissions
whose needs fit into it, smallest needs first); CP-SAT tightens it and usually proves it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from jingxiang.review.problem import Problem


@dataclass(frozen=True)
class Coverage:
    """The submissions to cover (positions), the proven bound on how many can be, and whether it is met."""

    covered: list[int]
    bound: int
    proven: bool


def flow_bound(problem: Problem, candidates: Sequence[int], reviews: int) -> int:
    """At most this many submissions can be covered when at most ``reviews`` reviews can be placed."""
    total, count = 0, 0
    for need in sorted(int(problem.need[s]) for s in candidates):
        total += need
        if total > reviews:
            break
        count += 1
    return count


def maximise_coverage(
    problem: Problem,
    candidates: Sequence[int],
    *,
    hint: dict[int, list[int]],
    bound: int,
    time_limit_seconds: float,
    workers: int,
    seed: int,
) -> Coverage:
    """Cover as many of ``candidates`` as possible, starting from the ``hint`` panels."""
    model = cp_model.CpModel()
    chosen = {s: model.new_bool_var(f"y[{s}]") for s in candidates}
    pairs: dict[tuple[int, int], cp_model.IntVar] = {}
    by_reviewer: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for s in candidates:
        reviewers = problem.eligible[s].tolist()
        variables = [model.new_bool_var(f"x[{r},{s}]") for r in reviewers]
        model.add(sum(variables) == int(problem.need[s]) * chosen[s])
        by_group: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for variable, group in zip(variables, problem.groups[s].tolist(), strict=True):
            by_group[group].append(variable)
        for members in by_group.values():
            if len(members) > 1:
                model.add_at_most_one(members)
        for reviewer, variable in zip(reviewers, variables, strict=True):
            pairs[(reviewer, s)] = variable
            by_reviewer[reviewer].append(variable)
    for reviewer, variables in by_reviewer.items():
        if len(variables) > problem.max_load[reviewer]:
            model.add(sum(variables) <= int(problem.max_load[reviewer]))
    model.add(sum(chosen.values()) <= bound)
    model.maximize(sum(chosen.values()))
    for s, variable in chosen.items():
        model.add_hint(variable, s in hint)
    for (reviewer, s), variable in pairs.items():
        model.add_hint(variable, reviewer in hint.get(s, ()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit_seconds, 0.05)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Coverage(sorted(hint), bound, len(hint) >= bound)
    covered = [s for s, variable in chosen.items() if solver.boolean_value(variable)]
    if len(covered) < len(hint):
        covered = sorted(hint)
    best_bound = min(bound, math.floor(solver.best_objective_bound + 1e-6))
    if status == cp_model.OPTIMAL:
        best_bound = len(covered)
    return Coverage(covered, max(best_bound, len(covered)), len(covered) >= best_bound)
