"""Each rule at its edges: the threshold, the 183 and 90 days, the cash cap, the rates, the 2025 change."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jingxiang.taxrefund.tests.conftest import (
    case,
    form_of,
    line,
    only_form,
    purchase,
    refusals,
    rule_ids,
    run,
    service,
    store,
    traveller,
)

D = Decimal


# -- the threshold per traveller, store and day, by the rules of the purchase date ---------------


@pytest.mark.parametrize(
    ("day", "amount", "refused"),
    [
        ("2025-06-05", "199.99", True),
        ("2025-06-05", "200.00", False),
        ("2025-04-27", "200.00", False),  # first day of the 2025 rules (effective date: inference)
        ("2025-04-26", "200.00", True),  # last day of the 500-yuan rules
        ("2025-04-26", "499.99", True),
        ("2025-04-26", "500.00", False),
    ],
)
def test_threshold_at_its_edge_under_the_rules_of_the_purchase_date(
    day: str, amount: str, refused: bool
) -> None:
    data = case(purchase(day, line(amount)), traveller=traveller(last_entry_date="2025-04-20"))
    form = only_form(run(data))
    assert ("P-THRESHOLD" in refusals(form)) is refused
    assert form.status == ("refused" if refused else "pending_departure")
    assert form.threshold == (D(200) if day >= "2025-04-27" else D(500))
    assert form.period is not None and form.period.id == ("2025-04" if day >= "2025-04-27" else "2019-04")


def test_threshold_message_gives_the_figures_in_both_languages() -> None:
    form = only_form(run(case(purchase("2025-06-05", line("199.99")))))
    reason = next(reason for reason in form.reasons if reason.rule == "P-THRESHOLD")
    assert "199.99" in reason.message_zh and "200.00" in reason.message_zh
    assert "below 200.00 yuan" in reason.message_en
    assert reason.figures == {"amount": "199.99", "threshold": "200.00"}
    assert reason.certainty == "F" and reason.stage == "issue"


def test_invoices_of_one_store_and_day_count_together() -> None:
    # Two counters, two invoices, one store, one day: one form, judged on 100 + 100.
    data = case(purchase("2025-06-05", line("100.00")), purchase("2025-06-05", line("100.00")))
    form = only_form(run(data))
    assert form.status == "pending_departure" and form.goods_amount == D("200.00")
    assert len(form.lines) == 2


def test_a_basket_split_across_two_stores_on_one_day_is_judged_per_store() -> None:
    data = case(purchase("2025-06-05", line("150.00")), purchase("2025-06-05", line("150.00"), store="S2"))
    evaluation = run(data)
    assert len(evaluation.forms) == 2
    for store_id in ("S1", "S2"):
        form = form_of(evaluation, store_id, "2025-06-05")
        assert "P-THRESHOLD" in refusals(form) and form.goods_amount == D("150.00")
    assert evaluation.net_refund == 0


def test_one_store_on_two_days_is_two_forms() -> None:
    evaluation = run(case(purchase("2025-06-05", line("150.00")), purchase("2025-06-06", line("150.00"))))
    assert [form.status for form in evaluation.forms] == ["refused", "refused"]


def test_a_service_line_is_refused_and_does_not_count_towards_the_threshold() -> None:
    form = only_form(run(case(purchase("2025-06-05", line("150.00"), service("100.00")))))
    service_line = form.lines[1]
    assert not service_line.refundable and [reason.rule for reason in service_line.reasons] == ["L-SERVICE"]
    assert form.goods_amount == D("150.00") and "P-THRESHOLD" in refusals(form)
    ok = only_form(run(case(purchase("2025-06-05", line("1130.00"), service("100.00")))))
    assert ok.status == "pending_departure" and ok.refund == D("124.30")
    assert ok.lines[1].refund == 0 and not ok.lines[1].refundable


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"unused": False}, "L-USED"),
        ({"vat_rate": "exempt"}, "L-EXEMPT"),
        ({"vat_rate": 6}, "L-RATE"),
        ({"vat_rate": 0}, "L-RATE"),
        ({"category": "endangered_species_products"}, "L-EXCLUDED"),
        ({"category": "precious_metal_articles"}, "L-EXCLUDED"),
    ],
)
def test_a_line_that_is_not_refundable_goods_is_refused_with_its_rule(
    fields: dict[str, object], rule: str
) -> None:
    form = only_form(run(case(purchase("2025-06-05", line("500.00", **fields), line("300.00")))))
    assert [reason.rule for reason in form.lines[0].reasons] == [rule]
    assert form.lines[0].refund == 0 and form.lines[1].refundable
    assert form.goods_amount == D("300.00") and form.status == "pending_departure"


def test_unverified_exclusions_become_notes_when_the_parameter_says_so() -> None:
    data = case(
        purchase("2025-06-05", line("500.00", category="precious_metal_articles")),
        parameters={"apply_unverified_exclusions": False},
    )
    form = only_form(run(data))
    assert form.lines[0].refundable and [reason.rule for reason in form.lines[0].reasons] == ["L-EXCLUDED-U"]
    strict = only_form(run(case(purchase("2025-06-05", line("500.00", category="precious_metal_articles")))))
    assert strict.lines[0].reasons[0].certainty == "U"


# -- the traveller and the 183 days ------------------------------------------------------------


@pytest.mark.parametrize(("day", "refused"), [("2025-07-03", False), ("2025-07-04", True)])
def test_purchase_183_days_after_entry_passes_and_184_is_refused(day: str, refused: bool) -> None:
    data = case(purchase(day), traveller=traveller(last_entry_date="2025-01-01"))
    form = only_form(run(data))
    assert form.days_since_entry == (183 if not refused else 184)
    assert ("T-183" in refusals(form)) is refused


def test_inclusive_day_counting_moves_every_limit_one_day_earlier() -> None:
    data = case(purchase("2025-07-03"), traveller=traveller(last_entry_date="2025-01-01"))
    data["parameters"] = {"day_counting": "inclusive"}
    form = only_form(run(data))
    assert form.days_since_entry == 184 and "T-183" in refusals(form)


@pytest.mark.parametrize(("departure", "refused"), [("2025-07-03", False), ("2025-07-04", True)])
def test_residence_of_183_days_at_departure_passes_and_184_is_refused(departure: str, refused: bool) -> None:
    data = case(
        purchase("2025-06-20"),
        traveller=traveller(last_entry_date="2025-01-01"),
        departure={"date": departure, "port": "HGH"},
    )
    form = only_form(run(data))
    assert ("T-RESIDENT" in refusals(form)) is refused
    assert form.status == ("refused" if refused else "eligible")
    assert form.latest_departure_date is not None and form.latest_departure_date.isoformat() == "2025-07-03"


def test_a_stay_that_began_before_the_last_entry_counts_from_its_start() -> None:
    # A resident who popped out to Hong Kong: the last entry is recent but the stay is long.
    data = case(
        purchase("2025-06-05"),
        traveller=traveller(last_entry_date="2025-06-01", continuous_residence_since="2024-11-01"),
    )
    form = only_form(run(data))
    reason = next(reason for reason in form.reasons if reason.rule == "T-RESIDENT")
    assert reason.stage == "issue" and reason.figures["days"] == "216"


def test_purchase_before_the_last_entry_is_refused() -> None:
    form = only_form(run(case(purchase("2025-05-31"))))
    assert "P-BEFORE-ENTRY" in refusals(form) and form.refund == 0
    assert only_form(run(case(purchase("2025-06-01")))).status == "pending_departure"


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"document": {"type": "none"}}, "T-ID"),
        ({"last_entry_date": None}, "T-ENTRY"),
        ({"category": "mainland_resident"}, "T-WHO"),
        ({"category": "overseas_chinese"}, "T-HUAQIAO"),
    ],
)
def test_traveller_refusals_refuse_every_form(fields: dict[str, object], rule: str) -> None:
    data = case(purchase("2025-06-05"), purchase("2025-06-05", store="S2"), traveller=traveller(**fields))
    evaluation = run(data)
    assert rule in {reason.rule for reason in evaluation.traveller_reasons}
    assert all(rule in refusals(form) and form.status == "refused" for form in evaluation.forms)


def test_hong_kong_macao_and_taiwan_compatriots_qualify() -> None:
    for category, document in (("hong_kong_macao", "hk_macao_permit"), ("taiwan", "taiwan_permit")):
        data = case(purchase(), traveller=traveller(category=category, document={"type": document}))
        assert only_form(run(data)).status == "pending_departure"


def test_overseas_chinese_parameter() -> None:
    data = case(
        purchase(),
        traveller=traveller(category="overseas_chinese"),
        parameters={"overseas_chinese_eligible": True},
    )
    assert only_form(run(data)).status == "pending_departure"


# -- the departure: 90 days, order, customs -----------------------------------------------------


@pytest.mark.parametrize(("departure", "refused"), [("2025-09-03", False), ("2025-09-04", True)])
def test_departure_90_days_after_purchase_passes_and_91_is_refused(departure: str, refused: bool) -> None:
    form = only_form(run(case(purchase("2025-06-05"), departure={"date": departure, "port": "HGH"})))
    assert form.days_to_departure == (90 if not refused else 91)
    assert ("D-90" in refusals(form)) is refused
    assert form.status == ("refused" if refused else "eligible")


def test_without_a_departure_the_form_says_the_latest_departure_date() -> None:
    form = only_form(run(case(purchase("2025-06-05"))))
    assert form.status == "pending_departure" and form.latest_departure_date is not None
    assert form.latest_departure_date.isoformat() == "2025-09-03"
    note = next(reason for reason in form.notes if reason.rule == "D-LATEST")
    assert "2025-09-03" in note.message_zh and not note.refuses


def test_departure_before_the_purchase_and_failed_customs_refuse() -> None:
    data = case(
        purchase("2025-06-05"),
        purchase("2025-06-10", store="S2"),
        departure={"date": "2025-06-08", "port": "HGH"},
    )
    data["verifications"] = [{"store": "S1", "date": "2025-06-05", "result": "not_verified"}]
    evaluation = run(data)
    assert "D-CUSTOMS" in refusals(form_of(evaluation, "S1", "2025-06-05"))
    assert "D-ORDER" in refusals(form_of(evaluation, "S2", "2025-06-10"))


# -- the store ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "day", "rule"),
    [
        ({"filed": False}, "2025-06-05", "S-FILED"),
        ({"filed_on": "2025-06-06"}, "2025-06-05", "S-FILED"),
        ({"credit_rating": "C"}, "2025-06-05", "S-CREDIT"),
        ({"credit_rating": "M"}, "2025-04-26", "S-CREDIT"),  # M admitted only from the 2025 change
        ({"general_taxpayer": False}, "2025-06-05", "S-TAXPAYER"),
    ],
)
def test_store_conditions(fields: dict[str, object], day: str, rule: str) -> None:
    data = case(
        purchase(day, line("1130.00")),
        stores=[store(**fields)],
        traveller=traveller(last_entry_date="2025-04-01"),
    )
    assert rule in refusals(only_form(run(data)))


def test_m_rating_and_digital_invoices_are_accepted_from_the_2025_change() -> None:
    kw = {"stores": [store(credit_rating="M")], "traveller": traveller(last_entry_date="2025-04-01")}
    after = only_form(
        run(case(purchase("2025-04-27", line("1130.00"), invoice={"kind": "digital_ordinary"}), **kw))
    )
    assert after.status == "pending_departure"
    before = only_form(
        run(case(purchase("2025-04-26", line("1130.00"), invoice={"kind": "digital_ordinary"}), **kw))
    )
    assert {"S-CREDIT"} <= refusals(before)
    assert [reason.rule for reason in before.lines[0].reasons] == ["P-INVOICE"]
    special = only_form(run(case(purchase("2025-06-05", invoice={"kind": "vat_special"}))))
    assert special.lines[0].reasons[0].rule == "P-INVOICE" and "P-THRESHOLD" in refusals(special)


def test_a_purchase_before_the_first_rules_period_is_refused() -> None:
    data = case(purchase("2019-03-31"), traveller=traveller(last_entry_date="2019-03-01"))
    form = only_form(run(data))
    assert refusals(form) == {"P-PERIOD"} and form.period is None and form.refund == 0


def test_every_reason_is_listed_not_just_the_first() -> None:
    data = case(
        purchase("2025-05-31", line("100.00", unused=False), service()),
        stores=[store(filed=False, credit_rating="D", general_taxpayer=False)],
        traveller=traveller(document={"type": "none"}),
        departure={"date": "2025-09-30", "port": "HGH"},
    )
    form = only_form(run(data))
    assert {"T-ID", "P-BEFORE-ENTRY", "S-FILED", "S-CREDIT", "S-TAXPAYER", "P-THRESHOLD", "D-90"} <= refusals(
        form
    )
    assert {"L-USED", "L-SERVICE"} <= rule_ids(form)


# -- amounts: both VAT rates, fee, 实退 ----------------------------------------------------------


def test_both_vat_rates_in_one_basket() -> None:
    form = only_form(
        run(case(purchase("2025-06-05", line("1130.00", 13), line("1090.00", 9, category="sunglasses"))))
    )
    first, second = form.lines
    assert (first.refund_percent, first.refund, first.fee, first.net) == (
        D(11),
        D("124.30"),
        D("22.60"),
        D("101.70"),
    )
    assert (second.refund_percent, second.refund, second.fee, second.net) == (
        D(8),
        D("87.20"),
        D("21.80"),
        D("65.40"),
    )
    assert (form.refund, form.agency_fee, form.net_refund) == (D("211.50"), D("44.40"), D("167.10"))
    assert form.fee_percent == D(2)


def test_rounding_half_up_to_the_fen_per_line_and_other_modes() -> None:
    # 0.05 × 11 % = 0.0055 → 0.01 half up, 0.00 down; 0.15 × 2 % = 0.003 → 0.00.
    data = case(purchase("2025-06-05", line("199.95"), line("0.05")))
    form = only_form(run(data))
    assert form.lines[0].refund == D("21.99")  # 21.9945
    assert form.lines[1].refund == D("0.01") and form.refund == D("22.00")
    data["parameters"] = {"rounding": "down"}
    down = only_form(run(data))
    assert down.lines[0].refund == D("21.99") and down.lines[1].refund == D("0.00")
    data["parameters"] = {"rounding": "half_even"}
    assert only_form(run(data)).lines[1].refund == D("0.01")  # 0.0055 is above the half


def test_agency_fee_override() -> None:
    form = only_form(run(case(purchase(), parameters={"agency_fee_percent": "1.5"})))
    assert form.agency_fee == D("16.95") and form.net_refund == D("107.35")


# -- cash or transfer ------------------------------------------------------------------------------


def test_cash_cap_boundary_on_the_net_refund() -> None:
    # 222,222.22 × 11 % = 24,444.44; fee 4,444.44; 实退 20,000.00: cash still allowed.
    at_cap = only_form(run(case(purchase("2025-06-05", line("222222.22")))))
    assert at_cap.net_refund == D("20000.00")
    assert at_cap.cash is not None and at_cap.cash.allowed and at_cap.cash.cap == D(20000)
    # 222,222.34: 24,444.46 − 4,444.45 = 20,000.01: transfer only.
    above = only_form(run(case(purchase("2025-06-05", line("222222.34")))))
    assert above.net_refund == D("20000.01")
    assert above.cash is not None and not above.cash.allowed
    assert above.cash.to_dict()["methods"] == ["bank_transfer"]
    assert "C-CASH" in {reason.rule for reason in above.notes}


def test_cash_cap_on_the_gross_refund_when_the_parameter_says_so() -> None:
    form = only_form(
        run(case(purchase("2025-06-05", line("222222.22")), parameters={"cash_cap_basis": "gross"}))
    )
    assert form.cash is not None and not form.cash.allowed and form.cash.amount == D("24444.44")


def test_cash_cap_before_the_change_is_10000_and_payment_date_parameter() -> None:
    # 111,111.12: 12,222.22 − 2,222.22 = 10,000.00 (cash); 111,111.22: 12,222.23 − 2,222.22 = 10,000.01.
    entry = traveller(last_entry_date="2025-04-01")
    at_cap = only_form(run(case(purchase("2025-04-20", line("111111.12")), traveller=entry)))
    assert at_cap.net_refund == D("10000.00") and at_cap.cash is not None and at_cap.cash.allowed
    data = case(purchase("2025-04-20", line("111111.22")), traveller=entry)
    form = only_form(run(data))
    assert form.net_refund == D("10000.01") and form.cash is not None and not form.cash.allowed
    assert form.cash.cap == D(10000)
    data["departure"] = {"date": "2025-05-10", "port": "HGH"}
    data["parameters"] = {"cash_cap_date": "payment"}
    paid_later = only_form(run(data))
    assert paid_later.cash is not None and paid_later.cash.allowed and paid_later.cash.cap == D(20000)


def test_cash_cap_per_departure_sums_the_ordinary_forms() -> None:
    data = case(
        purchase("2025-06-05", line("120000.00")),
        purchase("2025-06-05", line("120000.00"), store="S2"),
        parameters={"cash_cap_scope": "departure"},
    )
    evaluation = run(data)
    assert all(form.net_refund == D("10800.00") for form in evaluation.forms)
    assert all(
        form.cash is not None and not form.cash.allowed and form.cash.amount == D("21600.00")
        for form in evaluation.forms
    )
    data.pop("parameters")
    assert all(form.cash is not None and form.cash.allowed for form in run(data).forms)
