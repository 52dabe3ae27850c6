"""Issue 11: editions in force without rules are told when the request is made, with two honest ways on."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jingxiang.lab import conformance, services
from jingxiang.lab.documents import report_lookup, report_pdf
from jingxiang.lab.models import CustodyEvent, CustodyKind, Instrument

pytestmark = pytest.mark.django_db

SERIES = f"{conformance.SERIES_PREFIX}GB 13511.1"
SPECTACLES = {
    "nominal": {"pd": "64", "right": {"sphere": "-2.00"}, "left": {"sphere": "-2.00"}},
    "measured": {
        "oc_distance": "64.5",
        "vertical_difference": "0.5",
        "right": {"sphere": "-2.05", "cylinder": "0", "oc_monocular": "32.3"},
        "left": {"sphere": "-1.96", "cylinder": "0", "oc_monocular": "32.2"},
    },
}


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def _spectacles(lab_setup, standard, **extra):  # type: ignore[no-untyped-def]
    return lab_setup.submit(
        line="定配眼镜 A 系列", product_type="assembled_spectacles", standard=standard, **extra
    )


def test_the_notice_comes_at_request_time_not_at_result_entry(lab_setup):
    today = timezone.localdate()
    assert today > datetime.date(2026, 3, 1)
    notice = conformance.edition_notice("assembled_spectacles", SERIES, today)
    assert notice.blocking and notice.awaiting == "GB/T 13511.1-2025"
    assert "GB/T 13511.1-2025" in notice.messages[0] and "2026-03-01" in notice.messages[0]
    with pytest.raises(ValidationError) as error:
        _spectacles(lab_setup, SERIES)
    assert codes(error.value) == {"edition_not_in_force"}
    assert any("委托方指定标准" in message for message in error.value.messages)
    # Naming the old edition directly is no way round it either: that needs the contract.
    with pytest.raises(ValidationError) as error:
        _spectacles(lab_setup, "GB 13511.1-2011")
    assert codes(error.value) == {"edition_not_in_force"}
    with pytest.raises(ValidationError) as error:
        _spectacles(lab_setup, "GB 13511.1-2011", basis="client_named")
    assert codes(error.value) == {"contract_reference"}
    with pytest.raises(ValidationError) as error:
        _spectacles(lab_setup, SERIES, basis="client_named", contract_reference="HT-1")
    assert codes(error.value) == {"client_named_edition"}


def test_the_request_form_shows_the_notice(client, lab_setup):
    client.force_login(lab_setup.cast.firm_admin)
    body = client.get("/lab/requests/new/?product_type=assembled_spectacles").content.decode()
    assert 'data-testid="edition-notice"' in body and "GB/T 13511.1-2025" in body
    assert "委托方指定标准" in body and "等待平台" in body


def test_client_named_edition_proceeds_and_the_note_is_printed(lab_setup):
    focimeter = Instrument.objects.create(
        lab=lab_setup.cast.lab,
        name="焦度计",
        kind="focimeter",
        serial="FM-9",
        calibration_due=timezone.localdate() + datetime.timedelta(days=30),
    )
    request = _spectacles(
        lab_setup, "GB 13511.1-2011", basis="client_named", contract_reference="HT-2026-118"
    )
    assert request.client_named and request.contract_reference == "HT-2026-118"
    assert request.edition_notice[0]["designation"] == "GB/T 13511.1-2025"
    sample = lab_setup.register(request)
    # The test date comes from the receipt: it cannot be typed back into the old edition's period.
    with pytest.raises(ValidationError) as error:
        services.results_enter(
            actor=lab_setup.cast.lab_staff,
            sample=sample,
            test_date=datetime.date(2026, 2, 1),
            instrument=focimeter,
            nominal=SPECTACLES["nominal"],
            measured=SPECTACLES["measured"],
            submit=True,
        )
    assert codes(error.value) == {"order"}
    sample = lab_setup.enter(sample, SPECTACLES, instrument=focimeter)
    assert sample.designation == "GB 13511.1-2011"
    report = lab_setup.approve(sample)
    assert report.overall == "pass"
    assert "委托方指定标准" in report.client_named_note
    assert "HT-2026-118" in report.client_named_note
    assert "不是检测日现行有效版本" in report.client_named_note
    assert "GB/T 13511.1-2025" in report.client_named_note
    assert dict(report_lookup(report.verify_code)["facts"])["委托方指定标准"] == report.client_named_note
    assert report_pdf(report).startswith(b"%PDF")


def test_waiting_for_the_upload_shows_its_status(client, lab_setup):
    request = _spectacles(lab_setup, SERIES, basis="wait")
    assert request.awaiting_edition == "GB/T 13511.1-2025"
    client.force_login(lab_setup.cast.firm_admin)
    body = client.get(f"/lab/requests/{request.pk}/").content.decode()
    assert 'data-testid="awaiting-upload"' in body and "尚未上传" in body


def test_a_further_mandatory_standard_is_mentioned_but_does_not_block(lab_setup):
    notice = conformance.edition_notice("frame", "GB/T 14214-2019", timezone.localdate())
    assert not notice.blocking
    assert any("GB 45184-2024" in message for message in notice.messages)


def test_before_march_2026_the_2011_edition_is_in_force_and_nothing_blocks():
    notice = conformance.edition_notice("assembled_spectacles", SERIES, datetime.date(2026, 2, 28))
    assert not notice.blocking and notice.messages == []


def test_custody_receipt_decides_the_earliest_test_date(lab_setup):
    request = _spectacles(lab_setup, "GB 13511.1-2011", basis="client_named", contract_reference="HT-7")
    sample = lab_setup.register(request)
    received = CustodyEvent.objects.get(sample=sample, kind=CustodyKind.RECEIVED)
    assert services.sample_received_on(sample) == timezone.localtime(received.at).date()
