"""Reads of the academy that are more than one queryset filter: attendance, eligibility, fulfilment."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jingxiang.academy.models import (
    COHORT_MOVES,
    Attendance,
    Certificate,
    CertificateStatus,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    OccupationLevel,
    OrderParticipant,
    OrderStatus,
    Session,
    TrainingOrder,
)
from jingxiang.academy.permissions import may_manage_provider, may_run_order, own_talent
from jingxiang.academy.rules import CERTIFICATE_RULES
from jingxiang.core.pages import NextStep, first_step
from jingxiang.core.timerules import time_rule_violations
from jingxiang.organisations.permissions import managed_firm_ids

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ZERO = Decimal("0")


def attendance_rate(attended: int, sessions: int) -> Decimal:
    """Attended share of the cohort's sessions, exact to three places (no floats at the 80 % edge)."""
    if sessions <= 0:
        return ZERO
    return (Decimal(attended) / Decimal(sessions)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def enrolment_attendance(enrolment: Enrolment) -> tuple[int, int, Decimal]:
    """(attended sessions, total sessions, attended hours) of one enrolment."""
    sessions = list(enrolment.cohort.sessions.all())
    attended_ids = set(enrolment.attendances.values_list("session_id", flat=True))
    hours = sum((s.hours for s in sessions if s.pk in attended_ids), ZERO)
    return len(attended_ids), len(sessions), hours


def roster(cohort: Cohort, enrolments: Any) -> list[Enrolment]:
    """Enrolments with ``attended`` counts and ``rate`` attached, in two queries."""
    total = cohort.sessions.count()
    rows = list(
        enrolments.select_related("talent__home_organisation", "sponsor", "assessment", "certificate")
        .annotate(attended=Count("attendances", distinct=True))
        .order_by("created_at", "pk")
    )
    for row in rows:
        row.rate = attendance_rate(row.attended, total)
        row.total_sessions = total
    return rows


@dataclass
class Eligibility:
    eligible: bool
    reasons: list[str] = field(default_factory=list)


def _holds_level(talent_id: int, level: OccupationLevel, rank: int) -> bool:
    return Certificate.objects.filter(
        talent_id=talent_id,
        status=CertificateStatus.VALID,
        occupation_level__occupation_id=level.occupation_id,
        occupation_level__rank__lte=rank,
    ).exists()


def eligibility(enrolment: Enrolment) -> Eligibility:
    """Whether the trainee may be certified at the course's level, by the level's data rules.

    Each rule path lists conditions that must all hold; any one satisfied path makes the trainee
    eligible. Without an occupation level the course certifies a taxonomy skill and only the
    assessment counts.
    """
    level = enrolment.cohort.course.occupation_level
    if level is None:
        return Eligibility(True)
    paths = level.eligibility or [{}]
    _attended, _total, hours = enrolment_attendance(enrolment)
    reasons: list[str] = []
    for path in paths:
        unmet: list[str] = []
        min_years = Decimal(str(path.get("min_years", 0)))
        if enrolment.years_experience < min_years:
            unmet.append(
                _("从业满 %(need)s 年(现 %(have)s 年)")
                % {"need": min_years, "have": enrolment.years_experience}
            )
        if path.get("previous_level") and not _holds_level(enrolment.talent_id, level, level.rank + 1):
            unmet.append(_("持有本职业低一级的有效证书"))
        min_hours = Decimal(str(path.get("min_training_hours", 0)))
        if hours < min_hours:
            unmet.append(_("本班培训满 %(need)s 学时(现 %(have)s 学时)") % {"need": min_hours, "have": hours})
        if not unmet:
            return Eligibility(True)
        reasons.append(pgettext("列表分隔符", "、").join(unmet))
    return Eligibility(False, reasons)


@dataclass
class Fulfilment:
    """One order's (or school's) pipeline counts."""

    label: str
    headcount: int = 0
    committed: int = 0
    enrolled: int = 0
    graduated: int = 0
    offered: int = 0
    hired: int = 0
    employed_6m: int = 0
    employed_12m: int = 0
    order: Any = None
    school: Any = None

    @property
    def rate(self) -> Decimal:
        """Hires against the firms' commitment (or the headcount when nothing was committed)."""
        target = self.committed or self.headcount
        return (Decimal(self.hired) / Decimal(target)).quantize(Decimal("0.001")) if target else ZERO


_PIPELINE = {
    "enrolled": Count(
        "cohorts__enrolments",
        filter=Q(cohorts__enrolments__status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED]),
        distinct=True,
    ),
    "graduated": Count(
        "cohorts__enrolments", filter=Q(cohorts__enrolments__status=EnrolmentStatus.GRADUATED), distinct=True
    ),
    "offered": Count(
        "cohorts__enrolments", filter=Q(cohorts__enrolments__offer_firm__isnull=False), distinct=True
    ),
    "hired": Count(
        "cohorts__enrolments", filter=Q(cohorts__enrolments__hired_by__isnull=False), distinct=True
    ),
    "employed_6m": Count(
        "cohorts__enrolments", filter=Q(cohorts__enrolments__employed_6m=True), distinct=True
    ),
    "employed_12m": Count(
        "cohorts__enrolments", filter=Q(cohorts__enrolments__employed_12m=True), distinct=True
    ),
}


def order_fulfilment(orders: Any) -> list[Fulfilment]:
    """Fulfilment per order in two queries (pipeline counts, then commitments)."""
    rows = list(orders.select_related("school").annotate(**_PIPELINE))
    committed: dict[int, int] = {}
    for participant in OrderParticipant.objects.filter(order__in=[o.pk for o in rows]):
        committed[participant.order_id] = committed.get(participant.order_id, 0) + participant.hires_committed
    return [
        Fulfilment(
            label=order.title,
            headcount=order.headcount,
            committed=committed.get(order.pk, 0),
            enrolled=order.enrolled,
            graduated=order.graduated,
            offered=order.offered,
            hired=order.hired,
            employed_6m=order.employed_6m,
            employed_12m=order.employed_12m,
            order=order,
            school=order.school,
        )
        for order in rows
    ]


def order_progress(order: TrainingOrder) -> Fulfilment:
    """One order's fulfilment (its page)."""
    return order_fulfilment(TrainingOrder.objects.filter(pk=order.pk))[0]


def school_fulfilment(orders: Any) -> list[Fulfilment]:
    """The same counts summed per accepting school."""
    per_school: dict[int, Fulfilment] = {}
    for row in order_fulfilment(orders.filter(school__isnull=False)):
        total = per_school.setdefault(row.school.pk, Fulfilment(label=row.school.name, school=row.school))
        for name in ("headcount", "committed", "enrolled", "graduated", "offered", "hired", "employed_6m"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.employed_12m += row.employed_12m
    return sorted(per_school.values(), key=lambda f: f.label)


def with_order_progress(orders: Any) -> Any:
    """Orders with ``hired`` and ``committed`` for the list (one query; commitments summed apart, so the
    join over enrolments does not multiply them)."""
    committed = (
        OrderParticipant.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(total=Sum("hires_committed"))
        .values("total")
    )
    return orders.annotate(
        hired=_PIPELINE["hired"],
        committed=Coalesce(Subquery(committed, output_field=IntegerField()), Value(0)),
    )


def cohort_status_moves(cohort: Cohort) -> list[tuple[str, StrOrPromise]]:
    """The statuses the cohort may move to now (the buttons on its page)."""
    return [
        (value, label)
        for value, label in CohortStatus.choices
        if cohort.status in COHORT_MOVES.get(value, set())
    ]


def cohort_has_ended(cohort: Cohort) -> bool:
    """Whether certificates may be issued today (the academy's time rule, not a copy of it)."""
    values = {"issued_on": timezone.localdate(), "ends_on": cohort.ends_on}
    return not time_rule_violations(CERTIFICATE_RULES, values)


def cohort_rating(cohort: Cohort) -> dict[str, Any]:
    """Average rating and number of ratings."""
    return cohort.feedback.aggregate(avg=Avg("rating"), n=Count("pk"))


def session_register(session: Session) -> tuple[list[Enrolment], set[int]]:
    """Who may be marked present in a session, and who is."""
    enrolments = list(
        session.cohort.enrolments.filter(status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED])
        .select_related("talent")
        .order_by("created_at", "pk")
    )
    present = set(session.attendances.values_list("enrolment_id", flat=True))
    return enrolments, present


def own_attendance(session: Session, user: Any) -> Attendance | None:
    """The user's own check-in for the session, if any."""
    talent = own_talent(user)
    if talent is None:
        return None
    return Attendance.objects.filter(session=session, enrolment__talent=talent).first()


def trainer_record(trainer: Any) -> tuple[Any, dict[str, Any], Any]:
    """A trainer's cohorts with trainee counts, their trainees' rating, and the latest comments."""
    cohorts = (
        Cohort.objects.filter(Q(lead_trainer=trainer) | Q(course__trainers=trainer))
        .distinct()
        .select_related("course")
        .annotate(
            trainees=Count(
                "enrolments", filter=Q(enrolments__status__in=["enrolled", "graduated"]), distinct=True
            ),
            graduated=Count("enrolments", filter=Q(enrolments__status="graduated"), distinct=True),
            certified=Count("enrolments__certificate", distinct=True),
        )
        .order_by("-starts_on")
    )
    given = Feedback.objects.filter(cohort__in=cohorts.values("pk"), role="trainee")
    ratings = given.aggregate(avg=Avg("rating"), n=Count("pk"))
    return cohorts, ratings, given.exclude(comment="")[:10]


# Who acts next ----------------------------------------------------------------------------------


def cohort_next_step(
    cohort: Cohort, rows: list[Enrolment], sessions: list[Session], user: Any
) -> NextStep | None:
    """Who must act next on a cohort (UI rule: every workflow object says it)."""
    provider = cohort.course.provider.name
    mine = may_manage_provider(user, cohort.course.provider_id)
    return first_step(
        (
            cohort.status == CohortStatus.OPEN and not sessions,
            NextStep(_("等待 %(p)s 排课") % {"p": provider}, actor=provider, mine=mine),
        ),
        (
            any(r.status == EnrolmentStatus.PENDING for r in rows),
            NextStep(_("等待 %(p)s 审核报名") % {"p": provider}, actor=provider, mine=mine),
        ),
        (cohort.status == CohortStatus.OPEN, NextStep(_("报名中:等待企业或个人报名"))),
        (
            cohort.status == CohortStatus.RUNNING,
            NextStep(
                _("开课中:等待 %(p)s 登记出勤、考核与发证") % {"p": provider}, actor=provider, mine=mine
            ),
        ),
        (cohort.status == CohortStatus.COMPLETED, NextStep(_("已结业:等待学员和师资评价"))),
    )


def enrolment_next_step(enrolment: Enrolment, user: Any) -> NextStep | None:
    """Who must act next on one trainee's enrolment."""
    cohort = enrolment.cohort
    provider = cohort.course.provider.name
    mine = may_manage_provider(user, cohort.course.provider_id)
    status = enrolment.status
    assessment = getattr(enrolment, "assessment", None)
    enrolled = status == EnrolmentStatus.ENROLLED
    order = cohort.order
    in_order = order is not None and bool(
        managed_firm_ids(user) & set(order.participants.values_list("firm_id", flat=True))
    )

    def academy(text: str) -> NextStep:
        return NextStep(text, actor=provider, mine=mine)

    return first_step(
        (status == EnrolmentStatus.PENDING, academy(_("等待 %(p)s 审核报名") % {"p": provider})),
        (status == EnrolmentStatus.WAITLISTED, NextStep(_("候补中:有人退出时自动递补"))),
        (
            enrolled and assessment is None,
            academy(_("等待 %(p)s 登记出勤和考核成绩") % {"p": provider}),
        ),
        (
            enrolled and assessment is not None and assessment.passed and not cohort_has_ended(cohort),
            academy(
                _("考核通过:%(day)s 结业后由 %(p)s 颁发证书")
                % {"day": cohort.ends_on.isoformat(), "p": provider}
            ),
        ),
        (
            enrolled and assessment is not None and assessment.passed,
            academy(_("等待 %(p)s 颁发证书") % {"p": provider}),
        ),
        (enrolled, academy(_("考核未通过:等待 %(p)s 安排补考或结业") % {"p": provider})),
        (
            status == EnrolmentStatus.GRADUATED and order is not None and enrolment.hired_by_id is None,
            NextStep(_("等待订单企业录用"), mine=in_order),
        ),
    )


def order_next_step(order: TrainingOrder, user: Any) -> NextStep | None:
    """Who must act next on a 订单培养 order."""
    school = order.school.name if order.school else ""
    mine = may_run_order(user, order)
    return first_step(
        (order.status == OrderStatus.OPEN, NextStep(_("等待高校或职业院校接单"))),
        (
            order.status == OrderStatus.ACCEPTED and not order.cohorts.exists(),
            NextStep(_("等待 %(s)s 开设订单班") % {"s": school}, actor=school, mine=mine),
        ),
        (
            order.status == OrderStatus.ACCEPTED,
            NextStep(_("培养中:等待 %(s)s 培养结业、企业录用") % {"s": school}, actor=school, mine=mine),
        ),
    )


# Course materials and quizzes (issue 21) --------------------------------------------------------


def cohort_learning(cohort: Any) -> list[tuple[Any, list[Any]]]:
    """The cohort's sessions, each with its current materials (one query for all materials)."""
    from jingxiang.academy.models import Material

    sessions = list(cohort.sessions.all())
    by_session: dict[int, list[Any]] = {session.pk: [] for session in sessions}
    for material in Material.objects.filter(session__cohort=cohort, archived_at__isnull=True).order_by(
        "created_at", "pk"
    ):
        by_session[material.session_id].append(material)
    return [(session, by_session[session.pk]) for session in sessions]


def cohort_quizzes(cohort: Any, *, include_archived: bool = False) -> Any:
    """Quizzes the cohort's trainees sit: the course's own and those of the cohort's sessions."""
    from django.db.models import Q

    from jingxiang.academy.models import Quiz

    quizzes = Quiz.objects.filter(course_id=cohort.course_id).filter(
        Q(session__isnull=True) | Q(session__cohort=cohort)
    )
    if not include_archived:
        quizzes = quizzes.filter(archived_at__isnull=True)
    return quizzes.select_related("session").order_by("opens_at", "pk")


def quiz_standing(quiz: Any, enrolment: Any) -> dict[str, Any]:
    """A trainee's history on one quiz: their attempts, the best mark, what is left and whether they
    may start (or resume) now."""
    from jingxiang.academy.models import QuizAttempt

    attempts = list(QuizAttempt.objects.filter(quiz=quiz, enrolment=enrolment).order_by("number"))
    marked = [attempt for attempt in attempts if attempt.submitted_at is not None]
    unfinished = next((attempt for attempt in attempts if attempt.submitted_at is None), None)
    now = timezone.now()
    left = max(quiz.max_attempts - len(attempts), 0)
    return {
        "attempts": attempts,
        "best": max(marked, key=lambda attempt: attempt.score or 0) if marked else None,
        "left": left,
        "unfinished": unfinished,
        "can_start": quiz.archived_at is None and quiz.is_open(now) and (unfinished is not None or left > 0),
        "not_yet": now < quiz.opens_at,
        "closed": now >= quiz.closes_at,
    }


def attempt_paper(attempt: Any) -> list[Any]:
    """The drawn questions of an attempt in the order they were drawn (archived ones included)."""
    from jingxiang.academy.models import Question

    questions = Question.objects.in_bulk(attempt.question_ids)
    return [questions[pk] for pk in attempt.question_ids if pk in questions]


def attempt_review(attempt: Any, *, show_answers: bool) -> list[dict[str, Any]]:
    """Each question of a marked attempt with the options chosen, whether it was right and (when
    ``show_answers``) the right options."""
    from jingxiang.academy.services import mark_answer

    rows = []
    for question in attempt_paper(attempt):
        chosen = attempt.answers.get(str(question.pk), [])
        rows.append(
            {
                "question": question,
                "options": [
                    {
                        "letter": chr(ord("A") + index),
                        "text": option,
                        "chosen": index in chosen,
                        "right": show_answers and index in question.answer,
                    }
                    for index, option in enumerate(question.options)
                ],
                "correct": mark_answer(question, chosen),
            }
        )
    return rows


def best_quiz_results(enrolment: Any) -> list[dict[str, Any]]:
    """The trainee's best marked attempt of each quiz (shown beside the assessment; it does not count in it)."""
    from jingxiang.academy.models import QuizAttempt

    best: dict[int, Any] = {}
    for attempt in (
        QuizAttempt.objects.filter(enrolment=enrolment, submitted_at__isnull=False)
        .select_related("quiz")
        .order_by("quiz_id", "-score", "number")
    ):
        best.setdefault(attempt.quiz_id, attempt)
    return [{"quiz": attempt.quiz, "attempt": attempt} for attempt in best.values()]
