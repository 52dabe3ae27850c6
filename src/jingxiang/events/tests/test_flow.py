"""The whole workflow through the services: register, request, accept, schedule, publish, meet."""

from __future__ import annotations

import pytest

from jingxiang.events import services
from jingxiang.events.models import Attendance, FollowUp, Meeting, RunStatus, ScheduleRun
from jingxiang.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_schedule_job_places_accepted_meetings_and_publishes(cast, setup):
    m1 = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="must"
    )
    m2 = services.meeting_request_create(
        actor=cast.firm_admin, requester=setup.firm, recipient_id=setup.lab.pk, priority="nice"
    )
    services.meeting_request_respond(actor=cast.expert_user, meeting=m1, accept=True)
    services.meeting_request_respond(actor=setup.lab_admin, meeting=m2, accept=True)
    run = services.schedule_start(actor=cast.operator, event=setup.event, time_limit=5)
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result_url.endswith(f"/events/runs/{run.pk}/")
    assert run.status == RunStatus.READY
    assert run.solver_status == "optimal"
    assert run.scheduled_count == 2 and run.unscheduled_count == 0
    assert run.violations == []
    assert run.upper_bound == run.scheduled_weight == 4
    assert run.instance["meetings"][0]["weight"] == 3.0

    services.schedule_publish(actor=cast.operator, run=run)
    m1.refresh_from_db()
    m2.refresh_from_db()
    assert m1.slot_id and m1.table_id and m1.announced
    assert m1.slot_id != m2.slot_id  # the firm cannot be at two tables at once
    setup.event.refresh_from_db()
    assert setup.event.status == "published"

    services.participant_check_in(actor=cast.operator, participant=setup.firm)
    services.meeting_attendance_mark(actor=cast.operator, meeting=m1, held=True)
    services.meeting_feedback_record(
        actor=cast.talent_officer,
        meeting=m1,
        participant=setup.firm,
        wants_cooperation=True,
        follow_up_kind="sharing",
        note="请林工每月来厂两天",
    )
    services.meeting_feedback_record(
        actor=cast.expert_user,
        meeting=m1,
        participant=setup.expert,
        wants_cooperation=True,
        follow_up_kind="sharing",
    )
    assert FollowUp.objects.filter(meeting=m1, kind="sharing").count() == 1
    services.meeting_attendance_mark(actor=cast.operator, meeting=m2, held=False, no_show=setup.lab)
    assert Meeting.objects.get(pk=m2.pk).attendance == Attendance.NO_SHOW


def test_rescheduling_keeps_announced_and_locked_meetings(cast, setup):
    m1 = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="must"
    )
    services.meeting_request_respond(actor=cast.expert_user, meeting=m1, accept=True)
    first = services.schedule_start(actor=cast.operator, event=setup.event, time_limit=5)
    services.schedule_publish(actor=cast.operator, run=ScheduleRun.objects.get(pk=first.pk))
    m1.refresh_from_db()
    placed = (m1.slot_id, m1.table_id)

    m2 = services.meeting_request_create(
        actor=setup.lab_admin, requester=setup.lab, recipient_id=setup.expert.pk, priority="must"
    )
    services.meeting_request_respond(actor=cast.expert_user, meeting=m2, accept=True)
    second = services.schedule_start(actor=cast.operator, event=setup.event, time_limit=5)
    second.refresh_from_db()
    assert second.status == RunStatus.READY
    assert second.instance["announced"] == [{"meeting_id": m1.pk, "slot": placed[0], "table": placed[1]}]
    services.schedule_publish(actor=cast.operator, run=second)
    m1.refresh_from_db()
    m2.refresh_from_db()
    assert (m1.slot_id, m1.table_id) == placed
    assert m2.slot_id and m2.slot_id != m1.slot_id
    first.refresh_from_db()
    assert first.status == RunStatus.SUPERSEDED
