from decimal import Decimal

import pytest

from jingxiang.quality.exact import (
    Interval,
    NotANumberError,
    axis_difference,
    sin_squared_degrees,
    to_decimal,
)


@pytest.mark.parametrize(
    ("text", "value", "inside"),
    [
        ("(3.00, 6.00]", "3.00", False),
        ("(3.00, 6.00]", "3.01", True),
        ("(3.00, 6.00]", "6.00", True),
        ("(3.00, 6.00]", "6.01", False),
        ("[0.00, 3.00]", "0", True),
        ("(20.00, inf)", "1000", True),
        ("(-inf, 75)", "75", False),
        ("(-inf, 75)", "74.99", True),
    ],
)
def test_interval_honours_inclusive_and_exclusive_ends(text: str, value: str, inside: bool) -> None:
    assert Interval.parse(text).contains(Decimal(value)) is inside


@pytest.mark.parametrize("text", ["[0, inf]", "(5, 3]", "(3, 3]", "3 to 6", "[-inf, 2)"])
def test_malformed_intervals_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Interval.parse(text)


@pytest.mark.parametrize(
    ("first", "second", "difference"),
    [
        ("179", "1", "2"),
        ("1", "179", "2"),
        ("0", "180", "0"),
        ("90", "0", "90"),
        ("10", "100", "90"),
        ("175", "5", "10"),
    ],
)
def test_axis_difference_wraps_on_the_180_degree_circle(first: str, second: str, difference: str) -> None:
    assert axis_difference(Decimal(first), Decimal(second)) == Decimal(difference)


def test_floats_are_read_through_their_shortest_text() -> None:
    assert to_decimal(0.12) == Decimal("0.12")
    assert to_decimal(0.1) + to_decimal(0.2) == Decimal("0.3")


@pytest.mark.parametrize("value", [True, "abc", float("nan"), float("inf"), None, [1]])
def test_non_numbers_are_refused(value: object) -> None:
    with pytest.raises(NotANumberError):
        to_decimal(value)


@pytest.mark.parametrize(
    ("angle", "expected"),
    [
        ("0", "0"),
        ("30", "0.25"),
        ("45", "0.5"),
        ("60", "0.75"),
        ("90", "1"),
        ("135", "0.5"),
        ("180", "0"),
        ("150", "0.25"),
    ],
)
def test_sin_squared_is_exact_where_the_value_is_rational(angle: str, expected: str) -> None:
    assert sin_squared_degrees(Decimal(angle)) == Decimal(expected)


def test_sin_squared_matches_the_float_value_elsewhere() -> None:
    import math

    for degrees in range(0, 181, 7):
        exact = sin_squared_degrees(Decimal(degrees))
        assert abs(float(exact) - math.sin(math.radians(degrees)) ** 2) < 1e-12
