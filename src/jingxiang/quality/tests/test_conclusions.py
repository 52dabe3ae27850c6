"""A conclusion never says pass over a failing row; editions without rules; instruments per item."""

from __future__ import annotations

import datetime
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jingxiang.quality import (
    CaseRejectedError,
    Overall,
    RuleRegistry,
    conclude,
    edition_gaps,
    instrument_types_by_rule,
    judge,
)
from jingxiang.quality.tests.conftest import run

D = Decimal

UV_FAIL = {
    "product_type": "sunglasses",
    "standard": "GB 39552.1-2020",
    "units": {"transmittance": "percent"},
    "nominal": {"declared_category": 2},
    "measured": {
        "luminous_transmittance": D("30"),
        "min_spectral_transmittance_475_650": D("30"),
        "q_red": D("0.9"),
        "q_yellow": D("0.9"),
        "q_green": D("0.9"),
        "q_blue": D("0.9"),
        "uvb_transmittance": D("0.1"),
        "uva_transmittance": D("16"),  # category 2: limit 0.5 τv = 15 % (U)
        "marked_not_for_night_driving": True,
    },
}


def test_failing_indicative_uva_row_never_gives_a_pass() -> None:
    verdict = run(UV_FAIL).to_dict()
    assert verdict["overall"] == "undecided"
    assert verdict["decisions_needed"] == ["S-UV-A"]
    assert "S-UV-A" in verdict["judged_on_indicative_limits"]


def test_confirming_the_limit_makes_the_row_count() -> None:
    verdict = run(UV_FAIL | {"confirmed_rules": ["S-UV-A"]}).to_dict()
    assert verdict["overall"] == "fail"
    assert verdict["failed"] == ["S-UV-A"]
    assert verdict["decisions_needed"] == []


def test_excluding_with_reason_leaves_it_out_and_says_so() -> None:
    verdict = run(UV_FAIL | {"excluded_rules": {"S-UV-A": "合同约定不考核紫外A"}}).to_dict()
    assert verdict["overall"] == "pass"
    assert verdict["excluded"] == [
        {"result_id": "S-UV-A", "rule_id": "S-UV-A", "reason": "合同约定不考核紫外A"}
    ]
    row = next(item for item in verdict["items"] if item["rule_id"] == "S-UV-A")
    assert row["status"] == "fail" and row["excluded"] and row["exclusion_reason"] == "合同约定不考核紫外A"


@pytest.mark.parametrize(
    ("excluded", "code"),
    [({"S-UV-A": " "}, "reason"), ({"S-UV-A": 3}, "reason"), (["S-UV-A"], "type")],
)
def test_an_exclusion_needs_a_written_reason(excluded: Any, code: str) -> None:
    with pytest.raises(CaseRejectedError) as raised:
        judge(UV_FAIL | {"excluded_rules": excluded})
    assert [problem.code for problem in raised.value.problems] == [code]


def test_a_rule_cannot_be_confirmed_and_excluded() -> None:
    with pytest.raises(CaseRejectedError) as raised:
        judge(UV_FAIL | {"confirmed_rules": ["S-UV-A"], "excluded_rules": {"S-UV-A": "x"}})
    assert raised.value.problems[0].code == "conflict"


def test_a_rules_file_can_mark_a_u_limit_confirmed() -> None:
    base = RuleRegistry.builtin()
    text = resources.files("jingxiang.quality").joinpath("rules/gb-39552.1-2020.yaml").read_text("utf-8")
    marker = "id: S-UV-A\n"
    assert marker in text
    indent = text.split(marker)[0].rsplit("\n", 1)[1].replace("-", " ")
    checked = text.replace(marker, f"{marker}{indent}confirmed_source: 标准文本第 5.3 条,2026-12-01 核对\n")
    checked = checked.replace("designation: GB 39552.1-2020", "designation: GB 39552.1-2020X", 1)
    checked = checked.replace("series: GB 39552.1\n", "series: GB 39552.1X\n", 1)
    registry = base.with_documents([("checked.yaml", checked)])
    verdict = judge(UV_FAIL | {"standard": "GB 39552.1-2020X"}, registry=registry).to_dict()
    row = next(item for item in verdict["items"] if item["rule_id"] == "S-UV-A")
    assert row["confirmed"] and not row["indicative"]
    assert row["confirmed_source"].startswith("标准文本")
    assert verdict["overall"] == "fail"


ROW_STATUSES = st.sampled_from(["pass", "fail", "not_assessed", "not_applicable"])


@given(
    st.lists(
        st.tuples(ROW_STATUSES, st.booleans(), st.booleans(), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_conclusion_is_pass_only_when_no_counted_row_fails(rows: list[tuple[str, bool, bool, bool]]) -> None:
    items = [
        {
            "result_id": f"R{i}",
            "rule_id": f"R{i}",
            "status": status,
            "indicative": indicative,
            "mandatory": mandatory,
            "excluded": excluded,
        }
        for i, (status, indicative, mandatory, excluded) in enumerate(rows)
    ]
    overall = conclude(items)["overall"]
    counted_fail = [i for i in items if i["status"] == "fail" and not i["excluded"]]
    if overall == Overall.PASS:
        assert not counted_fail
    if any(not i["indicative"] for i in counted_fail):
        assert overall == Overall.FAIL
    elif counted_fail:
        assert overall == Overall.UNDECIDED


def test_spectacles_after_march_2026_have_a_blocking_gap() -> None:
    registry = RuleRegistry.builtin()
    gaps = edition_gaps("assembled_spectacles", datetime.date(2026, 3, 2), registry, series="GB 13511.1")
    assert [(gap.edition.designation, gap.blocks) for gap in gaps] == [("GB/T 13511.1-2025", True)]
    assert (
        edition_gaps("assembled_spectacles", datetime.date(2026, 2, 28), registry, series="GB 13511.1") == []
    )


def test_gb_45184_is_a_further_notice_that_does_not_block() -> None:
    gaps = edition_gaps("frame", datetime.date(2026, 1, 1), RuleRegistry.builtin(), series="GB/T 14214")
    assert [(gap.edition.designation, gap.blocks) for gap in gaps] == [("GB 45184-2024", False)]


def test_instrument_types_come_from_the_measured_fields() -> None:
    registry = RuleRegistry.builtin()
    spectacles = registry.find("GB 13511.1-2011")
    sun = registry.find("GB 39552.1-2020")
    assert spectacles is not None and sun is not None
    by_rule = instrument_types_by_rule(spectacles)
    assert by_rule["A-PWR-A"] == ("focimeter",)
    assert set(by_rule["A-OCH"]) == {"focimeter", "pd_meter"}
    assert by_rule["A-MARK"] == ()
    assert instrument_types_by_rule(sun)["S-UV-A"] == ("spectrophotometer",)
