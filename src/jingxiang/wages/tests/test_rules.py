"""Each rule at its edges: equal to the requirement passes, one fen under fails, with the figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jingxiang.wages.tests.conftest import agreement, agreement_data, check, finding, wage

D = Decimal


def test_pay_equal_to_the_norm_passes_and_one_fen_under_fails() -> None:
    report = check([wage(base_wage="2373.00"), wage(worker_id="W2", base_wage="2372.99")])
    assert finding(report, "W-NORM", 0).passed
    failed = finding(report, "W-NORM", 1)
    assert not failed.passed
    assert (failed.required, failed.paid, failed.shortfall) == (D("2373.00"), D("2372.99"), D("0.01"))
    assert report.summary()["failures_by_rule"]["W-NORM"] == {"failures": 1, "shortfall": "0.01"}


def test_the_norm_counts_the_skill_allowance_but_the_statutory_minimum_does_not() -> None:
    # Key class, 中级工: norm 3,390. Base 2,260 + allowance 1,130 meets it; the statutory minimum
    # (2,260 in 2024) is met by the base alone.
    ok = wage(post="验光", level="中级工", base_wage="2260.00", skill_allowance="1130.00")
    short = wage(worker_id="W2", post="验光", level="中级工", base_wage="2259.99", skill_allowance="1130.01")
    report = check([ok, short])
    assert report.results[0].passed
    statutory = finding(report, "W-STAT", 1)
    assert not statutory.passed and statutory.shortfall == D("0.01")
    assert finding(report, "W-NORM", 1).passed  # the total still reaches the norm


def test_piece_pay_and_other_pay_count_towards_both_floors() -> None:
    row = wage(base_wage="1000.00", piece_pay="1000.00", other_pay="373.00")
    assert check([row]).results[0].passed


def test_norm_follows_the_certified_level_and_the_post_class() -> None:
    report = check(
        [
            wage(level="中级工", base_wage="2700.00"),
            wage(worker_id="W2", level="中级工", base_wage="2699.99"),
            wage(worker_id="W3", post="电镀", level="中级工", base_wage="2899.99"),
            wage(worker_id="W4", post="工艺攻关", level="首席技师", base_wage="6300.00"),
        ]
    )
    assert [result.passed for result in report.results] == [True, False, False, True]
    assert finding(report, "W-NORM", 2).required == D("2900")


def test_a_level_below_the_class_entry_gets_the_entry_norm_with_a_note() -> None:
    report = check([wage(post="验光", level="学徒工", base_wage="3389.99")])
    norm = finding(report, "W-NORM")
    assert norm.required == D("3390") and not norm.passed
    assert report.results[0].norm.applied_level.name_zh == "中级工"
    assert any("below the lowest level" in note for note in report.results[0].notes)


def test_a_level_above_the_listed_levels_gets_the_highest_listed_norm() -> None:
    report = check([wage(level="首席技师", base_wage="3200.00")])
    assert report.results[0].passed
    assert report.results[0].norm.applied_level.name_zh == "技师"


def test_level_aliases_from_certificates() -> None:
    report = check(
        [wage(level="四级", base_wage="2700"), wage(worker_id="W2", level="intermediate", base_wage="2700")]
    )
    assert [result.norm.applied_level.name_zh for result in report.results] == ["中级工", "中级工"]


@pytest.mark.parametrize(
    ("field", "percent"),
    [("overtime_weekday_hours", 150), ("overtime_rest_day_hours", 200), ("overtime_holiday_hours", 300)],
)
def test_overtime_at_each_rate_on_the_norm_over_21_75_days_of_8_hours(field: str, percent: int) -> None:
    # Base = norm 2,373.00 (basis "higher", no contract wage). 10 h × percent % ÷ 174.
    owed = (D("2373.00") * 10 * percent / D(100) / D("174")).quantize(D("0.01"))
    report = check(
        [
            wage(**{field: "10", "overtime_pay": str(owed)}),
            wage(worker_id="W2", **{field: "10", "overtime_pay": str(owed - D("0.01"))}),
        ]
    )
    first, second = finding(report, "W-OT", 0), finding(report, "W-OT", 1)
    assert first.passed and first.required == owed
    assert not second.passed and second.shortfall == D("0.01")
    assert dict(first.figures)["hourly_base"] == "13.6379"


def test_overtime_owed_is_rounded_per_rate_then_summed() -> None:
    # 2,373 ÷ 174 × 1 h × 150 % = 20.4569 → 20.46; × 200 % = 27.2759 → 27.28; × 300 % = 40.9138 → 40.91.
    report = check(
        [
            wage(
                overtime_weekday_hours="1",
                overtime_rest_day_hours="1",
                overtime_holiday_hours="1",
                overtime_pay="88.65",
            )
        ]
    )
    overtime = finding(report, "W-OT")
    assert overtime.required == D("88.65") and overtime.passed


def test_overtime_base_is_the_higher_of_norm_and_contract_wage() -> None:
    owed = (D("3480.00") * 2 * D("1.5") / D("174")).quantize(D("0.01"))  # 60.00
    report = check([wage(contract_wage="3480.00", overtime_weekday_hours="2", overtime_pay=str(owed))])
    overtime = finding(report, "W-OT")
    assert overtime.required == D("60.00") and overtime.passed
    assert dict(overtime.figures)["basis"].startswith("contract wage")


def test_overtime_on_the_contract_basis_never_below_the_statutory_minimum() -> None:
    data = agreement_data(term={"overtime": {"basis": "contract"}})
    target = agreement(data)
    report = check([wage(contract_wage="1500.00", overtime_weekday_hours="1", overtime_pay="0")], target)
    overtime = finding(report, "W-OT")
    assert dict(overtime.figures)["overtime_base"] == "2260.00"
    assert overtime.required == (D("2260") * D("1.5") / D("174")).quantize(D("0.01"))


def test_agreed_overtime_rates_above_the_statute_are_applied() -> None:
    data = agreement_data(term={"overtime": {"basis": "norm", "weekday_percent": 175}})
    report = check([wage(overtime_weekday_hours="1", overtime_pay="0")], agreement(data))
    assert finding(report, "W-OT").required == (D("2373") * D("1.75") / D("174")).quantize(D("0.01"))


def test_no_overtime_hours_means_no_overtime_finding() -> None:
    report = check([wage(overtime_pay="100")])
    assert "W-OT" not in {item.rule_id for item in report.results[0].findings}


def test_piece_pay_against_the_agreed_rates() -> None:
    # 1,000 × 0.85 = 850.00; 301 × 0.333 = 100.233 → 100.23; owed 950.23.
    rows = [
        wage(process="抛光;磨边", pieces="1000;301", piece_pay="950.23", base_wage="1500"),
        wage(
            worker_id="W2", process="polish；edge", pieces="1000；301", piece_pay="950.22", base_wage="1500"
        ),
    ]
    report = check(rows)
    assert finding(report, "W-PIECE", 0).passed and finding(report, "W-PIECE", 0).required == D("950.23")
    assert finding(report, "W-PIECE", 1).shortfall == D("0.01")


def test_statutory_minimum_changes_exactly_at_the_month_boundary() -> None:
    december = wage(month="2023-12", base_wage="2070.00", skill_allowance="303.00")
    january = wage(worker_id="W2", month="2024-01", base_wage="2070.00", skill_allowance="303.00")
    report = check([december, january])
    assert finding(report, "W-STAT", 0).passed and finding(report, "W-STAT", 0).required == D("2070")
    failed = finding(report, "W-STAT", 1)
    assert not failed.passed and failed.required == D("2260") and failed.shortfall == D("190.00")


def test_month_given_as_a_date_or_in_chinese_is_its_month() -> None:
    report = check(
        [
            wage(month="2023-12-31", base_wage="2070", skill_allowance="303"),
            wage(worker_id="W2", month="2024年1月"),
        ]
    )
    assert [month.isoformat() for month in report.months()] == ["2023-12-01", "2024-01-01"]
    assert finding(report, "W-STAT", 0).required == D("2070")


def test_a_short_month_pro_rates_the_monthly_requirements() -> None:
    # 87 of 174 normal hours: norm 2,373 → 1,186.50; statutory 2,260 → 1,130.00.
    report = check(
        [
            wage(normal_hours="87", base_wage="1186.50"),
            wage(worker_id="W2", normal_hours="87", base_wage="1186.49"),
        ]
    )
    assert finding(report, "W-NORM", 0).required == D("1186.50") and report.results[0].passed
    assert finding(report, "W-STAT", 0).required == D("1130.00")
    assert finding(report, "W-NORM", 1).shortfall == D("0.01")
    assert any("pro-rated" in note for note in report.results[0].notes)


def test_normal_hours_above_the_standard_month_do_not_raise_the_norm() -> None:
    assert finding(check([wage(normal_hours="184")]), "W-NORM").required == D("2373.00")


def test_annual_increase_raises_the_norm_from_the_anniversary() -> None:
    data = agreement_data(
        term={"effective_from": "2024-01-01", "expires_on": "2025-12-31", "annual_increase_percent": D("4.5")}
    )
    target = agreement(data)
    report = check(
        [wage(month="2024-12"), wage(worker_id="W2", month="2025-01", base_wage="2479.78")], target
    )
    assert finding(report, "W-NORM", 0).required == D("2373.00")
    # 2,373 × 1.045 = 2,479.785 → 2,479.79 (half up): 2,479.78 is one fen short.
    second = finding(report, "W-NORM", 1)
    assert second.required == D("2479.79") and second.shortfall == D("0.01")


def test_skill_allowance_form() -> None:
    allowance = {
        "basic": {"学徒工": 100, "初级工": 150, "中级工": 200},
        "important": {"初级工": 200, "中级工": 260},
        "key": {"中级工": 300, "高级工": 400},
        "core": {"技师": 600},
    }
    data = agreement_data(
        term={"form": "skill_allowance", "minimum_wage": None, "skill_allowance": allowance}
    )
    del data["terms"][0]["minimum_wage"]
    target = agreement(data)
    report = check(
        [
            wage(level="初级工", base_wage="2260.00", skill_allowance="150.00"),
            wage(worker_id="W2", level="初级工", base_wage="2400.00", skill_allowance="149.99"),
        ],
        target,
    )
    assert report.results[0].passed
    assert finding(report, "W-NORM", 0).required == D("2410.00")  # statutory 2,260 + 150
    allowance_finding = finding(report, "W-ALLOW", 1)
    assert not allowance_finding.passed and allowance_finding.shortfall == D("0.01")
    assert finding(report, "W-NORM", 1).passed  # a high base does not excuse a short allowance


def test_every_failure_carries_rule_figures_and_shortfall_in_the_json() -> None:
    report = check([wage(base_wage="2000.00", overtime_weekday_hours="4", overtime_pay="0")])
    data = report.to_dict()
    row = data["rows"][0]
    assert row["status"] == "fail"
    failing = {item["rule"]: item for item in row["findings"] if item["status"] == "fail"}
    assert set(failing) == {"W-STAT", "W-NORM", "W-OT"}
    assert failing["W-NORM"]["shortfall"] == "373.00"
    assert failing["W-STAT"]["figures"]["statutory_minimum"] == "2260.00"
    assert failing["W-OT"]["source"].startswith("劳动法")
    assert data["summary"]["rows_failed"] == 1


def test_check_values_for_the_self_check_form() -> None:
    from jingxiang.wages import RowsRejectedError, check_values

    target = agreement()
    result = check_values(
        target, {"岗位": "验光", "认定等级": "中级工", "月份": "2024-02", "基本工资": "3389.99"}
    )
    assert not result.passed and result.failures[0].shortfall == D("0.01")
    with pytest.raises(RowsRejectedError) as raised:
        check_values(target, {"post": "验光", "level": "中级工", "month": "2024-02", "base_wage": "-1"})
    assert [(problem.field, problem.code) for problem in raised.value.problems] == [("base_wage", "negative")]
