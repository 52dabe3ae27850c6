"""Strict JSON for every engine's input (matching, scheduling, quality, review, tax refund): pure Python,
no Django. The engines read their JSON with :func:`loads` and nothing else.

Python's ``json`` reads ``1e400`` as infinity, ``NaN`` and ``Infinity`` as floats, a 5,000-digit
integer as a ``ValueError`` of its own, and 100,000 nested lists as a ``RecursionError``; none of these
is a number or a document an engine can work with, and the last two end the command line in a
traceback. ``loads`` refuses all of them as decode errors: ``StrictJsonError`` is a
``json.JSONDecodeError`` with the line and column of the offending token, so each caller reports it
exactly like any other malformed input. The error also says what was refused (``kind``) and, for a
number or a repeated key, the path of the value (``path``), so an engine can report it at its field.
:func:`locate` maps paths back to offsets in the text (line numbers for field checks' messages).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Literal

MAX_DEPTH = 64
"""Far deeper than any engine format (four or five levels), far shallower than Python's recursion limit."""
MAX_EXPONENT = 308
"""Numbers must stay below 10**309: a double holds about 1.8e308, and nothing the engines measure or count
comes anywhere near it."""

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|NaN|-?Infinity')
# Every piece of a document: strings, punctuation, and bare literals (numbers, true, false, null).
_PIECE = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')

PathKey = str | int
Path = tuple[PathKey, ...]
Kind = Literal["number", "depth", "duplicate"]


class StrictJsonError(json.JSONDecodeError):
    """A document Python's parser would accept or crash on, refused with a position.

    ``kind`` is what was refused: ``"number"`` (too large for a double, NaN, Infinity), ``"depth"`` or
    ``"duplicate"`` (a key twice in one object, refused only with ``unique_keys``); ``path`` is where
    in the document the refused number or key is (``("reviewers", 0, "max_load")``), else ``None``.
    """

    def __init__(self, msg: str, doc: str, pos: int, *, kind: Kind, path: Path | None = None) -> None:
        super().__init__(msg, doc, pos)
        self.kind = kind
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.msg, self.doc, self.pos, self.kind, self.path))


def _rebuild(msg: str, doc: str, pos: int, kind: Kind, path: Path | None) -> StrictJsonError:
    return StrictJsonError(msg, doc, pos, kind=kind, path=path)


class _Refused(Exception):
    def __init__(self, literal: str, message: str) -> None:
        super().__init__(message)
        self.literal = literal
        self.message = message


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _shown(literal: str) -> str:
    return literal if len(literal) <= 24 else f"{literal[:12]}…({len(literal)} characters)"


def _too_large(literal: str) -> _Refused:
    return _Refused(literal, f"number too large to represent: {_shown(literal)}")


def _integer(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_EXPONENT:
        raise _too_large(literal)
    return int(literal)


def _exact_integer(literal: str) -> Decimal:
    return Decimal(_integer(literal))


def _float(literal: str) -> float:
    value = float(literal)
    if value in (float("inf"), float("-inf")):
        raise _too_large(literal)
    return value


def _exact_float(literal: str) -> Decimal:
    value = Decimal(literal)
    if value and value.adjusted() > MAX_EXPONENT:
        raise _too_large(literal)
    return value


def _constant(literal: str) -> Any:
    raise _Refused(literal, f"{literal} is not a JSON number")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _Duplicate(key)
        data[key] = value
    return data


def loads(text: str, *, exact: bool = False, max_depth: int = MAX_DEPTH, unique_keys: bool = False) -> Any:
    """Parse one JSON document; numbers become ``int``/``float``, or ``Decimal`` with ``exact``.

    With ``unique_keys`` a key given twice in one object is refused (JSON would keep the last value
    silently). Raises ``json.JSONDecodeError`` (``StrictJsonError`` for what only this function refuses).
    """
    try:
        value = json.loads(
            text,
            parse_int=_exact_integer if exact else _integer,
            parse_float=_exact_float if exact else _float,
            parse_constant=_constant,
            object_pairs_hook=_unique if unique_keys else None,
        )
    except _Refused as refusal:
        position = _literal_position(text, refusal.literal)
        raise StrictJsonError(
            refusal.message, text, position, kind="number", path=path_at(text, position)
        ) from None
    except _Duplicate as duplicate:
        position, path = _duplicate_position(text)
        raise StrictJsonError(
            f"the key {_shown(json.dumps(duplicate.key, ensure_ascii=False))} appears twice in one object",
            text,
            position,
            kind="duplicate",
            path=path,
        ) from None
    except RecursionError:
        value = None
        too_deep = True
    else:
        too_deep = depth(value) > max_depth
    if too_deep:
        raise StrictJsonError(
            f"nested deeper than {max_depth} levels", text, _depth_position(text, max_depth), kind="depth"
        )
    return value


def depth(value: Any) -> int:
    """How deeply lists and objects nest (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def _literal_position(text: str, literal: str) -> int:
    """Where the refused literal is: the first such token outside strings (the parser met it first)."""
    for token in _TOKEN.finditer(text):
        if token.group() == literal:
            return token.start()
    return 0


def _depth_position(text: str, max_depth: int) -> int:
    level = 0
    for token in _TOKEN.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            level += 1
            if level > max_depth:
                return token.start()
        elif bracket in ("]", "}"):
            level -= 1
    return 0


def _walk(text: str) -> Iterator[tuple[Path, int, bool]]:
    """``(path, offset, is_key)`` for every object key and every value, in document order, without
    recursion. Tolerates a malformed tail (it is only asked about text the parser already read)."""
    # Each frame: [is_object, current key or index, expecting a key]
    stack: list[list[Any]] = []
    for match in _PIECE.finditer(text):
        piece = match.group()
        frame = stack[-1] if stack else None
        if frame is not None and frame[0] and frame[2] and piece.startswith('"'):
            try:
                frame[1] = json.loads(piece)
            except ValueError:
                frame[1] = piece
            frame[2] = False
            yield tuple(f[1] for f in stack), match.start(), True
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
        if piece in ("]", "}"):
            if stack:
                stack.pop()
            continue
        yield tuple(f[1] for f in stack), match.start(), False
        if piece == "{":
            stack.append([True, None, True])
        elif piece == "[":
            stack.append([False, 0, False])


def path_at(text: str, offset: int) -> Path | None:
    """The path of the value that starts at ``offset`` (``None`` if no value starts there)."""
    for path, start, is_key in _walk(text):
        if start == offset and not is_key:
            return path
        if start > offset:
            break
    return None


def locate(text: str, paths: Iterable[Path]) -> dict[Path, int]:
    """Where each path starts in ``text`` (for an object member: where its key is).

    The walk is a plain loop over the pieces, so it is cheap enough to run only when there is
    something to report, whatever the nesting."""
    wanted = set(paths)
    found: dict[Path, int] = {}
    if not wanted:
        return found
    for path, start, _is_key in _walk(text):
        if path in wanted and path not in found:
            found[path] = start
            if len(found) == len(wanted):
                break
    return found


def lines_of(text: str, offsets: dict[Path, int]) -> dict[Path, int]:
    """The 1-based line of each located path."""
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    return {path: bisect.bisect_right(starts, offset) for path, offset in offsets.items()}


def _duplicate_position(text: str) -> tuple[int, Path | None]:
    """Where the first key repeated in its object is, and its path."""
    # seen[n]: the keys met so far in the object that holds the values of paths of length n + 1.
    seen: list[set[PathKey]] = []
    for path, start, is_key in _walk(text):
        level = len(path)
        del seen[level:]  # deeper objects are finished (or a new one opens below this value)
        while len(seen) < level:
            seen.append(set())
        if is_key:
            if path[-1] in seen[level - 1]:
                return start, path
            seen[level - 1].add(path[-1])
    return 0, None
