"""Batch entry: a whole Excel sheet or instrument CSV is validated before anything is saved."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from jingxiang.core.imports import run_import
from jingxiang.jobs.models import Job
from jingxiang.lab.imports import ResultBatchImport, csv_to_workbook
from jingxiang.lab.models import Instrument, SampleStatus

pytestmark = pytest.mark.django_db

HEADER = ["样品编号", "字段", "数值", "单位", "仪器编号", "检测日期"]


def workbook(rows) -> bytes:  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def goggle_rows(
    code: str, *, tv: str = "5.2", serial: str = "SP-1", day: str | None = None
) -> list[list[str]]:
    day = day or timezone.localdate().isoformat()
    return [
        [code, "nominal.declared_category", "4", "", serial, day],
        [code, "measured.luminous_transmittance", tv, "%", serial, day],
        [code, "measured.uvb_transmittance", "0.4", "%", serial, day],
        [code, "measured.uva_transmittance", "1.5", "", serial, day],
        [code, "measured.marked_not_for_driving", "是", "", serial, day],
    ]


@pytest.fixture
def two_samples(lab_setup):
    request = lab_setup.submit(quantity=2)
    return lab_setup.register(request), lab_setup.register(request)


def run(lab_setup, data: bytes, *, submit: bool = True):  # type: ignore[no-untyped-def]
    return run_import(ResultBatchImport(submit=submit), data, lab_setup.cast.lab_staff, lambda *_: None)


def test_a_good_sheet_enters_every_sample(lab_setup, two_samples):
    first, second = two_samples
    result = run(lab_setup, workbook(goggle_rows(first.code) + goggle_rows(second.code, tv="6.0")))
    assert result.ok and result.created == 2
    for sample in two_samples:
        sample.refresh_from_db()
        assert sample.status == SampleStatus.AWAITING_REVIEW
        assert sample.overall == "pass"
        assert sample.instrument == lab_setup.instrument
    assert first.measured["marked_not_for_driving"] is True


def test_every_bad_row_is_reported_and_nothing_is_saved(lab_setup, two_samples):
    first, second = two_samples
    rows = goggle_rows(first.code) + goggle_rows(second.code)
    rows[1][0] = "DHU-2099-99999"  # unknown sample
    rows[2][1] = "measured uvb"  # field written wrongly
    rows[3][2] = ""  # value missing
    result = run(lab_setup, workbook(rows))
    assert not result.ok and result.created == 0
    # rows[i] is Excel row i + 2 (row 1 is the header)
    assert {(error.row, error.column) for error in result.errors} == {(4, "字段"), (5, "数值")}
    # Row-form errors come first; once they are fixed the cross-row checks speak.
    rows = goggle_rows(first.code) + goggle_rows(second.code)
    rows[1][0] = "DHU-2099-99999"
    rows.append(list(rows[6]))  # duplicate of row 8
    rows[7][1] = "measured.q_red"  # not an item of JX-HA-2026
    result = run(lab_setup, workbook(rows))
    messages = {(error.row, error.column): error.message for error in result.errors}
    assert "没有这个样品编号" in messages[(3, "样品编号")]
    assert "重复" in messages[(12, "字段")]
    assert "q_red" in messages[(9, "字段")]
    for sample in two_samples:
        sample.refresh_from_db()
        assert sample.status == SampleStatus.REGISTERED and sample.measured == {}


def test_impossible_values_and_unit_mixups_are_caught_per_row(lab_setup, two_samples):
    first, second = two_samples
    rows = goggle_rows(first.code, tv="-3") + goggle_rows(second.code)
    rows[6][3] = "fraction"  # τv 5.2 stated as a fraction
    result = run(lab_setup, workbook(rows))
    messages = {error.row: error.message for error in result.errors}
    assert "物理上可能的范围" in messages[3] and "光透射比" in messages[3]
    assert "单位" in messages[8]
    second.refresh_from_db()
    assert second.overall == ""


def test_expired_instrument_and_mixed_dates_are_refused(lab_setup, two_samples):
    first, second = two_samples
    rows = goggle_rows(first.code, serial="LM-1") + goggle_rows(second.code)
    rows[6][5] = "2026-01-02"
    result = run(lab_setup, workbook(rows))
    messages = {(error.row, error.column): error.message for error in result.errors}
    assert "校准" in messages[(2, "仪器编号")]
    assert any("同一检测日期" in message for message in messages.values())


def test_other_labs_samples_are_unknown(lab_setup, two_samples, cast):
    from jingxiang.core.imports import run_import as runner

    result = runner(
        ResultBatchImport(), workbook(goggle_rows(two_samples[0].code)), cast.operator, lambda *_: None
    )
    assert {error.message for error in result.errors} == {"本实验室没有这个样品编号。"}
    assert len(result.errors) == 5


def test_instrument_csv_export_in_gbk_with_negative_values(lab_setup, cast):
    Instrument.objects.create(
        lab=cast.lab, name="焦度计", kind="focimeter", serial="FM-1", calibration_due=timezone.localdate()
    )
    request = lab_setup.submit(
        line="老花镜",
        product_type="ready_made_readers",
        standard="GB 13511.1-2011",
        quantity=1,
        basis="client_named",
        contract_reference="HT-2026-001",
    )
    sample = lab_setup.register(
        request, received_at=timezone.make_aware(datetime.datetime(2026, 1, 14, 9, 0))
    )
    day = "2026-01-15"
    lines = [",".join(HEADER)]
    for field, value in [
        ("nominal.marked_oc_distance", "62"),
        ("nominal.right.sphere", "-1.00"),
        ("nominal.left.sphere", "-1.00"),
        ("measured.right.sphere", "-1.05"),
        ("measured.right.cylinder", "0"),
        ("measured.left.sphere", "-0.98"),
        ("measured.left.cylinder", "0"),
        ("measured.right.oc_monocular", "31.1"),
        ("measured.left.oc_monocular", "30.9"),
    ]:
        lines.append(f"{sample.code},{field},{value},,FM-1,{day}")
    data = csv_to_workbook("\n".join(lines).encode("gb18030"))
    result = run(lab_setup, data, submit=False)
    assert result.ok, result.errors
    sample.refresh_from_db()
    assert sample.measured["right"]["sphere"] == "-1.05"
    assert sample.designation == "GB 13511.1-2011"
    assert sample.status == SampleStatus.IN_TEST


def test_the_upload_runs_as_a_background_job(
    lab_setup, two_samples, client, django_capture_on_commit_callbacks
):
    client.force_login(lab_setup.cast.lab_staff)
    upload = SimpleUploadedFile("results.xlsx", workbook(goggle_rows(two_samples[0].code)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/lab/batch/", {"file": upload, "submit": "1"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert job.progress == 100
    assert job.result_url == "/lab/samples/?status=awaiting_review"
    two_samples[0].refresh_from_db()
    assert two_samples[0].status == SampleStatus.AWAITING_REVIEW


def test_a_failed_job_lists_the_errors(lab_setup, two_samples, client, django_capture_on_commit_callbacks):
    client.force_login(lab_setup.cast.lab_staff)
    rows = goggle_rows(two_samples[0].code)
    rows[0][0] = "NOPE"
    upload = SimpleUploadedFile(
        "results.csv", "\n".join(",".join(r) for r in [HEADER, *rows]).encode("utf-8-sig")
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/lab/batch/", {"file": upload})
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.result["errors"][0]["row"] == 2
    page = client.get(f"/jobs/{job.pk}/")
    assert "本实验室没有这个样品编号" in page.content.decode()


def test_only_spreadsheets_and_csv_are_accepted(lab_setup, client):
    client.force_login(lab_setup.cast.lab_staff)
    response = client.post("/lab/batch/", {"file": SimpleUploadedFile("results.pdf", b"%PDF")})
    assert response.status_code == 200
    assert "请上传 .xlsx 或 .csv 文件" in response.content.decode()
    assert Job.objects.count() == 0
