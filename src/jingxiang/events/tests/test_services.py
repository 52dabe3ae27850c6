"""Every rule and every bad input of the events services, with the message it gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from jingxiang.events import services
from jingxiang.events.models import EventStatus, Meeting, RequestStatus
from jingxiang.events.tests.conftest import BACKDATE, make_event, register

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def request(cast, setup, recipient=None, priority="must", actor=None, requester=None):  # type: ignore[no-untyped-def]
    return services.meeting_request_create(
        actor=actor or cast.talent_officer,
        requester=requester or setup.firm,
        recipient_id=(recipient or setup.expert).pk,
        priority=priority,
    )


# Events --------------------------------------------------------------------------------------------


def test_only_operators_create_events(cast):
    for actor in (cast.firm_admin, cast.expert_user, cast.lab_staff, cast.outsider):
        with pytest.raises(PermissionDenied):
            make_event(actor)


def test_event_needs_at_least_one_kind_of_participant(cast):
    with pytest.raises(ValidationError) as error:
        make_event(cast.operator, allow_firms=False, allow_experts=False, allow_institutions=False)
    assert codes(error.value) == {"no_kinds"}


def test_session_is_cut_into_slots_and_bad_sessions_are_refused(cast):
    event = make_event(cast.operator)
    slots = list(event.slots.all())
    assert [str(s) for s in slots] == ["09:00–09:20", "09:20–09:40", "09:40–10:00"]
    start = slots[0].starts_at
    cases = [
        (start, start - dt.timedelta(minutes=5), 20, "order"),
        (start, start + dt.timedelta(hours=1), 2, "slot_length"),
        (start, start + dt.timedelta(minutes=10), 20, "too_short"),
        (start + dt.timedelta(minutes=30), start + dt.timedelta(hours=2), 20, "overlap"),
        (start + dt.timedelta(hours=3), start + dt.timedelta(hours=23), 5, "too_many_slots"),
    ]
    for begin, end, minutes, code in cases:
        with pytest.raises(ValidationError) as error:
            services.session_add(
                actor=cast.operator,
                event=event,
                name="x",
                starts_at=begin,
                ends_at=end,
                slot_minutes=minutes,
                backdate_reason=BACKDATE,
            )
        assert codes(error.value) == {code}


def test_tables_are_numbered_after_existing_ones(cast):
    event = make_event(cast.operator)
    tables = services.tables_add(actor=cast.operator, event=event, count=2, capacity=4)
    assert [t.name for t in tables] == ["洽谈桌 3", "洽谈桌 4"]
    with pytest.raises(ValidationError):
        services.tables_add(actor=cast.operator, event=event, count=1, capacity=1)


def test_registration_needs_slots_and_tables_before_opening(cast):
    event = services.event_create(
        actor=cast.operator,
        data={
            "title": "空会",
            "event_date": timezone.localdate(),
            "requests_expire_at": timezone.now() + dt.timedelta(days=1),
        },
    )
    with pytest.raises(ValidationError) as error:
        services.event_open(actor=cast.operator, event=event)
    assert codes(error.value) == {"no_slots"}
    with pytest.raises(ValidationError) as error:
        register(cast.firm_admin, event, "firm", cast.firm, slots=[])
    assert codes(error.value) == {"not_open"}


# Registration -----------------------------------------------------------------------------------------


def test_who_may_register_for_whom(cast, setup):
    event = make_event(cast.operator, title="第二场")
    for actor, kind, profile in [
        (cast.member, "firm", cast.firm),  # plain members do not act for the firm
        (cast.other_firm_admin, "firm", cast.firm),
        (cast.lab_staff, "institution", cast.lab),
        (cast.firm_admin, "expert", cast.expert),
        (cast.outsider, "firm", cast.firm),
    ]:
        with pytest.raises(PermissionDenied):
            register(actor, event, kind, profile)
    assert register(cast.firm_admin, event, "firm", cast.firm).organisation == cast.firm


def test_registration_rules(cast, setup):
    with pytest.raises(ValidationError) as error:
        register(cast.firm_admin, setup.event, "firm", cast.firm)
    assert codes(error.value) == {"duplicate"}
    event = make_event(cast.operator, title="只限企业", allow_experts=False)
    with pytest.raises(ValidationError) as error:
        register(cast.expert_user, event, "expert", cast.expert)
    assert codes(error.value) == {"kind_not_allowed"}
    assert "不接受专家报名" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        register(cast.firm_admin, event, "firm", cast.firm, cap=7)
    assert codes(error.value) == {"cap"}
    with pytest.raises(ValidationError) as error:
        register(cast.firm_admin, event, "firm", cast.firm, slots=[])
    assert codes(error.value) == {"no_slots"}
    with pytest.raises(ValidationError) as error:
        register(cast.firm_admin, event, "firm", cast.firm, slots=[setup.event.slots.first().pk])
    assert codes(error.value) == {"foreign_slot"}


def test_presence_update_by_own_side_only(cast, setup):
    first = setup.event.slots.first()
    services.participant_update(
        actor=cast.expert_user, participant=setup.expert, slot_ids=[first.pk], max_meetings=2, needs="镀膜"
    )
    assert list(setup.expert.slots.all()) == [first]
    with pytest.raises(PermissionDenied):
        services.participant_update(
            actor=cast.firm_admin, participant=setup.expert, slot_ids=[first.pk], max_meetings=2, needs=""
        )


# Requests ---------------------------------------------------------------------------------------------


def test_request_bad_input_is_refused_with_the_rule(cast, setup):
    other_event = make_event(cast.operator, title="另一场")
    stranger = register(cast.other_firm_admin, other_event, "firm", cast.other_firm)
    cases = [
        ({"recipient": stranger}, "unknown_recipient"),
        ({"recipient": setup.firm}, "self"),
        ({"priority": "urgent"}, "priority"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ValidationError) as error:
            request(cast, setup, **kwargs)
        assert codes(error.value) == {code}
    with pytest.raises(ValidationError) as error:
        services.meeting_request_create(
            actor=cast.talent_officer, requester=setup.firm, recipient_id=999999, priority="must"
        )
    assert codes(error.value) == {"unknown_recipient"}
    with pytest.raises(PermissionDenied):
        request(cast, setup, actor=cast.member)


def test_duplicate_requests_in_either_direction_are_refused(cast, setup):
    request(cast, setup)
    with pytest.raises(ValidationError) as error:
        request(cast, setup)
    assert codes(error.value) == {"duplicate"}
    with pytest.raises(ValidationError) as error:
        request(cast, setup, recipient=setup.firm, actor=cast.expert_user, requester=setup.expert)
    assert codes(error.value) == {"duplicate"}


def test_requests_need_a_common_presence_slot(cast, setup):
    first, *rest = setup.event.slots.all()
    services.participant_update(
        actor=cast.expert_user, participant=setup.expert, slot_ids=[first.pk], max_meetings=2, needs=""
    )
    services.participant_update(
        actor=cast.firm_admin, participant=setup.firm, slot_ids=[s.pk for s in rest], max_meetings=2, needs=""
    )
    with pytest.raises(ValidationError) as error:
        request(cast, setup)
    assert codes(error.value) == {"no_common_slot"}


def test_per_role_request_cap(cast, setup):
    from jingxiang.testing.factories import TalentFactory, UserFactory

    for n in range(3):
        talent = TalentFactory(user=UserFactory(username=f"talent{n}"))
        participant = register(talent.user, setup.event, "expert", talent)
        request(cast, setup, recipient=participant)
    with pytest.raises(ValidationError) as error:
        request(cast, setup)
    assert codes(error.value) == {"request_cap"}
    assert "企业在本场对接会最多发起 3 个预约" in error.value.messages[0]
    # the cap counts the requester's own requests only
    request(cast, setup, recipient=setup.firm, actor=cast.expert_user, requester=setup.expert)


def test_accept_decline_and_who_may_answer(cast, setup):
    meeting = request(cast, setup)
    with pytest.raises(PermissionDenied):
        services.meeting_request_respond(actor=cast.talent_officer, meeting=meeting, accept=True)
    with pytest.raises(ValidationError) as error:
        services.meeting_request_respond(actor=cast.expert_user, meeting=meeting, accept=False, reason=" ")
    assert codes(error.value) == {"reason_required"}
    services.meeting_request_respond(actor=cast.expert_user, meeting=meeting, accept=False, reason="档期已满")
    meeting.refresh_from_db()
    assert meeting.status == RequestStatus.DECLINED and meeting.decline_reason == "档期已满"
    with pytest.raises(ValidationError) as error:
        services.meeting_request_respond(actor=cast.expert_user, meeting=meeting, accept=True)
    assert codes(error.value) == {"not_pending"}
    # declined requests do not block a new one
    request(cast, setup)


def test_unanswered_requests_expire_by_service_and_command(cast, setup):
    meeting = request(cast, setup)
    assert services.requests_expire(timezone.now()) == 0
    assert services.requests_expire(setup.event.requests_expire_at + dt.timedelta(seconds=1)) == 1
    assert Meeting.objects.get(pk=meeting.pk).status == RequestStatus.EXPIRED
    lab_request = request(cast, setup, recipient=setup.lab)
    setup.event.requests_expire_at = timezone.now() - dt.timedelta(minutes=1)
    setup.event.save()
    with pytest.raises(ValidationError) as error:
        services.meeting_request_respond(actor=setup.lab_admin, meeting=lab_request, accept=True)
    assert codes(error.value) == {"deadline"}
    with pytest.raises(ValidationError) as error:
        request(cast, setup, recipient=setup.lab, actor=cast.expert_user, requester=setup.expert)
    assert codes(error.value) == {"deadline"}
    call_command("expire_meeting_requests")
    assert Meeting.objects.get(pk=lab_request.pk).status == RequestStatus.EXPIRED


def test_withdraw_only_by_requester_and_not_once_announced(cast, setup):
    meeting = request(cast, setup)
    with pytest.raises(PermissionDenied):
        services.meeting_request_withdraw(actor=cast.expert_user, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(announced=True)
    with pytest.raises(ValidationError) as error:
        services.meeting_request_withdraw(actor=cast.firm_admin, meeting=meeting)
    assert codes(error.value) == {"announced"}
    Meeting.objects.filter(pk=meeting.pk).update(announced=False)
    assert services.meeting_request_withdraw(actor=cast.firm_admin, meeting=meeting).status == "withdrawn"


# Scheduling and the day ---------------------------------------------------------------------------


def accepted(cast, setup, recipient=None, actor=None):  # type: ignore[no-untyped-def]
    meeting = request(cast, setup, recipient=recipient)
    services.meeting_request_respond(actor=actor or cast.expert_user, meeting=meeting, accept=True)
    return meeting


def test_schedule_start_rules(cast, setup):
    with pytest.raises(ValidationError) as error:
        services.schedule_start(actor=cast.operator, event=setup.event)
    assert codes(error.value) == {"nothing"}
    accepted(cast, setup)
    with pytest.raises(ValidationError) as error:
        services.schedule_start(actor=cast.operator, event=setup.event, time_limit=0)
    assert codes(error.value) == {"time_limit"}
    with pytest.raises(PermissionDenied):
        services.schedule_start(actor=cast.firm_admin, event=setup.event)


def test_instance_weights_locks_and_presence(cast, setup):
    from jingxiang.events.selectors import schedule_instance

    must = accepted(cast, setup)
    nice = request(cast, setup, recipient=setup.lab, priority="nice")
    services.meeting_request_respond(actor=setup.lab_admin, meeting=nice, accept=True)
    slot, table = setup.event.slots.last(), setup.event.tables.first()
    services.meeting_place(actor=cast.operator, meeting=must, slot=slot, table=table)
    data = schedule_instance(setup.event)
    meetings = {m["id"]: m for m in data["meetings"]}
    assert meetings[must.pk]["weight"] == 3.0 and meetings[nice.pk]["weight"] == 1.0
    assert meetings[must.pk]["locked"] == {"slot": slot.pk, "table": table.pk}
    assert meetings[nice.pk]["locked"] is None
    assert [s["id"] for s in data["slots"]] == list(setup.event.slots.values_list("pk", flat=True))
    assert {p["id"] for p in data["participants"]} == {setup.firm.pk, setup.expert.pk, setup.lab.pk}


def test_conflicting_locks_are_refused_with_the_rule(cast, setup):
    first = accepted(cast, setup)
    second = request(cast, setup, recipient=setup.lab)
    services.meeting_request_respond(actor=setup.lab_admin, meeting=second, accept=True)
    third = request(cast, setup, recipient=setup.lab, actor=cast.expert_user, requester=setup.expert)
    services.meeting_request_respond(actor=setup.lab_admin, meeting=third, accept=True)
    slot, other_slot = setup.event.slots.all()[:2]
    table, other_table = setup.event.tables.all()[:2]
    services.meeting_place(actor=cast.operator, meeting=first, slot=slot, table=table)
    with pytest.raises(ValidationError) as error:
        services.meeting_place(actor=cast.operator, meeting=second, slot=slot, table=table)
    assert codes(error.value) == {"table_taken"}
    with pytest.raises(ValidationError) as error:
        services.meeting_place(actor=cast.operator, meeting=second, slot=slot, table=other_table)
    assert codes(error.value) == {"double_booked"}
    services.participant_update(
        actor=setup.lab_admin, participant=setup.lab, slot_ids=[slot.pk], max_meetings=3, needs=""
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_place(actor=cast.operator, meeting=third, slot=other_slot, table=other_table)
    assert codes(error.value) == {"not_present"}
    from jingxiang.testing.factories import TalentFactory, UserFactory

    newcomer = TalentFactory(user=UserFactory(username="newcomer"))
    pending = request(cast, setup, recipient=register(newcomer.user, setup.event, "expert", newcomer))
    with pytest.raises(ValidationError) as error:
        services.meeting_place(actor=cast.operator, meeting=pending, slot=slot, table=other_table)
    assert codes(error.value) == {"not_accepted"}


def test_publish_refuses_unready_and_stale_runs(cast, setup, django_capture_on_commit_callbacks):
    from jingxiang.events.models import RunStatus

    accepted(cast, setup)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_start(actor=cast.operator, event=setup.event, time_limit=3)
    run.refresh_from_db()
    assert run.status == RunStatus.READY
    # a late acceptance after the run: the schedule no longer matches reality
    late = request(cast, setup, recipient=setup.lab)
    services.meeting_request_respond(actor=setup.lab_admin, meeting=late, accept=True)
    with pytest.raises(ValidationError) as error:
        services.schedule_publish(actor=cast.operator, run=run)
    assert codes(error.value) == {"changed"}
    run.status = RunStatus.INVALID
    run.save()
    with pytest.raises(ValidationError) as error:
        services.schedule_publish(actor=cast.operator, run=run)
    assert codes(error.value) == {"not_ready"}
    with pytest.raises(PermissionDenied):
        services.schedule_publish(actor=cast.firm_admin, run=run)


def test_tampered_result_is_caught_by_the_validator(cast, setup, django_capture_on_commit_callbacks):
    from jingxiang.events.models import RunStatus

    accepted(cast, setup)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_start(actor=cast.operator, event=setup.event, time_limit=3)
    run.refresh_from_db()
    run.result["assignments"][0]["slot"] = 987654
    run.save()
    with pytest.raises(ValidationError) as error:
        services.schedule_publish(actor=cast.operator, run=run)
    assert codes(error.value) == {"invalid"}
    assert run.status == RunStatus.READY


def test_check_in_attendance_and_feedback_rules(cast, setup, django_capture_on_commit_callbacks):
    meeting = accepted(cast, setup)
    with pytest.raises(PermissionDenied):
        services.participant_check_in(actor=cast.firm_admin, participant=setup.firm)
    services.participant_check_in(actor=cast.operator, participant=setup.firm)
    with pytest.raises(ValidationError) as error:
        services.participant_check_in(actor=cast.operator, participant=setup.firm)
    assert codes(error.value) == {"already"}
    with pytest.raises(ValidationError) as error:
        services.meeting_attendance_mark(actor=cast.operator, meeting=meeting, held=True)
    assert codes(error.value) == {"not_scheduled"}
    with pytest.raises(ValidationError) as error:
        services.meeting_feedback_record(
            actor=cast.talent_officer, meeting=meeting, participant=setup.firm, wants_cooperation=False
        )
    assert codes(error.value) == {"not_scheduled"}

    future_slot = setup.event.slots.last()
    Meeting.objects.filter(pk=meeting.pk).update(slot=future_slot, table=setup.event.tables.first())
    future = timezone.now() + dt.timedelta(hours=2)
    type(future_slot).objects.filter(pk=future_slot.pk).update(starts_at=future, ends_at=future)
    with pytest.raises(ValidationError) as error:
        services.meeting_feedback_record(
            actor=cast.talent_officer, meeting=meeting, participant=setup.firm, wants_cooperation=False
        )
    assert codes(error.value) == {"too_early"}
    with pytest.raises(ValidationError) as error:
        services.meeting_attendance_mark(actor=cast.operator, meeting=meeting, held=False, no_show=None)
    assert codes(error.value) == {"no_show_party"}
    # Time rule (issue 10): a meeting is not marked held before its slot starts, not even by operators.
    with pytest.raises(ValidationError) as error:
        services.meeting_attendance_mark(actor=cast.operator, meeting=meeting, held=True)
    assert codes(error.value) == {"order"}
    past = timezone.now() - dt.timedelta(minutes=10)
    type(future_slot).objects.filter(pk=future_slot.pk).update(starts_at=past, ends_at=past)
    services.meeting_attendance_mark(actor=cast.operator, meeting=meeting, held=True)
    with pytest.raises(ValidationError) as error:
        services.meeting_feedback_record(
            actor=cast.talent_officer, meeting=meeting, participant=setup.lab, wants_cooperation=True
        )
    assert codes(error.value) == {"not_party"}
    with pytest.raises(PermissionDenied):
        services.meeting_feedback_record(
            actor=cast.talent_officer, meeting=meeting, participant=setup.expert, wants_cooperation=True
        )
    with pytest.raises(ValidationError) as error:
        services.meeting_feedback_record(
            actor=cast.talent_officer, meeting=meeting, participant=setup.firm, wants_cooperation=True
        )
    assert codes(error.value) == {"kind"}
    services.meeting_feedback_record(
        actor=cast.talent_officer,
        meeting=meeting,
        participant=setup.firm,
        wants_cooperation=True,
        follow_up_kind="challenge",
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_feedback_record(
            actor=cast.talent_officer, meeting=meeting, participant=setup.firm, wants_cooperation=False
        )
    assert codes(error.value) == {"duplicate"}
    services.meeting_attendance_mark(actor=cast.operator, meeting=meeting, held=False, no_show=setup.expert)
    with pytest.raises(ValidationError) as error:
        services.meeting_feedback_record(
            actor=cast.expert_user, meeting=meeting, participant=setup.expert, wants_cooperation=True
        )
    assert codes(error.value) == {"no_show"}


def test_follow_up_links_the_firms_demand(cast, setup):
    from django.contrib.contenttypes.models import ContentType

    from jingxiang.events.models import FollowUp

    meeting = accepted(cast, setup)
    Meeting.objects.filter(pk=meeting.pk).update(
        slot=setup.event.slots.first(), table=setup.event.tables.first(), attendance="held"
    )
    # Any model row works as the linked demand; the link is generic on purpose.
    setup.firm.demand_content_type = ContentType.objects.get_for_model(type(cast.firm))
    setup.firm.demand_object_id = cast.firm.pk
    setup.firm.save()
    services.meeting_feedback_record(
        actor=cast.expert_user,
        meeting=meeting,
        participant=setup.expert,
        wants_cooperation=True,
        follow_up_kind="demand",
    )
    follow_up = FollowUp.objects.get(meeting=meeting)
    assert follow_up.target == cast.firm and follow_up.kind == "demand"


def test_report_counts(cast, setup):
    from jingxiang.events.selectors import event_report

    meeting = accepted(cast, setup)
    Meeting.objects.filter(pk=meeting.pk).update(
        slot=setup.event.slots.first(), table=setup.event.tables.first()
    )
    services.meeting_attendance_mark(actor=cast.operator, meeting=meeting, held=False, no_show=setup.firm)
    request(cast, setup, recipient=setup.lab)
    report = event_report(setup.event)
    assert report["participants"] == {"total": 3, "checked_in": 0}
    assert report["meetings"]["requests"] == 2
    assert report["meetings"]["accepted"] == 1
    assert report["meetings"]["pending"] == 1
    assert report["meetings"]["no_shows"] == 1
    assert report["meetings"]["held"] == 0
    assert report["follow_ups"]["total"] == 0


def test_closed_event_refuses_changes(cast, setup):
    services.event_close(actor=cast.operator, event=setup.event)
    assert setup.event.__class__.objects.get(pk=setup.event.pk).status == EventStatus.CLOSED
    with pytest.raises(ValidationError):
        request(cast, setup)
    with pytest.raises(ValidationError):
        services.participant_check_in(actor=cast.operator, participant=setup.firm)


def test_locking_refuses_a_party_whose_fixed_meetings_reach_the_cap(cast, setup):
    """A lock beyond a participant's cap would make every later scheduling run infeasible."""
    first = accepted(cast, setup)
    second = request(cast, setup, recipient=setup.lab)
    services.meeting_request_respond(actor=setup.lab_admin, meeting=second, accept=True)
    slot, other_slot = setup.event.slots.all()[:2]
    table = setup.event.tables.first()
    services.participant_update(
        actor=cast.firm_admin,
        participant=setup.firm,
        slot_ids=list(setup.event.slots.values_list("pk", flat=True)),
        max_meetings=1,
        needs="",
    )
    services.meeting_place(actor=cast.operator, meeting=first, slot=slot, table=table)
    with pytest.raises(ValidationError) as error:
        services.meeting_place(actor=cast.operator, meeting=second, slot=other_slot, table=table)
    assert codes(error.value) == {"cap"}


def test_time_rules_past_event_session_and_early_check_in(cast):
    from jingxiang.core.models import TimeRuleOverride

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        make_event(cast.operator, event_date=yesterday, backdate_reason="")
    assert set(error.value.message_dict) == {"event_date"}
    assert "补录原因" in error.value.message_dict["event_date"][0]
    event = make_event(cast.operator)
    overrides = TimeRuleOverride.objects.filter(
        content_type__model="event", object_id=str(event.pk), actor=cast.operator
    )
    assert {o.field_name for o in overrides} == {"event_date"}
    assert overrides.first().reason == BACKDATE
    start = timezone.now() - dt.timedelta(hours=2)
    with pytest.raises(ValidationError) as error:
        services.session_add(
            actor=cast.operator,
            event=event,
            name="补场",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            slot_minutes=20,
        )
    assert codes(error.value) == {"in_past"}

    later = make_event(
        cast.operator, event_date=timezone.localdate() + dt.timedelta(days=3), backdate_reason=""
    )
    firm = register(cast.talent_officer, later, "firm", cast.firm)
    with pytest.raises(ValidationError) as error:
        services.participant_check_in(actor=cast.operator, participant=firm)
    assert codes(error.value) == {"order"}
