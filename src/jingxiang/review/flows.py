"""The assignment as a network flow, solved exactly with OR-Tools' max-flow and min-cost-flow.

Network for a set of submissions that must all be covered (docs/review.md has the argument):

    source --need_s--> submission s --1--> (s, organisation) --1--> reviewer r --load--> sink

An (s, organisation) node with capacity 1 lets at most one reviewer of that organisation review s;
where an organisation has a single eligible reviewer for s the node is left out (the arc s → r already
has capacity 1). Conflicted pairs have no arc at all. A flow of value ``D = Σ need_s`` is exactly an
assignment obeying every hard rule, and every vertex of this network's flow polytope is integral, so
the flow solvers' optima are optima of the assignment problem - no rounding, no gap.

* the smallest maximum load ``L*`` comes from a binary search on max-flow feasibility with reviewer
  capacities ``min(max_load, L)``;
* then one min-cost flow with capacities ``min(max_load, L*)`` minimises, lexicographically, the sum of
  squared loads (reviewer → sink split into unit arcs costing ``M·(2k-1)`` for the k-th review, so a
  load ``l`` costs ``M·l²``) and then the missing fit (pair arc cost ``max_fit - fit``). ``M`` exceeds
  the largest possible total of the fit part, so no amount of fit can buy a less even load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import max_flow, min_cost_flow

from jingxiang.review.problem import IntArray, Problem

SOURCE, SINK = 0, 1
# OR-Tools' cost scaling multiplies costs by the number of nodes; stay well inside 64 bits.
COST_LIMIT = 2**62


class FlowError(RuntimeError):
    """A flow solve did not return an optimum; with valid input this is a bug, never a user error."""


@dataclass
class FlowAssignment:
    """Chosen pairs as positions: ``submissions[i]`` is reviewed by ``reviewers[i]`` with ``fits[i]``."""

    submissions: IntArray
    reviewers: IntArray
    fits: IntArray

    def loads(self, reviewer_count: int) -> IntArray:
        return np.bincount(self.reviewers, minlength=reviewer_count).astype(np.int64)


class Network:
    """The flow network for covering every submission in ``covered`` (positions) completely."""

    def __init__(self, problem: Problem, covered: Sequence[int]) -> None:
        self.problem = problem
        self.covered = list(covered)
        reviewer_count = problem.reviewer_count
        self.reviewer_node = 2 + len(self.covered) + np.arange(reviewer_count, dtype=np.int64)
        next_node = 2 + len(self.covered) + reviewer_count
        tails: list[IntArray] = []
        heads: list[IntArray] = []
        capacities: list[IntArray] = []
        pair_tails: list[IntArray] = []
        pair_submissions: list[IntArray] = []
        pair_reviewers: list[IntArray] = []
        pair_fits: list[IntArray] = []
        need = problem.need[self.covered] if self.covered else np.zeros(0, np.int64)
        submission_nodes = 2 + np.arange(len(self.covered), dtype=np.int64)
        tails.append(np.full(len(self.covered), SOURCE, np.int64))
        heads.append(submission_nodes)
        capacities.append(need.astype(np.int64))
        for index, submission in enumerate(self.covered):
            reviewers = problem.eligible[submission]
            if not len(reviewers):
                continue
            _unique, inverse, counts = np.unique(
                problem.groups[submission], return_inverse=True, return_counts=True
            )
            shared = np.flatnonzero(counts > 1)
            group_node = np.full(len(counts), -1, np.int64)
            group_node[shared] = next_node + np.arange(len(shared))
            next_node += len(shared)
            tails.append(np.full(len(shared), submission_nodes[index], np.int64))
            heads.append(group_node[shared])
            capacities.append(np.ones(len(shared), np.int64))
            via = group_node[inverse]
            pair_tails.append(np.where(via >= 0, via, submission_nodes[index]))
            pair_submissions.append(np.full(len(reviewers), submission, np.int64))
            pair_reviewers.append(reviewers)
            pair_fits.append(problem.fits[submission])
        self.node_count = next_node
        self.demand = int(need.sum())
        self.structure_tails = np.concatenate(tails)
        self.structure_heads = np.concatenate(heads)
        self.structure_capacities = np.concatenate(capacities)
        empty = np.zeros(0, np.int64)
        self.pair_reviewers = np.concatenate(pair_reviewers) if pair_reviewers else empty
        self.pair_submissions = np.concatenate(pair_submissions) if pair_submissions else empty
        self.pair_fits = np.concatenate(pair_fits) if pair_fits else empty
        self.pair_tails = np.concatenate(pair_tails) if pair_tails else empty
        self.pair_heads = self.reviewer_node[self.pair_reviewers]
        self.max_fit = int(self.pair_fits.max()) if len(self.pair_fits) else 0
        self.useful = np.unique(self.pair_reviewers)
        self._max_flow: max_flow.SimpleMaxFlow | None = None
        self._reviewer_arcs: NDArray[np.int32] | None = None

    def _arrays(self) -> tuple[IntArray, IntArray, IntArray]:
        tails = np.concatenate([self.structure_tails, self.pair_tails])
        heads = np.concatenate([self.structure_heads, self.pair_heads])
        capacities = np.concatenate([self.structure_capacities, np.ones(len(self.pair_tails), np.int64)])
        return tails, heads, capacities

    def max_flow(self, caps: IntArray) -> int:
        """Largest number of reviews with reviewer ``r`` doing at most ``caps[r]`` (solver reused)."""
        if self._max_flow is None:
            solver = max_flow.SimpleMaxFlow()
            tails, heads, capacities = self._arrays()
            solver.add_arcs_with_capacity(tails.astype(np.int32), heads.astype(np.int32), capacities)
            self._reviewer_arcs = solver.add_arcs_with_capacity(
                self.reviewer_node.astype(np.int32),
                np.full(len(self.reviewer_node), SINK, np.int32),
                caps.astype(np.int64),
            ).astype(np.int32)
            self._max_flow = solver
        else:
            assert self._reviewer_arcs is not None
            self._max_flow.set_arcs_capacity(self._reviewer_arcs, caps.astype(np.int64))
        if self._max_flow.solve(SOURCE, SINK) != self._max_flow.OPTIMAL:
            raise FlowError("max flow did not solve")
        return int(self._max_flow.optimal_flow())

    def covers_all(self, caps: IntArray) -> bool:
        return self.max_flow(caps) == self.demand

    def smallest_max_load(self) -> int:
        """The least ``L`` such that every covered submission can be covered with loads at most ``L``.

        Binary search between the average (no assignment can do better than spreading the demand over
        every reviewer who can take part) and the largest ``max_load``; feasibility is monotone in ``L``.
        """
        if self.demand == 0:
            return 0
        max_load = self.problem.max_load
        low = max(1, -(-self.demand // max(1, len(self.useful))))
        high = int(max_load[self.useful].max())
        while low < high:
            middle = (low + high) // 2
            if self.covers_all(np.minimum(max_load, middle)):
                high = middle
            else:
                low = middle + 1
        return low

    def cheapest(self, caps: IntArray, *, spread: bool) -> tuple[FlowAssignment, int]:
        """The min-cost assignment under ``caps``: with ``spread``, most even loads first, then best fit.

        Returns the assignment and its sum of squared loads (``0`` when ``spread`` is off).
        """
        solver = min_cost_flow.SimpleMinCostFlow()
        tails, heads, capacities = self._arrays()
        costs = np.concatenate([np.zeros(len(self.structure_tails), np.int64), self.max_fit - self.pair_fits])
        solver.add_arcs_with_capacity_and_unit_cost(
            tails.astype(np.int32), heads.astype(np.int32), capacities, costs
        )
        first_pair_arc = len(self.structure_tails)
        reviewer_caps = caps.astype(np.int64)
        if spread:
            big = self.demand * self.max_fit + 1
            if big * (2 * int(reviewer_caps.max(initial=0)) + 1) * self.node_count >= COST_LIMIT:
                raise FlowError("costs too large for exact lexicographic optimisation")
            reviewers = np.repeat(np.arange(len(reviewer_caps)), reviewer_caps)
            starts = np.cumsum(reviewer_caps) - reviewer_caps
            kth = np.arange(len(reviewers)) - np.repeat(starts, reviewer_caps) + 1
            solver.add_arcs_with_capacity_and_unit_cost(
                self.reviewer_node[reviewers].astype(np.int32),
                np.full(len(reviewers), SINK, np.int32),
                np.ones(len(reviewers), np.int64),
                (big * (2 * kth - 1)).astype(np.int64),
            )
        else:
            solver.add_arcs_with_capacity_and_unit_cost(
                self.reviewer_node.astype(np.int32),
                np.full(len(self.reviewer_node), SINK, np.int32),
                reviewer_caps,
                np.zeros(len(self.reviewer_node), np.int64),
            )
        solver.set_nodes_supplies(
            np.array([SOURCE, SINK], np.int32), np.array([self.demand, -self.demand], np.int64)
        )
        if solver.solve() != solver.OPTIMAL:
            raise FlowError("min-cost flow did not reach an optimum (is the covered set feasible?)")
        pair_arcs = np.arange(first_pair_arc, first_pair_arc + len(self.pair_tails), dtype=np.int32)
        chosen = np.flatnonzero(np.asarray(solver.flows(pair_arcs)) > 0)
        assignment = FlowAssignment(
            submissions=self.pair_submissions[chosen],
            reviewers=self.pair_reviewers[chosen],
            fits=self.pair_fits[chosen],
        )
        loads = assignment.loads(len(reviewer_caps))
        return assignment, int((loads**2).sum()) if spread else 0
