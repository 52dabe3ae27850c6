"""GB 13511.1-2011 assembled spectacles and ready-made readers at every band edge."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jingxiang.quality import Overall
from jingxiang.quality.tests.conftest import result, run, status

D = Decimal


def spectacles(
    sphere: Decimal | int | str,
    measured: dict[str, Any],
    *,
    cylinder: Decimal | int = 0,
    axis: int = 90,
    pd: Decimal | int = 64,
    extra_nominal: dict[str, Any] | None = None,
) -> dict[str, Any]:
    lens = {"sphere": D(sphere), "cylinder": cylinder, "axis": axis}
    measured_lens = {"sphere": D(sphere), "cylinder": cylinder, "axis": axis}
    return {
        "product_type": "assembled_spectacles",
        "standard": "GB 13511.1-2011",
        "nominal": {"right": dict(lens), "left": dict(lens), "pd": pd, **(extra_nominal or {})},
        "measured": {
            "right": measured_lens | measured.pop("right", {}),
            "left": measured_lens | measured.pop("left", {}),
            **measured,
        },
    }


# (strongest meridian, OC-distance tolerance in mm) on both sides of each printed band edge.
OC_BANDS = [
    ("0.75", "6.0"),
    ("1.00", "6.0"),
    ("1.25", "4.0"),
    ("2.00", "4.0"),
    ("2.25", "3.0"),
    ("4.00", "3.0"),
    ("4.25", "2.0"),
    ("8.00", "2.0"),
]


@pytest.mark.parametrize(("key", "tolerance"), OC_BANDS)
@pytest.mark.parametrize("sign", [1, -1])
def test_oc_distance_band_edges(key: str, tolerance: str, sign: int) -> None:
    sphere = sign * D(key)
    for deviation, expected in [
        (D(tolerance), "pass"),
        (-D(tolerance), "pass"),
        (D(tolerance) + D("0.1"), "fail"),
        (-D(tolerance) - D("0.1"), "fail"),
    ]:
        verdict = run(spectacles(sphere, {"oc_distance": 64 + deviation}))
        assert status(verdict, "A-OCH") == expected, (key, deviation)
        assert result(verdict, "A-OCH").unit == "mm"


def test_non_grid_power_between_printed_bands_takes_the_tighter_band() -> None:
    # 0.62 D lies between the printed 0.00–0.50 and 0.75–1.00 bands: judged as 0.75–1.00 (±6.0 mm).
    verdict = run(spectacles("0.62", {"oc_distance": 70}))
    assert status(verdict, "A-OCH") == "pass"
    assert result(verdict, "A-OCH").unit == "mm"


@pytest.mark.parametrize(("prism", "expected"), [("0.67", "pass"), ("0.68", "fail"), ("0", "pass")])
def test_low_power_band_is_judged_in_prism(prism: str, expected: str) -> None:
    verdict = run(spectacles("0.50", {"horizontal_prism_total": D(prism), "oc_distance": 64}))
    item = result(verdict, "A-OCH")
    assert item.status.value == expected
    assert item.unit == "Δ"


@pytest.mark.parametrize(("oc_distance", "expected"), [("77.4", "pass"), ("77.5", "fail"), ("50.6", "pass")])
def test_low_power_prism_is_derived_by_prentice_when_not_measured(oc_distance: str, expected: str) -> None:
    # 0.50 D and 13.4 mm decentration: 1.34 cm × 0.50 D = 0.67 Δ, exactly on the limit.
    verdict = run(spectacles("-0.50", {"oc_distance": D(oc_distance)}))
    item = result(verdict, "A-OCH")
    assert item.status.value == expected
    assert any("Prentice" in note for note in item.notes)


def test_plano_lenses_never_fail_centration_by_prentice() -> None:
    verdict = run(spectacles("0", {"oc_distance": 80}))
    assert status(verdict, "A-OCH") == "pass"


@pytest.mark.parametrize(
    ("key", "tolerance"),
    [("1.00", "3.0"), ("1.25", "2.0"), ("2.00", "2.0"), ("2.25", "1.5"), ("4.00", "1.5"), ("4.25", "1.0")],
)
def test_single_side_is_half_the_oc_tolerance(key: str, tolerance: str) -> None:
    inside = run(
        spectacles(key, {"right": {"oc_monocular": 32 + D(tolerance)}, "left": {"oc_monocular": 32}})
    )
    outside = run(
        spectacles(
            key, {"right": {"oc_monocular": 32 - D(tolerance) - D("0.1")}, "left": {"oc_monocular": 32}}
        )
    )
    assert status(inside, "A-OCS.right") == "pass"
    assert status(outside, "A-OCS.right") == "fail"
    assert status(outside, "A-OCS.left") == "pass"


def test_single_side_uses_given_monocular_pd() -> None:
    case = spectacles("-3.00", {"right": {"oc_monocular": 31}, "left": {"oc_monocular": 33}})
    case["nominal"]["right"]["monocular_pd"] = 31
    case["nominal"]["left"]["monocular_pd"] = 33
    verdict = run(case)
    assert status(verdict, "A-OCS.right") == "pass"
    assert status(verdict, "A-OCS.left") == "pass"
    assert result(verdict, "A-OCH").measured == D(64)


def _low_power_pair(right_prism: str) -> dict[str, Any]:
    return spectacles(
        "0.25",
        {
            "right": {"horizontal_prism": D(right_prism)},
            "left": {"horizontal_prism": 0},
            "oc_distance": 64,
            "vertical_difference": 0,
        },
    )


def test_single_side_prism_band_is_indicative_until_confirmed() -> None:
    verdict = run(_low_power_pair("0.34"))
    item = result(verdict, "A-OCS.right")
    assert item.status.value == "fail"
    assert item.indicative
    # A failing row is never under a 合格: the reviewer must confirm the limit or exclude the item.
    assert verdict.overall is Overall.UNDECIDED
    assert verdict.to_dict()["decisions_needed"] == ["A-OCS"]
    assert [entry.result_id for entry in verdict.indicative_findings] == ["A-OCS.right"]
    excluded = run(_low_power_pair("0.34") | {"excluded_rules": {"A-OCS": "委托方确认不考核单侧偏差"}})
    assert excluded.overall is Overall.PASS
    assert excluded.to_dict()["excluded"] == [
        {"result_id": "A-OCS.right", "rule_id": "A-OCS", "reason": "委托方确认不考核单侧偏差"},
        {"result_id": "A-OCS.left", "rule_id": "A-OCS", "reason": "委托方确认不考核单侧偏差"},
    ]
    assert verdict.to_dict()["items"][0]["notice"] is None
    confirmed = run(_low_power_pair("0.34") | {"confirmed_rules": ["A-OCS"]})
    assert not result(confirmed, "A-OCS.right").indicative
    assert confirmed.overall is Overall.FAIL
    on_limit = run(_low_power_pair("0.335") | {"confirmed_rules": ["A-OCS"]})
    assert on_limit.overall is Overall.PASS


@pytest.mark.parametrize(
    ("key", "limit", "unit"),
    [
        ("0.75", "3.0", "mm"),
        ("1.00", "3.0", "mm"),
        ("1.25", "2.0", "mm"),
        ("2.50", "2.0", "mm"),
        ("2.75", "1.0", "mm"),
    ],
)
def test_vertical_difference_band_edges(key: str, limit: str, unit: str) -> None:
    def heights(difference: Decimal) -> dict[str, Any]:
        return {"right": {"oc_height": 20 + difference}, "left": {"oc_height": 20}}

    on_limit = run(spectacles(key, heights(D(limit))))
    beyond = run(spectacles(key, heights(D(limit) + D("0.1"))))
    assert status(on_limit, "A-OCV") == "pass"
    assert status(beyond, "A-OCV") == "fail"
    assert result(beyond, "A-OCV").unit == unit


@pytest.mark.parametrize(("prism", "expected"), [("0.50", "pass"), ("0.51", "fail")])
def test_vertical_low_power_band_in_prism(prism: str, expected: str) -> None:
    verdict = run(spectacles("0.50", {"vertical_prism_difference": D(prism)}))
    assert status(verdict, "A-OCV") == expected


def test_larger_power_of_the_pair_chooses_the_band() -> None:
    case = spectacles("-1.00", {"oc_distance": 67})
    case["nominal"]["left"] = {"sphere": D("-4.50")}
    case["measured"]["left"] = {"sphere": D("-4.50"), "cylinder": 0}
    verdict = run(case)
    # Right alone would allow ±6.0 mm; the left lens (4.50 D) sets ±2.0 mm.
    assert status(verdict, "A-OCH") == "fail"


AXIS_BANDS = [
    ("0.25", "9"),
    ("0.50", "9"),
    ("0.51", "6"),
    ("0.75", "6"),
    ("1.00", "4"),
    ("1.50", "4"),
    ("1.75", "3"),
    ("2.50", "3"),
    ("2.75", "2"),
]


@pytest.mark.parametrize(("cylinder", "tolerance"), AXIS_BANDS)
def test_axis_bands_with_wrap_around(cylinder: str, tolerance: str) -> None:
    nominal_axis = 178
    inside_axis = (nominal_axis + int(tolerance)) % 180
    outside_axis = (nominal_axis + int(tolerance) + 1) % 180
    inside = run(spectacles("-2", {"right": {"axis": inside_axis}}, cylinder=-D(cylinder), axis=nominal_axis))
    outside = run(
        spectacles("-2", {"right": {"axis": outside_axis}}, cylinder=-D(cylinder), axis=nominal_axis)
    )
    assert status(inside, "A-AX.right") == "pass"
    assert result(inside, "A-AX.right").deviation == D(tolerance)
    assert status(outside, "A-AX.right") == "fail"


def test_axis_179_and_1_are_two_degrees_apart() -> None:
    verdict = run(spectacles("-2", {"right": {"axis": 1}}, cylinder=D("-2.75"), axis=179))
    assert result(verdict, "A-AX.right").deviation == D(2)
    assert status(verdict, "A-AX.right") == "pass"


def test_axis_of_a_transposed_measurement() -> None:
    # Nominal -1.00/-1.00x90 measured as -2.00/+1.00x4 (= -1.00/-1.00x94): 4° off, tolerance ±4°.
    case = spectacles("-1", {"right": {"sphere": -2, "cylinder": 1, "axis": 4}}, cylinder=-1, axis=90)
    verdict = run(case)
    assert result(verdict, "A-AX.right").deviation == D(4)
    assert status(verdict, "A-AX.right") == "pass"
    assert status(verdict, "A-PWR-A.right.meridian_1") == "pass"


def test_axis_not_applicable_below_the_table() -> None:
    verdict = run(spectacles("-2", {"right": {"axis": 45}}, cylinder=D("-0.12"), axis=90))
    assert status(verdict, "A-AX.right") == "not_applicable"


def test_multifocal_addition_only_when_prescribed() -> None:
    verdict = run(spectacles("-2", {}))
    assert status(verdict, "A-ADD.right") == "not_applicable"
    case = spectacles("-2", {"right": {"addition": D("2.13")}, "left": {"addition": 2}})
    case["nominal"]["right"]["addition"] = 2
    case["nominal"]["left"]["addition"] = 2
    verdict = run(case)
    assert status(verdict, "A-ADD.right") == "fail"
    assert result(verdict, "A-ADD.right").indicative


def readers(
    measured: dict[str, Any], *, marked: int = 62, sphere: str = "2.00", date: str | None = None
) -> dict[str, Any]:
    lens = {"sphere": D(sphere)}
    case: dict[str, Any] = {
        "product_type": "ready_made_readers",
        "standard": "GB 13511.1" if date else "GB 13511.1-2011",
        "nominal": {"right": lens, "left": lens, "marked_oc_distance": marked},
        "measured": {
            "right": {"sphere": D(sphere), "cylinder": 0, **measured.pop("right", {})},
            "left": {"sphere": D(sphere), "cylinder": 0, **measured.pop("left", {})},
            **measured,
        },
    }
    if date:
        case["test_date"] = date
    return case


@pytest.mark.parametrize(
    ("oc", "expected"), [("64.0", "pass"), ("60.0", "pass"), ("64.1", "fail"), ("59.9", "fail")]
)
def test_readers_oc_distance_against_marked_value(oc: str, expected: str) -> None:
    assert status(run(readers({"oc_distance": D(oc)})), "R-OC") == expected


def test_readers_before_2012_use_the_1999_tolerance() -> None:
    verdict = run(readers({"oc_distance": D("63.5")}, date="2012-01-31"))
    assert verdict.standard.designation == "GB 13511-1999"
    assert status(verdict, "R99-OC") == "fail"
    after = run(readers({"oc_distance": D("63.5")}, date="2012-02-01"))
    assert after.standard.designation == "GB 13511.1-2011"
    assert status(after, "R-OC") == "pass"


def test_readers_power_difference_is_indicative() -> None:
    verdict = run(readers({"oc_distance": 62, "left": {"sphere": D("2.13")}}))
    assert status(verdict, "R-DIF") == "fail"
    assert result(verdict, "R-DIF").indicative
    assert status(verdict, "A-PWR-A.left.meridian_1") == "fail"
    assert verdict.overall is Overall.FAIL


def test_full_pass_and_report_fields() -> None:
    case = spectacles(
        "-3.00",
        {"right": {"oc_monocular": 32, "oc_height": 20}, "left": {"oc_monocular": 32, "oc_height": 20}},
        cylinder=D("-1.00"),
        axis=180,
    )
    verdict = run(case)
    assert verdict.overall is Overall.PASS, [(item.result_id, item.status) for item in verdict.items]
    payload = verdict.to_dict()
    item = next(entry for entry in payload["items"] if entry["result_id"] == "A-OCH")
    assert item["standard"] == "GB 13511.1-2011"
    assert item["clause"] == "表1"
    assert item["certainty"] == "V"
    assert item["tolerance"] == "±3.0"


@pytest.mark.parametrize(
    ("prism", "sphere", "horizontal_tolerance", "vertical_tolerance"),
    [("1.00", "-4.00", "0.65", "0.45"), ("2.00", "-2.00", "0.45", "0.35"), ("3.00", "-2.00", "0.57", "0.47")],
)
def test_prescribed_prism_tolerance_grows_with_power(
    prism: str, sphere: str, horizontal_tolerance: str, vertical_tolerance: str
) -> None:
    def case(horizontal: Decimal, vertical: Decimal) -> dict[str, Any]:
        built = spectacles(sphere, {"right": {"prism_horizontal": horizontal, "prism_vertical": vertical}})
        built["nominal"]["right"] |= {"prism_horizontal": D(prism), "prism_vertical": D(prism)}
        return built

    on_limit = run(case(D(prism) + D(horizontal_tolerance), D(prism) - D(vertical_tolerance)))
    assert status(on_limit, "A-PRM-H.right") == "pass"
    assert status(on_limit, "A-PRM-V.right") == "pass"
    beyond = run(
        case(D(prism) + D(horizontal_tolerance) + D("0.01"), D(prism) - D(vertical_tolerance) - D("0.01"))
    )
    assert status(beyond, "A-PRM-H.right") == "fail"
    assert status(beyond, "A-PRM-V.right") == "fail"
    assert result(beyond, "A-PRM-H.right").indicative
    assert status(beyond, "A-PRM-H.left") == "not_applicable"


def test_a_verdict_with_nothing_assessed_is_not_a_pass() -> None:
    verdict = run({"product_type": "sunglasses", "standard": "GB 10810.3-2006", "measured": {"q_red": 1}})
    assert {item.status.value for item in verdict.items} == {"not_applicable"}
    assert verdict.overall is Overall.INCOMPLETE


def test_optional_marking_item_is_judged_only_when_entered() -> None:
    measured = {"right": {"oc_monocular": 32, "oc_height": 20}, "left": {"oc_monocular": 32, "oc_height": 20}}
    assert status(run(spectacles("-3.00", dict(measured))), "A-MARK") == "not_assessed"
    assert run(spectacles("-3.00", dict(measured))).overall is Overall.PASS
    unmarked = run(spectacles("-3.00", dict(measured) | {"marked_standard": False}))
    assert status(unmarked, "A-MARK") == "fail"
    assert unmarked.overall is Overall.FAIL


def pair_1992(right: dict[str, Any], oc_distance: str) -> dict[str, Any]:
    return {
        "product_type": "assembled_spectacles",
        "standard": "GB 13511-1992",
        "nominal": {"right": right, "left": {"sphere": D("-0.50")}, "pd": 64},
        "measured": {"oc_distance": D(oc_distance)},
    }


@pytest.mark.parametrize(
    ("right", "tolerance"),
    [
        # Horizontal-meridian power |S + C·sin²(axis)|: axis 90 puts the whole cylinder horizontal.
        ({"sphere": D("-0.50"), "cylinder": D("-1.50"), "axis": 90}, "6.0"),  # 2.00 → (1.00, 2.00]
        ({"sphere": D("-0.50"), "cylinder": D("-1.50"), "axis": 180}, "9.0"),  # 0.50 → [0.25, 1.00]
        ({"sphere": D("-1.00"), "cylinder": -2, "axis": 45}, "6.0"),  # exactly 2.00 at sin²45° = 0.5
        ({"sphere": D("-1.00"), "cylinder": -2, "axis": 30}, "6.0"),  # 1.50
        ({"sphere": D("-1.00"), "cylinder": -2, "axis": 60}, "4.0"),  # 2.50
        ({"sphere": D("-4.25")}, "3.0"),
        ({"sphere": D("6.25")}, "2.0"),
    ],
)
def test_1992_edition_keys_on_the_horizontal_meridian(right: dict[str, Any], tolerance: str) -> None:
    on_limit = run(pair_1992(right, str(64 + D(tolerance))))
    beyond = run(pair_1992(right, str(64 - D(tolerance) - D("0.1"))))
    assert on_limit.standard.designation == "GB 13511-1992"
    assert status(on_limit, "A92-OCH") == "pass"
    assert status(beyond, "A92-OCH") == "fail"


@pytest.mark.parametrize(
    ("cylinder", "tolerance"), [("0.50", 6), ("0.75", 4), ("1.50", 4), ("1.75", 3), ("2.75", 2)]
)
def test_1992_axis_bands(cylinder: str, tolerance: int) -> None:
    right = {"sphere": D("-1.00"), "cylinder": -D(cylinder), "axis": 90}
    inside = pair_1992(right, "64") | {"measured": {"right": right | {"axis": 90 + tolerance}}}
    outside = pair_1992(right, "64") | {"measured": {"right": right | {"axis": 90 - tolerance - 1}}}
    assert status(run(inside), "A92-AX.right") == "pass"
    assert status(run(outside), "A92-AX.right") == "fail"


def test_prism_base_direction_is_compared() -> None:
    def case(base_in: bool) -> dict[str, Any]:
        built = spectacles("-2.00", {"right": {"prism_horizontal": D("2.00"), "prism_base_in": base_in}})
        built["nominal"]["right"] |= {"prism_horizontal": D("2.00"), "prism_base_in": True}
        return built

    right_way = run(case(True))
    assert status(right_way, "A-PRM-H.right") == "pass"
    assert status(right_way, "A-PRM-H-BASE.right") == "pass"
    assert status(right_way, "A-PRM-H-BASE.left") == "not_applicable"
    wrong_way = run(case(False))
    # The size is right, the base is the wrong way round: that row fails (U: the reviewer decides).
    assert status(wrong_way, "A-PRM-H.right") == "pass"
    assert status(wrong_way, "A-PRM-H-BASE.right") == "fail"
    assert wrong_way.overall is Overall.UNDECIDED
    assert run(case(False) | {"confirmed_rules": ["A-PRM-H-BASE"]}).overall is Overall.FAIL
    missing = spectacles("-2.00", {"right": {"prism_horizontal": D("2.00")}})
    missing["nominal"]["right"] |= {"prism_horizontal": D("2.00"), "prism_base_in": True}
    assert status(run(missing), "A-PRM-H-BASE.right") == "not_assessed"
