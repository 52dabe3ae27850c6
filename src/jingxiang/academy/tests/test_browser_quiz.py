"""Issue 21's "Done when" for the academy, in a real browser at phone and desktop widths: a trainee opens
the quiz, answers (handing in too early shows the error summary), and sees the mark; the trainer's
card check-in refuses a card scanned twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingxiang.academy import services
from jingxiang.academy.models import Attendance, Question, QuizAttempt
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup(cast, academy, workers):  # type: ignore[no-untyped-def]
    academy.course.trainers.add(cast.expert)
    enrolment = services.enrolment_create(
        actor=cast.firm_admin, cohort=academy.cohort, talents=[workers[0]], sponsor=cast.firm
    )[0]
    staff = academy.school_staff
    for i, (text, options, answer) in enumerate(
        [
            ("树脂镜片的常见折射率是?", ["1.50–1.74", "2.5 以上"], [0]),
            ("定配前需要核对哪些参数?", ["瞳距", "镜架颜色", "光度"], [0, 2]),
        ]
    ):
        services.question_save(
            actor=staff,
            course=academy.course,
            data={
                "kind": "multiple" if len(answer) > 1 else "single",
                "text": text,
                "options": options,
                "answer": answer,
                "topic": f"T{i}",
            },
        )
    services.question_save(
        actor=staff,
        course=academy.course,
        data={"kind": "true_false", "text": "镜片加工后需要检测。", "options": [], "answer": [0]},
    )
    now = timezone.now()
    quiz = services.quiz_save(
        actor=staff,
        course=academy.course,
        data={
            "title": "定配基础测验",
            "session": None,
            "question_count": 3,
            "pass_mark": 60,
            "max_attempts": 2,
            "opens_at": now - dt.timedelta(hours=1),
            "closes_at": now + dt.timedelta(days=2),
        },
    )
    return enrolment, quiz


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_trainee_takes_a_quiz_and_sees_the_mark(
    width, cast, academy, workers, page, phone_page, live_server
):
    browser_page = phone_page if width == "phone" else page
    base = live_server.url
    enrolment, quiz = _setup(cast, academy, workers)
    login(browser_page, base, "worker1")
    browser_page.goto(f"{base}/academy/cohorts/{academy.cohort.pk}/learning/")
    browser_page.click(f"a:has-text('{quiz.title}')")
    browser_page.click("button:has-text('开始答题')")
    attempt = QuizAttempt.objects.get(quiz=quiz, enrolment=enrolment)
    browser_page.wait_for_url(f"**/academy/attempts/{attempt.pk}/")
    # Handing in with nothing answered: the summary at the top lists every question and takes the focus.
    browser_page.click("main form.card button[type=submit]")
    summary = browser_page.locator(".form-summary[role=alert]")
    summary.wait_for()
    assert summary.locator("li").count() == 3
    assert browser_page.evaluate("document.activeElement.classList.contains('form-summary')")
    screenshot(browser_page, f"academy-quiz-errors-{width}")
    questions = Question.objects.in_bulk(attempt.question_ids)
    for pk in attempt.question_ids:
        for index in questions[pk].answer:
            browser_page.check(f"input[name=q{pk}][value='{index}']")
    screenshot(browser_page, f"academy-quiz-paper-{width}")
    browser_page.click("main form.card button[type=submit]")
    browser_page.wait_for_selector("text=已交卷,成绩已自动评出")
    assert "得分 100.0" in browser_page.locator("#quiz-result").inner_text()
    assert browser_page.locator("#quiz-result .badge-ok").inner_text() == "及格"
    screenshot(browser_page, f"academy-quiz-result-{width}")
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.passed
    # The history shows the attempt on the quiz page.
    browser_page.goto(f"{base}/academy/quizzes/{quiz.pk}/")
    assert "100.0" in browser_page.locator("#results").inner_text()


def test_the_trainer_checks_in_by_typed_card_code_and_a_second_scan_is_refused(
    cast, academy, workers, phone_page, live_server
):
    base = live_server.url
    enrolment, _quiz = _setup(cast, academy, workers)
    session = academy.sessions[0]
    now = timezone.now()
    session.starts_at, session.ends_at = now - dt.timedelta(minutes=10), now + dt.timedelta(hours=1)
    session.save()
    login(phone_page, base, cast.expert_user.username)
    phone_page.goto(f"{base}/academy/sessions/{session.pk}/scan/")
    phone_page.fill("#id_code", enrolment.card_code.lower())
    phone_page.click("main form.card button[type=submit]")
    phone_page.wait_for_selector(f"text={workers[0].name} 签到成功")
    phone_page.fill("#id_code", enrolment.card_code)
    phone_page.click("main form.card button[type=submit]")
    phone_page.wait_for_selector("text=同一课次不能重复签到")
    screenshot(phone_page, "academy-card-checkin-phone")
    assert Attendance.objects.filter(session=session, enrolment=enrolment).count() == 1


def test_filters_fold_on_a_phone_unless_a_filter_is_set(cast, rules, page, phone_page, live_server):
    base = live_server.url
    for browser_page in (page, phone_page):
        login(browser_page, base, "operator")
    phone_page.goto(f"{base}/academy/courses/")
    panel = phone_page.locator("details[data-filters]")
    assert panel.evaluate("el => el.open") is False
    assert not phone_page.locator("form.filters input[name=q]").is_visible()
    phone_page.click("details[data-filters] > summary")
    assert phone_page.locator("form.filters input[name=q]").is_visible()
    phone_page.goto(f"{base}/academy/courses/?q=定配")
    assert phone_page.locator("details[data-filters]").evaluate("el => el.open") is True
    page.goto(f"{base}/academy/courses/")
    assert page.locator("details[data-filters]").evaluate("el => el.open") is True
    assert not page.locator("details[data-filters] > summary").is_visible()
    screenshot(phone_page, "filters-folded-phone")
