"""An independent check of a schedule against its instance, run before anything is published.

It reads the raw JSON of both and re-derives every hard rule from scratch, sharing no code with the
solver's model, the table assignment or the idle-gap count: a bug there must not be able to hide itself
here. It never raises on malformed input; everything it finds is returned as a :class:`Violation`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

STATUSES = ("optimal", "feasible", "infeasible")
WEIGHT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Violation:
    """One broken rule. ``kind`` is stable (tests and the web app match on it); ``message`` explains."""

    kind: str
    message: str


def _key(value: object) -> object:
    """JSON ids can be strings or numbers; lists are unhashable and never valid ids."""
    return value if isinstance(value, str | int) and not isinstance(value, bool) else repr(value)


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _objects(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return [item for item in _list(data, key) if isinstance(item, Mapping)]


class _Instance:
    """The instance as plain lookups, read without the scheduler's parser."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.slot_order = {_key(s.get("id")): i for i, s in enumerate(_objects(data, "slots"))}
        self.capacity = {_key(t.get("id")): t.get("capacity") for t in _objects(data, "tables")}
        self.present = {
            _key(p.get("id")): {_key(s) for s in _list(p, "available_slots")}
            for p in _objects(data, "participants")
        }
        self.cap = {_key(p.get("id")): p.get("max_meetings") for p in _objects(data, "participants")}
        self.members: dict[object, list[object]] = {}
        self.weight: dict[object, float] = {}
        self.locked: dict[object, tuple[object, object]] = {}
        for meeting in _objects(data, "meetings"):
            meeting_id = _key(meeting.get("id"))
            self.members[meeting_id] = [_key(p) for p in _list(meeting, "participants")]
            weight = meeting.get("weight")
            self.weight[meeting_id] = float(weight) if isinstance(weight, int | float) else 0.0
            locked = meeting.get("locked")
            if isinstance(locked, Mapping):
                self.locked[meeting_id] = (_key(locked.get("slot")), _key(locked.get("table")))
        self.announced = [
            (_key(a.get("meeting_id")), _key(a.get("slot")), _key(a.get("table")))
            for a in _objects(data, "announced")
        ]


def validate(instance_data: object, schedule_data: object) -> list[Violation]:
    """Every hard-rule and consistency violation of ``schedule_data`` (result JSON) for ``instance_data``."""
    if not isinstance(instance_data, Mapping) or not isinstance(schedule_data, Mapping):
        return [Violation("malformed", "instance and schedule must both be JSON objects")]
    instance = _Instance(instance_data)
    violations: list[Violation] = []
    status = schedule_data.get("status")
    if status not in STATUSES:
        violations.append(Violation("bad_status", f"status must be one of {STATUSES}, got {status!r}"))
    placed = _read_assignments(instance, schedule_data, violations)
    _check_hard_rules(instance, placed, violations)
    if status == "infeasible":
        _check_infeasible_claim(instance, schedule_data, placed, violations)
    else:
        _check_fixed_kept(instance, schedule_data, placed, violations)
    _check_unscheduled(instance, schedule_data, placed, violations)
    _check_figures(instance, schedule_data, placed, violations)
    return violations


def _read_assignments(
    instance: _Instance, schedule: Mapping[str, Any], violations: list[Violation]
) -> dict[object, tuple[object, object]]:
    """Assignments that name a known meeting, slot and table, each meeting once."""
    placed: dict[object, tuple[object, object]] = {}
    raw = schedule.get("assignments")
    if not isinstance(raw, list):
        violations.append(Violation("malformed", "'assignments' must be a list"))
        return placed
    for position, item in enumerate(raw):
        if not isinstance(item, Mapping):
            violations.append(Violation("malformed", f"assignments[{position}] is not an object"))
            continue
        meeting, slot, table = _key(item.get("meeting_id")), _key(item.get("slot")), _key(item.get("table"))
        problems: list[Violation] = []
        if meeting not in instance.members:
            problems.append(
                Violation("unknown_meeting", f"assignments[{position}]: unknown meeting {meeting!r}")
            )
        if slot not in instance.slot_order:
            problems.append(Violation("unknown_slot", f"meeting {meeting!r}: unknown slot {slot!r}"))
        if table not in instance.capacity:
            problems.append(Violation("unknown_table", f"meeting {meeting!r}: unknown table {table!r}"))
        if meeting in placed:
            problems.append(
                Violation("duplicate_assignment", f"meeting {meeting!r} is scheduled more than once")
            )
        violations.extend(problems)
        if not problems:
            placed[meeting] = (slot, table)
    return placed


def _check_hard_rules(
    instance: _Instance, placed: Mapping[object, tuple[object, object]], violations: list[Violation]
) -> None:
    table_use: dict[tuple[object, object], list[object]] = defaultdict(list)
    person_use: dict[tuple[object, object], list[object]] = defaultdict(list)
    meetings_of: Counter[object] = Counter()
    for meeting, (slot, table) in placed.items():
        members = instance.members[meeting]
        capacity = instance.capacity[table]
        if not isinstance(capacity, int) or capacity < len(members):
            violations.append(
                Violation(
                    "table_too_small",
                    f"{meeting!r} has {len(members)} participants at table {table!r} seating {capacity!r}",
                )
            )
        table_use[(slot, table)].append(meeting)
        for person in members:
            if slot not in instance.present.get(person, set()):
                violations.append(
                    Violation(
                        "participant_unavailable",
                        f"meeting {meeting!r} is in slot {slot!r}, where {person!r} is not present",
                    )
                )
            person_use[(person, slot)].append(meeting)
            meetings_of[person] += 1
    for (slot, table), meetings in table_use.items():
        if len(meetings) > 1:
            violations.append(
                Violation("table_double_booked", f"table {table!r} in slot {slot!r} hosts {meetings!r}")
            )
    for (person, slot), meetings in person_use.items():
        if len(meetings) > 1:
            violations.append(
                Violation(
                    "participant_double_booked", f"{person!r} is in {meetings!r} at once in slot {slot!r}"
                )
            )
    for person, count in meetings_of.items():
        cap = instance.cap.get(person)
        if not isinstance(cap, int) or count > cap:
            violations.append(Violation("cap_exceeded", f"{person!r} has {count} meetings, cap {cap!r}"))


def _check_fixed_kept(
    instance: _Instance,
    schedule: Mapping[str, Any],
    placed: Mapping[object, tuple[object, object]],
    violations: list[Violation],
) -> None:
    """Locked meetings stay put; announced ones too unless released for a reason that really holds."""
    for meeting, where in instance.locked.items():
        if placed.get(meeting) != where:
            violations.append(
                Violation(
                    "locked_moved",
                    f"locked meeting {meeting!r} must be at {where!r}, is at {placed.get(meeting)!r}",
                )
            )
    released = {_key(item.get("meeting_id")): item for item in _objects(schedule, "released")}
    for meeting, slot, table in instance.announced:
        if meeting in instance.members and placed.get(meeting) == (slot, table):
            continue
        if meeting not in released or not str(released[meeting].get("reason") or "").strip():
            violations.append(
                Violation(
                    "announced_moved",
                    f"announced {meeting!r} at {(slot, table)!r} is neither kept nor released with a reason",
                )
            )
            continue
        justification = _release_justified(instance, placed, meeting, slot, table)
        if justification is None:
            violations.append(
                Violation(
                    "unjustified_release",
                    f"announced meeting {meeting!r} was released but could have stayed at {(slot, table)!r}",
                )
            )


def _release_justified(
    instance: _Instance,
    placed: Mapping[object, tuple[object, object]],
    meeting: object,
    slot: object,
    table: object,
) -> str | None:
    """Why keeping an announced placement would break a rule, judged against the meetings that stay fixed."""
    if meeting not in instance.members:
        return "meeting withdrawn"
    if meeting in instance.locked:
        return None if instance.locked[meeting] == (slot, table) else "locked elsewhere"
    if slot not in instance.slot_order or table not in instance.capacity:
        return "slot or table removed"
    members = instance.members[meeting]
    capacity = instance.capacity[table]
    if not isinstance(capacity, int) or capacity < len(members):
        return "table too small"
    if any(slot not in instance.present.get(person, set()) for person in members):
        return "participant absent"
    kept_announced = {
        m for m, s, t in instance.announced if m in instance.members and placed.get(m) == (s, t)
    }
    fixed = {m: placed[m] for m in set(instance.locked) | kept_announced if m in placed and m != meeting}
    for other, (other_slot, other_table) in fixed.items():
        if other_slot == slot and (other_table == table or set(instance.members[other]) & set(members)):
            return "collides with a fixed meeting"
    for person in members:
        fixed_count = sum(1 for other in fixed if person in instance.members[other])
        cap = instance.cap.get(person)
        if isinstance(cap, int) and fixed_count >= cap:
            return "cap used by fixed meetings"
    return None


def _check_infeasible_claim(
    instance: _Instance,
    schedule: Mapping[str, Any],
    placed: Mapping[object, tuple[object, object]],
    violations: list[Violation],
) -> None:
    """``infeasible`` is only allowed when the locked meetings alone break a hard rule."""
    if placed:
        violations.append(
            Violation("infeasible_with_assignments", "an infeasible result must not assign meetings")
        )
    locked_only: list[Violation] = []
    _check_hard_rules(
        instance, {m: where for m, where in instance.locked.items() if m in instance.members}, locked_only
    )
    if not locked_only:
        violations.append(
            Violation(
                "unjustified_infeasible", "status is infeasible but the locked meetings obey every hard rule"
            )
        )
    if not _list(schedule, "conflicts"):
        violations.append(Violation("missing_conflicts", "an infeasible result must list its conflicts"))


def _check_unscheduled(
    instance: _Instance,
    schedule: Mapping[str, Any],
    placed: Mapping[object, tuple[object, object]],
    violations: list[Violation],
) -> None:
    listed: Counter[object] = Counter()
    for item in _objects(schedule, "unscheduled"):
        meeting = _key(item.get("meeting_id"))
        listed[meeting] += 1
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            violations.append(Violation("missing_reason", f"unscheduled meeting {meeting!r} has no reason"))
    for meeting in instance.members:
        if meeting not in placed and listed[meeting] != 1:
            violations.append(
                Violation(
                    "unscheduled_mismatch",
                    f"meeting {meeting!r} is neither scheduled nor listed once as unscheduled",
                )
            )
    for meeting, count in listed.items():
        if meeting in placed or meeting not in instance.members:
            violations.append(
                Violation(
                    "unscheduled_mismatch",
                    f"{meeting!r} is listed as unscheduled but is scheduled or unknown",
                )
            )
        elif count > 1:
            violations.append(
                Violation("unscheduled_mismatch", f"{meeting!r} is listed as unscheduled {count} times")
            )


def _idle_gaps(instance: _Instance, placed: Mapping[object, tuple[object, object]]) -> int:
    positions: dict[object, list[int]] = defaultdict(list)
    for meeting, (slot, _table) in placed.items():
        for person in instance.members[meeting]:
            positions[person].append(instance.slot_order[slot])
    total = 0
    for slots in positions.values():
        occupied = set(slots)
        total += sum(1 for position in range(min(slots), max(slots)) if position not in occupied)
    return total


def _check_figures(
    instance: _Instance,
    schedule: Mapping[str, Any],
    placed: Mapping[object, tuple[object, object]],
    violations: list[Violation],
) -> None:
    """Reported weight, bound and idle gaps must match the assignments."""
    weight = math.fsum(instance.weight[meeting] for meeting in placed)
    reported = schedule.get("scheduled_weight")
    tolerance = WEIGHT_TOLERANCE * max(1.0, abs(weight))
    if not isinstance(reported, int | float) or abs(reported - weight) > tolerance:
        violations.append(
            Violation("weight_mismatch", f"scheduled_weight is {reported!r}, assignments weigh {weight:g}")
        )
    gaps = _idle_gaps(instance, placed)
    if schedule.get("idle_gaps") != gaps:
        violations.append(
            Violation(
                "idle_gaps_mismatch",
                f"idle_gaps is {schedule.get('idle_gaps')!r}, the assignments have {gaps}",
            )
        )
    bound = schedule.get("upper_bound")
    if bound is not None:
        if not isinstance(bound, int | float):
            violations.append(Violation("malformed", f"upper_bound must be a number or null, got {bound!r}"))
        elif bound < weight - tolerance:
            violations.append(
                Violation("bound_below_weight", f"upper_bound {bound:g} is below the weight {weight:g}")
            )
        elif schedule.get("status") == "optimal" and bound > weight + tolerance:
            violations.append(
                Violation(
                    "optimal_with_gap",
                    f"status optimal but upper_bound {bound:g} exceeds the weight {weight:g}",
                )
            )
