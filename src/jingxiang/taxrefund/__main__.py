"""Command line: ``python -m jingxiang.taxrefund evaluate|validate-rules``.

Exit codes: 0 the command did its job (an evaluation was produced, whatever it says; the rules are
valid, possibly with warnings); 2 the input was refused (the errors as JSON on stdout, one line per
error on stderr); 3 an internal error (a bug: the message asks for a report). Never a traceback for
bad input, however odd.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from jingxiang.taxrefund.engine import evaluate
from jingxiang.taxrefund.exact import parse_date
from jingxiang.taxrefund.model import CaseRejectedError, Problem, RulesInvalidError
from jingxiang.taxrefund.rendering import evaluation_text, problems_text
from jingxiang.taxrefund.rules import (
    Rules,
    builtin_rules,
    builtin_rules_text,
    load_rules_text,
    validate_rules_text,
)

EXIT_OK = 0
EXIT_REJECTED = 2
EXIT_INTERNAL = 3
MAX_FILE_BYTES = 5_000_000


class _ReadError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _reject(status: str, problems: Sequence[Problem]) -> int:
    _print_json({"status": status, "errors": [problem.to_dict() for problem in problems]})
    sys.stderr.write(problems_text(problems))
    return EXIT_REJECTED


def _read(path: str) -> str:
    try:
        if path == "-":
            text = sys.stdin.read(MAX_FILE_BYTES + 1)
        else:
            with Path(path).open(encoding="utf-8") as handle:
                text = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, UnicodeDecodeError) as error:
        raise _ReadError(Problem("", f"cannot read {path}: {error}", "io")) from error
    if len(text) > MAX_FILE_BYTES:
        raise _ReadError(Problem("", f"{path} is larger than {MAX_FILE_BYTES} characters", "size"))
    return text


def _rules(path: str | None) -> Rules:
    return builtin_rules() if path is None else load_rules_text(_read(path))


def _evaluate(arguments: argparse.Namespace) -> int:
    as_of = None
    if arguments.as_of is not None:
        try:
            as_of = parse_date(arguments.as_of)
        except ValueError as error:
            return _reject("rejected", [Problem("--as-of", str(error), "date")])
    try:
        rules = _rules(arguments.rules)
        evaluation = evaluate(_read(arguments.case), rules, as_of=as_of)
    except _ReadError as error:
        return _reject("rejected", [error.problem])
    except RulesInvalidError as error:
        return _reject("rules_invalid", error.problems)
    except CaseRejectedError as error:
        return _reject("rejected", error.problems)
    if arguments.text:
        sys.stdout.write(evaluation_text(evaluation, arguments.lang))
    else:
        _print_json(evaluation.to_dict())
    return EXIT_OK


def _validate(arguments: argparse.Namespace) -> int:
    names = arguments.files or ["(built-in)"]
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for name in names:
        try:
            text = builtin_rules_text() if name == "(built-in)" else _read(name)
        except _ReadError as error:
            problems.append(Problem(name, error.problem.message, error.problem.code))
            continue
        for problem in validate_rules_text(text):
            placed = Problem(f"{name}:{problem.path}", problem.message, problem.code, problem.severity)
            (problems if problem.is_error else warnings).append(placed)
    if problems:
        return _reject("invalid", problems + warnings)
    _print_json({"status": "valid", "files": names, "warnings": [problem.to_dict() for problem in warnings]})
    if warnings:
        sys.stderr.write(problems_text(warnings))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m jingxiang.taxrefund", description="镜享 departure tax refund engine (离境退税)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate_command = commands.add_parser("evaluate", help="evaluate a case JSON file ('-' for stdin)")
    evaluate_command.add_argument("case")
    evaluate_command.add_argument("--rules", help="a rules YAML file instead of the built-in one")
    evaluate_command.add_argument("--as-of", help="evaluation date YYYY-MM-DD (default: the case's as_of)")
    evaluate_command.add_argument("--text", action="store_true", help="a readable summary instead of JSON")
    evaluate_command.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of --text")
    evaluate_command.set_defaults(handler=_evaluate)
    validate_command = commands.add_parser(
        "validate-rules", help="validate rules files (default: the built-in one); lists every problem"
    )
    validate_command.add_argument("files", nargs="*")
    validate_command.set_defaults(handler=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        result: int = arguments.handler(arguments)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        sys.stderr.write(
            f"internal error ({type(error).__name__}: {str(error)[:300]}); please report it with the input file\n"
        )
        return EXIT_INTERNAL
    return result


if __name__ == "__main__":
    sys.exit(main())
