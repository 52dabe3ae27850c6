from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jingxiang.taxfree import services
from jingxiang.taxfree.models import FilingStatus, FormStatus, RefundForm, Store, StoreDocument, VisitorDay
from jingxiang.taxfree.tests.conftest import TODAY, issue, traveller

pytestmark = pytest.mark.django_db


def test_ordinary_form_both_vat_rates_in_one_basket(tf: Any) -> None:
    form = issue(tf, [(tf.frame, 1), (tf.cloth, 1)])
    # 1130.00 × 11 % + 199.99 × 8 % = 124.30 + 16.00; fee 2 % of 1329.99
    assert form.refund == Decimal("140.30")
    assert form.agency_fee == Decimal("26.60")
    assert form.net_refund == Decimal("113.70")
    assert form.status == FormStatus.ISSUED
    assert form.document_masked == "M*****678"
    assert "12345" not in form.document_masked
    assert form.lines.count() == 2


def test_below_threshold_refused_and_nothing_recorded(tf: Any) -> None:
    with pytest.raises(ValidationError) as error:
        issue(tf, [(tf.cloth, 1)])
    assert "199.99" in " ".join(error.value.messages)
    assert not RefundForm.objects.exists()


def test_threshold_edge_200_00_issues(tf: Any) -> None:
    form = issue(tf, [(tf.cloth, 1), (tf.cheap, 1)])
    assert form.goods_amount == Decimal("200.00")


def test_service_line_does_not_count(tf: Any) -> None:
    with pytest.raises(ValidationError):
        issue(tf, [(tf.cloth, 1), (tf.service, 1)])
    form = issue(tf, [(tf.frame, 1), (tf.service, 1)])
    assert form.goods_amount == Decimal("1130.00")
    assert [line.refundable for line in form.lines.all()] == [True, False]


def test_no_readable_last_entry_refused(tf: Any) -> None:
    with pytest.raises(ValidationError):
        issue(tf, [(tf.frame, 1)], traveller=traveller(entry=None))
    assert not RefundForm.objects.exists()


def test_purchase_before_last_entry_refused(tf: Any) -> None:
    with pytest.raises(ValidationError):
        issue(tf, [(tf.frame, 1)], traveller=traveller(entry=TODAY + dt.timedelta(days=1)))
    assert not RefundForm.objects.exists()


def test_language_of_refusal(tf: Any) -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as error:
        issue(tf, [(tf.cloth, 1)])
    assert "200.00" in " ".join(error.value.messages)
    assert any(ch.isascii() and ch.isalpha() for ch in error.value.messages[0])


def test_second_form_same_visitor_day_refused_but_void_and_reissue(tf: Any) -> None:
    first = issue(tf, [(tf.cloth, 1), (tf.cheap, 1)])
    with pytest.raises(ValidationError) as error:
        issue(tf, [(tf.cloth, 1)], number="m 12345678")
    assert first.number in " ".join(error.value.messages)
    services.form_void(actor=tf.clerk, form=first, reason="退货")
    second = issue(tf, [(tf.frame, 1)])
    assert second.visitor_day_id == first.visitor_day_id
    assert VisitorDay.objects.count() == 1


def test_void_needs_reason_and_only_staff(tf: Any, cast: Any) -> None:
    form = issue(tf, [(tf.frame, 1)])
    with pytest.raises(ValidationError):
        services.form_void(actor=tf.clerk, form=form, reason=" ")
    with pytest.raises(PermissionDenied):
        services.form_void(actor=tf.agent, form=form, reason="退货")


def test_instant_needs_consent_and_preauth(tf: Any) -> None:
    with pytest.raises(ValidationError):
        issue(
            tf,
            [(tf.frame, 1)],
            instant=True,
            promised_departure_date=TODAY + dt.timedelta(days=10),
            preauth_reference="PA1",
        )
    with pytest.raises(ValidationError):
        issue(
            tf,
            [(tf.frame, 1)],
            instant=True,
            promised_departure_date=TODAY + dt.timedelta(days=10),
            consent_signed=True,
        )
    assert not RefundForm.objects.exists()


def instant_form(tf: Any, **kw: Any) -> RefundForm:
    return issue(
        tf,
        [(tf.frame, 1)],
        instant=True,
        promised_departure_date=TODAY + dt.timedelta(days=10),
        promised_port="HGH",
        consent_signed=True,
        preauth_reference="PA-778899",
        **kw,
    )


def test_instant_paid_out_then_released(tf: Any) -> None:
    form = instant_form(tf)
    assert form.status == FormStatus.PAID_OUT
    assert form.advance == form.net_refund == Decimal("101.70")
    assert form.preauth_amount == Decimal("101.70")
    form = services.verification_record(
        actor=tf.agent, form=form, verified=True, verified_on=TODAY + dt.timedelta(days=8), port="HGH"
    )
    assert form.status == FormStatus.RELEASED
    assert form.released_at is not None
    with pytest.raises(ValidationError):
        services.verification_record(actor=tf.agent, form=form, verified=True, verified_on=TODAY, port="HGH")


def test_overdue_instant_recovered_by_run(tf: Any) -> None:
    form = instant_form(tf)
    late = TODAY + dt.timedelta(days=12)
    assert list(services.overdue_instant(as_of=late)) == [form]
    assert services.recovery_run(actor=tf.agent, as_of=late) == 1
    form.refresh_from_db()
    assert form.status == FormStatus.RECOVERED
    assert form.recovery_amount == Decimal("101.70")
    assert form.recovery_due is not None
    assert services.recovery_run(actor=tf.agent, as_of=late) == 0  # idempotent


def test_not_yet_overdue_not_recovered(tf: Any) -> None:
    instant_form(tf)
    assert services.recovery_run(actor=None, as_of=TODAY + dt.timedelta(days=10)) == 0


def test_counter_needs_filed_store_staff(tf: Any, cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.form_issue(
            actor=cast.member,
            store=tf.store,
            traveller=traveller(),
            document_number="X1234567",
            basket=[],
            invoice_number="",
            day=TODAY,
        )


def test_filing_workflow(tf: Any, cast: Any) -> None:
    store = services.store_apply(
        actor=cast.firm_admin,
        firm=cast.firm,
        code="dq-c301",
        name="C301",
        credit_rating="C",
        agency=tf.agency,
        tax_office=tf.office,
    )
    assert store.code == "DQ-C301"
    with pytest.raises(ValidationError) as error:
        services.store_submit(actor=cast.firm_admin, store=store)
    assert len(error.value.messages) >= 5  # credit, system, ledger, three documents
    Store.objects.filter(pk=store.pk).update(credit_rating="M", uses_refund_system=True, separate_ledger=True)
    store.refresh_from_db()
    for kind in ("licence", "taxpayer", "credit"):
        services.store_document_add(
            actor=cast.firm_admin, store=store, kind=kind, file=SimpleUploadedFile("a.pdf", b"%PDF")
        )
    store = services.store_submit(actor=cast.firm_admin, store=store, on=dt.date(2026, 9, 30))
    # 5 working days after 30 Sept across the National Day holiday (1–8 Oct 2026)
    assert store.review_due > dt.date(2026, 10, 7)
    with pytest.raises(PermissionDenied):
        services.store_review(actor=cast.operator, store=store, approve=True)
    with pytest.raises(ValidationError):
        services.store_review(actor=tf.officer, store=store, approve=False, note="")
    store = services.store_review(actor=tf.officer, store=store, approve=True)
    assert store.status == FilingStatus.FILED and store.sign_number.startswith("TF")
    with pytest.raises(ValidationError):
        services.store_document_add(
            actor=cast.firm_admin, store=store, kind="other", file=SimpleUploadedFile("b.pdf", b"x")
        )
    assert StoreDocument.objects.filter(store=store).count() == 3


def test_other_firm_cannot_apply(tf: Any, cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.store_apply(
            actor=cast.other_firm_admin,
            firm=cast.firm,
            code="X1",
            name="x",
            credit_rating="A",
            agency=tf.agency,
            tax_office=tf.office,
        )
