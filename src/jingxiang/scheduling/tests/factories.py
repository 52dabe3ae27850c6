"""Small instance builders for the scheduler tests, in the JSON form the command line reads."""

from __future__ import annotations

from typing import Any


def instance_json(
    slots: int,
    tables: list[int],
    participants: dict[str, tuple[list[int], int]],
    meetings: list[tuple[str, list[str], float]],
    locked: dict[str, tuple[int, int]] | None = None,
) -> dict[str, Any]:
    """Slots ``s0..``, tables ``t0..`` with the given capacities, participants as (slot numbers, cap)."""
    locked = locked or {}
    return {
        "slots": [{"id": f"s{number}"} for number in range(slots)],
        "tables": [{"id": f"t{number}", "capacity": capacity} for number, capacity in enumerate(tables)],
        "participants": [
            {"id": name, "available_slots": [f"s{n}" for n in present], "max_meetings": cap}
            for name, (present, cap) in participants.items()
        ],
        "meetings": [
            {
                "id": meeting_id,
                "participants": list(members),
                "weight": weight,
                "locked": None
                if meeting_id not in locked
                else {"slot": f"s{locked[meeting_id][0]}", "table": f"t{locked[meeting_id][1]}"},
            }
            for meeting_id, members, weight in meetings
        ],
    }
