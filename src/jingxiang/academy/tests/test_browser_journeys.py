"""The issue's "Done when" in a real browser.

1. The academy creates a course and a cohort → a firm enrols three workers (one to the waitlist) →
   attendance (a QR check-in on a phone and a manual mark) → assessment → certificate issued and
   verified on the public page → the worker's skill level is updated.
2. An order from placement to a hire.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingxiang.academy.models import (
    Certificate,
    Cohort,
    Course,
    Enrolment,
    EnrolmentStatus,
    Session,
    TrainingOrder,
)
from jingxiang.organisations.models import OrganisationKind
from jingxiang.talents.models import TalentKind, TalentSkill
from jingxiang.testing.browser import login, screenshot
from jingxiang.testing.factories import OrganisationFactory, TalentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page) -> None:  # type: ignore[no-untyped-def]
    page.click("main form.card button[type=submit]")
    page.wait_for_load_state()


def test_course_to_certificate_and_skill_update(cast, rules, workers, page, phone_page, live_server):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    OrganisationFactory(name="台州市眼镜产业链“工匠学院”", kind=OrganisationKind.UNIVERSITY, uscc=None)
    now = timezone.localtime()
    today = now.date()

    # The academy (a platform operator) creates the course …
    login(page, base, "operator")
    page.goto(f"{base}/academy/courses/")
    page.click("a.button:has-text('新建课程')")
    page.fill("#id_code", "DP-5")
    page.fill("#id_title", "眼镜定配工(五级)培训")
    page.select_option("#id_provider", label="台州市眼镜产业链“工匠学院”")
    page.select_option("#id_occupation_level", label="眼镜定配工 · 五级/初级工")
    page.fill("#id_theory_hours", "16")
    page.fill("#id_practice_hours", "24")
    page.fill("#id_fee", "1200")
    page.select_option("#id_subsidy_rule", label="职业技能等级认定补贴")
    screenshot(page, "academy-course-create-desktop")
    submit(page)
    page.wait_for_selector("text=课程已创建")
    course = Course.objects.get(code="DP-5")
    assert course.skill.code == "edging_fitting" and course.skill_level == 1

    # … opens a one-day cohort of two places (certificates are issued from its last day on) and
    # schedules a session starting now (no session may start in the past, no check-in before it starts).
    page.click("a.button:has-text('开设班级')")
    page.fill("#id_name", "定配工五级 2026 冬季班")
    page.fill("#id_venue", "杜桥镇“镜享未来”服务站 3 楼")
    page.fill("#id_capacity", "2")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", today.isoformat())
    submit(page)
    page.wait_for_selector("text=班级已开设")
    page.click("a.button:has-text('添加课次')")
    page.fill("#id_topic", "实操:全框眼镜装配")
    page.select_option("#id_kind", "practice")
    start = timezone.localtime()
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    submit(page)
    page.wait_for_selector("text=课次已添加")
    cohort = Cohort.objects.get(name="定配工五级 2026 冬季班")
    session = Session.objects.get(cohort=cohort)
    page.context.clear_cookies()

    # The firm enrols three workers for two places: one goes to the waitlist.
    login(page, base, "firm_admin")
    page.goto(f"{base}/academy/cohorts/{cohort.pk}/")
    page.click("a.button:has-text('报名')")
    for worker in workers:
        page.get_by_label(f"{worker.name}(工匠)").check()
    screenshot(page, "academy-enrol-desktop")
    page.click("form:has(input[value=firm]) button[type=submit]")
    page.wait_for_selector("text=候补名单")
    screenshot(page, "academy-cohort-firm-desktop")
    statuses = [e.status for e in Enrolment.objects.filter(cohort=cohort).order_by("pk")]
    assert sorted(statuses) == ["enrolled", "enrolled", "waitlisted"]
    waiting = Enrolment.objects.get(cohort=cohort, status="waitlisted")
    if waiting.talent == workers[0]:
        # The worker with a phone must hold a place for the QR check-in: the firm withdraws another.
        page.goto(
            f"{base}/academy/enrolments/{Enrolment.objects.filter(cohort=cohort, status='enrolled').first().pk}/"
        )
        page.click("main button:has-text('退出')")
        page.wait_for_selector("text=已自动递补")
    page.context.clear_cookies()

    # Attendance: the worker scans the session's QR code on a phone; the academy marks the other by hand.
    login(page, base, "operator")
    page.goto(f"{base}/academy/sessions/{session.pk}/")
    checkin_url = page.inner_text("main .card p.muted")
    assert f"/academy/checkin/{session.checkin_code}/" in checkin_url
    screenshot(page, "academy-session-qr-desktop")
    login(phone_page, base, "worker1")
    phone_page.goto(f"{base}/academy/checkin/{session.checkin_code}/")
    phone_page.click("button:has-text('确认签到')")
    phone_page.wait_for_selector("text=签到成功")
    screenshot(phone_page, "academy-checkin-phone")
    mine = Enrolment.objects.get(cohort=cohort, talent=workers[0])
    others = Enrolment.objects.filter(cohort=cohort, status="enrolled").exclude(pk=mine.pk)
    page.reload()
    for other in others:
        page.check(f"input[name=present][value='{other.pk}']")
    page.click("button:has-text('保存出勤')")
    page.wait_for_selector("text=出勤已保存")
    assert mine.attendances.get().method == "qr"

    # Assessment and certificate.
    page.goto(f"{base}/academy/enrolments/{mine.pk}/")
    page.fill("#id_theory_score", "78")
    page.fill("#id_practical_score", "86")
    page.click("button:has-text('登记成绩')")
    page.wait_for_selector("text=考核通过")
    page.click("button:has-text('颁发证书')")
    page.wait_for_selector("text=学员技能档案已自动更新")
    screenshot(page, "academy-certificate-desktop")
    certificate = Certificate.objects.get(enrolment=mine)
    assert certificate.number == f"JX-GJ-{today.year}-000001"
    pdf = page.request.get(f"{base}/academy/certificates/{certificate.pk}/pdf/")
    assert pdf.body().startswith(b"%PDF")
    page.context.clear_cookies()

    # A visitor scans the certificate's QR code: the name is masked until they confirm it.
    phone_page.context.clear_cookies()
    phone_page.goto(f"{base}/verify/certificate/{certificate.verify_code}/")
    phone_page.wait_for_selector("text=有效")
    assert "陈**" in phone_page.content() and "陈立新" not in phone_page.inner_text("main")
    phone_page.fill("#holder-name", "陈立新")
    phone_page.click("button:has-text('核对')")
    phone_page.wait_for_selector("text=证书编号与持证人姓名一致,证书有效")
    screenshot(phone_page, "academy-verify-phone")

    # The worker's skill record was raised automatically.
    link = TalentSkill.objects.get(talent=workers[0], skill=course.skill)
    assert (link.level, link.source) == (1, certificate.number)
    login(page, base, "firm_admin")
    page.goto(f"{base}/talents/{workers[0].pk}/")
    page.wait_for_selector(f"text={certificate.number}")
    screenshot(page, "academy-talent-skill-desktop")


def test_order_from_placement_to_hire(cast, academy, page, phone_page, live_server):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    phone_page.on("dialog", lambda dialog: dialog.accept())
    today = timezone.localdate()
    students = [
        TalentFactory(name=name, kind=TalentKind.STUDENT, home_organisation=None)
        for name in ("赵思远", "钱雨晴")
    ]

    # The firm's 共享人才官 places the order (on a phone).
    login(phone_page, base, "talent_officer")
    phone_page.goto(f"{base}/academy/orders/new/")
    phone_page.fill("#id_title", "2026 届定配工订单培养")
    phone_page.fill("#id_headcount", "2")
    phone_page.select_option("#id_skills", label="磨边定配")
    phone_page.fill("#id_due_on", (today + dt.timedelta(days=120)).isoformat())
    phone_page.fill("#id_hires_committed", "2")
    phone_page.fill("#id_requirements", "掌握全框、半框眼镜装配")
    screenshot(phone_page, "academy-order-create-phone")
    submit(phone_page)
    phone_page.wait_for_selector("text=等待学校接单")
    order = TrainingOrder.objects.get()
    phone_page.context.clear_cookies()

    # The school accepts it and opens the linked cohort with its own course.
    login(page, base, "school_staff")
    page.goto(f"{base}/academy/orders/{order.pk}/")
    page.select_option("#id_school", label=academy.school.name)
    page.click("button:has-text('接单')")
    page.wait_for_selector("text=已接单")
    page.click(f"a:has-text('用“{academy.course.title}”开班')")
    page.fill("#id_name", "定配工订单班 1 期")
    page.fill("#id_venue", "学院实训楼")
    page.fill("#id_capacity", "5")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", today.isoformat())
    submit(page)
    page.wait_for_selector("text=班级已开设")
    cohort = Cohort.objects.get(order=order)
    start = timezone.localtime() - dt.timedelta(hours=1)  # under way: attendance may be marked
    Session.objects.create(
        cohort=cohort, topic="实训", starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )  # schedule UI is covered by the first journey
    page.goto(f"{base}/academy/cohorts/{cohort.pk}/enrol/")
    for student in students:
        page.select_option("#id_acad-talents", label=f"{student.name}(学生)")  # one at a time
        page.select_option("#id_acad-education", "master")
        page.click("form:has(input[value=academy]) button[type=submit]")
        page.wait_for_selector("text=已报名")
        page.goto(f"{base}/academy/cohorts/{cohort.pk}/enrol/")
    trainee = Enrolment.objects.get(cohort=cohort, talent=students[0])
    page.goto(f"{base}/academy/sessions/{cohort.sessions.get().pk}/")
    page.check(f"input[name=present][value='{trainee.pk}']")
    page.click("button:has-text('保存出勤')")
    page.goto(f"{base}/academy/enrolments/{trainee.pk}/")
    page.click("button:has-text('结业(不发证)')")
    page.wait_for_selector("text=已结业")
    page.context.clear_cookies()

    # The firm hires the graduate; the order shows the hire against its commitment.
    login(page, base, "firm_admin")
    page.goto(f"{base}/academy/enrolments/{trainee.pk}/")
    page.wait_for_selector("text=等待订单企业录用")
    page.select_option("form[action$='/hire/'] select[name=firm]", label=cast.firm.name)
    page.fill("form[action$='/hire/'] input[name=hired_on]", today.isoformat())
    page.click("button:has-text('登记入职')")
    page.wait_for_selector("text=入职已登记")
    trainee.refresh_from_db()
    assert trainee.hired_by == cast.firm and trainee.status == EnrolmentStatus.GRADUATED
    page.goto(f"{base}/academy/orders/{order.pk}/")
    page.wait_for_selector("text=已入职 1 / 承诺录用 2")
    screenshot(page, "academy-order-detail-desktop")
    page.goto(f"{base}/academy/reports/")
    page.wait_for_selector("text=订单培养录用硕士及以上")
    screenshot(page, "academy-reports-desktop")
    phone_page.goto(f"{base}/accounts/login/")
    login(phone_page, base, "firm_admin")
    phone_page.goto(f"{base}/academy/orders/{order.pk}/")
    screenshot(phone_page, "academy-order-detail-phone")
