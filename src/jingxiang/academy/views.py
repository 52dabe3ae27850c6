from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from jingxiang.academy import documents, forms, reports, services
from jingxiang.academy.documents import certificate_check as check_certificate
from jingxiang.academy.filters import (
    CertificateFilter,
    CohortFilter,
    CourseFilter,
    EnrolmentFilter,
    OrderFilter,
)
from jingxiang.academy.models import (
    OCCUPYING,
    WITHDRAWABLE,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    EnrolmentStatus,
    Occupation,
    SubsidyRule,
    TrainingOrder,
)
from jingxiang.academy.permissions import (
    access_certificate,
    access_checkin,
    access_cohort,
    access_course,
    access_enrolment,
    access_level,
    access_order,
    access_session,
    feedback_role,
    is_academy_staff,
    may_accept_order,
    may_browse,
    may_enrol,
    may_enrol_for_firm,
    may_enrol_into,
    may_follow_order,
    may_follow_training,
    may_manage_provider,
    may_record_pipeline,
    may_run_order,
    may_see_name,
    may_see_names,
    may_see_orders,
    may_teach,
    may_view_reports,
    may_withdraw,
    order_joinable_firm_ids,
    own_talent,
    pipeline_firms,
    trainee_enrolment,
    worker_firm_ids,
)
from jingxiang.academy.selectors import (
    best_quiz_results,
    cohort_has_ended,
    cohort_next_step,
    cohort_rating,
    cohort_status_moves,
    eligibility,
    enrolment_attendance,
    enrolment_next_step,
    order_fulfilment,
    order_next_step,
    order_progress,
    own_attendance,
    roster,
    school_fulfilment,
    session_register,
    with_order_progress,
)
from jingxiang.academy.selectors import (
    trainer_record as trainer_cohorts,
)
from jingxiang.accounts.actors import SignedInRequest
from jingxiang.core.documents import qr_svg, verification_url
from jingxiang.core.links import absolute_url
from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.core.selectors import audit_timeline
from jingxiang.core.timerules import REASON_FIELD
from jingxiang.identifiers import mask_mobile, mask_name
from jingxiang.organisations.permissions import is_operator, managed_firm_ids
from jingxiang.talents.permissions import access_talent, may_reveal_personal


def _names(names: list[str]) -> str:
    return pgettext("列表分隔符", "、").join(names)


# Catalogue --------------------------------------------------------------------------------------

COURSE_EXPORT = (
    ExportColumn(gettext_lazy("课程编号"), lambda c: c.code),
    ExportColumn(gettext_lazy("课程名称"), lambda c: c.title),
    ExportColumn(gettext_lazy("承办机构"), lambda c: c.provider.name),
    ExportColumn(gettext_lazy("技能"), lambda c: c.skill.name_zh),
    ExportColumn(gettext_lazy("职业等级"), lambda c: str(c.occupation_level) if c.occupation_level else ""),
    ExportColumn(gettext_lazy("理论学时"), lambda c: c.theory_hours),
    ExportColumn(gettext_lazy("实操学时"), lambda c: c.practice_hours),
    ExportColumn(gettext_lazy("培训费"), lambda c: c.fee),
    ExportColumn(gettext_lazy("补贴"), lambda c: c.subsidy_amount),
)

COURSE_LIST = ListSpec(
    template="academy/course_list.html",
    partial="academy/_course_table.html",
    filterset=CourseFilter,
    sort=("code", "title", "fee", "created_at"),
    default_sort="code",
    export=Export("courses", COURSE_EXPORT),
)


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    if not may_browse(request.user):
        raise Http404
    queryset = Course.objects.visible_to(request.user).select_related(
        "provider", "skill", "occupation_level__occupation", "subsidy_rule"
    )
    return list_page(request, queryset, COURSE_LIST, {"can_create": is_academy_staff(request.user)})


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    if not is_academy_staff(request.user):
        raise Http404
    return form_page(
        request,
        forms.CourseForm(request.POST or None, user=request.user),
        save=lambda data: services.course_create(actor=request.user, data=data),
        success_url=lambda course: reverse("academy:course_detail", args=[course.pk]),
        success_message=_("课程已创建。下一步:开设班级。"),
        context={"title": _("新建课程"), "back": reverse("academy:course_list"), "back_label": _("课程目录")},
    )


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = access_course(request.user, pk)
    can_manage = may_manage_provider(request.user, course.provider_id)
    cohorts = (
        course.cohorts.filter(archived_at__isnull=True)
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=OCCUPYING)))
        .order_by("-starts_on")
    )
    return render_page(
        request,
        "academy/course_detail.html",
        {
            "course": course,
            "cohorts": cohorts,
            "trainers": course.trainers.all(),
            "prerequisites": course.prerequisites.all(),
            "can_manage": can_manage,
            "can_teach": may_teach(request.user, course),
            "timeline": audit_timeline(course) if can_manage else [],
        },
    )


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = access_course(request.user, pk, write=True)
    initial = {name: getattr(course, name) for name in services.COURSE_FIELDS}
    initial["min_attendance"] = course.min_attendance * 100
    initial["prerequisites"] = list(course.prerequisites.all())
    initial["trainers"] = list(course.trainers.all())
    detail = reverse("academy:course_detail", args=[course.pk])
    return form_page(
        request,
        forms.CourseForm(request.POST or None, initial=initial, user=request.user, instance=course),
        save=lambda data: services.course_update(actor=request.user, course=course, data=data),
        success_url=detail,
        success_message=_("已保存。"),
        context={"title": _("编辑课程"), "back": detail, "back_label": course.title},
    )


@login_required
@require_POST
def course_archive(request: HttpRequest, pk: int) -> HttpResponse:
    course = access_course(request.user, pk, write=True)
    return action(
        request,
        lambda: services.course_archive(actor=request.user, course=course),
        success_url=reverse("academy:course_list"),
        success_message=_("课程已归档,历史班级和证书保留。"),
        failure_url=reverse("academy:course_detail", args=[course.pk]),
    )


# Cohorts ----------------------------------------------------------------------------------------

COHORT_EXPORT = (
    ExportColumn(gettext_lazy("班级"), lambda c: c.name),
    ExportColumn(gettext_lazy("课程"), lambda c: c.course.title),
    ExportColumn(gettext_lazy("地点"), lambda c: c.venue),
    ExportColumn(gettext_lazy("开班日期"), lambda c: c.starts_on),
    ExportColumn(gettext_lazy("结业日期"), lambda c: c.ends_on),
    ExportColumn(gettext_lazy("名额"), lambda c: c.capacity),
    ExportColumn(gettext_lazy("已占用"), lambda c: c.taken),
    ExportColumn(gettext_lazy("候补"), lambda c: c.waiting),
    ExportColumn(gettext_lazy("状态"), lambda c: c.get_status_display()),
)

COHORT_LIST = ListSpec(
    template="academy/cohort_list.html",
    partial="academy/_cohort_table.html",
    filterset=CohortFilter,
    sort=("starts_on", "name", "capacity"),
    default_sort="-starts_on",
    export=Export("cohorts", COHORT_EXPORT),
)


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    if not may_browse(request.user):
        raise Http404
    queryset = (
        Cohort.objects.visible_to(request.user)
        .filter(archived_at__isnull=True)
        .select_related("course__provider", "order")
        .annotate(
            taken=Count("enrolments", filter=Q(enrolments__status__in=OCCUPYING)),
            waiting=Count("enrolments", filter=Q(enrolments__status="waitlisted")),
        )
    )
    return list_page(request, queryset, COHORT_LIST)


@login_required
def cohort_create(request: SignedInRequest, pk: int) -> HttpResponse:
    course = access_course(request.user, pk, write=True)
    raw = request.GET.get("order") or request.POST.get("order") or ""
    order = access_order(request.user, int(raw), write=True) if raw.isdigit() else None
    return form_page(
        request,
        forms.CohortForm(request.POST or None, course=course, actor=request.user),
        save=lambda data: services.cohort_create(
            actor=request.user,
            course=course,
            name=data["name"],
            venue=data["venue"],
            capacity=data["capacity"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            lead_trainer=data.get("lead_trainer"),
            order=order,
            backdate_reason=data.get(REASON_FIELD) or "",
        ),
        success_url=lambda cohort: reverse("academy:cohort_detail", args=[cohort.pk]),
        success_message=_("班级已开设。下一步:排课。"),
        context={
            "title": _("开设班级:%(course)s") % {"course": course.title},
            "back": reverse("academy:course_detail", args=[course.pk]),
            "back_label": course.title,
            "hidden": {"order": order.pk} if order else {},
        },
    )


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cohort = access_cohort(user, pk)
    can_manage = may_manage_provider(user, cohort.course.provider_id)
    rows = roster(cohort, Enrolment.objects.visible_to(user).filter(cohort=cohort))
    sessions = list(cohort.sessions.all())
    occupied = cohort.enrolments.occupying().count()
    passed_waiting = (
        sum(
            1
            for r in rows
            if r.status == EnrolmentStatus.ENROLLED and getattr(r, "assessment", None) and r.assessment.passed
        )
        if can_manage and cohort_has_ended(cohort)
        else 0
    )
    return render_page(
        request,
        "academy/cohort_detail.html",
        {
            "cohort": cohort,
            "course": cohort.course,
            "sessions": sessions,
            "rows": [r for r in rows if r.status != EnrolmentStatus.WAITLISTED],
            "waitlist": [r for r in rows if r.status == EnrolmentStatus.WAITLISTED],
            "occupied": occupied,
            "free": max(cohort.capacity - occupied, 0),
            "can_manage": can_manage,
            "can_enrol": may_enrol(user, cohort),
            "can_feedback": feedback_role(user, cohort) is not None,
            "can_learn": may_teach(user, cohort.course) or trainee_enrolment(user, [cohort.pk]) is not None,
            "feedback": cohort_rating(cohort),
            "next_step": cohort_next_step(cohort, rows, sessions, user),
            "status_form_choices": cohort_status_moves(cohort),
            "show_names": may_see_names(user),
            "passed_waiting": passed_waiting,
            "timeline": audit_timeline(cohort) if can_manage else [],
        },
    )


@login_required
def cohort_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(request.user, pk, write=True)
    initial = {name: getattr(cohort, name) for name in services.COHORT_FIELDS}
    detail = reverse("academy:cohort_detail", args=[cohort.pk])
    return form_page(
        request,
        forms.CohortForm(
            request.POST or None, initial=initial, course=cohort.course, editing=True, actor=request.user
        ),
        save=lambda data: services.cohort_update(
            actor=request.user,
            cohort=cohort,
            name=data["name"],
            venue=data["venue"],
            capacity=data["capacity"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            lead_trainer=data.get("lead_trainer"),
        ),
        success_url=detail,
        success_message=_("已保存。"),
        context={"title": _("编辑班级"), "back": detail, "back_label": cohort.name},
    )


@login_required
@require_POST
def cohort_status(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(request.user, pk, write=True)
    form = forms.CohortStatusForm(request.POST)
    return action(
        request,
        lambda: services.cohort_set_status(
            actor=request.user, cohort=cohort, status=form.cleaned_data["status"]
        ),
        form=form,
        success_url=reverse("academy:cohort_detail", args=[cohort.pk]),
        success_message=_("班级状态已更新。"),
    )


@login_required
@require_POST
def cohort_certify(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(request.user, pk, write=True)
    return action(
        request,
        lambda: services.cohort_certify_start(actor=request.user, cohort=cohort),
        success_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        success_message=_("批量发证已在后台进行,可离开本页,完成后会在任务页显示结果。"),
        failure_url=reverse("academy:cohort_detail", args=[cohort.pk]),
    )


@login_required
def session_add(request: SignedInRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(request.user, pk, write=True)
    detail = reverse("academy:cohort_detail", args=[cohort.pk])
    return form_page(
        request,
        forms.SessionForm(request.POST or None, actor=request.user),
        save=lambda data: services.session_add(
            actor=request.user,
            cohort=cohort,
            topic=data["topic"],
            kind=data["kind"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            backdate_reason=data.get(REASON_FIELD) or "",
        ),
        success_url=detail,
        success_message=_("课次已添加。"),
        context={"title": _("添加课次"), "back": detail, "back_label": cohort.name},
    )


@login_required
def cohort_enrol(request: SignedInRequest, pk: int) -> HttpResponse:
    """One page, up to four ways in: a firm picks or adds its workers, a person enrols themself, the
    academy enrols anyone from the talent pool. ``mode`` says which form was sent."""
    user = request.user
    cohort = access_cohort(user, pk)
    if not may_enrol_into(user, cohort):
        raise Http404
    firms = managed_firm_ids(user)
    worker_firms = worker_firm_ids(user)
    talent = own_talent(user)
    mode = request.POST.get("mode", "")

    def bound(name: str) -> Any:
        return request.POST if mode == name else None

    # Prefixes keep the four forms' field ids apart on one page.
    page_forms = {
        "firm": forms.FirmEnrolForm(bound("firm"), firm_ids=firms, prefix="pick") if firms else None,
        "worker": forms.WorkerAddForm(bound("worker"), firm_ids=worker_firms, prefix="new")
        if worker_firms
        else None,
        "self": forms.SelfEnrolForm(bound("self"), prefix="self") if talent is not None else None,
        "academy": forms.AcademyEnrolForm(bound("academy"), prefix="acad")
        if may_manage_provider(user, cohort.course.provider_id)
        else None,
    }
    form = page_forms.get(mode) if request.method == "POST" else next(f for f in page_forms.values() if f)
    if form is None:
        raise Http404

    def save(data: dict[str, Any]) -> list[Enrolment]:
        if mode == "worker":
            created = [
                services.worker_add_and_enrol(
                    actor=user,
                    cohort=cohort,
                    firm=data["firm"],
                    name=data["name"],
                    mobile=data.get("mobile") or "",
                    resident_id=data.get("resident_id") or "",
                    years_experience=data.get("years_experience"),
                )
            ]
        else:
            created = services.enrolment_create(
                actor=user,
                cohort=cohort,
                talents=[talent] if mode == "self" else list(data["talents"]),
                sponsor=data["firm"] if mode == "firm" else None,
                years_experience=data["years_experience"],
                education=data.get("education", ""),
            )
        waiting = [e.talent.name for e in created if e.status == EnrolmentStatus.WAITLISTED]
        if waiting:
            messages.warning(
                request,
                _("名额已满,%(names)s 已进入候补名单;有人退出时将按顺序自动递补并通知。")
                % {"names": _names(waiting)},
            )
        return created

    def placed(created: list[Enrolment]) -> str:
        names = [e.talent.name for e in created if e.status != EnrolmentStatus.WAITLISTED]
        return _("已报名:%(names)s。") % {"names": _names(names)} if names else ""

    occupied = cohort.enrolments.occupying().count()
    return form_page(
        request,
        form,
        save=save,
        success_url=reverse("academy:cohort_detail", args=[cohort.pk]),
        success_message=placed,
        template="academy/enrol.html",
        context={
            "cohort": cohort,
            **{f"{name}_form": page_form for name, page_form in page_forms.items()},
            "free": max(cohort.capacity - occupied, 0),
            "mode": mode,
        },
    )


@login_required
def cohort_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(request.user, pk)
    if feedback_role(request.user, cohort) is None:
        raise Http404
    detail = reverse("academy:cohort_detail", args=[cohort.pk])
    return form_page(
        request,
        forms.FeedbackForm(request.POST or None),
        save=lambda data: services.feedback_give(
            actor=request.user, cohort=cohort, rating=data["rating"], comment=data["comment"]
        ),
        success_url=detail,
        success_message=_("感谢您的评价。"),
        context={"title": _("评价:%(c)s") % {"c": cohort.name}, "back": detail, "back_label": cohort.name},
    )


# Sessions and check-in --------------------------------------------------------------------------


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainer's screen: the session's QR code to scan, and the academy's manual register."""
    session = access_session(request.user, pk)
    checkin_url = absolute_url(reverse("academy:checkin", args=[session.checkin_code]), request)
    enrolments, present = session_register(session)
    return render_page(
        request,
        "academy/session_detail.html",
        {
            "session": session,
            "cohort": session.cohort,
            "qr": qr_svg(checkin_url, scale=6),
            "checkin_url": checkin_url,
            "enrolments": enrolments,
            "present": present,
            "can_manage": may_manage_provider(request.user, session.cohort.course.provider_id),
        },
    )


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(request.user, pk, write=True)
    ids = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    enrolments, _present = session_register(session)
    return action(
        request,
        lambda: services.attendance_mark(
            actor=request.user,
            session=session,
            present=[e for e in enrolments if e.pk in ids],
            absent=[e for e in enrolments if e.pk not in ids],
        ),
        success_url=reverse("academy:session_detail", args=[session.pk]),
        success_message=lambda changed: _("出勤已保存(%(n)s 处变更)。") % {"n": changed},
    )


@login_required
def checkin(request: HttpRequest, code: str) -> HttpResponse:
    """Where the QR code leads: the trainee confirms with one tap (a POST, so link previews cannot sign in)."""
    session = access_checkin(request.user, code)
    if request.method == "POST":
        return action(
            request,
            lambda: services.attendance_checkin(user=request.user, code=code),
            success_url=request.path,
            success_message=lambda result: _("签到成功。") if result[1] else _("您已签到过本课次。"),
        )
    return render_page(
        request,
        "academy/checkin.html",
        {"session": session, "attendance": own_attendance(session, request.user)},
    )


# Enrolments -------------------------------------------------------------------------------------


def _enrolment_export(show_names: bool) -> tuple[ExportColumn, ...]:
    def name(e: Enrolment) -> str:
        return e.talent.name if show_names else mask_name(e.talent.name)

    return (
        ExportColumn(gettext_lazy("学员"), name),
        ExportColumn(gettext_lazy("手机号"), lambda e: mask_mobile(e.talent.mobile)),
        ExportColumn(
            gettext_lazy("企业"),
            lambda e: e.talent.home_organisation.name if e.talent.home_organisation else "",
        ),
        ExportColumn(gettext_lazy("班级"), lambda e: e.cohort.name),
        ExportColumn(gettext_lazy("课程"), lambda e: e.cohort.course.title),
        ExportColumn(gettext_lazy("状态"), lambda e: e.get_status_display()),
        ExportColumn(gettext_lazy("报名时间"), lambda e: e.created_at),
        ExportColumn(gettext_lazy("结业时间"), lambda e: e.graduated_at),
        ExportColumn(gettext_lazy("补贴"), lambda e: e.subsidy_amount),
        ExportColumn(gettext_lazy("录用企业"), lambda e: e.hired_by.name if e.hired_by else ""),
    )


#: The export's columns depend on whether the reader may see names: set per request.
ENROLMENT_LIST = ListSpec(
    template="academy/enrolment_list.html",
    partial="academy/_enrolment_table.html",
    filterset=EnrolmentFilter,
    sort=("created_at", "status"),
    default_sort="-created_at",
)


@login_required
def enrolment_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_follow_training(user):
        raise Http404
    queryset = Enrolment.objects.visible_to(user).select_related(
        "talent__home_organisation", "cohort__course", "hired_by"
    )
    spec = replace(ENROLMENT_LIST, export=Export("enrolments", _enrolment_export(may_see_names(user))))
    return list_page(request, queryset, spec, filter_kwargs={"cohorts": Cohort.objects.visible_to(user)})


@login_required
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    enrolment = access_enrolment(user, pk)
    cohort = enrolment.cohort
    can_manage = may_manage_provider(user, cohort.course.provider_id)
    attended, total, hours = enrolment_attendance(enrolment)
    assessment = getattr(enrolment, "assessment", None)
    certificate = Certificate.objects.filter(enrolment=enrolment).first()
    order = cohort.order
    firms = pipeline_firms(user, enrolment)
    enrolled = enrolment.status == EnrolmentStatus.ENROLLED
    return render_page(
        request,
        "academy/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "cohort": cohort,
            "course": cohort.course,
            "attended": attended,
            "total": total,
            "hours": hours,
            "rate": (attended / total) if total else 0,
            "assessment": assessment,
            "certificate": certificate,
            "eligibility": eligibility(enrolment) if can_manage and enrolled else None,
            "can_manage": can_manage,
            "can_certify": can_manage
            and enrolled
            and assessment is not None
            and assessment.passed
            and certificate is None
            and cohort_has_ended(cohort),
            "can_withdraw": may_withdraw(user, enrolment) and enrolment.status in WITHDRAWABLE,
            "quiz_results": best_quiz_results(enrolment),
            "has_card": enrolment.status == EnrolmentStatus.ENROLLED,
            "decision_form": forms.DecisionForm(),
            "assessment_form": forms.AssessmentForm(
                initial={
                    "theory_score": assessment.theory_score,
                    "practical_score": assessment.practical_score,
                }
                if assessment
                else None
            ),
            "order": order,
            "offer_form": forms.FirmChoiceForm(firms=firms) if firms.exists() else None,
            "hire_form": forms.HireForm(firms=firms) if firms.exists() else None,
            "retention_form": forms.RetentionForm(),
            "may_track": enrolment.hired_by_id is not None
            and may_record_pipeline(user, enrolment, enrolment.hired_by_id),
            "show_name": may_see_name(user, enrolment.talent),
            "can_reveal": may_reveal_personal(user, enrolment.talent),
            "next_step": enrolment_next_step(enrolment, user),
            "timeline": audit_timeline(enrolment) if can_manage else [],
        },
    )


def _enrolment_page(enrolment: Enrolment) -> str:
    return reverse("academy:enrolment_detail", args=[enrolment.pk])


@login_required
@require_POST
def enrolment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access_enrolment(request.user, pk, write=True)
    form = forms.DecisionForm(request.POST)
    return action(
        request,
        lambda: services.enrolment_decide(
            actor=request.user,
            enrolment=enrolment,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        form=form,
        success_url=_enrolment_page(enrolment),
        success_message=_("审核结果已保存并通知报名人。"),
    )


@login_required
@require_POST
def enrolment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access_enrolment(request.user, pk)
    return action(
        request,
        lambda: services.enrolment_withdraw(actor=request.user, enrolment=enrolment),
        success_url=_enrolment_page(enrolment),
        success_message=_("已退出;空出的名额已自动递补给候补第一位。"),
    )


@login_required
@require_POST
def enrolment_assess(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access_enrolment(request.user, pk, write=True)
    form = forms.AssessmentForm(request.POST)

    def record() -> Any:
        assessment = services.assessment_record(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        if not assessment.passed:
            messages.warning(request, _("成绩已登记:考核未通过(未达到本等级合格线)。"))
        return assessment

    return action(
        request,
        record,
        form=form,
        success_url=_enrolment_page(enrolment),
        success_message=lambda assessment: _("成绩已登记:考核通过。") if assessment.passed else "",
    )


@login_required
@require_POST
def enrolment_certify(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access_enrolment(request.user, pk, write=True)
    return action(
        request,
        lambda: services.certificate_issue(actor=request.user, enrolment=enrolment),
        success_url=lambda certificate: reverse("academy:certificate_detail", args=[certificate.pk]),
        success_message=lambda certificate: (
            _("证书 %(n)s 已颁发,学员技能档案已自动更新。") % {"n": certificate.number}
        ),
        failure_url=_enrolment_page(enrolment),
    )


@login_required
@require_POST
def enrolment_graduate(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access_enrolment(request.user, pk, write=True)
    return action(
        request,
        lambda: services.enrolment_graduate(actor=request.user, enrolment=enrolment),
        success_url=_enrolment_page(enrolment),
        success_message=_("已结业。"),
    )


def _order_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    """An order trainee the user may see (offers, hires and retention exist only for order cohorts)."""
    enrolment = access_enrolment(request.user, pk)
    if enrolment.cohort.order is None:
        raise Http404
    return enrolment


@login_required
@require_POST
def enrolment_offer(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _order_enrolment(request, pk)
    form = forms.FirmChoiceForm(request.POST, firms=pipeline_firms(request.user, enrolment))
    return action(
        request,
        lambda: services.enrolment_offer(
            actor=request.user, enrolment=enrolment, firm=form.cleaned_data["firm"]
        ),
        form=form,
        success_url=_enrolment_page(enrolment),
        success_message=_("录用意向已登记。"),
    )


@login_required
@require_POST
def enrolment_hire(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _order_enrolment(request, pk)
    form = forms.HireForm(request.POST, firms=pipeline_firms(request.user, enrolment))
    return action(
        request,
        lambda: services.enrolment_hire(
            actor=request.user,
            enrolment=enrolment,
            firm=form.cleaned_data["firm"],
            hired_on=form.cleaned_data["hired_on"],
        ),
        form=form,
        success_url=_enrolment_page(enrolment),
        success_message=_("入职已登记,计入订单完成情况。"),
    )


@login_required
@require_POST
def enrolment_retention(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _order_enrolment(request, pk)
    form = forms.RetentionForm(request.POST)
    return action(
        request,
        lambda: services.enrolment_retention(actor=request.user, enrolment=enrolment, **form.cleaned_data),
        form=form,
        success_url=_enrolment_page(enrolment),
        success_message=_("在岗情况已登记。"),
    )


# Certificates -----------------------------------------------------------------------------------


def _certificate_export(show_names: bool) -> tuple[ExportColumn, ...]:
    return (
        ExportColumn(gettext_lazy("证书编号"), lambda c: c.number),
        ExportColumn(
            gettext_lazy("持证人"), lambda c: c.holder_name if show_names else mask_name(c.holder_name)
        ),
        ExportColumn(
            gettext_lazy("企业"),
            lambda c: c.talent.home_organisation.name if c.talent.home_organisation else "",
        ),
        ExportColumn(gettext_lazy("职业/技能"), lambda c: c.level_label),
        ExportColumn(gettext_lazy("发证日期"), lambda c: c.issued_at),
        ExportColumn(gettext_lazy("状态"), lambda c: c.get_status_display()),
    )


#: The export's columns depend on whether the reader may see names: set per request.
CERTIFICATE_LIST = ListSpec(
    template="academy/certificate_list.html",
    partial="academy/_certificate_table.html",
    filterset=CertificateFilter,
    sort=("number", "issued_at"),
    default_sort="-issued_at",
)


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_follow_training(user):
        raise Http404
    queryset = Certificate.objects.visible_to(user).select_related(
        "talent__home_organisation", "occupation_level__occupation", "skill"
    )
    spec = replace(CERTIFICATE_LIST, export=Export("certificates", _certificate_export(may_see_names(user))))
    return list_page(request, queryset, spec)


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(request.user, pk)
    can_manage = may_manage_provider(request.user, certificate.enrolment.cohort.course.provider_id)
    return render_page(
        request,
        "academy/certificate_detail.html",
        {
            "certificate": certificate,
            "verify_url": verification_url("certificate", certificate.verify_code),
            "qr": qr_svg(verification_url("certificate", certificate.verify_code)),
            "can_manage": can_manage,
            "revoke_form": forms.RevokeForm(),
            "timeline": audit_timeline(certificate) if can_manage else [],
        },
    )


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(request.user, pk)
    response = HttpResponse(documents.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(request.user, pk, write=True)
    form = forms.RevokeForm(request.POST)
    return action(
        request,
        lambda: services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
        ),
        form=form,
        success_url=reverse("academy:certificate_detail", args=[certificate.pk]),
        success_message=_("证书已撤销,公开核验页将显示“已撤销”。"),
    )


def certificate_check(request: HttpRequest) -> HttpResponse:
    """Public: anyone checks a certificate by its number and the holder's full name."""
    form = forms.CertificateCheckForm(request.GET or None)
    result = None
    checked = False
    if request.GET and form.is_valid():
        checked = True
        result = check_certificate(form.cleaned_data["number"], form.cleaned_data["name"])
    return render_page(
        request, "academy/certificate_check.html", {"form": form, "result": result, "checked": checked}
    )


# 订单培养 ----------------------------------------------------------------------------------------

ORDER_EXPORT = (
    ExportColumn(gettext_lazy("订单"), lambda o: o.title),
    ExportColumn(gettext_lazy("培养人数"), lambda o: o.headcount),
    ExportColumn(gettext_lazy("期望完成"), lambda o: o.due_on),
    ExportColumn(gettext_lazy("承接学校"), lambda o: o.school.name if o.school else ""),
    ExportColumn(gettext_lazy("状态"), lambda o: o.get_status_display()),
)

ORDER_LIST = ListSpec(
    template="academy/order_list.html",
    partial="academy/_order_table.html",
    filterset=OrderFilter,
    sort=("created_at", "due_on", "headcount"),
    default_sort="-created_at",
    export=Export("training-orders", ORDER_EXPORT),
    prepare=with_order_progress,
)


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_see_orders(user):
        raise Http404
    orders = TrainingOrder.objects.visible_to(user).filter(archived_at__isnull=True)
    return list_page(
        request,
        orders.select_related("school"),
        ORDER_LIST,
        {"can_place": may_enrol_for_firm(user), "schools": school_fulfilment(orders)},
    )


@login_required
def order_create(request: HttpRequest) -> HttpResponse:
    if not may_enrol_for_firm(request.user):
        raise Http404
    return form_page(
        request,
        forms.OrderForm(request.POST or None, firm_ids=managed_firm_ids(request.user), actor=request.user),
        save=lambda data: services.order_place(actor=request.user, firm=data["firm"], data=data),
        success_url=lambda order: reverse("academy:order_detail", args=[order.pk]),
        success_message=_("订单已发布,等待学校接单。"),
        context={
            "title": _("发布订单培养需求"),
            "back": reverse("academy:order_list"),
            "back_label": _("订单培养"),
        },
    )


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    order = access_order(user, pk)
    can_run = may_run_order(user, order)
    follows = may_follow_order(user, order)
    trainees = (
        Enrolment.objects.visible_to(user)
        .filter(cohort__order=order)
        .select_related("talent", "cohort", "hired_by", "offer_firm")
        if follows
        else Enrolment.objects.none()
    )
    fulfilment = order_progress(order)
    joinable = order_joinable_firm_ids(user, order)
    return render_page(
        request,
        "academy/order_detail.html",
        {
            "order": order,
            "participants": list(order.participants.select_related("firm")),
            "skills": order.skills.all(),
            "cohorts": order.cohorts.select_related("course"),
            "trainees": trainees,
            "fulfilment": fulfilment,
            "fulfilment_rows": [fulfilment],
            "can_run": can_run,
            "courses": Course.objects.active().filter(provider=order.school)
            if can_run and order.school_id
            else [],
            "join_form": forms.OrderJoinForm(firm_ids=joinable) if joinable else None,
            "accept_form": forms.OrderAcceptForm(user=user) if may_accept_order(user, order) else None,
            "show_names": may_see_names(user),
            "next_step": order_next_step(order, user),
            "timeline": audit_timeline(order) if follows else [],
        },
    )


def _order_page(order: TrainingOrder) -> str:
    return reverse("academy:order_detail", args=[order.pk])


@login_required
@require_POST
def order_join(request: HttpRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    if not may_enrol_for_firm(request.user):
        raise Http404
    form = forms.OrderJoinForm(request.POST, firm_ids=managed_firm_ids(request.user))
    return action(
        request,
        lambda: services.order_join(actor=request.user, order=order, **form.cleaned_data),
        form=form,
        success_url=_order_page(order),
        success_message=_("已加入订单。"),
    )


@login_required
@require_POST
def order_accept(request: HttpRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    if not is_academy_staff(request.user):
        raise Http404
    form = forms.OrderAcceptForm(request.POST, user=request.user)
    return action(
        request,
        lambda: services.order_accept(actor=request.user, order=order, school=form.cleaned_data["school"]),
        form=form,
        success_url=_order_page(order),
        success_message=_("已接单。下一步:用本校课程开设订单班。"),
    )


@login_required
@require_POST
def order_close(request: HttpRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk, write=True)
    return action(
        request,
        lambda: services.order_close(actor=request.user, order=order),
        success_url=_order_page(order),
        success_message=_("订单已结束。"),
    )


# Trainers, rules, reports -----------------------------------------------------------------------


@login_required
def trainer_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A trainer's record: cohorts taught, trainees, pass rate, feedback."""
    if not may_browse(request.user):
        raise Http404
    trainer = access_talent(request.user, pk)
    cohorts, ratings, comments = trainer_cohorts(trainer)
    return render_page(
        request,
        "academy/trainer_record.html",
        {"trainer": trainer, "cohorts": cohorts, "ratings": ratings, "comments": comments},
    )


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """Occupations, levels, pass and eligibility rules and subsidies: the data the academy runs on."""
    if not may_browse(request.user):
        raise Http404
    if request.method == "POST":
        if not is_operator(request.user):
            raise Http404
        return action(
            request,
            lambda: services.rules_sync(actor=request.user),
            success_url=reverse("academy:rules"),
            success_message=lambda counts: (
                _("已同步:%(o)s 个职业、%(l)s 个等级、%(s)s 条补贴规则。")
                % {"o": counts[0], "l": counts[1], "s": counts[2]}
            ),
        )
    return render_page(
        request,
        "academy/rules.html",
        {
            "occupations": Occupation.objects.select_related("skill").prefetch_related("levels"),
            "subsidies": SubsidyRule.objects.all(),
            "is_operator": is_operator(request.user),
        },
    )


@login_required
def level_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    level = access_level(request.user, pk)
    initial = {
        "theory_pass": level.theory_pass,
        "practical_pass": level.practical_pass,
        "eligibility": json.dumps(level.eligibility, ensure_ascii=False),
    }
    back = reverse("academy:rules")
    return form_page(
        request,
        forms.LevelForm(request.POST or None, initial=initial),
        save=lambda data: services.level_update(
            actor=request.user,
            level=level,
            theory_pass=data["theory_pass"],
            practical_pass=data["practical_pass"],
            eligibility=data["eligibility"],
        ),
        success_url=back,
        success_message=_("已保存。"),
        context={"title": str(level), "back": back, "back_label": _("职业等级与补贴规则")},
    )


@login_required
def report_dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_view_reports(user):
        raise Http404
    year = reports.parse_year(request.GET.get("year"))
    tables = [
        {
            "measure": m,
            "measure_label": reports.MEASURES[m],
            "dimension": d,
            "dimension_label": reports.DIMENSIONS[d],
            "rows": reports.breakdown(user, m, d, year),
        }
        for m in ("trained", "certificates")
        for d in ("level", "firm", "occupation", "month")
    ]
    orders = TrainingOrder.objects.visible_to(user).filter(archived_at__isnull=True)
    this_year = timezone.localdate().year
    return render_page(
        request,
        "academy/reports.html",
        {
            "headline": reports.headline(user),
            "tables": tables,
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "costs": reports.cost_by_course(user),
            "orders": order_fulfilment(orders),
            "schools": school_fulfilment(orders),
            "no_order_links": not may_see_orders(user),
        },
    )


#: The people behind a figure: certificates or enrolments, with the columns of their Excel export.
PEOPLE_LISTS = {
    "certificates": ListSpec(
        template="academy/report_people.html",
        partial="academy/_people_table.html",
        default_sort="-issued_at",
    ),
    "enrolments": ListSpec(
        template="academy/report_people.html",
        partial="academy/_people_table.html",
        default_sort="-created_at",
    ),
}


@login_required
def report_people(request: HttpRequest) -> HttpResponse:
    """The people behind one figure of the dashboard, with the same Excel export as every list."""
    user = request.user
    if not may_view_reports(user):
        raise Http404
    measure = request.GET.get("measure", "trained")
    dimension = request.GET.get("dimension", "")
    if measure not in reports.MEASURES or (dimension and dimension not in reports.DIMENSIONS):
        raise Http404
    year = reports.parse_year(request.GET.get("year"))
    queryset = reports.drill(user, measure, dimension, request.GET.get("key", ""), year)
    show_names = may_see_names(user)
    if measure == "certificates":
        queryset = queryset.select_related(
            "talent__home_organisation", "occupation_level__occupation", "skill"
        )
        columns, spec = _certificate_export(show_names), PEOPLE_LISTS["certificates"]
    else:
        queryset = queryset.select_related("talent__home_organisation", "cohort__course", "hired_by")
        columns, spec = _enrolment_export(show_names), PEOPLE_LISTS["enrolments"]
    return list_page(
        request,
        queryset,
        replace(spec, export=Export(f"academy-{measure}", columns)),
        {
            "columns": columns,
            "measure_label": reports.MEASURES[measure],
            "dimension_label": reports.DIMENSIONS.get(dimension, ""),
            "year": year,
            # The measure, dimension and key say which figure this is; they are not filters to clear.
            "filtered": False,
        },
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("academy:course_list")
