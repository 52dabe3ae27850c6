"""Edges: demands linked at registration, conflicting locks after late changes, bad ids, attention cards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from jingxiang.events import services
from jingxiang.events.models import FollowUp, Participant, RunStatus
from jingxiang.events.tests.conftest import make_event
from jingxiang.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


def published_demand(cast):  # type: ignore[no-untyped-def]
    from jingxiang.demands.models import Demand

    return Demand.objects.create(
        organisation=cast.firm,
        created_by=cast.firm_admin,
        title="镜片膜层起皱脱落",
        category="testing",
        description="树脂镜片戴一段时间膜层起皱脱落,想找人分析原因并改进镀膜工艺。",
        budget=Decimal("50000"),
        hours_needed=20,
        region="杜桥镇",
        visibility="public",
        status="published",
        submitted_at=timezone.now(),
    )


def test_firm_links_a_published_demand_and_the_follow_up_points_to_it(cast, client):
    demand = published_demand(cast)
    event = make_event(cast.operator)
    client.force_login(cast.firm_admin)
    page = client.get(f"/events/{event.pk}/register/").content.decode()
    assert "镜片膜层起皱脱落" in page
    response = client.post(
        f"/events/{event.pk}/register/",
        {
            "profile": f"firm:{cast.firm.pk}",
            "demand": str(demand.pk),
            "max_meetings": "3",
            "slots": list(event.slots.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    firm = Participant.objects.get(event=event, organisation=cast.firm)
    assert firm.demand == demand
    expert = services.participant_register(
        actor=cast.expert_user,
        event=event,
        kind="expert",
        profile_id=cast.expert.pk,
        slot_ids=list(event.slots.values_list("pk", flat=True)),
        max_meetings=3,
    )
    meeting = services.meeting_request_create(
        actor=cast.firm_admin, requester=firm, recipient_id=expert.pk, priority="must"
    )
    services.meeting_request_respond(actor=cast.expert_user, meeting=meeting, accept=True)
    services.meeting_place(
        actor=cast.operator, meeting=meeting, slot=event.slots.first(), table=event.tables.first()
    )
    services.meeting_attendance_mark(actor=cast.operator, meeting=meeting, held=True)
    services.meeting_feedback_record(
        actor=cast.expert_user,
        meeting=meeting,
        participant=expert,
        wants_cooperation=True,
        follow_up_kind="demand",
    )
    assert FollowUp.objects.get(meeting=meeting).target == demand


def test_a_lock_broken_by_a_late_change_gives_a_reasoned_failure_not_a_crash(
    cast, setup, django_capture_on_commit_callbacks
):
    meeting = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="must"
    )
    services.meeting_request_respond(actor=cast.expert_user, meeting=meeting, accept=True)
    first, second, _third = setup.event.slots.all()
    services.meeting_place(actor=cast.operator, meeting=meeting, slot=first, table=setup.event.tables.first())
    # The expert can no longer come in the morning's first slot.
    services.participant_update(
        actor=cast.expert_user, participant=setup.expert, slot_ids=[second.pk], max_meetings=3, needs=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_start(actor=cast.operator, event=setup.event, time_limit=2)
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    assert run.status == RunStatus.INFEASIBLE
    assert job.status == JobStatus.FAILED and "锁定的洽谈互相冲突" in job.message
    assert run.result["conflicts"]
    client = Client()
    client.force_login(cast.operator)
    page = client.get(f"/events/runs/{run.pk}/").content.decode()
    assert "锁定冲突" in page and "该锁定洽谈违反排程规则" in page and "发布日程" not in page


def test_bad_ids_in_posts_are_messages_not_errors(cast, setup, client):
    client.force_login(cast.operator)
    response = client.post(f"/events/{setup.event.pk}/checkin/", {"participant": "abc"}, follow=True)
    assert response.status_code == 200 and "没有找到该参会者" in response.content.decode()
    meeting = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="must"
    )
    response = client.post(
        f"/events/meetings/{meeting.pk}/feedback/",
        {"participant": "x", "wants_cooperation": "no"},
        follow=True,
    )
    assert response.status_code == 200 and "请选择代表哪一方登记" in response.content.decode()
    response = client.post(f"/events/meetings/{meeting.pk}/place/", {"slot": "zz"}, follow=True)
    assert "请选择时段和洽谈桌" in response.content.decode()
    response = client.get(f"/events/{setup.event.pk}/participants/?kind=nonsense&page=abc")
    assert response.status_code == 200


def test_attention_cards_for_recipient_and_operator(cast, setup, client, django_assert_max_num_queries):
    services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="must"
    )
    client.force_login(cast.expert_user)
    page = client.get("/").content.decode()
    assert "等待您答复的洽谈预约" in page
    client.force_login(cast.operator)
    assert "报名中的对接会" in client.get("/").content.decode()
    from jingxiang.events.permissions import attention_cards

    with django_assert_max_num_queries(4):
        attention_cards(cast.operator)


def test_expired_deadline_blocks_scheduling_of_pending_requests(
    cast, setup, django_capture_on_commit_callbacks
):
    pending = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.lab.pk, priority="nice"
    )
    accepted = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="must"
    )
    services.meeting_request_respond(actor=cast.expert_user, meeting=accepted, accept=True)
    setup.event.requests_expire_at = timezone.now() - dt.timedelta(minutes=1)
    setup.event.save()
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_start(actor=cast.operator, event=setup.event, time_limit=2)
    run.refresh_from_db()
    pending.refresh_from_db()
    assert pending.status == "expired"
    assert [m["id"] for m in run.instance["meetings"]] == [accepted.pk]


def test_a_crashed_run_is_marked_failed_and_a_running_one_blocks_a_second(
    cast, setup, monkeypatch, django_capture_on_commit_callbacks
):
    from jingxiang.events import services as event_services
    from jingxiang.events.models import ScheduleRun

    meeting = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="must"
    )
    services.meeting_request_respond(actor=cast.expert_user, meeting=meeting, accept=True)

    def explode(**_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("solver process died")

    monkeypatch.setattr(event_services, "schedule_compute", explode)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_start(actor=cast.operator, event=setup.event, time_limit=2)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert Job.objects.get(pk=run.job_id).status == JobStatus.FAILED
    ScheduleRun.objects.create(event=setup.event, created_by=cast.operator, status=RunStatus.RUNNING)
    with pytest.raises(ValidationError) as error:
        services.schedule_start(actor=cast.operator, event=setup.event, time_limit=2)
    assert error.value.error_list[0].code == "running"


def test_withdrawing_a_registration_cancels_its_meetings_and_tells_the_other_side(cast, setup):
    from jingxiang.core.models import Notification
    from jingxiang.events.models import Meeting

    meeting = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="must"
    )
    services.meeting_request_respond(actor=cast.expert_user, meeting=meeting, accept=True)
    services.meeting_place(
        actor=cast.operator, meeting=meeting, slot=setup.event.slots.first(), table=setup.event.tables.first()
    )
    with pytest.raises(PermissionDenied):
        services.participant_withdraw(actor=cast.firm_admin, participant=setup.expert)
    services.participant_withdraw(actor=cast.expert_user, participant=setup.expert)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.status == "withdrawn" and meeting.slot_id is None and not meeting.locked
    assert Notification.objects.filter(
        recipient=cast.talent_officer, message="events.participant_withdrew"
    ).exists()
    with pytest.raises(ValidationError):
        services.participant_withdraw(actor=cast.expert_user, participant=setup.expert)
    # the expert may register again later
    from jingxiang.events.tests.conftest import register

    assert register(cast.expert_user, setup.event, "expert", cast.expert).pk != setup.expert.pk
