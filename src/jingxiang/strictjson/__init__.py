"""Strict JSON for the engines' inputs (matching, scheduling, quality): pure Python, no Django.

Python's ``json`` reads ``1e400`` as infinity, ``NaN`` and ``Infinity`` as floats, a 5,000-digit
integer as a ``ValueError`` of its own, and 100,000 nested lists as a ``RecursionError``; none of these
is a number or a document an engine can work with, and the last two end the command line in a
traceback. ``loads`` refuses all of them as decode errors: ``StrictJsonError`` is a
``json.JSONDecodeError`` with the line and column of the offending token, so each caller reports it
exactly like any other malformed input.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

MAX_DEPTH = 64
"""Far deeper than any engine format (four or five levels), far shallower than Python's recursion limit."""
MAX_EXPONENT = 308
"""Numbers must stay below 10**309: a double holds about 1.8e308, and nothing the engines measure or count
comes anywhere near it."""

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|NaN|-?Infinity')


class StrictJsonError(json.JSONDecodeError):
    """A document Python's parser would accept or crash on, refused with a position."""


class _Refused(Exception):
    def __init__(self, literal: str, message: str) -> None:
        super().__init__(message)
        self.literal = literal
        self.message = message


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


def loads(text: str, *, exact: bool = False, max_depth: int = MAX_DEPTH) -> Any:
    """Parse one JSON document; numbers become ``int``/``float``, or ``Decimal`` with ``exact``.

    Raises ``json.JSONDecodeError`` (``StrictJsonError`` for what only this function refuses).
    """
    try:
        value = json.loads(
            text,
            parse_int=_exact_integer if exact else _integer,
            parse_float=_exact_float if exact else _float,
            parse_constant=_constant,
        )
    except _Refused as refusal:
        raise StrictJsonError(refusal.message, text, _literal_position(text, refusal.literal)) from None
    except RecursionError:
        value = None
        too_deep = True
    else:
        too_deep = depth(value) > max_depth
    if too_deep:
        raise StrictJsonError(
            f"nested deeper than {max_depth} levels", text, _depth_position(text, max_depth)
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
