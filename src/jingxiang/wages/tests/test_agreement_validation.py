"""Agreement validation names every violation, with the figures, and blocks use only on errors."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from jingxiang.wages import AgreementInvalidError
from jingxiang.wages.tests.conftest import (
    STATUTORY,
    TABLE,
    agreement,
    agreement_data,
    codes,
    dump,
    problems,
    statutory,
)

D = Decimal
# A term that takes effect after 人社厅发〔2025〕52号 was issued (2025-11-05): its floors bind.
AFTER_GUIDELINE = {"effective_from": "2025-12-01", "expires_on": "2026-11-30"}


def table_with(class_code: str, level: str, amount: object) -> dict:
    table = copy.deepcopy(TABLE)
    table[class_code][level] = amount
    return table


def test_the_test_agreement_is_valid_without_warnings() -> None:
    assert problems(agreement_data()) == []


@pytest.mark.parametrize(
    ("class_code", "level", "floor"),
    [
        ("basic", "学徒工", "2373.00"),
        ("important", "初级工", "2712.00"),
        ("key", "中级工", "3390.00"),
        ("core", "技师", "4520.00"),
    ],
)
def test_class_floor_equal_passes_one_fen_under_fails(class_code: str, level: str, floor: str) -> None:
    at_floor = agreement_data(
        term={**AFTER_GUIDELINE, "minimum_wage": table_with(class_code, level, D(floor))}
    )
    assert codes(at_floor) == []
    under = agreement_data(
        term={**AFTER_GUIDELINE, "minimum_wage": table_with(class_code, level, D(floor) - D("0.01"))}
    )
    found = [problem for problem in problems(under) if problem.code == "below_class_floor"]
    assert len(found) == 1 and found[0].is_error
    assert found[0].path == f"/terms/0/minimum_wage/{class_code}/{level}"
    assert "shortfall 0.01" in found[0].message and floor in found[0].message


def test_class_floors_are_105_120_150_200_percent() -> None:
    from jingxiang.wages import reference

    assert {item.name_zh: item.floor_percent for item in reference().post_classes} == {
        "基础类": 105,
        "重要类": 120,
        "关键类": 150,
        "核心类": 200,
    }
    assert [level.name_zh for level in reference().levels] == [
        "学徒工", "初级工", "中级工", "高级工", "技师", "高级技师", "特级技师", "首席技师",
    ]  # fmt: skip


def test_a_term_before_the_guideline_gets_floor_warnings_not_errors() -> None:
    data = agreement_data(term={"minimum_wage": table_with("basic", "学徒工", 2300)})
    found = [problem for problem in problems(data) if problem.code == "below_class_floor"]
    assert found and all(problem.severity == "warning" for problem in found)
    agreement(data)  # still usable


def test_below_the_statutory_minimum_is_always_an_error() -> None:
    data = agreement_data(term={"minimum_wage": table_with("basic", "学徒工", D("2259.99"))})
    assert "below_statutory_minimum" in codes(data)
    with pytest.raises(AgreementInvalidError) as raised:
        agreement(data)
    assert "2259.99" in raised.value.problems[0].message


def test_a_term_spanning_a_statutory_rise_is_checked_against_the_new_minimum() -> None:
    # 2,300 meets 105 % of 2,070 (2,173.50) in 2023 but not 2,260 from 2024-01.
    data = agreement_data(term={"minimum_wage": table_with("basic", "学徒工", 2300)})
    found = [problem for problem in problems(data) if problem.code == "below_class_floor"]
    assert len(found) == 1 and "from 2024-01" in found[0].message


def test_the_annual_increase_is_checked_in_every_year() -> None:
    # Tier 2 rises to 2,400 in 2026-12, the second year of the term: 2,373 × 1.03 = 2,444.19 is
    # below 105 % of 2,400 (2,520.00), so year 2 fails while year 1 passes.
    rising = copy.deepcopy(STATUTORY)
    rising["periods"].append(
        {
            "effective_from": "2026-12-01",
            "source": "test 2026",
            "certainty": "V",
            "tiers": [{"tier": 2, "monthly": 2400}],
        }
    )
    data = agreement_data(
        term={"effective_from": "2025-12-01", "expires_on": "2027-11-30", "annual_increase_percent": 3}
    )
    assert codes(data) == []
    found = [problem for problem in problems(data, statutory(rising)) if problem.code == "below_class_floor"]
    basic = [problem for problem in found if problem.path.endswith("basic/学徒工")]
    assert len(basic) == 1 and "year 2" in basic[0].message and "2444.19" in basic[0].message


def test_levels_must_step_up_within_a_class() -> None:
    equal = agreement_data(term={"minimum_wage": table_with("basic", "初级工", D("2373.00"))})
    assert codes(equal) == ["level_no_step"]
    lower = agreement_data(term={"minimum_wage": table_with("basic", "中级工", 2400)})
    found = [problem for problem in problems(lower) if problem.code == "level_decreases"]
    assert len(found) == 1 and found[0].path == "/terms/0/minimum_wage/basic/中级工"


def test_a_higher_class_below_a_lower_one_at_the_same_level_is_a_warning() -> None:
    data = agreement_data(term={"minimum_wage": table_with("important", "技师", 3300) | {}})
    data["terms"][0]["minimum_wage"]["basic"]["技师"] = 3350
    assert "class_decreases" in codes(data, "warning")
    assert codes(data) == []


def test_unknown_levels_classes_posts_and_processes_are_named() -> None:
    data = agreement_data()
    data["terms"][0]["minimum_wage"]["basic"]["大师"] = 9000
    data["terms"][0]["minimum_wage"]["special"] = {"技师": 5000}
    data["posts"].append({"id": "x", "name_zh": "未知", "class": "特殊类"})
    data["processes"].append({"id": "p3", "name_zh": "喷漆", "unit": "副", "post": "nowhere"})
    data["terms"][0]["piece_rates"]["nothing"] = 1
    found = problems(data)
    by_code = {problem.code: problem for problem in found}
    assert {"unknown_level", "unknown_class", "unknown_post", "unknown_process"} <= set(by_code)
    assert "大师" in by_code["unknown_level"].message
    assert by_code["unknown_post"].path == "/processes/2/post"


def test_amounts_are_whole_fen() -> None:
    assert codes(agreement_data(term={"minimum_wage": table_with("basic", "技师", D("3200.005"))})) == [
        "precision"
    ]


def test_gaps_in_the_levels_of_a_class_are_refused() -> None:
    table = copy.deepcopy(TABLE)
    del table["basic"]["初级工"]
    assert codes(agreement_data(term={"minimum_wage": table})) == ["level_gap"]


def test_a_class_used_by_a_post_needs_amounts() -> None:
    table = copy.deepcopy(TABLE)
    del table["core"]
    found = problems(agreement_data(term={"minimum_wage": table}))
    assert [problem.code for problem in found] == ["class_missing"]
    assert "工艺攻关" in found[0].message


def test_overlapping_terms_and_date_errors() -> None:
    data = agreement_data()
    second = copy.deepcopy(data["terms"][0])
    second.update(id="T2", effective_from="2024-06-01", expires_on="2025-05-31")
    third = copy.deepcopy(data["terms"][0])
    third.update(id="T3", effective_from="2025-07-15", expires_on="2025-06-30")
    data["terms"] += [second, third]
    found = codes(data)
    assert "overlapping_terms" in found
    assert "not_month_start" in found
    assert "dates_reversed" in found


def test_month_aligned_dates_are_required() -> None:
    data = agreement_data(term={"expires_on": "2024-06-29"})
    assert codes(data) == ["not_month_end"]


def test_overtime_below_the_statute_or_a_longer_conversion_is_refused() -> None:
    data = agreement_data(term={"overtime": {"basis": "norm", "weekday_percent": 140, "days_per_month": 26}})
    assert sorted(codes(data)) == ["conversion", "overtime_below_statute"]


def test_region_tier_must_match_the_statutory_table() -> None:
    data = agreement_data()
    data["agreement"]["region_tier"] = 3
    assert codes(data) == ["tier_mismatch"]
    data["agreement"]["region_tier"] = 7
    assert codes(data) == ["unknown_tier"]


def test_months_without_a_statutory_minimum_are_named() -> None:
    data = agreement_data(term={"effective_from": "2021-01-01", "expires_on": "2021-12-31"})
    found = [problem for problem in problems(data) if problem.code == "no_statutory_minimum"]
    assert found and "2021-01" in found[0].message


def test_allowance_rules_rise_by_class_and_level() -> None:
    flat = {
        "学徒工": 100,
        "初级工": 150,
        "中级工": 200,
        "高级工": 250,
        "技师": 300,
        "高级技师": 350,
        "特级技师": 400,
        "首席技师": 450,
    }
    data = agreement_data(term={"form": "skill_allowance", "skill_allowance": flat})
    del data["terms"][0]["minimum_wage"]
    assert codes(data) == []
    assert codes(data, "warning") == ["allowance_not_by_class"]
    by_class = {
        "basic": {"学徒工": 100, "初级工": 150},
        "important": {"初级工": 150},
        "key": {"中级工": 300},
        "core": {"技师": 500},
    }
    data["terms"][0]["skill_allowance"] = by_class
    assert codes(data) == ["class_no_step"]


def test_schema_errors_are_listed_with_paths() -> None:
    data = agreement_data()
    data["terms"][0]["minimum_wage"]["basic"]["学徒工"] = -5
    data["agreement"].pop("region")
    found = problems(data)
    assert {problem.code for problem in found} == {"schema"}
    assert {problem.path for problem in found} >= {"/agreement", "/terms/0/minimum_wage/basic/学徒工"}


def test_every_violation_is_reported_in_one_pass() -> None:
    data = agreement_data(term={**AFTER_GUIDELINE})
    table = data["terms"][0]["minimum_wage"]
    table["basic"]["学徒工"] = 2300  # below 105 %
    table["important"]["中级工"] = 2700  # below the level under it and the 120 % floor
    table["key"]["高级工"] = 3390  # equal to the level under it
    data["posts"].append({"id": "assembly", "name_zh": "重复", "class": "basic"})
    found = codes(data)
    assert found.count("below_class_floor") == 2
    assert {"level_decreases", "level_no_step", "duplicate_post"} <= set(found)


def test_syntax_errors_non_mappings_and_aliases() -> None:
    from jingxiang.wages import validate_agreement_text

    assert [problem.code for problem in validate_agreement_text("a: [", "x")] == ["syntax"]
    assert [problem.code for problem in validate_agreement_text("- 1", "x")] == ["syntax"]
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    found = validate_agreement_text(laughs, "x")
    assert [problem.code for problem in found] == ["syntax"] and "aliases" in found[0].message


def test_statutory_table_effective_dates_must_start_a_month() -> None:
    from jingxiang.wages import MinimumWageTableInvalidError

    data = copy.deepcopy(STATUTORY)
    data["periods"][1]["effective_from"] = "2024-01-15"
    with pytest.raises(MinimumWageTableInvalidError) as raised:
        statutory(data)
    assert [problem.code for problem in raised.value.problems] == ["not_month_start"]
    data["periods"][1]["effective_from"] = "2021-01-01"
    with pytest.raises(MinimumWageTableInvalidError):
        statutory(data)


def test_dump_round_trips_exact_decimals() -> None:
    assert "2373.00" in dump({"x": D("2373.00")})
