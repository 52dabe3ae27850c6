"""Command line: ``python -m jingxiang.quality judge|validate-rules|list``.

Exit codes: 0 the command did its job (a verdict was produced, whatever it says; a rules file is
valid); 2 the input was rejected (structured errors on stdout as JSON, a summary on stderr).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from jingxiang.quality.engine import describe_document, item_catalogue, judge, product_types
from jingxiang.quality.model import CaseRejectedError, Problem
from jingxiang.quality.rules import (
    RuleRegistry,
    RulesInvalidError,
    load_rules_document,
    normalise_designation,
    validate_rules_text,
)

EXIT_OK = 0
EXIT_REJECTED = 2


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _reject(status: str, problems: Sequence[Problem]) -> int:
    _print_json({"status": status, "errors": [problem.to_dict() for problem in problems]})
    for problem in problems:
        sys.stderr.write(f"error: {problem.path or '/'}: {problem.message}\n")
    return EXIT_REJECTED


def _read(path: str) -> str:
    return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")


def _registry(extra_rules: Sequence[str]) -> RuleRegistry:
    registry = RuleRegistry.builtin()
    if extra_rules:
        registry = registry.with_documents((path, _read(path)) for path in extra_rules)
    return registry


def _judge(arguments: argparse.Namespace) -> int:
    try:
        text = _read(arguments.case)
    except (OSError, UnicodeDecodeError) as error:
        return _reject("rejected", [Problem("", f"cannot read {arguments.case}: {error}", "io")])
    try:
        registry = _registry(arguments.rules)
        verdict = judge(text, registry)
    except RulesInvalidError as error:
        return _reject("rules_invalid", error.problems)
    except CaseRejectedError as error:
        return _reject("rejected", error.problems)
    except OSError as error:
        return _reject("rejected", [Problem("", str(error), "io")])
    _print_json(verdict.to_dict())
    return EXIT_OK


def _validate(arguments: argparse.Namespace) -> int:
    problems: list[Problem] = []
    for path in arguments.files:
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(path, f"cannot read: {error}", "io"))
            continue
        problems += [
            Problem(f"{path}:{problem.path}", problem.message, problem.code)
            for problem in validate_rules_text(text, path)
        ]
    if not problems:
        # Also check the files against the built-in editions (overlapping periods in a series),
        # leaving out a built-in edition that a file re-declares: that file would replace it.
        documents = [load_rules_document(_read(path), path) for path in arguments.files]
        replaced = {normalise_designation(document.designation) for document in documents}
        kept = [
            document
            for document in RuleRegistry.builtin().documents
            if normalise_designation(document.designation) not in replaced
        ]
        try:
            RuleRegistry([*kept, *documents])
        except RulesInvalidError as error:
            problems = error.problems
    if problems:
        return _reject("invalid", problems)
    _print_json({"status": "valid", "files": list(arguments.files)})
    return EXIT_OK


def _list(arguments: argparse.Namespace) -> int:
    try:
        registry = _registry(arguments.rules)
    except RulesInvalidError as error:
        return _reject("rules_invalid", error.problems)
    except OSError as error:
        return _reject("rejected", [Problem("", str(error), "io")])
    documents = registry.documents
    if arguments.product_type:
        documents = tuple(
            document for document in documents if arguments.product_type in document.product_types
        )
    if arguments.on:
        try:
            day = datetime.date.fromisoformat(arguments.on)
        except ValueError:
            return _reject("rejected", [Problem("--on", "write the date as YYYY-MM-DD", "date")])
        documents = tuple(document for document in documents if document.in_force_on(day))
    listing = []
    for document in documents:
        entry = describe_document(document)
        entry["catalogue"] = {
            product_type.value: [
                item.to_dict() for item in item_catalogue(product_type, document.designation, registry)
            ]
            for product_type in sorted(document.product_types)
        }
        listing.append(entry)
    _print_json({"product_types": product_types(), "standards": listing})
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m jingxiang.quality", description="镜享 eyewear conformance engine"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    judge_command = commands.add_parser(
        "judge", help="judge a case JSON file ('-' for stdin); verdict JSON on stdout"
    )
    judge_command.add_argument("case")
    judge_command.add_argument("--rules", action="append", default=[], help="extra rules file (repeatable)")
    judge_command.set_defaults(handler=_judge)
    validate_command = commands.add_parser("validate-rules", help="validate rules files; lists every error")
    validate_command.add_argument("files", nargs="+")
    validate_command.set_defaults(handler=_validate)
    list_command = commands.add_parser("list", help="standards, editions, product types and item catalogues")
    list_command.add_argument("--product-type")
    list_command.add_argument("--on", help="only editions in force on this date (YYYY-MM-DD)")
    list_command.add_argument("--rules", action="append", default=[], help="extra rules file (repeatable)")
    list_command.set_defaults(handler=_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    result: int = arguments.handler(arguments)
    return result


if __name__ == "__main__":
    sys.exit(main())
