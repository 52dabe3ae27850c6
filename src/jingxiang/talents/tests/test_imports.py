"""Whole-file-first Excel imports: every bad row reported, nothing half-imported."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from jingxiang.jobs.models import Job, JobStatus
from jingxiang.organisations.models import Organisation
from jingxiang.talents.models import Talent
from jingxiang.talents.services import skills_sync

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "人才类别", "所在单位", "手机号", "身份证号", "技能", "每月可共享小时"]


def workbook(rows, headers=HEADERS) -> bytes:  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "talents.xlsx"):  # type: ignore[no-untyped-def]
    return client.post(
        "/jobs/import/talents/",
        {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")},
        follow=True,
    )


@pytest.fixture
def skills(db):  # type: ignore[no-untyped-def]
    skills_sync()


def test_valid_file_imports_every_row(cast, client, skills, django_capture_on_commit_callbacks):
    client.force_login(cast.firm_admin)
    data = workbook(
        [
            ["王建国", "工匠", cast.firm.name, "13812345678", "", "减反射镀膜:4; 膜层附着力", 20],
            ["李梅", "技术人员", cast.firm.name, "", "", "镜架抛光", 0],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, data)
    job = Job.objects.get()
    response = client.get(f"/jobs/{job.pk}/")
    assert job.status == JobStatus.SUCCEEDED, job.result
    assert job.result["created"] == 2
    assert Talent.objects.filter(home_organisation=cast.firm, name="王建国").get().talent_skills.count() == 2
    assert "已导入 2 条记录" in response.content.decode()


def test_one_bad_row_imports_nothing_and_reports_row_column_reason(
    cast, client, skills, django_capture_on_commit_callbacks
):
    client.force_login(cast.firm_admin)
    before = Talent.objects.count()
    data = workbook(
        [
            ["王建国", "工匠", cast.firm.name, "13812345678", "", "减反射镀膜", 20],
            ["赵六", "工匠", cast.firm.name, "1234", "", "减反射镀膜", 10],
            ["钱七", "魔法师", cast.other_firm.name, "", "", "不存在的技能", 5],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, data)
    job = Job.objects.get()
    response = client.get(f"/jobs/{job.pk}/")
    assert job.status == JobStatus.FAILED
    errors = job.result["errors"]
    assert {(e["row"], e["column"]) for e in errors} >= {
        (3, "手机号"),
        (4, "人才类别"),
        (4, "所在单位"),
        (4, "技能"),
    }
    assert Talent.objects.count() == before
    page = response.content.decode()
    assert "未导入任何数据" in page
    assert "第 3 行" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("talents.csv", b"a,b\n1,2", "只能上传 .xlsx"),
        ("talents.xlsx", b"not a zip file at all", "不是 Excel"),
    ],
)
def test_wrong_file_types_are_refused_before_queueing(cast, client, name, content, message):
    client.force_login(cast.firm_admin)
    response = client.post("/jobs/import/talents/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_missing_required_column_is_reported(cast, client, skills, django_capture_on_commit_callbacks):
    client.force_login(cast.operator)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, workbook([["王建国"]], headers=["姓名"]))
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert any("人才类别" in e["message"] for e in job.result["errors"])


def test_oversized_file_is_refused(cast, client, settings):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(cast.operator)
    response = client.post(
        "/jobs/import/talents/", {"file": SimpleUploadedFile("t.xlsx", b"PK\x03\x04" + b"0" * 200)}
    )
    assert "文件太大" in response.content.decode()


def test_organisation_import_flags_duplicates_in_file_and_database(
    cast, client, django_capture_on_commit_callbacks
):
    client.force_login(cast.operator)
    headers = ["机构名称", "机构类型", "统一社会信用代码"]
    data = workbook(
        [
            ["新企业甲", "企业", cast.firm.uscc],
            ["新企业乙", "firm", "91331082MA2ABCDE1X"],
            ["新高校", "高校/科研院所", ""],
            ["新高校", "高校/科研院所", ""],
        ],
        headers=headers,
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload_org = client.post(
            "/jobs/import/organisations/", {"file": SimpleUploadedFile("o.xlsx", data)}, follow=True
        )
    assert upload_org.status_code == 200
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    rows = {(e["row"], e["column"]) for e in job.result["errors"]}
    assert (2, "统一社会信用代码") in rows
    assert (3, "统一社会信用代码") in rows
    assert not Organisation.objects.filter(name__startswith="新").exists()


def test_template_download_is_an_xlsx(cast, client):
    client.force_login(cast.firm_admin)
    response = client.get("/jobs/import/talents/template/")
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
