"""The issue's "Done when" journey in a real browser.

The secretariat creates the alliance with 10 members and five domains → the 技术研发 lead (康波's admin)
adds a task → a member of 康波 links a lab report and a cohort as outputs → the dashboard counts them
and drills down to them → an agreement with three obligations, one overdue, sends its reminder.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jingxiang.academy.tests.conftest import academy, rules  # noqa: F401  (fixtures)
from jingxiang.alliance.models import Alliance, Obligation, Output
from jingxiang.core.models import Notification
from jingxiang.identifiers import generate_uscc
from jingxiang.lab.tests.conftest import lab_setup  # noqa: F401  (fixture)
from jingxiang.organisations.models import OrganisationKind, Role
from jingxiang.testing.browser import login, pick, screenshot
from jingxiang.testing.factories import (
    InstitutionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alliance_journey(cast, lab_setup, academy, page, live_server):  # noqa: F811
    base = live_server.url
    today = timezone.localdate()
    secretariat_org = OrganisationFactory(
        name="台州眼镜产业创新联盟秘书处", kind=OrganisationKind.ASSOCIATION, uscc=None
    )
    MembershipFactory(
        user=UserFactory(username="secretariat"), organisation=secretariat_org, role=Role.OPERATOR
    )
    others = [
        InstitutionFactory(name="浙江省光学学会", kind=OrganisationKind.ASSOCIATION),
        InstitutionFactory(name="温州医科大学附属眼视光医院"),
        OrganisationFactory(name="盈昌集团"),
        OrganisationFactory(name="大光明眼镜"),
        OrganisationFactory(name="亚妮眼镜"),
        InstitutionFactory(name="浙江大学"),
        OrganisationFactory(name="上海长江创服", kind=OrganisationKind.SERVICE_AGENCY),
        InstitutionFactory(name="天津医科大学眼视光学院"),
    ]
    report = lab_setup.report()
    academy.cohort.status = "completed"
    academy.cohort.save(update_fields=["status"])

    # 1. The secretariat creates the alliance (five domains come with it) and admits ten units.
    login(page, base, "secretariat")
    page.goto(f"{base}/alliance/new/")
    page.fill("#id_name", "台州眼镜产业创新联盟")
    page.fill("#id_founded_on", (today - dt.timedelta(days=40)).isoformat())
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("台州眼镜产业创新联盟")
    for name in ("技术研发", "技能培训", "质量检测", "品牌升级", "市场拓展"):
        expect(page.locator("main")).to_contain_text(name)
    alliance = Alliance.objects.get(name="台州眼镜产业创新联盟")
    units = [cast.firm, cast.lab, *others]
    for index, unit in enumerate(units):
        page.goto(f"{base}/alliance/{alliance.pk}/members/add/")
        pick(page, "id_organisation", unit.name)
        page.select_option("#id_role", "chair" if index == 0 else "member")
        page.fill("#id_joined_on", (today - dt.timedelta(days=40)).isoformat())
        page.click("main form button[type=submit]")
        expect(page.locator("body")).to_contain_text("已加入联盟")
    expect(page.locator("main")).to_contain_text("成员单位(10)")
    screenshot(page, "alliance-detail")
    # 技术研发 is led by 康波.
    rd = alliance.domains.get(code="rd")
    page.goto(f"{base}/alliance/domains/{rd.pk}/edit/")
    page.select_option("#id_lead", label=cast.firm.name)
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text(cast.firm.name)

    # 2. The domain lead adds a task to this year's plan.
    page.context.clear_cookies()
    login(page, base, "firm_admin")
    page.goto(f"{base}/alliance/domains/{rd.pk}/")
    page.click("text=新增任务")
    page.fill("#id_title", "高原护目镜防雾镀膜攻关")
    page.select_option("#id_owner", label=cast.firm.name)
    page.fill("#id_due_on", dt.date(today.year, 12, 31).isoformat())
    page.fill("#id_expected_output", "镀膜工艺通过检测")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("高原护目镜防雾镀膜攻关")
    task_url = page.url

    # 3. A member of 康波 links a lab report and a cohort as outputs.
    page.context.clear_cookies()
    login(page, base, "talent_officer")
    page.goto(task_url)
    page.click("text=关联检测报告")
    pick(page, "id_record", report.number)
    page.click("main form button[type=submit]")
    expect(page.locator("#outputs")).to_contain_text(report.number)
    page.click("text=关联工匠学院培训班")
    pick(page, "id_record", academy.cohort.name)
    page.click("main form button[type=submit]")
    expect(page.locator("#outputs")).to_contain_text(academy.cohort.name)
    assert Output.objects.filter(alliance=alliance).count() == 2

    # 4. The dashboard counts them, and each figure drills down to its records.
    page.goto(f"{base}/alliance/{alliance.pk}/dashboard/")
    expect(page.locator("[data-testid=totals]")).to_contain_text("2")
    kinds = page.locator("[data-testid=kind-table]")
    expect(kinds.locator("tr", has_text="检测报告")).to_contain_text("1")
    expect(kinds.locator("tr", has_text="工匠学院培训班")).to_contain_text("1")
    screenshot(page, "alliance-dashboard")
    kinds.locator("tr", has_text="检测报告").locator("a").click()
    expect(page.locator("#results")).to_contain_text(report.number)
    expect(page.locator("#results")).not_to_contain_text(academy.cohort.name)

    # 5. An agreement with three obligations; the overdue one reminds the secretariat.
    page.context.clear_cookies()
    login(page, base, "secretariat")
    page.goto(f"{base}/alliance/{alliance.pk}/agreements/new/")
    page.fill("#id_title", "高原护目镜联合检测合作协议")
    page.fill("#id_scope", "联合开展高原护目镜检测与标准研制。")
    pick(page, "id_parties", cast.firm.name)
    pick(page, "id_parties", cast.lab.name)
    page.fill("#id_outside_parties", f"拉萨高原护目镜实践检测基地,{generate_uscc(random.Random(3))}")
    signed = today - dt.timedelta(days=30)
    page.fill("#id_signed_on", signed.isoformat())
    page.fill("#id_term_start", signed.isoformat())
    page.fill("#id_term_end", (signed + dt.timedelta(days=730)).isoformat())
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("高原护目镜联合检测合作协议")
    agreement_url = page.url
    for party, text, due in (
        (cast.firm.name, "送检样品 20 批", today + dt.timedelta(days=5)),
        (cast.lab.name, "出具检测分析报告", today - dt.timedelta(days=1)),
        ("拉萨高原护目镜实践检测基地", "提供高原实测场地", today + dt.timedelta(days=200)),
    ):
        page.goto(agreement_url)
        page.click("text=添加义务")
        page.select_option("#id_party", label=party)
        page.fill("#id_description", text)
        page.fill("#id_due_on", due.isoformat())
        page.click("main form button[type=submit]")
        expect(page.locator("[data-testid=obligations]")).to_contain_text(text)
    page.goto(f"{base}/alliance/{alliance.pk}/obligations/")
    page.click("text=检查期限并发送提醒")
    expect(page.locator("main")).to_contain_text("逾期提醒 1 条")
    overdue = Obligation.objects.get(description="出具检测分析报告")
    assert overdue.status == "overdue"
    assert Notification.objects.filter(
        recipient__username="secretariat", message="alliance.obligation_overdue"
    ).exists()
    assert Notification.objects.filter(recipient=cast.firm_admin, message="alliance.obligation_due").exists()
    page.goto(agreement_url)
    expect(page.locator("[data-testid=obligations]")).to_contain_text("已逾期")
    screenshot(page, "alliance-agreement")
