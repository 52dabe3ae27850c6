"""GB 10810.1-2005 Table 1 and GB 13511.2-2011 power tables at every band edge."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jingxiang.quality.tests.conftest import result, run, status

D = Decimal
STEP = D("0.01")

# Table A of GB 10810.1-2005 (reference §1.1), transcribed independently of the rules file:
# (row key = strongest nominal meridian, tolerance on each principal meridian).
SINGLE_VISION_A = [
    ("0.00", "0.12"),
    ("3.00", "0.12"),
    ("3.01", "0.12"),
    ("3.25", "0.12"),
    ("6.00", "0.12"),
    ("6.25", "0.12"),
    ("9.00", "0.12"),
    ("9.01", "0.18"),
    ("9.25", "0.18"),
    ("12.00", "0.18"),
    ("12.01", "0.25"),
    ("12.25", "0.25"),
    ("20.00", "0.25"),
    ("20.01", "0.37"),
    ("20.25", "0.37"),
    ("25.00", "0.37"),
]
SINGLE_VISION_B_ROWS = {
    "row1": ["0.09", "0.12", "0.18", "0.25"],
    "row2": ["0.12", "0.12", "0.18", "0.25"],
    "row3": ["0.12", "0.18", "0.18", "0.25"],
    "row4": ["0.12", "0.18", "0.25", "0.25"],
    "row5": ["0.18", "0.25", "0.25", "0.25"],
    "row6": ["0.25", "0.25", "0.37", "0.37"],
}
PROGRESSIVE_B_ROWS = {
    "row1": ["0.12", "0.18", "0.18", "0.25"],
    "row2": ["0.18", "0.18", "0.18", "0.25"],
    "row3": ["0.18", "0.18", "0.25", "0.25"],
    "row4": ["0.18", "0.25", "0.25", "0.25"],
    "row5": ["0.25", "0.25", "0.37", "0.37"],
}
# Keys on both sides of each row edge, mapped to the row they must select.
SINGLE_VISION_KEYS = [
    ("1.00", "row1"),
    ("3.00", "row1"),
    ("3.25", "row2"),
    ("6.00", "row2"),
    ("6.25", "row3"),
    ("9.00", "row3"),
    ("9.25", "row4"),
    ("12.00", "row4"),
    ("12.25", "row5"),
    ("20.00", "row5"),
    ("20.25", "row6"),
]
PROGRESSIVE_KEYS = [
    ("3.00", "row1"),
    ("6.00", "row1"),
    ("6.25", "row2"),
    ("9.00", "row2"),
    ("9.25", "row3"),
    ("12.00", "row3"),
    ("12.25", "row4"),
    ("20.00", "row4"),
    ("20.25", "row5"),
]
# |C| on both sides of each column edge, mapped to the column index.
CYLINDER_COLUMNS = [
    ("0.25", 0),
    ("0.75", 0),
    ("0.76", 1),
    ("1.00", 1),
    ("4.00", 1),
    ("4.25", 2),
    ("6.00", 2),
    ("6.25", 3),
]


def lens_case(
    nominal: dict[str, Any], measured: dict[str, Any], product_type: str = "uncut_lens"
) -> dict[str, Any]:
    if product_type == "uncut_lens":
        return {
            "product_type": "uncut_lens",
            "standard": "GB 10810.1-2005",
            "nominal": {"lens": nominal},
            "measured": {"lens": measured},
        }
    return {
        "product_type": product_type,
        "standard": "GB 13511.2-2011",
        "nominal": {"right": nominal, "left": nominal},
        "measured": {"right": measured, "left": nominal | {"cylinder": nominal.get("cylinder", 0)}},
    }


@pytest.mark.parametrize(("key", "tolerance"), SINGLE_VISION_A)
@pytest.mark.parametrize("sign", [1, -1])
def test_meridian_tolerance_a_at_every_row_edge(key: str, tolerance: str, sign: int) -> None:
    nominal_sphere = sign * D(key)
    for deviation, expected in [
        (D(tolerance), "pass"),
        (-D(tolerance), "pass"),
        (D(tolerance) - STEP, "pass"),
        (D(tolerance) + STEP, "fail"),
        (-D(tolerance) - STEP, "fail"),
    ]:
        verdict = run(
            lens_case(
                {"sphere": nominal_sphere, "cylinder": 0},
                {"sphere": nominal_sphere + deviation, "cylinder": 0},
            )
        )
        assert status(verdict, "L-PWR-A.lens.meridian_1") == expected, (key, deviation)
        assert result(verdict, "L-PWR-A.lens.meridian_1").acceptance is not None


def _sphere_for(key: Decimal, cylinder: Decimal) -> Decimal | None:
    """A minus-cylinder sphere whose strongest meridian is ``key`` (None if impossible)."""
    if cylinder <= key:
        return -(key - cylinder)
    if cylinder <= 2 * key:
        return key
    return None


def _cylinder_cases(keys: list[tuple[str, str]], rows: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    cases = []
    for key, row in keys:
        for cylinder, column in CYLINDER_COLUMNS:
            if _sphere_for(D(key), D(cylinder)) is not None:
                cases.append((key, cylinder, rows[row][column]))
    return cases


@pytest.mark.parametrize(
    ("key", "cylinder", "tolerance"), _cylinder_cases(SINGLE_VISION_KEYS, SINGLE_VISION_B_ROWS)
)
def test_cylinder_tolerance_b_at_every_row_and_column_edge(key: str, cylinder: str, tolerance: str) -> None:
    sphere = _sphere_for(D(key), D(cylinder))
    assert sphere is not None
    nominal = {"sphere": sphere, "cylinder": -D(cylinder), "axis": 90}
    for measured_cylinder, expected in [
        (-D(cylinder) - D(tolerance), "pass"),
        (-D(cylinder) + D(tolerance), "pass"),
        (-D(cylinder) - D(tolerance) - STEP, "fail"),
        (-D(cylinder) + D(tolerance) + STEP, "fail"),
    ]:
        if measured_cylinder > 0:
            continue
        verdict = run(lens_case(nominal, {"sphere": sphere, "cylinder": measured_cylinder, "axis": 90}))
        assert status(verdict, "L-PWR-B.lens") == expected, (key, cylinder, measured_cylinder)


@pytest.mark.parametrize(
    ("key", "cylinder", "tolerance"), _cylinder_cases(PROGRESSIVE_KEYS, PROGRESSIVE_B_ROWS)
)
def test_progressive_cylinder_table_is_its_own(key: str, cylinder: str, tolerance: str) -> None:
    sphere = _sphere_for(D(key), D(cylinder))
    assert sphere is not None
    nominal = {"sphere": sphere, "cylinder": -D(cylinder), "axis": 90, "addition": 2}
    inside = run(
        lens_case(nominal, nominal | {"cylinder": -D(cylinder) - D(tolerance)}, "progressive_spectacles")
    )
    outside = run(
        lens_case(
            nominal, nominal | {"cylinder": -D(cylinder) - D(tolerance) - STEP}, "progressive_spectacles"
        )
    )
    assert status(inside, "P-PWR-B.right") == "pass"
    assert status(outside, "P-PWR-B.right") == "fail"


@pytest.mark.parametrize(
    ("key", "tolerance"),
    [
        ("6.00", "0.12"),
        ("6.25", "0.18"),
        ("9.00", "0.18"),
        ("12.00", "0.18"),
        ("12.25", "0.25"),
        ("20.25", "0.37"),
    ],
)
def test_progressive_meridian_table_is_looser_than_single_vision(key: str, tolerance: str) -> None:
    nominal = {"sphere": -D(key), "cylinder": 0, "addition": 2}
    inside = run(lens_case(nominal, nominal | {"sphere": -D(key) + D(tolerance)}, "progressive_spectacles"))
    outside = run(
        lens_case(nominal, nominal | {"sphere": -D(key) + D(tolerance) + STEP}, "progressive_spectacles")
    )
    assert status(inside, "P-PWR-A.right.meridian_1") == "pass"
    assert status(outside, "P-PWR-A.right.meridian_1") == "fail"


def test_row_key_is_the_strongest_meridian_not_the_sphere() -> None:
    # +2.00/-5.00: meridians +2.00 and -3.00 -> key 3.00 -> row 1, B column 3 (|C| 5) = 0.18.
    nominal = {"sphere": 2, "cylinder": -5, "axis": 10}
    verdict = run(lens_case(nominal, {"sphere": 2, "cylinder": D("-5.18"), "axis": 10}))
    assert status(verdict, "L-PWR-B.lens") == "pass"
    assert any("row key 3 D" in note for note in result(verdict, "L-PWR-B.lens").notes)


@pytest.mark.parametrize(
    ("measured", "meridian_1", "meridian_2", "cylinder"),
    [
        # Nominal -2.00/-1.00x90; measured lenses written in plus-cylinder form.
        ({"sphere": -3, "cylinder": 1, "axis": 180}, "pass", "pass", "pass"),
        ({"sphere": D("-3.12"), "cylinder": D("1.12"), "axis": 180}, "pass", "pass", "pass"),
        ({"sphere": D("-3.13"), "cylinder": D("1.13"), "axis": 180}, "pass", "fail", "fail"),
        ({"sphere": D("-3.13"), "cylinder": 1, "axis": 180}, "fail", "fail", "pass"),
    ],
)
def test_measured_in_the_other_cylinder_form_is_transposed(
    measured: dict[str, Any], meridian_1: str, meridian_2: str, cylinder: str
) -> None:
    verdict = run(lens_case({"sphere": -2, "cylinder": -1, "axis": 90}, measured))
    assert status(verdict, "L-PWR-A.lens.meridian_1") == meridian_1
    assert status(verdict, "L-PWR-A.lens.meridian_2") == meridian_2
    assert status(verdict, "L-PWR-B.lens") == cylinder


def test_nominal_in_plus_form_and_measured_in_minus_form_agree() -> None:
    minus = run(
        lens_case(
            {"sphere": -2, "cylinder": -1, "axis": 90}, {"sphere": D("-2.10"), "cylinder": -1, "axis": 90}
        )
    )
    plus = run(
        lens_case(
            {"sphere": -3, "cylinder": 1, "axis": 180}, {"sphere": D("-2.10"), "cylinder": -1, "axis": 90}
        )
    )
    assert [item.status for item in minus.items] == [item.status for item in plus.items]
    assert minus.overall == plus.overall


@pytest.mark.parametrize(("deviation", "expected"), [("0.30", "pass"), ("-0.30", "pass"), ("0.31", "fail")])
def test_centre_thickness(deviation: str, expected: str) -> None:
    nominal = {"sphere": -2, "cylinder": 0, "centre_thickness": D("1.5")}
    verdict = run(lens_case(nominal, nominal | {"centre_thickness": D("1.5") + D(deviation)}))
    assert status(verdict, "L-CT.lens") == expected


@pytest.mark.parametrize(
    ("addition", "deviation", "expected"),
    [("2.00", "0.12", "pass"), ("4.00", "0.13", "fail"), ("4.25", "0.18", "pass"), ("4.25", "-0.19", "fail")],
)
def test_progressive_addition_band_edge(addition: str, deviation: str, expected: str) -> None:
    nominal = {"sphere": 1, "cylinder": 0, "addition": D(addition)}
    verdict = run(
        lens_case(nominal, nominal | {"addition": D(addition) + D(deviation)}, "progressive_spectacles")
    )
    assert status(verdict, "P-ADD.right") == expected


@pytest.mark.parametrize(
    ("cylinder", "tolerance"),
    [
        ("0.25", "16"),
        ("0.50", "9"),
        ("0.75", "6"),
        ("1.00", "4"),
        ("1.50", "4"),
        ("1.75", "3"),
        ("2.50", "3"),
        ("2.75", "2"),
    ],
)
def test_progressive_axis_bands(cylinder: str, tolerance: str) -> None:
    nominal = {"sphere": 1, "cylinder": -D(cylinder), "axis": 5, "addition": 2}
    # 5° minus the tolerance crosses 0° and wraps to the top of the circle.
    wrapped = D(185) - D(tolerance) if D(tolerance) > 5 else D(5) - D(tolerance)
    inside = run(lens_case(nominal, nominal | {"axis": wrapped}, "progressive_spectacles"))
    outside = run(
        lens_case(nominal, nominal | {"axis": wrapped - 1 if wrapped > 0 else 179}, "progressive_spectacles")
    )
    assert status(inside, "P-AX.right") == "pass"
    assert status(outside, "P-AX.right") == "fail"


def test_progressive_axis_not_required_at_or_below_0_125() -> None:
    nominal = {"sphere": 1, "cylinder": D("-0.12"), "axis": 5, "addition": 2}
    verdict = run(lens_case(nominal, nominal | {"axis": 90}, "progressive_spectacles"))
    assert status(verdict, "P-AX.right") == "not_applicable"
