"""Issue 19's "Done when" for the parks: a park manager signs a lease and sees occupancy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingxiang.testing.browser import login, pick, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_park_manager_signs_a_lease_and_sees_occupancy(cast, park, page, live_server):
    base = live_server.url
    today = timezone.localdate()
    login(page, base, "park_manager")
    page.goto(f"{base}/parks/sites/{park.site.pk}/")
    assert page.text_content("[data-testid=occupancy]").strip() == "0.0%"
    page.click("[data-testid=lease-101]")
    pick(page, "id_tenant", "kangbo", "临海市康波眼镜有限公司")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=365)).isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=租约已签订")
    assert page.text_content("[data-testid=leased]").strip() == "1"
    assert page.text_content("[data-testid=occupancy]").strip() == "60.0%"
    screenshot(page, "parks-site-occupancy")

    # The same unit again, for an overlapping term: refused with the clash named, nothing saved.
    page.click("[data-testid=lease-101]")
    pick(page, "id_tenant", "yuanfang", "临海市远方光学有限公司")
    page.fill("#id_starts_on", (today + dt.timedelta(days=100)).isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=500)).isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=租期不能重叠")
    page.goto(f"{base}/parks/")
    page.wait_for_selector("text=60.0%")
