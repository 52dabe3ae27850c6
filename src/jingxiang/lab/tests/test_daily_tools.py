"""Issue 11: instruments fit for the test, retests with history, sub-samples, labels, brand directory."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jingxiang.lab import services
from jingxiang.lab.documents import labels_pdf
from jingxiang.lab.models import BrandStatus, CustodyKind, Instrument, Sample
from jingxiang.lab.tests.conftest import BAD_GOGGLES, GOOD_GOGGLES

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def test_an_unsuitable_instrument_is_refused(lab_setup):
    focimeter = Instrument.objects.create(
        lab=lab_setup.cast.lab,
        name="焦度计",
        kind="focimeter",
        serial="FM-2",
        calibration_due=timezone.localdate() + datetime.timedelta(days=30),
    )
    sample = lab_setup.register(lab_setup.submit())
    with pytest.raises(ValidationError) as error:
        lab_setup.enter(sample, GOOD_GOGGLES, instrument=focimeter)
    assert codes(error.value) == {"instrument_unsuitable"}
    message = error.value.messages[0]
    assert "HA-CAT4" in message and "分光光度计" in message
    # An unclassified instrument fits nothing either.
    plain = Instrument.objects.create(
        lab=lab_setup.cast.lab, name="未分类", serial="X-1", calibration_due=timezone.localdate()
    )
    with pytest.raises(ValidationError) as error:
        lab_setup.enter(sample, GOOD_GOGGLES, instrument=plain)
    assert codes(error.value) == {"instrument_unsuitable"}
    # Together with a spectrophotometer in calibration, it is accepted.
    sample = lab_setup.enter(sample, GOOD_GOGGLES, instrument=focimeter, instruments=[lab_setup.instrument])
    assert list(sample.instruments.all()) == [lab_setup.instrument]


def test_an_expired_instrument_among_several_is_refused(lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    with pytest.raises(ValidationError) as error:
        lab_setup.enter(sample, GOOD_GOGGLES, instruments=[lab_setup.expired])
    assert codes(error.value) == {"instrument_calibration"}


def test_a_retest_keeps_the_first_measurement_in_the_history(client, lab_setup):
    sample = lab_setup.register(lab_setup.submit())
    lab_setup.enter(sample, BAD_GOGGLES)
    services.result_review(actor=lab_setup.reviewer, sample=sample, approve=False, note="标注需复核")
    with pytest.raises(ValidationError) as error:
        lab_setup.enter(sample, GOOD_GOGGLES)
    assert codes(error.value) == {"retest_reason_required"}
    sample = lab_setup.enter(sample, GOOD_GOGGLES, retest_reason="重新核对包装标注后复测")
    history = list(sample.measurements.order_by("sequence"))
    assert [(m.sequence, m.overall, m.retest_reason) for m in history] == [
        (1, "fail", ""),
        (2, "pass", "重新核对包装标注后复测"),
    ]
    assert history[0].measured["marked_not_for_driving"] is False
    client.force_login(lab_setup.cast.lab_staff)
    body = client.get(f"/lab/samples/{sample.pk}/").content.decode()
    assert 'data-testid="measurement-history"' in body and "重新核对包装标注后复测" in body


def test_sub_samples_get_their_own_code_and_custody(lab_setup):
    request = lab_setup.submit()
    sample = lab_setup.register(request)
    parts = services.sample_split(
        actor=lab_setup.cast.lab_staff, sample=sample, parts=2, purpose="抗冲击试验"
    )
    assert [p.code for p in parts] == [f"{sample.code}-A", f"{sample.code}-B"]
    for part in parts:
        assert part.parent == sample
        events = list(part.custody_events.all())
        assert [e.kind for e in events] == [CustodyKind.RECEIVED]
        assert sample.code in events[0].note
    services.custody_record(actor=lab_setup.cast.lab_staff, sample=parts[0], kind=CustodyKind.IN_TEST)
    parts[0].refresh_from_db()
    sample.refresh_from_db()
    assert parts[0].custody_state == CustodyKind.IN_TEST and sample.custody_state == CustodyKind.RECEIVED
    # Sub-samples do not use up the request's quantity.
    assert Sample.objects.filter(request=request, parent__isnull=True).count() == 1
    with pytest.raises(ValidationError) as error:
        services.sample_split(actor=lab_setup.cast.lab_staff, sample=parts[0], parts=1, purpose="x")
    assert codes(error.value) == {"nested_split"}
    with pytest.raises(ValidationError) as error:
        services.sample_split(actor=lab_setup.cast.lab_staff, sample=sample, parts=1, purpose=" ")
    assert codes(error.value) == {"purpose"}


def test_label_pdfs_carry_a_qr_to_the_sample_for_staff_only(client, lab_setup):
    request = lab_setup.submit(quantity=2)
    sample = lab_setup.register(request)
    lab_setup.register(request)
    client.force_login(lab_setup.cast.lab_staff)
    single = client.get(f"/lab/samples/{sample.pk}/label.pdf")
    assert single.status_code == 200 and single["Content-Type"] == "application/pdf"
    assert b"/MediaBox [ 0 0 141.7323 85.03937 ]" in single.content  # 50 × 30 mm
    assert b"/Subtype /Image" in single.content  # the QR
    sheet = client.get(f"/lab/requests/{request.pk}/labels.pdf")
    assert sheet.status_code == 200 and b"/MediaBox [ 0 0 595.2756 841.8898 ]" in sheet.content  # A4
    seen = []
    labels_pdf([sample], lambda s: seen.append(s.pk) or f"http://x/lab/samples/{s.pk}/", sheet=False)
    assert seen == [sample.pk]
    # The QR's target needs a lab login: the firm and strangers get nothing.
    client.logout()
    assert client.get(f"/lab/samples/{sample.pk}/").status_code == 302
    client.force_login(lab_setup.cast.other_firm_admin)
    assert client.get(f"/lab/samples/{sample.pk}/").status_code == 404
    assert client.get(f"/lab/samples/{sample.pk}/label.pdf").status_code == 404


def test_public_directory_lists_an_authorised_product_and_drops_a_suspended_one(client, lab_setup):
    report = lab_setup.report(line="雪域 GX 高原护目镜")
    brand = services.brand_apply(actor=lab_setup.cast.firm_admin, product_line=report.product_line)
    brand = services.brand_review(actor=lab_setup.cast.operator, brand=brand, approve=True)
    body = client.get("/lab/brand/directory/?q=雪域").content.decode()
    assert brand.number in body and lab_setup.cast.firm.name in body and report.display_number in body
    assert report.verify_code in body
    assert brand.number in client.get(f"/lab/brand/directory/?q={lab_setup.cast.firm.name}").content.decode()
    assert brand.number not in client.get("/lab/brand/directory/?q=不存在的产品").content.decode()
    lab_setup.report(BAD_GOGGLES, line="雪域 GX 高原护目镜")
    brand.refresh_from_db()
    assert brand.status == BrandStatus.SUSPENDED
    assert brand.number not in client.get("/lab/brand/directory/").content.decode()


def test_a_field_test_is_corrected_with_a_reason_and_the_old_values_stay_in_the_log(lab_setup):
    from auditlog.models import LogEntry

    line = lab_setup.report().product_line
    data = {
        "site": "拉萨 · 高原护目镜实践检测基地",
        "altitude_m": 3650,
        "test_date": timezone.localdate(),
        "conditions": "晴,积雪反光",
        "uv_index": None,
        "wearers": 6,
        "rating": 4,
        "feedback": "无眩光",
    }
    field_test = services.field_test_record(actor=lab_setup.cast.lab_staff, product_line=line, **data)
    with pytest.raises(ValidationError) as error:
        services.field_test_correct(
            actor=lab_setup.cast.lab_staff,
            field_test=field_test,
            **{**data, "altitude_m": 4650},
            reason=" ",
        )
    assert codes(error.value) == {"reason_required"}
    with pytest.raises(ValidationError) as error:
        services.field_test_correct(actor=lab_setup.cast.lab_staff, field_test=field_test, **data, reason="x")
    assert codes(error.value) == {"unchanged"}
    corrected = services.field_test_correct(
        actor=lab_setup.cast.lab_staff,
        field_test=field_test,
        **{**data, "altitude_m": 4650},
        reason="海拔抄录错误,按 GPS 记录更正",
    )
    assert corrected.altitude_m == 4650 and corrected.corrected_at is not None
    assert corrected.correction_reason == "海拔抄录错误,按 GPS 记录更正"
    changes = [entry.changes_dict for entry in LogEntry.objects.get_for_object(corrected)]
    assert any(change.get("altitude_m") == ["3650", "4650"] for change in changes)
    with pytest.raises(Exception):  # noqa: B017 - a firm is refused (PermissionDenied)
        services.field_test_correct(
            actor=lab_setup.cast.firm_admin, field_test=field_test, **{**data, "rating": 5}, reason="x"
        )
