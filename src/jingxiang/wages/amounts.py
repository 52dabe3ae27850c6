"""Exact money, hours and months: parsing from text, spreadsheets and YAML, and rounding.

Every figure that reaches a comparison is a :class:`~decimal.Decimal` read from its decimal text,
never a binary float, because a wage exactly equal to the floor must pass and one fen under it
must fail. Calculations run in a local context with 40 significant digits; inputs are bounded
(see ``MAX_AMOUNT``) so that no product of an input with a rate can lose a digit or overflow.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
# A month's pay above a billion yuan, or a rate above a million, is a typing error, not a wage;
# refusing it also keeps every calculation far inside the decimal context below.
MAX_AMOUNT = Decimal(1_000_000_000)
MAX_HOURS = Decimal(744)  # 31 days × 24 hours: more hours than a month has
MAX_PIECES = Decimal(100_000_000)
CONTEXT = Context(prec=40, rounding=ROUND_HALF_UP)

_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_MONTH = re.compile(r"^\s*(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:月)?\s*$")
_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


class NotAnAmountError(ValueError):
    """A value cannot be read as an exact decimal number; the message says what was seen."""


def to_decimal(value: object) -> Decimal:
    """Read a number exactly from a cell, a CSV field or YAML.

    Floats (spreadsheet cells) are read through ``repr``, the shortest text that round-trips, which
    is the number the user typed (``Decimal(2373.1)`` would be 2373.0999…). Text may carry
    thousands separators (``2,373.50``) and a leading ¥; booleans are refused because ``True`` is
    an ``int`` in Python and would silently become 1.
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
        text = value.strip().replace("\u00a0", "").lstrip("¥￥").strip()
        if _GROUPED.match(text):
            text = text.replace(",", "")
        try:
            result = Decimal(text)
        except InvalidOperation as error:
            raise NotAnAmountError(f"expected a number, got {value!r}") from error
    else:
        raise NotAnAmountError(f"expected a number, got {type(value).__name__}")
    if not result.is_finite():
        raise NotAnAmountError(f"expected a finite number, got {value!r}")
    return result


def decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def round_fen(value: Decimal) -> Decimal:
    """Round to the fen (0.01 元), half up: the payroll convention for amounts owed."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP, context=CONTEXT)


def money(value: Decimal) -> str:
    """Render an amount with exactly two decimals and no exponent (``2373.00``)."""
    return format(round_fen(value), "f")


def plain(value: Decimal) -> str:
    """Render any decimal without exponent notation and without losing digits."""
    text = format(value, "f")
    return "0" if text in {"-0", "-0.0"} else text


def parse_month(value: object) -> datetime.date:
    """A month as the date of its first day, from ``2025-07``, ``2025/7``, ``2025年7月``, a date or datetime.

    A full date (``2025-07-15``, or an Excel date cell) names its month; the day is ignored because
    wages are checked per month.
    """
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    if isinstance(value, str):
        match = _MONTH.match(value)
        if match:
            year, month = int(match[1]), int(match[2])
            if 1 <= month <= 12 and 1900 <= year <= 9999:
                return datetime.date(year, month, 1)
            raise ValueError(f"{value!r} is not a month (write YYYY-MM)")
        match = _DAY.match(value)
        if match:
            try:
                return datetime.date(int(match[1]), int(match[2]), int(match[3])).replace(day=1)
            except ValueError as error:
                raise ValueError(f"{value!r} is not a date: {error}") from error
    raise ValueError(f"{value!r} is not a month (write YYYY-MM)")


def parse_date(value: object) -> datetime.date:
    """An ISO date (``2025-07-01``), as written in agreements and statutory tables."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as error:
        raise ValueError(f"{value!r} is not a date (write YYYY-MM-DD)") from error


def month_text(month: datetime.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def last_day_of_month(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def months_between(start: datetime.date, month: datetime.date) -> int:
    """Whole months from ``start``'s month to ``month``'s month (0 for the same month)."""
    return (month.year - start.year) * 12 + (month.month - start.month)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + (month.month - 1) + count
    return datetime.date(index // 12, index % 12 + 1, 1)
