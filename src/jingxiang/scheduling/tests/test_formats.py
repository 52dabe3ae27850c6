"""Bad input is reported completely, with one message per problem, and never as a crash."""

from __future__ import annotations

from typing import Any

import pytest

from jingxiang.scheduling import InstanceError, instance_from_json
from jingxiang.scheduling.tests.factories import instance_json


def _errors(data: object) -> list[str]:
    with pytest.raises(InstanceError) as caught:
        instance_from_json(data)
    return caught.value.errors


def _base() -> dict[str, Any]:
    return instance_json(2, [2], {"a": ([0, 1], 2), "b": ([0, 1], 2)}, [("m1", ["a", "b"], 1)])


def test_valid_instance_round_trips_ids_and_types() -> None:
    instance = instance_from_json(_base())
    assert [slot.id for slot in instance.slots] == ["s0", "s1"]
    assert instance.meetings[0].participants == ("a", "b")
    assert instance.participants[0].available_slots == ("s0", "s1")


def test_integer_ids_are_kept_as_integers() -> None:
    data = {
        "slots": [{"id": 1}],
        "tables": [{"id": 7, "capacity": 2}],
        "participants": [
            {"id": 10, "available_slots": [1], "max_meetings": 1},
            {"id": 11, "available_slots": [1], "max_meetings": 1},
        ],
        "meetings": [{"id": 100, "participants": [10, 11], "weight": 2, "locked": None}],
    }
    instance = instance_from_json(data)
    assert instance.meetings[0].id == 100
    assert instance.meetings[0].participants == (10, 11)


def test_not_an_object() -> None:
    assert _errors([1, 2]) == ["the instance must be a JSON object"]


def test_missing_lists_are_each_reported() -> None:
    errors = _errors({})
    assert {"instance: 'slots' must be a list", "instance: 'meetings' must be a list"} <= set(errors)
    assert len(errors) == 4


def test_unknown_ids_everywhere_are_listed_together() -> None:
    data = _base()
    data["participants"][0]["available_slots"].append("nope")
    data["meetings"][0]["participants"].append("ghost")
    data["meetings"][0]["locked"] = {"slot": "s9", "table": "t9"}
    errors = _errors(data)
    assert any("unknown slot(s) in 'available_slots'" in e and "'nope'" in e for e in errors)
    assert any("unknown participant(s) ['ghost']" in e for e in errors)
    assert any("locked to unknown slot 's9'" in e for e in errors)
    assert any("locked to unknown table 't9'" in e for e in errors)
    assert len(errors) == 4


@pytest.mark.parametrize("collection", ["slots", "tables", "participants", "meetings"])
def test_duplicate_ids(collection: str) -> None:
    data = _base()
    data[collection].append(dict(data[collection][0]))
    singular = collection[:-1]
    assert f"duplicate {singular} id {data[collection][0]['id']!r}" in _errors(data)


def test_meeting_with_fewer_than_two_participants() -> None:
    data = _base()
    data["meetings"][0]["participants"] = ["a"]
    assert _errors(data) == ["meeting 'm1': needs at least two participants, got 1"]


def test_participant_listed_twice_in_a_meeting() -> None:
    data = _base()
    data["meetings"][0]["participants"] = ["a", "a"]
    assert _errors(data) == ["meeting 'm1': participant(s) listed twice: 'a'"]


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        (("meetings", "weight"), -1, "'weight' must be a number from 0 to 1,000,000"),
        (("meetings", "weight"), "3", "'weight' must be a number from 0 to 1,000,000"),
        (("meetings", "weight"), True, "'weight' must be a number from 0 to 1,000,000"),
        (("meetings", "weight"), float("inf"), "'weight' must be a number from 0 to 1,000,000"),
        (("meetings", "weight"), 1e7, "'weight' must be a number from 0 to 1,000,000"),
        (("tables", "capacity"), 0, "'capacity' must be a positive integer"),
        (("tables", "capacity"), 2.5, "'capacity' must be a positive integer"),
        (("participants", "max_meetings"), -1, "'max_meetings' must be a non-negative integer"),
        (("slots", "id"), "", "'id' must be a non-empty string or an integer"),
        (("slots", "id"), None, "'id' must be a non-empty string or an integer"),
    ],
)
def test_bad_values(path: tuple[str, str], value: object, fragment: str) -> None:
    data = _base()
    data[path[0]][0][path[1]] = value
    assert any(fragment in error for error in _errors(data))


def test_announced_must_name_each_meeting_once() -> None:
    data = _base()
    data["announced"] = [
        {"meeting_id": "m1", "slot": "s0", "table": "t0"},
        {"meeting_id": "m1", "slot": "s1", "table": "t0"},
        {"meeting_id": "m1"},
    ]
    errors = _errors(data)
    assert "announced: meeting 'm1' appears more than once" in errors
    assert "announced[2]: 'meeting_id', 'slot' and 'table' must be ids" in errors


def test_announced_may_name_meetings_that_were_withdrawn() -> None:
    data = _base()
    data["announced"] = [{"meeting_id": "gone", "slot": "s0", "table": "t0"}]
    assert instance_from_json(data).announced[0].meeting_id == "gone"
