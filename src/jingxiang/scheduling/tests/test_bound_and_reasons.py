"""The proven bound (LP duality, weight scaling) and the reasons that need a specific schedule shape."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

from jingxiang.scheduling import greedy_schedule, instance_from_json, solve, validate_schedule
from jingxiang.scheduling.cpsat import weight_scale
from jingxiang.scheduling.relaxation import _dual_bound
from jingxiang.scheduling.tests.factories import instance_json


def test_weight_scale_is_the_smallest_power_of_ten() -> None:
    assert weight_scale([1, 3, 0]) == 1
    assert weight_scale([1.5, 3]) == 10
    assert weight_scale([3.57, 1.2]) == 100
    assert weight_scale([0.1234567]) == 10**6


def test_dual_bound_holds_for_any_non_negative_duals() -> None:
    """max x1 + x2 with x1 + x2 <= 1: any y >= 0 gives a bound of at least the optimum 1."""
    matrix = csr_matrix(np.array([[1.0, 1.0]]))
    limits, weights = np.array([1.0]), np.array([1.0, 1.0])
    assert _dual_bound(matrix, limits, weights, np.array([1.0])) == 1
    assert _dual_bound(matrix, limits, weights, np.array([0.0])) == 2
    assert _dual_bound(matrix, limits, weights, np.array([5.0])) == 5


def test_fractional_relaxation_still_gives_a_valid_bound() -> None:
    """Three people who all want to meet each other in one slot: the LP says 1.5, the optimum is 1."""
    people = {name: ([0], 1) for name in "abc"}
    meetings = [("ab", ["a", "b"], 1), ("bc", ["b", "c"], 1), ("ac", ["a", "c"], 1)]
    instance = instance_from_json(instance_json(1, [2, 2, 2], people, meetings))
    schedule = solve(instance, time_limit_seconds=5, workers=1)
    assert schedule.status == "optimal"
    assert schedule.scheduled_weight == schedule.upper_bound == 1


def test_weights_beyond_six_decimals_widen_the_bound_and_are_never_called_optimal() -> None:
    people = {"a": ([0], 1), "b": ([0], 1)}
    instance = instance_from_json(instance_json(1, [2], people, [("ab", ["a", "b"], 1.0000004)]))
    schedule = solve(instance, time_limit_seconds=5, workers=1)
    assert schedule.scheduled_weight == 1.0000004
    assert schedule.status == "feasible"
    assert schedule.upper_bound is not None
    assert schedule.upper_bound >= schedule.scheduled_weight
    assert validate_schedule(instance, schedule) == []


def test_displaced_by_lighter_meetings_that_together_weigh_more() -> None:
    """ab (3) loses to ac + bd (2 + 2): the reason must not claim they are heavier."""
    people = {name: ([0], 2) for name in "abcd"}
    meetings = [("ab", ["a", "b"], 3), ("ac", ["a", "c"], 2), ("bd", ["b", "d"], 2)]
    instance = instance_from_json(instance_json(1, [2, 2], people, meetings))
    schedule = solve(instance, time_limit_seconds=5, workers=1)
    assert {a.meeting_id for a in schedule.assignments} == {"ac", "bd"}
    (unscheduled,) = schedule.unscheduled
    assert unscheduled.reason.startswith("every slot where all participants are present is taken")
    assert "'a' in 'ac'" in unscheduled.reason
    assert "'b' in 'bd'" in unscheduled.reason


def test_cap_filled_partly_by_lighter_meetings() -> None:
    people = {"a": ([0, 1], 1), "b": ([0, 1], 2), "c": ([0, 1], 1), "d": ([0], 1)}
    meetings = [("ab", ["a", "b"], 2), ("bc", ["b", "c"], 1), ("ad", ["a", "d"], 2.5)]
    instance = instance_from_json(instance_json(2, [2], people, meetings))
    schedule = solve(instance, time_limit_seconds=5, workers=1)
    assert {a.meeting_id for a in schedule.assignments} == {"ad", "bc"}
    (unscheduled,) = schedule.unscheduled
    assert unscheduled.reason == (
        "participant 'a' reached their cap of 1 meeting with higher- or equal-weight meetings ('ad')"
    )


def test_greedy_heaviest_first_beats_request_order_here() -> None:
    people = {"a": ([0], 1), "b": ([0], 1), "c": ([0], 1)}
    instance = instance_from_json(
        instance_json(1, [2], people, [("ab", ["a", "b"], 1), ("ac", ["a", "c"], 3)])
    )
    assert greedy_schedule(instance).scheduled_weight == 1
    assert greedy_schedule(instance, order="weight").scheduled_weight == 3
