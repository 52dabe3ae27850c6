"""The rules file: the shipped one is valid with the reference's figures; broken ones list every problem."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from jingxiang.taxrefund import (
    RulesInvalidError,
    builtin_rules,
    evaluate,
    load_rules_text,
    validate_rules_text,
)
from jingxiang.taxrefund.rules import RULE_FIGURES, builtin_rules_text
from jingxiang.taxrefund.tests.conftest import case, dump, line, only_form, purchase, rules_data, traveller

D = Decimal


def codes(data: dict[str, Any]) -> set[str]:
    return {problem.code for problem in validate_rules_text(dump(data)) if problem.is_error}


def test_the_shipped_rules_are_valid_without_warnings() -> None:
    assert validate_rules_text(builtin_rules_text()) == []


def test_the_shipped_rules_carry_the_figures_of_the_reference() -> None:
    rules = builtin_rules()
    before, after = rules.periods
    assert before.effective_from == datetime.date(2019, 4, 1) and before.effective_until == datetime.date(
        2025, 4, 26
    )
    assert after.effective_from == datetime.date(2025, 4, 27) and after.date_certainty == "I"
    assert (before.min_purchase.value, after.min_purchase.value) == (D(500), D(200))
    assert (before.cash_cap.value, after.cash_cap.value) == (D(10000), D(20000))
    assert dict(after.refund_rates.value) == {D(13): D(11), D(9): D(8)}
    assert after.credit_ratings.value == ("A", "B", "M") and before.credit_ratings.value == ("A", "B")
    assert (
        after.max_days_after_entry.value,
        after.max_days_residence.value,
        after.max_days_to_departure.value,
    ) == (
        183,
        183,
        90,
    )
    assert rules.regions["zhejiang"].agency_fee_percent.value == D(2)
    assert rules.regions["zhejiang"].promised_departure_days.certainty == "GAP"
    assert rules.regions["shanghai"].promised_departure_days.value == 28
    assert rules.recovery_working_days.value == 3
    assert set(rules.texts) == set(RULE_FIGURES)


def test_every_rule_text_has_a_source_and_a_certainty() -> None:
    for text in builtin_rules().texts.values():
        assert text.source and text.basis and text.certainty in {"F", "I", "O", "GAP", "U"}
        assert text.message_zh != text.message_en


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            lambda d: d["periods"][0]["refund_rates"]["value"].append(
                {"vat_percent": 9, "refund_percent": 8}
            ),
            "duplicate_rate",
        ),
        (lambda d: d["periods"][0]["refund_rates"]["value"][0].update(refund_percent=12), "refund_above_vat"),
        (lambda d: d["periods"][1].update(effective_from="2019-01-01"), "period_order"),
        (lambda d: d["periods"][0].pop("cash_cap"), "incomplete"),
        (lambda d: d["periods"][0].update(id="2025-04"), "duplicate_period"),
        (lambda d: d["periods"][1].update(effective_from="2025-02-30"), "date"),
        (lambda d: d["regions"][0]["agency_fee_percent"].update(value=8), "fee_above_refund"),
        (lambda d: d["regions"][0]["agency_fee_percent"].update(value=None, certainty="F"), "gap"),
        (lambda d: d["regions"].append(dict(d["regions"][0])), "duplicate_region"),
        (
            lambda d: d["categories"].append({"code": "x", "name_zh": "x", "name_en": "x", "excluded": True}),
            "exclusion_basis",
        ),
        (lambda d: d["parameters"].pop("rounding"), "parameter_missing"),
        (lambda d: d["parameters"].update(speed={"value": 1, "certainty": "O"}), "unknown_parameter"),
        (lambda d: d["parameters"]["rounding"].update(value="sometimes"), "parameter"),
        (lambda d: d["texts"].pop(0), "missing_text"),
        (lambda d: d["texts"][0].update(message_zh="{nothing}"), "unknown_figure"),
        (lambda d: d["texts"][0].update(message_en="{document_type.__class__}"), "unknown_figure"),
        (lambda d: d["texts"][0].update(message_en="{document_type!r}"), "unknown_figure"),
        (lambda d: d["texts"][0].update(message_en="unclosed {"), "template"),
        (lambda d: d["texts"].append({**d["texts"][0], "id": "Z-NEW"}), "unknown_rule"),
        (lambda d: d["calendar"]["working_weekend_days"].append("2025-06-04"), "not_weekend"),
        (lambda d: d["calendar"]["working_weekend_days"].append("2025-10-04"), "holiday_and_working"),
        (
            lambda d: d["calendar"]["holidays"].append({"from": "2025-03-02", "until": "2025-03-01"}),
            "holiday_range",
        ),
        (
            lambda d: d["calendar"]["holidays"].append({"from": "2030-01-01", "until": "2030-01-01"}),
            "outside_calendar",
        ),
        (lambda d: d.update(format="other"), "schema"),
    ],
)
def test_broken_rules_are_refused_with_the_problem(change: Any, code: str) -> None:
    data = rules_data()
    change(data)
    assert code in codes(data)
    with pytest.raises(RulesInvalidError):
        load_rules_text(dump(data))


def test_a_promise_beyond_the_90_days_is_a_warning() -> None:
    data = rules_data()
    data["regions"][1]["promised_departure_days"]["value"] = 120
    problems = validate_rules_text(dump(data))
    assert [(problem.code, problem.severity) for problem in problems] == [("promise_beyond_limit", "warning")]
    load_rules_text(dump(data))


def test_aliases_and_syntax_errors_are_refused() -> None:
    assert validate_rules_text("a: &x [1]\nb: *x\n")[0].code == "syntax"
    assert validate_rules_text("a: [1\n")[0].code == "syntax"
    assert validate_rules_text("- 1\n")[0].code == "syntax"
    assert validate_rules_text("a: .nan\n")[0].code == "syntax"


def test_moving_the_2025_date_is_a_data_change() -> None:
    data = rules_data()
    data["periods"][1]["effective_from"] = "2025-04-26"
    rules = load_rules_text(dump(data))
    probe = case(purchase("2025-04-26", line("200.00")), traveller=traveller(last_entry_date="2025-04-20"))
    assert only_form(evaluate(probe)).status == "refused"
    assert only_form(evaluate(probe, rules)).status == "pending_departure"


def test_a_later_period_inherits_what_it_does_not_change() -> None:
    data = rules_data()
    data["periods"].append(
        {
            "id": "2027",
            "effective_from": "2027-01-01",
            "date_certainty": "O",
            "source": "test",
            "refund_rates": {
                "value": [{"vat_percent": 13, "refund_percent": 10}],
                "certainty": "O",
                "source": "test",
            },
        }
    )
    rules = load_rules_text(dump(data))
    period = rules.period_for(datetime.date(2027, 3, 1))
    assert (
        period is not None
        and period.min_purchase.value == D(200)
        and dict(period.refund_rates.value) == {D(13): D(10)}
    )
    assert rules.periods[1].effective_until == datetime.date(2026, 12, 31)
