"""Issue 3's "Done when" in a real browser: request → invite → accept → three signatures → booking →
timesheet → approval → month-end statement with subsidy → rating and patent → KPIs.

The engagement began a month ago on paper: the host may not date an agreement or a booking in the past
(issue 10), so the station enters both with a reason, audited as core.TimeRuleOverride."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from jingxiang.core.models import TimeRuleOverride
from jingxiang.sharing.models import Statement, StatementStatus, SubsidyPolicy
from jingxiang.sharing.tests.builders import open_all_week
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, base, username):
    page.context.clear_cookies()
    login(page, base, username)


def prepare(cast):
    """The pool talent (林工, lent by 远方光学) and a subsidy policy for small firms."""
    expert = cast.expert
    expert.title = "镀膜工艺高级工程师"
    expert.description = "真空镀膜、树脂镜片加硬、减反射膜和膜层附着力(脱膜)问题专家"
    expert.region = "杜桥镇"
    expert.save()
    open_all_week(expert)
    cast.firm.size = "small"
    cast.firm.save()
    today = timezone.localdate()
    SubsidyPolicy.objects.create(
        name="人才科创基金共享用工补贴",
        percentage=Decimal("50"),
        eligible_sizes=["micro", "small"],
        cap_per_firm_year=Decimal("60000"),
        annual_budget=Decimal("2000000"),
        valid_from=dt.date(today.year - 1, 1, 1),
        valid_to=dt.date(today.year + 1, 12, 31),
    )


def test_request_to_kpis(cast, page, live_server):
    prepare(cast)
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    today = timezone.localdate()
    work_day = today - dt.timedelta(days=1)

    # The firm's 共享人才官 files a request.
    as_user(page, base, "talent_officer")
    page.goto(f"{base}/sharing/requests/new/")
    page.fill("#id_title", "镀膜脱膜问题攻关")
    page.fill("#id_problem", "树脂镜片加硬后真空镀减反射膜出现脱膜,需要镀膜工艺专家诊断膜层附着力问题。")
    page.fill("#id_hours_needed", "16")
    page.fill("#id_period_start", (today - dt.timedelta(days=30)).isoformat())
    page.fill("#id_period_end", (today + dt.timedelta(days=90)).isoformat())
    page.select_option("#id_mode", "onsite")
    page.fill("#id_budget", "50000")
    screenshot(page, "sharing-request-form")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=需求已提交到人才共享驿站")
    request_url = page.url

    # The station operator sees the ranked suggestions and invites the talent.
    as_user(page, base, "operator")
    page.goto(request_url)
    page.wait_for_selector("text=推荐人才")
    screenshot(page, "sharing-request-suggestions")
    page.check(f"#invite-{cast.expert.pk}")
    page.click("text=邀请所选人才")
    page.wait_for_selector("text=已发出 1 份邀请")

    # The talent accepts.
    as_user(page, base, "expert")
    page.goto(f"{base}/sharing/me/")
    page.check("input[name=decision][value=accept]")
    screenshot(page, "sharing-me-invitation")
    page.click("text=提交回复")
    page.wait_for_selector("text=已回复邀请")

    # The host drafts the agreement from the request, whose period began a month ago: refused.
    as_user(page, base, "talent_officer")
    page.goto(request_url)
    page.click("text=起草协议")
    draft_url = page.url
    page.fill("#id_monthly_hour_cap", "16")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=协议开始日期不能早于现在")

    # The work began on paper: the station enters the agreement with its reason.
    as_user(page, base, "operator")
    page.goto(draft_url)
    page.fill("#id_monthly_hour_cap", "16")
    page.fill("#id_backdate_reason", "双方已于上月签订纸质协议,补录")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=协议已起草")
    agreement_url = page.url
    page.wait_for_selector("text=三方共享用工协议")

    # The host signs for the host.
    as_user(page, base, "talent_officer")
    page.goto(agreement_url)
    page.click("text=以用工单位(乙方)身份签署")
    page.wait_for_selector("text=已签署。")

    # The home employer signs; the talent must consent explicitly.
    as_user(page, base, "other_admin")
    page.goto(agreement_url)
    page.click("text=以原用人单位(甲方)身份签署")
    page.wait_for_selector("text=已签署。")
    as_user(page, base, "expert")
    page.goto(agreement_url)
    page.click("text=以共享人才(丙方)身份签署")
    page.wait_for_selector("text=明确同意")  # refused without consent, with the rule named
    page.check("input[name=consent]")
    page.click("text=以共享人才(丙方)身份签署")
    page.wait_for_selector(".badge-ok >> text=生效中")
    screenshot(page, "sharing-agreement-active")

    # The host books hours to come; yesterday's work it cannot book any more.
    as_user(page, base, "talent_officer")
    page.goto(agreement_url)
    page.click("text=预约时间")
    booking_url = page.url
    page.fill("#id_date", (today + dt.timedelta(days=1)).isoformat())
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "12:00")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=已预约,已通知共享人才")
    page.goto(booking_url)
    page.fill("#id_date", work_day.isoformat())
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "12:00")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=预约开始时间不能早于现在")

    # The station enters yesterday's booking, with its reason.
    as_user(page, base, "operator")
    page.goto(booking_url)
    page.fill("#id_date", work_day.isoformat())
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "12:00")
    page.fill("#id_backdate_reason", "昨日现场服务按纸质派工单执行,补录")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=已预约,已通知共享人才")
    assert set(TimeRuleOverride.objects.values_list("field_name", flat=True)) == {"period_start", "starts_at"}

    # The talent logs them.
    as_user(page, base, "expert")
    page.goto(f"{base}/sharing/me/")
    page.click("text=登记工时")
    page.fill("#id_description", "现场诊断前处理清洗线,调整镀膜温度曲线")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=工时已登记")

    # The host approves.
    as_user(page, base, "talent_officer")
    page.goto(f"{base}/sharing/timesheets/?status=submitted")
    page.check("input[name=decision][value=approve]")
    screenshot(page, "sharing-timesheet-review")
    page.click(".review-form button[type=submit]")
    page.wait_for_selector("text=已处理该工时")

    # Month-end: the station generates statements (a background job) and issues the draft.
    as_user(page, base, "operator")
    page.goto(f"{base}/sharing/statements/generate/")
    page.fill("#id_month", f"{work_day:%Y-%m}")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=已生成 1 份")
    page.goto(f"{base}/sharing/statements/?month={work_day:%Y-%m}")
    page.click(f"text=JS{work_day:%Y%m}")
    page.wait_for_selector("text=草稿")
    page.click("text=出具结算单")
    page.wait_for_selector("text=结算单已出具")
    screenshot(page, "sharing-statement-issued")
    statement = Statement.objects.get()
    assert statement.status == StatementStatus.ISSUED
    assert statement.gross == Decimal("900.00") and statement.subsidy == Decimal("450.00")
    assert statement.payee == cast.other_firm.name
    page.wait_for_selector(f"text={statement.subsidy}")

    # The host rates the engagement and records a patent.
    as_user(page, base, "talent_officer")
    page.goto(agreement_url)
    page.click("text=评价并登记成效")
    page.select_option("#id_rating", "5")
    page.check("#id_problem_solved")
    page.fill("#id_patent_number", "CN202510123456.7")
    page.fill("#id_cost_saved", "180000")
    page.set_input_files(
        "#id_evidence",
        files=[{"name": "受理通知书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}],
    )
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=评价和成效已登记")

    # The patent appears in the station's KPIs and links to its record.
    as_user(page, base, "operator")
    page.goto(f"{base}/sharing/dashboard/")
    patents = page.inner_text("#kpi-patents .stat-value")
    assert patents.strip() == "1"
    assert "18.0万" in page.inner_text("#kpi-cost")
    screenshot(page, "sharing-dashboard")
    page.click("#kpi-patents")
    page.wait_for_selector("text=CN202510123456.7")
    assert re.search(r"patent=1", page.url)


def test_phone_pages(cast, phone_page, live_server):
    """The talent's and the firm's everyday pages work on a phone."""
    from jingxiang.sharing.tests.builders import make_agreement

    prepare(cast)
    make_agreement(cast)
    base = live_server.url
    as_user(phone_page, base, "expert")
    for path, name in [
        ("/sharing/me/", "me"),
        ("/sharing/pool/", "pool"),
        ("/sharing/agreements/", "agreements"),
    ]:
        phone_page.goto(base + path)
        phone_page.wait_for_load_state()
        assert phone_page.locator("h1").count() == 1
        screenshot(phone_page, f"sharing-{name}-phone")
    phone_page.click("table.list tbody a >> nth=0")
    phone_page.wait_for_selector("text=签署")
    screenshot(phone_page, "sharing-agreement-phone")
