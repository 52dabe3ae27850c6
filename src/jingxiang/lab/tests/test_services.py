"""Every rule of the lab services, and the bad input the issue lists."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.core.models import Notification
from jingxiang.lab import conformance, services
from jingxiang.lab.documents import brand_lookup, report_lookup
from jingxiang.lab.models import (
    BrandStatus,
    CustodyKind,
    Instrument,
    ProductLine,
    Report,
    ReportStatus,
    RequestStatus,
    RulesFile,
    SampleStatus,
)
from jingxiang.lab.tests.conftest import BAD_GOGGLES, GOOD_GOGGLES
from jingxiang.organisations.models import Organisation, OrganisationKind
from jingxiang.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

RULES_DIR = Path(__file__).resolve().parents[2] / "quality" / "rules"


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


# Requests ---------------------------------------------------------------------------------------


def test_firm_roles_submit_and_product_line_is_reused(lab_setup):
    first = lab_setup.submit(by=lab_setup.cast.talent_officer)
    second = lab_setup.submit(by=lab_setup.cast.member)
    assert first.status == RequestStatus.SUBMITTED
    assert first.number.startswith("DHU-W") and first.number != second.number
    assert first.product_line_id == second.product_line_id
    assert ProductLine.objects.filter(firm=lab_setup.cast.firm).count() == 1


@pytest.mark.parametrize("persona", ["other_firm_admin", "lab_staff", "operator", "outsider", "expert_user"])
def test_only_the_firms_own_people_submit(lab_setup, persona):
    with pytest.raises(PermissionDenied):
        lab_setup.submit(by=getattr(lab_setup.cast, persona))


def test_wrong_standard_for_the_product_type_is_refused(lab_setup):
    with pytest.raises(ValidationError) as error:
        lab_setup.submit(standard="GB 13511.1-2011")
    assert codes(error.value) == {"wrong_standard_for_product"}
    assert "不适用" in error.value.messages[0]


def test_items_must_belong_to_the_standard(lab_setup):
    with pytest.raises(ValidationError) as error:
        lab_setup.submit(items=["HA-CAT4", "A-OCH"])
    assert "A-OCH" in error.value.messages[0]


@pytest.mark.parametrize("quantity", [0, 51])
def test_quantity_bounds(lab_setup, quantity):
    with pytest.raises(ValidationError) as error:
        lab_setup.submit(quantity=quantity)
    assert codes(error.value) == {"quantity"}


def test_request_must_go_to_an_approved_testing_lab(lab_setup):
    university = OrganisationFactory(kind=OrganisationKind.UNIVERSITY, uscc=None, name="某大学")
    with pytest.raises(ValidationError) as error:
        services.request_submit(
            actor=lab_setup.cast.firm_admin,
            firm=lab_setup.cast.firm,
            lab=university,
            product_type="sunglasses",
            product_line_name="线",
            product_name="",
            standard="GB 39552.1-2020",
            items=[],
            quantity=1,
        )
    assert codes(error.value) == {"not_a_lab"}


def test_a_product_line_keeps_its_product_type(lab_setup):
    lab_setup.submit()
    with pytest.raises(ValidationError) as error:
        lab_setup.submit(product_type="sunglasses", standard="GB 39552.1-2020")
    assert codes(error.value) == {"product_line_type"}


def test_cancel_only_before_samples_and_only_by_the_firm(lab_setup):
    request = lab_setup.submit()
    with pytest.raises(PermissionDenied):
        services.request_cancel(actor=lab_setup.cast.other_firm_admin, request=request)
    lab_setup.register(request)
    with pytest.raises(ValidationError):
        services.request_cancel(actor=lab_setup.cast.firm_admin, request=request)
    fresh = lab_setup.submit()
    assert (
        services.request_cancel(actor=lab_setup.cast.member, request=fresh).status == RequestStatus.CANCELLED
    )


# Samples and custody ----------------------------------------------------------------------------


def test_sample_codes_are_unique_sequential_and_limited_to_the_quantity(lab_setup):
    request = lab_setup.submit(quantity=2)
    first, second = lab_setup.register(request), lab_setup.register(request)
    year = timezone.localdate().year
    assert (first.code, second.code) == (f"DHU-{year}-00001", f"DHU-{year}-00002")
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert first.custody_events.get().kind == CustodyKind.RECEIVED
    with pytest.raises(ValidationError) as error:
        lab_setup.register(request)
    assert codes(error.value) == {"quantity"}


def test_only_the_addressed_labs_staff_register(lab_setup):
    request = lab_setup.submit()
    for persona in ("firm_admin", "operator", "other_firm_admin"):
        with pytest.raises(PermissionDenied):
            services.sample_register(actor=getattr(lab_setup.cast, persona), request=request)


def test_custody_is_ordered_and_final_states_stay_final(lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    services.custody_record(
        actor=lab_setup.cast.lab_staff, sample=sample, kind=CustodyKind.STORED, location="样品柜 A3"
    )
    with pytest.raises(ValidationError) as error:
        services.custody_record(actor=lab_setup.cast.lab_staff, sample=sample, kind=CustodyKind.DISPOSED)
    assert codes(error.value) == {"custody_before_report"}
    lab_setup.enter(sample, GOOD_GOGGLES)
    lab_setup.approve(sample)
    services.custody_record(actor=lab_setup.cast.lab_staff, sample=sample, kind=CustodyKind.RETURNED)
    with pytest.raises(ValidationError) as error:
        services.custody_record(actor=lab_setup.cast.lab_staff, sample=sample, kind=CustodyKind.STORED)
    assert codes(error.value) == {"custody_order"}
    kinds = list(sample.custody_events.values_list("kind", flat=True))
    assert kinds == ["received", "stored", "in_test", "returned"]


def test_assign_only_to_staff_of_the_same_lab(lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    services.sample_assign(actor=lab_setup.cast.lab_staff, sample=sample, technician=lab_setup.reviewer)
    sample.refresh_from_db()
    assert sample.technician == lab_setup.reviewer
    assert Notification.objects.filter(recipient=lab_setup.reviewer, kind="lab").exists()
    with pytest.raises(ValidationError):
        services.sample_assign(
            actor=lab_setup.cast.lab_staff, sample=sample, technician=lab_setup.cast.firm_admin
        )


# Results ----------------------------------------------------------------------------------------


def test_good_results_get_an_automatic_pass(lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    sample = lab_setup.enter(sample, GOOD_GOGGLES)
    assert sample.status == SampleStatus.AWAITING_REVIEW
    assert sample.overall == "pass"
    assert sample.designation == "JX-HA-2026"
    assert sample.custody_state == CustodyKind.IN_TEST


def test_instrument_past_calibration_is_refused(lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    with pytest.raises(ValidationError) as error:
        lab_setup.enter(sample, GOOD_GOGGLES, instrument=lab_setup.expired)
    assert codes(error.value) == {"instrument_calibration"}
    assert "校准" in error.value.messages[0]


def test_instrument_calibrated_on_the_test_date_is_accepted(lab_setup):
    """Calibration is judged on the test date, inclusive of the due date."""
    sample = lab_setup.register(lab_setup.submit())
    due = lab_setup.expired.calibration_due
    assert (
        lab_setup.enter(sample, GOOD_GOGGLES, instrument=lab_setup.expired, test_date=due).overall == "pass"
    )


def test_instrument_of_another_lab_is_refused(lab_setup):
    other_lab = OrganisationFactory(kind=OrganisationKind.TESTING_LAB, uscc=None, name="另一检测所")
    foreign = Instrument.objects.create(
        lab=other_lab, name="x", serial="X", calibration_due=timezone.localdate()
    )
    sample = lab_setup.register(lab_setup.submit())
    with pytest.raises(ValidationError) as error:
        lab_setup.enter(sample, GOOD_GOGGLES, instrument=foreign)
    assert codes(error.value) == {"instrument"}


def test_submitting_needs_an_instrument_and_a_past_date(lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    with pytest.raises(ValidationError) as error:
        lab_setup.enter(sample, GOOD_GOGGLES, instrument=None)
    assert codes(error.value) == {"instrument_required"}
    with pytest.raises(ValidationError) as error:
        lab_setup.enter(sample, GOOD_GOGGLES, test_date=timezone.localdate() + datetime.timedelta(days=1))
    assert codes(error.value) == {"in_future"}
    # Time rule (issue 10): a sample is not tested before the lab received it.
    with pytest.raises(ValidationError) as error:
        services.results_enter(
            actor=lab_setup.cast.lab_staff,
            sample=sample,
            test_date=timezone.localdate() - datetime.timedelta(days=1),
            instrument=lab_setup.instrument,
            nominal=GOOD_GOGGLES["nominal"],
            measured=GOOD_GOGGLES["measured"],
        )
    assert codes(error.value) == {"order"}
    with pytest.raises(ValidationError) as error:
        lab_setup.register(lab_setup.submit(), received_at=timezone.now() + datetime.timedelta(hours=2))
    assert codes(error.value) == {"in_future"}


def test_missing_required_items_are_not_assessed_and_block_submission(lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    partial = {"nominal": {}, "measured": {"luminous_transmittance": "5.2"}}
    draft = lab_setup.enter(sample, partial, submit=False)
    assert draft.overall == "incomplete"
    statuses = {item["rule_id"]: item["status"] for item in draft.verdict["items"]}
    assert statuses["HA-NODRIVE"] == "not_assessed"
    with pytest.raises(ValidationError) as error:
        lab_setup.enter(sample, partial)
    assert codes(error.value) == {"missing_items"}
    assert "HA-NODRIVE" in error.value.messages[0]


@pytest.mark.parametrize(
    ("measured", "units", "fragment"),
    [
        ({"luminous_transmittance": "-5"}, {}, "物理上可能的范围"),
        ({"luminous_transmittance": "abc"}, {}, "格式不正确"),
        ({"luminous_transmittance": "0.05"}, {}, "单位混淆"),
        ({"luminous_transmittance": "5.2"}, {"transmittance": "fraction"}, "单位混淆"),
    ],
)
def test_impossible_values_and_unit_mixups_get_a_clear_message_not_a_pass(
    lab_setup, measured, units, fragment
):
    sample = lab_setup.register(lab_setup.submit())
    values = {"nominal": {"declared_category": 4}, "measured": {**GOOD_GOGGLES["measured"], **measured}}
    with pytest.raises(ValidationError) as error:
        lab_setup.enter(sample, values, submit=False, units=units)
    assert any(fragment in message for message in error.value.messages)
    sample.refresh_from_db()
    assert sample.overall == ""


def test_a_fraction_with_its_unit_stated_is_judged(lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    values = {
        "nominal": {"declared_category": 4},
        "measured": {
            **GOOD_GOGGLES["measured"],
            "luminous_transmittance": "0.052",
            "uvb_transmittance": "0.004",
            "uva_transmittance": "0.015",
        },
    }
    assert lab_setup.enter(sample, values, units={"transmittance": "fraction"}).overall == "pass"


def test_requested_items_restrict_the_verdict(lab_setup):
    sample = lab_setup.register(lab_setup.submit(items=["HA-CAT4", "HA-DECL"]))
    sample = lab_setup.enter(
        sample, {"nominal": {"declared_category": 4}, "measured": {"luminous_transmittance": "6"}}
    )
    assert {item["rule_id"] for item in sample.verdict["items"]} == {"HA-CAT4", "HA-DECL"}
    assert sample.overall == "pass"


def test_edition_in_force_is_chosen_by_the_test_date(lab_setup):
    request = lab_setup.submit(
        line="老花镜",
        product_type="ready_made_readers",
        standard=f"{conformance.SERIES_PREFIX}GB 13511.1",
        basis="wait",
    )
    sample = lab_setup.register(request)
    readers = {
        "nominal": {"marked_oc_distance": "62", "right": {"sphere": "2.00"}, "left": {"sphere": "2.00"}},
        "measured": {
            "right": {"sphere": "2.05", "cylinder": "0", "oc_monocular": "31.2", "oc_height": "20"},
            "left": {"sphere": "1.98", "cylinder": "0", "oc_monocular": "31.0", "oc_height": "20.1"},
        },
    }
    sample = lab_setup.enter(
        sample, readers, test_date=datetime.date(2026, 1, 20), instrument=None, submit=False
    )
    assert sample.designation == "GB 13511.1-2011"
    late = datetime.date(2026, 3, 2)
    if late <= timezone.localdate():
        with pytest.raises(ValidationError) as error:
            lab_setup.enter(sample, readers, test_date=late, instrument=None, submit=False)
        assert codes(error.value) == {"no_edition_in_force"}


# Review, reports, corrections -------------------------------------------------------------------


def test_four_eyes_the_person_who_entered_cannot_approve(lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    lab_setup.enter(sample, GOOD_GOGGLES)
    with pytest.raises(PermissionDenied) as error:
        services.result_review(actor=lab_setup.cast.lab_staff, sample=sample, approve=True)
    assert "四眼" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.result_review(actor=lab_setup.cast.operator, sample=sample, approve=True)


def test_return_needs_a_reason_and_goes_back_to_testing(lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    lab_setup.enter(sample, GOOD_GOGGLES)
    with pytest.raises(ValidationError):
        services.result_review(actor=lab_setup.reviewer, sample=sample, approve=False)
    assert (
        services.result_review(actor=lab_setup.reviewer, sample=sample, approve=False, note="τv 复测") is None
    )
    sample.refresh_from_db()
    assert sample.status == SampleStatus.IN_TEST
    assert Notification.objects.filter(
        recipient=lab_setup.cast.lab_staff, message="lab.results_returned"
    ).exists()


def test_approval_issues_a_verifiable_report_and_tells_the_firm(lab_setup):
    report = lab_setup.report()
    assert report.version == 1 and report.status == ReportStatus.VALID
    assert report.overall == "pass" and report.number.startswith("DHU-R")
    assert report.result_items.count() == len(report.verdict["items"]) > 0
    assert report.sample.request.status == RequestStatus.COMPLETED
    assert Notification.objects.filter(
        recipient=lab_setup.cast.firm_admin, message="lab.report_issued", params__n__icontains=report.number
    ).exists()
    public = report_lookup(report.verify_code)
    assert public["status"] == "valid"
    assert dict(public["facts"])["检测结论"] == "合格"
    assert report_lookup("0" * 18) is None


def test_report_pdf_renders(lab_setup):
    from jingxiang.lab.documents import report_pdf

    pdf = report_pdf(lab_setup.report())
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_correction_issues_a_new_version_and_both_stay_verifiable(lab_setup):
    first = lab_setup.report()
    with pytest.raises(ValidationError):
        services.report_correct(actor=lab_setup.cast.lab_staff, report=first, reason="  ")
    with pytest.raises(PermissionDenied):
        services.report_correct(actor=lab_setup.cast.firm_admin, report=first, reason="x")
    sample = services.report_correct(actor=lab_setup.cast.lab_staff, report=first, reason="UV-B 读数抄录错误")
    assert sample.status == SampleStatus.CORRECTION
    first.refresh_from_db()
    assert first.status == ReportStatus.VALID  # stays valid until the new version is approved
    lab_setup.enter(sample, GOOD_GOGGLES)
    second = lab_setup.approve(sample)
    first.refresh_from_db()
    assert (second.number, second.version) == (first.number, 2)
    assert first.status == ReportStatus.SUPERSEDED and first.superseded_by == second
    assert second.correction_reason == "UV-B 读数抄录错误"
    old = report_lookup(first.verify_code)
    assert old["status"] == "superseded" and old["newer_number"] == second.display_number
    assert second.verify_code in old["newer_url"]
    assert report_lookup(second.verify_code)["status"] == "valid"
    with pytest.raises(ValidationError):
        services.report_correct(actor=lab_setup.cast.lab_staff, report=first, reason="再改")


# Standard editions ------------------------------------------------------------------------------


def _new_edition_text() -> str:
    text = (RULES_DIR / "jx-ha-2026.yaml").read_text(encoding="utf-8")
    return (
        text.replace("series: JX-HA\n", "series: JX-HAX\n")
        .replace("designation: JX-HA-2026", "designation: JX-HAX-2027")
        .replace('edition: "2026"', 'edition: "2027"')
    )


def test_operator_uploads_a_new_edition_and_it_is_used(lab_setup):
    rules = services.rules_upload(
        actor=lab_setup.cast.operator, filename="jx-hax-2027.yaml", text=_new_edition_text()
    )
    assert rules.designation == "JX-HAX-2027"
    choices = dict(conformance.standard_choices("high_altitude_goggles"))
    assert "JX-HAX-2027" in choices
    sample = lab_setup.register(lab_setup.submit(standard="JX-HAX-2027"))
    assert lab_setup.enter(sample, GOOD_GOGGLES).designation == "JX-HAX-2027"
    with pytest.raises(ValidationError) as error:
        services.rules_upload(actor=lab_setup.cast.operator, filename="again.yaml", text=_new_edition_text())
    assert codes(error.value) == {"rules_conflict"}
    assert "JX-HAX-2027" in " ".join(error.value.messages)


def test_rules_upload_lists_every_problem_and_saves_nothing(lab_setup):
    broken = (
        _new_edition_text()
        .replace("kind: range", "kind: no_such_kind")
        .replace('band: "(43, 80]"', 'band: "(40, 80]"')
    )
    with pytest.raises(ValidationError) as error:
        services.rules_upload(actor=lab_setup.cast.operator, filename="broken.yaml", text=broken)
    assert len(error.value.messages) >= 2
    assert codes(error.value) == {"rules_invalid"}
    assert RulesFile.objects.count() == 0


def test_only_operators_upload_rules(lab_setup):
    with pytest.raises(PermissionDenied):
        services.rules_upload(actor=lab_setup.cast.lab_staff, filename="x.yaml", text=_new_edition_text())


def test_archived_upload_is_no_longer_offered(lab_setup):
    rules = services.rules_upload(
        actor=lab_setup.cast.operator, filename="jx-hax-2027.yaml", text=_new_edition_text()
    )
    services.rules_archive(actor=lab_setup.cast.operator, rules_file=rules)
    assert "JX-HAX-2027" not in dict(conformance.standard_choices("high_altitude_goggles"))


# Regional brand ---------------------------------------------------------------------------------


def test_brand_needs_a_conforming_report(lab_setup):
    request = lab_setup.submit()
    with pytest.raises(ValidationError) as error:
        services.brand_apply(actor=lab_setup.cast.firm_admin, product_line=request.product_line)
    assert codes(error.value) == {"no_conforming_report"}


def test_brand_refused_when_the_latest_report_fails(lab_setup):
    lab_setup.report()
    failing = lab_setup.report(BAD_GOGGLES)
    with pytest.raises(ValidationError) as error:
        services.brand_apply(actor=lab_setup.cast.firm_admin, product_line=failing.product_line)
    assert failing.display_number in error.value.messages[0]


def test_brand_evidence_must_be_recent(lab_setup, settings):
    report = lab_setup.report()
    Report.objects.filter(pk=report.pk).update(issued_at=timezone.now() - datetime.timedelta(days=400))
    with pytest.raises(ValidationError):
        services.brand_apply(actor=lab_setup.cast.firm_admin, product_line=report.product_line)
    settings.LAB_BRAND_EVIDENCE_MONTHS = 24
    assert (
        services.brand_apply(actor=lab_setup.cast.firm_admin, product_line=report.product_line).status
        == "pending"
    )


def test_brand_lifecycle_approval_then_automatic_suspension(lab_setup):
    report = lab_setup.report()
    line = report.product_line
    with pytest.raises(PermissionDenied):
        services.brand_apply(actor=lab_setup.cast.other_firm_admin, product_line=line)
    brand = services.brand_apply(actor=lab_setup.cast.talent_officer, product_line=line, note="包装使用")
    assert list(brand.evidence.all()) == [report]
    with pytest.raises(ValidationError):
        services.brand_apply(actor=lab_setup.cast.firm_admin, product_line=line)
    with pytest.raises(PermissionDenied):
        services.brand_review(actor=lab_setup.cast.firm_admin, brand=brand, approve=True)
    brand = services.brand_review(actor=lab_setup.cast.operator, brand=brand, approve=True)
    assert brand.status == BrandStatus.ACTIVE and brand.number.startswith("DQ-")
    assert brand.valid_until == services.add_months(timezone.localdate(), 12)
    assert brand_lookup(brand.verify_code)["status"] == "valid"
    assert Notification.objects.filter(
        recipient=lab_setup.cast.talent_officer, message="lab.brand_approved"
    ).exists()

    failing = lab_setup.report(BAD_GOGGLES)
    brand.refresh_from_db()
    assert brand.status == BrandStatus.SUSPENDED
    assert brand.suspended_by_report == failing
    assert "HA-NODRIVE" in brand.suspension_reason
    public = brand_lookup(brand.verify_code)
    assert public["status"] == "suspended" and public["status_label"] == "已暂停"
    assert Notification.objects.filter(
        recipient=lab_setup.cast.firm_admin, message="lab.brand_suspended"
    ).exists()


def test_a_failing_report_on_another_line_does_not_suspend(lab_setup):
    line_report = lab_setup.report()
    brand = services.brand_apply(actor=lab_setup.cast.firm_admin, product_line=line_report.product_line)
    services.brand_review(actor=lab_setup.cast.operator, brand=brand, approve=True)
    lab_setup.report(BAD_GOGGLES, line="另一条护目镜线")
    brand.refresh_from_db()
    assert brand.status == BrandStatus.ACTIVE


def test_brand_rejection_needs_a_reason(lab_setup):
    brand = services.brand_apply(
        actor=lab_setup.cast.firm_admin, product_line=lab_setup.report().product_line
    )
    with pytest.raises(ValidationError):
        services.brand_review(actor=lab_setup.cast.operator, brand=brand, approve=False)
    brand = services.brand_review(
        actor=lab_setup.cast.operator, brand=brand, approve=False, note="包装不合规"
    )
    assert brand.status == BrandStatus.REJECTED and brand.verify_code is None


def test_tampered_brand_code_is_not_found(lab_setup):
    assert brand_lookup("DEADBEEF") is None


def test_add_months_clamps_to_month_end():
    assert services.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert services.add_months(datetime.date(2026, 11, 29), 12) == datetime.date(2027, 11, 29)


# High-altitude field tests ----------------------------------------------------------------------

FIELD = {
    "site": "拉萨 · 高原护目镜实践检测基地",
    "altitude_m": 3650,
    "test_date": datetime.date(2026, 10, 1),
    "conditions": "晴,积雪",
    "uv_index": None,
    "wearers": 10,
    "rating": 4,
    "feedback": "无眩光",
}


def test_field_tests_on_high_altitude_lines_by_base_staff(lab_setup):
    line = lab_setup.submit().product_line
    record = services.field_test_record(actor=lab_setup.cast.operator, product_line=line, **FIELD)
    assert record.product_line == line
    assert services.field_test_record(actor=lab_setup.cast.lab_staff, product_line=line, **FIELD)
    with pytest.raises(PermissionDenied):
        services.field_test_record(actor=lab_setup.cast.firm_admin, product_line=line, **FIELD)
    with pytest.raises(ValidationError) as error:
        services.field_test_record(
            actor=lab_setup.cast.operator, product_line=line, **{**FIELD, "altitude_m": 500}
        )
    assert codes(error.value) == {"altitude"}


def test_field_tests_only_for_goggle_lines(lab_setup):
    line = lab_setup.submit(line="太阳镜", product_type="sunglasses", standard="GB 39552.1-2020").product_line
    with pytest.raises(ValidationError) as error:
        services.field_test_record(actor=lab_setup.cast.operator, product_line=line, **FIELD)
    assert codes(error.value) == {"not_high_altitude"}


def test_visible_to_keeps_firms_apart(lab_setup):
    from jingxiang.lab.models import Sample, TestRequest

    report = lab_setup.report()
    cast = lab_setup.cast
    assert not TestRequest.objects.visible_to(cast.other_firm_admin).exists()
    assert not Sample.objects.visible_to(cast.other_firm_admin).exists()
    assert not Report.objects.visible_to(cast.other_firm_admin).exists()
    assert not ProductLine.objects.visible_to(cast.other_firm_admin).exists()
    assert Report.objects.visible_to(cast.member).get() == report
    assert Report.objects.visible_to(cast.lab_staff).get() == report
    assert not Report.objects.visible_to(cast.union_staff).exists()
    assert Organisation.objects.filter(pk=cast.lab.pk).exists()


# Operators' confirmation of U rules ------------------------------------------------------------

WEAK_UVA = {
    "nominal": {"declared_category": 4},
    "measured": {**GOOD_GOGGLES["measured"], "uva_transmittance": "3.0"},
}


def test_operator_confirmation_makes_a_u_rule_decide_and_withdrawal_undoes_it(lab_setup):
    operator = lab_setup.cast.operator
    confirmation = services.rule_confirm(
        actor=operator, designation="JX-HA-2026", rule_id="HA-UV-A", note="GB 39552.1-2020 表1 第 4 类"
    )
    sample = lab_setup.register(lab_setup.submit())
    assert lab_setup.enter(sample, WEAK_UVA).overall == "fail"
    services.rule_unconfirm(actor=operator, confirmation=confirmation)
    # Withdrawn: the row is indicative again, so it needs the reviewer's decision.
    with pytest.raises(ValidationError) as error:
        lab_setup.approve(sample)
    assert codes(error.value) == {"indicative_undecided"}
    report = lab_setup.approve(sample, excluded_rules={"HA-UV-A": "合同约定本批不考核紫外A"})
    assert report.overall == "pass"


def test_confirmation_made_after_entry_counts_at_approval(lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    assert lab_setup.enter(sample, WEAK_UVA).overall == "undecided"
    services.rule_confirm(
        actor=lab_setup.cast.operator, designation="JX-HA-2026", rule_id="HA-UV-A", note="原文核对"
    )
    report = lab_setup.approve(sample)
    assert report.overall == "fail" and report.confirmed_rules == ["HA-UV-A"]


@pytest.mark.parametrize(
    ("designation", "rule_id", "note", "code"),
    [
        ("JX-HA-2026", "NOPE", "x", "unknown_rule"),
        ("GB 99999-2030", "HA-UV-A", "x", "unknown_rule"),
        ("JX-HA-2026", "HA-CAT4", "x", "not_indicative"),
        ("JX-HA-2026", "HA-UV-A", "  ", "note_required"),
    ],
)
def test_rule_confirmation_bad_input(lab_setup, designation, rule_id, note, code):
    with pytest.raises(ValidationError) as error:
        services.rule_confirm(
            actor=lab_setup.cast.operator, designation=designation, rule_id=rule_id, note=note
        )
    assert codes(error.value) == {code}


def test_only_operators_confirm_rules_and_only_once(lab_setup):
    with pytest.raises(PermissionDenied):
        services.rule_confirm(actor=lab_setup.reviewer, designation="JX-HA-2026", rule_id="HA-UV-A", note="x")
    services.rule_confirm(
        actor=lab_setup.cast.operator, designation="JX-HA-2026", rule_id="HA-UV-A", note="x"
    )
    with pytest.raises(ValidationError) as error:
        services.rule_confirm(
            actor=lab_setup.cast.operator, designation="JX-HA-2026", rule_id="HA-UV-A", note="y"
        )
    assert codes(error.value) == {"duplicate"}
