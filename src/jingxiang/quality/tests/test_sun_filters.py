"""Sunglasses (GB 39552.1-2020, QB 2457-1999, GB 10810.3-2006), frames and the plateau profile."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jingxiang.quality import Overall
from jingxiang.quality.tests.conftest import result, run, status

D = Decimal

GOOD_ROAD_USE = {
    "q_red": D("0.9"),
    "q_yellow": D("0.9"),
    "q_green": D("0.9"),
    "q_blue": D("0.9"),
    "uvb_transmittance": D("0.1"),
    "uva_transmittance": D("0.1"),
    "marked_not_for_night_driving": True,
}


def sunglasses(tv: str, declared: int | None, **measured: Any) -> dict[str, Any]:
    values = {"luminous_transmittance": D(tv), "min_spectral_transmittance_475_650": D(tv), **measured}
    return {
        "product_type": "sunglasses",
        "standard": "GB 39552.1-2020",
        "units": {"transmittance": "percent"},
        "nominal": {} if declared is None else {"declared_category": declared},
        "measured": values,
    }


# τv on, just inside and just outside each category edge (exclusive below, inclusive above).
CATEGORY_EDGES = [
    ("100", 0),
    ("80.01", 0),
    ("80", 1),
    ("43.01", 1),
    ("43", 2),
    ("18.01", 2),
    ("18", 3),
    ("8.01", 3),
    ("8", 4),
    ("3.01", 4),
]


@pytest.mark.parametrize(("tv", "category"), CATEGORY_EDGES)
def test_category_boundaries(tv: str, category: int) -> None:
    verdict = run(sunglasses(tv, category))
    assert status(verdict, "S-CAT") == "pass"
    wrong = run(sunglasses(tv, (category + 1) % 5))
    assert status(wrong, "S-CAT") == "fail"


@pytest.mark.parametrize("tv", ["3", "2.5", "1.2"])
def test_transmittance_at_or_below_3_percent_is_in_no_category(tv: str) -> None:
    verdict = run(sunglasses(tv, 4, marked_not_for_driving=True))
    assert status(verdict, "S-CAT") == "fail"
    assert verdict.overall is Overall.FAIL


def test_missing_declared_category_is_not_assessed_and_blocks_a_pass() -> None:
    verdict = run(sunglasses("30", None, **GOOD_ROAD_USE))
    assert status(verdict, "S-CAT") == "not_assessed"
    assert verdict.overall is Overall.INCOMPLETE


def test_category_4_needs_the_not_for_driving_marking_and_skips_road_use() -> None:
    unmarked = run(sunglasses("5", 4, uvb_transmittance=D("0.5"), uva_transmittance=D("1")))
    assert status(unmarked, "S-DRV-1") == "not_assessed"
    assert unmarked.overall is Overall.INCOMPLETE
    marked_false = run(sunglasses("5", 4, marked_not_for_driving=False))
    assert status(marked_false, "S-DRV-1") == "fail"
    assert marked_false.overall is Overall.FAIL
    marked = run(sunglasses("5", 4, marked_not_for_driving=True, **GOOD_ROAD_USE))
    assert status(marked, "S-DRV-1") == "pass"
    assert status(marked, "S-DRV-3-RED") == "not_applicable"
    assert marked.overall is Overall.PASS


@pytest.mark.parametrize(
    ("field", "rule", "limit"),
    [
        ("q_red", "S-DRV-3-RED", "0.80"),
        ("q_yellow", "S-DRV-3-YELLOW", "0.80"),
        ("q_green", "S-DRV-3-GREEN", "0.60"),
    ],
)
def test_traffic_signal_quotients_on_the_limit(field: str, rule: str, limit: str) -> None:
    on_limit = run(sunglasses("20", 2, **(GOOD_ROAD_USE | {field: D(limit)})))
    below = run(sunglasses("20", 2, **(GOOD_ROAD_USE | {field: D(limit) - D("0.01")})))
    assert status(on_limit, rule) == "pass"
    assert on_limit.overall is Overall.PASS
    assert status(below, rule) == "fail"
    assert below.overall is Overall.FAIL


def test_blue_quotient_is_indicative() -> None:
    verdict = run(sunglasses("20", 2, **(GOOD_ROAD_USE | {"q_blue": D("0.39")})))
    assert status(verdict, "S-DRV-3-BLUE") == "fail"
    assert result(verdict, "S-DRV-3-BLUE").indicative
    assert verdict.overall is Overall.UNDECIDED
    confirmed = run(
        sunglasses("20", 2, **(GOOD_ROAD_USE | {"q_blue": D("0.39")})) | {"confirmed_rules": ["S-DRV-3-BLUE"]}
    )
    assert confirmed.overall is Overall.FAIL


def test_road_use_items_do_not_apply_when_marked_not_for_driving() -> None:
    verdict = run(
        sunglasses("20", 2, **(GOOD_ROAD_USE | {"q_red": D("0.5"), "marked_not_for_driving": True}))
    )
    assert status(verdict, "S-DRV-3-RED") == "not_applicable"


@pytest.mark.parametrize(("spectral", "expected"), [("4.00", "pass"), ("3.99", "fail")])
def test_spectral_transmittance_475_650_at_least_a_fifth_of_tv(spectral: str, expected: str) -> None:
    verdict = run(
        sunglasses("20", 2, **(GOOD_ROAD_USE | {"min_spectral_transmittance_475_650": D(spectral)}))
    )
    assert status(verdict, "S-DRV-2") == expected


@pytest.mark.parametrize(("tv", "expected"), [("75", "pass"), ("74.99", "fail")])
def test_night_driving_claim_needs_75_percent(tv: str, expected: str) -> None:
    case = sunglasses(tv, 1, **GOOD_ROAD_USE)
    case["nominal"]["claims_night_driving"] = True
    assert status(run(case), "S-DRV-4") == expected
    assert status(run(sunglasses(tv, 1, **GOOD_ROAD_USE)), "S-DRV-4") == "not_applicable"


@pytest.mark.parametrize(
    ("tv", "category", "uvb_limit", "uva_limit"),
    [
        ("50", 1, "2.50", "50"),
        ("30", 2, "1.50", "15"),
        ("19", 2, "1.0", "9.5"),
        ("10", 3, "1.0", "5"),
        ("5", 4, "1.0", "2.5"),
    ],
)
def test_uv_limits_by_category(tv: str, category: int, uvb_limit: str, uva_limit: str) -> None:
    base = GOOD_ROAD_USE | {"marked_not_for_driving": category == 4}
    on_limit = run(
        sunglasses(
            tv, category, **(base | {"uvb_transmittance": D(uvb_limit), "uva_transmittance": D(uva_limit)})
        )
    )
    assert status(on_limit, "S-UV-B") == "pass"
    assert status(on_limit, "S-UV-A") == "pass"
    above = run(
        sunglasses(
            tv,
            category,
            **(
                base
                | {
                    "uvb_transmittance": D(uvb_limit) + D("0.01"),
                    "uva_transmittance": D(uva_limit) + D("0.01"),
                }
            ),
        )
    )
    assert status(above, "S-UV-B") == "fail"
    assert status(above, "S-UV-A") == "fail"
    assert result(above, "S-UV-A").indicative
    # The UV-B row fails on a U limit too, so the conclusion waits for the reviewer's decision.
    assert above.overall is Overall.UNDECIDED
    assert above.to_dict()["decisions_needed"] == ["S-UV-A", "S-UV-B"]


def test_transmittance_as_fraction_is_converted() -> None:
    case = sunglasses("0", 2)
    case["units"] = {"transmittance": "fraction"}
    case["measured"] = {
        "luminous_transmittance": D("0.43"),
        "min_spectral_transmittance_475_650": D("0.2"),
    } | {key: value for key, value in GOOD_ROAD_USE.items() if not key.endswith("transmittance")}
    case["measured"]["uva_transmittance"] = D("0.001")
    case["measured"]["uvb_transmittance"] = D("0.001")
    verdict = run(case)
    assert result(verdict, "S-CAT").measured == D("43.00")
    assert status(verdict, "S-CAT") == "pass"


def qb_case(tv: str, declared_class: int, date: str = "2020-06-01", **measured: Any) -> dict[str, Any]:
    return {
        "product_type": "sunglasses",
        "standard": "QB 2457",
        "test_date": date,
        "nominal": {"declared_qb_class": declared_class},
        "measured": {"luminous_transmittance": D(tv), "prism_imbalance": D("0.1"), **measured},
    }


@pytest.mark.parametrize(("tv", "declared"), [("40.01", 1), ("40", 2), ("8.01", 2), ("8", 3), ("3.01", 3)])
def test_qb_2457_classes(tv: str, declared: int) -> None:
    verdict = run(qb_case(tv, declared, uva_transmittance=0, uvb_transmittance=0))
    assert verdict.standard.designation == "QB 2457-1999"
    assert status(verdict, "QB-CLASS") == "pass"
    assert result(verdict, "QB-CLASS").indicative


@pytest.mark.parametrize(("prism", "expected"), [("0.25", "pass"), ("0.26", "fail")])
def test_qb_2457_prism(prism: str, expected: str) -> None:
    verdict = run(qb_case("20", 2, prism_imbalance=D(prism)))
    assert status(verdict, "QB-PRISM") == expected


@pytest.mark.parametrize(("uvb", "expected"), [("9.99", "pass"), ("10", "fail")])
def test_qb_2457_uvb_is_strictly_below_half_tv(uvb: str, expected: str) -> None:
    verdict = run(qb_case("20", 2, uvb_transmittance=D(uvb), uva_transmittance=1))
    assert status(verdict, "QB-UV-B") == expected


def test_driving_quotients_of_gb_10810_3_are_indicative() -> None:
    case = {
        "product_type": "sunglasses",
        "standard": "GB 10810.3-2006",
        "nominal": {"intended_for_driving": True},
        "measured": {"q_red": D("0.79"), "q_yellow": D("0.6"), "q_green": D("0.6"), "q_blue": D("0.4")},
    }
    verdict = run(case)
    assert status(verdict, "T-Q-RED") == "fail"
    assert status(verdict, "T-Q-YELLOW") == "pass"
    # Every item of this edition is unverified: a failing indicative row waits for a decision,
    # and once excluded, indicative passes alone never make a pass.
    assert verdict.overall is Overall.UNDECIDED
    assert run(case | {"excluded_rules": {"T-Q-RED": "不考核"}}).overall is Overall.INCOMPLETE
    assert run(case | {"confirmed_rules": ["T-Q-RED"]}).overall is Overall.FAIL


def goggles(tv: str, **measured: Any) -> dict[str, Any]:
    values = {
        "luminous_transmittance": D(tv),
        "marked_not_for_driving": True,
        "uvb_transmittance": D("0.5"),
        "uva_transmittance": D("1"),
        **measured,
    }
    return {
        "product_type": "high_altitude_goggles",
        "standard": "JX-HA-2026",
        "nominal": {"declared_category": 4},
        "measured": values,
    }


@pytest.mark.parametrize(
    ("tv", "expected"), [("8", "pass"), ("3.01", "pass"), ("8.01", "fail"), ("3", "fail")]
)
def test_high_altitude_profile_requires_category_4(tv: str, expected: str) -> None:
    verdict = run(goggles(tv))
    assert status(verdict, "HA-CAT4") == expected
    assert verdict.overall.value == expected


def test_high_altitude_profile_requires_not_for_driving_marking() -> None:
    verdict = run(goggles("5", marked_not_for_driving=False))
    assert status(verdict, "HA-NODRIVE") == "fail"
    assert verdict.overall is Overall.FAIL


def frame(**measured: Any) -> dict[str, Any]:
    values = {
        "nickel_release": D("0.2"),
        "bridge_permanent_deformation": D("1"),
        "bridge_intact": True,
        **measured,
    }
    return {
        "product_type": "frame",
        "standard": "GB/T 14214-2019",
        "nominal": {"boxed_centre_distance": 64},
        "measured": values,
    }


@pytest.mark.parametrize(("nickel", "expected"), [("0.5", "pass"), ("0.51", "fail"), ("0", "pass")])
def test_frame_nickel_release(nickel: str, expected: str) -> None:
    assert status(run(frame(nickel_release=D(nickel))), "F-NI") == expected


@pytest.mark.parametrize(("deformation", "expected"), [("1.28", "pass"), ("1.29", "fail")])
def test_frame_bridge_deformation_two_percent_of_c(deformation: str, expected: str) -> None:
    verdict = run(frame(bridge_permanent_deformation=D(deformation)))
    assert status(verdict, "F-BRG") == expected


def test_frame_cracked_bridge_fails_and_unverified_dimensions_do_not_decide() -> None:
    assert run(frame(bridge_intact=False)).overall is Overall.FAIL
    verdict = run(frame())
    assert status(verdict, "F-DIM-LENS") == "not_assessed"
    assert verdict.overall is Overall.PASS


@pytest.mark.parametrize(("tv", "expected"), [("8.01", "pass"), ("8", "fail")])
def test_a_filter_sold_for_driving_cannot_be_category_4(tv: str, expected: str) -> None:
    case = sunglasses(tv, 3 if expected == "pass" else 4, **GOOD_ROAD_USE)
    case["nominal"]["intended_for_driving"] = True
    assert status(run(case), "S-DRV-0") == expected
