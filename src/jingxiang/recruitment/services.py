"""Writes of campus recruitment: keyword-only, authorised here, one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.accounts.models import Channel
from jingxiang.accounts.services import otp_consume, otp_issue, otp_verify
from jingxiang.core.documents import new_verification_code
from jingxiang.core.numbering import next_number
from jingxiang.core.services import notification_send
from jingxiang.core.texts import Text
from jingxiang.core.timerules import enforce_time_rules
from jingxiang.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
)
from jingxiang.organisations.permissions import FIRM_MANAGERS, is_operator, managed_firm_ids
from jingxiang.recruitment import selectors, texts
from jingxiang.recruitment.models import (
    DEGREE_RANK,
    HOLDS_PLACE,
    Application,
    ApplicationStatus,
    ClassTime,
    Degree,
    Fair,
    FairFirm,
    FairFirmStatus,
    FairStatus,
    InterviewSlot,
    Job,
    RunStatus,
    ScheduleRun,
    Student,
    TalentTier,
)
from jingxiang.recruitment.rules import CLASS_RULES, FAIR_RULES

SCHEDULE_JOB_KIND = "recruitment_schedule"
OTP_PURPOSE_REGISTER = "recruitment_register"
OTP_PURPOSE_LOGIN = "recruitment_login"
CV_MAX_BYTES = 5 * 1024 * 1024
FAIR_FIELDS = (
    "title",
    "university",
    "fair_date",
    "venue",
    "description",
    "booths",
    "interviews_from",
    "interviews_until",
    "slot_minutes",
    "region",
)
JOB_FIELDS = (
    "post",
    "skill_level",
    "degree",
    "headcount",
    "salary_min",
    "salary_max",
    "location",
    "description",
)
STUDENT_FIELDS = ("name", "school", "major", "degree", "graduation_year", "resident_id")

#: Who may move an application from one status to the next (firm side).
FIRM_MOVES = {
    ApplicationStatus.SCREENED: {ApplicationStatus.APPLIED},
    ApplicationStatus.INTERVIEW: {ApplicationStatus.APPLIED, ApplicationStatus.SCREENED},
    ApplicationStatus.REJECTED: {
        ApplicationStatus.APPLIED,
        ApplicationStatus.SCREENED,
        ApplicationStatus.INTERVIEW,
    },
}


def _require_operator(actor: Any) -> None:
    if not is_operator(actor):
        raise PermissionDenied


def _require_firm(actor: Any, firm_id: int) -> None:
    if firm_id not in managed_firm_ids(actor) and not is_operator(actor):
        raise PermissionDenied


def _notify(user: Any, message: Text, url: str) -> None:
    notification_send(recipient=user, message=message, url=url, kind="recruitment")


def _firm_managers(firm_id: int) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.active()
        .filter(organisation_id=firm_id, role__in=FIRM_MANAGERS)
        .select_related("user")
    ]


# Fairs --------------------------------------------------------------------------------------------


def _slots_for(fair: Fair) -> list[InterviewSlot]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(fair.fair_date, fair.interviews_from, tzinfo=tz)
    end = dt.datetime.combine(fair.fair_date, fair.interviews_until, tzinfo=tz)
    step = dt.timedelta(minutes=fair.slot_minutes)
    slots = []
    while start + step <= end:
        slots.append(InterviewSlot(fair=fair, starts_at=start, ends_at=start + step))
        start += step
    return slots


@transaction.atomic
def fair_create(*, actor: Any, data: dict[str, Any]) -> Fair:
    """The operator creates a fair at a university; its interview slots follow from the hours given."""
    _require_operator(actor)
    university = data["university"]
    if university.kind != OrganisationKind.UNIVERSITY:
        raise ValidationError({"university": _("请选择一所高校。")})
    check = enforce_time_rules(FAIR_RULES, data, actor=actor, reason=data.get("backdate_reason", ""))
    if not 5 <= int(data["slot_minutes"]) <= 120:
        raise ValidationError({"slot_minutes": _("每场面试须在 5 到 120 分钟之间。")})
    fair = Fair(created_by=actor, public_code=new_verification_code())
    for name in FAIR_FIELDS:
        setattr(fair, name, data[name] if name in data else getattr(fair, name))
    fair.full_clean(exclude=["public_code", "created_by"])
    fair.save()
    slots = _slots_for(fair)
    if not slots:
        raise ValidationError({"interviews_until": _("面试时间太短,排不下一场面试。")})
    InterviewSlot.objects.bulk_create(slots)
    check.record(fair)
    return fair


@transaction.atomic
def fair_open(*, actor: Any, fair: Fair) -> Fair:
    """Open the fair: its public page takes registrations and applications."""
    _require_operator(actor)
    fair = Fair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    if fair.status != FairStatus.DRAFT:
        raise ValidationError(_("只有筹备中的招聘会可以开放。"), code="not_draft")
    fair.status = FairStatus.OPEN
    fair.save(update_fields=["status", "updated_at"])
    return fair


@transaction.atomic
def fair_close(*, actor: Any, fair: Fair) -> Fair:
    _require_operator(actor)
    fair = Fair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    fair.status = FairStatus.CLOSED
    fair.save(update_fields=["status", "updated_at"])
    return fair


@transaction.atomic
def firm_invite(*, actor: Any, fair: Fair, firms: Iterable[Organisation]) -> list[FairFirm]:
    """The operator invites approved firms (inviting one twice changes nothing)."""
    _require_operator(actor)
    invited = []
    for firm in firms:
        if firm.kind != OrganisationKind.FIRM or firm.status != OrganisationStatus.APPROVED:
            raise ValidationError(_("%(name)s 不是已认证的企业。") % {"name": firm.name}, code="not_firm")
        row, _created = FairFirm.objects.get_or_create(fair=fair, firm=firm)
        invited.append(row)
    return invited


@transaction.atomic
def fair_join(*, actor: Any, fair_firm: FairFirm) -> FairFirm:
    """An invited firm signs up and gets the lowest free booth (booths counted under the fair's lock)."""
    _require_firm(actor, fair_firm.firm_id)
    fair = Fair.objects.select_for_update(of=("self",)).get(pk=fair_firm.fair_id)
    fair_firm = FairFirm.objects.select_for_update(of=("self",)).get(pk=fair_firm.pk)
    if fair.status == FairStatus.CLOSED:
        raise ValidationError(_("招聘会已结束。"), code="closed")
    if fair_firm.status == FairFirmStatus.JOINED:
        return fair_firm
    taken = set(fair.firms.exclude(booth=None).values_list("booth", flat=True))
    free = [n for n in range(1, fair.booths + 1) if n not in taken]
    if not free:
        raise ValidationError(_("展位已满,请联系运营人员增加展位。"), code="full")
    fair_firm.status = FairFirmStatus.JOINED
    fair_firm.booth = free[0]
    fair_firm.save(update_fields=["status", "booth", "updated_at"])
    return fair_firm


# Jobs ---------------------------------------------------------------------------------------------


@transaction.atomic
def job_post(*, actor: Any, fair_firm: FairFirm, data: dict[str, Any]) -> Job:
    """A signed-up firm posts a job. The salary range is checked against the skill-level wage norm
    (where the industry agreement applies) or the statutory minimum: below the statutory minimum is
    refused; below the agreed norm is posted but flagged, and the firm is told."""
    _require_firm(actor, fair_firm.firm_id)
    if fair_firm.status != FairFirmStatus.JOINED:
        raise ValidationError(_("企业报名参会后才能发布岗位。"), code="not_joined")
    if fair_firm.fair.status == FairStatus.CLOSED:
        raise ValidationError(_("招聘会已结束。"), code="closed")
    if data["salary_max"] < data["salary_min"]:
        raise ValidationError({"salary_max": _("月薪上限不能低于下限。")})
    job = Job(fair_firm=fair_firm)
    for name in JOB_FIELDS:
        setattr(job, name, data.get(name, getattr(job, name)))
    floor = selectors.wage_floor(
        post=job.post, skill_level=job.skill_level, region=fair_firm.fair.region, day=fair_firm.fair.fair_date
    )
    if floor is not None:
        job.wage_floor = floor.amount
        job.wage_basis = floor.basis[:200]
        if job.salary_min < floor.amount:
            if not floor.is_norm:
                raise ValidationError(
                    {
                        "salary_min": _("月薪下限 %(min)s 元低于%(basis)s %(floor)s 元,不能发布。")
                        % {"min": job.salary_min, "basis": floor.basis, "floor": floor.amount}
                    }
                )
            job.below_norm = True
    job.full_clean(exclude=["fair_firm"])
    job.save()
    return job


def job_wage_message(job: Job) -> str:
    """What the firm is told after posting: whether the range meets the applicable standard."""
    if job.below_norm:
        return _("岗位已发布,但月薪下限 %(min)s 元低于%(basis)s %(floor)s 元,请考虑上调。") % {
            "min": job.salary_min,
            "basis": job.wage_basis,
            "floor": job.wage_floor,
        }
    return _("岗位已发布。")


@transaction.atomic
def job_archive(*, actor: Any, job: Job) -> Job:
    _require_firm(actor, job.fair_firm.firm_id)
    job.archived_at = timezone.now()
    job.save(update_fields=["archived_at", "updated_at"])
    return job


# Students -----------------------------------------------------------------------------------------


def _code_message(code: str, minutes: int) -> tuple[str, str]:
    text = _("【镜享】您的校园招聘验证码是 %(code)s,%(minutes)s 分钟内有效。") % {
        "code": code,
        "minutes": minutes,
    }
    return _("校园招聘验证码"), text


def student_code_send(*, mobile: str, login: bool = False, ip: str | None = None) -> None:
    """Send a one-time code to register (refused if the number is already registered) or to sign in."""
    registered = Student.objects.filter(mobile=mobile).exists() or (
        get_user_model().objects.filter(mobile=mobile).exists()
    )
    if not login and registered:
        raise ValidationError({"mobile": _("该手机号已注册,请直接用验证码登录。")}, code="registered")
    if login and not Student.objects.filter(mobile=mobile).exists():
        raise ValidationError({"mobile": _("该手机号尚未注册。")}, code="unknown")
    try:
        otp_issue(
            purpose=OTP_PURPOSE_LOGIN if login else OTP_PURPOSE_REGISTER,
            channel=Channel.SMS,
            destination=mobile,
            message=_code_message,
            ip=ip,
        )
    except ValidationError as error:
        raise ValidationError({"mobile": error.messages}) from error


def student_register(*, mobile: str, code: str, data: dict[str, Any], ip: str | None = None) -> Student:
    """Register a student with the code sent to their mobile: a login without a password and a profile.

    One mobile, one student: a second registration is refused. An academy order-class (订单培养) trainee
    with the same mobile is flagged at once, so a hire counts towards the order."""
    try:
        row = otp_verify(
            purpose=OTP_PURPOSE_REGISTER,
            channel=Channel.SMS,
            destination=mobile,
            code=code,
            ip=ip,
            consume=False,
        )
    except ValidationError as error:
        raise ValidationError({"code": error.messages}) from error
    try:
        return _student_create(mobile, data, row)
    except IntegrityError as error:
        raise ValidationError(
            {"mobile": _("该手机号已注册,请直接用验证码登录。")}, code="registered"
        ) from error


@transaction.atomic
def _student_create(mobile: str, data: dict[str, Any], row: Any) -> Student:
    if (
        Student.objects.filter(mobile=mobile).exists()
        or get_user_model().objects.filter(mobile=mobile).exists()
    ):
        raise ValidationError({"mobile": _("该手机号已注册,请直接用验证码登录。")}, code="registered")
    user = get_user_model()(
        username=f"stu{mobile}", mobile=mobile, verified_mobile=mobile, display_name=data["name"]
    )
    user.set_unusable_password()
    user.save()
    student = Student(user=user, mobile=mobile)
    for name in STUDENT_FIELDS:
        setattr(student, name, data.get(name) or "")
    enrolment = selectors.order_enrolment_for(mobile)
    student.order_enrolment = enrolment
    student.full_clean(exclude=["user", "order_enrolment", "cv"])
    student.save()
    otp_consume(code=row)
    return student


def student_login(*, mobile: str, code: str, ip: str | None = None) -> Student:
    """Check a sign-in code; the view then logs the student in."""
    student = Student.objects.filter(mobile=mobile).select_related("user").first()
    try:
        otp_verify(purpose=OTP_PURPOSE_LOGIN, channel=Channel.SMS, destination=mobile, code=code, ip=ip)
    except ValidationError as error:
        raise ValidationError({"code": error.messages}) from error
    if student is None:
        raise ValidationError({"mobile": _("该手机号尚未注册。")})
    return student


def _own_student(actor: Any) -> Student:
    student = Student.objects.filter(user__pk=getattr(actor, "pk", None) or 0).first()
    if student is None:
        raise PermissionDenied
    return student


def check_pdf(upload: UploadedFile[Any]) -> None:
    """A CV must be a PDF (by its first bytes, not only its name) and at most 5 MB."""
    if upload.size is None or upload.size > CV_MAX_BYTES:
        raise ValidationError({"cv": _("简历不能超过 5 MB。")}, code="too_big")
    if upload.size == 0:
        raise ValidationError({"cv": _("简历文件是空的。")}, code="empty")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if not (upload.name or "").lower().endswith(".pdf") or head != b"%PDF-":
        raise ValidationError({"cv": _("简历只能是 PDF 文件。")}, code="not_pdf")


@transaction.atomic
def cv_upload(*, actor: Any, cv: UploadedFile[Any]) -> Student:
    """The student uploads (or replaces) their CV."""
    student = _own_student(actor)
    check_pdf(cv)
    student.cv.save(f"cv-{student.pk}.pdf", cv, save=False)
    student.save(update_fields=["cv", "updated_at"])
    return student


@transaction.atomic
def class_time_add(*, actor: Any, fair: Fair, starts_at: dt.datetime, ends_at: dt.datetime) -> ClassTime:
    """A student marks a class on the fair day; no interview is scheduled over it."""
    student = _own_student(actor)
    enforce_time_rules(CLASS_RULES, {"starts_at": starts_at, "ends_at": ends_at}, actor=actor)
    return ClassTime.objects.create(student=student, fair=fair, starts_at=starts_at, ends_at=ends_at)


@transaction.atomic
def apply(*, actor: Any, jobs: list[Job]) -> list[Application]:
    """Apply to several jobs of open fairs in one go; a duplicate refuses the whole request."""
    student = _own_student(actor)
    if not jobs:
        raise ValidationError({"jobs": _("请至少选择一个岗位。")})
    if not student.cv:
        raise ValidationError({"jobs": _("请先上传 PDF 简历再投递。")}, code="no_cv")
    problems = []
    already = set(student.applications.filter(job__in=jobs).values_list("job_id", flat=True))
    for job in jobs:
        if job.archived_at or job.fair_firm.fair.status != FairStatus.OPEN:
            problems.append(_("%(job)s 已停止招聘。") % {"job": job})
        elif job.pk in already:
            problems.append(_("您已投递过 %(job)s,不能重复投递。") % {"job": job})
    if problems:
        raise ValidationError({"jobs": problems}, code="duplicate")
    return [Application.objects.create(student=student, job=job) for job in jobs]


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application) -> Application:
    student = _own_student(actor)
    app: Application = Application.objects.select_for_update(of=("self",)).get(
        pk=application.pk, student=student
    )
    if app.status not in {ApplicationStatus.APPLIED, ApplicationStatus.SCREENED, ApplicationStatus.INTERVIEW}:
        raise ValidationError(_("当前状态不能撤回。"), code="status")
    app.status = ApplicationStatus.WITHDRAWN
    app.slot = None
    app.save(update_fields=["status", "slot", "updated_at"])
    return app


# Per-firm pipeline ---------------------------------------------------------------------------------


def _firm_app(actor: Any, pk: int) -> Application:
    app: Application = (
        Application.objects.select_for_update(of=("self",)).select_related("job__fair_firm").get(pk=pk)
    )
    _require_firm(actor, app.job.fair_firm.firm_id)
    return app


@transaction.atomic
def applications_move(
    *, actor: Any, applications: Iterable[Application], status: str, reason: str = ""
) -> list[Application]:
    """Bulk action of a firm: screen, invite to interview or reject (with a reason). All or nothing."""
    if status not in ApplicationStatus.values or ApplicationStatus(status) not in FIRM_MOVES:
        raise ValidationError(_("不支持的操作。"), code="status")
    allowed = FIRM_MOVES[ApplicationStatus(status)]
    if status == ApplicationStatus.REJECTED and not reason.strip():
        raise ValidationError({"reason": _("请填写未通过的原因。")}, code="reason")
    moved = []
    for application in applications:
        app = _firm_app(actor, application.pk)
        if app.status not in allowed:
            raise ValidationError(
                _("%(who)s 当前为「%(s)s」,不能改为「%(t)s」。")
                % {
                    "who": app.student.masked_name,
                    "s": app.get_status_display(),
                    "t": ApplicationStatus(status).label,
                },
                code="status",
            )
        app.status = status
        if status == ApplicationStatus.REJECTED:
            app.reject_reason = reason.strip()[:200]
            app.slot = None
        app.save(update_fields=["status", "reject_reason", "slot", "updated_at"])
        moved.append(app)
    if not moved:
        raise ValidationError(_("请至少选择一份申请。"), code="empty")
    return moved


@transaction.atomic
def application_note(*, actor: Any, application: Application, note: str) -> Application:
    app = _firm_app(actor, application.pk)
    app.note = note.strip()
    app.save(update_fields=["note", "updated_at"])
    return app


@transaction.atomic
def interview_place(*, actor: Any, application: Application, slot: InterviewSlot) -> Application:
    """Place one interview by hand; a slot where the student or the firm's booth is busy is refused."""
    app = _firm_app(actor, application.pk)
    if app.status != ApplicationStatus.INTERVIEW:
        raise ValidationError(_("先把申请改为「面试」再安排时段。"), code="status")
    if slot.fair_id != app.job.fair_firm.fair_id:
        raise ValidationError({"slot": _("请选择本招聘会的面试时段。")})
    # Lock the slot's interviews so two placements cannot take the same booth at once.
    list(Application.objects.select_for_update(of=("self",)).filter(slot=slot).values_list("pk", flat=True))
    reason = selectors.slot_taken(
        slot=slot, student_id=app.student_id, firm_id=app.job.fair_firm.firm_id, exclude_pk=app.pk
    )
    if reason:
        raise ValidationError({"slot": reason}, code="double_booked")
    app.slot = slot
    app.save(update_fields=["slot", "updated_at"])
    _notify(
        app.student.user,
        texts.INTERVIEW_SET(firm=app.job.fair_firm.firm.name, slot=str(slot)),
        reverse("recruitment:mine"),
    )
    return app


@transaction.atomic
def schedule_start(*, actor: Any, fair: Fair) -> ScheduleRun:
    """Queue the interview scheduler as a background job (operator)."""
    from jingxiang.jobs.services import job_enqueue

    _require_operator(actor)
    fair = Fair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    if not Application.objects.filter(job__fair_firm__fair=fair, status=ApplicationStatus.INTERVIEW).exists():
        raise ValidationError(_("还没有待面试的申请,无需排程。"), code="nothing")
    recent = timezone.now() - dt.timedelta(minutes=15)
    if fair.runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING], created_at__gt=recent).exists():
        raise ValidationError(_("已有排程任务在进行,请等待完成。"), code="running")
    run = ScheduleRun.objects.create(fair=fair, created_by=actor)
    run.job = job_enqueue(
        kind=SCHEDULE_JOB_KIND,
        title=texts.SCHEDULE_TITLE(fair=fair.title),
        created_by=actor,
        params={"run_id": run.pk},
    )
    run.save(update_fields=["job", "updated_at"])
    return run


def schedule_compute(*, run_id: int, progress: Callable[[int, Text], None]) -> ScheduleRun:
    """Solve students × booths × slots with the scheduling engine, check it with the independent
    validator, and place the interviews (kept placements are locked, so re-running never moves them)."""
    from jingxiang.scheduling import instance_from_json, schedule_to_json, solve, validate

    run = ScheduleRun.objects.select_related("fair").get(pk=run_id)
    ScheduleRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    data = selectors.schedule_instance(run.fair)
    instance = instance_from_json(data)
    progress(10, texts.SCHEDULE_SOLVING(m=len(instance.meetings)))
    schedule = solve(instance, time_limit_seconds=10)
    result = schedule_to_json(schedule)
    if schedule.status == "infeasible" or validate(data, result):
        ScheduleRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
        raise ValidationError(_("排程未通过校验。"), code="invalid")
    with transaction.atomic():
        placed = 0
        for assignment in schedule.assignments:
            placed += Application.objects.filter(
                pk=assignment.meeting_id, status=ApplicationStatus.INTERVIEW
            ).update(slot_id=assignment.slot, updated_at=timezone.now())
        unscheduled = [{"application": u.meeting_id, "reason": u.reason} for u in schedule.unscheduled]
        ScheduleRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, scheduled=len(schedule.assignments), unscheduled=unscheduled
        )
        for app in Application.objects.filter(
            pk__in=[a.meeting_id for a in schedule.assignments]
        ).select_related("slot", "job__fair_firm__firm", "student__user"):
            _notify(
                app.student.user,
                texts.INTERVIEW_SET(firm=app.job.fair_firm.firm.name, slot=str(app.slot)),
                reverse("recruitment:mine"),
            )
    run.refresh_from_db()
    return run


@transaction.atomic
def offer_make(*, actor: Any, application: Application, salary: Decimal) -> Application:
    """Offer the job. Refused beyond the job's headcount (counted under the job's lock) and below the
    job's salary range; an order-class trainee's offer is recorded in the academy too."""
    app = _firm_app(actor, application.pk)
    job = Job.objects.select_for_update(of=("self",)).get(pk=app.job_id)
    if app.status not in {ApplicationStatus.INTERVIEW, ApplicationStatus.SCREENED}:
        raise ValidationError(_("面试或筛选通过后才能发录用通知。"), code="status")
    if not job.salary_min <= salary <= job.salary_max:
        raise ValidationError(
            {
                "salary": _("录用月薪须在岗位月薪范围 %(a)s–%(b)s 元之内。")
                % {"a": job.salary_min, "b": job.salary_max}
            }
        )
    held = job.applications.filter(status__in=HOLDS_PLACE).count()
    if held >= job.headcount:
        raise ValidationError(
            _("该岗位招聘 %(n)s 人,已发出 %(m)s 份录用通知,不能再发。") % {"n": job.headcount, "m": held},
            code="headcount",
        )
    now = timezone.now()
    year = timezone.localdate().year
    app.status = ApplicationStatus.OFFER
    app.offer_salary = salary
    app.offered_at = now
    app.offer_number = f"ZP{year}-{next_number('recruitment-offer', year):05d}"
    app.offer_code = new_verification_code()
    app.save()
    _academy_offer(actor, app)
    _notify(
        app.student.user,
        texts.OFFER_MADE(firm=job.fair_firm.firm.name, post=job.post),
        reverse("recruitment:mine"),
    )
    return app


def _order_enrolment(app: Application) -> Any:
    """The student's order-class enrolment when the hiring firm is one of that order's firms."""
    enrolment = app.student.order_enrolment
    if enrolment is None or enrolment.cohort.order is None:
        return None
    if not enrolment.cohort.order.participants.filter(firm_id=app.job.fair_firm.firm_id).exists():
        return None
    return enrolment


def _academy_offer(actor: Any, app: Application) -> None:
    from jingxiang.academy.models import EnrolmentStatus
    from jingxiang.academy.services import enrolment_offer

    enrolment = _order_enrolment(app)
    active = (EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED)
    if enrolment is not None and enrolment.status in active and not enrolment.hired_by_id:
        enrolment_offer(actor=actor, enrolment=enrolment, firm=app.job.fair_firm.firm)


@transaction.atomic
def offer_respond(*, actor: Any, application: Application, accept: bool) -> Application:
    """The student accepts or declines the offer online."""
    student = _own_student(actor)
    app: Application | None = (
        Application.objects.select_for_update(of=("self",)).filter(pk=application.pk, student=student).first()
    )
    if app is None:
        raise PermissionDenied
    if app.status != ApplicationStatus.OFFER:
        raise ValidationError(_("这份录用通知已答复或已撤回。"), code="status")
    app.status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.DECLINED
    app.decided_at = timezone.now()
    app.save(update_fields=["status", "decided_at", "updated_at"])
    answer = _("接受") if accept else _("婉拒")
    for user in _firm_managers(app.job.fair_firm.firm_id):
        _notify(
            user,
            texts.OFFER_ANSWERED(name=student.masked_name, answer=answer),
            reverse("recruitment:application", args=[app.pk]),
        )
    return app


@transaction.atomic
def offer_revoke(*, actor: Any, application: Application, reason: str) -> Application:
    """The firm takes back an offer the student has not yet turned into a hire (unanswered or accepted),
    with a reason the student is told. The place it held on the job's headcount is freed, the letter's
    public verification page then says it is no longer valid, and an order-class trainee's offer in the
    academy is cleared so the order's pipeline does not count it."""
    app = _firm_app(actor, application.pk)
    Job.objects.select_for_update(of=("self",)).get(pk=app.job_id)
    app.refresh_from_db()
    if app.status not in {ApplicationStatus.OFFER, ApplicationStatus.ACCEPTED}:
        raise ValidationError(_("只能撤销尚未入职的录用通知。"), code="status")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因,学生会收到这条说明。")})
    app.status = ApplicationStatus.OFFER_REVOKED
    app.offer_revoked_at = timezone.now()
    app.offer_revoke_reason = reason
    app.save(update_fields=["status", "offer_revoked_at", "offer_revoke_reason", "updated_at"])
    enrolment = _order_enrolment(app)
    if enrolment is not None and enrolment.offer_firm_id == app.job.fair_firm.firm_id:
        from jingxiang.academy.services import enrolment_offer_clear

        enrolment_offer_clear(actor=actor, enrolment=enrolment, firm=app.job.fair_firm.firm)
    _notify(
        app.student.user,
        texts.OFFER_REVOKED(firm=app.job.fair_firm.firm.name, post=app.job.post, reason=reason),
        reverse("recruitment:mine"),
    )
    return app


@transaction.atomic
def hire_record(*, actor: Any, application: Application, hired_on: dt.date, tier: str = "") -> Application:
    """An accepted offer becomes platform records: a talent profile (the student's own login), a
    membership in the firm, the academy order's fulfilment for an order-class trainee, and the
    high-level talent facts (degree ≥ master, Taizhou tier)."""
    from jingxiang.academy.models import EnrolmentStatus
    from jingxiang.academy.services import enrolment_hire
    from jingxiang.organisations.services import membership_grant
    from jingxiang.talents.models import Talent, TalentKind
    from jingxiang.talents.services import talent_create

    app = _firm_app(actor, application.pk)
    if app.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(_("学生接受录用通知后才能登记入职。"), code="status")
    if hired_on > timezone.localdate():
        raise ValidationError({"hired_on": _("入职日期不能晚于今天。")})
    if hired_on < timezone.localtime(app.offered_at).date():
        raise ValidationError({"hired_on": _("入职日期不能早于发出录用通知的日期。")})
    if tier not in TalentTier.values:
        raise ValidationError({"tier": _("请选择台州人才层次。")})
    student = app.student
    firm = app.job.fair_firm.firm
    talent = Talent.objects.filter(user=student.user).first()
    enrolment = _order_enrolment(app)
    if talent is None and enrolment is not None and enrolment.talent.user_id is None:
        talent = enrolment.talent
    level_text = str(TalentTier(tier).label) if tier else ""
    if talent is None:
        talent = talent_create(
            actor=actor,
            name=student.name,
            kind=TalentKind.TECHNICIAN,
            home_organisation=firm,
            mobile=student.mobile,
            level=level_text,
            title=app.job.post,
            region=app.job.fair_firm.fair.region,
        )
    if talent.user_id is None:
        # The student's own login becomes the talent's, so they see their profile and agreements.
        Talent.objects.filter(pk=talent.pk).update(user=student.user)
    membership_grant(actor=actor, organisation=firm, user=student.user, role=Role.MEMBER)
    if enrolment is not None and enrolment.status == EnrolmentStatus.GRADUATED and not enrolment.hired_by_id:
        enrolment_hire(actor=actor, enrolment=enrolment, firm=firm, hired_on=hired_on)
    app.status = ApplicationStatus.HIRED
    app.hired_on = hired_on
    app.talent = talent
    app.talent_tier = tier
    app.high_level = bool(tier) or DEGREE_RANK[student.degree] >= DEGREE_RANK[Degree.MASTER]
    app.save()
    return app


def retention_remind(due_date: dt.date) -> int:
    """Daily duty: remind the firm's managers 6 and 12 months after a hire (once each; idempotent)."""
    sent = 0
    hires = Application.objects.filter(status=ApplicationStatus.HIRED, hired_on__isnull=False).select_related(
        "student", "job__fair_firm"
    )
    for months, field in ((6, "retention_6m_reminded"), (12, "retention_12m_reminded")):
        for app in hires.filter(**{f"{field}__isnull": True}):
            if app.hired_on is None or selectors.months_after(app.hired_on, months) > due_date:
                continue
            with transaction.atomic():
                if not Application.objects.filter(pk=app.pk, **{f"{field}__isnull": True}).update(
                    **{field: due_date}
                ):
                    continue
                for user in _firm_managers(app.job.fair_firm.firm_id):
                    _notify(
                        user,
                        texts.RETENTION_DUE(name=app.student.masked_name, months=months),
                        reverse("recruitment:application", args=[app.pk]),
                    )
                sent += 1
    return sent
