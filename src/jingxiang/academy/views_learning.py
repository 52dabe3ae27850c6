"""Pages of the academy's online learning (issue 21): session materials, the question bank, quizzes and
their attempts, the trainee card and the trainer's card check-in. Thin: permissions decide, services write."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.academy import documents, forms, services, texts
from jingxiang.academy.handlers import IMPORT_QUESTIONS
from jingxiang.academy.imports import QuestionImport
from jingxiang.academy.models import Question, QuizAttempt
from jingxiang.academy.permissions import (
    access_attempt,
    access_cohort,
    access_course_bank,
    access_enrolment,
    access_material,
    access_question,
    access_quiz,
    access_session,
    may_add_material,
    may_manage_provider,
    may_see_names,
    may_teach,
    quiz_enrolment,
    trainee_enrolment,
)
from jingxiang.academy.selectors import (
    attempt_paper,
    attempt_review,
    cohort_learning,
    cohort_quizzes,
    quiz_standing,
)
from jingxiang.accounts.actors import SignedInRequest
from jingxiang.core.documents import qr_svg, verification_url
from jingxiang.core.excel import xlsx_response
from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.identifiers import mask_name
from jingxiang.jobs.forms import ImportUploadForm
from jingxiang.jobs.services import job_enqueue

# Materials --------------------------------------------------------------------------------------


@login_required
def cohort_learning_page(request: HttpRequest, pk: int) -> HttpResponse:
    """学习资料与测验: every session's materials and the cohort's quizzes, for its trainees and teachers."""
    cohort = access_cohort(request.user, pk)
    teacher = may_teach(request.user, cohort.course)
    enrolment = trainee_enrolment(request.user, [cohort.pk])
    if not teacher and enrolment is None:
        raise Http404
    quizzes = list(cohort_quizzes(cohort, include_archived=teacher))
    rows = [
        {"quiz": quiz, "standing": quiz_standing(quiz, enrolment) if enrolment is not None else None}
        for quiz in quizzes
    ]
    sessions = [
        {
            "session": session,
            "materials": materials,
            "can_add": teacher and may_add_material(request.user, session),
        }
        for session, materials in cohort_learning(cohort)
    ]
    return render_page(
        request,
        "academy/learning.html",
        {
            "cohort": cohort,
            "course": cohort.course,
            "sessions": sessions,
            "quizzes": rows,
            "teacher": teacher,
            "enrolment": enrolment,
        },
    )


@login_required
def material_add(request: SignedInRequest, pk: int) -> HttpResponse:
    session = access_session(request.user, pk)
    back = reverse("academy:cohort_learning", args=[session.cohort_id])
    return form_page(
        request,
        forms.MaterialForm(request.POST or None, request.FILES or None),
        save=lambda data: services.material_add(
            actor=request.user,
            session=session,
            kind=data["kind"],
            title=data["title"],
            file=data.get("file"),
            url=data.get("url") or "",
        ),
        success_url=back,
        success_message=_("资料已添加,本班学员现在可以查看。"),
        context={
            "title": _("添加课程资料:%(topic)s") % {"topic": session.topic},
            "back": back,
            "back_label": session.cohort.name,
            "multipart": True,
        },
    )


@login_required
def material_open(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A material: a file is sent only to those who may see it; a link goes to its address."""
    material = access_material(request.user, pk)
    if not material.file:
        return redirect(material.url)
    extension = material.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        material.file.open("rb"), as_attachment=True, filename=f"{material.title}.{extension}"
    )


@login_required
def material_archive(request: HttpRequest, pk: int) -> HttpResponse:
    material = access_material(request.user, pk, write=True)
    return action(
        request,
        lambda: services.material_archive(actor=request.user, material=material),
        success_url=reverse("academy:cohort_learning", args=[material.session.cohort_id]),
        success_message=_("资料已撤下(已归档,不再向学员显示)。"),
    )


# Question bank ----------------------------------------------------------------------------------

QUESTION_EXPORT = (
    ExportColumn(gettext_lazy("题型"), lambda q: q.get_kind_display()),
    ExportColumn(gettext_lazy("题目"), lambda q: q.text),
    *(
        ExportColumn(label, (lambda i: lambda q: q.options[i] if i < len(q.options) else "")(index))
        for index, label in enumerate(
            (
                gettext_lazy("选项A"),
                gettext_lazy("选项B"),
                gettext_lazy("选项C"),
                gettext_lazy("选项D"),
                gettext_lazy("选项E"),
                gettext_lazy("选项F"),
            )
        )
    ),
    ExportColumn(gettext_lazy("答案"), lambda q: q.answer_letters),
    ExportColumn(gettext_lazy("知识点"), lambda q: q.topic),
)

QUESTION_LIST = ListSpec(
    template="academy/question_list.html",
    partial="academy/_question_table.html",
    sort=("pk", "kind", "topic"),
    default_sort="pk",
    export=Export("questions", QUESTION_EXPORT),
)


@login_required
def question_list(request: HttpRequest, pk: int) -> HttpResponse:
    course = access_course_bank(request.user, pk)
    questions = Question.objects.filter(course=course, archived_at__isnull=True)
    quizzes = course.quizzes.select_related("session__cohort").order_by("-opens_at", "pk")
    return list_page(request, questions, QUESTION_LIST, {"course": course, "quizzes": quizzes})


@login_required
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = access_course_bank(request.user, pk)
    back = reverse("academy:question_list", args=[course.pk])
    return form_page(
        request,
        forms.QuestionForm(request.POST or None),
        save=lambda data: services.question_save(actor=request.user, course=course, data=data),
        success_url=back,
        success_message=_("题目已加入题库。"),
        context={"title": _("添加题目"), "back": back, "back_label": _("题库")},
    )


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = access_question(request.user, pk)
    back = reverse("academy:question_list", args=[question.course_id])
    return form_page(
        request,
        forms.QuestionForm(request.POST or None, initial=forms.QuestionForm.initial_for(question)),
        save=lambda data: services.question_save(
            actor=request.user, course=question.course, data=data, question=question
        ),
        success_url=back,
        success_message=_("已保存。"),
        context={"title": _("编辑题目"), "back": back, "back_label": _("题库")},
    )


@login_required
def question_archive(request: HttpRequest, pk: int) -> HttpResponse:
    question = access_question(request.user, pk)
    return action(
        request,
        lambda: services.question_archive(actor=request.user, question=question),
        success_url=reverse("academy:question_list", args=[question.course_id]),
        success_message=_("题目已移出题库(已归档)。"),
    )


@login_required
def question_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a bank in Excel: checked whole in a background job, saved only if every row is right."""
    course = access_course_bank(request.user, pk)
    back = reverse("academy:question_list", args=[course.pk])
    return form_page(
        request,
        ImportUploadForm(request.POST or None, request.FILES or None),
        save=lambda data: job_enqueue(
            kind=IMPORT_QUESTIONS,
            title=texts.QUESTIONS_TITLE(course=course.title, file=data["file"].name),
            created_by=request.user,
            params={"course_id": course.pk},
            input_file=data["file"],
        ),
        success_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        template="academy/question_import.html",
        context={
            "title": _("从 Excel 导入题库"),
            "back": back,
            "back_label": _("题库"),
            "submit_label": _("上传并校验"),
            "spec": QuestionImport(course),
            "course": course,
        },
    )


@login_required
def question_template(request: HttpRequest, pk: int) -> HttpResponse:
    course = access_course_bank(request.user, pk)
    return xlsx_response("academy-questions-template", QuestionImport(course).template())


# Quizzes ----------------------------------------------------------------------------------------


@login_required
def quiz_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = access_course_bank(request.user, pk)
    back = reverse("academy:question_list", args=[course.pk])
    return form_page(
        request,
        forms.QuizForm(request.POST or None, course=course),
        save=lambda data: services.quiz_save(actor=request.user, course=course, data=data),
        success_url=lambda quiz: reverse("academy:quiz_detail", args=[quiz.pk]),
        success_message=_("测验已创建。"),
        context={"title": _("新建在线测验"), "back": back, "back_label": _("题库")},
    )


@login_required
def quiz_edit(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = access_quiz(request.user, pk, write=True)
    back = reverse("academy:quiz_detail", args=[quiz.pk])
    initial = {
        name: getattr(quiz, name)
        for name in (
            "title",
            "session",
            "question_count",
            "pass_mark",
            "max_attempts",
            "opens_at",
            "closes_at",
        )
    }
    return form_page(
        request,
        forms.QuizForm(request.POST or None, initial=initial, course=quiz.course),
        save=lambda data: services.quiz_save(actor=request.user, course=quiz.course, data=data, quiz=quiz),
        success_url=back,
        success_message=_("已保存。"),
        context={"title": _("编辑测验"), "back": back, "back_label": quiz.title},
    )


def _attempt_export(show_names: bool) -> tuple[ExportColumn, ...]:
    def name(a: Any) -> str:
        return a.enrolment.talent.name if show_names else mask_name(a.enrolment.talent.name)

    return (
        ExportColumn(gettext_lazy("学员"), name),
        ExportColumn(gettext_lazy("班级"), lambda a: a.enrolment.cohort.name),
        ExportColumn(gettext_lazy("第几次"), lambda a: a.number),
        ExportColumn(gettext_lazy("开始时间"), lambda a: a.started_at),
        ExportColumn(gettext_lazy("交卷时间"), lambda a: a.submitted_at),
        ExportColumn(gettext_lazy("答对题数"), lambda a: a.correct),
        ExportColumn(gettext_lazy("题目总数"), lambda a: a.total),
        ExportColumn(gettext_lazy("得分"), lambda a: a.score),
        ExportColumn(
            gettext_lazy("及格"), lambda a: "" if a.passed is None else (_("是") if a.passed else _("否"))
        ),
    )


ATTEMPT_LIST = ListSpec(
    template="academy/quiz_detail.html",
    partial="academy/_attempt_table.html",
    sort=("started_at", "score", "number"),
    default_sort="-started_at",
)


@login_required
def quiz_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Trainee: the rules, a start button and their own history. Teachers: everyone's attempts."""
    quiz = access_quiz(request.user, pk)
    teacher = may_teach(request.user, quiz.course)
    enrolment = quiz_enrolment(request.user, quiz)
    attempts = QuizAttempt.objects.filter(quiz=quiz).select_related("enrolment__talent", "enrolment__cohort")
    if not teacher:
        attempts = attempts.filter(enrolment=enrolment)
    # Trainers are not academy staff: they see their own trainees' names on screen, the export masks them.
    show_names = may_see_names(request.user)
    spec = ListSpec(
        template=ATTEMPT_LIST.template,
        partial=ATTEMPT_LIST.partial,
        sort=ATTEMPT_LIST.sort,
        default_sort=ATTEMPT_LIST.default_sort,
        export=Export(f"quiz-{quiz.pk}-attempts", _attempt_export(show_names)),
    )
    return list_page(
        request,
        attempts,
        spec,
        {
            "quiz": quiz,
            "teacher": teacher,
            "standing": quiz_standing(quiz, enrolment) if enrolment is not None else None,
            "bank_size": quiz.course.questions.filter(archived_at__isnull=True).count(),
        },
    )


@login_required
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = access_quiz(request.user, pk)
    return action(
        request,
        lambda: services.quiz_start(actor=request.user, quiz=quiz),
        success_url=lambda attempt: reverse("academy:attempt_detail", args=[attempt.pk]),
        failure_url=reverse("academy:quiz_detail", args=[quiz.pk]),
    )


@login_required
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An unsubmitted attempt is its trainee's paper; a marked one shows the mark and each question."""
    attempt = access_attempt(request.user, pk)
    mine = attempt.enrolment.talent.user_id == request.user.pk
    quiz = attempt.quiz
    if attempt.submitted_at is None and mine:
        form = forms.QuizAnswerForm(request.POST or None, questions=attempt_paper(attempt))
        return form_page(
            request,
            form,
            save=lambda _data: services.quiz_submit(
                actor=request.user, attempt=attempt, answers=form.answers()
            ),
            success_url=request.path,
            success_message=_("已交卷,成绩已自动评出。"),
            template="academy/attempt_paper.html",
            context={
                "title": quiz.title,
                "quiz": quiz,
                "attempt": attempt,
                "back": reverse("academy:quiz_detail", args=[quiz.pk]),
                "back_label": quiz.title,
                "submit_label": _("交卷"),
            },
        )
    teacher = may_teach(request.user, quiz.course)
    standing = quiz_standing(quiz, attempt.enrolment)
    # The right answers are shown to teachers, and to the trainee once no attempt is left or the quiz closed.
    show_answers = teacher or standing["closed"] or (standing["left"] == 0 and standing["unfinished"] is None)
    return render_page(
        request,
        "academy/attempt_detail.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "review": attempt_review(attempt, show_answers=show_answers) if attempt.submitted_at else [],
            "show_answers": show_answers,
            "standing": standing,
            "mine": mine,
            "name": attempt.enrolment.talent.name,
        },
    )


# Trainee card and the trainer's check-in --------------------------------------------------------


@login_required
def enrolment_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainee's card on screen (its QR for the trainer to scan) with the printable PDF."""
    enrolment = access_enrolment(request.user, pk)
    url = verification_url("trainee-card", enrolment.card_code, request)
    return render_page(
        request,
        "academy/card.html",
        {
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "qr": qr_svg(url, scale=6),
            "code": documents.grouped_code(enrolment.card_code),
        },
    )


@login_required
def enrolment_card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access_enrolment(request.user, pk)
    response = HttpResponse(documents.trainee_card_pdf(enrolment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="trainee-card-{enrolment.pk}.pdf"'
    return response


@login_required
def session_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainer's check-in: scan (or type) a trainee's card code; the page stays for the next one."""
    session = access_session(request.user, pk)  # its trainers and academy only
    form = forms.CardScanForm(request.POST or None)
    checked_in = session.attendances.select_related("enrolment__talent").order_by("-created_at")
    return form_page(
        request,
        form,
        save=lambda data: services.attendance_scan(actor=request.user, session=session, code=data["code"]),
        success_url=request.path,
        success_message=lambda attendance: (
            _("%(name)s 签到成功。") % {"name": attendance.enrolment.talent.name}
        ),
        template="academy/session_scan.html",
        context={
            "title": _("扫学员码签到"),
            "session": session,
            "cohort": session.cohort,
            "back": reverse("academy:session_detail", args=[session.pk]),
            "back_label": session.topic,
            "submit_label": _("签到"),
            "checked_in": checked_in,
            "can_manage": may_manage_provider(request.user, session.cohort.course.provider_id),
        },
    )
