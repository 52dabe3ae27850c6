"""Property-based tests: inside the tolerance the verdict never changes; just outside it always fails."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from jingxiang.quality import judge
from jingxiang.quality.tests.conftest import result

D = Decimal
HUNDREDTH = D("0.01")

quarter_dioptres = st.integers(min_value=-80, max_value=80).map(lambda steps: D(steps) / 4)
cylinders = st.integers(min_value=-24, max_value=0).map(lambda steps: D(steps) / 4)
axes = st.integers(min_value=0, max_value=180).map(D)
hundredths = st.integers(min_value=0, max_value=100).map(lambda steps: D(steps) / 100)
signs = st.sampled_from([D(1), D(-1)])


def lens_case(nominal: dict[str, Any], measured: dict[str, Any]) -> dict[str, Any]:
    return {
        "product_type": "uncut_lens",
        "standard": "GB 10810.1-2005",
        "nominal": {"lens": nominal},
        "measured": {"lens": measured},
    }


def meridian_tolerance(sphere: Decimal, cylinder: Decimal) -> Decimal:
    return judge_tolerance(
        lens_case({"sphere": sphere, "cylinder": cylinder}, {"sphere": sphere, "cylinder": cylinder})
    )


def judge_tolerance(case: dict[str, Any]) -> Decimal:
    acceptance = result(judge(case), "L-PWR-A.lens.meridian_1").acceptance
    assert acceptance is not None and acceptance.high is not None
    return acceptance.high


@settings(max_examples=120, deadline=None)
@given(sphere=quarter_dioptres, cylinder=cylinders, fraction=hundredths, sign=signs)
def test_meridian_inside_tolerance_always_passes(
    sphere: Decimal, cylinder: Decimal, fraction: Decimal, sign: Decimal
) -> None:
    tolerance = meridian_tolerance(sphere, cylinder)
    deviation = (sign * tolerance * fraction).quantize(D("0.001"))
    verdict = judge(
        lens_case(
            {"sphere": sphere, "cylinder": cylinder}, {"sphere": sphere + deviation, "cylinder": cylinder}
        )
    )
    assert result(verdict, "L-PWR-A.lens.meridian_1").status.value == "pass"
    assert result(verdict, "L-PWR-A.lens.meridian_2").status.value == "pass"


@settings(max_examples=120, deadline=None)
@given(sphere=quarter_dioptres, cylinder=cylinders, extra=st.integers(min_value=1, max_value=200), sign=signs)
def test_meridian_just_outside_tolerance_always_fails(
    sphere: Decimal, cylinder: Decimal, extra: int, sign: Decimal
) -> None:
    tolerance = meridian_tolerance(sphere, cylinder)
    deviation = sign * (tolerance + extra * HUNDREDTH)
    verdict = judge(
        lens_case(
            {"sphere": sphere, "cylinder": cylinder}, {"sphere": sphere + deviation, "cylinder": cylinder}
        )
    )
    assert result(verdict, "L-PWR-A.lens.meridian_1").status.value == "fail"
    assert verdict.overall.value == "fail"


@settings(max_examples=80, deadline=None)
@given(sphere=quarter_dioptres, cylinder=cylinders, axis=axes, fraction=hundredths)
def test_transposing_the_measured_form_never_changes_the_verdict(
    sphere: Decimal, cylinder: Decimal, axis: Decimal, fraction: Decimal
) -> None:
    nominal = {"sphere": sphere, "cylinder": cylinder, "axis": axis}
    measured_sphere = sphere + fraction / 2
    minus_form = {"sphere": measured_sphere, "cylinder": cylinder, "axis": axis}
    plus_axis = (axis + 90) % 180
    plus_form = {"sphere": measured_sphere + cylinder, "cylinder": -cylinder, "axis": plus_axis}
    first = judge(lens_case(nominal, minus_form))
    second = judge(lens_case(nominal, plus_form))
    assert [(item.result_id, item.status) for item in first.items] == [
        (item.result_id, item.status) for item in second.items
    ]


def spectacles(sphere: Decimal, oc_distance: Decimal) -> dict[str, Any]:
    lens = {"sphere": sphere}
    return {
        "product_type": "assembled_spectacles",
        "standard": "GB 13511.1-2011",
        "nominal": {"right": lens, "left": lens, "pd": 64},
        "measured": {"oc_distance": oc_distance},
    }


mm_band_powers = st.integers(min_value=3, max_value=40).map(lambda steps: D(steps) / 4)


@settings(max_examples=100, deadline=None)
@given(sphere=mm_band_powers, fraction=hundredths, sign=signs)
def test_oc_distance_verdict_constant_inside_tolerance(
    sphere: Decimal, fraction: Decimal, sign: Decimal
) -> None:
    reference = result(judge(spectacles(sphere, D(64))), "A-OCH")
    assert reference.status.value == "pass"
    assert reference.acceptance is not None and reference.acceptance.high is not None
    moved = judge(spectacles(sphere, 64 + sign * reference.acceptance.high * fraction))
    assert result(moved, "A-OCH").status.value == "pass"
    beyond = judge(spectacles(sphere, 64 + sign * (reference.acceptance.high + D("0.1"))))
    assert result(beyond, "A-OCH").status.value == "fail"


@settings(max_examples=100, deadline=None)
@given(
    nominal_axis=axes,
    offset=st.integers(min_value=0, max_value=90),
    cylinder=st.integers(min_value=1, max_value=16),
)
def test_axis_verdict_depends_only_on_the_circular_distance(
    nominal_axis: Decimal, offset: int, cylinder: int
) -> None:
    nominal = {"sphere": D(-1), "cylinder": -D(cylinder) / 4, "axis": nominal_axis}
    clockwise = (nominal_axis + offset) % 180
    anticlockwise = (nominal_axis - offset + 180) % 180
    case = {
        "product_type": "assembled_spectacles",
        "standard": "GB 13511.1-2011",
        "nominal": {"right": nominal, "left": nominal, "pd": 64},
    }
    first = judge(case | {"measured": {"right": nominal | {"axis": clockwise}}})
    second = judge(case | {"measured": {"right": nominal | {"axis": anticlockwise}}})
    assert result(first, "A-AX.right").status == result(second, "A-AX.right").status
    assert result(first, "A-AX.right").deviation == D(offset)


def sunglasses(tv: Decimal, declared: int) -> dict[str, Any]:
    return {
        "product_type": "sunglasses",
        "standard": "GB 39552.1-2020",
        "nominal": {"declared_category": declared},
        "measured": {"luminous_transmittance": tv},
    }


CATEGORY_BANDS = [(0, D(80), D(100)), (1, D(43), D(80)), (2, D(18), D(43)), (3, D(8), D(18)), (4, D(3), D(8))]


@settings(max_examples=150, deadline=None)
@given(band=st.sampled_from(CATEGORY_BANDS), fraction=st.integers(min_value=1, max_value=10_000))
def test_category_holds_across_its_band_and_changes_just_below_it(
    band: tuple[int, Decimal, Decimal], fraction: int
) -> None:
    category, low, high = band
    inside = low + (high - low) * D(fraction) / 10_000
    assert result(judge(sunglasses(inside, category)), "S-CAT").status.value == "pass"
    assert result(judge(sunglasses(low, category)), "S-CAT").status.value == "fail"


AXIS_TABLE: list[tuple[Decimal | None, int]] = [
    (D("0.50"), 9),
    (D("0.75"), 6),
    (D("1.50"), 4),
    (D("2.50"), 3),
    (None, 2),
]


@settings(max_examples=100, deadline=None)
@given(
    cylinder_quarters=st.integers(min_value=1, max_value=24),
    nominal_axis=axes,
    offset=st.integers(min_value=0, max_value=90),
)
def test_axis_passes_up_to_the_tolerance_and_fails_beyond(
    cylinder_quarters: int, nominal_axis: Decimal, offset: int
) -> None:
    cylinder = D(cylinder_quarters) / 4
    nominal = {"sphere": D(-1), "cylinder": -cylinder, "axis": nominal_axis}
    case = {
        "product_type": "assembled_spectacles",
        "standard": "GB 13511.1-2011",
        "nominal": {"right": nominal, "left": nominal, "pd": 64},
        "measured": {"right": nominal | {"axis": (nominal_axis + offset) % 180}},
    }
    # GB 13511.1-2011 Table 3, transcribed independently of the rules file.
    tolerance = next(degrees for upper, degrees in AXIS_TABLE if upper is None or cylinder <= upper)
    item = result(judge(case), "A-AX.right")
    assert item.deviation == D(offset)
    assert item.status.value == ("pass" if offset <= tolerance else "fail")
