"""Typed inputs and outputs of the meeting scheduler.

Everything is a frozen dataclass so that an instance can be handed between the web app, the background
task and the solver without anyone mutating it on the way. Ids are kept exactly as the caller gave them
(strings or integers), because the web app will usually pass database primary keys and must get the same
values back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Id = str | int
Status = Literal["optimal", "feasible", "infeasible"]


@dataclass(frozen=True)
class Slot:
    """One time slot. The order of ``Instance.slots`` is chronological; idle gaps are counted in it."""

    id: Id


@dataclass(frozen=True)
class Table:
    """A table (or room) that seats up to ``capacity`` people per slot."""

    id: Id
    capacity: int


@dataclass(frozen=True)
class Participant:
    """A registered firm, expert, university or lab: when they are present and how many talks they want."""

    id: Id
    available_slots: tuple[Id, ...]
    max_meetings: int


@dataclass(frozen=True)
class Placement:
    """Where a meeting happens: a slot and a table."""

    slot: Id
    table: Id


@dataclass(frozen=True)
class Meeting:
    """An accepted meeting request between two or more participants.

    ``locked`` pins the meeting to a slot and table chosen by the operator; the solver must keep it there,
    and if locked meetings contradict each other the whole instance is infeasible.
    """

    id: Id
    participants: tuple[Id, ...]
    weight: float
    locked: Placement | None = None


@dataclass(frozen=True)
class Assignment:
    """A scheduled meeting. Also used for announced placements from a previous run."""

    meeting_id: Id
    slot: Id
    table: Id


@dataclass(frozen=True)
class Instance:
    """Everything the scheduler needs.

    ``announced`` holds placements that participants have already been told about (usually the
    assignments of the previously published schedule). They are kept where they are, like locked
    meetings, except when a late change made them impossible: then they are released with a reason
    instead of making the whole instance infeasible, because the operator cannot un-announce them anyway.
    """

    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    announced: tuple[Assignment, ...] = ()


@dataclass(frozen=True)
class Unscheduled:
    """A meeting that is not in the schedule, with a reason a person can act on."""

    meeting_id: Id
    reason: str


@dataclass(frozen=True)
class Released:
    """An announced placement that could not be kept after late changes, and why."""

    meeting_id: Id
    slot: Id
    table: Id
    reason: str


@dataclass(frozen=True)
class Schedule:
    """The result of a solve (or of the greedy baseline).

    ``upper_bound`` is a proven bound on the scheduled weight of any schedule that obeys the hard rules,
    so ``(upper_bound - scheduled_weight) / upper_bound`` bounds how far from optimal this schedule is.
    It is ``None`` for the greedy baseline, which proves nothing, and for infeasible results. ``conflicts`` lists the reasons when
    ``status`` is ``"infeasible"`` (the locked meetings themselves cannot be satisfied).
    """

    status: Status
    assignments: tuple[Assignment, ...]
    unscheduled: tuple[Unscheduled, ...]
    scheduled_weight: float
    upper_bound: float | None
    idle_gaps: int
    released: tuple[Released, ...] = ()
    conflicts: tuple[str, ...] = ()
    solve_seconds: float = 0.0


class InstanceError(ValueError):
    """The instance is malformed (unknown or duplicate ids, bad values). ``errors`` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("invalid instance:\n" + "\n".join(f"- {error}" for error in self.errors))
