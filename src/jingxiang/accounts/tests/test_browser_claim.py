"""On a phone: the 共享人才官 invites a talent, the talent claims the profile and logs in."""

from __future__ import annotations

import re

import pytest

from jingxiang.testing.browser import login, screenshot
from jingxiang.testing.factories import TalentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invite_claim_and_login_on_a_phone(cast, phone_page, live_server, otp_outbox):
    page = phone_page
    base = live_server.url
    talent = TalentFactory(name="陈师傅", home_organisation=cast.firm, mobile="13867619999", user=None)

    login(page, base, "talent_officer")
    page.goto(f"{base}/talents/{talent.pk}/")
    page.click("text=邀请开通账号")
    page.wait_for_url(f"{base}/accounts/invite/talent/{talent.pk}/")
    screenshot(page, "accounts-invite-phone")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/talents/{talent.pk}/")
    assert "邀请已发出" in page.inner_text(".messages")
    assert "待认领" in page.inner_text("main")

    (message,) = otp_outbox
    path = re.search(r"(/accounts/claim/[^/\s]+/)", message.text).group(1)
    page.context.clear_cookies()
    page.goto(f"{base}{path}")
    assert "陈师傅" in page.inner_text("main")
    page.fill("input[name=code]", message.code)
    page.fill("input[name=password1]", "Jingjing-2026!")
    page.fill("input[name=password2]", "Jingjing-2026!")
    page.check("input[name=privacy_consent]")
    screenshot(page, "accounts-claim-phone")
    page.click("button:has-text('开通账号')")
    page.wait_for_url(f"{base}/accounts/login/")
    assert "账号已开通" in page.inner_text(".messages")

    login(page, base, "138 6761 9999", "Jingjing-2026!")
    page.goto(f"{base}/talents/me/")
    page.wait_for_url(f"{base}/talents/{talent.pk}/")
    assert "陈师傅" in page.inner_text("h1")
    screenshot(page, "accounts-claimed-profile-phone")
