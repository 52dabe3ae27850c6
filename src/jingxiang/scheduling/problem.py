"""The instance seen from the schedulers: indexes, fixed placements and what is left to plan.

Both the CP-SAT solver and the greedy baseline start from the same :class:`Problem`, so they treat
locked and announced meetings identically and the benchmark compares like with like. The validator
deliberately does *not* use this module: it re-derives every rule from the raw JSON.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from jingxiang.scheduling.records import (
    Assignment,
    Id,
    Instance,
    Meeting,
    Participant,
    Released,
    Table,
)


@dataclass
class Problem:
    """Indexes over an instance after locked and announced meetings have been put in place.

    Slots are referred to by their chronological position (``int``), everything else by id.
    ``fixed`` maps each meeting that must stay where it is (locked, or announced and still possible)
    to its slot position and table. ``conflicts`` is non-empty when the locked meetings cannot all be
    kept, which makes the instance infeasible.
    """

    instance: Instance
    slot_ids: list[Id]
    slot_position: dict[Id, int]
    tables: dict[Id, Table]
    participants: dict[Id, Participant]
    meetings: dict[Id, Meeting]
    available: dict[Id, frozenset[int]]
    fixed: dict[Id, tuple[int, Id]] = field(default_factory=dict)
    fixed_by_locking: set[Id] = field(default_factory=set)
    conflicts: list[str] = field(default_factory=list)
    conflicting: set[Id] = field(default_factory=set)
    released: list[Released] = field(default_factory=list)

    @property
    def slot_count(self) -> int:
        return len(self.slot_ids)

    def size(self, meeting_id: Id) -> int:
        return len(self.meetings[meeting_id].participants)

    def free_tables(self, slot: int) -> list[Table]:
        """Tables not taken by a fixed meeting in ``slot``, in the instance's order."""
        taken = {table for fixed_slot, table in self.fixed.values() if fixed_slot == slot}
        return [table for table in self.instance.tables if table.id not in taken]

    def fixed_busy(self) -> set[tuple[Id, int]]:
        """(participant, slot) pairs occupied by fixed meetings."""
        busy: set[tuple[Id, int]] = set()
        for meeting_id, (slot, _table) in self.fixed.items():
            for participant in self.meetings[meeting_id].participants:
                busy.add((participant, slot))
        return busy

    def fixed_count(self) -> dict[Id, int]:
        """How many fixed meetings each participant already has."""
        counts: dict[Id, int] = defaultdict(int)
        for meeting_id in self.fixed:
            for participant in self.meetings[meeting_id].participants:
                counts[participant] += 1
        return counts

    def open_meetings(self) -> list[Meeting]:
        """Meetings the scheduler still has to decide about, in instance order."""
        return [meeting for meeting in self.instance.meetings if meeting.id not in self.fixed]

    def candidate_slots(self) -> dict[Id, list[int]]:
        """For each open meeting, the slots where it could go given the fixed meetings alone.

        A slot qualifies when every participant is present, not in a fixed meeting, still has room
        under their cap, and a free table seats the whole meeting. Meetings with no candidate slot
        are left out of the optimisation entirely (their reason is derived afterwards).
        """
        busy = self.fixed_busy()
        used = self.fixed_count()
        largest_free = [
            max((t.capacity for t in self.free_tables(slot)), default=0) for slot in range(self.slot_count)
        ]
        candidates: dict[Id, list[int]] = {}
        for meeting in self.open_meetings():
            members = meeting.participants
            if any(used[p] >= self.participants[p].max_meetings for p in members):
                candidates[meeting.id] = []
                continue
            common = frozenset.intersection(*(self.available[p] for p in members))
            candidates[meeting.id] = [
                slot
                for slot in sorted(common)
                if largest_free[slot] >= len(members) and not any((p, slot) in busy for p in members)
            ]
        return candidates


def prepare(instance: Instance) -> Problem:
    """Index the instance, check the locked meetings against each other, then keep what announced can be."""
    slot_ids = [slot.id for slot in instance.slots]
    slot_position = {slot_id: position for position, slot_id in enumerate(slot_ids)}
    problem = Problem(
        instance=instance,
        slot_ids=slot_ids,
        slot_position=slot_position,
        tables={table.id: table for table in instance.tables},
        participants={p.id: p for p in instance.participants},
        meetings={meeting.id: meeting for meeting in instance.meetings},
        available={
            p.id: frozenset(slot_position[s] for s in p.available_slots) for p in instance.participants
        },
    )
    _place_locked(problem)
    _place_announced(problem)
    return problem


def _place_locked(problem: Problem) -> None:
    """Put every locked meeting in place and record each hard rule the locked set breaks."""
    table_user: dict[tuple[int, Id], Id] = {}
    participant_user: dict[tuple[Id, int], Id] = {}
    locked_count: dict[Id, list[Id]] = defaultdict(list)
    for meeting in problem.instance.meetings:
        if meeting.locked is None:
            continue
        slot = problem.slot_position[meeting.locked.slot]
        table = problem.tables[meeting.locked.table]
        slot_name = problem.slot_ids[slot]
        if table.capacity < len(meeting.participants):
            problem.conflicting.add(meeting.id)
            problem.conflicts.append(
                f"locked meeting {meeting.id!r} has {len(meeting.participants)} participants but table "
                f"{table.id!r} seats only {table.capacity}"
            )
        other = table_user.setdefault((slot, table.id), meeting.id)
        if other != meeting.id:
            problem.conflicting.update((other, meeting.id))
            problem.conflicts.append(
                f"locked meetings {other!r} and {meeting.id!r} both use table {table.id!r} "
                f"in slot {slot_name!r}"
            )
        for participant in meeting.participants:
            if slot not in problem.available[participant]:
                problem.conflicting.add(meeting.id)
                problem.conflicts.append(
                    f"locked meeting {meeting.id!r} is in slot {slot_name!r}, "
                    f"where participant {participant!r} is not present"
                )
            other = participant_user.setdefault((participant, slot), meeting.id)
            if other != meeting.id:
                problem.conflicting.update((other, meeting.id))
                problem.conflicts.append(
                    f"participant {participant!r} is in locked meetings {other!r} and {meeting.id!r} "
                    f"in the same slot {slot_name!r}"
                )
            locked_count[participant].append(meeting.id)
        problem.fixed[meeting.id] = (slot, table.id)
        problem.fixed_by_locking.add(meeting.id)
    for participant, meeting_ids in locked_count.items():
        cap = problem.participants[participant].max_meetings
        if len(meeting_ids) > cap:
            problem.conflicting.update(meeting_ids)
            problem.conflicts.append(
                f"participant {participant!r} has {len(meeting_ids)} locked meetings "
                f"({', '.join(repr(m) for m in meeting_ids)}) but a cap of {cap}"
            )


def _place_announced(problem: Problem) -> None:
    """Keep announced placements that still obey every hard rule; release the others with a reason.

    Heavier meetings are considered first, so when two announcements now collide the more valuable one
    stays.
    """
    position = {assignment.meeting_id: index for index, assignment in enumerate(problem.instance.announced)}

    def priority(assignment: Assignment) -> tuple[float, int]:
        meeting = problem.meetings.get(assignment.meeting_id)
        return (-(meeting.weight if meeting else 0.0), position[assignment.meeting_id])

    table_user = {(slot, table): m for m, (slot, table) in problem.fixed.items()}
    participant_user = {
        (p, slot): m for m, (slot, _table) in problem.fixed.items() for p in problem.meetings[m].participants
    }
    counts = problem.fixed_count()
    for assignment in sorted(problem.instance.announced, key=priority):
        reason = _announcement_problem(problem, assignment, table_user, participant_user, counts)
        if reason is None:
            if assignment.meeting_id in problem.fixed:
                continue  # locked at exactly the announced place
            slot = problem.slot_position[assignment.slot]
            meeting = problem.meetings[assignment.meeting_id]
            problem.fixed[meeting.id] = (slot, assignment.table)
            table_user[(slot, assignment.table)] = meeting.id
            for participant in meeting.participants:
                participant_user[(participant, slot)] = meeting.id
                counts[participant] += 1
        else:
            problem.released.append(
                Released(assignment.meeting_id, assignment.slot, assignment.table, reason)
            )


def _announcement_problem(
    problem: Problem,
    assignment: Assignment,
    table_user: dict[tuple[int, Id], Id],
    participant_user: dict[tuple[Id, int], Id],
    counts: dict[Id, int],
) -> str | None:
    """Why an announced placement can no longer be kept, or ``None`` if it can."""
    meeting = problem.meetings.get(assignment.meeting_id)
    if meeting is None:
        return "the meeting is no longer in the instance (request withdrawn or declined)"
    if meeting.locked is not None:
        if (meeting.locked.slot, meeting.locked.table) == (assignment.slot, assignment.table):
            return None
        return f"the operator locked it to slot {meeting.locked.slot!r}, table {meeting.locked.table!r}"
    if assignment.slot not in problem.slot_position:
        return f"slot {assignment.slot!r} no longer exists"
    if assignment.table not in problem.tables:
        return f"table {assignment.table!r} no longer exists"
    slot = problem.slot_position[assignment.slot]
    capacity = problem.tables[assignment.table].capacity
    if capacity < len(meeting.participants):
        return f"table {assignment.table!r} seats {capacity}, the meeting now has {len(meeting.participants)}"
    holder = table_user.get((slot, assignment.table))
    if holder is not None:
        return f"table {assignment.table!r} is taken in that slot by {holder!r}, which is locked or heavier"
    for participant in meeting.participants:
        if slot not in problem.available[participant]:
            return f"participant {participant!r} is no longer present in slot {assignment.slot!r}"
        holder = participant_user.get((participant, slot))
        if holder is not None:
            return f"participant {participant!r} is in {holder!r} in that slot, which is locked or heavier"
        cap = problem.participants[participant].max_meetings
        if counts[participant] >= cap:
            return f"participant {participant!r} now has a cap of {cap}, used by locked or heavier meetings"
    return None


def count_idle_gaps(problem: Problem, chosen_slots: Iterable[tuple[Id, int]]) -> int:
    """Empty slots between each participant's first and last meeting, summed over participants.

    Slots where the participant is absent still count: the issue defines a gap as any empty slot
    between the first and the last meeting, and the validator counts the same way.
    """
    slots_of: dict[Id, list[int]] = defaultdict(list)
    for meeting_id, slot in chosen_slots:
        for participant in problem.meetings[meeting_id].participants:
            slots_of[participant].append(slot)
    return sum(max(slots) - min(slots) + 1 - len(slots) for slots in slots_of.values())
