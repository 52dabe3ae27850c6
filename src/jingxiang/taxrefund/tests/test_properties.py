"""Property tests: refunds never exceed the VAT paid, everything adds up, rounding stays within half a fen."""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from jingxiang.taxrefund import Evaluation, builtin_rules, evaluate
from jingxiang.taxrefund.exact import FEN, exact_fraction, round_fen
from jingxiang.taxrefund.tests.conftest import case, line, purchase, store

D = Decimal
RULES = builtin_rules()
DAYS = ["2025-04-20", "2025-04-26", "2025-04-27", "2025-06-05", "2025-06-06"]

amounts = st.integers(min_value=1, max_value=30_000_000).map(lambda fen: D(fen) / 100)
rates = st.sampled_from([13, 9, 13, 9, 6, "exempt"])
kinds = st.sampled_from(["goods", "goods", "goods", "service"])
lines = st.lists(
    st.tuples(amounts, rates, kinds, st.sampled_from([True, True, True, False])),
    min_size=1,
    max_size=8,
)
baskets = st.lists(
    st.tuples(st.sampled_from(DAYS), st.sampled_from(["S1", "S2"]), lines), min_size=1, max_size=5
)
roundings = st.sampled_from(["half_up", "half_even", "down"])


def build(
    basket: list[tuple[str, str, list[tuple[Decimal, object, str, bool]]]], **fields: Any
) -> dict[str, Any]:
    purchases = [
        purchase(
            day,
            *[line(amount, rate, kind=kind, unused=unused) for amount, rate, kind, unused in items],
            store=shop,
        )
        for day, shop, items in basket
    ]
    return case(
        *purchases,
        stores=[store(), store("S2", credit_rating="B")],
        traveller={
            "category": "foreigner",
            "document": {"type": "passport"},
            "last_entry_date": "2025-04-01",
        },
        **fields,
    )


def vat_contained(amount: Decimal, vat: Decimal, rounding: str) -> Decimal:
    """The VAT inside an amount including VAT, as an invoice states it (rounded to the fen)."""
    return round_fen(amount * vat / (100 + vat), rounding)


@settings(max_examples=120, deadline=None)
@given(basket=baskets, rounding=roundings)
def test_a_refund_never_exceeds_the_vat_paid(basket: Any, rounding: str) -> None:
    evaluation = evaluate(build(basket, parameters={"rounding": rounding}))
    for form in evaluation.forms:
        for result in form.lines:
            if result.refundable:
                assert result.line.vat_rate is not None
                assert result.refund <= vat_contained(result.line.amount, result.line.vat_rate, rounding)
                # Exactly: never more than half a fen above the VAT contained (the rounding).
                assert (
                    result.refund
                    <= result.line.amount * result.line.vat_rate / (100 + result.line.vat_rate) + FEN / 2
                )
                assert 0 <= result.net <= result.refund
        assert form.net_refund <= form.refund


@settings(max_examples=120, deadline=None)
@given(basket=baskets, rounding=roundings)
def test_totals_are_the_sums_of_lines_and_every_amount_is_in_fen(basket: Any, rounding: str) -> None:
    evaluation = evaluate(build(basket, parameters={"rounding": rounding}))
    for form in evaluation.forms:
        assert form.refund == sum((result.refund for result in form.lines), D(0))
        assert form.agency_fee == sum((result.fee for result in form.lines), D(0))
        assert form.net_refund == form.refund - form.agency_fee
        for result in form.lines:
            assert result.net == result.refund - result.fee
            for value in (result.refund, result.fee, result.net):
                assert value == value.quantize(FEN) and value.as_tuple().exponent == -2
            if result.refundable:
                assert result.refund_percent is not None
                exact = exact_fraction(result.line.amount, result.refund_percent)
                assert abs(result.refund - exact) < FEN
                if rounding == "half_up":
                    assert result.refund == exact.quantize(FEN, rounding=ROUND_HALF_UP)
        if form.status == "refused":
            assert form.refund == 0
    totals = evaluation.totals()
    assert D(totals["net_refund"]) == sum((form.net_refund for form in evaluation.forms), D(0))
    assert D(totals["refund"]) == evaluation.refund


@settings(max_examples=120, deadline=None)
@given(basket=baskets)
def test_the_threshold_decides_exactly_on_the_refundable_goods(basket: Any) -> None:
    evaluation = evaluate(build(basket))
    for form in evaluation.forms:
        assert form.period is not None
        refundable = sum((result.line.amount for result in form.lines if not result.reasons), D(0))
        assert form.goods_amount == refundable
        below = refundable < form.period.min_purchase.value
        assert ("P-THRESHOLD" in {reason.rule for reason in form.reasons}) is below
        assert (form.status == "refused") is below


@settings(max_examples=120, deadline=None)
@given(basket=baskets)
def test_cash_is_allowed_exactly_up_to_the_cap(basket: Any) -> None:
    evaluation = evaluate(build(basket))
    for form in evaluation.forms:
        if form.status == "refused":
            assert form.cash is None
            continue
        assert form.cash is not None and form.period is not None
        assert form.cash.allowed is (form.net_refund <= form.period.cash_cap.value)


def signature(evaluation: Evaluation) -> list[tuple[Any, ...]]:
    return [
        (
            form.store.id,
            form.date,
            form.status,
            form.goods_amount,
            form.refund,
            form.agency_fee,
            form.net_refund,
        )
        for form in evaluation.forms
    ]


@settings(max_examples=80, deadline=None)
@given(basket=baskets, seed=st.integers(min_value=0, max_value=10_000))
def test_order_and_splitting_of_invoices_do_not_change_the_verdict(basket: Any, seed: int) -> None:
    """Shuffling the purchases, or splitting one invoice into one per line on the same store and day,
    gives the same forms: a basket cannot be split to dodge the threshold, nor counted twice."""
    reference = signature(evaluate(build(basket)))
    shuffled = list(basket)
    random.Random(seed).shuffle(shuffled)
    assert signature(evaluate(build(shuffled))) == reference
    split = [(day, shop, [item]) for day, shop, items in basket for item in items]
    assert signature(evaluate(build(split))) == reference


@settings(max_examples=80, deadline=None)
@given(amount=amounts, extra=amounts, day=st.sampled_from(DAYS))
def test_buying_more_never_turns_an_eligible_form_into_a_refused_one(
    amount: Decimal, extra: Decimal, day: str
) -> None:
    before = evaluate(build([(day, "S1", [(amount, 13, "goods", True)])])).forms[0]
    after = evaluate(build([(day, "S1", [(amount, 13, "goods", True), (extra, 9, "goods", True)])])).forms[0]
    assert not (before.status != "refused" and after.status == "refused")
    assert after.refund >= before.refund


@settings(max_examples=80, deadline=None)
@given(entry_offset=st.integers(min_value=0, max_value=400), stay=st.integers(min_value=0, max_value=200))
def test_the_day_limits_decide_exactly(entry_offset: int, stay: int) -> None:
    purchase_day = datetime.date(2025, 6, 5)
    entry = purchase_day - datetime.timedelta(days=entry_offset)
    departure = purchase_day + datetime.timedelta(days=stay)
    data = build([("2025-06-05", "S1", [(D(1130), 13, "goods", True)])])
    data["traveller"]["last_entry_date"] = entry.isoformat()
    data["departure"] = {"date": departure.isoformat(), "port": "HGH"}
    form = evaluate(data).forms[0]
    rules = {reason.rule for reason in form.reasons}
    assert ("T-183" in rules) is (entry_offset > 183)
    assert ("D-90" in rules) is (stay > 90)
    assert ("T-RESIDENT" in rules) is (entry_offset + stay > 183)
    assert (form.status == "eligible") is (entry_offset + stay <= 183 and stay <= 90)
