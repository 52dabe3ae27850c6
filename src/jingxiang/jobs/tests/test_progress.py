"""A job's progress is visible to other connections while the import's transaction is still open."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections
from openpyxl import Workbook

from jingxiang.core.imports import get_spec, run_import
from jingxiang.core.texts import IMPORT_ROWS_SAVED
from jingxiang.jobs import progress as progress_channel
from jingxiang.jobs import registry, texts
from jingxiang.jobs.models import Job, JobStatus
from jingxiang.jobs.registry import JobLost
from jingxiang.jobs.services import job_report, job_run
from jingxiang.organisations.models import Organisation

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

KIND = "test_paused_import"


def workbook(rows: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["机构名称", "机构类型"])
    for number in range(rows):
        sheet.append([f"台州第{number}职业技术学院", "高校/科研院所"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def paused_import() -> Any:
    """The real import, stopping once mid-save (inside its transaction) until the test has looked."""
    reached, resume = threading.Event(), threading.Event()

    def handler(job: Any, progress: registry.ProgressCallback) -> dict[str, Any]:
        def report(percent: int, message: str) -> None:
            progress(percent, message)
            if 40 < percent < 100 and not reached.is_set():
                reached.set()
                resume.wait(timeout=30)

        with job.input_file.open("rb") as handle:
            result = run_import(get_spec("organisations"), handle.read(), job.created_by, report)
        return {"created": result.created}

    registry.register_handler(KIND)(handler)
    yield reached, resume
    registry._handlers.pop(KIND, None)


def test_another_connection_sees_progress_during_the_import_transaction(
    cast: Any, paused_import: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; run with DATABASE_URL=postgres://…")
    reached, resume = paused_import
    job = Job.objects.create(
        kind=KIND,
        title_text=texts.IMPORT_TITLE(what="机构", file="orgs.xlsx").as_json(),
        created_by=cast.operator,
        status=JobStatus.QUEUED,
    )
    job.input_file.save("orgs.xlsx", ContentFile(workbook(120)))

    def work() -> None:
        try:
            job_run(job_id=job.pk)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        assert reached.wait(timeout=60), "the import never reached its save"
        seen = Job.objects.get(pk=job.pk)  # this thread's connection: another connection than the worker's
        assert 40 < seen.progress < 100, seen.progress
        assert "已导入" in seen.message
        assert not Organisation.objects.filter(name__startswith="台州第").exists(), "still one transaction"
    finally:
        resume.set()
        worker.join(timeout=60)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100, job.message
    assert Organisation.objects.filter(name__startswith="台州第").count() == 120


def test_a_job_row_locked_by_its_own_transaction_is_skipped_not_waited_for(cast: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.db import transaction

    job = Job.objects.create(
        kind="import",
        title_text=texts.IMPORT_TITLE(what="机构", file="orgs.xlsx").as_json(),
        created_by=cast.operator,
        status=JobStatus.RUNNING,
        attempts=1,
    )
    progress_channel.begin()  # as the worker does when it starts the job, outside any transaction
    try:
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(progress=10)
            job_report(job.pk, 1, 50, IMPORT_ROWS_SAVED(n=50))  # would wait for ever without SKIP LOCKED
    finally:
        progress_channel.close()
    job.refresh_from_db()
    assert job.progress == 10


def test_progress_of_a_run_given_up_stops_it_even_inside_a_transaction(cast: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.db import transaction

    job = Job.objects.create(
        kind="import",
        title_text=texts.IMPORT_TITLE(what="机构", file="orgs.xlsx").as_json(),
        created_by=cast.operator,
        status=JobStatus.RUNNING,
        attempts=2,  # the sweeper re-queued it and another worker claimed it again
    )
    progress_channel.begin()
    try:
        with transaction.atomic(), pytest.raises(JobLost):
            job_report(job.pk, 1, 50, IMPORT_ROWS_SAVED(n=50))  # written aside: the handler's transaction
    finally:
        progress_channel.close()
