"""Command line: ``python -m jingxiang.scheduling {solve,greedy,validate} ...``.

Exit codes: 0 success; 1 the validator found violations; 2 bad input (unreadable file, malformed
instance, or locked meetings that conflict, in which case the infeasible result still goes to stdout);
3 a produced schedule failed the independent validator (a bug; nothing should publish it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jingxiang import strictjson
from jingxiang.scheduling.cpsat import solve
from jingxiang.scheduling.formats import (
    announced_from_schedule_json,
    instance_from_json,
    instance_to_json,
    schedule_to_json,
)
from jingxiang.scheduling.greedy import greedy_schedule
from jingxiang.scheduling.records import Instance, InstanceError, Schedule
from jingxiang.scheduling.validator import validate

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT, EXIT_SELF_CHECK_FAILED = 0, 1, 2, 3


class _InputError(Exception):
    """A file that cannot be read as JSON; reported in one line instead of a traceback."""


def _read_json(path: str) -> Any:
    try:
        return strictjson.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise _InputError(f"cannot read {path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _InputError(f"{path} is not valid JSON: {error}") from error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m jingxiang.scheduling", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    solve_command = commands.add_parser("solve", help="optimal schedule with CP-SAT, JSON on stdout")
    solve_command.add_argument("instance")
    solve_command.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS")
    solve_command.add_argument("--workers", type=int, default=2, help="CP-SAT workers (cores), default 2")
    solve_command.add_argument("--seed", type=int, default=0)
    solve_command.add_argument(
        "--gap", type=float, default=0.0, metavar="FRACTION", help="stop once within this relative gap"
    )
    solve_command.add_argument(
        "--previous", metavar="SCHEDULE", help="published schedule whose assignments stay where they are"
    )
    greedy_command = commands.add_parser("greedy", help="first-fit baseline, JSON on stdout")
    greedy_command.add_argument("instance")
    greedy_command.add_argument("--order", choices=("input", "weight"), default="input")
    greedy_command.add_argument("--previous", metavar="SCHEDULE")
    validate_command = commands.add_parser("validate", help="check a schedule against its instance")
    validate_command.add_argument("instance")
    validate_command.add_argument("schedule")
    return parser


def _load_instance(arguments: argparse.Namespace) -> Instance:
    instance = instance_from_json(_read_json(arguments.instance))
    if arguments.previous:
        previous = announced_from_schedule_json(_read_json(arguments.previous))
        kept = {assignment.meeting_id for assignment in instance.announced}
        extra = tuple(assignment for assignment in previous if assignment.meeting_id not in kept)
        instance = Instance(
            instance.slots,
            instance.tables,
            instance.participants,
            instance.meetings,
            instance.announced + extra,
        )
    return instance


def _publish(instance: Instance, schedule: Schedule) -> int:
    """Print the schedule, but only after the independent validator agrees with it."""
    result = schedule_to_json(schedule)
    violations = validate(instance_to_json(instance), result)
    if violations:
        for violation in violations:
            print(f"self-check failed: {violation.kind}: {violation.message}", file=sys.stderr)
        return EXIT_SELF_CHECK_FAILED
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    if schedule.status == "infeasible":
        print("infeasible: the locked meetings cannot all be kept:", file=sys.stderr)
        for conflict in schedule.conflicts:
            print(f"- {conflict}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m jingxiang.scheduling`` and the ``jingxiang-schedule`` script."""
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command == "validate":
            violations = validate(_read_json(arguments.instance), _read_json(arguments.schedule))
            for violation in violations:
                print(f"{violation.kind}: {violation.message}")
            if violations:
                print(f"{len(violations)} violation(s)", file=sys.stderr)
                return EXIT_VIOLATIONS
            print("valid: the schedule obeys every hard rule", file=sys.stderr)
            return EXIT_OK
        instance = _load_instance(arguments)
    except _InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InstanceError as error:
        print(f"error: the instance has {len(error.errors)} problem(s):", file=sys.stderr)
        for problem in error.errors:
            print(f"- {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if arguments.command == "solve":
        if arguments.time_limit <= 0 or arguments.workers < 1 or not 0 <= arguments.gap < 1:
            print("error: --time-limit must be > 0, --workers >= 1 and 0 <= --gap < 1", file=sys.stderr)
            return EXIT_BAD_INPUT
        schedule = solve(
            instance,
            time_limit_seconds=arguments.time_limit,
            workers=arguments.workers,
            seed=arguments.seed,
            relative_gap_limit=arguments.gap,
        )
    else:
        schedule = greedy_schedule(instance, order=arguments.order)
    return _publish(instance, schedule)


if __name__ == "__main__":
    sys.exit(main())
