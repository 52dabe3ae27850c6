"""Writes of the academy. Each validates, authorises and runs in one transaction.

Rules enforced here (and named in the messages users see):
* a cohort never holds more people than its capacity: enrolling locks the cohort row, and anyone over
  capacity goes to the waitlist; a freed place goes to the first person waiting, who is notified;
* only attendees of enough sessions sit the assessment (rate kept per course);
* a certificate needs a passing assessment and the level's eligibility rules; its number comes from a
  per-year sequence allocated under a lock and is never reused, even after revocation;
* passing raises the person's skill record through ``talents.services.talent_skill_raise``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jingxiang.academy import texts
from jingxiang.academy.models import (
    COHORT_MOVES,
    WITHDRAWABLE,
    Assessment,
    Attendance,
    AttendanceMethod,
    Certificate,
    CertificateStatus,
    Cohort,
    CohortStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Material,
    Occupation,
    OccupationLevel,
    OrderParticipant,
    OrderStatus,
    Session,
    SubsidyOn,
    SubsidyRule,
    TrainingOrder,
)
from jingxiang.academy.permissions import (
    academy_org_ids,
    feedback_role,
    is_academy_staff,
    may_manage_provider,
    may_record_pipeline,
    may_run_order,
    may_withdraw,
    own_talent,
)
from jingxiang.academy.rules import (
    ATTENDANCE_RULES,
    CERTIFICATE_RULES,
    CHECKIN_RULES,
    COHORT_EDIT_RULES,
    COHORT_RULES,
    ORDER_RULES,
    SESSION_RULES,
)
from jingxiang.academy.selectors import attendance_rate, eligibility
from jingxiang.accounts.actors import Actor
from jingxiang.core.documents import new_verification_code
from jingxiang.core.numbering import next_number
from jingxiang.core.services import notification_send
from jingxiang.core.texts import PerLanguage, Text
from jingxiang.core.timerules import enforce_time_rules
from jingxiang.organisations.models import Organisation, OrganisationKind
from jingxiang.organisations.permissions import is_operator, managed_firm_ids
from jingxiang.talents.models import Skill, Talent
from jingxiang.talents.services import talent_create, talent_skill_raise

RULES_FILE = Path(__file__).with_name("rules.yaml")
CERTIFICATE_PREFIX = "JX-GJ"
CERTIFICATE_SEQUENCE = "academy-certificate"
DEFAULT_PASS = Decimal("60")


# Rules as data ----------------------------------------------------------------------------------


@transaction.atomic
def rules_sync(*, actor: Any = None, path: Path = RULES_FILE) -> tuple[int, int, int]:
    """Load occupations, levels and subsidy rules from the YAML file (create or update by code).

    Run by ``manage.py academy_sync`` and the demo loader (no actor) or by an operator.
    """
    if actor is not None and not is_operator(actor):
        raise PermissionDenied
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    skills = {skill.code: skill for skill in Skill.objects.all()}
    occupations = levels = 0
    for entry in data.get("occupations", []):
        skill = skills.get(entry["skill"])
        if skill is None:
            raise ValidationError(
                _("职业 %(name)s 引用的技能 %(code)s 不在技能目录中。")
                % {"name": entry["name"], "code": entry["skill"]}
            )
        occupation, _created = Occupation.objects.update_or_create(
            code=entry["code"],
            defaults={"name": entry["name"], "skill": skill, "description": entry.get("description", "")},
        )
        occupations += 1
        for level in entry.get("levels", []):
            OccupationLevel.objects.update_or_create(
                occupation=occupation,
                rank=level["rank"],
                defaults={
                    "name": level["name"],
                    "ladder": level["ladder"],
                    "skill_level": level["skill_level"],
                    "theory_pass": Decimal(str(level.get("theory_pass", DEFAULT_PASS))),
                    "practical_pass": Decimal(str(level.get("practical_pass", DEFAULT_PASS))),
                    "eligibility": level.get("eligibility", []),
                },
            )
            levels += 1
    subsidies = 0
    for entry in data.get("subsidies", []):
        SubsidyRule.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "rate": Decimal(str(entry["rate"])),
                "cap": Decimal(str(entry["cap"])),
                "earned_on": entry["earned_on"],
            },
        )
        subsidies += 1
    return occupations, levels, subsidies


@transaction.atomic
def level_update(
    *,
    actor: Actor,
    level: OccupationLevel,
    theory_pass: Decimal,
    practical_pass: Decimal,
    eligibility: list[dict[str, Any]],
) -> OccupationLevel:
    """Operators adjust a level's pass marks and eligibility paths."""
    if not is_operator(actor):
        raise PermissionDenied
    level = OccupationLevel.objects.select_for_update(of=("self",)).get(pk=level.pk)
    level.theory_pass, level.practical_pass, level.eligibility = theory_pass, practical_pass, eligibility
    level.full_clean()
    level.save()
    return level


# Catalogue --------------------------------------------------------------------------------------

COURSE_FIELDS = (
    "code",
    "title",
    "provider",
    "skill",
    "occupation_level",
    "skill_level",
    "theory_hours",
    "practice_hours",
    "fee",
    "subsidy_rule",
    "needs_approval",
    "min_attendance",
    "description",
)


def _apply_course(course: Course, actor: Any, data: dict[str, Any]) -> None:
    for name in COURSE_FIELDS:
        if name in data:
            setattr(course, name, data[name])
    if not may_manage_provider(actor, course.provider_id):
        raise PermissionDenied
    if course.provider.kind != OrganisationKind.UNIVERSITY and not is_operator(actor):
        raise ValidationError(_("承办机构必须是高校、职业院校或工匠学院。"), code="provider_kind")
    if course.occupation_level is not None:
        # The certificate level decides the skill record; keep the two consistent.
        course.skill = course.occupation_level.occupation.skill
        course.skill_level = course.occupation_level.skill_level
    if course.theory_hours + course.practice_hours <= 0:
        raise ValidationError(_("课程总学时必须大于 0。"), code="no_hours")
    course.full_clean()


def _set_course_links(course: Course, data: dict[str, Any]) -> None:
    if "prerequisites" in data:
        prerequisites = [c for c in data["prerequisites"] if c.pk != course.pk]
        course.prerequisites.set(prerequisites)
    if "trainers" in data:
        course.trainers.set(data["trainers"])


@transaction.atomic
def course_create(*, actor: Any, data: dict[str, Any]) -> Course:
    """Academy staff add a course to the catalogue for their own organisation (operators for any)."""
    if not is_academy_staff(actor):
        raise PermissionDenied
    course = Course()
    _apply_course(course, actor, data)
    course.save()
    _set_course_links(course, data)
    return course


@transaction.atomic
def course_update(*, actor: Any, course: Course, data: dict[str, Any]) -> Course:
    if not may_manage_provider(actor, course.provider_id):
        raise PermissionDenied
    course = Course.objects.select_for_update(of=("self",)).get(pk=course.pk)
    _apply_course(course, actor, data)
    course.save()
    _set_course_links(course, data)
    return course


@transaction.atomic
def course_archive(*, actor: Any, course: Course) -> Course:
    if not may_manage_provider(actor, course.provider_id):
        raise PermissionDenied
    course.archived_at = timezone.now()
    course.save(update_fields=["archived_at", "updated_at"])
    return course


# Cohorts and sessions ---------------------------------------------------------------------------

COHORT_FIELDS = ("name", "venue", "capacity", "starts_on", "ends_on", "lead_trainer")


@transaction.atomic
def cohort_create(
    *,
    actor: Actor,
    course: Course,
    name: str,
    venue: str,
    capacity: int,
    starts_on: dt.date,
    ends_on: dt.date,
    lead_trainer: Talent | None = None,
    order: TrainingOrder | None = None,
    backdate_reason: str = "",
) -> Cohort:
    """Open a cohort (开班) of a course; for 订单培养 the accepting school opens it linked to the order."""
    if not may_manage_provider(actor, course.provider_id):
        raise PermissionDenied
    if course.is_archived:
        raise ValidationError(_("课程已归档,不能开班。"), code="course_archived")
    if order is not None:
        if not may_run_order(actor, order) or order.status != OrderStatus.ACCEPTED:
            raise ValidationError(_("只有已接单的订单才能由承接学校开设订单班。"), code="order_not_accepted")
        if course.provider_id != order.school_id:
            raise ValidationError(_("订单班必须使用承接学校自己的课程。"), code="order_school_course")
    cohort = Cohort(
        course=course,
        order=order,
        name=name,
        venue=venue,
        capacity=capacity,
        starts_on=starts_on,
        ends_on=ends_on,
        lead_trainer=lead_trainer,
    )
    check = enforce_time_rules(
        COHORT_RULES,
        {"starts_on": cohort.starts_on, "ends_on": cohort.ends_on},
        actor=actor,
        reason=backdate_reason,
    )
    cohort.full_clean()
    cohort.save()
    check.record(cohort)
    return cohort


@transaction.atomic
def cohort_update(
    *,
    actor: Actor,
    cohort: Cohort,
    name: str,
    venue: str,
    capacity: int,
    starts_on: dt.date,
    ends_on: dt.date,
    lead_trainer: Talent | None,
) -> Cohort:
    """Change a cohort (every field is given, as the edit form has them); raising the capacity moves
    people up from the waitlist."""
    if not may_manage_provider(actor, cohort.course.provider_id):
        raise PermissionDenied
    cohort = Cohort.objects.select_for_update(of=("self",)).select_related("course").get(pk=cohort.pk)
    occupied = cohort.enrolments.occupying().count()
    cohort.name, cohort.venue, cohort.capacity = name, venue, capacity
    cohort.starts_on, cohort.ends_on, cohort.lead_trainer = starts_on, ends_on, lead_trainer
    if cohort.capacity < occupied:
        raise ValidationError(
            _("名额不能少于已占用的 %(n)s 个名额;请先处理退出。") % {"n": occupied},
            code="capacity_below_occupied",
        )
    enforce_time_rules(
        COHORT_EDIT_RULES, {"starts_on": cohort.starts_on, "ends_on": cohort.ends_on}, actor=actor
    )
    cohort.full_clean()
    cohort.save()
    _promote_waitlist(cohort)
    return cohort


@transaction.atomic
def cohort_set_status(*, actor: Any, cohort: Cohort, status: str) -> Cohort:
    """Start (报名截止、开课), complete (结业) or cancel a cohort."""
    if not may_manage_provider(actor, cohort.course.provider_id):
        raise PermissionDenied
    cohort = Cohort.objects.select_for_update(of=("self",)).get(pk=cohort.pk)
    if cohort.status not in COHORT_MOVES.get(status, set()):
        raise ValidationError(
            _("班级当前状态为“%(now)s”,不能改为“%(to)s”。")
            % {"now": cohort.get_status_display(), "to": CohortStatus(status).label},
            code="bad_transition",
        )
    cohort.status = status
    cohort.save(update_fields=["status", "updated_at"])
    return cohort


@transaction.atomic
def session_add(
    *,
    actor: Actor,
    cohort: Cohort,
    topic: str,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    backdate_reason: str = "",
) -> Session:
    """Add one session to the cohort's schedule, inside the cohort's dates (operators may enter past
    sessions with a ``backdate_reason``)."""
    if not may_manage_provider(actor, cohort.course.provider_id):
        raise PermissionDenied
    session = Session(cohort=cohort, topic=topic, kind=kind, starts_at=starts_at, ends_at=ends_at)
    check = enforce_time_rules(
        SESSION_RULES,
        {"starts_at": session.starts_at, "ends_at": session.ends_at},
        actor=actor,
        reason=backdate_reason,
    )
    day = timezone.localtime(session.starts_at).date()
    if not cohort.starts_on <= day <= cohort.ends_on:
        raise ValidationError(_("课次日期必须在开班日期和结业日期之间。"), code="outside_cohort")
    session.full_clean()
    session.save()
    check.record(session)
    return session


# Enrolment and waitlist -------------------------------------------------------------------------


def _notify_enrolment(enrolment: Enrolment, message: Text) -> None:
    url = reverse("academy:enrolment_detail", args=[enrolment.pk])
    recipients = {enrolment.enrolled_by_id: enrolment.enrolled_by}
    if enrolment.talent.user is not None:
        recipients[enrolment.talent.user.pk] = enrolment.talent.user
    for user in recipients.values():
        notification_send(recipient=user, message=message, url=url, kind="academy_enrolment")


def _place_status(cohort: Cohort) -> str:
    return EnrolmentStatus.PENDING if cohort.course.needs_approval else EnrolmentStatus.ENROLLED


def _promote_waitlist(cohort: Cohort) -> list[Enrolment]:
    """Give freed places to the people waiting longest. The caller holds the cohort lock."""
    promoted: list[Enrolment] = []
    free = cohort.capacity - cohort.enrolments.occupying().count()
    if free <= 0 or cohort.status not in (CohortStatus.OPEN, CohortStatus.RUNNING):
        return promoted
    waiting = (
        cohort.enrolments.filter(status=EnrolmentStatus.WAITLISTED)
        .select_related("talent__user", "enrolled_by", "cohort__course")
        .order_by("created_at", "pk")[:free]
    )
    for enrolment in waiting:
        enrolment.status = _place_status(cohort)
        enrolment.save(update_fields=["status", "updated_at"])
        promoted.append(enrolment)
        promotion = (
            texts.WAITLIST_PROMOTED_PENDING
            if enrolment.status == EnrolmentStatus.PENDING
            else texts.WAITLIST_PROMOTED
        )
        _notify_enrolment(enrolment, promotion(name=enrolment.talent.name, cohort=cohort.name))
    return promoted


def _check_prerequisites(course: Course, talent: Talent) -> None:
    required = list(course.prerequisites.all())
    if not required:
        return
    done = set(
        Enrolment.objects.filter(
            talent=talent, status=EnrolmentStatus.GRADUATED, cohort__course__in=required
        ).values_list("cohort__course_id", flat=True)
    )
    missing = [c.title for c in required if c.pk not in done]
    if missing:
        raise ValidationError(
            _("%(name)s 尚未结业先修课程:%(courses)s。")
            % {"name": talent.name, "courses": pgettext("列表分隔符", "、").join(missing)},
            code="prerequisite",
        )


@transaction.atomic
def enrolment_create(
    *,
    actor: Any,
    cohort: Cohort,
    talents: list[Talent],
    sponsor: Organisation | None = None,
    years_experience: Decimal | None = None,
    education: str = "",
) -> list[Enrolment]:
    """Enrol people in a cohort: a firm its own workers, a person themself, the academy anyone.

    The cohort row is locked so concurrent enrolments cannot exceed the capacity; whoever does not
    fit goes to the waitlist in order.
    """
    if not talents:
        raise ValidationError(_("请至少选择一名学员。"), code="no_talents")
    if sponsor is not None:
        if sponsor.pk not in managed_firm_ids(actor):
            raise PermissionDenied
        strangers = [t.name for t in talents if t.home_organisation_id != sponsor.pk]
        if strangers:
            raise ValidationError(
                _("企业只能为本企业员工报名:%(names)s 不是本企业员工。")
                % {"names": pgettext("列表分隔符", "、").join(strangers)},
                code="not_own_worker",
            )
    elif not may_manage_provider(actor, cohort.course.provider_id):
        mine = own_talent(actor)
        if mine is None or [t.pk for t in talents] != [mine.pk]:
            raise PermissionDenied
    cohort = Cohort.objects.select_for_update(of=("self",)).select_related("course").get(pk=cohort.pk)
    if cohort.status != CohortStatus.OPEN or cohort.is_archived:
        raise ValidationError(_("该班级当前不在报名期,不能报名。"), code="not_open")
    live = set(
        cohort.enrolments.exclude(
            status__in=[EnrolmentStatus.WITHDRAWN, EnrolmentStatus.REJECTED]
        ).values_list("talent_id", flat=True)
    )
    duplicates = [t.name for t in talents if t.pk in live]
    if duplicates:
        raise ValidationError(
            _("%(names)s 已报名该班级,不能重复报名。")
            % {"names": pgettext("列表分隔符", "、").join(duplicates)},
            code="duplicate",
        )
    if len({t.pk for t in talents}) != len(talents):
        raise ValidationError(_("同一名学员不能选择两次。"), code="duplicate")
    for talent in talents:
        _check_prerequisites(cohort.course, talent)
    free = cohort.capacity - cohort.enrolments.occupying().count()
    created: list[Enrolment] = []
    for talent in talents:
        status = _place_status(cohort) if free > 0 else EnrolmentStatus.WAITLISTED
        free -= 1 if status != EnrolmentStatus.WAITLISTED else 0
        enrolment = Enrolment(
            cohort=cohort,
            talent=talent,
            sponsor=sponsor,
            enrolled_by=actor,
            status=status,
            years_experience=years_experience if years_experience is not None else Decimal("0"),
            education=education,
        )
        enrolment.full_clean(exclude=["cohort", "talent", "sponsor", "enrolled_by"])
        enrolment.save()
        created.append(enrolment)
        notice = texts.WAITLISTED if status == EnrolmentStatus.WAITLISTED else texts.ENROLLED
        _notify_enrolment(enrolment, notice(name=talent.name, cohort=cohort.name))
    return created


@transaction.atomic
def worker_add_and_enrol(
    *,
    actor: Actor,
    cohort: Cohort,
    firm: Organisation,
    name: str,
    mobile: str = "",
    resident_id: str = "",
    years_experience: Decimal | None = None,
) -> Enrolment:
    """A firm adds a worker who has no profile yet and enrols them in the same step."""
    if firm.pk not in managed_firm_ids(actor):
        raise PermissionDenied
    try:
        talent = talent_create(
            actor=actor,
            name=name,
            kind="craftsman",
            home_organisation=firm,
            mobile=mobile,
            resident_id=resident_id,
            region=firm.region,
        )
    except PermissionDenied as error:
        raise ValidationError(
            _("只有本企业的机构管理员或共享人才官可以新增员工档案。"),
            code="talent_create_denied",
        ) from error
    return enrolment_create(
        actor=actor,
        cohort=cohort,
        talents=[talent],
        sponsor=firm,
        years_experience=years_experience,
    )[0]


@transaction.atomic
def enrolment_decide(*, actor: Any, enrolment: Enrolment, approve: bool, note: str = "") -> Enrolment:
    """The academy approves or rejects an application; a rejection says why and frees the place."""
    if not may_manage_provider(actor, enrolment.cohort.course.provider_id):
        raise PermissionDenied
    cohort = (
        Cohort.objects.select_for_update(of=("self",)).select_related("course").get(pk=enrolment.cohort_id)
    )
    enrolment = Enrolment.objects.select_related("talent__user", "enrolled_by").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.PENDING:
        raise ValidationError(_("该报名不在待审核状态。"), code="not_pending")
    if not approve and not note.strip():
        raise ValidationError(_("不通过时必须写明原因。"), code="reason_required")
    enrolment.status = EnrolmentStatus.ENROLLED if approve else EnrolmentStatus.REJECTED
    enrolment.decided_by = actor
    enrolment.decision_note = note.strip()
    enrolment.save(update_fields=["status", "decided_by", "decision_note", "updated_at"])
    decision = texts.ENROLMENT_APPROVED if approve else texts.ENROLMENT_REJECTED
    _notify_enrolment(enrolment, decision(cohort=cohort.name, note=enrolment.decision_note))
    if not approve:
        _promote_waitlist(cohort)
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, actor: Any, enrolment: Enrolment) -> Enrolment:
    """Withdraw from a cohort; the freed place goes automatically to the next person on the waitlist."""
    if not may_withdraw(actor, enrolment):
        raise PermissionDenied
    cohort = (
        Cohort.objects.select_for_update(of=("self",)).select_related("course").get(pk=enrolment.cohort_id)
    )
    enrolment = Enrolment.objects.select_related("talent__user", "enrolled_by").get(pk=enrolment.pk)
    if enrolment.status not in WITHDRAWABLE:
        raise ValidationError(_("已结业、已退出或未通过的报名不能退出。"), code="not_withdrawable")
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status", "updated_at"])
    _promote_waitlist(cohort)
    return enrolment


# Attendance -------------------------------------------------------------------------------------


@transaction.atomic
def attendance_checkin(*, user: Any, code: str, now: dt.datetime | None = None) -> tuple[Attendance, bool]:
    """QR check-in: the logged-in trainee scans the session's code during the session (not before it
    starts, not after it ends).

    Returns the attendance and whether it was new (scanning twice is harmless).
    """
    session = Session.objects.select_related("cohort__course").filter(checkin_code=code).first()
    if session is None:
        raise ValidationError(_("签到码无效,请扫描讲师当场展示的二维码。"), code="bad_code")
    now = now or timezone.now()
    enforce_time_rules(
        CHECKIN_RULES, {"checked_at": now, "starts_at": session.starts_at}, actor=user, now=now
    )
    if now > session.ends_at:
        raise ValidationError(
            _("本课次已下课(%(start)s–%(end)s),不能再签到。")
            % {
                "start": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(session.ends_at).strftime("%H:%M"),
            },
            code="outside_window",
        )
    talent = own_talent(user)
    enrolment = (
        Enrolment.objects.filter(
            cohort=session.cohort, talent=talent, status=EnrolmentStatus.ENROLLED
        ).first()
        if talent is not None
        else None
    )
    if enrolment is None:
        raise ValidationError(_("您不是本班已录取的学员,不能签到。"), code="not_enrolled")
    attendance, created = Attendance.objects.get_or_create(
        session=session, enrolment=enrolment, defaults={"method": AttendanceMethod.QR, "marked_by": user}
    )
    return attendance, created


@transaction.atomic
def attendance_mark(
    *,
    actor: Any,
    session: Session,
    present: list[Enrolment],
    absent: list[Enrolment],
    now: dt.datetime | None = None,
) -> int:
    """The academy marks attendance by hand (no phone, broken scanner) once the session has started;
    returns how many changed."""
    if not may_manage_provider(actor, session.cohort.course.provider_id):
        raise PermissionDenied
    now = now or timezone.now()
    enforce_time_rules(
        ATTENDANCE_RULES, {"marked_at": now, "starts_at": session.starts_at}, actor=actor, now=now
    )
    changed = 0
    for enrolment in present + absent:
        if enrolment.cohort_id != session.cohort_id or enrolment.status not in (
            EnrolmentStatus.ENROLLED,
            EnrolmentStatus.GRADUATED,
        ):
            raise ValidationError(
                _("%(name)s 不是本班已录取的学员。") % {"name": enrolment.talent.name}, code="not_enrolled"
            )
    for enrolment in present:
        _attendance, created = Attendance.objects.get_or_create(
            session=session,
            enrolment=enrolment,
            defaults={"method": AttendanceMethod.MANUAL, "marked_by": actor},
        )
        changed += int(created)
    if absent:
        # Only hand-made marks are undone: a QR check-in is the trainee's own evidence, and a register
        # page opened before people scanned must not erase their check-ins.
        removed, _detail = Attendance.objects.filter(
            session=session, enrolment__in=absent, method=AttendanceMethod.MANUAL
        ).delete()
        changed += removed
    return changed


# Assessment and certificates --------------------------------------------------------------------


@transaction.atomic
def assessment_record(
    *, actor: Any, enrolment: Enrolment, theory_score: Decimal, practical_score: Decimal
) -> Assessment:
    """Record theory and practical scores; the level's pass marks decide the result.

    Only trainees whose attendance reaches the course's rate sit the assessment; a score can be
    corrected until a certificate is issued.
    """
    if not may_manage_provider(actor, enrolment.cohort.course.provider_id):
        raise PermissionDenied
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("cohort__course__occupation_level")
        .get(pk=enrolment.pk)
    )
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("只有已录取、尚未结业的学员可以登记考核成绩。"), code="not_enrolled")
    for label, score in ((_("理论成绩"), theory_score), (_("实操成绩"), practical_score)):
        if score is None or not Decimal("0") <= score <= Decimal("100"):
            raise ValidationError(_("%(label)s必须在 0–100 之间。") % {"label": label}, code="score_range")
    course = enrolment.cohort.course
    total = enrolment.cohort.sessions.count()
    if total == 0:
        raise ValidationError(_("本班还没有排课,不能考核。"), code="no_sessions")
    rate = attendance_rate(enrolment.attendances.count(), total)
    if rate < course.min_attendance:
        raise ValidationError(
            _("出勤率 %(rate)s%% 低于本课程要求的 %(need)s%%,不能参加考核。")
            % {
                "rate": (rate * 100).quantize(Decimal("0.1")),
                "need": (course.min_attendance * 100).quantize(Decimal("0.1")),
            },
            code="attendance",
        )
    level = course.occupation_level
    theory_pass = level.theory_pass if level else DEFAULT_PASS
    practical_pass = level.practical_pass if level else DEFAULT_PASS
    passed = theory_score >= theory_pass and practical_score >= practical_pass
    existing = Assessment.objects.filter(enrolment=enrolment).first()
    if existing is not None and Certificate.objects.filter(enrolment=enrolment).exists():
        raise ValidationError(_("证书已颁发,成绩不能再修改。"), code="certified")
    assessment = existing or Assessment(enrolment=enrolment)
    assessment.theory_score = theory_score
    assessment.practical_score = practical_score
    assessment.passed = passed
    assessment.attendance_rate = rate
    assessment.assessed_by = actor
    assessment.save()
    return assessment


def _next_number(year: int) -> tuple[int, str]:
    """The next certificate serial of the year (gap-free, never handed out twice) and its number."""
    serial = next_number(CERTIFICATE_SEQUENCE, year)
    return serial, f"{CERTIFICATE_PREFIX}-{year}-{serial:06d}"


def _graduate(enrolment: Enrolment, *, certified: bool) -> None:
    course = enrolment.cohort.course
    rule = course.subsidy_rule
    if rule is not None and (rule.earned_on == SubsidyOn.COMPLETION or certified):
        enrolment.subsidy_amount = rule.amount_for(course.fee)
    enrolment.status = EnrolmentStatus.GRADUATED
    enrolment.graduated_at = timezone.now()
    enrolment.save(update_fields=["status", "graduated_at", "subsidy_amount", "updated_at"])


def _check_cohort_ended(cohort: Cohort, actor: Any, now: dt.datetime) -> None:
    """No certificate before the cohort's last day (its training is not complete before then)."""
    enforce_time_rules(
        CERTIFICATE_RULES,
        {"issued_on": timezone.localtime(now).date(), "ends_on": cohort.ends_on},
        actor=actor,
        now=now,
    )


@transaction.atomic
def certificate_issue(*, actor: Any, enrolment: Enrolment) -> Certificate:
    """Issue the certificate of a passed, eligible trainee, graduate them, and raise their skill record.

    The number (JX-GJ-<year>-<serial>) comes from the year's sequence under a lock.
    """
    if not may_manage_provider(actor, enrolment.cohort.course.provider_id):
        raise PermissionDenied
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related(
            "cohort__course__occupation_level__occupation",
            "cohort__course__skill",
            "talent__user",
            "enrolled_by",
        )
        .get(pk=enrolment.pk)
    )
    if Certificate.objects.filter(enrolment=enrolment).exists():
        raise ValidationError(_("该学员本班的证书已颁发,不能重复颁发。"), code="already_issued")
    now = timezone.now()
    _check_cohort_ended(enrolment.cohort, actor, now)
    assessment = Assessment.objects.filter(enrolment=enrolment).first()
    if assessment is None:
        raise ValidationError(_("尚未登记考核成绩,不能颁发证书。"), code="no_assessment")
    if not assessment.passed:
        raise ValidationError(_("考核未通过,不能颁发证书。"), code="not_passed")
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("只有已录取、尚未结业的学员可以颁发证书。"), code="not_enrolled")
    check = eligibility(enrolment)
    if not check.eligible:
        raise ValidationError(
            _("不符合该等级的申报条件,需满足以下任一条件:%(paths)s。")
            % {"paths": pgettext("可选路径之间的分隔符", ";或 ").join(check.reasons)},
            code="not_eligible",
        )
    course = enrolment.cohort.course
    year = timezone.localtime(now).year
    serial, number = _next_number(year)
    certificate = Certificate.objects.create(
        number=number,
        year=year,
        serial=serial,
        enrolment=enrolment,
        talent=enrolment.talent,
        holder_name=enrolment.talent.name,
        occupation_level=course.occupation_level,
        skill=course.skill,
        skill_level=course.skill_level,
        issued_at=now,
        issued_by=actor,
        verify_code=new_verification_code(),
    )
    _graduate(enrolment, certified=True)
    talent_skill_raise(talent=enrolment.talent, skill=course.skill, level=course.skill_level, source=number)
    _notify_enrolment(
        enrolment,
        texts.CERTIFICATE_ISSUED(
            number=number,
            name=enrolment.talent.name,
            skill=PerLanguage({"zh-hans": course.skill.name_zh, "en": course.skill.name_en}),
            level=course.skill_level,
        ),
    )
    return certificate


@transaction.atomic
def cohort_certify_start(*, actor: Any, cohort: Cohort) -> Any:
    """Queue the issuing of all passed trainees' certificates as a background job (with progress)."""
    from jingxiang.academy.handlers import CERTIFY_COHORT
    from jingxiang.jobs.services import job_enqueue

    if not may_manage_provider(actor, cohort.course.provider_id):
        raise PermissionDenied
    _check_cohort_ended(cohort, actor, timezone.now())
    if not cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED, assessment__passed=True).exists():
        raise ValidationError(_("本班没有考核通过、待发证的学员。"), code="nothing_to_certify")
    return job_enqueue(
        kind=CERTIFY_COHORT,
        title=texts.CERTIFY_TITLE(c=cohort.name),
        created_by=actor,
        params={"cohort_id": cohort.pk},
    )


@transaction.atomic
def enrolment_graduate(*, actor: Any, enrolment: Enrolment) -> Enrolment:
    """Graduate a trainee without a certificate (courses that do not certify, or a failed exam):
    the attendance rule still applies."""
    if not may_manage_provider(actor, enrolment.cohort.course.provider_id):
        raise PermissionDenied
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("cohort__course")
        .get(pk=enrolment.pk)
    )
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("只有已录取、尚未结业的学员可以结业。"), code="not_enrolled")
    total = enrolment.cohort.sessions.count()
    rate = attendance_rate(enrolment.attendances.count(), total)
    if total == 0 or rate < enrolment.cohort.course.min_attendance:
        raise ValidationError(
            _("出勤率未达到本课程要求的 %(need)s%%,不能结业。")
            % {"need": (enrolment.cohort.course.min_attendance * 100).quantize(Decimal("0.1"))},
            code="attendance",
        )
    _graduate(enrolment, certified=False)
    return enrolment


@transaction.atomic
def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate with a reason. The number stays taken; the public page shows "已撤销"."""
    if not may_manage_provider(actor, certificate.enrolment.cohort.course.provider_id):
        raise PermissionDenied
    certificate = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
    if certificate.status == CertificateStatus.REVOKED:
        raise ValidationError(_("该证书已撤销。"), code="already_revoked")
    if not reason.strip():
        raise ValidationError(_("撤销证书必须写明原因。"), code="reason_required")
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason.strip()
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    if certificate.talent.user_id:
        notification_send(
            recipient=certificate.talent.user,
            message=texts.CERTIFICATE_REVOKED(number=certificate.number, reason=certificate.revoke_reason),
            url=reverse("academy:certificate_detail", args=[certificate.pk]),
            kind="academy_certificate",
        )
    return certificate


# 订单培养 ----------------------------------------------------------------------------------------


@transaction.atomic
def order_place(*, actor: Any, firm: Organisation, data: dict[str, Any]) -> TrainingOrder:
    """A firm places an order: how many people, which skills, by when, and how many it commits to hire."""
    if firm.pk not in managed_firm_ids(actor):
        raise PermissionDenied
    enforce_time_rules(ORDER_RULES, {"due_on": data["due_on"], "today": timezone.localdate()}, actor=actor)
    if data["hires_committed"] > data["headcount"]:
        raise ValidationError(_("承诺录用人数不能超过培养人数。"), code="commit_over_headcount")
    if not data.get("skills"):
        raise ValidationError(_("请至少选择一项所需技能。"), code="no_skills")
    order = TrainingOrder(
        title=data["title"],
        headcount=data["headcount"],
        due_on=data["due_on"],
        requirements=data.get("requirements", ""),
        placed_by=actor,
    )
    order.full_clean(exclude=["placed_by"])
    order.save()
    order.skills.set(data["skills"])
    OrderParticipant.objects.create(order=order, firm=firm, hires_committed=data["hires_committed"])
    return order


@transaction.atomic
def order_join(
    *, actor: Any, order: TrainingOrder, firm: Organisation, hires_committed: int
) -> OrderParticipant:
    """Another firm joins an open order with its own commitment to hire (orders placed together)."""
    if firm.pk not in managed_firm_ids(actor):
        raise PermissionDenied
    order = TrainingOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if order.status != OrderStatus.OPEN:
        raise ValidationError(_("只有待接单的订单可以加入。"), code="not_open")
    if order.participants.filter(firm=firm).exists():
        raise ValidationError(_("本企业已在该订单中。"), code="already_in")
    if hires_committed < 1:
        raise ValidationError(_("承诺录用人数至少为 1。"), code="commit_min")
    committed = sum(order.participants.values_list("hires_committed", flat=True))
    if committed + hires_committed > order.headcount:
        raise ValidationError(
            _("各企业承诺录用合计不能超过培养人数 %(n)s。") % {"n": order.headcount},
            code="commit_over_headcount",
        )
    return OrderParticipant.objects.create(order=order, firm=firm, hires_committed=hires_committed)


@transaction.atomic
def order_accept(*, actor: Any, order: TrainingOrder, school: Organisation) -> TrainingOrder:
    """A school accepts an open order; it then opens the linked cohort."""
    if not (is_operator(actor) or school.pk in academy_org_ids(actor)):
        raise PermissionDenied
    if school.kind != OrganisationKind.UNIVERSITY:
        raise ValidationError(_("只有高校或职业院校可以承接订单培养。"), code="not_school")
    order = TrainingOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if order.status != OrderStatus.OPEN:
        raise ValidationError(_("该订单已被接单或已结束。"), code="not_open")
    order.school = school
    order.accepted_by = actor
    order.accepted_at = timezone.now()
    order.status = OrderStatus.ACCEPTED
    order.save(update_fields=["school", "accepted_by", "accepted_at", "status", "updated_at"])
    notification_send(
        recipient=order.placed_by,
        message=texts.ORDER_ACCEPTED(school=school.name, title=order.title),
        url=reverse("academy:order_detail", args=[order.pk]),
        kind="academy_order",
    )
    return order


@transaction.atomic
def order_close(*, actor: Any, order: TrainingOrder) -> TrainingOrder:
    if not may_run_order(actor, order):
        raise PermissionDenied
    order = TrainingOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if order.status != OrderStatus.ACCEPTED:
        raise ValidationError(_("只有培养中的订单可以结束。"), code="not_accepted")
    order.status = OrderStatus.CLOSED
    order.save(update_fields=["status", "updated_at"])
    return order


def _order_firm(enrolment: Enrolment, firm: Organisation) -> TrainingOrder:
    order = enrolment.cohort.order
    if order is None:
        raise ValidationError(_("只有订单班的学员有录用跟踪。"), code="not_order_cohort")
    if not order.participants.filter(firm=firm).exists():
        raise ValidationError(
            _("%(firm)s 不是该订单的下单企业,不能录用订单班学员。") % {"firm": firm.name},
            code="not_participant",
        )
    return order


@transaction.atomic
def enrolment_offer(*, actor: Any, enrolment: Enrolment, firm: Organisation) -> Enrolment:
    """A firm of the order makes an offer to an order-cohort trainee."""
    if not may_record_pipeline(actor, enrolment, firm.pk):
        raise PermissionDenied
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",)).select_related("cohort__order").get(pk=enrolment.pk)
    )
    _order_firm(enrolment, firm)
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED):
        raise ValidationError(_("只能向在读或已结业的学员发出录用意向。"), code="not_trainee")
    if enrolment.hired_by_id:
        raise ValidationError(_("该学员已入职,不能再发录用意向。"), code="already_hired")
    enrolment.offer_firm = firm
    enrolment.offered_at = timezone.now()
    enrolment.save(update_fields=["offer_firm", "offered_at", "updated_at"])
    return enrolment


@transaction.atomic
def enrolment_offer_clear(*, actor: Any, enrolment: Enrolment, firm: Organisation) -> Enrolment:
    """The firm took its offer back (recruitment's offer revocation): the trainee has no open offer from it."""
    if not may_record_pipeline(actor, enrolment, firm.pk):
        raise PermissionDenied
    enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    if enrolment.offer_firm_id == firm.pk and not enrolment.hired_by_id:
        enrolment.offer_firm = None
        enrolment.offered_at = None
        enrolment.save(update_fields=["offer_firm", "offered_at", "updated_at"])
    return enrolment


@transaction.atomic
def enrolment_hire(*, actor: Any, enrolment: Enrolment, firm: Organisation, hired_on: dt.date) -> Enrolment:
    """Record that a graduate joined a firm of the order (counts toward the order's fulfilment)."""
    if not may_record_pipeline(actor, enrolment, firm.pk):
        raise PermissionDenied
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",)).select_related("cohort__order").get(pk=enrolment.pk)
    )
    _order_firm(enrolment, firm)
    if enrolment.status != EnrolmentStatus.GRADUATED:
        raise ValidationError(_("学员结业后才能登记入职。"), code="not_graduated")
    if enrolment.hired_by_id:
        raise ValidationError(_("该学员已登记入职。"), code="already_hired")
    if hired_on > timezone.localdate():
        raise ValidationError(_("入职日期不能晚于今天。"), code="future")
    enrolment.hired_by = firm
    enrolment.hired_on = hired_on
    if enrolment.offer_firm_id is None:
        enrolment.offer_firm = firm
        enrolment.offered_at = timezone.now()
    enrolment.save(update_fields=["hired_by", "hired_on", "offer_firm", "offered_at", "updated_at"])
    return enrolment


@transaction.atomic
def enrolment_retention(
    *, actor: Any, enrolment: Enrolment, months: int, employed: bool, today: dt.date | None = None
) -> Enrolment:
    """Record whether the hire is still employed 6 or 12 months after joining (not before it is due)."""
    if months not in (6, 12):
        raise ValidationError(_("只跟踪入职后 6 个月和 12 个月。"), code="months")
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("cohort__order", "hired_by")
        .get(pk=enrolment.pk)
    )
    if enrolment.hired_by is None or enrolment.hired_on is None:
        raise ValidationError(_("学员尚未入职。"), code="not_hired")
    if not may_record_pipeline(actor, enrolment, enrolment.hired_by_id):
        raise PermissionDenied
    today = today or timezone.localdate()
    due = _add_months(enrolment.hired_on, months)
    if today < due:
        raise ValidationError(
            _("入职满 %(m)s 个月(%(due)s)后才能登记在岗情况。") % {"m": months, "due": due.isoformat()},
            code="not_due",
        )
    if months == 12 and enrolment.employed_6m is None:
        raise ValidationError(_("请先登记 6 个月在岗情况。"), code="six_first")
    if months == 12 and enrolment.employed_6m is False and employed:
        raise ValidationError(_("6 个月时已离职,12 个月不能登记为在岗。"), code="left")
    setattr(enrolment, "employed_6m" if months == 6 else "employed_12m", employed)
    enrolment.save(update_fields=["employed_6m", "employed_12m", "updated_at"])
    return enrolment


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# Feedback ---------------------------------------------------------------------------------------


@transaction.atomic
def feedback_give(*, actor: Any, cohort: Cohort, rating: int, comment: str = "") -> Feedback:
    """Feedback after the cohort ends: only attendees and its trainers, once each."""
    cohort = Cohort.objects.select_related("course").get(pk=cohort.pk)
    role = feedback_role(actor, cohort)
    if role is None:
        raise ValidationError(_("只有参加过本班课程的学员和本班师资可以评价。"), code="not_attendee")
    if cohort.status != CohortStatus.COMPLETED and cohort.ends_on > timezone.localdate():
        raise ValidationError(_("班级结业后才能评价。"), code="not_finished")
    if not 1 <= rating <= 5:
        raise ValidationError(_("评分必须是 1–5 分。"), code="rating")
    if Feedback.objects.filter(cohort=cohort, author=actor).exists():
        raise ValidationError(_("您已评价过本班。"), code="duplicate")
    return Feedback.objects.create(
        cohort=cohort, author=actor, role=role, rating=rating, comment=comment.strip()
    )


# Course materials (issue 21) --------------------------------------------------------------------


@transaction.atomic
def material_add(
    *,
    actor: Actor,
    session: Session,
    kind: str,
    title: str,
    file: UploadedFile[bytes] | None = None,
    url: str = "",
) -> Material:
    """Add a file (``file``), link or video link (``url``) to a session. A file's format is judged by
    its first bytes."""
    from jingxiang.academy.materials import check_upload
    from jingxiang.academy.models import MaterialKind
    from jingxiang.academy.permissions import may_add_material

    if not may_add_material(actor, session):
        raise PermissionDenied
    material = Material(session=session, kind=kind, title=title, added_by=actor)
    if kind == MaterialKind.FILE:
        upload = file
        if not upload:
            raise ValidationError({"file": _("请选择要上传的文件。")}, code="required")
        try:
            material.file_type, material.size = check_upload(upload)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}, code=error.code) from error
        material.file.save(upload.name or "material", upload, save=False)
    else:
        url = (url or "").strip()
        if not url:
            raise ValidationError({"url": _("请填写链接地址。")}, code="required")
        material.url = url
    material.full_clean()
    material.save()
    return material


@transaction.atomic
def material_archive(*, actor: Any, material: Any) -> Any:
    """Take a material away from the trainees (archived, never deleted)."""
    from jingxiang.academy.permissions import may_add_material

    if not may_add_material(actor, material.session):
        raise PermissionDenied
    material.archived_at = timezone.now()
    material.save(update_fields=["archived_at", "updated_at"])
    return material


# Question bank and quizzes ----------------------------------------------------------------------

TRUE_FALSE_OPTIONS = ("正确", "错误")


def _clean_question(kind: str, options: list[str], answer: list[int]) -> tuple[list[str], list[int]]:
    """Options and answer of a question in their stored form, or the reason they cannot be."""
    from jingxiang.academy.models import QuestionKind

    if kind == QuestionKind.TRUE_FALSE:
        options = list(TRUE_FALSE_OPTIONS)
    options = [str(option).strip() for option in options if str(option).strip()]
    errors: dict[str, list[str]] = {}
    if len(options) < 2:
        errors["options"] = [_("选择题至少需要两个选项。")]
    if len(set(options)) != len(options):
        errors["options"] = [_("选项不能重复。")]
    answer = sorted(set(answer))
    if not answer:
        errors["answer"] = [_("请给出正确答案。")]
    elif any(index < 0 or index >= len(options) for index in answer):
        errors["answer"] = [_("正确答案必须是已有的选项。")]
    elif kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(answer) != 1:
        errors["answer"] = [_("单选题和判断题只能有一个正确答案。")]
    if errors:
        raise ValidationError(errors)
    return options, answer


@transaction.atomic
def question_save(*, actor: Any, course: Course, data: dict[str, Any], question: Any = None) -> Any:
    """Add a question to the course's bank or change one (attempts already marked keep their mark)."""
    from jingxiang.academy.models import Question
    from jingxiang.academy.permissions import may_teach

    if not may_teach(actor, course):
        raise PermissionDenied
    options, answer = _clean_question(data["kind"], list(data.get("options") or []), list(data["answer"]))
    if question is None:
        question = Question(course=course, created_by=actor)
    elif question.course_id != course.pk:
        raise PermissionDenied
    question.kind = data["kind"]
    question.text = data["text"].strip()
    question.options = options
    question.answer = answer
    question.topic = data.get("topic", "")
    duplicate = Question.objects.filter(course=course, text=question.text, archived_at__isnull=True)
    if question.pk:
        duplicate = duplicate.exclude(pk=question.pk)
    if duplicate.exists():
        raise ValidationError({"text": _("题库中已有相同的题目。")}, code="duplicate")
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_archive(*, actor: Any, question: Any) -> Any:
    """Take a question out of the bank: new attempts no longer draw it (old ones still show it)."""
    from jingxiang.academy.permissions import may_teach

    if not may_teach(actor, question.course):
        raise PermissionDenied
    question.archived_at = timezone.now()
    question.save(update_fields=["archived_at", "updated_at"])
    return question


@transaction.atomic
def quiz_save(*, actor: Any, course: Course, data: dict[str, Any], quiz: Any = None) -> Any:
    """Create or change a quiz: it draws ``question_count`` questions from the bank between its times."""
    from jingxiang.academy.models import Question, Quiz
    from jingxiang.academy.permissions import may_teach
    from jingxiang.academy.rules import QUIZ_RULES

    if not may_teach(actor, course):
        raise PermissionDenied
    enforce_time_rules(
        QUIZ_RULES, {"opens_at": data["opens_at"], "closes_at": data["closes_at"]}, actor=actor
    )
    session = data.get("session")
    if session is not None and session.cohort.course_id != course.pk:
        raise ValidationError({"session": _("课次不属于本课程。")}, code="other_course")
    bank = Question.objects.filter(course=course, archived_at__isnull=True).count()
    if data["question_count"] > bank:
        raise ValidationError(
            {"question_count": _("题库中只有 %(n)s 道题,抽题数量不能超过题库题数。") % {"n": bank}},
            code="bank_too_small",
        )
    if quiz is None:
        quiz = Quiz(course=course, created_by=actor)
    for name in ("title", "session", "question_count", "pass_mark", "max_attempts", "opens_at", "closes_at"):
        setattr(quiz, name, data[name] if name != "session" else session)
    quiz.full_clean()
    quiz.save()
    return quiz


def _question_limit_check(quiz: Any) -> list[int]:
    from jingxiang.academy.models import Question

    return list(
        Question.objects.filter(course_id=quiz.course_id, archived_at__isnull=True).values_list(
            "pk", flat=True
        )
    )


@transaction.atomic
def quiz_start(*, actor: Any, quiz: Any, now: dt.datetime | None = None) -> Any:
    """Start (or resume) the trainee's attempt: the quiz must be open and attempts left; the questions are
    drawn at random from the bank and kept with the attempt, so a reload shows the same paper."""
    import random

    from jingxiang.academy.models import Quiz, QuizAttempt
    from jingxiang.academy.permissions import quiz_enrolment
    from jingxiang.academy.rules import QUIZ_ATTEMPT_RULES

    now = now or timezone.now()
    enrolment = quiz_enrolment(actor, quiz)
    if enrolment is None or quiz.archived_at is not None:
        raise PermissionDenied
    # One attempt at a time per trainee: two tabs pressing "start" together must not both start one.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    quiz = Quiz.objects.get(pk=quiz.pk)
    attempts = QuizAttempt.objects.filter(quiz=quiz, enrolment=enrolment)
    unfinished = attempts.filter(submitted_at__isnull=True).first()
    if unfinished is not None:
        return unfinished
    enforce_time_rules(
        QUIZ_ATTEMPT_RULES, {"started_at": now, "opens_at": quiz.opens_at}, actor=actor, now=now
    )
    if now >= quiz.closes_at:
        raise ValidationError(
            _("测验已于 %(at)s 截止。")
            % {"at": timezone.localtime(quiz.closes_at).strftime("%Y-%m-%d %H:%M")},
            code="closed",
        )
    used = attempts.count()
    if used >= quiz.max_attempts:
        raise ValidationError(
            _("您已用完全部 %(n)s 次作答机会。") % {"n": quiz.max_attempts}, code="no_attempts_left"
        )
    bank = _question_limit_check(quiz)
    if len(bank) < quiz.question_count:
        raise ValidationError(_("题库题目不足,测验暂时无法开始,请联系讲师。"), code="bank_too_small")
    drawn = random.SystemRandom().sample(bank, quiz.question_count)
    return QuizAttempt.objects.create(
        quiz=quiz, enrolment=enrolment, number=used + 1, question_ids=drawn, started_at=now, total=len(drawn)
    )


def mark_answer(question: Any, chosen: list[int]) -> bool:
    """A single-choice or true/false question is right with its one option; a multiple-choice one only
    with exactly the right set (no partial marks)."""
    return sorted(set(chosen)) == sorted(question.answer)


@transaction.atomic
def quiz_submit(
    *, actor: Any, attempt: Any, answers: dict[str, list[int]], now: dt.datetime | None = None
) -> Any:
    """Hand in an attempt: every drawn question is marked automatically and the pass mark decides."""
    from jingxiang.academy.models import Question, QuizAttempt

    now = now or timezone.now()
    attempt = (
        QuizAttempt.objects.select_for_update(of=("self",))
        .select_related("quiz", "enrolment__talent")
        .get(pk=attempt.pk)
    )
    if attempt.enrolment.talent.user_id != actor.pk:
        raise PermissionDenied
    if attempt.submitted_at is not None:
        raise ValidationError(_("本次作答已交卷,不能重复提交。"), code="already_submitted")
    if now >= attempt.quiz.closes_at:
        raise ValidationError(_("测验已截止,不能再交卷。"), code="closed")
    questions = Question.objects.in_bulk(attempt.question_ids)
    stored: dict[str, list[int]] = {}
    correct = 0
    for question_id in attempt.question_ids:
        question = questions.get(question_id)
        chosen = sorted({int(v) for v in answers.get(str(question_id), [])})
        if question is None:
            continue
        if any(index < 0 or index >= len(question.options) for index in chosen):
            raise ValidationError(_("答案中有不存在的选项,请重新作答。"), code="bad_option")
        stored[str(question_id)] = chosen
        correct += int(mark_answer(question, chosen))
    total = len(attempt.question_ids)
    attempt.answers = stored
    attempt.correct = correct
    attempt.total = total
    attempt.score = (
        (Decimal(correct * 100) / Decimal(total)).quantize(Decimal("0.1")) if total else Decimal(0)
    )
    attempt.passed = attempt.score >= attempt.quiz.pass_mark
    attempt.submitted_at = now
    attempt.save()
    return attempt


# Check-in by the trainee's card -----------------------------------------------------------------


def card_code_from(scanned: str) -> str:
    """The card code in what was scanned or typed: the code itself (spaces and dashes allowed), or the
    card's verification address that its QR holds (…/verify/trainee-card/<code>/)."""
    text = (scanned or "").strip()
    if "/" in text:
        parts = [part for part in text.split("?")[0].split("/") if part]
        text = parts[-1] if parts else ""
    return "".join(ch for ch in text if ch.isalnum()).upper()


def _scan_error(message: str, code: str) -> ValidationError:
    """A refusal shown on the check-in form's code field, keeping its code for callers and tests."""
    return ValidationError({"code": [ValidationError(message, code=code)]})


@transaction.atomic
def attendance_scan(*, actor: Any, session: Session, code: str, now: dt.datetime | None = None) -> Attendance:
    """The trainer scans a trainee's card (or types its code) during the session. A card scanned twice
    for the same session is refused with the time of the first scan."""
    from jingxiang.academy.permissions import may_scan_cards

    if not may_scan_cards(actor, session):
        raise PermissionDenied
    now = now or timezone.now()
    enforce_time_rules(
        CHECKIN_RULES, {"checked_at": now, "starts_at": session.starts_at}, actor=actor, now=now
    )
    if now > session.ends_at:
        raise _scan_error(_("本课次已下课,不能再扫码签到;如需补登请使用人工登记。"), "outside_window")
    card = card_code_from(code)
    enrolment = Enrolment.objects.select_related("talent").filter(card_code=card).first() if card else None
    if enrolment is None:
        raise _scan_error(_("无法识别的学员码,请核对后重新扫描或输入。"), "bad_code")
    if enrolment.cohort_id != session.cohort_id:
        raise _scan_error(
            _("%(name)s 不是本班学员(学员码属于其他班级)。") % {"name": enrolment.talent.name}, "other_cohort"
        )
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise _scan_error(
            _("%(name)s 的报名状态为“%(status)s”,不能签到。")
            % {"name": enrolment.talent.name, "status": enrolment.get_status_display()},
            "not_enrolled",
        )
    # Two trainers scanning the same card at once: the session row serialises them.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    earlier = Attendance.objects.filter(session=session, enrolment=enrolment).first()
    if earlier is not None:
        raise _scan_error(
            _("%(name)s 已于 %(at)s 签到,同一课次不能重复签到。")
            % {
                "name": enrolment.talent.name,
                "at": timezone.localtime(earlier.created_at).strftime("%H:%M"),
            },
            "already_checked_in",
        )
    return Attendance.objects.create(
        session=session, enrolment=enrolment, method=AttendanceMethod.CARD, marked_by=actor
    )
