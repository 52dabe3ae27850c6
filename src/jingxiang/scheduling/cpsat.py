"""The optimising scheduler: an LP-guided start, then CP-SAT in lexicographic phases.

Model (see docs/scheduling.md for the argument in full):

* one Boolean ``x[m, s]`` per open meeting ``m`` and candidate slot ``s`` (slots where all its
  participants are present and free of fixed meetings, with a free table big enough);
* each meeting in at most one slot; each participant in at most one meeting per slot and at most
  ``max_meetings`` minus their fixed meetings in total;
* per slot and per meeting size ``k``: meetings with at least ``k`` people <= free tables seating at
  least ``k``. That is exactly the condition under which concrete tables exist (:mod:`.tables`), so
  interchangeable tables never appear in the model.

The LP relaxation gives a start and a bound (:mod:`.relaxation`); phase 1 maximises the total weight;
phase 2 keeps the weight between the phase 1 value and the proven bound and minimises idle gaps. If
phase 1 stopped early, phase 2 may still raise the weight, and every unit of weight is worth more than
all possible gaps together, so the order "weight first, then gaps" holds in both cases.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from jingxiang.scheduling.greedy import first_fit
from jingxiang.scheduling.problem import Problem, count_idle_gaps, prepare
from jingxiang.scheduling.reasons import explain_infeasible, explain_unscheduled
from jingxiang.scheduling.records import Id, Instance, Schedule
from jingxiang.scheduling.relaxation import lp_guided_slots
from jingxiang.scheduling.tables import assign_tables, capacity_thresholds

# Shares of the time left when each step starts; a step that finishes early passes its time on. Weight
# comes first, but once the LP start and the repair are within a fraction of a percent of the bound,
# the idle gaps still fall steadily in phase 2a, so it gets a good part of the rest.
PHASE_ONE_SHARE = 0.5
RESLOT_SHARE = 0.6
MIN_PHASE_SECONDS = 0.2
LP_SHARE = 0.2
REPAIR_SHARE = 0.15
MAX_OBJECTIVE = 2**62  # CP-SAT objectives are 64-bit integers; beyond this phase 2b is skipped
MAX_WEIGHT_DECIMALS = 6


@dataclass(frozen=True)
class Progress:
    """Sent to ``on_progress`` so a background job can show a progress bar.

    ``phase`` is 0 once the starting schedule and the LP bound exist, 1 at each heavier schedule found,
    2 at each schedule with fewer idle gaps, and 3 once with the final figures.
    """

    phase: int
    scheduled_weight: float
    upper_bound: float
    idle_gaps: int | None
    elapsed_seconds: float


ProgressCallback = Callable[[Progress], None]


def weight_scale(weights: list[float]) -> int:
    """The smallest power of ten that makes all weights integral (CP-SAT needs integer coefficients).

    Weights are rounded to six decimals at most; match scores never carry more precision than that.
    """
    for decimals in range(MAX_WEIGHT_DECIMALS + 1):
        scale = 10**decimals
        if all(abs(w * scale - round(w * scale)) < 1e-9 * max(1.0, w * scale) for w in weights):
            return int(scale)
    return int(10**MAX_WEIGHT_DECIMALS)


class _Model:
    """The CP-SAT model for one prepared problem.

    With ``required`` set, only those meetings are in the model and each must get a slot: the
    re-slotting model of phase 2a, which keeps the chosen meetings and only moves them in time.
    """

    def __init__(self, problem: Problem, scale: int, required: frozenset[Id] | None = None) -> None:
        self.problem = problem
        self.required = required
        self.model = cp_model.CpModel()
        self.scaled_weight = {m.id: round(m.weight * scale) for m in problem.instance.meetings}
        self.x: dict[tuple[Id, int], cp_model.IntVar] = {}
        candidates = problem.candidate_slots()
        self.candidates = {m: slots for m, slots in candidates.items() if slots}
        for meeting_id, slots in candidates.items():
            if required is not None and meeting_id not in required:
                continue
            for slot in slots:
                self.x[(meeting_id, slot)] = self.model.new_bool_var(f"x[{meeting_id!r},{slot}]")
        self.by_meeting: dict[Id, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        self.by_participant: dict[Id, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        self.by_participant_slot: dict[tuple[Id, int], list[cp_model.IntVar]] = defaultdict(list)
        self.by_slot: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for (meeting_id, slot), var in self.x.items():
            self.by_meeting[meeting_id].append((slot, var))
            self.by_slot[slot].append((problem.size(meeting_id), var))
            for participant in problem.meetings[meeting_id].participants:
                self.by_participant[participant].append((slot, var))
                self.by_participant_slot[(participant, slot)].append(var)
        self._add_hard_rules()
        self.weight: cp_model.LinearExprT = sum(
            self.scaled_weight[m] * var for (m, _s), var in self.x.items()
        )
        self.spans: dict[Id, tuple[int, list[cp_model.IntVar], list[cp_model.IntVar]]] = {}
        self.fixed_weight = sum(self.scaled_weight[m] for m in problem.fixed)

    def _add_hard_rules(self) -> None:
        problem = self.problem
        for entries in self.by_meeting.values():
            if self.required is None:
                self.model.add_at_most_one(var for _slot, var in entries)
            else:
                self.model.add_exactly_one(var for _slot, var in entries)
        for variables in self.by_participant_slot.values():
            if len(variables) > 1:
                self.model.add_at_most_one(variables)
        fixed_count = problem.fixed_count()
        for participant, entries in self.by_participant.items():
            room = problem.participants[participant].max_meetings - fixed_count[participant]
            if len(entries) > room:
                self.model.add(sum(var for _slot, var in entries) <= room)
        for slot, entries in self.by_slot.items():
            sizes = {size for size, _var in entries}
            for threshold, table_count in capacity_thresholds(sizes, problem.free_tables(slot)):
                at_least = [var for size, var in entries if size >= threshold]
                if len(at_least) > table_count:
                    self.model.add(sum(at_least) <= table_count)

    def add_idle_gaps(self) -> tuple[cp_model.LinearExprT, int]:
        """Idle gaps per participant as span minus meetings; returns (total expression, its maximum).

        Over the participant's possible slots ``low..high``, ``started[t]`` (non-decreasing) and
        ``ongoing[t]`` (non-increasing) are at least ``busy[t]``. Inside the span both are 1, outside it
        exactly one is, so ``sum(started + ongoing) - (high - low + 1) * has_meetings`` is the span. The
        gaps are that minus the meeting count; minimising pushes both flags down onto the real span.
        Monotone Boolean chains propagate much better than ``first``/``last`` integers with
        enforcement literals, whose linear relaxation is almost empty.
        """
        problem = self.problem
        fixed_slots: dict[Id, list[int]] = defaultdict(list)
        for meeting_id, (slot, _table) in problem.fixed.items():
            for member in problem.meetings[meeting_id].participants:
                fixed_slots[member].append(slot)
        gap_terms: list[cp_model.LinearExprT] = []
        maximum = 0
        for participant in problem.participants.values():
            variable_entries = self.by_participant.get(participant.id, [])
            fixed = fixed_slots.get(participant.id, [])
            possible = {slot for slot, _var in variable_entries} | set(fixed)
            if participant.max_meetings < 2 or len(possible) < 2 or len(variable_entries) + len(fixed) < 2:
                continue
            low, high = min(possible), max(possible)
            maximum += max(0, high - low - 1)
            busy: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for slot, var in variable_entries:
                busy[slot].append(var)
            name = repr(participant.id)
            started = [self.model.new_bool_var(f"started[{name},{t}]") for t in range(low, high + 1)]
            ongoing = [self.model.new_bool_var(f"ongoing[{name},{t}]") for t in range(low, high + 1)]
            for offset in range(high - low + 1):
                slot = low + offset
                occupied = (1 if slot in fixed else 0) + sum(busy[slot])
                if offset > 0:
                    self.model.add_implication(started[offset - 1], started[offset])
                    self.model.add_implication(ongoing[offset], ongoing[offset - 1])
                self.model.add(started[offset] >= occupied)
                self.model.add(ongoing[offset] >= occupied)
            self.model.add(started[-1] == ongoing[0])
            count = len(fixed) + sum(var for _slot, var in variable_entries)
            gaps = sum(started) + sum(ongoing) - (high - low + 1) * started[-1] - count
            self.model.add(gaps >= 0)
            self.spans[participant.id] = (low, started, ongoing)
            gap_terms.append(gaps)
        return sum(gap_terms), maximum

    def hint(self, chosen: dict[Id, int]) -> None:
        """Start the search from ``chosen`` (open meetings only), including the matching span flags."""
        self.model.clear_hints()  # type: ignore[no-untyped-call]  # OR-Tools ships this method untyped
        for (meeting_id, slot), var in self.x.items():
            self.model.add_hint(var, chosen.get(meeting_id) == slot)
        slots_of: dict[Id, list[int]] = defaultdict(list)
        placed = {m: slot for m, (slot, _table) in self.problem.fixed.items()} | chosen
        for meeting_id, slot in placed.items():
            for member in self.problem.meetings[meeting_id].participants:
                slots_of[member].append(slot)
        for member, (low, started, ongoing) in self.spans.items():
            slots = slots_of.get(member)
            for offset, (started_flag, ongoing_flag) in enumerate(zip(started, ongoing, strict=True)):
                self.model.add_hint(started_flag, min(slots) <= low + offset if slots else False)
                self.model.add_hint(ongoing_flag, max(slots) >= low + offset if slots else False)

    def chosen(self, solver: cp_model.CpSolver) -> dict[Id, int]:
        return {meeting_id: slot for (meeting_id, slot), var in self.x.items() if solver.boolean_value(var)}

    def weight_of(self, chosen: dict[Id, int]) -> int:
        return sum(self.scaled_weight[m] for m in chosen)


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Forwards improving solutions to the caller's progress callback."""

    def __init__(
        self,
        built: _Model,
        phase: int,
        scale: int,
        on_progress: ProgressCallback,
        bound: int,
        started: float,
        gaps: cp_model.LinearExprT | None = None,
    ) -> None:
        super().__init__()
        self.built, self.phase, self.scale, self.on_progress = built, phase, scale, on_progress
        self.bound, self.started, self.gaps = bound, started, gaps

    def on_solution_callback(self) -> None:
        weight = self.value(self.built.weight) + self.built.fixed_weight
        bound = self.bound
        if self.phase == 1:
            bound = min(bound, math.floor(self.best_objective_bound + 1e-6))
        self.on_progress(
            Progress(
                phase=self.phase,
                scheduled_weight=weight / self.scale,
                upper_bound=(bound + self.built.fixed_weight) / self.scale,
                idle_gaps=None if self.gaps is None else int(self.value(self.gaps)),
                # since the start of the whole solve, so a progress bar over the time limit never goes back
                elapsed_seconds=time.perf_counter() - self.started,
            )
        )


def _solver(seconds: float, workers: int, seed: int, relative_gap: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.relative_gap_limit = relative_gap
    return solver


def solve(
    instance: Instance,
    *,
    time_limit_seconds: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    relative_gap_limit: float = 0.0,
    idle_gap_seconds: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> Schedule:
    """Schedule ``instance`` optimally: greatest total weight first, then fewest idle gaps.

    The time limit is shared by these steps:

    0. start from the better of first fit (heaviest first) and the rounded LP optimum, whose duals also
       give a proven bound; then re-optimise exactly where the LP and that start disagree;
    1. maximise weight with CP-SAT (about half the time left) - may raise the weight and tighten the bound;
    2a. keep that set of meetings and move them between slots to minimise idle gaps - a much smaller
        search that removes most gaps quickly;
    2b. the full model with the weight held at least at phase 1's value and at most at the bound,
        maximising ``(max gaps + 1) * weight - gaps`` - this is what proves lexicographic optimality.

    ``relative_gap_limit`` lets phase 1 stop once the weight is provably within that fraction of the
    optimum (e.g. ``0.01``); ``idle_gap_seconds`` caps the time of phases 2a and 2b together (by
    default they use whatever is left). ``status`` is ``"optimal"`` only when weight and gaps are both proven.
    """
    started = time.perf_counter()
    deadline = started + time_limit_seconds
    problem = prepare(instance)
    if problem.conflicts:
        return Schedule(
            status="infeasible",
            assignments=(),
            unscheduled=tuple(explain_infeasible(problem)),
            scheduled_weight=0.0,
            upper_bound=None,
            idle_gaps=0,
            released=tuple(problem.released),
            conflicts=tuple(problem.conflicts),
            solve_seconds=time.perf_counter() - started,
        )

    def remaining() -> float:
        return deadline - time.perf_counter()

    scale = weight_scale([meeting.weight for meeting in instance.meetings])
    full = _Model(problem, scale)
    greedy = first_fit(problem, sorted(problem.open_meetings(), key=lambda meeting: -meeting.weight))
    best = {m: slot for m, (slot, _table) in greedy.items() if m not in problem.fixed}
    best_weight = full.weight_of(best)
    bound = sum(full.scaled_weight[m] for m in full.by_meeting)
    relaxation = lp_guided_slots(problem, full.candidates, full.scaled_weight, remaining() * LP_SHARE)
    if relaxation is not None:
        bound = min(bound, relaxation.bound)
        if full.weight_of(relaxation.slots) > best_weight:
            best, best_weight = relaxation.slots, full.weight_of(relaxation.slots)
        if best_weight < (1.0 - relative_gap_limit) * bound:
            improved = _repair_disagreements(
                problem, scale, relaxation.values, best, remaining() * REPAIR_SHARE, workers, seed
            )
            if full.weight_of(improved) > best_weight:
                best, best_weight = improved, full.weight_of(improved)
    weight_proven = False
    if on_progress:
        on_progress(
            Progress(
                0,
                (best_weight + full.fixed_weight) / scale,
                (bound + full.fixed_weight) / scale,
                None,
                time.perf_counter() - started,
            )
        )

    within_requested_gap = best_weight >= (1.0 - relative_gap_limit) * bound if relative_gap_limit else False
    if full.x and best_weight < bound and not within_requested_gap:
        full.model.maximize(full.weight)
        full.hint(best)
        solver = _solver(remaining() * PHASE_ONE_SHARE, workers, seed, relative_gap_limit)
        status = solver.solve(
            full.model, _Reporter(full, 1, scale, on_progress, bound, started) if on_progress else None
        )
        if status != cp_model.INFEASIBLE and math.isfinite(solver.best_objective_bound):
            bound = min(bound, math.floor(solver.best_objective_bound + 1e-6))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = full.chosen(solver)
            if full.weight_of(found) >= best_weight:
                best, best_weight = found, full.weight_of(found)
            weight_proven = status == cp_model.OPTIMAL and relative_gap_limit == 0.0
    if best_weight >= bound:
        weight_proven, bound = True, best_weight

    if idle_gap_seconds is not None:
        deadline = min(deadline, time.perf_counter() + idle_gap_seconds)
    gaps_proven = False
    gaps_expression, gaps_maximum = full.add_idle_gaps()
    if not full.x or gaps_maximum == 0:
        gaps_proven = True
    else:
        progress = (on_progress, bound, started) if on_progress else None
        best = _reslot(problem, scale, best, remaining() * RESLOT_SHARE, workers, seed, progress)
        big = gaps_maximum + 1
        if remaining() > MIN_PHASE_SECONDS and big * bound < MAX_OBJECTIVE:
            full.model.add(full.weight >= best_weight)
            full.model.add(full.weight <= bound)
            # OR-Tools' LinearExprT union includes numpy integers, whose stubs do not know LinearExpr.
            full.model.maximize(big * full.weight - gaps_expression)  # type: ignore[operator]
            full.hint(best)
            solver = _solver(remaining(), workers, seed, 0.0)
            reporter = (
                _Reporter(full, 2, scale, on_progress, bound, started, gaps_expression)
                if on_progress
                else None
            )
            status = solver.solve(full.model, reporter)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                found = full.chosen(solver)
                if full.weight_of(found) >= best_weight:
                    best, best_weight = found, full.weight_of(found)
                gaps_proven = status == cp_model.OPTIMAL
                if gaps_proven:
                    weight_proven, bound = True, best_weight

    assignments = assign_tables(problem, best)
    placed = {m: slot for m, (slot, _table) in problem.fixed.items()} | best
    scheduled_weight = math.fsum(problem.meetings[m].weight for m in placed)
    # Weights with more than six decimals were rounded; widen the bound by the most rounding can hide.
    rounding_slack = math.fsum(
        max(0.0, meeting.weight - full.scaled_weight[meeting.id] / scale)
        for meeting in problem.open_meetings()
    )
    exact = rounding_slack == 0.0
    upper_bound = (
        math.fsum(problem.meetings[m].weight for m in problem.fixed) + bound / scale + rounding_slack
    )
    if weight_proven and exact:
        upper_bound = scheduled_weight
    idle_gaps = count_idle_gaps(problem, placed.items())
    if on_progress:
        on_progress(
            Progress(
                3,
                scheduled_weight,
                max(upper_bound, scheduled_weight),
                idle_gaps,
                time.perf_counter() - started,
            )
        )
    return Schedule(
        status="optimal" if weight_proven and gaps_proven and exact else "feasible",
        assignments=tuple(assignments),
        unscheduled=tuple(explain_unscheduled(problem, assignments, proven_optimal=weight_proven)),
        scheduled_weight=scheduled_weight,
        upper_bound=max(upper_bound, scheduled_weight),
        idle_gaps=idle_gaps,
        released=tuple(problem.released),
        solve_seconds=time.perf_counter() - started,
    )


def _repair_disagreements(
    problem: Problem,
    scale: int,
    lp_values: dict[tuple[Id, int], float],
    chosen: dict[Id, int],
    seconds: float,
    workers: int,
    seed: int,
) -> dict[Id, int]:
    """Re-optimise only where the LP and the rounded schedule disagree (the RINS idea).

    Placements on which the LP optimum and ``chosen`` agree (both 1 or both 0) are fixed; the small
    remaining problem is solved exactly by CP-SAT. Its result is a valid schedule of the full model and
    at least as heavy as ``chosen``, which stays a feasible solution of the sub-problem.
    """
    if seconds < MIN_PHASE_SECONDS:
        return chosen
    sub = _Model(problem, scale)
    for (meeting_id, slot), var in sub.x.items():
        placed = chosen.get(meeting_id) == slot
        if abs(lp_values.get((meeting_id, slot), 0.0) - placed) < 1e-6:
            sub.model.add(var == int(placed))
    sub.model.maximize(sub.weight)
    sub.hint(chosen)
    solver = _solver(seconds, workers, seed, 0.0)
    if solver.solve(sub.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return sub.chosen(solver)
    return chosen


def _reslot(
    problem: Problem,
    scale: int,
    chosen: dict[Id, int],
    seconds: float,
    workers: int,
    seed: int,
    progress: tuple[ProgressCallback, int, float] | None,
) -> dict[Id, int]:
    """Phase 2a: the same meetings in other slots with fewer idle gaps (``chosen`` if none is found)."""
    if not chosen or seconds < MIN_PHASE_SECONDS:
        return chosen
    reslot = _Model(problem, scale, required=frozenset(chosen))
    gaps, _maximum = reslot.add_idle_gaps()
    reslot.model.minimize(gaps)
    reslot.hint(chosen)
    solver = _solver(seconds, workers, seed, 0.0)
    reporter = _Reporter(reslot, 2, scale, progress[0], progress[1], progress[2], gaps) if progress else None
    if solver.solve(reslot.model, reporter) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return reslot.chosen(solver)
    return chosen
