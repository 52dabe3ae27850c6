"""Command line: ``python -m jingxiang.review {assign,score,validate} ...``.

Input is a JSON file, or standard input when the file is ``-`` or left out; the result is JSON on
standard output. Exit codes: 0 success (an assignment may still leave submissions uncovered: they are
in the result with their reasons and summarised on stderr); 1 ``validate`` found violations; 2 bad
input - every problem is listed on stderr with its line and field, nothing goes to stdout; 3 a result
failed the independent validator (a bug: nothing is published).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from jingxiang.review.formats import (
    assign_instance_from_json,
    assign_result_to_json,
    score_instance_from_json,
    score_result_to_json,
)
from jingxiang.review.greedy import greedy_assign
from jingxiang.review.jsontext import parse_json_text, with_lines
from jingxiang.review.records import InputError, Problem
from jingxiang.review.scoring import score
from jingxiang.review.solver import assign
from jingxiang.review.validator import validate

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT, EXIT_SELF_CHECK_FAILED = 0, 1, 2, 3
T = TypeVar("T")


def _read_text(path: str) -> tuple[str, str]:
    """The file's text and how to name it in messages; a byte-order mark is tolerated (Excel exports)."""
    source = "standard input" if path == "-" else path
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as error:
        raise InputError([Problem("", f"cannot read {source}: {error.strerror or error}")]) from None
    try:
        return raw.decode("utf-8-sig"), source
    except UnicodeDecodeError as error:
        raise InputError([Problem("", f"{source} is not UTF-8 text (byte {error.start})")]) from None


def _load(path: str, build: Callable[[Any], T]) -> tuple[Any, T]:
    """Read, parse and build; problems come back with line numbers."""
    text, source = _read_text(path)
    data = parse_json_text(text, source)
    try:
        return data, build(data)
    except InputError as error:
        raise with_lines(error, text) from None


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _report(error: InputError) -> int:
    count = len(error.problems)
    print(f"error: the input has {count} problem{'' if count == 1 else 's'}:", file=sys.stderr)
    for problem in error.problems:
        print(f"- {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m jingxiang.review", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    assign_command = commands.add_parser("assign", help="assign reviewers to submissions, JSON on stdout")
    assign_command.add_argument(
        "input", nargs="?", default="-", help="instance JSON file ('-' or none: stdin)"
    )
    assign_command.add_argument(
        "--greedy", choices=("fit", "load"), help="use the greedy baseline (best fit / least loaded first)"
    )
    assign_command.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS")
    assign_command.add_argument("--workers", type=int, default=2, help="CP-SAT workers, default 2")
    assign_command.add_argument("--seed", type=int, default=0)
    score_command = commands.add_parser("score", help="normalise and rank scores, JSON on stdout")
    score_command.add_argument("input", nargs="?", default="-", help="scores JSON file ('-' or none: stdin)")
    validate_command = commands.add_parser("validate", help="check an assignment result against its instance")
    validate_command.add_argument("instance")
    validate_command.add_argument("result")
    return parser


def _assign(arguments: argparse.Namespace) -> int:
    if arguments.time_limit <= 0 or arguments.workers < 1:
        return _report(InputError([Problem("options", "--time-limit must be > 0 and --workers >= 1")]))
    data, instance = _load(arguments.input, assign_instance_from_json)
    if arguments.greedy:
        result = greedy_assign(instance, pick=arguments.greedy)
    else:
        result = assign(
            instance, time_limit_seconds=arguments.time_limit, workers=arguments.workers, seed=arguments.seed
        )
    output = assign_result_to_json(result)
    violations = validate(data, output)
    if violations:
        for violation in violations:
            print(f"self-check failed: {violation.kind}: {violation.message}", file=sys.stderr)
        return EXIT_SELF_CHECK_FAILED
    _print_json(output)
    if result.uncovered:
        print(f"warning: {len(result.uncovered)} submission(s) could not be covered:", file=sys.stderr)
        for item in result.uncovered:
            print(f"- {item.submission!r}: {item.reason}", file=sys.stderr)
    return EXIT_OK


def _score(arguments: argparse.Namespace) -> int:
    _data, instance = _load(arguments.input, score_instance_from_json)
    _print_json(score_result_to_json(score(instance)))
    return EXIT_OK


def _validate(arguments: argparse.Namespace) -> int:
    instance_text, instance_source = _read_text(arguments.instance)
    result_text, result_source = _read_text(arguments.result)
    violations = validate(
        parse_json_text(instance_text, instance_source), parse_json_text(result_text, result_source)
    )
    for violation in violations:
        print(f"{violation.kind}: {violation.message}")
    if violations:
        print(f"{len(violations)} violation(s)", file=sys.stderr)
        return EXIT_VIOLATIONS
    print("valid: the assignment obeys every hard rule", file=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m jingxiang.review``."""
    arguments = _parser().parse_args(argv)
    command = {"assign": _assign, "score": _score, "validate": _validate}[arguments.command]
    try:
        return command(arguments)
    except InputError as error:
        return _report(error)


if __name__ == "__main__":
    sys.exit(main())
