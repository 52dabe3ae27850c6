"""Human-readable reasons for meetings left out of a schedule.

Reasons are derived *after* solving, from the final schedule, rather than extracted from the solver:
a person asking "why is my meeting not on the agenda?" wants to know what occupies the places it could
have taken, and that is visible in the schedule itself. The checks go from the most fundamental cause
(the meeting could never fit anywhere) to the most circumstantial (others took its places), and the
first that applies is reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from jingxiang.scheduling.problem import Problem
from jingxiang.scheduling.records import Assignment, Id, Meeting, Unscheduled

_LISTED = 4  # list at most this many examples in a reason; agendas are read on phones


def _ids(values: Iterable[object]) -> str:
    items = [repr(value) for value in values]
    shown = ", ".join(items[:_LISTED])
    return shown + (f" and {len(items) - _LISTED} more" if len(items) > _LISTED else "")


class _ScheduleView:
    """Who does what when in a finished schedule."""

    def __init__(self, problem: Problem, assignments: Iterable[Assignment]) -> None:
        self.problem = problem
        self.meeting_in: dict[tuple[Id, int], Id] = {}
        self.meetings_of: dict[Id, list[Id]] = defaultdict(list)
        self.tables_used: dict[int, set[Id]] = defaultdict(set)
        for assignment in assignments:
            slot = problem.slot_position[assignment.slot]
            self.tables_used[slot].add(assignment.table)
            for participant in problem.meetings[assignment.meeting_id].participants:
                self.meeting_in[(participant, slot)] = assignment.meeting_id
                self.meetings_of[participant].append(assignment.meeting_id)

        self.largest_table = max((t.capacity for t in problem.instance.tables), default=0)
        # the largest free table per slot, computed once: scanning all tables per question is quadratic
        self.largest_free = [
            max(
                (t.capacity for t in problem.instance.tables if t.id not in self.tables_used[slot]),
                default=0,
            )
            for slot in range(problem.slot_count)
        ]

    def free_table_for(self, slot: int, size: int) -> bool:
        return self.largest_free[slot] >= size


def explain_unscheduled(
    problem: Problem, assignments: list[Assignment], proven_optimal: bool
) -> list[Unscheduled]:
    """One reason per meeting of the instance that has no assignment, in instance order."""
    view = _ScheduleView(problem, assignments)
    scheduled = {assignment.meeting_id for assignment in assignments}
    return [
        Unscheduled(meeting.id, _reason(problem, view, meeting, proven_optimal))
        for meeting in problem.instance.meetings
        if meeting.id not in scheduled
    ]


def _reason(problem: Problem, view: _ScheduleView, meeting: Meeting, proven_optimal: bool) -> str:
    members = meeting.participants
    size = len(members)
    largest = view.largest_table
    if size > largest:
        return f"table capacity too small: {size} participants, the largest table seats {largest}"
    no_meetings = [p for p in members if problem.participants[p].max_meetings == 0]
    if no_meetings:
        return f"participant(s) {_ids(no_meetings)} accept no meetings (cap 0)"
    common = sorted(frozenset.intersection(*(problem.available[p] for p in members)))
    if not common:
        presence = "; ".join(
            f"{p!r}: {_ids(problem.slot_ids[s] for s in sorted(problem.available[p])) or 'no slots'}"
            for p in members
        )
        return f"no common available slot ({presence})"
    full = [p for p in members if len(view.meetings_of[p]) >= problem.participants[p].max_meetings]
    if full:
        return "; ".join(_cap_reason(problem, view, p, meeting) for p in full)

    blockers: list[str] = []
    blocking_meetings: set[Id] = set()
    for slot in common:
        busy = [(p, view.meeting_in[(p, slot)]) for p in members if (p, slot) in view.meeting_in]
        slot_name = problem.slot_ids[slot]
        if busy:
            blocking_meetings.update(other for _p, other in busy)
            blockers.append(f"{slot_name!r}: " + ", ".join(f"{p!r} in {other!r}" for p, other in busy))
        elif not view.free_table_for(slot, size):
            blockers.append(f"{slot_name!r}: every table seating {size} is taken")
    if len(blockers) == len(common):
        shown = "; ".join(blockers[:_LISTED]) + ("; …" if len(blockers) > _LISTED else "")
        blocking_weights = [problem.meetings[m].weight for m in blocking_meetings]
        if blocking_meetings and all(w > meeting.weight for w in blocking_weights):
            lead = "displaced by higher-weight meetings competing for the same participants and slots"
        elif blocking_meetings and all(w >= meeting.weight for w in blocking_weights):
            lead = "displaced by meetings of equal or higher weight competing for the same participants and slots"
        elif blocking_meetings and all(m in problem.fixed for m in blocking_meetings):
            lead = "displaced by locked or announced meetings"
        elif proven_optimal:
            lead = (
                "every slot where all participants are present is taken (the meetings there fit the rest of "
                "the schedule better, giving more total weight)"
            )
        else:
            lead = "every slot where all participants are present is taken"
        return f"{lead}: {shown}"
    if meeting.weight == 0:
        return "weight 0: placing it would not add to the schedule's value"
    if not proven_optimal:
        return (
            "not placed before the time limit; a free slot and table exist, so a longer run or a manual "
            "placement can add it"
        )
    return "left out although a slot and table are free (adding it would not change the optimum)"


def _cap_reason(problem: Problem, view: _ScheduleView, participant: Id, meeting: Meeting) -> str:
    cap = problem.participants[participant].max_meetings
    others = view.meetings_of[participant]
    if all(problem.meetings[m].weight >= meeting.weight for m in others):
        quality = "higher- or equal-weight meetings"
    else:
        quality = "meetings that together give more total weight"
    noun = "meeting" if cap == 1 else "meetings"
    return f"participant {participant!r} reached their cap of {cap} {noun} with {quality} ({_ids(others)})"


def explain_infeasible(problem: Problem) -> list[Unscheduled]:
    """When locked meetings conflict nothing is scheduled; say so for every meeting."""
    reasons: list[Unscheduled] = []
    for meeting in problem.instance.meetings:
        if meeting.id in problem.conflicting:
            reason = "this locked meeting breaks a hard rule (see conflicts); nothing was scheduled"
        else:
            reason = "not scheduled: the locked meetings break the hard rules (see conflicts); fix them first"
        reasons.append(Unscheduled(meeting.id, reason))
    return reasons
