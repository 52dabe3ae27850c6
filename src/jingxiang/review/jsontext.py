"""Reading JSON text so that every failure is a message with a line, never a traceback.

``json.loads`` alone fails badly on three kinds of hostile or broken files: integers with thousands
of digits (``ValueError`` about ``int_max_str_digits``), floats beyond the double range (silently
``inf``) and ``NaN``/``Infinity`` literals (accepted), and deep nesting (``RecursionError``). Here
such numbers become :class:`UnusableNumber` placeholders that the field checks reject with the field's
name, and deep nesting becomes a problem on the line where it starts.

Field checks report paths (``reviewers[3].max_load``); :func:`locate_lines` maps those paths back to
line numbers, re-scanning the text only when there is something to report.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Iterable
from typing import Any

from jingxiang.review.records import InputError, Problem

PathKey = str | int
Path = tuple[PathKey, ...]

# The review formats nest four levels at most; anything far deeper is not one of them.
MAX_DEPTH = 64
MAX_INT_DIGITS = 30
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


class UnusableNumber:
    """A number in the file that cannot be used: too many digits, beyond float range, or NaN/Infinity."""

    def __init__(self, text: str, why: str) -> None:
        self.text, self.why = text, why

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 24 else f"{self.text[:12]}…({len(self.text):,} characters)"
        return f"{shown} ({self.why})"


def _parse_int(text: str) -> int | UnusableNumber:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        return UnusableNumber(text, f"an integer of {digits:,} digits is far too large")
    return int(text)


def _parse_float(text: str) -> float | UnusableNumber:
    value = float(text)
    if not math.isfinite(value):
        return UnusableNumber(text, "beyond the range of numbers")
    return value


def _parse_constant(text: str) -> UnusableNumber:
    return UnusableNumber(text, "not a number JSON allows")


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
    return repr(value)


def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in re.finditer("\n", text)]


def _depth_problem(text: str, source: str) -> Problem:
    """Where the nesting first goes deeper than :data:`MAX_DEPTH` (scanned without recursion)."""
    starts = _line_starts(text)
    depth = 0
    for match in _TOKEN.finditer(text):
        piece = match.group()
        if piece in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = bisect.bisect_right(starts, match.start())
                return Problem(
                    "",
                    f"{source}: nested more than {MAX_DEPTH} levels deep; review files need at most 4",
                    line,
                )
        elif piece in "]}":
            depth -= 1
    return Problem("", f"{source}: nested too deeply")


def parse_json_text(text: str, source: str = "input") -> Any:
    """Parse ``text`` or raise :class:`InputError` with the line and column of the syntax error."""
    try:
        return json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
        )
    except json.JSONDecodeError as error:
        raise InputError(
            [Problem("", f"{source} is not valid JSON: {error.msg} (column {error.colno})", error.lineno)]
        ) from None
    except RecursionError:
        raise InputError([_depth_problem(text, source)]) from None


def locate_lines(text: str, paths: Iterable[Path]) -> dict[Path, int]:
    """The line on which the value at each path starts (for an object key: where the key is).

    The text has already been parsed successfully, so the scan can be a plain piece loop with an
    explicit stack - no recursion, whatever the nesting.
    """
    wanted = set(paths)
    if not wanted:
        return {}
    starts = _line_starts(text)
    found: dict[Path, int] = {}
    # Each frame: [is_object, current key or index, expecting a key]
    stack: list[list[Any]] = []
    for match in _TOKEN.finditer(text):
        piece = match.group()
        frame = stack[-1] if stack else None
        if frame is not None and frame[0] and frame[2] and piece.startswith('"'):
            frame[1], frame[2] = json.loads(piece), False
            path = tuple(f[1] for f in stack)
            if path in wanted and path not in found:
                found[path] = bisect.bisect_right(starts, match.start())
            continue
        if piece == ":":
            continue
        if piece == ",":
            if frame is not None:
                if frame[0]:
                    frame[2] = True
                else:
                    frame[1] += 1
            continue
        if piece in "]}":
            stack.pop()
            continue
        path = tuple(f[1] for f in stack)
        if path in wanted and path not in found:
            found[path] = bisect.bisect_right(starts, match.start())
        if piece == "{":
            stack.append([True, None, True])
        elif piece == "[":
            stack.append([False, 0, False])
    return found


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
