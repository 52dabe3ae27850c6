"""Meeting scheduler for matchmaking events (需求对接会), issue 5.

Plain Python without Django, so the web app's background task, the command line and the benchmark all
call the same code. The public API:

* :func:`instance_from_json` / :func:`schedule_to_json` convert the JSON formats of the issue;
* :func:`solve` finds a schedule of greatest weight, then fewest idle gaps, with a proven bound;
* :func:`greedy_schedule` is the first-fit baseline event tools use;
* :func:`validate` re-checks a schedule independently before it is published.
"""

from jingxiang.scheduling.cpsat import Progress, solve
from jingxiang.scheduling.formats import (
    announced_from_schedule_json,
    instance_from_json,
    instance_to_json,
    schedule_to_json,
)
from jingxiang.scheduling.greedy import greedy_schedule
from jingxiang.scheduling.records import (
    Assignment,
    Instance,
    InstanceError,
    Meeting,
    Participant,
    Placement,
    Released,
    Schedule,
    Slot,
    Table,
    Unscheduled,
)
from jingxiang.scheduling.validator import Violation, validate


def validate_schedule(instance: Instance, schedule: Schedule) -> list[Violation]:
    """Typed convenience over :func:`validate`: both sides go through their JSON form first."""
    return validate(instance_to_json(instance), schedule_to_json(schedule))


__all__ = [
    "Assignment",
    "Instance",
    "InstanceError",
    "Meeting",
    "Participant",
    "Placement",
    "Progress",
    "Released",
    "Schedule",
    "Slot",
    "Table",
    "Unscheduled",
    "Violation",
    "announced_from_schedule_json",
    "greedy_schedule",
    "instance_from_json",
    "instance_to_json",
    "schedule_to_json",
    "solve",
    "validate",
    "validate_schedule",
]
