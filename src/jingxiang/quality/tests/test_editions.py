"""Choosing the edition in force on a test date, and adding an edition by uploading a rules file."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from jingxiang.quality import (
    CaseRejectedError,
    RuleRegistry,
    RulesInvalidError,
    item_catalogue,
    judge,
    product_types,
    standards_for,
)

D = Decimal


def assembled(date: str, standard: str = "GB 13511.1", oc_distance: str = "66.5") -> dict[str, Any]:
    lens = {"sphere": D("-3.00")}
    return {
        "product_type": "assembled_spectacles",
        "standard": standard,
        "test_date": date,
        "nominal": {"right": lens, "left": lens, "pd": 64},
        "measured": {
            "right": {"sphere": D("-3.00"), "cylinder": 0, "oc_monocular": D(oc_distance) / 2},
            "left": {"sphere": D("-3.00"), "cylinder": 0, "oc_monocular": D(oc_distance) / 2},
            "oc_distance": D(oc_distance),
            "vertical_difference": 0,
        },
    }


def builtin_text(name: str) -> str:
    return resources.files("jingxiang.quality").joinpath("rules", name).read_text(encoding="utf-8")


def new_edition_text() -> str:
    """A made-up GB/T 13511.1-2025 rules file with a tighter OC band, for testing uploads only."""
    text = builtin_text("gb-13511.1-2011.yaml")
    text = text.replace("designation: GB 13511.1-2011", "designation: GB/T 13511.1-2025")
    text = text.replace('edition: "2011"', 'edition: "2025"')
    text = text.replace("aliases: [GB/T 13511.1]", "aliases: []")
    text = text.replace("effective_from: 2012-02-01", "effective_from: 2026-03-01")
    text = text.replace("effective_until: 2026-02-28", "effective_until: null")
    text = text.replace("mandatory: true\n  effective_from", "mandatory: false\n  effective_from")
    return text.replace(
        '{band: "(2.00, 4.00]", tolerance: 3.0, unit: mm}', '{band: "(2.00, 4.00]", tolerance: 2.0, unit: mm}'
    )


@pytest.mark.parametrize(
    ("date", "designation"),
    [("2012-02-01", "GB 13511.1-2011"), ("2020-01-01", "GB 13511.1-2011"), ("2026-02-28", "GB 13511.1-2011")],
)
def test_edition_in_force_on_the_test_date(date: str, designation: str) -> None:
    verdict = judge(assembled(date))
    assert verdict.standard.designation == designation
    assert verdict.standard.selected_by == "test_date"


def test_day_before_2011_edition_only_the_1999_edition_applies_and_it_lacks_assembled_spectacles() -> None:
    with pytest.raises(CaseRejectedError) as raised:
        judge(assembled("2012-01-31"))
    assert raised.value.problems[0].code == "wrong_standard_for_product"


def test_after_2011_edition_is_withdrawn_no_loaded_edition_is_in_force() -> None:
    with pytest.raises(CaseRejectedError) as raised:
        judge(assembled("2026-03-01"))
    assert raised.value.problems[0].code == "no_edition_in_force"
    assert "GB 13511.1-2011" in raised.value.problems[0].message


def test_uploaded_edition_is_validated_loaded_and_chosen_by_date() -> None:
    registry = RuleRegistry.builtin().with_documents([("gbt-13511.1-2025.yaml", new_edition_text())])
    before = judge(assembled("2026-02-28"), registry)
    on = judge(assembled("2026-03-01"), registry)
    after = judge(assembled("2027-01-01"), registry)
    assert before.standard.designation == "GB 13511.1-2011"
    assert on.standard.designation == after.standard.designation == "GB/T 13511.1-2025"
    # 2.5 mm off: inside ±3.0 (2011) but outside the uploaded file's ±2.0.
    assert before.overall.value == "pass"
    assert on.overall.value == "fail"
    assert [
        entry["designation"]
        for entry in standards_for("assembled_spectacles", on=on.test_date, registry=registry)
    ] == ["GB/T 13511.1-2025"]


def test_uploaded_edition_overlapping_an_existing_one_is_refused() -> None:
    text = new_edition_text().replace("effective_from: 2026-03-01", "effective_from: 2025-01-01")
    with pytest.raises(RulesInvalidError) as raised:
        RuleRegistry.builtin().with_documents([("bad.yaml", text)])
    assert raised.value.problems[0].code == "overlapping_editions"


def test_uploading_a_loaded_designation_again_is_refused() -> None:
    with pytest.raises(RulesInvalidError) as raised:
        RuleRegistry.builtin().with_documents([("again.yaml", builtin_text("gb-10810.1-2005.yaml"))])
    assert {problem.code for problem in raised.value.problems} >= {"duplicate"}


@pytest.mark.parametrize(
    ("date", "designation"),
    [("2021-11-30", None), ("2021-12-01", "GB 39552.1-2020"), ("2021-12-02", "GB 39552.1-2020")],
)
def test_sunglasses_standard_starts_on_its_effective_date(date: str, designation: str | None) -> None:
    case = {
        "product_type": "sunglasses",
        "standard": "GB 39552.1",
        "test_date": date,
        "nominal": {"declared_category": 2},
        "measured": {"luminous_transmittance": 30},
    }
    if designation is None:
        with pytest.raises(CaseRejectedError):
            judge(case)
    else:
        assert judge(case).standard.designation == designation


@pytest.mark.parametrize(("date", "in_force"), [("2021-11-30", True), ("2021-12-01", False)])
def test_qb_2457_lapses_when_gb_39552_takes_effect(date: str, in_force: bool) -> None:
    case = {
        "product_type": "sunglasses",
        "standard": "QB 2457",
        "test_date": date,
        "nominal": {"declared_qb_class": 2},
        "measured": {"luminous_transmittance": 30},
    }
    if in_force:
        assert judge(case).standard.designation == "QB 2457-1999"
    else:
        with pytest.raises(CaseRejectedError):
            judge(case)


def test_explicit_edition_outside_its_period_is_judged_with_a_warning() -> None:
    verdict = judge(assembled("2027-01-01", standard="GB 13511.1-2011"))
    assert verdict.standard.selected_by == "designation"
    assert any("was not in force" in warning for warning in verdict.warnings)


def test_edition_given_separately() -> None:
    case = assembled("2027-01-01") | {"edition": "2011"}
    assert judge(case).standard.designation == "GB 13511.1-2011"
    with pytest.raises(CaseRejectedError) as raised:
        judge(assembled("2020-01-01") | {"edition": "2030"})
    assert raised.value.problems[0].code == "unknown_edition"


def test_the_only_standard_in_force_is_chosen_when_none_is_named() -> None:
    case = {
        "product_type": "frame",
        "test_date": "2024-05-01",
        "nominal": {"boxed_centre_distance": 64},
        "measured": {"nickel_release": D("0.1")},
    }
    assert judge(case).standard.designation == "GB/T 14214-2019"


def test_catalogue_lists_fields_for_result_entry() -> None:
    entries = {
        entry.rule_id: entry.to_dict() for entry in item_catalogue("assembled_spectacles", "GB 13511.1-2011")
    }
    assert "R-OC" not in entries
    assert entries["A-OCH"]["mandatory"] is True
    assert {field["name"] for field in entries["A-OCH"]["measured_fields"]} == {
        "oc_distance",
        "horizontal_prism_total",
    }
    assert {field["name"] for field in entries["A-PWR-A"]["nominal_fields"]} == {"sphere", "cylinder"}
    assert entries["A-PWR-A"]["sides"] == ["right", "left"]
    assert entries["A-AX"]["certainty"] == "V"
    readers = {entry.rule_id for entry in item_catalogue("ready_made_readers", "GB 13511.1-2011")}
    assert {"R-OC", "R-DIF", "A-PWR-A"} <= readers
    assert "A-OCH" not in readers


def test_product_types_are_listed_with_labels() -> None:
    listed = {entry["id"]: entry for entry in product_types()}
    assert len(listed) == 7
    assert listed["ready_made_readers"]["label_zh"] == "老视成镜"
