"""Reading and writing the JSON formats of issue 5.

Parsing collects *every* problem before failing, because an operator fixing an export wants the whole
list at once, not one error per run. Nothing here decides whether locked meetings fit together: that is
a property of the schedule, reported as ``status: "infeasible"`` by the solver, not a format error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard, cast

from jingxiang.scheduling.records import (
    Assignment,
    Id,
    Instance,
    InstanceError,
    Meeting,
    Participant,
    Placement,
    Schedule,
    Slot,
    Table,
)

# Priorities are 1 or 3 plus a score below 1; the limit keeps the solver's integer objective far from
# overflow even with six decimals and tens of thousands of meetings.
MAX_WEIGHT = 1_000_000


def _is_id(value: object) -> TypeGuard[Id]:
    """Ids are non-empty strings or integers; booleans are rejected although Python counts them as ints."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value != "")


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _list_field(record: Mapping[str, Any], key: str, where: str, errors: list[str]) -> list[Any]:
    value = record.get(key)
    if not isinstance(value, list):
        errors.append(f"{where}: '{key}' must be a list")
        return []
    return value


def _records(data: Mapping[str, Any], key: str, errors: list[str]) -> list[Mapping[str, Any]]:
    items = _list_field(data, key, "instance", errors)
    records: list[Mapping[str, Any]] = []
    for position, item in enumerate(items):
        if isinstance(item, Mapping):
            records.append(item)
        else:
            errors.append(f"{key}[{position}] must be an object")
    return records


def _unique_ids(records: Sequence[Mapping[str, Any]], kind: str, errors: list[str]) -> list[Id | None]:
    """Return each record's id (``None`` when invalid) and report invalid and duplicate ids."""
    seen: set[Id] = set()
    ids: list[Id | None] = []
    for position, record in enumerate(records):
        value = record.get("id")
        if not _is_id(value):
            errors.append(f"{kind}[{position}]: 'id' must be a non-empty string or an integer, got {value!r}")
            ids.append(None)
            continue
        if value in seen:
            errors.append(f"duplicate {kind} id {value!r}")
        seen.add(value)
        ids.append(value)
    return ids


def instance_from_json(data: object) -> Instance:
    """Build an :class:`Instance` from parsed JSON, or raise :class:`InstanceError` listing all problems."""
    if not isinstance(data, Mapping):
        raise InstanceError(["the instance must be a JSON object"])
    errors: list[str] = []

    slot_records = _records(data, "slots", errors)
    slot_ids = _unique_ids(slot_records, "slot", errors)
    known_slots = {slot_id for slot_id in slot_ids if slot_id is not None}

    table_records = _records(data, "tables", errors)
    table_ids = _unique_ids(table_records, "table", errors)
    known_tables = {table_id for table_id in table_ids if table_id is not None}
    tables: list[Table] = []
    for table_id, record in zip(table_ids, table_records, strict=True):
        capacity = record.get("capacity")
        if not _is_int(capacity) or capacity < 1:
            errors.append(f"table {table_id!r}: 'capacity' must be a positive integer, got {capacity!r}")
            continue
        if table_id is not None:
            tables.append(Table(id=table_id, capacity=capacity))

    participant_records = _records(data, "participants", errors)
    participant_ids = _unique_ids(participant_records, "participant", errors)
    known_participants = {participant_id for participant_id in participant_ids if participant_id is not None}
    participants: list[Participant] = []
    for participant_id, record in zip(participant_ids, participant_records, strict=True):
        where = f"participant {participant_id!r}"
        cap = record.get("max_meetings")
        cap_ok = _is_int(cap) and cap >= 0
        if not cap_ok:
            errors.append(f"{where}: 'max_meetings' must be a non-negative integer, got {cap!r}")
        available = _list_field(record, "available_slots", where, errors)
        unknown = [slot for slot in available if not _is_id(slot) or slot not in known_slots]
        if unknown:
            errors.append(f"{where}: unknown slot(s) in 'available_slots': {unknown!r}")
        duplicated = sorted({repr(slot) for slot in available if available.count(slot) > 1})
        if duplicated:
            errors.append(f"{where}: slot(s) listed twice in 'available_slots': {', '.join(duplicated)}")
        if participant_id is not None and cap_ok and not unknown and not duplicated:
            participants.append(Participant(participant_id, tuple(available), cast(int, cap)))

    meeting_records = _records(data, "meetings", errors)
    meeting_ids = _unique_ids(meeting_records, "meeting", errors)
    meetings: list[Meeting] = []
    for meeting_id, record in zip(meeting_ids, meeting_records, strict=True):
        meeting = _meeting(meeting_id, record, known_participants, known_slots, known_tables, errors)
        if meeting is not None:
            meetings.append(meeting)

    announced = _announced(data.get("announced", []), errors)

    if errors:
        raise InstanceError(errors)
    return Instance(
        slots=tuple(Slot(slot_id) for slot_id in slot_ids if slot_id is not None),
        tables=tuple(tables),
        participants=tuple(participants),
        meetings=tuple(meetings),
        announced=announced,
    )


def _meeting(
    meeting_id: Id | None,
    record: Mapping[str, Any],
    known_participants: set[Id],
    known_slots: set[Id],
    known_tables: set[Id],
    errors: list[str],
) -> Meeting | None:
    where = f"meeting {meeting_id!r}"
    error_count = len(errors)
    members = _list_field(record, "participants", where, errors)
    if len(members) < 2:
        errors.append(f"{where}: needs at least two participants, got {len(members)}")
    unknown = [member for member in members if not _is_id(member) or member not in known_participants]
    if unknown:
        errors.append(f"{where}: unknown participant(s) {unknown!r}")
    duplicated = sorted({repr(member) for member in members if members.count(member) > 1})
    if duplicated:
        errors.append(f"{where}: participant(s) listed twice: {', '.join(duplicated)}")
    weight = record.get("weight")
    if (
        isinstance(weight, bool)
        or not isinstance(weight, int | float)
        or not math.isfinite(weight)
        or not 0 <= weight <= MAX_WEIGHT
    ):
        errors.append(f"{where}: 'weight' must be a number from 0 to {MAX_WEIGHT:,}, got {weight!r}")
    locked_value = record.get("locked")
    locked: Placement | None = None
    if locked_value is not None:
        if not isinstance(locked_value, Mapping):
            errors.append(f"{where}: 'locked' must be null or an object with 'slot' and 'table'")
        else:
            slot, table = locked_value.get("slot"), locked_value.get("table")
            if not _is_id(slot) or slot not in known_slots:
                errors.append(f"{where}: locked to unknown slot {slot!r}")
            if not _is_id(table) or table not in known_tables:
                errors.append(f"{where}: locked to unknown table {table!r}")
            # Checked just above; a bad id was reported and the meeting is dropped below.
            locked = Placement(slot=cast(Id, slot), table=cast(Id, table))
    if meeting_id is None or len(errors) > error_count:
        return None
    return Meeting(id=meeting_id, participants=tuple(members), weight=cast(float, weight), locked=locked)


def _announced(value: object, errors: list[str]) -> tuple[Assignment, ...]:
    """Announced placements may name meetings, slots or tables that a late change removed.

    Those are not format errors (the solver releases them with a reason), but the fields must be ids and
    a meeting may be announced only once.
    """
    if not isinstance(value, list):
        errors.append("instance: 'announced' must be a list")
        return ()
    return assignments_from_json(value, "announced", errors)


def assignments_from_json(items: list[Any], where: str, errors: list[str]) -> tuple[Assignment, ...]:
    """Read ``[{"meeting_id", "slot", "table"}]``, reporting malformed entries and repeated meetings."""
    assignments: list[Assignment] = []
    seen: set[Id] = set()
    for position, item in enumerate(items):
        if not isinstance(item, Mapping):
            errors.append(f"{where}[{position}] must be an object")
            continue
        meeting_id, slot, table = item.get("meeting_id"), item.get("slot"), item.get("table")
        if not (_is_id(meeting_id) and _is_id(slot) and _is_id(table)):
            errors.append(f"{where}[{position}]: 'meeting_id', 'slot' and 'table' must be ids")
            continue
        if meeting_id in seen:
            errors.append(f"{where}: meeting {meeting_id!r} appears more than once")
            continue
        seen.add(meeting_id)
        assignments.append(Assignment(meeting_id=meeting_id, slot=slot, table=table))
    return tuple(assignments)


def announced_from_schedule_json(data: object) -> tuple[Assignment, ...]:
    """Take the assignments of a previously published schedule as the announced placements."""
    if not isinstance(data, Mapping) or not isinstance(data.get("assignments"), list):
        raise InstanceError(["the previous schedule must be a JSON object with an 'assignments' list"])
    errors: list[str] = []
    assignments = assignments_from_json(data["assignments"], "previous schedule assignments", errors)
    if errors:
        raise InstanceError(errors)
    return assignments


def _number(value: float) -> float | int:
    """Write whole numbers as JSON integers and round the rest, so sums of decimal weights read cleanly."""
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def instance_to_json(instance: Instance) -> dict[str, Any]:
    """The inverse of :func:`instance_from_json` (used by the benchmark generator and the tests)."""
    data: dict[str, Any] = {
        "slots": [{"id": slot.id} for slot in instance.slots],
        "tables": [{"id": table.id, "capacity": table.capacity} for table in instance.tables],
        "participants": [
            {"id": p.id, "available_slots": list(p.available_slots), "max_meetings": p.max_meetings}
            for p in instance.participants
        ],
        "meetings": [
            {
                "id": meeting.id,
                "participants": list(meeting.participants),
                "weight": meeting.weight,
                "locked": None
                if meeting.locked is None
                else {"slot": meeting.locked.slot, "table": meeting.locked.table},
            }
            for meeting in instance.meetings
        ],
    }
    if instance.announced:
        data["announced"] = [_assignment_json(assignment) for assignment in instance.announced]
    return data


def _assignment_json(assignment: Assignment) -> dict[str, Any]:
    return {"meeting_id": assignment.meeting_id, "slot": assignment.slot, "table": assignment.table}


def schedule_to_json(schedule: Schedule) -> dict[str, Any]:
    """The result format of issue 5, plus ``released``, ``conflicts`` and ``solve_seconds``."""
    return {
        "status": schedule.status,
        "assignments": [_assignment_json(assignment) for assignment in schedule.assignments],
        "unscheduled": [
            {"meeting_id": item.meeting_id, "reason": item.reason} for item in schedule.unscheduled
        ],
        "scheduled_weight": _number(schedule.scheduled_weight),
        "upper_bound": None if schedule.upper_bound is None else _number(schedule.upper_bound),
        "idle_gaps": schedule.idle_gaps,
        "released": [
            {"meeting_id": item.meeting_id, "slot": item.slot, "table": item.table, "reason": item.reason}
            for item in schedule.released
        ],
        "conflicts": list(schedule.conflicts),
        "solve_seconds": round(schedule.solve_seconds, 3),
    }
