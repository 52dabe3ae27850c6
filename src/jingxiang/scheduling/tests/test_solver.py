"""The CP-SAT scheduler on hand-made instances: each hard rule, the objective order, fixed meetings."""

from __future__ import annotations

from typing import Any

from jingxiang.scheduling import (
    Assignment,
    Instance,
    Progress,
    Schedule,
    greedy_schedule,
    instance_from_json,
    solve,
    validate_schedule,
)
from jingxiang.scheduling.problem import count_idle_gaps, prepare
from jingxiang.scheduling.tests.factories import instance_json

ALL = [0, 1, 2, 3]


def _solve(data: dict[str, Any], seconds: float = 10.0) -> tuple[Instance, Schedule]:
    instance = instance_from_json(data)
    schedule = solve(instance, time_limit_seconds=seconds, workers=1)
    assert validate_schedule(instance, schedule) == []
    return instance, schedule


def _placed(schedule: Schedule) -> dict[object, tuple[object, object]]:
    return {a.meeting_id: (a.slot, a.table) for a in schedule.assignments}


def _reason(schedule: Schedule, meeting_id: str) -> str:
    return next(item.reason for item in schedule.unscheduled if item.meeting_id == meeting_id)


def test_nobody_is_in_two_meetings_at_once() -> None:
    data = instance_json(
        1,
        [2, 2],
        {"a": ([0], 3), "b": ([0], 3), "c": ([0], 3)},
        [("ab", ["a", "b"], 2), ("ac", ["a", "c"], 1)],
    )
    _instance, schedule = _solve(data)
    assert set(_placed(schedule)) == {"ab"}
    assert "displaced by higher-weight meetings" in _reason(schedule, "ac")
    assert schedule.status == "optimal"
    assert schedule.upper_bound == schedule.scheduled_weight == 2


def test_meetings_only_in_slots_where_everyone_is_present() -> None:
    data = instance_json(
        3,
        [2],
        {"a": ([0, 2], 3), "b": ([1, 2], 3), "c": ([0], 3)},
        [("ab", ["a", "b"], 1), ("bc", ["b", "c"], 1)],
    )
    _instance, schedule = _solve(data)
    assert _placed(schedule) == {"ab": ("s2", "t0")}
    assert _reason(schedule, "bc").startswith("no common available slot ('b': 's1', 's2'; 'c': 's0')")


def test_cap_is_respected_and_explained() -> None:
    people = {"a": (ALL, 2), "b": (ALL, 4), "c": (ALL, 4), "d": (ALL, 4)}
    data = instance_json(
        4, [2], people, [("ab", ["a", "b"], 3), ("ac", ["a", "c"], 2), ("ad", ["a", "d"], 1)]
    )
    _instance, schedule = _solve(data)
    assert set(_placed(schedule)) == {"ab", "ac"}
    assert _reason(schedule, "ad") == (
        "participant 'a' reached their cap of 2 meetings with higher- or equal-weight meetings ('ab', 'ac')"
    )


def test_cap_zero_is_explained() -> None:
    data = instance_json(1, [2], {"a": ([0], 0), "b": ([0], 1)}, [("ab", ["a", "b"], 1)])
    _instance, schedule = _solve(data)
    assert _reason(schedule, "ab") == "participant(s) 'a' accept no meetings (cap 0)"


def test_one_meeting_per_table_per_slot() -> None:
    people = {name: ([0], 1) for name in "abcd"}
    data = instance_json(1, [4], people, [("ab", ["a", "b"], 1), ("cd", ["c", "d"], 2)])
    _instance, schedule = _solve(data)
    assert _placed(schedule) == {"cd": ("s0", "t0")}
    assert "every table seating 2 is taken" in _reason(schedule, "ab")


def test_meeting_larger_than_every_table() -> None:
    data = instance_json(2, [2, 2], {n: ([0, 1], 2) for n in "abc"}, [("abc", ["a", "b", "c"], 5)])
    _instance, schedule = _solve(data)
    assert schedule.assignments == ()
    assert _reason(schedule, "abc") == "table capacity too small: 3 participants, the largest table seats 2"
    assert schedule.status == "optimal"
    assert schedule.upper_bound == 0


def test_capacity_classes_give_big_meetings_big_tables() -> None:
    """One slot, tables of 2, 3 and 4 seats listed small first; meetings of 4, 3 and 2 all fit."""
    people = {n: ([0], 1) for n in "abcdefghi"}
    meetings = [("pair", ["a", "b"], 1), ("trio", ["c", "d", "e"], 1), ("quad", ["f", "g", "h", "i"], 1)]
    _instance, schedule = _solve(instance_json(1, [2, 3, 4], people, meetings))
    assert _placed(schedule) == {"pair": ("s0", "t0"), "trio": ("s0", "t1"), "quad": ("s0", "t2")}


def test_locked_meeting_keeps_its_table_out_of_the_pool() -> None:
    """A locked pair sits at the only four-seat table in s0, so the quartet must move to s1."""
    people = {n: ([0, 1], 2) for n in "abcdef"}
    meetings = [("locked-pair", ["a", "b"], 1), ("quad", ["c", "d", "e", "f"], 5)]
    data = instance_json(2, [2, 4], people, meetings, locked={"locked-pair": (0, 1)})
    _instance, schedule = _solve(data)
    assert _placed(schedule) == {"locked-pair": ("s0", "t1"), "quad": ("s1", "t1")}


def test_locked_meeting_stays_even_when_moving_it_would_pay() -> None:
    people = {"a": ([0, 1], 1), "b": ([0, 1], 2), "c": ([0], 1)}
    meetings = [("ab", ["a", "b"], 1), ("bc", ["b", "c"], 5)]
    data = instance_json(2, [2], people, meetings, locked={"ab": (1, 0)})
    _instance, schedule = _solve(data)
    assert _placed(schedule) == {"ab": ("s1", "t0"), "bc": ("s0", "t0")}
    data = instance_json(2, [2], people, meetings, locked={"ab": (0, 0)})
    _instance, schedule = _solve(data)
    assert _placed(schedule) == {"ab": ("s0", "t0")}
    assert "displaced by locked or announced meetings" in _reason(schedule, "bc")


def test_conflicting_locked_meetings_make_the_instance_infeasible_with_all_conflicts() -> None:
    people = {"a": ([0], 1), "b": ([0, 1], 2), "c": ([0], 2)}
    meetings = [
        ("ab", ["a", "b"], 1),
        ("bc", ["b", "c"], 1),
        ("ac", ["a", "c"], 1),
        ("abc", ["a", "b", "c"], 1),
    ]
    data = instance_json(2, [2], people, meetings, locked={"ab": (0, 0), "bc": (0, 0), "abc": (1, 0)})
    _instance, schedule = _solve(data)
    assert schedule.status == "infeasible"
    assert schedule.assignments == ()
    conflicts = "\n".join(schedule.conflicts)
    assert "locked meetings 'ab' and 'bc' both use table 't0' in slot 's0'" in conflicts
    assert "participant 'b' is in locked meetings 'ab' and 'bc' in the same slot 's0'" in conflicts
    assert "locked meeting 'abc' has 3 participants but table 't0' seats only 2" in conflicts
    assert "where participant 'a' is not present" in conflicts
    assert "participant 'a' has 2 locked meetings ('ab', 'abc') but a cap of 1" in conflicts
    assert "see conflicts" in _reason(schedule, "ab")
    assert "fix them first" in _reason(schedule, "ac")


def test_announced_meetings_stay_and_impossible_ones_are_released() -> None:
    people = {"a": ([0, 1, 2], 3), "b": ([0, 1, 2], 3), "c": ([1, 2], 3), "d": ([0, 1, 2], 3)}
    meetings = [("ab", ["a", "b"], 1), ("cd", ["c", "d"], 1), ("ad", ["a", "d"], 1)]
    data = instance_json(3, [2], people, meetings)
    data["announced"] = [
        {"meeting_id": "ab", "slot": "s2", "table": "t0"},
        {"meeting_id": "cd", "slot": "s0", "table": "t0"},  # c is no longer present in s0
        {"meeting_id": "withdrawn", "slot": "s1", "table": "t0"},
    ]
    _instance, schedule = _solve(data)
    assert _placed(schedule)["ab"] == ("s2", "t0")
    assert {"ab", "cd", "ad"} == set(_placed(schedule))
    released = {item.meeting_id: item.reason for item in schedule.released}
    assert released == {
        "cd": "participant 'c' is no longer present in slot 's0'",
        "withdrawn": "the meeting is no longer in the instance (request withdrawn or declined)",
    }


def test_colliding_announcements_keep_the_heavier_one() -> None:
    people = {"a": ([0], 2), "b": ([0], 2), "c": ([0], 2)}
    data = instance_json(1, [2, 2], people, [("ab", ["a", "b"], 1), ("ac", ["a", "c"], 3)])
    data["announced"] = [
        {"meeting_id": "ab", "slot": "s0", "table": "t0"},
        {"meeting_id": "ac", "slot": "s0", "table": "t1"},
    ]
    _instance, schedule = _solve(data)
    assert _placed(schedule) == {"ac": ("s0", "t1")}
    assert [item.meeting_id for item in schedule.released] == ["ab"]


def test_idle_gaps_are_counted_between_first_and_last_meeting() -> None:
    people = {"a": (ALL, 4), "b": (ALL, 4), "c": (ALL, 4)}
    instance = instance_from_json(
        instance_json(4, [2], people, [("ab", ["a", "b"], 1), ("ac", ["a", "c"], 1)])
    )
    problem = prepare(instance)
    assert count_idle_gaps(problem, [("ab", 0), ("ac", 3)]) == 2
    assert count_idle_gaps(problem, [("ab", 1), ("ac", 2)]) == 0
    assert count_idle_gaps(problem, [("ab", 0)]) == 0


def test_solver_closes_the_gap_greedy_leaves() -> None:
    """Greedy puts a-b in s0 and the heavier a-c (c arrives late) in s2; the solver puts a-b in s1."""
    people = {"a": ([0, 1, 2], 2), "b": ([0, 1, 2], 1), "c": ([2], 1)}
    data = instance_json(3, [2], people, [("ab", ["a", "b"], 1), ("ac", ["a", "c"], 3)])
    instance, schedule = _solve(data)
    greedy = greedy_schedule(instance)
    assert greedy.scheduled_weight == schedule.scheduled_weight == 4
    assert greedy.idle_gaps == 1
    assert schedule.idle_gaps == 0
    assert schedule.status == "optimal"
    assert _placed(schedule) == {"ab": ("s1", "t0"), "ac": ("s2", "t0")}


def test_weight_beats_idle_gaps() -> None:
    """Placing the light a-d meeting in s1 leaves a gap, but dropping it would lose weight."""
    people = {"a": ([0, 1, 2], 3), "b": ([0], 1), "c": ([2], 1), "d": ([1], 1), "e": ([1], 1)}
    meetings = [("ab", ["a", "b"], 5), ("ac", ["a", "c"], 5), ("de", ["d", "e"], 2), ("ae", ["a", "e"], 1)]
    _instance, schedule = _solve(instance_json(3, [2, 2], people, meetings))
    # the heavier d-e takes e in s1, so a waits in s1: weight 12 with one gap beats any gap-free schedule
    assert schedule.scheduled_weight == 12
    assert schedule.idle_gaps == 1
    assert set(_placed(schedule)) == {"ab", "ac", "de"}


def test_weight_beats_idle_gaps_even_with_a_single_heavy_meeting() -> None:
    people = {"a": ([0, 1, 2], 2), "b": ([0], 1), "c": ([2], 1)}
    _instance, schedule = _solve(
        instance_json(3, [2], people, [("ab", ["a", "b"], 1), ("ac", ["a", "c"], 1)])
    )
    assert schedule.scheduled_weight == 2
    assert schedule.idle_gaps == 1


def test_decimal_weights_are_exact() -> None:
    people = {"a": ([0], 1), "b": ([0], 1), "c": ([0], 1)}
    data = instance_json(1, [2], people, [("ab", ["a", "b"], 1.37), ("ac", ["a", "c"], 1.36)])
    _instance, schedule = _solve(data)
    assert set(_placed(schedule)) == {"ab"}
    assert schedule.scheduled_weight == 1.37


def test_progress_is_reported() -> None:
    people = {n: ([0, 1], 2) for n in "abcd"}
    meetings = [("ab", ["a", "b"], 2), ("cd", ["c", "d"], 1), ("ac", ["a", "c"], 1), ("bd", ["b", "d"], 3)]
    seen: list[Progress] = []
    instance = instance_from_json(instance_json(2, [2], people, meetings))
    schedule = solve(instance, time_limit_seconds=5, workers=1, on_progress=seen.append)
    assert schedule.scheduled_weight == 5
    assert seen[0].phase == 0
    assert seen[-1].phase == 3
    assert (seen[-1].scheduled_weight, seen[-1].idle_gaps) == (5, schedule.idle_gaps)
    assert all(update.upper_bound >= update.scheduled_weight for update in seen)
    elapsed = [update.elapsed_seconds for update in seen]
    assert elapsed == sorted(elapsed)


def test_table_assignment_matches_slots_for_every_meeting() -> None:
    people = {n: ([0, 1], 2) for n in "abcdefgh"}
    meetings = [
        ("abc", ["a", "b", "c"], 1),
        ("def", ["d", "e", "f"], 1),
        ("gh", ["g", "h"], 1),
        ("ad", ["a", "d"], 1),
    ]
    instance, schedule = _solve(instance_json(2, [2, 3, 3], people, meetings))
    assert len(schedule.assignments) == 4
    sizes = {m.id: len(m.participants) for m in instance.meetings}
    capacity = {t.id: t.capacity for t in instance.tables}
    assert all(capacity[a.table] >= sizes[a.meeting_id] for a in schedule.assignments)
    assert isinstance(schedule.assignments[0], Assignment)
