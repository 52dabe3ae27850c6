"""A job whose worker died is noticed by its stale heartbeat and re-queued or failed, never left running."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation

from jingxiang.core.models import Notification
from jingxiang.jobs import texts
from jingxiang.jobs.models import Job, JobStatus
from jingxiang.jobs.services import job_enqueue, job_run, jobs_sweep, maintenance_schedule
from jingxiang.jobs.tests import handlers

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ROOT = Path(__file__).resolve().parents[4]


def _title():  # type: ignore[no-untyped-def]
    return handlers.STEP(n=0)


def lost_job(cast, kind: str, *, attempts: int = 1, minutes: int = 30, **fields) -> Job:  # type: ignore[no-untyped-def]
    """A job some worker claimed and then stopped reporting on (the worker was killed)."""
    then = timezone.now() - dt.timedelta(minutes=minutes)
    return Job.objects.create(
        kind=kind,
        title_text=_title().as_json(),
        created_by=cast.operator,
        status=JobStatus.RUNNING,
        attempts=attempts,
        started_at=then,
        heartbeat_at=then,
        params={"language": "zh-hans", "steps": 2},
        **fields,
    )


@pytest.mark.django_db
def test_every_progress_report_is_a_heartbeat(cast, django_capture_on_commit_callbacks):
    handlers.seen_heartbeats.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="test_steps", title=_title(), created_by=cast.operator, params={"steps": 3})
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    beats = handlers.seen_heartbeats[-3:]
    assert all(beats) and beats == sorted(beats)
    assert job.heartbeat_at >= beats[-1]
    assert job.message == "finished after 3 steps"


@pytest.mark.django_db
def test_a_lost_retryable_job_is_requeued_and_then_finishes(cast, django_capture_on_commit_callbacks):
    job = lost_job(cast, "test_steps")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        swept = jobs_sweep()
    assert swept.requeued == [job.pk] and swept.failed == []
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.heartbeat_at is None
    with translation.override("en"):
        assert "queued again for attempt 2" in job.message
    assert len(queued) == 1, "the re-queued job goes back on the task queue after commit"
    queued[0]()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2


@pytest.mark.django_db
def test_a_lost_job_without_retries_fails_with_a_reason_in_the_readers_language(cast):
    handlers.abandoned.clear()
    job = lost_job(cast, "test_once")
    swept = jobs_sweep()
    assert swept.failed == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at and job.progress == 100
    with translation.override("zh-hans"):
        assert job.message.startswith("处理进程已中断")
    with translation.override("en"):
        assert job.message.startswith("The worker process was interrupted")
    assert handlers.abandoned == [job.pk], "the kind's on_abandon hook releases what the job held"
    notice = Notification.objects.get(recipient=cast.operator, kind="job")
    assert notice.message == texts.FAILED_NOTICE.id
    with translation.override("en"):
        assert notice.title.startswith("Job failed") and notice.body.startswith("The worker process")


@pytest.mark.django_db(transaction=True)
def test_the_upload_of_a_failed_lost_job_is_deleted(cast):
    job = lost_job(cast, "test_once")
    job.input_file.save("people.xlsx", ContentFile(b"PK\x03\x04 personal data"), save=True)
    storage, name = job.input_file.storage, job.input_file.name
    assert storage.exists(name)
    jobs_sweep()
    job.refresh_from_db()
    assert not job.input_file and not storage.exists(name)


@pytest.mark.django_db
def test_retries_run_out(cast):
    job = lost_job(cast, "test_steps", attempts=2)  # test_steps allows two attempts
    assert jobs_sweep().failed == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    with translation.override("en"):
        assert "after 2 attempt" in job.message


@pytest.mark.django_db
def test_a_job_with_a_fresh_heartbeat_or_not_running_is_left_alone(cast):
    alive = lost_job(cast, "test_once", minutes=1)
    queued = Job.objects.create(
        kind="test_once",
        title_text=_title().as_json(),
        status=JobStatus.QUEUED,
        started_at=timezone.now() - dt.timedelta(days=1),
    )
    done = Job.objects.create(
        kind="test_once",
        title_text=_title().as_json(),
        status=JobStatus.SUCCEEDED,
        heartbeat_at=timezone.now() - dt.timedelta(days=1),
    )
    assert jobs_sweep().requeued == [] and jobs_sweep().failed == []
    for job, status in ((alive, JobStatus.RUNNING), (queued, JobStatus.QUEUED), (done, JobStatus.SUCCEEDED)):
        job.refresh_from_db()
        assert job.status == status
    # The threshold is a setting: with a short one the same job counts as lost.
    with override_settings(JOB_HEARTBEAT_TIMEOUT=30):
        assert jobs_sweep().failed == [alive.pk]


@pytest.mark.django_db
def test_a_worker_whose_job_was_given_up_stops_and_writes_nothing(cast):
    job = Job.objects.create(
        kind="test_steps",
        title_text=_title().as_json(),
        created_by=cast.operator,
        params={"language": "zh-hans", "steps": 3, "sweep_midway": True},
    )
    finished = job_run(job_id=job.pk)
    # The sweeper re-queued it after the first step; the old run's next report found the job gone.
    assert finished.status == JobStatus.QUEUED and finished.progress == 0
    assert not Notification.objects.filter(kind="job").exists()


@pytest.mark.django_db
def test_sweep_command(cast):
    job = lost_job(cast, "test_once", minutes=2)
    out = StringIO()
    call_command("jobs_sweep", stdout=out)
    assert "failed: 0" in out.getvalue()
    call_command("jobs_sweep", "--timeout", "60", stdout=out)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "jobs re-queued: 0, failed: 1" in out.getvalue()


@pytest.mark.django_db
def test_the_worker_keeps_one_maintenance_pass_queued_while_work_is_pending(cast):
    from django_tasks_db.models import DBTaskResult

    from jingxiang.jobs.tasks import maintain

    with override_settings(TASKS=DATABASE_QUEUE):
        assert maintenance_schedule() is False, "nothing to watch, no chain"
        lost_job(cast, "test_once")
        assert maintenance_schedule() is True
        assert maintenance_schedule() is False, "one pass queued is enough"
        passes = DBTaskResult.objects.filter(task_path=maintain.module_path, status="READY")
        assert passes.count() == 1
        assert passes.get().run_after > timezone.now() + dt.timedelta(seconds=30)


@pytest.mark.django_db
def test_without_a_deferring_queue_there_is_no_chain(cast):
    lost_job(cast, "test_once")
    assert maintenance_schedule() is False  # the tests' immediate backend cannot defer


# A real worker process killed in the middle of a job -------------------------------------------------


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_leads_to_a_requeued_job_that_another_worker_finishes(cast, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker subprocess and the test share one server database")
    (tmp_path / "killtest_settings.py").write_text(
        "from jingxiang.config.settings import *  # noqa: F403\n"
        "import jingxiang.jobs.tests.handlers  # noqa: F401,E402  (the test job kinds)\n"
    )
    database = connection.settings_dict
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src")]),
        "DJANGO_SETTINGS_MODULE": "killtest_settings",
        "JINGXIANG_ENV": "test",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    }
    with override_settings(TASKS=DATABASE_QUEUE):
        job = job_enqueue(
            kind="test_steps", title=_title(), created_by=cast.operator, params={"steps": 100, "pause": 0.2}
        )
        worker = subprocess.Popen(
            [sys.executable, "-m", "django", "db_worker", "--interval", "0.1", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 25
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.status == JobStatus.RUNNING and job.progress >= 2:
                    break
                time.sleep(0.2)
            assert job.status == JobStatus.RUNNING, "the worker subprocess never started the job"
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING, "a killed worker leaves its job running..."
        time.sleep(1.1)
        swept = jobs_sweep(timeout=1)
        assert swept.requeued == [job.pk], "...until the sweeper sees the heartbeat stopped"
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED and job.attempts == 1
        Job.objects.filter(pk=job.pk).update(params={**job.params, "steps": 2, "pause": 0})
        call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
