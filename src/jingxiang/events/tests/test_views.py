"""Pages through the HTTP client: forms keep input on errors, exports, PDFs, check-in, query counts."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jingxiang.events import services
from jingxiang.events.models import Event, Meeting, Participant, RequestStatus
from jingxiang.events.tests.conftest import make_event, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(cast, setup, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    meeting = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="must"
    )
    services.meeting_request_respond(actor=cast.expert_user, meeting=meeting, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_start(actor=cast.operator, event=setup.event, time_limit=3)
    run.refresh_from_db()
    services.schedule_publish(actor=cast.operator, run=run)
    meeting.refresh_from_db()
    setup.meeting, setup.run = meeting, run
    return setup


def test_operator_creates_event_and_bad_input_keeps_what_was_typed(cast, client):
    client.force_login(cast.operator)
    day = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "title": "眼镜+光电 专场对接会",
        "event_date": day.isoformat(),
        "max_meetings_cap": "8",
        "request_cap_firm": "10",
        "request_cap_expert": "10",
        "request_cap_institution": "10",
        "requests_expire_at": f"{day - dt.timedelta(days=1)}T18:00",
        "institution_roles": ["org_admin"],
    }
    response = client.post("/events/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "至少允许一类参会者报名" in page and "眼镜+光电 专场对接会" in page
    response = client.post("/events/new/", {**data, "allow_firms": "on", "title": "<script>x</script>"})
    assert response.status_code == 200 and "field-error" in response.content.decode()
    # Firms admitted, but nobody in a firm may register it: refused with the reason.
    response = client.post("/events/new/", {**data, "allow_firms": "on"})
    assert "请至少选择一种可代表企业报名的角色" in response.content.decode()
    response = client.post(
        "/events/new/", {**data, "allow_firms": "on", "firm_roles": ["org_admin", "member"]}
    )
    event = Event.objects.get(title="眼镜+光电 专场对接会")
    assert event.registrant_roles == {"firm": ["org_admin", "member"], "institution": ["org_admin"]}
    assert response.status_code == 302 and event.status == "draft"
    response = client.post(
        f"/events/{event.pk}/sessions/add/",
        {"name": "上午场", "starts": "10:00", "ends": "09:00", "slot_minutes": "20"},
    )
    assert "结束时间必须晚于开始时间" in response.content.decode()
    client.post(
        f"/events/{event.pk}/sessions/add/",
        {"name": "上午场", "starts": "09:00", "ends": "11:00", "slot_minutes": "20"},
    )
    assert event.slots.count() == 6
    response = client.post(f"/events/{event.pk}/open/", follow=True)
    assert "请先添加洽谈桌" in response.content.decode()
    client.post(f"/events/{event.pk}/tables/add/", {"count": "5", "capacity": "2"})
    client.post(f"/events/{event.pk}/open/")
    event.refresh_from_db()
    assert event.status == "open" and event.tables.count() == 5


def test_registration_form_errors_and_success(cast, client):
    event = make_event(cast.operator)
    client.force_login(cast.firm_admin)
    response = client.post(
        f"/events/{event.pk}/register/",
        {"profile": f"firm:{cast.firm.pk}", "needs": "需要树脂镜片加硬工艺", "max_meetings": "4"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "需要树脂镜片加硬工艺" in page
    response = client.post(
        f"/events/{event.pk}/register/",
        {
            "profile": f"firm:{cast.firm.pk}",
            "max_meetings": "99",
            "slots": list(event.slots.values_list("pk", flat=True)),
        },
    )
    assert "洽谈上限须在 1 到 6 场之间" in response.content.decode()
    response = client.post(
        f"/events/{event.pk}/register/",
        {"profile": f"firm:{cast.firm.pk}", "max_meetings": "4", "slots": [event.slots.first().pk]},
    )
    assert response.status_code == 302
    assert Participant.objects.get(event=event, organisation=cast.firm).slots.count() == 1


def test_request_errors_are_shown_not_crashed(cast, setup, client):
    client.force_login(cast.talent_officer)
    url = f"/events/participants/{setup.firm.pk}/request/"
    response = client.post(url, {"recipient": "424242", "priority": "must"}, follow=True)
    assert "对方没有报名本场对接会" in response.content.decode()
    response = client.post(url, {"recipient": "abc", "priority": "must"}, follow=True)
    assert "请选择预约对象和优先级" in response.content.decode()
    client.post(url, {"recipient": setup.expert.pk, "priority": "must"})
    response = client.post(url, {"recipient": setup.expert.pk, "priority": "must"}, follow=True)
    assert "不能重复预约" in response.content.decode()
    assert Meeting.objects.filter(requester=setup.firm).count() == 1


def test_decline_needs_a_reason_on_the_page(cast, setup, client):
    meeting = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="nice"
    )
    client.force_login(cast.expert_user)
    response = client.post(f"/events/meetings/{meeting.pk}/respond/", {"decision": "decline"}, follow=True)
    assert "婉拒时请写明原因" in response.content.decode()
    client.post(f"/events/meetings/{meeting.pk}/respond/", {"decision": "decline", "reason": "方向不符"})
    meeting.refresh_from_db()
    assert meeting.status == RequestStatus.DECLINED


def test_requests_export_is_exactly_the_filtered_list(cast, setup, client):
    services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.expert.pk, priority="must"
    )
    services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=setup.lab.pk, priority="nice"
    )
    client.force_login(cast.firm_admin)
    page = client.get("/events/requests/?priority=must").content.decode()
    assert "共 1 条" in page
    response = client.get("/events/requests/?priority=must&export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][2] == setup.expert.name


def test_published_agenda_pdf_verification_and_table_cards(cast, published, client):
    client.force_login(cast.talent_officer)
    page = client.get(f"/events/participants/{published.firm.pk}/agenda/").content.decode()
    assert published.expert.name in page and published.meeting.table.name in page and "<svg" in page
    response = client.get(f"/events/participants/{published.firm.pk}/agenda.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    verify = client.get(f"/verify/event-agenda/{published.firm.agenda_code}/").content.decode()
    assert published.firm.name in verify and published.expert.name not in verify
    client.force_login(cast.operator)
    cards = client.get(f"/events/{published.event.pk}/table-cards/").content.decode()
    assert published.meeting.table.name in cards and published.expert.name in cards
    run_page = client.get(f"/events/runs/{published.run.pk}/").content.decode()
    assert "最优" in run_page and "已发布" in run_page


def test_check_in_by_scanned_code_and_by_name(cast, published, client):
    client.force_login(cast.operator)
    firm = published.firm
    page = client.get(f"/events/{published.event.pk}/checkin/?q=http://x/events/checkin/{firm.checkin_code}/")
    assert firm.name in page.content.decode()
    client.post(f"/events/checkin/{firm.checkin_code}/")
    firm.refresh_from_db()
    assert firm.checked_in_at is not None
    response = client.post(f"/events/checkin/{firm.checkin_code}/", follow=True)
    assert "无需重复签到" in response.content.decode()
    expert = published.expert
    page = client.get(f"/events/{published.event.pk}/checkin/?q=林").content.decode()
    assert expert.name in page
    client.post(f"/events/{published.event.pk}/checkin/", {"participant": expert.pk, "q": "林"})
    expert.refresh_from_db()
    assert expert.checked_in_at is not None
    assert client.get("/events/checkin/NOSUCHCODE/").status_code == 404


def test_board_partial_and_report_export(cast, published, client):
    client.force_login(cast.operator)
    response = client.get(f"/events/{published.event.pk}/board/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and published.meeting.table.name in body
    services.meeting_attendance_mark(actor=cast.operator, meeting=published.meeting, held=True)
    services.meeting_feedback_record(
        actor=cast.operator,
        meeting=published.meeting,
        participant=published.firm,
        wants_cooperation=True,
        follow_up_kind="demand",
    )
    page = client.get(f"/events/{published.event.pk}/report/").content.decode()
    assert 'data-testid="held">1<' in page and 'data-testid="follow-ups">1<' in page
    response = client.get(f"/events/{published.event.pk}/report/?export=follow-ups")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "对接需求"
    response = client.get(f"/events/{published.event.pk}/report/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][8] == "已洽谈"


def _grow(cast, setup, n):  # type: ignore[no-untyped-def]
    from jingxiang.testing.factories import TalentFactory, UserFactory

    for i in range(n):
        talent = TalentFactory(user=UserFactory(username=f"grow{Participant.objects.count()}-{i}"))
        participant = register(talent.user, setup.event, "expert", talent)
        meeting = services.meeting_request_create(
            actor=talent.user, requester=participant, recipient_id=setup.lab.pk, priority="nice"
        )
        if i % 2:
            services.meeting_request_respond(actor=setup.lab_admin, meeting=meeting, accept=True)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("operator", "/events/"),
        ("operator", "/events/requests/"),
        ("lab_admin", "/events/requests/"),
        ("operator", "/events/{event}/participants/"),
        ("operator", "/events/{event}/"),
        ("operator", "/events/{event}/board/"),
        ("operator", "/events/{event}/report/"),
        ("operator", "/events/{event}/schedule/"),
        ("operator", "/events/{event}/table-cards/"),
    ],
)
def test_list_pages_and_dashboards_run_a_fixed_number_of_queries(
    cast, setup, client, django_assert_max_num_queries, who, path
):
    user = setup.lab_admin if who == "lab_admin" else getattr(cast, who)
    url = path.format(event=setup.event.pk)
    _grow(cast, setup, 2)
    client.force_login(user)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    _grow(cast, setup, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_board_shows_the_meeting_now_and_who_is_checked_in(cast, published, client):
    import datetime as dt

    from django.utils import timezone

    from jingxiang.events.models import TimeSlot

    now = timezone.now()
    slots = list(published.event.slots.all())
    for offset, slot in enumerate(slots):
        start = now + dt.timedelta(minutes=20 * offset - 5)
        TimeSlot.objects.filter(pk=slot.pk).update(starts_at=start, ends_at=start + dt.timedelta(minutes=20))
    Meeting.objects.filter(pk=published.meeting.pk).update(slot=slots[0])
    services.participant_check_in(actor=cast.operator, participant=published.firm)
    client.force_login(cast.operator)
    body = client.get(f"/events/{published.event.pk}/board/").content.decode()
    checked, absent = (
        f'aria-label="{label}" focusable="false"><use href="[^"]*#{icon}">'
        for label, icon in (("已签到", "check"), ("未签到", "x"))
    )
    assert re.search(
        f"{checked}</use></svg>{published.firm.name} ↔ <svg[^>]*{absent}</use></svg>{published.expert.name}",
        body,
    )
    TimeSlot.objects.filter(event=published.event).update(starts_at=now - dt.timedelta(hours=3))
    TimeSlot.objects.filter(event=published.event).update(ends_at=now - dt.timedelta(hours=2))
    assert "本场所有时段已结束" in client.get(f"/events/{published.event.pk}/board/").content.decode()
