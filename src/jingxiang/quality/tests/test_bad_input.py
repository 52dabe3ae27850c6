"""Bad input: a clear, structured refusal or "not assessed" — never a wrong pass, never a crash."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jingxiang.quality import CaseRejectedError, Overall, judge
from jingxiang.quality.tests.conftest import result, run, status

D = Decimal


def sunglasses(measured: dict[str, Any], units: dict[str, str] | None = None) -> dict[str, Any]:
    case: dict[str, Any] = {
        "product_type": "sunglasses",
        "standard": "GB 39552.1-2020",
        "nominal": {"declared_category": 2},
        "measured": measured,
    }
    if units is not None:
        case["units"] = units
    return case


def spectacles(nominal: dict[str, Any], measured: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "product_type": "assembled_spectacles",
        "standard": "GB 13511.1-2011",
        "nominal": {"right": {"sphere": -2}, "left": {"sphere": -2}, "pd": 64} | nominal,
        "measured": measured or {},
    }


def rejection_codes(case: Any) -> list[str]:
    with pytest.raises(CaseRejectedError) as raised:
        judge(case)
    assert raised.value.problems
    return [problem.code for problem in raised.value.problems]


@pytest.mark.parametrize(
    ("case", "code"),
    [
        (sunglasses({"luminous_transmittance": -5}), "implausible"),
        (sunglasses({"luminous_transmittance": 135}), "implausible"),
        (sunglasses({"luminous_transmittance": D("0.35")}), "ambiguous_unit"),
        (sunglasses({"luminous_transmittance": 35}, {"transmittance": "fraction"}), "unit_mismatch"),
        (sunglasses({"luminous_transmittance": 35}, {"transmittance": "permille"}), "unit"),
        (sunglasses({"luminous_transmittance": "thirty"}), "type"),
        (sunglasses({"luminous_transmittance": True}), "type"),
        (sunglasses({"marked_not_for_driving": "yes"}), "type"),
        (spectacles({"pd": 500}), "implausible"),
        (spectacles({"pd": D("6.4")}), "implausible"),
        (spectacles({}, {"right": {"axis": 181}}), "implausible"),
        (spectacles({}, {"right": {"axis": -1}}), "implausible"),
        (spectacles({"right": {"sphere": 45}}), "implausible"),
        (spectacles({"lens": {"sphere": 1}}), "lens_side"),
        (spectacles({"sphere": 1}), "lens_field"),
        (spectacles({"right": {"pd": 64}}), "lens_field"),
        ({"standard": "GB 13511.1-2011"}, "required"),
        ({"product_type": "contact_lens", "standard": "GB 13511.1-2011"}, "product_type"),
        ({"product_type": "frame", "standard": "GB 99999"}, "unknown_standard"),
        ({"product_type": "sunglasses", "standard": "GB 10810.1-2005"}, "wrong_standard_for_product"),
        ({"product_type": "frame", "standard": "GB/T 14214", "test_date": "2024-13-01"}, "date"),
        ({"product_type": "frame"}, "standard"),
        ({"product_type": "uncut_lens", "standard": "GB 10810.1"}, "edition"),
        ({"product_type": "frame", "standard": "GB/T 14214-2019", "confirmed_rules": "F-NI"}, "type"),
        ("{not json", "json"),
        ("[1, 2]", "json"),
    ],
)
def test_bad_input_is_refused_with_a_structured_reason(case: Any, code: str) -> None:
    assert code in rejection_codes(case)


def test_pd_in_centimetres_is_hinted_and_accepted_when_declared() -> None:
    with pytest.raises(CaseRejectedError) as raised:
        judge(spectacles({"pd": D("6.4")}))
    assert "centimetres" in raised.value.problems[0].message
    verdict = judge(spectacles({"pd": D("6.4")}, {"oc_distance": D("6.5")}) | {"units": {"length": "cm"}})
    assert status(verdict, "A-OCH") == "pass"
    assert result(verdict, "A-OCH").nominal == D(64)
    assert result(verdict, "A-OCH").measured == D(65)
    # With cm declared, a millimetre value is the implausible one and is refused.
    assert "implausible" in rejection_codes(
        spectacles({"pd": D("6.4")}, {"oc_distance": 64}) | {"units": {"length": "cm"}}
    )


def test_value_objects_carry_their_own_unit() -> None:
    case = spectacles({"pd": {"value": D("6.4"), "unit": "cm"}}, {"oc_distance": 65})
    verdict = judge(case)
    assert status(verdict, "A-OCH") == "pass"
    assert result(verdict, "A-OCH").nominal == D(64)


def test_every_problem_is_reported_at_once() -> None:
    case = spectacles({"pd": 500, "right": {"sphere": 45}}, {"right": {"axis": 181}})
    assert len(rejection_codes(case)) == 3


def test_missing_measurements_are_not_assessed_never_passed() -> None:
    verdict = run(spectacles({}, {"right": {"sphere": -2}, "left": {"sphere": -2, "cylinder": 0}}))
    assert status(verdict, "A-PWR-A.right") == "not_assessed"
    assert status(verdict, "A-PWR-B.right") == "not_assessed"
    assert status(verdict, "A-OCH") == "not_assessed"
    assert verdict.overall is Overall.INCOMPLETE
    assert "A-OCH" in verdict.to_dict()["not_assessed_mandatory"]


def test_a_failure_decides_even_when_other_items_are_missing() -> None:
    verdict = run(spectacles({}, {"right": {"sphere": D("-2.5"), "cylinder": 0}}))
    assert verdict.overall is Overall.FAIL


def test_unknown_fields_are_warned_about_not_silently_used() -> None:
    verdict = run(spectacles({}, {"right": {"spehre": -2}}))
    assert any("spehre" in warning for warning in verdict.warnings)
    assert verdict.overall is Overall.INCOMPLETE


def test_python_floats_from_the_web_app_are_read_as_the_decimals_typed() -> None:
    # 0.12 as a binary float is 0.1199999…; the engine reads the typed "0.12", so it passes on the edge.
    measured_lens: dict[str, float] = {"sphere": -1.88, "cylinder": -0.09}
    case: dict[str, Any] = {
        "product_type": "uncut_lens",
        "standard": "GB 10810.1-2005",
        "nominal": {"lens": {"sphere": -2.0, "cylinder": 0.0}},
        "measured": {"lens": measured_lens},
    }
    verdict = judge(case)
    assert result(verdict, "L-PWR-A.lens.meridian_1").deviation == D("0.12")
    assert status(verdict, "L-PWR-A.lens.meridian_1") == "pass"
    assert status(verdict, "L-PWR-B.lens") == "pass"
    measured_lens["cylinder"] = -0.1
    assert status(judge(case), "L-PWR-B.lens") == "fail"
