"""In a real browser: pages and the Django admin meet no CSP refusal, and icons are drawn as SVG.

The ``page`` fixture fails the test on any refusal Chromium reports; this test also proves that the
fixture sees them, so a quiet console means something.
"""

from __future__ import annotations

import pytest

from jingxiang.testing.browser import login, screenshot
from jingxiang.testing.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_and_admin_run_under_the_policy_with_svg_icons(page, live_server, cast):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    login(page, live_server.url, "root")
    paths = [
        "/",
        "/organisations/",
        "/talents/",
        "/jobs/",
        "/admin/",
        "/admin/organisations/organisation/",
        "/admin/organisations/organisation/add/",
        f"/admin/organisations/organisation/{cast.firm.pk}/change/",
        "/admin/accounts/user/add/",
    ]
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None and response.ok, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert page.csp_violations == []

    page.goto(live_server.url + "/")
    icons = page.locator(".sidenav svg.icon")
    assert icons.count() >= 5
    box = icons.first.bounding_box()
    assert box is not None and box["width"] >= 12 and box["height"] >= 12
    href = page.locator(".sidenav svg.icon use").first.get_attribute("href") or ""
    sprite = page.request.get(live_server.url + href.split("#")[0])
    assert sprite.ok and b"<symbol" in sprite.body()
    # No text glyph stands in for an icon anywhere in the menu.
    assert page.locator(".sidenav .nav-icon:not(svg)").count() == 0
    screenshot(page, "csp-home-icons")

    # The fixture does see refusals: an inline script injected into the page is refused and reported.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert page.csp_violations, "Chromium reported no refusal for an inline script"
    page.csp_violations.clear()
