"""The issue's "Done when" fund journey in a browser: a firm applies to an open call → the pre-check lists
every missing piece, the firm completes them and submits → due diligence → the engine assigns experts,
an expert scores on the review block's sheet (on a phone) → defence → decision → award → the firm
submits milestone evidence → the fund manager pays the first tranche and the ledger shows it."""

from __future__ import annotations

import pytest

from jingxiang.fund.models import AppStatus, Fund, FundApplication, Stage
from jingxiang.fund.tests.conftest import PDF, score_all
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fund_call_from_application_to_first_tranche(cast, setup, page, phone_page, live_server, tmp_path):
    from jingxiang.fund import services

    base = live_server.url
    call = setup.call
    plan = tmp_path / "商业计划书.pdf"
    plan.write_bytes(PDF)

    # The firm applies.
    login(page, base, "talent_officer")
    page.goto(f"{base}/fund/calls/{call.pk}/")
    page.click("a.button:has-text('我要申报')")
    page.fill("#id_project_title", "镜片镀膜在线检测仪")
    page.fill("#id_summary", "镀膜厚度与色差的在线检测。")
    page.fill("#id_tags", "镀膜,检测")
    page.fill("#id_talent_name", "叶婉清")
    page.select_option("#id_talent_tier", label="高端人才")
    page.select_option("#id_elite_grade", label='市"500精英计划"C类')
    page.fill("#id_founder_equity", "40")
    page.fill("#id_registered_town", "杜桥镇")
    page.fill("#id_requested_amount", "300000")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=申请草稿已保存")

    # The pre-check names every missing piece at once.
    page.click("button:has-text('资格预审')")
    box = page.locator("[data-testid=precheck]")
    box.wait_for()
    text = box.inner_text()
    assert "注册日期" in text and "团队成员" in text and "商业计划书" in text
    screenshot(page, "fund-precheck")
    application = FundApplication.objects.get(project_title="镜片镀膜在线检测仪")
    page.click("a.button:has-text('修改')")
    page.fill("#id_registration_date", call.closes_on.isoformat())
    page.click("main form button[type=submit]")
    page.click("a.button:has-text('添加团队成员')")
    page.fill("#id_name", "叶婉清")
    page.fill("#id_role", "创始人")
    page.fill("#id_share", "40")
    page.click("main form button[type=submit]")
    page.click("a.button:has-text('上传附件')")
    page.select_option("#id_kind", "business_plan")
    page.set_input_files("#id_file", str(plan))
    page.click("main form button[type=submit]")
    page.click("button:has-text('资格预审')")
    page.wait_for_selector("text=资格预审通过")
    page.click("button:has-text('提交申请')")
    page.wait_for_selector("text=申请已提交")
    page.context.clear_cookies()

    # The fund manager: due diligence, then expert review with the engine's assignment.
    login(page, base, "operator")
    page.goto(f"{base}/fund/applications/{application.pk}/")
    page.click("button:has-text('启动尽职调查')")
    page.wait_for_selector("text=核查清单已生成")
    first = page.locator("form[action*='/fund/diligence/']").first
    first.locator("input[name=done]").check()
    first.locator("button").click()
    page.wait_for_selector("text=已记录核查结果")
    for item in application.diligence.filter(done=False):
        services.diligence_check(actor=cast.operator, item=item, done=True)
    page.reload()
    page.click("button:has-text('进入专家评审')")
    page.wait_for_selector("text=已进入专家评审")
    page.goto(f"{base}/fund/calls/{call.pk}/")
    page.click("button:has-text('分配专家评审')")
    page.wait_for_selector("text=评审引擎正在分配专家")
    page.context.clear_cookies()

    # The expert scores on a phone, through the review block's sheet.
    phone = phone_page
    login(phone, base, "expert")
    phone.goto(f"{base}/reviewing/mine/")
    phone.click("tr:has-text('镜片镀膜在线检测仪') a.button")
    for field in phone.locator("input[name^=criterion_]").all():
        field.fill("8")
    phone.click("main form button[type=submit]")
    phone.wait_for_selector("text=评分已提交")
    screenshot(phone, "fund-expert-score-phone")
    score_all(call, Stage.EXPERT)  # the second expert

    # Defence, decision, award, a tranche.
    page.goto(f"{base}/fund/applications/{application.pk}/")
    login(page, base, "operator")
    page.goto(f"{base}/fund/applications/{application.pk}/")
    page.click("button:has-text('进入路演答辩')")
    page.wait_for_selector("text=已进入路演答辩")
    page.goto(f"{base}/fund/calls/{call.pk}/")
    page.click("button:has-text('分配答辩评委')")
    page.wait_for_selector("text=评审引擎正在分配专家")
    score_all(call, Stage.DEFENCE)
    page.goto(f"{base}/fund/applications/{application.pk}/")
    page.click("a.button:has-text('作出决定')")
    page.select_option("#id_outcome", "approve")
    page.fill("#id_reasons", "检测需求明确,答辩表现好。")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=决定已记录")
    page.click("a.button:has-text('签订资助协议')")
    page.fill("#id_amount", "300000")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=资助协议已签订")
    page.click("a.button:has-text('添加拨付期次')")
    page.fill("#id_milestone", "样机通过检测")
    page.fill("#id_amount", "120000")
    page.fill("#id_due_on", call.closes_on.isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=拨付期次已添加")
    award_url = page.url
    page.context.clear_cookies()

    # The firm submits its evidence.
    login(page, base, "firm_admin")
    page.goto(award_url)
    page.click("a.button:has-text('提交佐证')")
    page.set_input_files("#id_file", str(plan))
    page.fill("#id_note", "样机检测报告见附件。")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=佐证已提交")
    page.context.clear_cookies()

    # The fund manager approves and pays; the ledger follows.
    login(page, base, "operator")
    page.goto(award_url)
    form = page.locator("form[action*='/review/']")
    form.locator("select[name=outcome]").select_option("approve")
    form.locator("button").click()
    page.wait_for_selector("text=已拨付。")
    assert "120,000.00" in page.locator("[data-testid=disbursed]").inner_text()
    screenshot(page, "fund-award-first-tranche")
    application.refresh_from_db()
    assert application.status == AppStatus.AWARDED
    fund = Fund.objects.get(pk=setup.fund.pk)
    assert fund.disbursed == 120000 and fund.committed == 180000
