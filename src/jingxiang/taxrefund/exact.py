"""Exact money and dates: parsing amounts and rates, rounding to the fen, rendering.

A refund exactly at a threshold or a cap decides eligibility or the payment method, so every amount
that reaches a comparison is a :class:`~decimal.Decimal` read from its decimal text, never a binary
float. Calculations run in a local context of 40 significant digits whatever the caller's global
context; inputs are bounded (``MAX_LINE_AMOUNT``) so that no product of an input with a rate can
lose a digit.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
CONTEXT = Context(prec=40, rounding=ROUND_HALF_UP)
# One invoice line above 100 million yuan is a typing error at an eyewear counter; the bound keeps
# every sum of a whole case (at most 10,000 lines) far inside the context above.
MAX_LINE_AMOUNT = Decimal(100_000_000)
ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}

_PERCENT_TEXT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%?\s*$")
_AMOUNT_TEXT = re.compile(r"^\s*[¥￥]?\s*(-?[0-9]{1,3}(?:,[0-9]{3})+|-?[0-9]+)(\.[0-9]+)?\s*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class NotAnAmountError(ValueError):
    """A value cannot be read as an exact decimal number; the message says what was seen."""


def shown(value: object, limit: int = 40) -> str:
    """A short rendering of an input value for an error message (a 100,000-digit number is cut)."""
    if isinstance(value, Decimal):
        # 1e999999999 written out in full would be a gigabyte: far-out exponents stay scientific.
        text = format(value, "f") if value.is_finite() and abs(value.adjusted()) <= limit else str(value)
    else:
        text = repr(value)
    if len(text) > limit:
        return text[: limit - 1] + "…"
    return text


def to_decimal(value: object) -> Decimal:
    """Read a number exactly from JSON (already a Decimal), a Python int or float, or decimal text.

    Floats from Python callers are read through ``repr``, the shortest text that round-trips, which
    is the number that was typed. Booleans are refused because ``True`` is an ``int`` in Python.
    Text may carry thousands separators (``1,130.00``) and a leading ¥.
    """
    if isinstance(value, bool):
        raise NotAnAmountError(f"expected a number, got {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        match = _AMOUNT_TEXT.match(value)
        if match is None:
            raise NotAnAmountError(f"expected a number written like 1130.00, got {shown(value)}")
        result = Decimal(match[1].replace(",", "") + (match[2] or ""))
    else:
        raise NotAnAmountError(f"expected a number, got {type(value).__name__}")
    if not result.is_finite():
        raise NotAnAmountError(f"expected a finite number, got {shown(value)}")
    return result


def to_percent(value: object) -> Decimal:
    """A percentage written as 13, "13" or "13%"; a fraction such as 0.13 is refused by the caller."""
    if isinstance(value, str):
        match = _PERCENT_TEXT.match(value)
        if match is None:
            raise NotAnAmountError(f"expected a percentage such as 13 or '13%', got {shown(value)}")
        return Decimal(match[1])
    return to_decimal(value)


def decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def fraction_of(amount: Decimal, percent: Decimal, rounding: str) -> Decimal:
    """``amount × percent / 100`` rounded once to the fen with the named rounding mode."""
    exact = CONTEXT.divide(CONTEXT.multiply(amount, percent), HUNDRED)
    return round_fen(exact, rounding)


def exact_fraction(amount: Decimal, percent: Decimal) -> Decimal:
    return CONTEXT.divide(CONTEXT.multiply(amount, percent), HUNDRED)


def round_fen(value: Decimal, rounding: str = "half_up") -> Decimal:
    """Round to 0.01 元 with one of ``ROUNDING_MODES`` (half up: 四舍五入)."""
    return value.quantize(FEN, rounding=ROUNDING_MODES[rounding], context=CONTEXT)


def total(values: list[Decimal]) -> Decimal:
    result = ZERO
    for value in values:
        result = CONTEXT.add(result, value)
    return result


def money(value: Decimal) -> str:
    """An amount with exactly two decimals and no exponent (``1130.00``)."""
    return format(value.quantize(FEN, context=CONTEXT), "f")


def plain(value: Decimal) -> str:
    """Any decimal without exponent notation and without trailing zeros (``11``, ``2.5``)."""
    text = format(value.normalize(CONTEXT), "f")
    return "0" if text in {"-0", "-0.0"} else text


def parse_date(value: object) -> datetime.date:
    """An ISO date ``YYYY-MM-DD`` (or a ``date`` from a Python caller); a datetime is refused."""
    if isinstance(value, datetime.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), got a date and time")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"{shown(value)} is not a date: {error}") from error
    raise ValueError(f"expected a date written YYYY-MM-DD, got {shown(value)}")
