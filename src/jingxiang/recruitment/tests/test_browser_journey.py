"""The issue's "Done when" journey on a phone: a student scans the fair page → registers → applies to two
firms → gets an interview slot → accepts an offer → appears as a hired talent of the firm and in the
fair's report. Firms and the operator act on a desktop page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jingxiang.organisations.models import Membership
from jingxiang.recruitment.models import Application, ApplicationStatus, Student
from jingxiang.recruitment.tests.conftest import PDF
from jingxiang.talents.models import Talent
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_from_poster_to_hired_talent(
    cast, setup, otp_outbox, page, phone_page, live_server, tmp_path
):
    from jingxiang.recruitment import services

    base = live_server.url
    phone = phone_page
    phone.on("dialog", lambda dialog: dialog.accept())
    fair = setup.fair

    # The poster's QR code leads to the public fair page.
    phone.goto(f"{base}/recruitment/f/{fair.public_code}/")
    phone.wait_for_selector("text=验光")
    screenshot(phone, "recruitment-public-phone")
    phone.click("a.button:has-text('学生注册')")
    phone.fill("#id_mobile", "13812345678")
    phone.click("button:has-text('获取验证码')")
    phone.wait_for_selector("text=验证码已发送")
    code = otp_outbox[-1].code
    form = phone.locator("form:has(input[name=step][value=register])")
    form.locator("#id_code").fill(code)
    form.locator("#id_name").fill("孙晓")
    form.locator("#id_school").fill("天津职业大学")
    form.locator("#id_major").fill("眼视光技术")
    form.locator("#id_degree").select_option("master")
    form.locator("#id_graduation_year").fill("2026")
    form.locator("#id_privacy_consent").check()
    form.locator("button[type=submit]").click()
    phone.wait_for_selector("text=注册成功")
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF)
    phone.set_input_files("#id_cv", str(cv))
    phone.click("button:has-text('上传简历')")
    phone.wait_for_selector("text=简历已上传")

    # Applies to both firms in one go.
    phone.click("a.button:has-text('去选岗位投递')")
    phone.check(f"input[name=jobs][value='{setup.job.pk}']")
    phone.check(f"input[name=jobs][value='{setup.other_job.pk}']")
    phone.click("button:has-text('投递所选岗位')")
    phone.wait_for_selector("text=已投递 2 个岗位")
    student = Student.objects.get(mobile="13812345678")
    own, other = sorted(Application.objects.filter(student=student), key=lambda a: a.job_id)
    assert {own.job, other.job} == {setup.job, setup.other_job}

    # Both firms invite the student to interview (bulk action on the firm's list).
    login(page, base, "firm_admin")
    page.goto(f"{base}/recruitment/applications/")
    page.check(f"input[name=ids][value='{own.pk}']")
    page.select_option("form[action$='/move/'] select[name=status]", "interview")
    page.click("button:has-text('应用到所选')")
    page.wait_for_selector("text=已处理 1 份申请")
    services.applications_move(
        actor=cast.other_firm_admin, applications=[other], status=ApplicationStatus.INTERVIEW
    )
    page.context.clear_cookies()

    # The operator runs the interview scheduler as a background job.
    login(page, base, "operator")
    page.goto(f"{base}/recruitment/{fair.pk}/")
    page.click("button:has-text('排面试')")
    page.wait_for_selector("text=面试排程完成")
    page.context.clear_cookies()
    phone.goto(f"{base}/recruitment/me/")
    phone.wait_for_selector("text=号展位")
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.slot_id and other.slot_id and own.slot_id != other.slot_id

    # The firm offers the job; the student accepts on the phone.
    login(page, base, "firm_admin")
    page.goto(f"{base}/recruitment/applications/{own.pk}/")
    page.fill("#id_salary", "4000")
    page.click("button:has-text('发出录用通知')")
    page.wait_for_selector("text=录用通知已发出")
    phone.reload()
    screenshot(phone, "recruitment-offer-phone")
    phone.click("button:has-text('接受录用')")
    phone.wait_for_selector("text=已接受录用通知")

    # The firm records the hire: a talent of the firm, a member, counted in the fair's report.
    page.reload()
    page.fill("#id_hired_on", timezone.localdate().isoformat())
    page.click("button:has-text('登记入职')")
    page.wait_for_selector("text=已登记入职")
    talent = Talent.objects.get(user=student.user)
    assert talent.home_organisation == cast.firm
    assert Membership.objects.filter(user=student.user, organisation=cast.firm, is_active=True).exists()
    page.context.clear_cookies()
    login(page, base, "operator")
    page.goto(f"{base}/recruitment/{fair.pk}/report/")
    assert page.inner_text("#hires-total") == "1"
    page.wait_for_selector("text=高层次人才")
    screenshot(page, "recruitment-report-desktop")
