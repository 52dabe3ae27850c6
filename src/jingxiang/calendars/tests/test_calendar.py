"""The calendar: each person sees their own entries (bookings, meetings, sessions, deadlines,
interviews) and nobody else's; the page, its month / week switch and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jingxiang.calendars import registry, selectors
from jingxiang.calendars.registry import CalendarEntry, Kind

pytestmark = pytest.mark.django_db


def uids(user, day):  # type: ignore[no-untyped-def]
    page = selectors.calendar_page(user, view="month", day=day)
    return {e.uid: e for d in page["agenda"] for e in d.entries}


def test_each_person_sees_their_own_entries_and_nobody_elses(world):
    cast, day = world.cast, world.booking_day
    booking = f"sharing-booking-{world.booking.pk}"
    session = f"academy-session-{world.session.pk}"
    meeting = f"events-meeting-{world.meeting.pk}"
    demand = f"demands-demand-{world.demand.pk}"
    interview = f"recruitment-interview-{world.application.pk}"
    # A month view may stop before the later records at the end of a month: look at two months.
    later = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)

    def seen(user):  # type: ignore[no-untyped-def]
        return {**uids(user, day), **uids(user, later)}

    firm = seen(cast.talent_officer)
    assert {booking, meeting, demand, interview} <= set(firm)
    assert session not in firm
    assert firm[booking].title == "共享人才:林工"
    # The firm sees the student by their masked name only.
    assert "王同学" not in firm[interview].title and "王*" in firm[interview].title
    assert firm[meeting].title == f"洽谈:{cast.other_firm.name}"
    assert firm[meeting].location == "眼镜城会展中心 · A1"

    talent = seen(cast.expert_user)
    assert set(talent) == {booking, session}
    assert talent[booking].title == f"共享服务:{cast.firm.name}"
    assert talent[session].title == "授课:镜架整形"

    trainee = seen(world.trainee)
    assert set(trainee) == {session}
    assert trainee[session].title == "上课:镜架整形"

    student = seen(world.student_user)
    assert set(student) == {interview}
    assert "质检员" in student[interview].title and cast.firm.name in student[interview].title

    # The other firm is the home employer of the talent and the meeting's other party: it sees the
    # meeting it attends, not the host's booking of the talent.
    other = seen(cast.other_firm_admin)
    assert set(other) == {meeting}
    assert other[meeting].title == f"洽谈:{cast.firm.name}"

    # Operators see every record through visibility, but none of these is on their own calendar;
    # a plain member of the firm arranges nothing.
    for user in (cast.operator, cast.member, cast.outsider, cast.union_staff, cast.lab_staff):
        assert seen(user) == {}, user


def test_a_cancelled_booking_leaves_the_calendar(world):
    from jingxiang.sharing import services

    services.booking_cancel(actor=world.cast.talent_officer, booking=world.booking)
    assert f"sharing-booking-{world.booking.pk}" not in uids(world.cast.expert_user, world.booking_day)


def test_the_page_month_week_and_phone_agenda(world, client):
    client.force_login(world.cast.talent_officer)
    day = world.booking_day.isoformat()
    month = client.get(f"/calendar/?day={day}")
    assert month.status_code == 200
    html = month.content.decode()
    assert 'data-view="month"' in html and "共享人才:林工" in html and 'data-testid="cal-agenda"' in html
    # The firm's managers book a shared talent's free hours from here.
    assert f"/sharing/agreements/{world.agreement.pk}/book/" in html
    week = client.get(f"/calendar/?view=week&day={day}")
    assert 'data-view="week"' in week.content.decode() and "09:00–11:00" in week.content.decode()
    # HTMX navigation gets the calendar alone.
    partial = client.get(f"/calendar/?view=week&day={day}", HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<section class="card cal"')


@pytest.mark.parametrize(
    "query", ["?day=2026-13-45", "?day=x", "?view=year", "?day=", "?view=week&day=0001-01-01"]
)
def test_bad_input_falls_back_instead_of_failing(cast, query):
    client = Client(raise_request_exception=True)
    client.force_login(cast.expert_user)
    assert client.get(f"/calendar/{query}").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(db):
    client = Client()
    for url in ("/calendar/", "/calendar/calendar.ics"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/calendar/feed/issue/").status_code == 302


def test_a_new_app_adds_its_entries_through_the_registry(cast):
    fair_day = dt.date(2026, 12, 10)
    kind = Kind("fair", "展会", "ok")

    def fairs(user, start, end):  # type: ignore[no-untyped-def]
        if user != cast.firm_admin:
            return []
        return [CalendarEntry("fairs-1", kind, "眼镜展", fair_day, fair_day, all_day=True, url="/")]

    registry.register_provider("test.fairs", fairs)
    try:
        assert "fairs-1" in uids(cast.firm_admin, fair_day)
        assert "fairs-1" not in uids(cast.talent_officer, fair_day)
    finally:
        registry._registry.providers.pop("test.fairs")
