"""Property-based tests: every returned schedule obeys every hard rule, and tiny ones are optimal."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jingxiang.scheduling import greedy_schedule, instance_from_json, schedule_to_json, solve, validate

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(
    draw: st.DrawFn, max_slots: int = 4, max_meetings: int = 7, with_fixed: bool = True
) -> dict[str, Any]:
    slot_count = draw(st.integers(2, max_slots))
    slots = [f"s{n}" for n in range(slot_count)]
    capacities = draw(st.lists(st.sampled_from([2, 3, 2, 4, 1]), min_size=1, max_size=3))
    tables = [f"t{n}" for n in range(len(capacities))]
    people = [f"p{n}" for n in range(draw(st.integers(3, 5)))]
    participants = [
        {
            "id": person,
            # mostly present all day, as at real events; sometimes a random part of it (or nothing)
            "available_slots": draw(st.lists(st.sampled_from(slots), unique=True))
            if draw(st.integers(0, 3)) == 3
            else slots,
            "max_meetings": draw(st.sampled_from([2, 3, 1, 0])),
        }
        for person in people
    ]
    meetings: list[dict[str, Any]] = []
    for number in range(draw(st.integers(2, max_meetings))):
        members = draw(st.lists(st.sampled_from(people), min_size=2, max_size=3, unique=True))
        locked = None
        if with_fixed and draw(st.integers(0, 5)) == 0:
            locked = {"slot": draw(st.sampled_from(slots)), "table": draw(st.sampled_from(tables))}
        meetings.append(
            {
                "id": f"m{number}",
                "participants": members,
                "weight": draw(st.sampled_from([3, 1, 5, 2, 0])),
                "locked": locked,
            }
        )
    data: dict[str, Any] = {
        "slots": [{"id": s} for s in slots],
        "tables": [{"id": t, "capacity": c} for t, c in zip(tables, capacities, strict=True)],
        "participants": participants,
        "meetings": meetings,
    }
    if with_fixed and meetings:
        announced = draw(
            st.lists(st.sampled_from([m["id"] for m in meetings] + ["withdrawn"]), unique=True, max_size=2)
        )
        data["announced"] = [
            {"meeting_id": m, "slot": draw(st.sampled_from(slots)), "table": draw(st.sampled_from(tables))}
            for m in announced
        ]
    return data


@SETTINGS
@given(instances())
def test_every_solver_schedule_passes_the_validator(data: dict[str, Any]) -> None:
    schedule = solve(instance_from_json(data), time_limit_seconds=2, workers=1)
    assert validate(data, schedule_to_json(schedule)) == []


@SETTINGS
@given(instances())
def test_every_greedy_schedule_passes_the_validator(data: dict[str, Any]) -> None:
    schedule = greedy_schedule(instance_from_json(data))
    assert validate(data, schedule_to_json(schedule)) == []


def _seatable(sizes: list[int], capacities: list[int]) -> bool:
    """Can these meetings sit at distinct tables? Tried exhaustively, independent of the solver's proof."""
    return any(
        all(capacities[table] >= size for table, size in zip(tables, sizes, strict=True))
        for tables in itertools.permutations(range(len(capacities)), len(sizes))
    )


def _brute_force(data: dict[str, Any]) -> tuple[int, int]:
    """Greatest weight, then fewest idle gaps, over every way to put each meeting in a slot or nowhere."""
    slots = [s["id"] for s in data["slots"]]
    capacities = [t["capacity"] for t in data["tables"]]
    present = {p["id"]: set(p["available_slots"]) for p in data["participants"]}
    cap = {p["id"]: p["max_meetings"] for p in data["participants"]}
    meetings = data["meetings"]
    best = (0, 0)
    for choice in itertools.product([None, *range(len(slots))], repeat=len(meetings)):
        busy: dict[str, list[int]] = {}
        ok = True
        for meeting, slot in zip(meetings, choice, strict=True):
            if slot is None:
                continue
            for person in meeting["participants"]:
                if slots[slot] not in present[person] or slot in busy.get(person, []):
                    ok = False
                busy.setdefault(person, []).append(slot)
        if not ok or any(len(taken) > cap[person] for person, taken in busy.items()):
            continue
        if not all(
            _seatable(
                [len(m["participants"]) for m, s in zip(meetings, choice, strict=True) if s == slot],
                capacities,
            )
            for slot in range(len(slots))
        ):
            continue
        weight = sum(m["weight"] for m, s in zip(meetings, choice, strict=True) if s is not None)
        gaps = sum(max(taken) - min(taken) + 1 - len(taken) for taken in busy.values())
        if (weight, -gaps) > (best[0], -best[1]):
            best = (weight, gaps)
    return best


@SETTINGS
@given(instances(max_slots=3, max_meetings=5, with_fixed=False))
def test_tiny_instances_match_brute_force(data: dict[str, Any]) -> None:
    schedule = solve(instance_from_json(data), time_limit_seconds=5, workers=1)
    best_weight, fewest_gaps = _brute_force(data)
    assert schedule.status == "optimal"
    assert (schedule.scheduled_weight, schedule.idle_gaps) == (best_weight, fewest_gaps)
    assert schedule.upper_bound == best_weight
