"""The validator catches every kind of violation on hand-broken schedules."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from jingxiang.scheduling import validate
from jingxiang.scheduling.tests.factories import instance_json

PEOPLE = {"a": ([0, 1, 2], 2), "b": ([0, 1, 2], 3), "c": ([1, 2], 3), "d": ([0, 1, 2], 3)}
MEETINGS = [
    ("ab", ["a", "b"], 2),
    ("bc", ["b", "c"], 1.5),
    ("bcd", ["b", "c", "d"], 1),
    ("ad", ["a", "d"], 1),
]


def _instance() -> dict[str, Any]:
    return instance_json(3, [2, 3], PEOPLE, MEETINGS, locked={"ab": (0, 0)})


def _good() -> dict[str, Any]:
    return {
        "status": "feasible",
        "assignments": [
            {"meeting_id": "ab", "slot": "s0", "table": "t0"},
            {"meeting_id": "bc", "slot": "s1", "table": "t0"},
            {"meeting_id": "ad", "slot": "s1", "table": "t1"},
        ],
        "unscheduled": [{"meeting_id": "bcd", "reason": "b reached the cap"}],
        "scheduled_weight": 4.5,
        "upper_bound": 5.5,
        "idle_gaps": 0,
    }


def _kinds(schedule: dict[str, Any], instance: dict[str, Any] | None = None) -> list[str]:
    return sorted({v.kind for v in validate(instance or _instance(), schedule)})


def test_good_schedule_passes() -> None:
    assert validate(_instance(), _good()) == []


def _broken(change: str) -> dict[str, Any]:
    schedule = copy.deepcopy(_good())
    assignments = schedule["assignments"]
    if change == "double_booked":
        assignments[2]["meeting_id"] = "bcd"  # b in bc and bcd in s1 (bcd at t1 seats 3)
        schedule["unscheduled"] = [{"meeting_id": "ad", "reason": "x"}]
        schedule["scheduled_weight"] = 4.5
    elif change == "table_twice":
        assignments[2]["table"] = "t0"
    elif change == "too_small":
        assignments[1]["table"] = "t1"
        assignments[2]["table"] = "t0"
        assignments[2]["meeting_id"] = "bcd"
        schedule["unscheduled"] = [{"meeting_id": "ad", "reason": "x"}]
        schedule["assignments"] = [assignments[0], assignments[2]]
        schedule["unscheduled"].append({"meeting_id": "bc", "reason": "x"})
        schedule["scheduled_weight"] = 3
    elif change == "locked_moved":
        assignments[0]["slot"] = "s2"  # a and b then meet in s1 and s2: still no gaps
    elif change == "unknown":
        assignments.append({"meeting_id": "zz", "slot": "s9", "table": "t9"})
    elif change == "duplicate":
        assignments.append({"meeting_id": "bc", "slot": "s2", "table": "t0"})
    elif change == "missing_reason":
        schedule["unscheduled"][0]["reason"] = " "
    elif change == "not_listed":
        schedule["unscheduled"] = []
    elif change == "weight":
        schedule["scheduled_weight"] = 5
    elif change == "gaps":
        schedule["idle_gaps"] = 3
    elif change == "bound":
        schedule["upper_bound"] = 4
    elif change == "optimal_with_gap":
        schedule["status"] = "optimal"
    elif change == "status":
        schedule["status"] = "great"
    return schedule


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("double_booked", ["participant_double_booked"]),
        ("table_twice", ["table_double_booked"]),
        ("too_small", ["table_too_small"]),
        ("locked_moved", ["locked_moved"]),
        ("unknown", ["unknown_meeting", "unknown_slot", "unknown_table"]),
        ("duplicate", ["duplicate_assignment"]),
        ("missing_reason", ["missing_reason"]),
        ("not_listed", ["unscheduled_mismatch"]),
        ("weight", ["weight_mismatch"]),
        ("gaps", ["idle_gaps_mismatch"]),
        ("bound", ["bound_below_weight"]),
        ("optimal_with_gap", ["optimal_with_gap"]),
        ("status", ["bad_status"]),
    ],
)
def test_each_violation_kind_is_caught(change: str, expected: list[str]) -> None:
    assert _kinds(_broken(change)) == expected


def test_participant_unavailable() -> None:
    instance = _instance()
    instance["participants"][2]["available_slots"] = ["s2"]  # c is in bc at s1
    assert _kinds(_good(), instance) == ["participant_unavailable"]


def test_cap_exceeded() -> None:
    instance = _instance()
    instance["participants"][0]["max_meetings"] = 1  # a is in ab and ad
    assert _kinds(_good(), instance) == ["cap_exceeded"]


def test_idle_gaps_count_absent_slots_too() -> None:
    instance = instance_json(
        3, [2], {"a": ([0, 2], 2), "b": ([0, 2], 2)}, [("m1", ["a", "b"], 1), ("m2", ["a", "b"], 1)]
    )
    schedule = {
        "status": "feasible",
        "assignments": [
            {"meeting_id": "m1", "slot": "s0", "table": "t0"},
            {"meeting_id": "m2", "slot": "s2", "table": "t0"},
        ],
        "unscheduled": [],
        "scheduled_weight": 2,
        "upper_bound": None,
        "idle_gaps": 2,
    }
    assert validate(instance, schedule) == []


def test_announced_must_stay_unless_a_real_reason_releases_it() -> None:
    instance = _instance()
    instance["announced"] = [{"meeting_id": "bc", "slot": "s2", "table": "t0"}]
    assert _kinds(_good(), instance) == ["announced_moved"]
    released = dict(
        _good(), released=[{"meeting_id": "bc", "slot": "s2", "table": "t0", "reason": "wanted to"}]
    )
    assert _kinds(released, instance) == ["unjustified_release"]
    instance["participants"][2]["available_slots"] = ["s1"]  # c left s2: releasing is right
    assert _kinds(released, instance) == []


def test_infeasible_claim_must_be_justified() -> None:
    claim = {
        "status": "infeasible",
        "assignments": [],
        "unscheduled": [{"meeting_id": m, "reason": "locked conflict"} for m, _p, _w in MEETINGS],
        "scheduled_weight": 0,
        "upper_bound": None,
        "idle_gaps": 0,
        "conflicts": [],
    }
    assert _kinds(claim) == ["missing_conflicts", "unjustified_infeasible"]
    instance = _instance()
    instance["meetings"][1]["locked"] = {"slot": "s0", "table": "t1"}  # b twice in s0, c absent
    assert _kinds(dict(claim, conflicts=["b twice"]), instance) == []


def test_malformed_input_is_reported_not_raised() -> None:
    assert _kinds({"status": "optimal"}, {}) != []
    assert [v.kind for v in validate([], {})] == ["malformed"]
    assert "malformed" in _kinds({"status": "feasible", "assignments": [1], "upper_bound": "x"})
