from decimal import Decimal

import pytest

from jingxiang.quality.exact import Interval, NotANumberError, axis_difference, to_decimal


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
