"""Reading the rules YAML exactly and checking data against the JSON Schemas shipped next to the code."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml

from jingxiang.taxrefund.exact import shown
from jingxiang.taxrefund.model import Problem

# A schema message quotes the offending value; a 100,000-digit number must not become the message.
_MESSAGE_LIMIT = 300


class _ExactLoader(yaml.SafeLoader):
    """YAML loader that keeps decimals exact and dates as text, and refuses aliases.

    PyYAML would read ``0.11`` as a binary float and ``2025-04-27`` as a ``date``; the first breaks
    the fen edges, the second does not fit JSON Schema's string type. Aliases (``*x``) are refused:
    rules files can be uploaded, nested aliases make a "billion laughs" document, and no rules
    file needs them.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML's parser is untyped
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not accepted: write the values out", event.start_mark
            )
        return super().compose_node(parent, index)


def _construct_exact_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(f"{shown(text)} is not a number") from error
    if not value.is_finite():
        raise ValueError(f"{shown(text)} is not a finite number")
    return value


def _construct_plain_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _construct_exact_float)
_ExactLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_plain_text)


def parse_yaml(text: str) -> tuple[Any, list[Problem]]:
    """Parse YAML (JSON is valid YAML) into plain data; a syntax error becomes a problem."""
    try:
        data = yaml.load(text, Loader=_ExactLoader)  # noqa: S506 - _ExactLoader derives from SafeLoader
    except yaml.YAMLError as error:
        return None, [Problem("", f"not valid YAML: {_cut(str(error))}", "syntax")]
    except (ValueError, ArithmeticError, RecursionError) as error:
        return None, [Problem("", f"not valid YAML: {_cut(str(error))}", "syntax")]
    if not isinstance(data, dict):
        return None, [Problem("", "a rules file must be a mapping at the top level", "syntax")]
    return data, []


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(read_resource(name))
    return loaded


def json_path(parts: Any) -> str:
    return "".join(f"/{part}" for part in parts)


def _cut(message: str) -> str:
    return message if len(message) <= _MESSAGE_LIMIT else message[: _MESSAGE_LIMIT - 1] + "…"


def schema_problems(data: Any, schema_name: str) -> list[Problem]:
    """Every schema violation, sorted by place, each as a problem with its JSON path.

    Where several branches of a combined schema fail at one place, each is reported; duplicates
    (same place, same message) are dropped.
    """
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    seen: set[tuple[str, str]] = set()
    problems = []
    try:
        errors = sorted(validator.iter_errors(data), key=lambda err: list(map(str, err.absolute_path)))
    except RecursionError:
        return [Problem("", "the data is nested too deeply", "nesting")]
    for error in errors:
        key = (json_path(error.absolute_path), _cut(error.message))
        if key not in seen:
            seen.add(key)
            problems.append(Problem(key[0], key[1], "schema"))
    return problems


def read_resource(*parts: str) -> str:
    path = resources.files("jingxiang.taxrefund")
    for part in parts:
        path = path.joinpath(part)
    return path.read_text(encoding="utf-8")
