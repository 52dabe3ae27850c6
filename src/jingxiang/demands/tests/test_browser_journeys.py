"""Issue 4's "Done when" in a real browser: a demand from posting to a recorded outcome, and a 揭榜挂帅
challenge from publication to a selected winner."""

from __future__ import annotations

from typing import Any

import pytest

from jingxiang.demands.models import Challenge, Demand, DemandStatus
from jingxiang.demands.tests.conftest import make_demand
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    login(page, base, username)


def test_demand_from_posting_to_outcome(
    cast: Any, suppliers: Any, page: Any, phone_page: Any, live_server: Any
) -> None:
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    # The firm's 共享人才官 posts a need in the owner's words; a bad attempt keeps what was typed.
    login(page, base, "talent_officer")
    page.goto(f"{base}/demands/new/")
    page.fill("#id_title", "镜片膜层起皱脱落")
    page.select_option("#id_category", "testing")
    page.fill("#id_description", "<b>急</b>")
    page.click("button[name=submit_now]")
    page.wait_for_selector("text=请不要输入 HTML")
    assert page.input_value("#id_title") == "镜片膜层起皱脱落"
    page.fill(
        "#id_description",
        "我们的树脂镜片戴一段时间膜层起皱脱落,客户投诉多,想找专家分析原因并改进加硬和镀膜工艺。",
    )
    page.fill("#id_budget", "50000")
    page.fill("#id_hours_needed", "20")
    page.fill("#id_region", "杜桥镇")
    screenshot(page, "demands-create-desktop")
    page.click("button[name=submit_now]")
    page.wait_for_load_state()
    screenshot(page, "demands-submitted-desktop")
    page.wait_for_selector("text=需求已提交,等待平台运营审核")
    page.wait_for_selector("text=等待 平台运营 审核发布")
    demand = Demand.objects.get(title="镜片膜层起皱脱落")
    assert demand.status == DemandStatus.SCREENING
    login(phone_page, base, "firm_admin")
    phone_page.goto(f"{base}/demands/?mine=on")
    phone_page.wait_for_selector("text=镜片膜层起皱脱落")
    screenshot(phone_page, "demands-list-phone")
    phone_page.context.clear_cookies()

    # The operator publishes it from the board.
    switch(page, base, "operator")
    page.goto(f"{base}/demands/board/?status=screening")
    screenshot(page, "demands-board-desktop")
    page.click("text=镜片膜层起皱脱落")
    page.check("input[name=action][value=publish]")
    page.click("text=提交审核结论")
    page.wait_for_selector("text=已发布,并通知了企业")

    # The firm sees ranked suggestions with reasons and invites two suppliers.
    switch(page, base, "firm_admin")
    page.goto(f"{base}/demands/{demand.pk}/")
    page.wait_for_selector("#suggestions")
    first = page.locator("[data-testid=suggestion]").first
    assert "周敏华" in first.inner_text()
    # Reasons in plain words a firm owner understands (issue 12), not "需求依据:术语 镀膜".
    assert "资料里列为专长" in first.inner_text() and "需求依据" not in first.inner_text()
    screenshot(page, "demands-suggestions-desktop")
    page.click("button[aria-label='邀请 周敏华']")
    page.wait_for_selector("text=已邀请 周敏华")
    page.click("button[aria-label='邀请 东华大学检测实验室']")
    page.wait_for_selector("text=已邀请 东华大学检测实验室")
    assert demand.invitations.count() == 2

    # The coating expert sees the invitation on a phone and proposes.
    login(phone_page, base, "coating_expert")
    phone_page.goto(f"{base}/demands/for-me/")
    phone_page.wait_for_selector("text=邀请您对接的需求")
    screenshot(phone_page, "demands-for-me-phone")
    phone_page.click("main >> text=镜片膜层起皱脱落")
    phone_page.fill("#id_summary", "先做百格测试确认附着力,再调整加硬液固化曲线,两周内给出工艺建议。")
    phone_page.fill("#id_price", "8000")
    phone_page.click("#propose button[type=submit]")
    phone_page.wait_for_selector("text=方案已提交,等待企业决定")
    screenshot(phone_page, "demands-proposed-phone")

    # The firm accepts the proposal, then records the outcome.
    page.goto(f"{base}/demands/{demand.pk}/")
    page.wait_for_selector("text=等待 临海市康波眼镜有限公司 决定是否采纳方案")
    page.click("button:has-text('采纳方案')")
    page.wait_for_selector("text=已记录您的决定")
    page.select_option("#id_solved", "yes")
    page.select_option("#id_rating", "5")
    page.fill("#id_notes", "附着力达标,客户投诉明显下降")
    page.click("#close button[type=submit]")
    page.wait_for_selector("text=需求已关闭,结果已记录")
    screenshot(page, "demands-closed-desktop")
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED and demand.rating == 5 and demand.solved
    phone_page.goto(f"{base}/demands/{demand.pk}/")
    screenshot(phone_page, "demands-closed-phone")


def test_challenge_from_publication_to_winner(
    cast: Any, suppliers: Any, page: Any, phone_page: Any, live_server: Any
) -> None:
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    demand = make_demand(cast, title="镜片膜层附着力攻关")

    # The operator promotes the published demand to a public challenge.
    login(page, base, "operator")
    page.goto(f"{base}/demands/{demand.pk}/")
    page.click("text=设为揭榜挂帅")
    page.fill("#id_award_amount", "100000")
    page.fill("#id_deadline", "2099-12-31")
    page.fill("#id_ip_terms", "成果知识产权归发榜企业,揭榜方保留署名权")
    page.fill("#id_deliverables", "工艺改进方案与三批次验证报告")
    screenshot(page, "challenge-create-desktop")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=揭榜挂帅榜单已发布")
    challenge = Challenge.objects.get(demand=demand)

    # Anyone can see it without logging in, on a phone.
    phone_page.goto(f"{base}/demands/challenges/")
    phone_page.wait_for_selector("text=镜片膜层附着力攻关")
    screenshot(phone_page, "challenge-public-list-phone")
    phone_page.click("text=镜片膜层附着力攻关")
    phone_page.wait_for_selector("text=登录后揭榜")
    screenshot(phone_page, "challenge-public-detail-phone")

    # A lab and an expert apply.
    for username, team in (("lab_staff", "东华大学检测实验室三人团队"), ("coating_expert", "周敏华及助手")):
        switch(page, base, username)
        page.goto(f"{base}/demands/challenges/{challenge.pk}/")
        page.fill("#id_team", team)
        page.fill("#id_proposal", "分三阶段:失效分析、工艺窗口实验、量产验证,每阶段提交报告供企业验收。")
        page.click("#apply button[type=submit]")
        page.wait_for_selector("text=已揭榜")

    # The operator invites reviewers: a colleague of the firm is refused, the union staffer is accepted.
    switch(page, base, "operator")
    page.goto(f"{base}/demands/challenges/{challenge.pk}/")
    page.fill("#id_username", "member")
    page.click("#reviewers button[type=submit]")
    page.wait_for_selector("text=属于发榜企业")
    page.fill("#id_username", "union_staff")
    page.click("#reviewers button[type=submit]")
    page.wait_for_selector("text=担任评审专家")
    page.click("text=截止揭榜,开始评审")
    page.wait_for_selector("text=已截止揭榜,进入评审")

    # The reviewer scores both applications on the weighted scorecard.
    switch(page, base, "union_staff")
    for index, value in ((0, "9"), (1, "6")):
        page.goto(f"{base}/demands/challenges/{challenge.pk}/")
        page.locator("#applications a:has-text('评分')").nth(index).click()
        for field in page.locator("input[type=number]").all():
            field.fill(value)
        screenshot(page, "challenge-score-desktop")
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=评分已保存")

    # The operator selects the best-scored team.
    switch(page, base, "operator")
    page.goto(f"{base}/demands/challenges/{challenge.pk}/")
    top = page.locator("[data-testid=ranking-row]").first
    assert "最高分" in top.inner_text() and "9.00" in top.inner_text()
    assert "6.00" in page.locator("[data-testid=ranking-row]").nth(1).inner_text()
    screenshot(page, "challenge-ranking-desktop")
    top.locator("button:has-text('选定为揭榜方')").click()
    page.wait_for_selector("text=已选定揭榜方")
    challenge.refresh_from_db()
    assert challenge.winner is not None and challenge.winner.supplier_name == "东华大学检测实验室"
    screenshot(page, "challenge-awarded-desktop")
