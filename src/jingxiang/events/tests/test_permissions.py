"""Every route of the events app, visited as every persona and anonymously; plus private-data checks."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from jingxiang.events import services
from jingxiang.events.models import FollowUp
from jingxiang.events.tests.conftest import make_event, png_upload
from jingxiang.testing.matrix import ALL_LOGGED_IN, APPROVED, RouteCase, check_matrix

pytestmark = pytest.mark.django_db

OPERATOR = frozenset({"operator"})
FIRM_SIDE = frozenset({"operator", "firm_admin", "talent_officer"})
PARTIES = FIRM_SIDE | {"expert"}


@pytest.fixture
def world(cast, setup, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    meeting = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="must"
    )
    services.meeting_request_respond(actor=cast.expert_user, meeting=meeting, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_start(actor=cast.operator, event=setup.event, time_limit=2)
    services.participant_profile_update(
        actor=cast.talent_officer,
        participant=setup.firm,
        offers="树脂镜片",
        seeks="镀膜专家",
        contact_name="王经理",
        photo=png_upload(),
    )
    follow_up = FollowUp.objects.create(
        event=setup.event, meeting=meeting, kind="demand", created_by=cast.operator
    )
    cast.setup, cast.meeting, cast.run, cast.follow_up = setup, meeting, run, follow_up
    return cast


def cases() -> list[RouteCase]:
    e = lambda path: lambda c: f"/events/{c.setup.event.pk}/{path}"  # noqa: E731
    firm = lambda path: lambda c: f"/events/participants/{c.setup.firm.pk}/{path}"  # noqa: E731
    meeting = lambda path: lambda c: f"/events/meetings/{c.meeting.pk}/{path}"  # noqa: E731
    post = {"method": "post", "ok_status": (302,)}
    return [
        RouteCase("events:list", "/events/", ALL_LOGGED_IN),
        RouteCase("events:create", "/events/new/", OPERATOR),
        RouteCase("events:requests", "/events/requests/", ALL_LOGGED_IN),
        RouteCase("events:detail", e(""), APPROVED),
        RouteCase("events:edit", e("edit/"), OPERATOR),
        RouteCase("events:session_add", e("sessions/add/"), OPERATOR),
        RouteCase("events:tables_add", e("tables/add/"), OPERATOR),
        RouteCase("events:open", e("open/"), OPERATOR, **post),
        RouteCase(
            "events:close",
            lambda c: f"/events/{make_event(c.operator, title='待结束').pk}/close/",
            OPERATOR,
            **post,
        ),
        RouteCase(
            "events:register",
            e("register/"),
            frozenset({"firm_admin", "talent_officer", "other_firm_admin", "expert"}),
        ),
        RouteCase("events:participants", e("participants/"), PARTIES),
        RouteCase("events:schedule", e("schedule/"), OPERATOR),
        RouteCase("events:table_cards", e("table-cards/"), OPERATOR),
        RouteCase("events:checkin", e("checkin/"), OPERATOR),
        RouteCase("events:board", e("board/"), OPERATOR),
        RouteCase("events:report", e("report/"), OPERATOR),
        RouteCase("events:participant_edit", firm("edit/"), FIRM_SIDE),
        RouteCase(
            "events:request_create",
            firm("request/"),
            FIRM_SIDE,
            data=lambda c: {"recipient": c.setup.lab.pk, "priority": "nice"},
            **post,
        ),
        RouteCase("events:agenda", firm("agenda/"), FIRM_SIDE),
        RouteCase(
            "events:participant_withdraw",
            lambda c: f"/events/participants/{c.setup.lab.pk}/withdraw/",
            OPERATOR,
            **post,
        ),
        RouteCase("events:agenda_pdf", firm("agenda.pdf"), FIRM_SIDE, ok_status=(302,)),
        RouteCase("events:checkin_code", lambda c: f"/events/checkin/{c.setup.firm.checkin_code}/", OPERATOR),
        RouteCase("events:meeting", meeting(""), PARTIES),
        RouteCase("events:respond", meeting("respond/"), PARTIES, data={"decision": "accept"}, **post),
        RouteCase("events:withdraw", meeting("withdraw/"), PARTIES, **post),
        RouteCase(
            "events:place",
            meeting("place/"),
            OPERATOR,
            data=lambda c: {"slot": c.setup.event.slots.first().pk, "table": c.setup.event.tables.first().pk},
            **post,
        ),
        RouteCase("events:unlock", meeting("unlock/"), OPERATOR, **post),
        RouteCase("events:attendance", meeting("attendance/"), OPERATOR, data={"outcome": "held"}, **post),
        RouteCase(
            "events:feedback",
            meeting("feedback/"),
            PARTIES,
            data=lambda c: {"participant": c.setup.firm.pk, "wants_cooperation": "no"},
            **post,
        ),
        RouteCase("events:register_for", e("register-for/"), OPERATOR),
        RouteCase(
            "events:session_edit",
            lambda c: f"/events/sessions/{c.setup.event.sessions.first().pk}/edit/",
            OPERATOR,
        ),
        RouteCase(
            "events:session_remove",
            lambda c: f"/events/sessions/{c.setup.event.sessions.first().pk}/remove/",
            OPERATOR,
        ),
        RouteCase(
            "events:slot_edit",
            lambda c: f"/events/slots/{c.setup.event.slots.first().pk}/edit/",
            OPERATOR,
        ),
        RouteCase(
            "events:slot_remove",
            lambda c: f"/events/slots/{c.setup.event.slots.first().pk}/remove/",
            OPERATOR,
        ),
        RouteCase(
            "events:table_edit", lambda c: f"/events/tables/{c.setup.event.tables.first().pk}/edit/", OPERATOR
        ),
        RouteCase(
            "events:table_remove",
            lambda c: f"/events/tables/{c.setup.event.tables.first().pk}/remove/",
            OPERATOR,
        ),
        RouteCase("events:participant_profile", firm("profile/"), FIRM_SIDE),
        RouteCase("events:participant_photo", firm("photo/"), PARTIES),
        RouteCase(
            "events:follow_up_link", lambda c: f"/events/follow-ups/{c.follow_up.pk}/link/", PARTIES, **post
        ),
        RouteCase("events:run", lambda c: f"/events/runs/{c.run.pk}/", OPERATOR),
        RouteCase("events:publish", lambda c: f"/events/runs/{c.run.pk}/publish/", OPERATOR, **post),
    ]


def test_events_role_matrix(world):
    problems = check_matrix(world, cases())
    assert not problems, "\n".join(problems)


def test_every_events_route_is_in_the_matrix():
    covered = {case.name for case in cases()}
    _prefix, sub = get_resolver().namespace_dict["events"]
    names = {f"events:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    assert names - covered == set()


def test_draft_events_are_hidden_from_participants(cast, client):
    import datetime as dt

    from django.utils import timezone

    draft = services.event_create(
        actor=cast.operator,
        data={
            "title": "尚未公开的秘密对接会",
            "event_date": timezone.localdate(),
            "requests_expire_at": timezone.now() + dt.timedelta(days=1),
        },
    )
    client.force_login(cast.firm_admin)
    assert client.get(f"/events/{draft.pk}/").status_code == 404
    assert "尚未公开的秘密对接会" not in client.get("/events/").content.decode()
    client.force_login(cast.operator)
    assert client.get(f"/events/{draft.pk}/").status_code == 200


def test_a_firm_never_sees_other_parties_requests(world, client):
    client.force_login(world.other_firm_admin)
    page = client.get("/events/requests/").content.decode()
    assert world.setup.firm.name not in page
    assert client.get(f"/events/meetings/{world.meeting.pk}/").status_code == 404
    client.force_login(world.member)
    assert client.get(f"/events/participants/{world.setup.firm.pk}/agenda/").status_code == 404
