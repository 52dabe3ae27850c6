"""Issue 19's "Done when" for the marketplace in a real browser: a firm finds a service (by pinyin) →
gets a quote → orders with a voucher → accepts → the provider's claim is paid and the programme's
budget goes down."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jingxiang.services.models import ClaimStatus, VoucherClaim, VoucherProgramme
from jingxiang.services.tests.builders import agency, programme, service
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, base, username):
    page.context.clear_cookies()
    login(page, base, username)


def test_service_quote_voucher_order_accept_claim_paid(cast, page, live_server):
    org, _staff = agency()
    service(org, title="镜架外观专利申请代理", price=None)
    prog = programme(budget=Decimal("100000"))
    cast.firm.size = "small"
    cast.firm.save()
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    # The firm applies for this year's voucher; the operator approves it.
    as_user(page, base, "firm_admin")
    page.goto(f"{base}/services/vouchers/programmes/")
    page.click("#results a.button:has-text('申请')")
    page.fill("#id_purpose", "新款镜架外观专利申请")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=创新券申请已提交")
    as_user(page, base, "operator")
    page.goto(f"{base}/services/vouchers/")
    page.click("button:has-text('批准') >> nth=0")
    page.wait_for_selector("text=已审批")

    # The firm finds the service by pinyin and asks for a quote.
    as_user(page, base, "firm_admin")
    page.goto(f"{base}/services/?q=zhuanli")
    page.click("text=镜架外观专利申请代理")
    screenshot(page, "services-service-detail")
    page.click("text=请求报价")
    page.fill("#id_brief", "三款新镜架的外观设计专利")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=等待服务机构报价")
    order_url = page.url

    # The agency quotes.
    as_user(page, base, "provider")
    page.goto(order_url)
    page.fill("#id_price", "9000")
    page.fill("#id_note", "三件外观专利")
    page.click("text=提交报价")
    page.wait_for_selector("text=已报价。")

    # The firm orders with its voucher.
    as_user(page, base, "firm_admin")
    page.goto(order_url)
    page.select_option("#id_voucher", index=1)
    screenshot(page, "services-order-with-voucher")
    page.click("text=确认下单")
    page.wait_for_selector("text=已下单。")

    # The agency plans and completes a milestone, then delivers.
    as_user(page, base, "provider")
    page.goto(order_url)
    page.fill("#id_title", "提交专利申请")
    page.fill("#id_due_date", "2030-01-01")
    page.click("text=添加节点")
    page.wait_for_selector("text=已添加交付节点")
    page.click("text=标记完成")
    page.wait_for_selector("text=节点已完成")
    page.click("main button:has-text('交付')")
    page.wait_for_selector("text=已交付,等待企业验收")

    # The firm accepts: the voucher pays half.
    as_user(page, base, "firm_admin")
    page.goto(order_url)
    page.click("text=验收通过")
    page.wait_for_selector("text=已验收。")
    assert page.text_content("[data-testid=voucher-amount]").strip() == "¥4,500.00"
    page.select_option("#id_rating", "5")
    page.click("text=提交评价")
    page.wait_for_selector("text=感谢评价")

    # The agency claims, the operator pays; the programme's statement shows the budget gone down.
    as_user(page, base, "provider")
    page.goto(order_url)
    page.click("text=申请兑付创新券")
    page.wait_for_selector("text=已申请兑付创新券")
    as_user(page, base, "operator")
    page.goto(f"{base}/services/vouchers/claims/")
    page.click("main button:has-text('兑付')")
    page.wait_for_selector("text=已兑付。")
    page.goto(f"{base}/services/vouchers/programmes/{prog.pk}/statement/")
    assert page.text_content("[data-testid=remaining]").strip() == "¥95,500.00"
    assert page.text_content("[data-testid=paid]").strip() == "¥4,500.00"
    screenshot(page, "services-voucher-statement")
    assert VoucherClaim.objects.get().status == ClaimStatus.PAID
    prog = VoucherProgramme.objects.get(pk=prog.pk)
    assert prog.committed == prog.paid == Decimal("4500.00")
