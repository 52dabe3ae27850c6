"""即买即退: the advance and pre-authorisation at the counter, then release or recovery after departure."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from jingxiang.taxrefund import CaseRejectedError, InstantResult
from jingxiang.taxrefund.tests.conftest import (
    case,
    instant,
    line,
    only_form,
    purchase,
    run,
    store,
    verification,
)

D = Decimal


def instant_of(data: dict[str, object], **options: object) -> InstantResult:
    result = only_form(run(data, **options)).instant  # type: ignore[arg-type]
    assert result is not None
    return result


def rules_of(result: InstantResult) -> list[str]:
    return [reason.rule for reason in result.reasons + result.outcome_reasons]


def test_at_the_counter_the_advance_is_the_net_refund_and_awaits_verification() -> None:
    result = instant_of(case(purchase(), instant_refunds=[instant()]))
    assert result.status == "available" and result.reasons == ()
    assert result.advance == D("101.70") and result.preauthorisation == D("101.70")
    assert result.outcome == "awaiting_verification" and result.recovery_amount is None
    # Zhejiang's promised period is a GAP: only the 90-day limit bounds the promise, and it says so.
    assert result.latest_promise == datetime.date(2025, 9, 3)
    assert [reason.rule for reason in result.notes] == ["I-GAP"]


def test_pre_authorisation_on_the_gross_refund_when_the_parameter_says_so() -> None:
    result = instant_of(
        case(purchase(), instant_refunds=[instant()], parameters={"preauthorisation_basis": "gross"})
    )
    assert result.advance == D("101.70") and result.preauthorisation == D("124.30")


def test_verified_in_time_at_the_promised_port_releases_the_pre_authorisation() -> None:
    data = case(
        purchase(),
        instant_refunds=[instant(promised_port="HGH")],
        verifications=[verification("2025-06-20", port="hgh")],
    )
    result = instant_of(data)
    assert result.outcome == "release" and result.recovery_amount is None
    assert only_form(run(data)).status == "eligible"


def test_verified_after_the_promised_date_recovers_and_leaves_the_ordinary_refund() -> None:
    data = case(purchase(), instant_refunds=[instant()], verifications=[verification("2025-06-21")])
    result = instant_of(data)
    assert result.outcome == "recover" and rules_of(result) == ["I-LATE"]
    assert result.recovery_amount == D("101.70")
    # 2025-06-20 is a Friday: Monday 23, Tuesday 24, Wednesday 25.
    assert result.recovery_latest_date == datetime.date(2025, 6, 25)
    assert result.ordinary_refund_possible is True and "I-FALLBACK" in [
        reason.rule for reason in result.notes
    ]
    assert only_form(run(data)).status == "eligible"


def test_not_verified_recovers_and_refuses_the_refund() -> None:
    data = case(
        purchase(),
        instant_refunds=[instant()],
        verifications=[{"store": "S1", "date": "2025-06-05", "result": "not_verified"}],
    )
    result = instant_of(data)
    assert result.outcome == "recover" and rules_of(result) == ["I-FAILED"]
    assert result.ordinary_refund_possible is False
    form = only_form(run(data))
    assert form.status == "refused" and form.net_refund == 0 and result.recovery_amount == D("101.70")


def test_the_wrong_port_recovers() -> None:
    data = case(
        purchase(),
        instant_refunds=[instant(promised_port="HGH")],
        verifications=[verification("2025-06-18", port="PVG")],
    )
    assert rules_of(instant_of(data)) == ["I-PORT"]


def test_no_verification_after_the_promised_date_is_recovered_as_of_the_day() -> None:
    data = case(purchase(), instant_refunds=[instant()])
    assert instant_of(data, as_of=datetime.date(2025, 6, 20)).outcome == "awaiting_verification"
    late = instant_of(data, as_of=datetime.date(2025, 6, 21))
    assert late.outcome == "recover" and rules_of(late) == ["I-MISSING"]
    assert late.recovery_latest_date == datetime.date(2025, 6, 25)
    assert late.ordinary_refund_possible is None  # still open: a departure within 90 days may follow
    data["as_of"] = "2025-06-21"
    assert instant_of(data).outcome == "recover"


def test_recovery_deadline_skips_the_national_day_holidays_and_counts_the_working_saturday() -> None:
    # Promise 2025-09-30; 10-01…10-08 holiday; Thu 10-09, Fri 10-10, Sat 10-11 (调休上班).
    data = case(purchase("2025-09-20"), instant_refunds=[instant("2025-09-20", "2025-09-30")])
    result = instant_of(data, as_of=datetime.date(2025, 10, 1))
    assert result.recovery_latest_date == datetime.date(2025, 10, 11)


def test_recovery_deadline_outside_the_holiday_data_says_so() -> None:
    data = case(
        purchase("2026-12-20"),
        instant_refunds=[instant("2026-12-20", "2026-12-31")],
        traveller={
            "category": "foreigner",
            "document": {"type": "passport"},
            "last_entry_date": "2026-12-01",
        },
    )
    result = instant_of(data, as_of=datetime.date(2027, 1, 2))
    assert result.recovery_latest_date == datetime.date(2027, 1, 5)
    assert "K-CALENDAR" in [reason.rule for reason in result.notes]


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"consent_signed": False}, "I-CONSENT"),
        ({"card_preauthorised": False}, "I-CARD"),
        ({"promised_departure_date": "2025-06-04"}, "I-PROMISE"),
        ({"promised_departure_date": "2025-09-04"}, "I-PROMISE"),
    ],
)
def test_instant_refund_refusals(changes: dict[str, object], rule: str) -> None:
    result = instant_of(case(purchase(), instant_refunds=[instant(**changes)]))
    assert result.status == "refused" and rule in rules_of(result)
    assert result.advance == 0 and result.outcome is None


def test_a_store_without_the_service_cannot_pay_an_advance_but_the_ordinary_refund_remains() -> None:
    data = case(purchase(), stores=[store(instant_refund=False)], instant_refunds=[instant()])
    result = instant_of(data)
    assert rules_of(result) == ["I-STORE"]
    assert only_form(run(data)).status == "pending_departure"


def test_a_form_that_cannot_be_issued_has_no_instant_refund() -> None:
    result = instant_of(case(purchase("2025-06-05", line("150.00")), instant_refunds=[instant()]))
    assert "I-FORM" in rules_of(result) and result.advance == 0


def test_shanghai_28_days_and_per_day_cap() -> None:
    shanghai = [store(region="shanghai")]
    fee = {"agency_fee_percent": 2}
    ok = instant_of(
        case(purchase(), stores=shanghai, instant_refunds=[instant(promised="2025-07-03")], parameters=fee)
    )
    assert ok.status == "available" and ok.latest_promise == datetime.date(2025, 7, 3)
    late = instant_of(
        case(purchase(), stores=shanghai, instant_refunds=[instant(promised="2025-07-04")], parameters=fee)
    )
    assert rules_of(late) == ["I-PROMISE"]
    over = case(
        purchase("2025-06-05", line("222200.01")),
        stores=shanghai,
        instant_refunds=[instant()],
        parameters=fee,
    )
    assert rules_of(instant_of(over)) == ["I-CAP"]
    at = case(
        purchase("2025-06-05", line("222200.00")),
        stores=shanghai,
        instant_refunds=[instant()],
        parameters=fee,
    )
    result = instant_of(at)
    assert result.status == "available" and result.advance == D("19998.00")


def test_a_region_without_a_known_fee_needs_the_parameter() -> None:
    with pytest.raises(CaseRejectedError) as raised:
        run(case(purchase(), stores=[store(region="shanghai")]))
    assert (
        raised.value.problems[0].code == "no_fee_rate" and raised.value.problems[0].path == "/stores/0/region"
    )


def test_the_promise_is_bounded_by_the_183_days_of_residence() -> None:
    data = case(
        purchase("2025-06-05"),
        traveller={
            "category": "foreigner",
            "document": {"type": "passport"},
            "last_entry_date": "2025-01-01",
        },
        instant_refunds=[instant(promised="2025-07-04")],
    )
    result = instant_of(data)
    assert result.latest_promise == datetime.date(2025, 7, 3) and rules_of(result) == ["I-PROMISE"]


def test_instant_totals() -> None:
    evaluation = run(
        case(purchase(), instant_refunds=[instant()], verifications=[verification("2025-06-22")]),
    )
    totals = evaluation.totals()
    assert totals["instant_advances"] == "101.70" and totals["to_recover"] == "101.70"
