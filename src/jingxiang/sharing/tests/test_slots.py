"""Booking a free slot: the talent's availability less unavailable dates and every live booking, shown
as buttons; a slot taken meanwhile is refused with a clear message and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from jingxiang.sharing import selectors, services
from jingxiang.sharing.forms import parse_slot
from jingxiang.sharing.models import AvailabilityException, Booking
from jingxiang.sharing.tests.builders import book_slot, second_host_agreement, slot

pytestmark = pytest.mark.django_db


def weekday_ahead(days: int = 8) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def labels(agreement, day, hours=2):  # type: ignore[no-untyped-def]
    days = selectors.free_slots(agreement, week=selectors.week_of(day), hours=hours)
    return {d.day: [s.label for s in d.slots] for d in days}


def test_free_slots_leave_out_bookings_of_any_firm_and_unavailable_dates(sharing, third_firm):
    cast, agreement = sharing.cast, sharing.agreement
    day = weekday_ahead()
    book_slot(cast, agreement, day, 9, 11)
    # Another host's booking of the same talent takes the time too (without saying whose it is).
    from jingxiang.testing.factories import MembershipFactory, UserFactory

    officer = UserFactory(username="third_officer")
    MembershipFactory(user=officer, organisation=third_firm, role="talent_officer")
    other = second_host_agreement(cast, third_firm, officer)
    starts, ends = slot(day, 15, 16)
    services.booking_create(actor=officer, agreement=other, starts_at=starts, ends_at=ends)

    # open_all_week: 07:00–22:00 every day.
    assert labels(agreement, day)[day] == [
        "07:00–09:00",
        "11:00–13:00",
        "13:00–15:00",
        "16:00–18:00",
        "18:00–20:00",
        "20:00–22:00",
    ]
    assert labels(agreement, day, hours=4)[day] == ["11:00–15:00", "16:00–20:00"]
    AvailabilityException.objects.create(profile=agreement.talent.sharing_profile, date=day, note="出差")
    assert day not in labels(agreement, day)


def test_no_slots_outside_the_agreement_or_in_the_past(sharing):
    agreement = sharing.agreement
    assert (
        selectors.free_slots(
            agreement, week=selectors.week_of(agreement.period_end + dt.timedelta(days=8)), hours=2
        )
        == []
    )
    past = selectors.free_slots(
        agreement, week=selectors.week_of(timezone.localdate() - dt.timedelta(days=14)), hours=2
    )
    assert past == []
    now = timezone.localtime()
    for day in selectors.free_slots(agreement, week=selectors.week_of(now.date()), hours=1):
        assert all(s.starts > now for s in day.slots)


def test_parse_slot():
    assert parse_slot("2026-12-04T09:00/11:00") == (dt.date(2026, 12, 4), dt.time(9), dt.time(11))
    for bad in ("", "2026-12-04", "2026-13-04T09:00/11:00", "2026-12-04T25:00/26:00", "x/y"):
        assert parse_slot(bad) is None


def test_booking_a_slot_by_its_button_and_a_taken_slot_refused(sharing):
    cast, agreement = sharing.cast, sharing.agreement
    day = weekday_ahead()
    client = Client()
    client.force_login(cast.talent_officer)
    url = f"/sharing/agreements/{agreement.pk}/book/"
    page = client.get(f"{url}?week={day.isoformat()}&hours=2")
    value = f"{day.isoformat()}T11:00/13:00"
    html = page.content.decode()
    assert f'value="{value}"' in html
    # The slot buttons come after the form they submit: Enter in a field sends the typed times.
    assert html.index('name="slot"') > html.index("</form>") and 'form="booking-form"' in html

    response = client.post(url, {"slot": value, "note": "镀膜线现场"})
    assert response.status_code == 302
    booking = Booking.objects.get(agreement=agreement)
    assert timezone.localtime(booking.starts_at).hour == 11 and booking.note == "镀膜线现场"
    # The slot is gone from the picker …
    assert f'value="{value}"' not in client.get(f"{url}?week={day.isoformat()}&hours=2").content.decode()
    # … and posting it again (a second tab, another firm a moment later) is refused, nothing saved.
    again = client.post(url, {"slot": value})
    assert again.status_code == 200
    assert "同一时段不能重复预约" in again.content.decode()
    assert Booking.objects.filter(agreement=agreement).count() == 1


def test_typed_times_still_work_and_missing_input_is_explained(sharing):
    cast, agreement = sharing.cast, sharing.agreement
    day = weekday_ahead()
    client = Client()
    client.force_login(cast.talent_officer)
    url = f"/sharing/agreements/{agreement.pk}/book/"
    empty = client.post(url, {"note": "x"})
    assert empty.status_code == 200 and "请点选一个空闲时段" in empty.content.decode()
    bad = client.post(url, {"slot": "2026-02-30T09:00/10:00"})
    assert "所选时段无效" in bad.content.decode()
    typed = client.post(url, {"date": day.isoformat(), "start_time": "14:00", "end_time": "15:30"})
    assert typed.status_code == 302
    assert Booking.objects.get(agreement=agreement).hours == 1.5
    assert not Booking.objects.filter(agreement=agreement).exclude(note="").exists()


def test_the_picker_pages_by_week_over_htmx(sharing):
    cast, agreement = sharing.cast, sharing.agreement
    client = Client()
    client.force_login(cast.talent_officer)
    day = weekday_ahead(15)
    url = f"/sharing/agreements/{agreement.pk}/slots/?week={day.isoformat()}&hours=4"
    partial = client.get(url, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert html.startswith('<div id="slot-picker"') and f"{day.isoformat()}T07:00/11:00" in html
    plain = client.get(url)
    assert plain.status_code == 302 and plain["Location"].startswith(
        f"/sharing/agreements/{agreement.pk}/book/?"
    )
    # Bad week or length: the current week and the default length, never an error.
    assert client.get(f"{url}x&hours=7", HTTP_HX_REQUEST="true").status_code == 200
    assert (
        client.get(f"/sharing/agreements/{agreement.pk}/slots/?week=junk", HTTP_HX_REQUEST="true").status_code
        == 200
    )
    for far in ("0001-01-01", "9999-12-31"):
        picker = f"/sharing/agreements/{agreement.pk}/slots/?week={far}"
        assert client.get(picker, HTTP_HX_REQUEST="true").status_code == 200
        assert client.get(f"/sharing/agreements/{agreement.pk}/book/?week={far}").status_code == 200
    # Another firm's officer cannot open the picker.
    client.force_login(cast.other_firm_admin)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
