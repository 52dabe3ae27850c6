"""Who is the academy, and who may see and change what in it.

The academy ("工匠学院") is run by:

* platform operators (the town's service centre and the alliance secretariat) for every course, and
* the staff (org_admin or member) of approved organisations of kind ``university`` — universities,
  vocational schools and the 工匠学院 itself — for the courses their organisation provides and for the
  订单培养 orders their organisation accepts.

Firms act through their org_admin and 共享人才官: they enrol their own workers (Talent records whose
home organisation is the firm) and see only those workers' enrolments, attendance and certificates.
A person with a login (``Talent.user``) enrols themself and sees their own records. Everything else is
denied; "not found" and "forbidden" both raise Http404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404

if TYPE_CHECKING:  # academy.models calls into this module, so the model is imported for types only
    from jingxiang.academy.models import Enrolment
from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.organisations.models import Organisation, OrganisationKind, Role
from jingxiang.organisations.permissions import (
    approved_organisation_ids,
    is_approved_member,
    is_operator,
    managed_firm_ids,
)

_ACADEMY_ATTR = "_jingxiang_academy_orgs"
ACADEMY_ROLES = (Role.ORG_ADMIN, Role.MEMBER)


def academy_org_ids(user: Any) -> set[int]:
    """Approved university-kind organisations the user runs courses for (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, _ACADEMY_ATTR, None)
    if cached is None:
        candidates = approved_organisation_ids(user, *ACADEMY_ROLES)
        cached = (
            set(
                Organisation.objects.filter(
                    pk__in=candidates, kind=OrganisationKind.UNIVERSITY, archived_at__isnull=True
                ).values_list("pk", flat=True)
            )
            if candidates
            else set()
        )
        setattr(user, _ACADEMY_ATTR, cached)
    return set(cached)


def school_ids(user: Any) -> set[int]:
    """Schools that may accept 订单培养 orders are the same university-kind organisations."""
    return academy_org_ids(user)


def own_talent(user: Any) -> Any:
    """The user's own Talent profile, or None (cached per request, shared with the other apps)."""
    from jingxiang.organisations.models import own_talent_profile

    return own_talent_profile(user)


def is_academy_staff(user: Any) -> bool:
    return is_operator(user) or bool(academy_org_ids(user))


def may_manage_provider(user: Any, provider_id: int | None) -> bool:
    """Courses, cohorts, attendance, assessments and certificates of one provider."""
    return is_operator(user) or (provider_id is not None and provider_id in academy_org_ids(user))


def may_browse(user: Any) -> bool:
    """The catalogue and schedules: anyone acting for an approved organisation, or a talent with a login."""
    return is_approved_member(user) or own_talent(user) is not None


def may_enrol_for_firm(user: Any) -> bool:
    """Firms act through their managers: enrolling workers, placing and joining orders."""
    return bool(managed_firm_ids(user))


def may_follow_training(user: Any) -> bool:
    """The enrolment and certificate lists: the academy, firms (their workers) and trainees (themselves)."""
    return is_academy_staff(user) or may_enrol_for_firm(user) or own_talent(user) is not None


def may_see_orders(user: Any) -> bool:
    """订单培养 orders: the schools that accept them and the firms that place them."""
    return is_academy_staff(user) or may_enrol_for_firm(user)


def may_enrol_into(user: Any, cohort: Any) -> bool:
    """The enrolment page of a cohort: a firm for its workers, a person for themself, the academy for anyone."""
    return (
        may_enrol_for_firm(user)
        or own_talent(user) is not None
        or may_manage_provider(user, cohort.course.provider_id)
    )


def may_enrol(user: Any, cohort: Any) -> bool:
    """The "报名" button: the enrolment page while the cohort takes applications."""
    from jingxiang.academy.models import CohortStatus

    return cohort.status == CohortStatus.OPEN and may_enrol_into(user, cohort)


def worker_firm_ids(user: Any) -> set[int]:
    """Firms for which the user may add a worker's profile while enrolling them (the talents' rule)."""
    from jingxiang.talents.permissions import may_create_for

    return {firm for firm in managed_firm_ids(user) if may_create_for(user, firm)}


def feedback_role(user: Any, cohort: Any) -> str | None:
    """Trainees who attended at least one session, and the cohort's trainers, may give feedback."""
    from jingxiang.academy.models import Attendance, FeedbackRole

    talent = own_talent(user)
    if talent is None:
        return None
    if cohort.lead_trainer_id == talent.pk or cohort.course.trainers.filter(pk=talent.pk).exists():
        return FeedbackRole.TRAINER
    if Attendance.objects.filter(enrolment__cohort=cohort, enrolment__talent=talent).exists():
        return FeedbackRole.TRAINEE
    return None


def may_withdraw(user: Any, enrolment: Any) -> bool:
    """The academy, the sponsoring or home firm, and the person themself may withdraw an enrolment."""
    firms = managed_firm_ids(user)
    return (
        may_manage_provider(user, enrolment.cohort.course.provider_id)
        or enrolment.sponsor_id in firms
        or enrolment.talent.home_organisation_id in firms
        or (enrolment.talent.user_id is not None and enrolment.talent.user_id == user.pk)
    )


def may_see_name(user: Any, talent: Any) -> bool:
    """A trainee's full name: whoever sees names at all, and the person themself."""
    return may_see_names(user) or (talent.user_id is not None and talent.user_id == user.pk)


def may_view_reports(user: Any) -> bool:
    """Academy staff and the union (技能链 of 三链融合) see all figures; firms see their own workers."""
    from jingxiang.organisations.permissions import is_union_staff

    return is_academy_staff(user) or is_union_staff(user) or bool(managed_firm_ids(user))


def sees_all_people(user: Any) -> bool:
    """Report drill-downs show every trainee (names masked for the union); firms only their own."""
    from jingxiang.organisations.permissions import is_union_staff

    return is_academy_staff(user) or is_union_staff(user)


def may_see_names(user: Any) -> bool:
    return is_academy_staff(user) or bool(managed_firm_ids(user))


def access_course(user: Any, pk: int, *, write: bool = False) -> Any:
    """The course if the user may see it (or manage it, with ``write``); Http404 otherwise."""
    from jingxiang.academy.models import Course

    course = Course.objects.visible_to(user).select_related("provider", "skill").filter(pk=pk).first()
    if course is None or (write and not may_manage_provider(user, course.provider_id)):
        raise Http404
    return course


def access_cohort(user: Any, pk: int, *, write: bool = False) -> Any:
    """The cohort if the user may see it (or run it, with ``write``); Http404 otherwise."""
    from jingxiang.academy.models import Cohort

    cohort = (
        Cohort.objects.visible_to(user)
        .select_related("course__provider", "course__skill", "course__occupation_level__occupation", "order")
        .filter(pk=pk)
        .first()
    )
    if cohort is None or (write and not may_manage_provider(user, cohort.course.provider_id)):
        raise Http404
    return cohort


def access_enrolment(user: Any, pk: int, *, write: bool = False) -> Enrolment:
    """An enrolment the user may see (its academy, the worker's firm, the person); ``write`` is for the
    academy that runs the cohort."""
    from jingxiang.academy.models import Enrolment

    enrolment: Enrolment | None = (
        Enrolment.objects.visible_to(user)
        .select_related("cohort__course__provider", "talent__home_organisation", "sponsor")
        .filter(pk=pk)
        .first()
    )
    if enrolment is None or (write and not may_manage_provider(user, enrolment.cohort.course.provider_id)):
        raise Http404
    return enrolment


def access_certificate(user: Any, pk: int, *, write: bool = False) -> Any:
    """A certificate the user may see; ``write`` (revocation) is for the issuing academy."""
    from jingxiang.academy.models import Certificate

    certificate = (
        Certificate.objects.visible_to(user)
        .select_related(
            "enrolment__cohort__course__provider", "talent", "skill", "occupation_level__occupation"
        )
        .filter(pk=pk)
        .first()
    )
    if certificate is None or (
        write and not may_manage_provider(user, certificate.enrolment.cohort.course.provider_id)
    ):
        raise Http404
    return certificate


def may_run_session(user: Any, session: Any) -> bool:
    """The session's screen (QR code, register): the academy running it and the cohort's trainers."""
    if may_manage_provider(user, session.cohort.course.provider_id):
        return True
    talent = own_talent(user)
    return talent is not None and (
        session.cohort.lead_trainer_id == talent.pk
        or session.cohort.course.trainers.filter(pk=talent.pk).exists()
    )


def access_session(user: Any, pk: int, *, write: bool = False) -> Any:
    """A session its trainers and academy may open; ``write`` (the register) is for the academy only."""
    from jingxiang.academy.models import Session

    session = Session.objects.select_related("cohort__course__provider").filter(pk=pk).first()
    if session is None or not may_run_session(user, session):
        raise Http404
    if write and not may_manage_provider(user, session.cohort.course.provider_id):
        raise Http404
    return session


def access_checkin(user: Any, code: str) -> Any:
    """The session a check-in code belongs to: the code shown in the classroom is the key, so any
    logged-in user who holds it sees the session (whether they may check in is the service's rule)."""
    from jingxiang.academy.models import Session

    session = Session.objects.select_related("cohort__course").filter(checkin_code=code).first()
    if session is None or not getattr(user, "is_authenticated", False):
        raise Http404
    return session


def access_level(user: Any, pk: int) -> Any:
    """An occupation level's pass marks and eligibility paths are edited by operators only."""
    from jingxiang.academy.models import OccupationLevel

    level = OccupationLevel.objects.select_related("occupation").filter(pk=pk).first()
    if level is None or not is_operator(user):
        raise Http404
    return level


def may_run_order(user: Any, order: Any) -> bool:
    """The school that accepted the order (or an operator) opens its cohorts and records the pipeline."""
    return is_operator(user) or (order.school_id is not None and order.school_id in academy_org_ids(user))


def may_follow_order(user: Any, order: Any) -> bool:
    """The school running an order and the firms in it see its trainees and history."""
    return may_run_order(user, order) or bool(
        managed_firm_ids(user) & set(order.participants.values_list("firm_id", flat=True))
    )


def order_joinable_firm_ids(user: Any, order: Any) -> set[int]:
    """Firms of the user that may still join an open order (orders placed together)."""
    from jingxiang.academy.models import OrderStatus

    if order.status != OrderStatus.OPEN:
        return set()
    return managed_firm_ids(user) - set(order.participants.values_list("firm_id", flat=True))


def may_accept_order(user: Any, order: Any) -> bool:
    """Schools (and operators) accept an open order; ``services.order_accept`` checks the school chosen."""
    from jingxiang.academy.models import OrderStatus

    return order.status == OrderStatus.OPEN and is_academy_staff(user)


def may_record_pipeline(user: Any, enrolment: Any, firm_id: int | None) -> bool:
    """Offers, hires and retention of an order trainee: the firm concerned or the school running the order."""
    order = enrolment.cohort.order
    return firm_id in managed_firm_ids(user) or (order is not None and may_run_order(user, order))


def pipeline_firms(user: Any, enrolment: Any) -> Any:
    """The firms of the enrolment's order for which the user may record an offer or a hire."""
    order = enrolment.cohort.order
    if order is None:
        return Organisation.objects.none()
    firms = Organisation.objects.filter(pk__in=order.participants.values_list("firm_id", flat=True))
    return firms if may_run_order(user, order) else firms.filter(pk__in=managed_firm_ids(user))


def access_order(user: Any, pk: int, *, write: bool = False) -> Any:
    """A 订单培养 order the user may see; ``write`` is for the accepting school and operators."""
    from jingxiang.academy.models import TrainingOrder

    order = TrainingOrder.objects.visible_to(user).filter(pk=pk).first()
    if order is None or (write and not may_run_order(user, order)):
        raise Http404
    return order


def attention_cards(user: Any) -> list[dict[str, Any]]:
    """Home-page cards: applications to approve (academy), open orders (schools), fixed queries."""
    from jingxiang.academy.models import Enrolment, EnrolmentStatus, OrderStatus, TrainingOrder

    cards: list[dict[str, Any]] = []
    if is_academy_staff(user):
        pending = Enrolment.objects.visible_to(user).filter(status=EnrolmentStatus.PENDING)
        if not is_operator(user):
            pending = pending.filter(cohort__course__provider_id__in=academy_org_ids(user))
        count = pending.count()
        cards.append(
            {
                "title": _("待审核的培训报名"),
                "count": count,
                "url": reverse("academy:enrolment_list") + "?status=pending",
                "tone": "waiting" if count else "ok",
            }
        )
        open_orders = TrainingOrder.objects.filter(status=OrderStatus.OPEN, archived_at__isnull=True).count()
        cards.append(
            {
                "title": _("待接单的订单培养需求"),
                "count": open_orders,
                "url": reverse("academy:order_list") + "?status=open",
                "tone": "waiting" if open_orders else "ok",
            }
        )
    firms = managed_firm_ids(user)
    if firms:
        to_hire = (
            Enrolment.objects.filter(
                status=EnrolmentStatus.GRADUATED,
                hired_by__isnull=True,
                cohort__order__participants__firm_id__in=firms,
                cohort__order__status=OrderStatus.ACCEPTED,
            )
            .distinct()
            .count()
        )
        if to_hire:
            cards.append(
                {
                    "title": _("订单班已结业、待录用的学员"),
                    "count": to_hire,
                    "url": reverse("academy:enrolment_list") + "?status=graduated",
                    "tone": "waiting",
                }
            )
    return cards


# Course materials, quizzes and trainee cards (issue 21) -------------------------------------------

#: Enrolments that make a person one of a cohort's trainees (materials and quizzes are theirs).
TRAINEE_STATUSES = ("enrolled", "graduated")


def teaches_course(user: Any, course: Any) -> bool:
    """The course's trainers and the lead trainers of its cohorts (a Talent with a login)."""
    talent = own_talent(user)
    if talent is None:
        return False
    return bool(
        course.trainers.filter(pk=talent.pk).exists() or course.cohorts.filter(lead_trainer=talent).exists()
    )


def may_teach(user: Any, course: Any) -> bool:
    """Materials, the question bank and quizzes of a course: its academy (and operators) and its trainers."""
    return may_manage_provider(user, course.provider_id) or teaches_course(user, course)


def trainee_enrolment(user: Any, cohort_ids: Any) -> Any:
    """The user's own live enrolment in one of the cohorts (as a trainee), or None."""
    from jingxiang.academy.models import Enrolment

    talent = own_talent(user)
    if talent is None:
        return None
    return (
        Enrolment.objects.filter(cohort_id__in=cohort_ids, talent=talent, status__in=TRAINEE_STATUSES)
        .select_related("cohort")
        .order_by("-created_at")
        .first()
    )


def may_see_materials(user: Any, session: Any) -> bool:
    """A session's materials: the cohort's trainees, its trainers, the academy running it and operators."""
    if may_run_session(user, session):
        return True
    return trainee_enrolment(user, [session.cohort_id]) is not None


def may_add_material(user: Any, session: Any) -> bool:
    return may_run_session(user, session)


def access_material(user: Any, pk: int, *, write: bool = False) -> Any:
    """A material of a session the user may see (``write``: archive it, for those who may add one)."""
    from jingxiang.academy.models import Material

    material = Material.objects.select_related("session__cohort__course").filter(pk=pk).first()
    # An archived material is gone for its readers; those who may add one may still open (and archive) it.
    if material is None or (material.archived_at is not None and not write):
        raise Http404
    if not may_see_materials(user, material.session):
        raise Http404
    if write and not may_add_material(user, material.session):
        raise Http404
    return material


def quiz_cohort_ids(quiz: Any) -> list[int]:
    """The cohorts whose trainees sit the quiz: the session's cohort, or every cohort of the course."""
    if quiz.session_id:
        return [quiz.session.cohort_id]
    return list(quiz.course.cohorts.values_list("pk", flat=True))


def quiz_enrolment(user: Any, quiz: Any) -> Any:
    """The enrolment through which the user sits the quiz (None for anyone who is not its trainee)."""
    return trainee_enrolment(user, quiz_cohort_ids(quiz))


def access_course_bank(user: Any, pk: int) -> Any:
    """A course whose question bank and quizzes the user manages (its academy or trainers)."""
    from jingxiang.academy.models import Course

    course = Course.objects.select_related("provider").filter(pk=pk).first()
    if course is None or not may_teach(user, course):
        raise Http404
    return course


def access_question(user: Any, pk: int) -> Any:
    from jingxiang.academy.models import Question

    question = Question.objects.select_related("course").filter(pk=pk).first()
    if question is None or not may_teach(user, question.course):
        raise Http404
    return question


def access_quiz(user: Any, pk: int, *, write: bool = False) -> Any:
    """A quiz its trainees (to sit it) and its course's teachers (to run it and read results) may open."""
    from jingxiang.academy.models import Quiz

    quiz = Quiz.objects.select_related("course__provider", "session__cohort").filter(pk=pk).first()
    if quiz is None:
        raise Http404
    teacher = may_teach(user, quiz.course)
    if write and not teacher:
        raise Http404
    if not teacher and (quiz.archived_at is not None or quiz_enrolment(user, quiz) is None):
        raise Http404
    return quiz


def access_attempt(user: Any, pk: int) -> Any:
    """An attempt: its trainee, and the quiz's teachers (trainers, academy, operators)."""
    from jingxiang.academy.models import QuizAttempt

    attempt = (
        QuizAttempt.objects.select_related("quiz__course", "quiz__session", "enrolment__talent")
        .filter(pk=pk)
        .first()
    )
    if attempt is None:
        raise Http404
    mine = attempt.enrolment.talent.user_id is not None and attempt.enrolment.talent.user_id == user.pk
    if not mine and not may_teach(user, attempt.quiz.course):
        raise Http404
    return attempt


def may_scan_cards(user: Any, session: Any) -> bool:
    """Checking trainees in by their card's QR: whoever runs the session (its trainers and academy)."""
    return may_run_session(user, session)
