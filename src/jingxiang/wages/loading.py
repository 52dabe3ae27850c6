"""Reading the engine's YAML data files exactly and checking them against their JSON Schemas."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml

from jingxiang.wages.model import Problem


class _ExactLoader(yaml.SafeLoader):
    """YAML loader that keeps decimals exact and dates as text, and refuses aliases.

    PyYAML would turn ``2373.10`` into a binary float and ``2025-07-01`` into a ``date``; the first
    breaks the one-fen edges, the second does not fit JSON Schema's string type. Aliases (``*x``)
    are refused because agreements are uploaded: a few nested aliases make a "billion laughs"
    document that validation would walk for ever, and no agreement needs them.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML's parser is untyped
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not accepted: write the values out", event.start_mark
            )
        return super().compose_node(parent, index)


def _construct_exact_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))


def _construct_plain_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _construct_exact_float)
_ExactLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_plain_text)


def parse_yaml(text: str, what: str) -> tuple[Any, list[Problem]]:
    """Parse YAML (JSON is valid YAML) into plain data; a syntax error becomes a problem."""
    try:
        data = yaml.load(text, Loader=_ExactLoader)  # noqa: S506 - _ExactLoader derives from SafeLoader
    except yaml.YAMLError as error:
        return None, [Problem("", f"not valid YAML: {error}", "syntax")]
    except (ValueError, ArithmeticError) as error:  # e.g. a float literal Decimal cannot read
        return None, [Problem("", f"not valid YAML: {error}", "syntax")]
    if not isinstance(data, dict):
        return None, [Problem("", f"{what} must be a mapping at the top level", "syntax")]
    return data, []


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped next to the code."""
    text = resources.files("jingxiang.wages").joinpath(name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def json_path(parts: Iterable[object]) -> str:
    return "/" + "/".join(str(part) for part in parts)


def schema_problems(data: Any, schema_name: str) -> list[Problem]:
    """Every schema violation, sorted by place, each as a problem with its JSON path."""
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    errors = sorted(validator.iter_errors(data), key=lambda err: list(map(str, err.absolute_path)))
    return [Problem(json_path(error.absolute_path), error.message, "schema") for error in errors]


def read_resource(*parts: str) -> str:
    path = resources.files("jingxiang.wages")
    for part in parts:
        path = path.joinpath(part)
    return path.read_text(encoding="utf-8")
