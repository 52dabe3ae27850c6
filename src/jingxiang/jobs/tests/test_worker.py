"""The real queue: a job queued in the database is picked up and finished by `manage.py db_worker`."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from openpyxl import Workbook

from jingxiang.jobs import texts
from jingxiang.jobs.models import JobStatus
from jingxiang.jobs.services import job_enqueue
from jingxiang.organisations.models import Organisation

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _organisations_file() -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["机构名称", "机构类型"])
    sheet.append(["台州某职业技术学院", "高校/科研院所"])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("orgs.xlsx", buffer.getvalue())


@pytest.mark.django_db(transaction=True)
def test_database_queue_and_worker_run_an_import(cast):
    with override_settings(TASKS=DATABASE_QUEUE):
        job = job_enqueue(
            kind="import",
            title=texts.IMPORT_TITLE(what="机构", file="orgs.xlsx"),
            created_by=cast.operator,
            params={"spec": "organisations"},
            input_file=_organisations_file(),
        )
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED
        call_command("db_worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.progress == 100
    assert Organisation.objects.filter(name="台州某职业技术学院").exists()
