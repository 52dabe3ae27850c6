"""Reading JSON text so that every failure is a message with a line, never a traceback.

The text is read by the engines' one strict reader, :func:`jingxiang.strictjson.loads`: integers and
floats too large for a double, ``NaN``/``Infinity`` and nesting deeper than 64 levels are decode errors
like any syntax error, reported with their line and column (and, for a number, the field it is in).

Field checks report paths (``reviewers[3].max_load``); :func:`locate_lines` maps those paths back to
line numbers, re-scanning the text only when there is something to report.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from jingxiang import strictjson
from jingxiang.review.records import InputError, Problem

PathKey = strictjson.PathKey
Path = strictjson.Path
_SHOWN_BITS = 200  # about 60 digits: longer numbers are described, not printed


def path_text(path: Path) -> str:
    """``("reviewers", 3, "max_load")`` → ``reviewers[3].max_load``."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def show(value: object) -> str:
    """A short description of a value for an error message (never the repr of a whole structure)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if isinstance(value, int) and value.bit_length() > _SHOWN_BITS:
        # Never str() such a number: past 4,300 digits Python refuses to, and the message would be huge.
        return f"a whole number of about {round(value.bit_length() * math.log10(2)):,} digits"
    return repr(value)


def parse_json_text(text: str, source: str = "input") -> Any:
    """Parse ``text`` or raise :class:`InputError` with the line and column of the problem."""
    try:
        return strictjson.loads(text)
    except json.JSONDecodeError as error:
        path = error.path if isinstance(error, strictjson.StrictJsonError) else None
        raise InputError(
            [
                Problem(
                    path_text(path) if path else "",
                    f"{source} is not valid JSON: {error.msg} (column {error.colno})",
                    error.lineno,
                )
            ]
        ) from None


def locate_lines(text: str, paths: Iterable[Path]) -> dict[Path, int]:
    """The line on which the value at each path starts (for an object key: where the key is)."""
    return strictjson.lines_of(text, strictjson.locate(text, paths))


class Collector:
    """Collects problems with their paths while a parser walks the input."""

    def __init__(self) -> None:
        self.problems: list[tuple[Path, str]] = []

    def add(self, path: Path, message: str) -> None:
        self.problems.append((path, message))

    def __len__(self) -> int:
        return len(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise PathedInputError(self)

    def paths(self) -> list[Path]:
        return [path for path, _message in self.problems]


class PathedInputError(InputError):
    """An :class:`InputError` that still knows the raw paths, so the command line can add lines."""

    def __init__(self, collector: Collector) -> None:
        self.paths = collector.paths()
        super().__init__([Problem(path_text(path), message) for path, message in collector.problems])


def with_lines(error: InputError, text: str) -> InputError:
    """The same problems with line numbers, looked up in ``text`` (only for errors that know paths)."""
    if not isinstance(error, PathedInputError):
        return error
    lines = locate_lines(text, _with_parents(error.paths))
    problems = []
    for path, problem in zip(error.paths, error.problems, strict=True):
        line = None
        for length in range(len(path), -1, -1):
            line = lines.get(path[:length])
            if line is not None:
                break
        problems.append(Problem(problem.path, problem.message, line))
    return InputError(problems)


def _with_parents(paths: Iterable[Path]) -> set[Path]:
    """A missing field has no line of its own; its parent object's line is the next best."""
    result: set[Path] = set()
    for path in paths:
        result.update(path[:length] for length in range(len(path) + 1))
    return result
