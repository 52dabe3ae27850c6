"""Command line: ``python -m jingxiang.wages check|validate|norm|header``.

Exit codes: 0 the command did its job (a report was produced, whatever it says; an agreement is
valid, possibly with warnings); 1 ``check --fail-on-violation`` found violations; 2 the input was
refused (structured errors as JSON on stdout with ``--json``, one line per error on stderr).
No traceback for bad input, however odd.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from jingxiang.wages.agreement import Agreement
from jingxiang.wages.amounts import parse_month
from jingxiang.wages.files import check_file, load_agreement_file, validate_agreement_file
from jingxiang.wages.model import (
    AgreementInvalidError,
    NormUnavailableError,
    Problem,
    RowsRejectedError,
    collector_paused,
)
from jingxiang.wages.reference import find_level, level_names
from jingxiang.wages.rendering import norm_text, problems_text, report_text, warnings_text
from jingxiang.wages.rows import header_text

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_REJECTED = 2
EXIT_INTERNAL = 3


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _reject(arguments: argparse.Namespace, status: str, problems: Sequence[Problem]) -> int:
    if getattr(arguments, "json", False):
        _print_json({"status": status, "errors": [problem.to_dict() for problem in problems]})
    sys.stderr.write(problems_text(problems))
    return EXIT_REJECTED


def _agreement(arguments: argparse.Namespace) -> Agreement:
    return load_agreement_file(arguments.agreement, arguments.minimum)


def _check(arguments: argparse.Namespace) -> int:
    try:
        agreement = _agreement(arguments)
    except AgreementInvalidError as error:
        return _reject(arguments, "agreement_invalid", error.problems)
    try:
        report = check_file(agreement, arguments.wages)
    except RowsRejectedError as error:
        return _reject(arguments, "rejected", error.problems)
    with collector_paused():
        if arguments.json:
            _print_json(report.to_dict(include_passing=arguments.all))
        else:
            sys.stdout.write(report_text(report, arguments.lang))
    if arguments.fail_on_violation and report.failed:
        return EXIT_VIOLATIONS
    return EXIT_OK


def _validate(arguments: argparse.Namespace) -> int:
    try:
        problems = validate_agreement_file(arguments.agreement, arguments.minimum)
    except AgreementInvalidError as error:
        return _reject(arguments, "invalid", error.problems)
    errors = [problem for problem in problems if problem.is_error]
    if errors:
        return _reject(arguments, "invalid", problems)
    if arguments.json:
        _print_json(
            {
                "status": "valid",
                "file": arguments.agreement,
                "warnings": [problem.to_dict() for problem in problems],
            }
        )
    else:
        sys.stdout.write(f"valid: {arguments.agreement}\n")
        lines = warnings_text(problems, "en")
        sys.stdout.write("".join(f"{line}\n" for line in lines))
    return EXIT_OK


def _norm(arguments: argparse.Namespace) -> int:
    try:
        agreement = _agreement(arguments)
    except AgreementInvalidError as error:
        return _reject(arguments, "agreement_invalid", error.problems)
    problems = []
    post = agreement.find_post(arguments.post)
    if post is None:
        known = "、".join(item.name_zh for item in agreement.posts)
        problems.append(
            Problem(
                "post",
                f"post {arguments.post!r} is not in agreement {agreement.id} (posts: {known})",
                "unknown_post",
            )
        )
    level = find_level(arguments.level)
    if level is None:
        problems.append(
            Problem(
                "level",
                f"unknown skill level {arguments.level!r} (levels: {'、'.join(level_names())})",
                "unknown_level",
            )
        )
    try:
        month = parse_month(arguments.month)
    except ValueError as error:
        problems.append(Problem("month", str(error), "month"))
    try:
        _, tier = agreement.resolve_tier(arguments.region)
    except NormUnavailableError as error:
        problems += error.problems
    if problems:
        return _reject(arguments, "rejected", problems)
    assert post is not None and level is not None
    try:
        norm = agreement.norm(post, level, month, tier)
    except NormUnavailableError as error:
        return _reject(arguments, "rejected", error.problems)
    if arguments.json:
        data: dict[str, Any] = {"status": "ok", **norm.to_dict()}
        _print_json(data)
    else:
        sys.stdout.write(norm_text(norm, agreement, arguments.lang))
    return EXIT_OK


def _header(arguments: argparse.Namespace) -> int:
    sys.stdout.write(header_text() + "\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m jingxiang.wages", description="镜享 skill-level wage engine"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument("agreement", help="agreement YAML file")
        command.add_argument(
            "--minimum", help="statutory minimum-wage table YAML (default: the one the agreement names)"
        )
        command.add_argument("--json", action="store_true", help="JSON on stdout")

    check = commands.add_parser("check", help="check a wage file (.csv or .xlsx) against an agreement")
    common(check)
    check.add_argument("wages", help="wage rows, .csv or .xlsx (header: see `header`)")
    check.add_argument("--all", action="store_true", help="with --json, include passing rows too")
    check.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the text report")
    check.add_argument("--fail-on-violation", action="store_true", help="exit 1 when any row fails")
    check.set_defaults(handler=_check)

    validate = commands.add_parser("validate", help="validate an agreement; lists every problem")
    common(validate)
    validate.set_defaults(handler=_validate)

    norm = commands.add_parser("norm", help="the norm for a post, level, region and month")
    common(norm)
    norm.add_argument("--post", required=True)
    norm.add_argument("--level", required=True, help="certified level, e.g. 中级工 or intermediate or 四级")
    norm.add_argument("--month", required=True, help="YYYY-MM")
    norm.add_argument("--region", help="region name or tier (default: the agreement's)")
    norm.add_argument("--lang", choices=("zh", "en"), default="zh")
    norm.set_defaults(handler=_norm)

    header = commands.add_parser("header", help="print the documented CSV header (the template's first row)")
    header.set_defaults(handler=_header)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        result: int = arguments.handler(arguments)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        sys.stderr.write(
            f"internal error ({type(error).__name__}: {error}); please report it with the input files\n"
        )
        return EXIT_INTERNAL
    return result


if __name__ == "__main__":
    sys.exit(main())
