"""The .ics export and the private feed: they parse with icalendar, carry Asia/Shanghai times and
stable UIDs, only the owner's entries, and a revoked or regenerated token's URL is a 404."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client

from jingxiang.calendars import services
from jingxiang.calendars.models import CalendarFeed

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def events(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_download_parses_with_shanghai_times_and_stable_uids(world):
    client = Client()
    client.force_login(world.cast.talent_officer)
    response = client.get("/calendar/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    found = events(response.content)
    booking = found[f"sharing-booking-{world.booking.pk}@jingxiang"]
    start = booking.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == dt.timedelta(hours=8)
    assert start.astimezone(SHANGHAI).replace(tzinfo=None) == dt.datetime.combine(
        world.booking_day, dt.time(9)
    )
    assert booking.decoded("DTEND").astimezone(SHANGHAI).hour == 11
    assert booking["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert "林工" in str(booking["SUMMARY"])
    assert str(booking["URL"]).endswith(f"/sharing/agreements/{world.agreement.pk}/")
    # A deadline is an all-day entry: a date, ending (exclusively) the next day.
    deadline = found[f"demands-demand-{world.demand.pk}@jingxiang"]
    assert deadline.decoded("DTSTART") == world.demand.deadline
    assert deadline.decoded("DTEND") == world.demand.deadline + dt.timedelta(days=1)
    # The same records give the same UIDs on the next download (phones update, not duplicate).
    assert set(events(client.get("/calendar/calendar.ics").content)) == set(found)


def test_the_feed_needs_no_login_and_carries_only_the_owners_entries(world):
    feed = services.feed_issue(actor=world.cast.expert_user)
    anonymous = Client()
    response = anonymous.get(f"/calendar/feed/{feed.token}.ics")
    assert response.status_code == 200
    assert set(events(response.content)) == {
        f"sharing-booking-{world.booking.pk}@jingxiang",
        f"academy-session-{world.session.pk}@jingxiang",
    }
    body = response.content.decode()
    # Nothing of other people beyond what the entry needs: no phone numbers, no wages, no students.
    if world.cast.expert.mobile:
        assert world.cast.expert.mobile not in body
    assert "王同学" not in body and "质检员" not in body and "300.00" not in body
    feed.refresh_from_db()
    assert feed.last_fetched_at is not None


def test_regenerating_and_revoking_kill_the_old_url(world):
    client = Client()
    client.force_login(world.cast.expert_user)
    assert client.post("/calendar/feed/issue/").status_code == 302
    first = CalendarFeed.objects.get(user=world.cast.expert_user)
    page = client.get("/calendar/").content.decode()
    assert f"/calendar/feed/{first.token}.ics" in page
    # Nobody else sees the token, operators included.
    other = Client()
    other.force_login(world.cast.operator)
    assert first.token not in other.get("/calendar/").content.decode()

    assert client.post("/calendar/feed/issue/").status_code == 302
    second = CalendarFeed.objects.live().get(user=world.cast.expert_user)
    assert second.token != first.token
    assert Client().get(f"/calendar/feed/{first.token}.ics").status_code == 404
    assert Client().get(f"/calendar/feed/{second.token}.ics").status_code == 200

    assert client.post("/calendar/feed/revoke/").status_code == 302
    assert Client().get(f"/calendar/feed/{second.token}.ics").status_code == 404
    assert not CalendarFeed.objects.live().filter(user=world.cast.expert_user).exists()
    assert CalendarFeed.objects.filter(user=world.cast.expert_user).count() == 2  # kept, revoked
    # Revoking with nothing live is refused with a message, not a 500.
    response = client.post("/calendar/feed/revoke/", follow=True)
    assert "您没有正在使用的订阅链接" in response.content.decode()


def test_unknown_tokens_and_inactive_owners_get_404(cast):
    assert Client().get("/calendar/feed/not-a-token.ics").status_code == 404
    feed = services.feed_issue(actor=cast.member)
    cast.member.is_active = False
    cast.member.save()
    assert Client().get(f"/calendar/feed/{feed.token}.ics").status_code == 404


def test_the_feed_token_is_not_in_the_audit_log(cast):
    from auditlog.models import LogEntry

    feed = services.feed_issue(actor=cast.member)
    entries = LogEntry.objects.get_for_object(feed)
    assert entries.exists()
    assert all(feed.token not in str(entry.changes) for entry in entries)


def test_the_feed_and_actions_are_post_only(cast):
    client = Client()
    client.force_login(cast.member)
    assert client.get("/calendar/feed/issue/").status_code == 405
    assert client.get("/calendar/feed/revoke/").status_code == 405
