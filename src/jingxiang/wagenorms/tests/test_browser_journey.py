"""Issue 17's "Done when" in a real browser: the union enters an agreement → vote → filing → effective;
a firm uploads a wage file with two violations → sees them with reasons → the union's compliance page
counts them; a worker's public self-check."""

from __future__ import annotations

import datetime as dt

import pytest

from jingxiang.testing.browser import login, screenshot
from jingxiang.wagenorms.models import AgreementStatus, WageAgreement, WageLine
from jingxiang.wagenorms.tests.builders import EXAMPLE, TWO_VIOLATIONS, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agreement_to_compliance_and_self_check(page, live_server, cast, tmp_path):
    base = live_server.url
    today = dt.date.today().isoformat()

    login(page, base, "union_staff")
    page.goto(f"{base}/wages/agreements/new/")
    page.fill("#id_title", "临海市眼镜行业技能人才能级工资集体协议")
    page.fill("#id_employers", "临海市眼镜行业协会")
    page.fill("#id_text", EXAMPLE.replace("学徒工: 2480", "学徒工: 2200", 1))  # below the statutory minimum
    page.click("form.card button[type=submit]")
    page.wait_for_selector("text=标准低于法定最低工资")
    page.fill("#id_text", EXAMPLE)
    page.click("form.card button[type=submit]")
    page.wait_for_selector("text=记录协商轮次")
    page.click("text=记录协商轮次")
    page.fill("#id_held_on", today)
    page.fill("#id_union_proposal", "各等级标准上调 5%")
    page.fill("#id_employer_proposal", "同意上调 4%,学徒工按 2,480 元")
    page.fill("#id_minutes", "双方议定按第 2 稿提交职工代表表决")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("text=第 1 轮")
    page.click("a:has-text('职工代表表决')")
    page.fill("#id_held_on", today)
    for field, value in (
        ("representatives", "35"),
        ("present", "30"),
        ("approve", "26"),
        ("against", "3"),
        ("abstain", "1"),
    ):
        page.fill(f"#id_{field}", value)
    page.click("form.card button[type=submit]")
    page.wait_for_selector("text=报送审查")
    page.click("a:has-text('报送审查')")
    page.fill("#id_filed_on", today)
    page.click("form.card button[type=submit]")
    page.click("a:has-text('登记审查结果')")
    page.click("form.card button[type=submit]")  # no receipt and 15 days not over: refused with the date
    page.wait_for_selector("text=期满前生效需有审查机关的无异议意见")
    page.check("#id_receipt")
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".badge >> text=已生效")
    screenshot(page, "wagenorms-agreement-effective")
    assert WageAgreement.objects.get().status == AgreementStatus.EFFECTIVE

    page.context.clear_cookies()
    login(page, base, "firm_admin")
    path = tmp_path / "wages.xlsx"
    path.write_bytes(workbook(TWO_VIOLATIONS))
    page.goto(f"{base}/wages/reports/upload/")
    page.set_input_files("#id_file", str(path))
    page.click("form.card button[type=submit]")
    page.wait_for_selector("text=已核查 5 行,其中 2 行不达标")
    page.goto(f"{base}/wages/reports/")
    page.click("table.list tbody a")
    page.wait_for_selector("text=W-NORM")
    text = page.inner_text("table.list")
    assert "W-STAT" in text and "2759.99" not in text
    screenshot(page, "wagenorms-firm-results")
    assert WageLine.objects.filter(status="failed").count() == 2

    page.context.clear_cookies()
    login(page, base, "union_staff")
    page.goto(f"{base}/wages/compliance/")
    assert page.inner_text("#failed-total") == "2"
    assert page.inner_text("#workers-covered") == "5"
    screenshot(page, "wagenorms-compliance")

    page.context.clear_cookies()
    page.goto(f"{base}/wages/check/")
    page.select_option("#id_post", "抛光")
    page.select_option("#id_level", "intermediate")
    page.fill("#id_month", "2026-03")
    page.fill("#id_base_wage", "2700")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#self-check-result >> text=未达到标准")
    assert "2,760.00" in page.inner_text("#self-check-result")
    screenshot(page, "wagenorms-self-check")
