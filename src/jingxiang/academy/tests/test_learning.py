"""Issue 21, academy: session materials (type checked by first bytes), the question bank and its Excel
import, auto-marked quizzes with attempts and time rules, trainee cards and the trainer's card check-in."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from jingxiang.academy import materials, services
from jingxiang.academy.imports import QuestionImport
from jingxiang.academy.models import Attendance, Cohort, Material, Question, QuizAttempt
from jingxiang.academy.permissions import access_attempt, access_material, access_quiz, may_see_materials
from jingxiang.academy.tests.conftest import make_sessions
from jingxiang.core.imports import run_import, validate
from jingxiang.testing.factories import TalentFactory, UserFactory
from jingxiang.testing.matrix import RouteCase, check_matrix

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def code_of(error: ValidationError) -> str | None:
    """The code of a refusal, whether it names a field or not."""
    if hasattr(error, "error_dict"):
        return next(e.code for errors in error.error_dict.values() for e in errors)
    return error.code


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@dataclass
class Learning:
    academy: Any
    cast: Any
    trainee: Any  # the user of the enrolled worker
    enrolment: Any
    other_trainee: Any  # enrolled in another cohort of another course
    questions: list[Any]

    def by_role(self) -> dict[str, Any]:
        return {
            **self.cast.by_role(),
            "school_staff": self.academy.school_staff,
            "trainee": self.trainee,
            "other_trainee": self.other_trainee,
        }


def bank(course: Any, actor: Any, n: int = 4) -> list[Any]:
    """n single-choice questions whose right answer is A, and one multiple-choice question (A and C)."""
    made = [
        services.question_save(
            actor=actor,
            course=course,
            data={"kind": "single", "text": f"第 {i} 题", "options": ["对的", "错的", "也错"], "answer": [0]},
        )
        for i in range(1, n + 1)
    ]
    made.append(
        services.question_save(
            actor=actor,
            course=course,
            data={"kind": "multiple", "text": "多选题", "options": ["甲", "乙", "丙"], "answer": [0, 2]},
        )
    )
    return made


@pytest.fixture
def learning(cast, academy, workers) -> Learning:  # type: ignore[no-untyped-def]
    academy.course.trainers.add(cast.expert)
    enrolment = services.enrolment_create(
        actor=cast.firm_admin,
        cohort=academy.cohort,
        talents=[workers[0], workers[1]],
        sponsor=cast.firm,
        years_experience=Decimal("2"),
    )[0]
    other_user = UserFactory(username="other_trainee")
    other_course = academy.course.__class__.objects.create(
        code="OT-1", title="另一门课", provider=academy.other_school, skill=academy.course.skill
    )
    other_cohort = Cohort.objects.create(
        course=other_course,
        name="另一个班",
        venue="别处",
        capacity=5,
        starts_on=academy.cohort.starts_on,
        ends_on=academy.cohort.ends_on,
    )
    make_sessions(other_cohort, 1)
    services.enrolment_create(
        actor=academy.other_school_staff,
        cohort=other_cohort,
        talents=[TalentFactory(name="李四", user=other_user, home_organisation=None)],
    )
    return Learning(
        academy, cast, workers[0].user, enrolment, other_user, bank(academy.course, academy.school_staff)
    )


def quiz_for(learning: Learning, **overrides: Any) -> Any:
    now = timezone.now()
    data = {
        "title": "第一单元测验",
        "session": None,
        "question_count": 3,
        "pass_mark": 60,
        "max_attempts": 2,
        "opens_at": now - dt.timedelta(hours=1),
        "closes_at": now + dt.timedelta(days=1),
        **overrides,
    }
    return services.quiz_save(actor=learning.academy.school_staff, course=learning.academy.course, data=data)


# Materials ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("讲义.pdf", PDF, "pdf"),
        ("图.png", PNG, "png"),
        ("讲义.docx", office_file("word/document.xml"), "docx"),
        ("表.xlsx", office_file("xl/workbook.xml"), "xlsx"),
        ("视频.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16, "mp4"),
    ],
)
def test_a_file_is_recognised_by_its_first_bytes(name, content, found):
    assert materials.check_upload(SimpleUploadedFile(name, content)) == (found, len(content))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("病毒.pdf", b"MZ\x90\x00 this is a program", "bad_type"),
        ("图片.pdf", PNG, "extension_mismatch"),
        ("空.pdf", b"", "empty"),
        ("压缩包.docx", office_file("other/thing.xml"), "bad_type"),
        ("假的.docx", b"PK\x03\x04 not really a zip", "bad_type"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(name, content, code):
    with pytest.raises(ValidationError) as error:
        materials.check_upload(SimpleUploadedFile(name, content))
    assert error.value.code == code


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    rules = {**materials.material_rules(), "max_bytes": 10}
    monkeypatch.setattr(materials, "material_rules", lambda: rules)
    with pytest.raises(ValidationError, match="文件太大"):
        materials.check_upload(SimpleUploadedFile("讲义.pdf", PDF))


def test_materials_are_for_the_cohorts_trainees_trainers_and_staff_only(learning, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    session = learning.academy.sessions[0]
    cast = learning.cast
    document = services.material_add(
        actor=cast.expert_user,  # a trainer of the course
        session=session,
        kind="file",
        title="第一讲讲义",
        file=SimpleUploadedFile("l1.pdf", PDF),
    )
    assert document.file_type == "pdf" and document.size == len(PDF)
    link = services.material_add(
        actor=learning.academy.school_staff,
        session=session,
        kind="video",
        title="演示视频",
        url="https://video.example.cn/v/1",
    )
    with pytest.raises(ValidationError) as refused:
        services.material_add(
            actor=cast.expert_user,
            session=session,
            kind="file",
            title="伪装",
            file=SimpleUploadedFile("x.pdf", b"MZ\x90"),
        )
    assert "file" in refused.value.message_dict and Material.objects.count() == 2
    with pytest.raises(PermissionDenied):
        services.material_add(
            actor=learning.trainee,
            session=session,
            kind="link",
            title="x",
            url="https://a.cn",
        )
    allowed = {"trainee", "expert", "operator", "school_staff"}
    for role, user in learning.by_role().items():
        assert may_see_materials(user, session) is (role in allowed), role
    client_for = learning.by_role()
    from django.test import Client

    trainee = Client()
    trainee.force_login(client_for["trainee"])
    response = trainee.get(f"/academy/materials/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert trainee.get(f"/academy/materials/{link.pk}/")["Location"] == "https://video.example.cn/v/1"
    page = trainee.get(f"/academy/cohorts/{learning.academy.cohort.pk}/learning/").content.decode()
    assert "第一讲讲义" in page and "演示视频" in page and "撤下" not in page
    firm = Client()
    firm.force_login(cast.firm_admin)  # the worker's employer: not a trainee, not a trainer
    assert firm.get(f"/academy/materials/{document.pk}/").status_code == 404
    services.material_archive(actor=cast.expert_user, material=document)
    with pytest.raises(Exception):  # noqa: B017 - Http404
        access_material(learning.trainee, document.pk)


# Question bank ----------------------------------------------------------------------------------


def test_question_rules_and_who_may_keep_the_bank(learning):
    staff, course = learning.academy.school_staff, learning.academy.course

    def save(actor: Any = staff, **data: Any) -> Any:
        return services.question_save(
            actor=actor, course=course, data={"kind": "single", "text": "新题", "options": ["a", "b"], **data}
        )

    with pytest.raises(ValidationError) as error:
        save(answer=[0, 1])
    assert "answer" in error.value.message_dict
    with pytest.raises(ValidationError):
        save(answer=[5])
    with pytest.raises(ValidationError):
        save(options=["a"], answer=[0])
    with pytest.raises(ValidationError) as error:
        save(text="第 1 题", answer=[0])
    assert "已有相同的题目" in str(error.value)
    truth = save(kind="true_false", text="镜片需要检测", options=[], answer=[1])
    assert truth.options == ["正确", "错误"] and truth.answer == [1]
    for outsider in (learning.cast.firm_admin, learning.trainee, learning.academy.other_school_staff):
        with pytest.raises(PermissionDenied):
            save(actor=outsider, text="越权", answer=[0])
    assert (
        save(actor=learning.cast.expert_user, text="讲师出题", answer=[1]).created_by
        == learning.cast.expert_user
    )


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["题型", "题目", "选项A", "选项B", "选项C", "选项D", "答案", "知识点"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_question_import_checks_the_whole_file_and_saves_nothing_if_a_row_is_wrong(learning):
    staff, course = learning.academy.school_staff, learning.academy.course
    before = Question.objects.count()
    bad = workbook(
        [
            ["单选题", "镜框的主要材料?", "金属", "木头", "", "", "A", "材料"],
            ["多选题", "哪些是镜片?", "树脂", "玻璃", "纸", "", "AX", ""],
            ["判断题", "树脂镜片比玻璃轻", "", "", "", "", "也许", ""],
            ["填空题", "不支持的题型", "", "", "", "", "A", ""],
            ["单选题", "镜框的主要材料?", "金属", "木头", "", "", "B", ""],
            ["单选题", "第 1 题", "x", "y", "", "", "A", ""],
            ["单选题", "有空缺", "x", "", "z", "", "A", ""],
        ]
    )
    _rows, result = validate(QuestionImport(course), bad, staff)
    assert not result.ok
    assert {error.row for error in result.errors} == {3, 4, 5, 8}
    result = run_import(QuestionImport(course), bad, staff, lambda *_a: None)
    assert not result.ok and Question.objects.count() == before
    # Cross-row checks run once every row is valid: a duplicate inside the file or of the bank.
    dupes = workbook(
        [
            ["单选题", "新题甲", "x", "y", "", "", "A", ""],
            ["单选题", "新题甲", "x", "y", "", "", "B", ""],
            ["单选题", "第 1 题", "x", "y", "", "", "A", ""],
        ]
    )
    result = run_import(QuestionImport(course), dupes, staff, lambda *_a: None)
    assert [(e.row, "重复" in e.message or "已有" in e.message) for e in result.errors] == [
        (3, True),
        (4, True),
    ]
    good = workbook(
        [
            ["单选题", "镜框的主要材料?", "金属", "木头", "", "", "A", "材料"],
            ["multiple", "哪些是镜片材料?", "树脂", "玻璃", "纸", "", "A, B", ""],
            ["判断题", "树脂镜片比玻璃轻", "", "", "", "", "对", ""],
        ]
    )
    result = run_import(QuestionImport(course), good, staff, lambda *_a: None)
    assert result.ok and result.created == 3
    imported = Question.objects.get(text="哪些是镜片材料?")
    assert (
        imported.kind == "multiple"
        and imported.options == ["树脂", "玻璃", "纸"]
        and imported.answer == [0, 1]
    )
    assert Question.objects.get(text="树脂镜片比玻璃轻").answer == [0]


def test_question_import_runs_as_a_job_for_the_courses_teachers_only(
    learning, client, django_capture_on_commit_callbacks
):
    from jingxiang.jobs.models import Job

    client.force_login(learning.academy.school_staff)
    course = learning.academy.course
    upload = SimpleUploadedFile(
        "bank.xlsx",
        workbook([["单选题", "作业题", "x", "y", "", "", "B", ""]]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/academy/courses/{course.pk}/questions/import/", {"file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert job.result_url == f"/academy/courses/{course.pk}/questions/"
    assert Question.objects.filter(course=course, text="作业题", answer=[1]).exists()
    template = client.get(f"/academy/courses/{course.pk}/questions/template/")
    assert template.status_code == 200 and template.content[:2] == b"PK"


# Quizzes ----------------------------------------------------------------------------------------


def test_quiz_settings_are_checked(learning):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        quiz_for(learning, question_count=50)
    assert "question_count" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        quiz_for(learning, opens_at=now, closes_at=now - dt.timedelta(hours=1))
    assert "closes_at" in error.value.message_dict
    other = make_sessions(
        Cohort.objects.exclude(course=learning.academy.course).first(), 1, start=now + dt.timedelta(days=1)
    )[0]
    with pytest.raises(ValidationError):
        quiz_for(learning, session=other)
    with pytest.raises(PermissionDenied):
        services.quiz_save(
            actor=learning.trainee,
            course=learning.academy.course,
            data={
                "title": "x",
                "session": None,
                "question_count": 1,
                "pass_mark": 60,
                "max_attempts": 1,
                "opens_at": now,
                "closes_at": now + dt.timedelta(hours=1),
            },
        )


def test_an_attempt_is_drawn_marked_and_limited(learning):
    quiz = quiz_for(learning, question_count=5, max_attempts=2, pass_mark=80)
    trainee = learning.trainee
    attempt = services.quiz_start(actor=trainee, quiz=quiz)
    assert attempt.number == 1 and len(attempt.question_ids) == 5 == len(set(attempt.question_ids))
    assert services.quiz_start(actor=trainee, quiz=quiz).pk == attempt.pk  # resumed, not a new draw
    questions = Question.objects.in_bulk(attempt.question_ids)
    # Everything right except the multiple-choice question, answered with only one of its two options.
    answers = {str(pk): [0] for pk in attempt.question_ids}
    marked = services.quiz_submit(actor=trainee, attempt=attempt, answers=answers)
    assert (marked.correct, marked.total, marked.score, marked.passed) == (4, 5, Decimal("80.0"), True)
    assert sum(services.mark_answer(questions[pk], answers[str(pk)]) for pk in attempt.question_ids) == 4
    with pytest.raises(ValidationError, match="不能重复提交"):
        services.quiz_submit(actor=trainee, attempt=marked, answers=answers)
    second = services.quiz_start(actor=trainee, quiz=quiz)
    multiple = next(pk for pk in second.question_ids if questions[pk].kind == "multiple")
    answers = {str(pk): [1] for pk in second.question_ids} | {str(multiple): [0, 2]}
    failed = services.quiz_submit(actor=trainee, attempt=second, answers=answers)
    assert (failed.correct, failed.score, failed.passed) == (1, Decimal("20.0"), False)
    with pytest.raises(ValidationError) as error:
        services.quiz_start(actor=trainee, quiz=quiz)
    assert error.value.code == "no_attempts_left"
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 2


def test_an_answer_outside_the_options_is_refused(learning):
    quiz = quiz_for(learning)
    attempt = services.quiz_start(actor=learning.trainee, quiz=quiz)
    with pytest.raises(ValidationError, match="不存在的选项"):
        services.quiz_submit(
            actor=learning.trainee, attempt=attempt, answers={str(attempt.question_ids[0]): [9]}
        )
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score is None


def test_quiz_time_rules_and_who_may_sit_it(learning):
    now = timezone.now()
    later = quiz_for(
        learning, title="下周测验", opens_at=now + dt.timedelta(days=7), closes_at=now + dt.timedelta(days=8)
    )
    with pytest.raises(ValidationError):
        services.quiz_start(actor=learning.trainee, quiz=later)
    quiz = quiz_for(learning)
    with pytest.raises(ValidationError, match="截止"):
        services.quiz_start(actor=learning.trainee, quiz=quiz, now=quiz.closes_at)
    attempt = services.quiz_start(actor=learning.trainee, quiz=quiz)
    with pytest.raises(ValidationError, match="截止"):
        services.quiz_submit(actor=learning.trainee, attempt=attempt, answers={}, now=quiz.closes_at)
    for user in (learning.other_trainee, learning.cast.firm_admin, learning.cast.expert_user):
        with pytest.raises(PermissionDenied):
            services.quiz_start(actor=user, quiz=quiz)
    with pytest.raises(PermissionDenied):
        services.quiz_submit(actor=learning.academy.school_staff, attempt=attempt, answers={})
    # A session's quiz is for that session's cohort only.
    session_quiz = quiz_for(learning, title="课次测验", session=learning.academy.sessions[0])
    assert access_quiz(learning.trainee, session_quiz.pk) == session_quiz
    # Results: the trainee and the course's teachers; nobody else.
    for user in (
        learning.trainee,
        learning.cast.expert_user,
        learning.academy.school_staff,
        learning.cast.operator,
    ):
        assert access_attempt(user, attempt.pk) == attempt
    for user in (learning.other_trainee, learning.cast.firm_admin, learning.academy.other_school_staff):
        with pytest.raises(Exception):  # noqa: B017 - Http404
            access_attempt(user, attempt.pk)


def test_a_trainee_sits_a_quiz_through_the_pages(learning, client):
    quiz = quiz_for(learning, question_count=2, max_attempts=1)
    client.force_login(learning.trainee)
    page = client.get(f"/academy/quizzes/{quiz.pk}/").content.decode()
    assert "开始答题" in page
    response = client.post(f"/academy/quizzes/{quiz.pk}/start/")
    attempt = QuizAttempt.objects.get(quiz=quiz)
    assert response["Location"] == f"/academy/attempts/{attempt.pk}/"
    paper = client.get(response["Location"]).content.decode()
    assert paper.count('type="radio"') + paper.count('type="checkbox"') >= 4
    # Handing in with a question unanswered: the error summary lists it at the top, nothing is marked.
    first = attempt.question_ids[0]
    response = client.post(f"/academy/attempts/{attempt.pk}/", {f"q{first}": "0"})
    body = response.content.decode()
    assert response.status_code == 200 and 'class="form-summary" role="alert"' in body
    assert f'href="#id_q{attempt.question_ids[1]}' in body
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    questions = Question.objects.in_bulk(attempt.question_ids)
    data = {f"q{pk}": [str(i) for i in questions[pk].answer] for pk in attempt.question_ids}
    response = client.post(f"/academy/attempts/{attempt.pk}/", data)
    assert response.status_code == 302
    result = client.get(f"/academy/attempts/{attempt.pk}/").content.decode()
    assert (
        "得分 100.0" in result and "及格" in result and "正确答案" in result
    )  # no attempt left: answers shown
    teacher = client.__class__()
    teacher.force_login(learning.cast.expert_user)
    listing = teacher.get(f"/academy/quizzes/{quiz.pk}/").content.decode()
    assert learning.enrolment.talent.name in listing and "100.0" in listing
    export = teacher.get(f"/academy/quizzes/{quiz.pk}/?export=xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    enrolment_page = client.get(f"/academy/enrolments/{learning.enrolment.pk}/").content.decode()
    assert "在线测验成绩" in enrolment_page and "不计入结业考核" in enrolment_page


# Trainee card and card check-in -----------------------------------------------------------------


def test_the_trainer_checks_a_trainee_in_by_the_card_once_per_session(learning):
    session = learning.academy.sessions[0]
    during = session.starts_at + dt.timedelta(minutes=20)
    trainer = learning.cast.expert_user
    enrolment = learning.enrolment
    Attendance.objects.filter(session=session).delete()
    scanned = f"https://jingxiang.example.cn/verify/trainee-card/{enrolment.card_code}/"
    attendance = services.attendance_scan(actor=trainer, session=session, code=scanned, now=during)
    assert attendance.enrolment == enrolment and attendance.method == "card"
    with pytest.raises(ValidationError) as twice:
        services.attendance_scan(actor=trainer, session=session, code=enrolment.card_code.lower(), now=during)
    assert code_of(twice.value) == "already_checked_in" and "不能重复签到" in str(twice.value)
    assert Attendance.objects.filter(session=session, enrolment=enrolment).count() == 1
    # Typed from the card, in groups of four: accepted for the next session.
    grouped = " ".join(enrolment.card_code[i : i + 4] for i in range(0, len(enrolment.card_code), 4))
    next_session = learning.academy.sessions[1]
    services.attendance_scan(
        actor=trainer,
        session=next_session,
        code=grouped,
        now=next_session.starts_at + dt.timedelta(minutes=1),
    )
    third = learning.academy.sessions[2]
    for code, now, reason in (
        ("NOTACODE", third.starts_at + dt.timedelta(minutes=20), "bad_code"),
        (enrolment.card_code, third.starts_at - dt.timedelta(minutes=5), None),
        (enrolment.card_code, third.ends_at + dt.timedelta(minutes=5), "outside_window"),
    ):
        with pytest.raises(ValidationError) as error:
            services.attendance_scan(actor=trainer, session=third, code=code, now=now)
        if reason:
            assert code_of(error.value) == reason
    stranger = Cohort.objects.exclude(pk=session.cohort_id).first().enrolments.first()
    with pytest.raises(ValidationError) as error:
        services.attendance_scan(actor=trainer, session=session, code=stranger.card_code, now=during)
    assert code_of(error.value) == "other_cohort"
    for user in (learning.cast.firm_admin, learning.trainee, learning.academy.other_school_staff):
        with pytest.raises(PermissionDenied):
            services.attendance_scan(actor=user, session=session, code=enrolment.card_code, now=during)


def test_the_scan_page_card_page_and_card_pdf(learning, client):
    session = learning.academy.sessions[0]
    now = timezone.now()
    session.starts_at, session.ends_at = now - dt.timedelta(minutes=5), now + dt.timedelta(hours=1)
    session.save()
    client.force_login(learning.cast.expert_user)
    page = client.get(f"/academy/sessions/{session.pk}/scan/").content.decode()
    assert (
        'id="id_code"' in page and "camera scanner: lead wires core include here" not in page
    )  # a template comment
    response = client.post(f"/academy/sessions/{session.pk}/scan/", {"code": "WRONG"})
    assert response.status_code == 200 and "无法识别的学员码" in response.content.decode()
    done = client.post(
        f"/academy/sessions/{session.pk}/scan/", {"code": learning.enrolment.card_code}, follow=True
    )
    assert "签到成功" in done.content.decode() and session.attendances.count() == 1
    owner = client.__class__()
    owner.force_login(learning.trainee)
    card = owner.get(f"/academy/enrolments/{learning.enrolment.pk}/card/").content.decode()
    assert "<svg" in card and learning.enrolment.card_code[:4] in card
    pdf = owner.get(f"/academy/enrolments/{learning.enrolment.pk}/card.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    public = client.__class__().get(f"/verify/trainee-card/{learning.enrolment.card_code}/").content.decode()
    assert "陈**" in public and "陈立新" not in public


def test_existing_enrolments_each_get_their_own_card_code(learning):
    codes = list(learning.academy.cohort.enrolments.values_list("card_code", flat=True))
    assert len(codes) == len(set(codes)) >= 2 and all(len(code) == 18 for code in codes)


# Role matrix of the new pages -------------------------------------------------------------------

TEACHERS = frozenset({"operator", "school_staff", "expert"})
#: The routes of this file's matrix (``test_views`` checks every academy route is in one of the two).
LEARNING_ROUTES = frozenset(
    f"academy:{name}"
    for name in (
        "cohort_learning",
        "material_add",
        "session_scan",
        "material_open",
        "question_list",
        "question_add",
        "question_import",
        "question_template",
        "question_edit",
        "quiz_add",
        "quiz_detail",
        "quiz_edit",
        "attempt_detail",
        "enrolment_card",
        "enrolment_card_pdf",
        "quiz_start",
        "question_archive",
        "material_archive",
    )
)


def learning_cases(w: Learning, quiz: Any, attempt: Any, material: Any, question: Any) -> list[RouteCase]:
    cohort, session, course = w.academy.cohort.pk, w.academy.sessions[0].pk, w.academy.course.pk
    e = w.enrolment.pk
    post302 = {"method": "post", "ok_status": (302,)}
    own_enrolment = frozenset({"operator", "school_staff", "firm_admin", "talent_officer", "trainee"})
    return [
        RouteCase("academy:cohort_learning", f"/academy/cohorts/{cohort}/learning/", TEACHERS | {"trainee"}),
        RouteCase("academy:material_add", f"/academy/sessions/{session}/materials/new/", TEACHERS),
        RouteCase("academy:session_scan", f"/academy/sessions/{session}/scan/", TEACHERS),
        RouteCase(
            "academy:material_open",
            f"/academy/materials/{material.pk}/",
            TEACHERS | {"trainee"},
            ok_status=(302,),
        ),
        RouteCase("academy:question_list", f"/academy/courses/{course}/questions/", TEACHERS),
        RouteCase("academy:question_add", f"/academy/courses/{course}/questions/new/", TEACHERS),
        RouteCase("academy:question_import", f"/academy/courses/{course}/questions/import/", TEACHERS),
        RouteCase("academy:question_template", f"/academy/courses/{course}/questions/template/", TEACHERS),
        RouteCase("academy:question_edit", f"/academy/questions/{question.pk}/edit/", TEACHERS),
        RouteCase("academy:quiz_add", f"/academy/courses/{course}/quizzes/new/", TEACHERS),
        RouteCase("academy:quiz_detail", f"/academy/quizzes/{quiz.pk}/", TEACHERS | {"trainee"}),
        RouteCase("academy:quiz_edit", f"/academy/quizzes/{quiz.pk}/edit/", TEACHERS),
        RouteCase("academy:attempt_detail", f"/academy/attempts/{attempt.pk}/", TEACHERS | {"trainee"}),
        RouteCase("academy:enrolment_card", f"/academy/enrolments/{e}/card/", own_enrolment),
        RouteCase("academy:enrolment_card_pdf", f"/academy/enrolments/{e}/card.pdf", own_enrolment),
        # Writes last: they change what the reads above see.
        RouteCase(
            "academy:quiz_start", f"/academy/quizzes/{quiz.pk}/start/", TEACHERS | {"trainee"}, **post302
        ),
        RouteCase(
            "academy:question_archive", f"/academy/questions/{question.pk}/archive/", TEACHERS, **post302
        ),
        RouteCase(
            "academy:material_archive", f"/academy/materials/{material.pk}/archive/", TEACHERS, **post302
        ),
    ]


def test_learning_role_matrix(learning):
    quiz = quiz_for(learning, max_attempts=3)
    attempt = services.quiz_start(actor=learning.trainee, quiz=quiz)
    material = services.material_add(
        actor=learning.academy.school_staff,
        session=learning.academy.sessions[0],
        kind="link",
        title="参考",
        url="https://example.cn/a",
    )
    cases = learning_cases(learning, quiz, attempt, material, learning.questions[0])
    assert {case.name for case in cases} == LEARNING_ROUTES
    problems = check_matrix(learning, cases)
    assert not problems, "\n".join(problems)
