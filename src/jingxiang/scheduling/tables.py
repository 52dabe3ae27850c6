"""Concrete tables for meetings whose slots are decided.

The solver only decides *slots*; tables of equal capacity are interchangeable, so modelling each table
separately would multiply the search space by pointless symmetric copies. Instead the model bounds, per
slot and per size threshold ``k``, the number of meetings with at least ``k`` participants by the number
of free tables seating at least ``k`` (:func:`capacity_thresholds`). This module turns such a slot
choice into tables.

Why it always works: the tables a meeting may use (capacity >= its size) are nested — a larger meeting's
set is contained in a smaller meeting's set. Take the meetings of a slot from largest to smallest. When a
meeting of size ``k`` comes up, every meeting placed before it is at least as large, so each took a table
seating at least ``k``. The model guarantees more tables seating ``k`` than meetings of size ``>= k``
(including this one), so at least one such table is still free. Tables pinned by locked or announced
meetings are removed from the pool before counting, both in the model and here.
"""

from __future__ import annotations

from collections import defaultdict

from jingxiang.scheduling.problem import Problem
from jingxiang.scheduling.records import Assignment, Id, Table


def capacity_thresholds(sizes: set[int], free_tables: list[Table]) -> list[tuple[int, int]]:
    """For each meeting size ``k`` present, the number of free tables seating at least ``k``.

    Only sizes that occur matter: between two occurring sizes the count of larger meetings does not
    change while the count of suitable tables can only shrink, so the occurring size is the tightest.
    """
    return [(size, sum(1 for table in free_tables if table.capacity >= size)) for size in sorted(sizes)]


class TableAssignmentError(RuntimeError):
    """Raised if a slot choice breaks the capacity-threshold counts (a bug, never a user error)."""


def assign_tables(problem: Problem, chosen_slots: dict[Id, int]) -> list[Assignment]:
    """All assignments: fixed meetings at their tables, chosen meetings at a fitting free table.

    Within a slot the largest meetings go first and each takes the smallest free table that seats it
    (ties broken by the instance's table order), keeping big tables for the meetings that need them.
    """
    by_slot: dict[int, list[Id]] = defaultdict(list)
    for meeting_id, slot in chosen_slots.items():
        by_slot[slot].append(meeting_id)
    placed: dict[Id, tuple[int, Id]] = dict(problem.fixed)
    table_order = {table.id: position for position, table in enumerate(problem.instance.tables)}
    for slot, meeting_ids in by_slot.items():
        free = sorted(problem.free_tables(slot), key=lambda table: (table.capacity, table_order[table.id]))
        meeting_ids.sort(key=lambda meeting_id: -problem.size(meeting_id))
        for meeting_id in meeting_ids:
            size = problem.size(meeting_id)
            fitting = next((table for table in free if table.capacity >= size), None)
            if fitting is None:
                raise TableAssignmentError(
                    f"no free table for {meeting_id!r} ({size} people) in slot {problem.slot_ids[slot]!r}"
                )
            free.remove(fitting)
            placed[meeting_id] = (slot, fitting.id)
    return [
        Assignment(
            meeting_id=meeting.id, slot=problem.slot_ids[placed[meeting.id][0]], table=placed[meeting.id][1]
        )
        for meeting in problem.instance.meetings
        if meeting.id in placed
    ]
