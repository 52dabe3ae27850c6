"""Issue 21's "Done when" for calendars, at phone and desktop widths: a firm books a talent's free slot
from the calendar, and the talent subscribes to their feed (fetched without a login and parsed with
icalendar)."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from jingxiang.sharing.models import Booking
from jingxiang.sharing.selectors import week_of
from jingxiang.sharing.tests.builders import make_agreement
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", ["page", "phone_page"])
def test_book_a_free_slot_from_the_calendar_and_subscribe_to_the_feed(cast, live_server, request, width):
    page = request.getfixturevalue(width)
    phone = width == "phone_page"
    base = live_server.url
    agreement = make_agreement(cast).agreement

    # The firm's 共享人才官 opens the calendar and books 林工's free hours from it.
    login(page, base, "talent_officer")
    if phone:
        page.goto(f"{base}/calendar/")
    else:
        page.click("#sidenav >> text=我的日历")
    page.click(f"[data-testid=calendar-actions] a[href='/sharing/agreements/{agreement.pk}/book/']")
    page.wait_for_selector("[data-testid=slot-picker]")
    next_week = week_of(timezone.localdate()) + dt.timedelta(days=7)
    page.click("[data-testid=slots-next]")  # next week, over HTMX: the whole week lies ahead
    page.wait_for_selector(f"[data-testid=slot-picker] strong:has-text('{next_week:%Y-%m-%d} –')")
    page.click("[data-testid=slots-hours-1]")
    page.wait_for_selector("[data-testid=slots-hours-1][aria-current=true]")
    assert page.locator(f"[data-testid=slot-picker] strong:has-text('{next_week:%Y-%m-%d} –')").count() == 1
    first = page.locator("[data-testid=slot-picker] button.slot-button").first
    value = first.get_attribute("value")
    screenshot(page, f"calendars-slots-{'phone' if phone else 'desktop'}")
    first.click()
    page.wait_for_selector("text=已预约,已通知共享人才。")
    booking = Booking.objects.get(agreement=agreement)
    start = timezone.localtime(booking.starts_at)
    assert value == f"{start:%Y-%m-%dT%H:%M}/{timezone.localtime(booking.ends_at):%H:%M}"
    assert booking.hours == 1 and start.date() >= next_week

    # The booking is on the firm's calendar for that day: a grid on desktop, an agenda on the phone.
    page.goto(f"{base}/calendar/?view=week&day={start:%Y-%m-%d}")
    if phone:
        assert not page.locator("[data-testid=cal-grid]").is_visible()
        entry = page.locator("[data-testid=cal-agenda] [data-testid=agenda-entry]", has_text="共享人才:林工")
    else:
        assert not page.locator("[data-testid=cal-agenda]").is_visible()
        entry = page.locator("[data-testid=cal-grid] .cal-entry", has_text="共享人才:林工")
    assert entry.is_visible()
    assert f"{start:%H:%M}" in entry.text_content()
    screenshot(page, f"calendars-week-{'phone' if phone else 'desktop'}")

    # The talent subscribes: a private URL that a phone's calendar fetches without logging in.
    page.context.clear_cookies()
    login(page, base, "expert")
    page.goto(f"{base}/calendar/")
    page.click("[data-testid=feed-issue]")
    page.wait_for_selector("text=订阅链接已生成。")
    feed_url = page.input_value("[data-testid=feed-url]")
    assert feed_url.startswith("http") and "/calendar/feed/" in feed_url
    local = feed_url.replace(feed_url.split("/calendar/")[0], base)
    # A fresh browser context: no cookies, no login, as a phone's calendar app fetches it.
    phone_calendar = page.context.browser.new_context()
    response = phone_calendar.request.get(local)
    assert response.status == 200 and response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"sharing-booking-{booking.pk}@jingxiang"
    assert str(event["SUMMARY"]) == f"[共享预约] 共享服务:{cast.firm.name}"
    assert event.decoded("DTSTART") == booking.starts_at
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    screenshot(page, f"calendars-feed-{'phone' if phone else 'desktop'}")

    # Regenerating (confirmed) makes the old URL a 404.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=feed-regenerate]")
    page.wait_for_selector("text=已生成新的订阅链接")
    assert phone_calendar.request.get(local).status == 404
    phone_calendar.close()
