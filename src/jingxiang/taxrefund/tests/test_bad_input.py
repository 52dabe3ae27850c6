"""Bad input: refused whole with every problem and its field path — never half-evaluated, never a crash."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest

from jingxiang.taxrefund import CaseRejectedError, evaluate
from jingxiang.taxrefund.tests.conftest import (
    case,
    instant,
    line,
    only_form,
    purchase,
    store,
    traveller,
    verification,
)

D = Decimal


def problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(CaseRejectedError) as raised:
        evaluate(data)
    assert raised.value.problems
    return [(problem.path, problem.code) for problem in raised.value.problems]


@pytest.mark.parametrize(
    ("data", "path", "code"),
    [
        (case(purchase("2025-06-05", line("-5"))), "/purchases/0/lines/0/amount", "range"),
        (case(purchase("2025-06-05", line("0"))), "/purchases/0/lines/0/amount", "range"),
        (case(purchase("2025-06-05", line("10.005"))), "/purchases/0/lines/0/amount", "precision"),
        (case(purchase("2025-06-05", line("100000000.01"))), "/purchases/0/lines/0/amount", "range"),
        (case(purchase("2025-06-05", line("ten"))), "/purchases/0/lines/0/amount", "number"),
        (case(purchase("2025-06-05", line("1e5"))), "/purchases/0/lines/0/amount", "number"),
        (case(purchase("2025-06-05", line(True))), "/purchases/0/lines/0/amount", "schema"),
        (case(purchase("2025-06-05", line(vat_rate=D("0.13")))), "/purchases/0/lines/0/vat_rate", "percent"),
        (case(purchase("2025-06-05", line(vat_rate=130))), "/purchases/0/lines/0/vat_rate", "range"),
        (case(purchase("2025-06-05", line(vat_rate="thirteen"))), "/purchases/0/lines/0/vat_rate", "number"),
        (
            case(purchase("2025-06-05", line(category="jewels"))),
            "/purchases/0/lines/0/category",
            "unknown_category",
        ),
        (case(purchase("2025-02-30")), "/purchases/0/date", "date"),
        (case(purchase("5 June")), "/purchases/0/date", "schema"),
        (case(purchase(store="S9")), "/purchases/0/store", "unknown_store"),
        (case(stores=[store(region="mars")]), "/stores/0/region", "unknown_region"),
        (case(stores=[store(), store()]), "/stores/1/id", "duplicate_store"),
        (case(traveller=traveller(category="martian")), "/traveller/category", "schema"),
        (
            case(traveller=traveller(continuous_residence_since="2025-06-02")),
            "/traveller/continuous_residence_since",
            "order",
        ),
        (case(departure={"date": "2025-05-01"}), "/departure/date", "order"),
        (case(instant_refunds=[instant(date="2025-06-06")]), "/instant_refunds/0", "unknown_form"),
        (case(instant_refunds=[instant(), instant()]), "/instant_refunds/1", "duplicate_instant"),
        (case(verifications=[verification(None)]), "/verifications/0/verified_on", "required"),
        (case(verifications=[verification("2025-06-04")]), "/verifications/0/verified_on", "order"),
        (case(parameters={"rounding": "up"}), "/parameters/rounding", "parameter"),
        (case(parameters={"cash_cap": 5}), "/parameters/cash_cap", "unknown_parameter"),
        (case(parameters={"agency_fee_percent": 11}), "/parameters/agency_fee_percent", "fee_above_refund"),
        (case(unknown=1), "", "schema"),
        ({"traveller": {}}, "", "schema"),
    ],
)
def test_bad_input_is_refused_with_its_path(data: Any, path: str, code: str) -> None:
    assert (path, code) in problems(data)


def test_a_line_without_category_is_refused_but_a_service_needs_none() -> None:
    goods = line()
    goods.pop("category")
    assert ("/purchases/0/lines/0", "schema") in problems(case(purchase("2025-06-05", goods)))
    service = {"amount": "50", "vat_rate": 6, "kind": "service", "unused": True}
    assert (
        only_form(evaluate(case(purchase("2025-06-05", line(), service)))).lines[1].reasons[0].rule
        == "L-SERVICE"
    )


def test_the_same_invoice_twice_is_refused_not_counted_twice() -> None:
    data = case(
        purchase("2025-06-05", line("150.00"), invoice={"number": "0001"}),
        purchase("2025-06-05", line("150.00"), invoice={"number": "0001"}),
    )
    assert ("/purchases/1/invoice/number", "duplicate_invoice") in problems(data)


def test_every_problem_is_reported_at_once() -> None:
    data = case(purchase("2025-02-30", line("-1"), line(vat_rate="x")), purchase(store="S9"))
    found = problems(data)
    assert len(found) == 4


def test_json_text_defects() -> None:
    for text, code in [
        ("{not json", "json"),
        ("[1, 2]", "json"),
        ('{"a": NaN}', "json"),
        ('{"a": Infinity}', "json"),
        ('{"a": 1, "a": 2}', "json"),
        ("[" * 100_000 + "]" * 100_000, "nesting"),
        ('{"a":' * 50 + "1" + "}" * 50, "nesting"),
    ]:
        assert problems(text)[0][1] == code, text[:20]


def test_json_text_defects_name_their_place() -> None:
    text = json.dumps(case(purchase("2025-06-05", line("1"))))
    assert problems(text.replace('"amount": "1"', '"amount": NaN'))[0] == (
        "/purchases/0/lines/0/amount",
        "json",
    )
    doubled = text.replace('"amount": "1"', '"amount": "1", "amount": "100"')
    assert problems(doubled)[0] == ("/purchases/0/lines/0/amount", "json")


def test_huge_numbers_are_refused_with_a_short_message() -> None:
    for amount in ["9" * 100_000, "1e999999999", "-1e-999999", "0." + "0" * 5000 + "1"]:
        text = json.dumps(case(purchase("2025-06-05", line("1")))).replace(
            '"amount": "1"', f'"amount": {amount}'
        )
        with pytest.raises(CaseRejectedError) as raised:
            evaluate(text)
        assert raised.value.problems[0].path == "/purchases/0/lines/0/amount"
        assert len(raised.value.problems[0].message) < 300


def test_huge_digit_strings_for_dates_and_keys_are_refused() -> None:
    data = case(purchase("9" * 10_000))
    assert problems(data)[0][0] == "/purchases/0/date"


def test_python_callers_may_pass_dates_and_floats() -> None:
    data = case(purchase(datetime.date(2025, 6, 5), line(1130.0), line(199.99, 9.0, category="sunglasses")))
    data["traveller"]["last_entry_date"] = datetime.date(2025, 6, 1)
    form = only_form(evaluate(data))
    assert form.lines[1].refund == D("16.00")  # 199.99 × 8 % = 15.9992
    assert form.goods_amount == D("1329.99")
    data["traveller"]["last_entry_date"] = datetime.datetime(2025, 6, 1, 10, 0)
    assert ("/traveller/last_entry_date", "date") in problems(data)


def test_a_refused_case_records_nothing_half_evaluated() -> None:
    # One good purchase and one bad one: no evaluation at all, rather than a refund for half a basket.
    data = case(purchase("2025-06-05", line("300.00")), purchase("2025-06-05", line("abc")))
    with pytest.raises(CaseRejectedError):
        evaluate(data)


def test_too_many_lines_are_refused() -> None:
    purchases = [purchase("2025-06-05", *[line("1.00")] * 500) for _ in range(21)]
    assert ("/purchases", "size") in problems(case(*purchases))
