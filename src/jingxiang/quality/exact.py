"""Exact decimal arithmetic helpers: number parsing, intervals and angles.

Tolerance decisions happen exactly on band edges (a deviation of 0.12 D against a tolerance of
0.12 D must pass), so every number that reaches a comparison is a :class:`~decimal.Decimal`
parsed from its decimal text, never a binary float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from functools import cache

from jingxiang import strictjson

_INTERVAL_PATTERN = re.compile(
    r"^\s*(?P<open>[\[(])\s*(?P<low>-inf|-?\d+(?:\.\d+)?)\s*,\s*(?P<high>inf|-?\d+(?:\.\d+)?)\s*(?P<close>[\])])\s*$"
)

FULL_CIRCLE_OF_AXES = Decimal(180)


class NotANumberError(ValueError):
    """Raised when a value cannot be read as an exact decimal number."""


def to_decimal(value: object) -> Decimal:
    """Read a number exactly.

    Floats are accepted only because Python callers (the web app) may hand us ``0.12`` as a float;
    ``repr`` gives the shortest text that round-trips, which is the number the user typed, so we
    parse that text instead of the binary value (``Decimal(0.12)`` would be 0.11999999…).
    Booleans are rejected because ``True`` is an ``int`` in Python and would silently become 1.
    """
    if isinstance(value, bool):
        raise NotANumberError(f"expected a number, got a boolean ({value!r})")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as error:
            raise NotANumberError(f"expected a number, got {value!r}") from error
    else:
        raise NotANumberError(f"expected a number, got {type(value).__name__}")
    if not result.is_finite():
        raise NotANumberError(f"expected a finite number, got {value!r}")
    if result and result.adjusted() > strictjson.MAX_EXPONENT:
        # Decimal holds 1e999999999, but arithmetic on it overflows; nothing measured comes near 1e308.
        raise NotANumberError(f"number too large to represent (about 1e{result.adjusted()})")
    return result


def format_decimal(value: Decimal) -> str:
    """Render a decimal for the verdict without exponent notation and without losing digits."""
    text = format(value, "f")
    return "0" if text in {"-0", "-0.0"} else text


@dataclass(frozen=True)
class Interval:
    """A range of real numbers with explicit inclusive/exclusive ends.

    Standards write bands as "> 3.00 and ≤ 6.00"; we store exactly that, written in interval
    notation ``(3.00, 6.00]``, so that a boundary value is never assigned by accident.
    ``None`` as an end means unbounded.
    """

    low: Decimal | None
    low_inclusive: bool
    high: Decimal | None
    high_inclusive: bool

    @classmethod
    def parse(cls, text: str) -> Interval:
        """Parse interval notation such as ``[0.00, 3.00]``, ``(6.00, inf)`` or ``(-inf, 75)``."""
        match = _INTERVAL_PATTERN.match(text)
        if match is None:
            raise ValueError(
                f"{text!r} is not an interval; write e.g. '[0.00, 3.00]', '(3.00, 6.00]' or '(20.00, inf)'"
            )
        low_text, high_text = match["low"], match["high"]
        low = None if low_text == "-inf" else Decimal(low_text)
        high = None if high_text == "inf" else Decimal(high_text)
        low_inclusive = match["open"] == "["
        high_inclusive = match["close"] == "]"
        if low is None and low_inclusive:
            raise ValueError(f"{text!r}: an infinite end must be open, write '(-inf'")
        if high is None and high_inclusive:
            raise ValueError(f"{text!r}: an infinite end must be open, write 'inf)'")
        if low is not None and high is not None:
            if low > high:
                raise ValueError(f"{text!r}: lower end is above upper end")
            if low == high and not (low_inclusive and high_inclusive):
                raise ValueError(f"{text!r}: empty interval")
        return cls(low, low_inclusive, high, high_inclusive)

    def contains(self, value: Decimal) -> bool:
        """Whether ``value`` lies in the interval, honouring the inclusive/exclusive ends."""
        if self.low is not None and (value < self.low or (value == self.low and not self.low_inclusive)):
            return False
        return not (
            self.high is not None and (value > self.high or (value == self.high and not self.high_inclusive))
        )

    def overlaps(self, other: Interval) -> bool:
        """Whether two intervals share at least one point."""
        return _precedes(self, other) is False and _precedes(other, self) is False

    def meets(self, following: Interval) -> bool:
        """Whether ``following`` starts exactly where this one ends, with no gap and no overlap."""
        if self.high is None or following.low is None or self.high != following.low:
            return False
        return self.high_inclusive != following.low_inclusive

    def __str__(self) -> str:
        low = "-inf" if self.low is None else format_decimal(self.low)
        high = "inf" if self.high is None else format_decimal(self.high)
        return f"{'[' if self.low_inclusive else '('}{low}, {high}{']' if self.high_inclusive else ')'}"


def _precedes(first: Interval, second: Interval) -> bool:
    """Whether every point of ``first`` lies strictly below every point of ``second``."""
    if first.high is None or second.low is None:
        return False
    if first.high < second.low:
        return True
    if first.high == second.low:
        return not (first.high_inclusive and second.low_inclusive)
    return False


def axis_difference(first: Decimal, second: Decimal) -> Decimal:
    """Angular distance between two cylinder axes on the 0–180° circle.

    Axes are orientations of a line, so 0° and 180° are the same axis and 179° vs 1° are 2° apart.
    """
    raw = abs(first - second) % FULL_CIRCLE_OF_AXES
    return min(raw, FULL_CIRCLE_OF_AXES - raw)


# sin² is computed with far more digits than any power has, then rounded here, so that the
# rational cases (0°, 30°, 45°, 60°, 90° …) come out exact and can sit on a band edge.
_TRIG_DIGITS = 60
_TRIG_QUANTUM = Decimal("1E-30")


def sin_squared_degrees(angle: Decimal) -> Decimal:
    """sin²(angle) for an angle in degrees, exact to 30 decimal places.

    Used for the power of a spherocylinder in the horizontal meridian, S + C·sin²(axis).
    Computed as (1 − cos 2θ) / 2 with a Taylor series in decimal arithmetic.
    """
    with localcontext() as context:
        context.prec = _TRIG_DIGITS
        pi = +_pi()
        doubled = (angle % 180) * 2 * pi / 180
        if doubled > pi:
            doubled -= 2 * pi
        term = Decimal(1)
        cosine = Decimal(1)
        squared = doubled * doubled
        index = 0
        while True:
            index += 2
            term = -term * squared / (index * (index - 1))
            if abs(term) < Decimal(10) ** -(_TRIG_DIGITS - 2):
                break
            cosine += term
        value = ((1 - cosine) / 2).quantize(_TRIG_QUANTUM)
        return abs(value.normalize())


@cache
def _pi() -> Decimal:
    """π to the trigonometry precision (Machin's formula), without a float constant."""
    smallest = Decimal(10) ** -(_TRIG_DIGITS + 2)

    def arctan_inverse(denominator: int) -> Decimal:
        total = Decimal(0)
        power = Decimal(1) / denominator
        squared = denominator * denominator
        index = 0
        while power > smallest:
            term = power / (2 * index + 1)
            total += -term if index % 2 else term
            power /= squared
            index += 1
        return total

    with localcontext() as context:
        context.prec = _TRIG_DIGITS + 5
        return 4 * (4 * arctan_inverse(5) - arctan_inverse(239))


def normalise_axis(axis: Decimal) -> Decimal:
    """Bring an axis into [0, 180) after adding 90° during a transposition.

    ``Decimal`` remainders keep the dividend's sign, hence the second step for negative input.
    """
    return (axis % FULL_CIRCLE_OF_AXES + FULL_CIRCLE_OF_AXES) % FULL_CIRCLE_OF_AXES
