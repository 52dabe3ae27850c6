from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Q
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
    Certificate,
    Cohort,
    CohortStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Occupation,
    OccupationLevel,
    OrderStatus,
    Session,
    SubsidyRule,
    TrainingOrder,
)
from jingxiang.academy.permissions import (
    access_certificate,
    access_cohort,
    access_course,
    access_enrolment,
    access_order,
    firm_manager_ids,
    is_academy_staff,
    may_browse,
    may_manage_provider,
    may_run_order,
    may_see_names,
    may_view_reports,
    own_talent,
)
from jingxiang.academy.selectors import (
    eligibility,
    enrolment_attendance,
    order_fulfilment,
    roster,
    school_fulfilment,
)
from jingxiang.core.documents import qr_svg, verification_url
from jingxiang.core.forms import add_service_error
from jingxiang.core.listing import (
    ExportColumn,
    apply_sort,
    export_queryset,
    paginate,
    query_without,
    wants_export,
)
from jingxiang.core.rendering import render_page
from jingxiang.core.selectors import audit_timeline
from jingxiang.identifiers import mask_mobile, mask_name
from jingxiang.organisations.models import Organisation, Role
from jingxiang.organisations.permissions import approved_organisation_ids, is_operator
from jingxiang.talents.models import Talent
from jingxiang.talents.permissions import may_reveal_personal


def _errors_to_messages(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def _fail(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("没有权限执行该操作。"))


def _list_context(request: HttpRequest, filterset: Any, page: Any, sort: str, **extra: Any) -> dict[str, Any]:
    return {
        "filterset": filterset,
        "page": page,
        "sort": sort,
        "query": query_without(request, "page"),
        "query_nosort": query_without(request, "page", "sort"),
        **extra,
    }


def _browse_or_404(user: Any) -> None:
    if not may_browse(user):
        raise Http404


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


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    _browse_or_404(request.user)
    queryset = Course.objects.visible_to(request.user).select_related(
        "provider", "skill", "occupation_level__occupation", "subsidy_rule"
    )
    filterset = CourseFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["code", "title", "fee", "created_at"], "code")
    if wants_export(request):
        return export_queryset("courses", queryset, COURSE_EXPORT)
    return render_page(
        request,
        "academy/course_list.html",
        _list_context(
            request, filterset, paginate(request, queryset), sort, can_create=is_academy_staff(request.user)
        ),
        partial="academy/_course_table.html",
    )


def _course_data(cleaned: dict[str, Any]) -> dict[str, Any]:
    data = dict(cleaned)
    if data.get("occupation_level") is not None:
        data["skill"] = data["occupation_level"].occupation.skill
    return data


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    if not is_academy_staff(request.user):
        raise Http404
    form = forms.CourseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, data=_course_data(form.cleaned_data))
        except (ValidationError, PermissionDenied) as error:
            form.add_error(
                None, error if isinstance(error, ValidationError) else _("没有权限为该机构开设课程。")
            )
        else:
            messages.success(request, _("课程已创建。下一步:开设班级。"))
            return redirect("academy:course_detail", pk=course.pk)
    return render_page(
        request,
        "academy/form.html",
        {"form": form, "title": _("新建课程"), "back": reverse("academy:course_list")},
    )


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = access_course(request.user, pk)
    can_manage = may_manage_provider(request.user, course.provider_id)
    cohorts = (
        course.cohorts.filter(archived_at__isnull=True)
        .annotate(
            taken=Count("enrolments", filter=Q(enrolments__status__in=["pending", "enrolled", "graduated"]))
        )
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
    form = forms.CourseForm(request.POST or None, initial=initial, user=request.user, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(actor=request.user, course=course, data=_course_data(form.cleaned_data))
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("academy:course_detail", pk=course.pk)
    return render_page(
        request,
        "academy/form.html",
        {"form": form, "title": _("编辑课程"), "back": reverse("academy:course_detail", args=[course.pk])},
    )


@login_required
@require_POST
def course_archive(request: HttpRequest, pk: int) -> HttpResponse:
    course = access_course(request.user, pk, write=True)
    services.course_archive(actor=request.user, course=course)
    messages.success(request, _("课程已归档,历史班级和证书保留。"))
    return redirect("academy:course_list")


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


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    _browse_or_404(request.user)
    queryset = (
        Cohort.objects.visible_to(request.user)
        .filter(archived_at__isnull=True)
        .select_related("course__provider", "order")
        .annotate(
            taken=Count("enrolments", filter=Q(enrolments__status__in=["pending", "enrolled", "graduated"])),
            waiting=Count("enrolments", filter=Q(enrolments__status="waitlisted")),
        )
    )
    filterset = CohortFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["starts_on", "name", "capacity"], "-starts_on")
    if wants_export(request):
        return export_queryset("cohorts", queryset, COHORT_EXPORT)
    return render_page(
        request,
        "academy/cohort_list.html",
        _list_context(request, filterset, paginate(request, queryset), sort),
        partial="academy/_cohort_table.html",
    )


@login_required
def cohort_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = access_course(request.user, pk, write=True)
    order = None
    if request.GET.get("order") or request.POST.get("order"):
        raw = request.GET.get("order") or request.POST.get("order") or ""
        order = access_order(request.user, int(raw), write=True) if raw.isdigit() else None
    form = forms.CohortForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(
                actor=request.user, course=course, data=form.cleaned_data, order=order
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("班级已开设。下一步:排课。"))
            return redirect("academy:cohort_detail", pk=cohort.pk)
    return render_page(
        request,
        "academy/form.html",
        {
            "form": form,
            "title": _("开设班级:%(course)s") % {"course": course.title},
            "back": reverse("academy:course_detail", args=[course.pk]),
            "hidden": {"order": order.pk} if order else {},
        },
    )


def _next_step(cohort: Cohort, rows: list[Enrolment], sessions: list[Session]) -> str:
    """Who must act next, in words (UI rule: every workflow object says it)."""
    provider = cohort.course.provider.name
    if cohort.status == CohortStatus.OPEN and not sessions:
        return _("等待 %(p)s 排课") % {"p": provider}
    if any(r.status == EnrolmentStatus.PENDING for r in rows):
        return _("等待 %(p)s 审核报名") % {"p": provider}
    if cohort.status == CohortStatus.OPEN:
        return _("报名中:等待企业或个人报名")
    if cohort.status == CohortStatus.RUNNING:
        return _("开课中:等待 %(p)s 登记出勤、考核与发证") % {"p": provider}
    if cohort.status == CohortStatus.COMPLETED:
        return _("已结业:等待学员和师资评价")
    return ""


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(request.user, pk)
    can_manage = may_manage_provider(request.user, cohort.course.provider_id)
    visible = Enrolment.objects.visible_to(request.user).filter(cohort=cohort)
    rows = roster(cohort, visible)
    sessions = list(cohort.sessions.all())
    talent = own_talent(request.user)
    firms = firm_manager_ids(request.user)
    occupied = cohort.enrolments.occupying().count()
    feedback = cohort.feedback.aggregate(avg=Avg("rating"), n=Count("pk"))
    return render_page(
        request,
        "academy/cohort_detail.html",
        {
            "cohort": cohort,
            "course": cohort.course,
            "sessions": sessions,
            "rows": [r for r in rows if r.status not in (EnrolmentStatus.WAITLISTED,)],
            "waitlist": [r for r in rows if r.status == EnrolmentStatus.WAITLISTED],
            "occupied": occupied,
            "free": max(cohort.capacity - occupied, 0),
            "can_manage": can_manage,
            "can_enrol": cohort.status == CohortStatus.OPEN
            and (bool(firms) or talent is not None or can_manage),
            "can_feedback": services.feedback_role(request.user, cohort) is not None,
            "feedback": feedback,
            "next_step": _next_step(cohort, rows, sessions),
            "status_form_choices": [
                (value, label)
                for value, label in CohortStatus.choices
                if cohort.status in services._COHORT_MOVES.get(value, set())
            ],
            "show_names": may_see_names(request.user),
            "passed_waiting": sum(
                1
                for r in rows
                if r.status == EnrolmentStatus.ENROLLED
                and getattr(r, "assessment", None)
                and r.assessment.passed
            )
            if can_manage
            else 0,
            "timeline": audit_timeline(cohort) if can_manage else [],
        },
    )


@login_required
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(request.user, pk, write=True)
    initial = {name: getattr(cohort, name) for name in services.COHORT_FIELDS}
    form = forms.CohortForm(request.POST or None, initial=initial, course=cohort.course)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(actor=request.user, cohort=cohort, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("academy:cohort_detail", pk=cohort.pk)
    return render_page(
        request,
        "academy/form.html",
        {"form": form, "title": _("编辑班级"), "back": reverse("academy:cohort_detail", args=[cohort.pk])},
    )


@login_required
@require_POST
def cohort_status(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(request.user, pk, write=True)
    status = request.POST.get("status", "")
    if status not in CohortStatus.values:
        messages.error(request, _("未知的班级状态。"))
    else:
        try:
            services.cohort_set_status(actor=request.user, cohort=cohort, status=status)
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("班级状态已更新。"))
    return redirect("academy:cohort_detail", pk=cohort.pk)


@login_required
@require_POST
def cohort_certify(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(request.user, pk, write=True)
    try:
        job = services.cohort_certify_start(actor=request.user, cohort=cohort)
    except ValidationError as error:
        _fail(request, error)
        return redirect("academy:cohort_detail", pk=cohort.pk)
    messages.success(request, _("批量发证已在后台进行,可离开本页,完成后会在任务页显示结果。"))
    return redirect("jobs:detail", pk=job.pk)


@login_required
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(request.user, pk, write=True)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_add(actor=request.user, cohort=cohort, data=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("课次已添加。"))
            return redirect("academy:cohort_detail", pk=cohort.pk)
    return render_page(
        request,
        "academy/form.html",
        {"form": form, "title": _("添加课次"), "back": reverse("academy:cohort_detail", args=[cohort.pk])},
    )


@login_required
def cohort_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """One page, three ways in: a firm picks or adds its workers, a person enrols themself, the academy
    enrols anyone from the talent pool."""
    cohort = access_cohort(request.user, pk)
    firms = firm_manager_ids(request.user)
    talent = own_talent(request.user)
    can_manage = may_manage_provider(request.user, cohort.course.provider_id)
    if not (firms or talent is not None or can_manage):
        raise Http404
    mode = request.POST.get("mode", "")

    def bound(name: str) -> Any:
        return request.POST if mode == name else None

    # Prefixes keep the four forms' field ids apart on one page.
    firm_form = forms.FirmEnrolForm(bound("firm"), firm_ids=firms, prefix="pick") if firms else None
    # New worker profiles are created by the firm's admin (talents' rule); 共享人才官 pick existing ones.
    admin_firms = firms & approved_organisation_ids(request.user, Role.ORG_ADMIN)
    worker_form = (
        forms.WorkerAddForm(bound("worker"), firm_ids=admin_firms, prefix="new") if admin_firms else None
    )
    self_form = forms.SelfEnrolForm(bound("self"), prefix="self") if talent is not None else None
    academy_form = forms.AcademyEnrolForm(bound("academy"), prefix="acad") if can_manage else None
    if request.method == "POST":
        form = {"firm": firm_form, "worker": worker_form, "self": self_form, "academy": academy_form}.get(
            mode
        )
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                if mode == "firm":
                    created = services.enrolment_create(
                        actor=request.user,
                        cohort=cohort,
                        talents=list(data["talents"]),
                        sponsor=data["firm"],
                        years_experience=data["years_experience"],
                    )
                elif mode == "worker":
                    created = [
                        services.worker_add_and_enrol(
                            actor=request.user, cohort=cohort, firm=data["firm"], data=data
                        )
                    ]
                elif mode == "self":
                    created = services.enrolment_create(
                        actor=request.user,
                        cohort=cohort,
                        talents=[talent],
                        years_experience=data["years_experience"],
                        education=data["education"],
                    )
                else:
                    created = services.enrolment_create(
                        actor=request.user,
                        cohort=cohort,
                        talents=list(data["talents"]),
                        years_experience=data["years_experience"],
                        education=data["education"],
                    )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(
                    None, error if isinstance(error, ValidationError) else _("没有权限为这些人员报名。")
                )
            else:
                waiting = [e.talent.name for e in created if e.status == EnrolmentStatus.WAITLISTED]
                placed = [e.talent.name for e in created if e.status != EnrolmentStatus.WAITLISTED]
                if placed:
                    messages.success(
                        request,
                        _("已报名:%(names)s。") % {"names": pgettext("列表分隔符", "、").join(placed)},
                    )
                if waiting:
                    messages.warning(
                        request,
                        _("名额已满,%(names)s 已进入候补名单;有人退出时将按顺序自动递补并通知。")
                        % {"names": pgettext("列表分隔符", "、").join(waiting)},
                    )
                return redirect("academy:cohort_detail", pk=cohort.pk)
    occupied = cohort.enrolments.occupying().count()
    return render_page(
        request,
        "academy/enrol.html",
        {
            "cohort": cohort,
            "firm_form": firm_form,
            "worker_form": worker_form,
            "self_form": self_form,
            "academy_form": academy_form,
            "free": max(cohort.capacity - occupied, 0),
            "mode": mode,
        },
    )


@login_required
def cohort_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(request.user, pk)
    if services.feedback_role(request.user, cohort) is None:
        raise Http404
    form = forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(
                actor=request.user,
                cohort=cohort,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("academy:cohort_detail", pk=cohort.pk)
    return render_page(
        request,
        "academy/form.html",
        {
            "form": form,
            "title": _("评价:%(c)s") % {"c": cohort.name},
            "back": reverse("academy:cohort_detail", args=[cohort.pk]),
        },
    )


# Sessions and check-in --------------------------------------------------------------------------


def _may_show_qr(user: Any, session: Session) -> bool:
    if may_manage_provider(user, session.cohort.course.provider_id):
        return True
    talent = own_talent(user)
    return talent is not None and (
        session.cohort.lead_trainer_id == talent.pk
        or session.cohort.course.trainers.filter(pk=talent.pk).exists()
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainer's screen: the session's QR code to scan, and the academy's manual register."""
    session = Session.objects.select_related("cohort__course__provider").filter(pk=pk).first()
    if session is None or not _may_show_qr(request.user, session):
        raise Http404
    checkin_url = request.build_absolute_uri(reverse("academy:checkin", args=[session.checkin_code]))
    can_manage = may_manage_provider(request.user, session.cohort.course.provider_id)
    enrolments = list(
        session.cohort.enrolments.filter(status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED])
        .select_related("talent")
        .order_by("created_at")
    )
    present = set(session.attendances.values_list("enrolment_id", flat=True))
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
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = Session.objects.select_related("cohort__course").filter(pk=pk).first()
    if session is None or not may_manage_provider(request.user, session.cohort.course.provider_id):
        raise Http404
    ids = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    enrolments = list(
        session.cohort.enrolments.filter(
            status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED]
        ).select_related("talent")
    )
    try:
        changed = services.attendance_mark(
            actor=request.user,
            session=session,
            present=[e for e in enrolments if e.pk in ids],
            absent=[e for e in enrolments if e.pk not in ids],
        )
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("出勤已保存(%(n)s 处变更)。") % {"n": changed})
    return redirect("academy:session_detail", pk=session.pk)


@login_required
def checkin(request: HttpRequest, code: str) -> HttpResponse:
    """Where the QR code leads: the trainee confirms with one tap (a POST, so link previews cannot sign in)."""
    session = Session.objects.select_related("cohort__course").filter(checkin_code=code).first()
    if session is None:
        raise Http404
    result = None
    if request.method == "POST":
        try:
            _attendance, created = services.attendance_checkin(user=request.user, code=code)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            result = "new" if created else "again"
    return render_page(request, "academy/checkin.html", {"session": session, "result": result})


# Enrolments -------------------------------------------------------------------------------------


def _enrolment_export(show_names: bool) -> tuple[ExportColumn, ...]:
    def name(e: Enrolment) -> str:
        return e.talent.name if show_names else mask_name(e.talent.name)

    return (
        ExportColumn(gettext_lazy("学员"), name),
        ExportColumn(gettext_lazy("手机号"), lambda e: mask_mobile(e.talent.mobile)),
        ExportColumn(
            _("企业"), lambda e: e.talent.home_organisation.name if e.talent.home_organisation else ""
        ),
        ExportColumn(gettext_lazy("班级"), lambda e: e.cohort.name),
        ExportColumn(gettext_lazy("课程"), lambda e: e.cohort.course.title),
        ExportColumn(gettext_lazy("状态"), lambda e: e.get_status_display()),
        ExportColumn(gettext_lazy("报名时间"), lambda e: e.created_at),
        ExportColumn(gettext_lazy("结业时间"), lambda e: e.graduated_at),
        ExportColumn(gettext_lazy("补贴"), lambda e: e.subsidy_amount),
        ExportColumn(gettext_lazy("录用企业"), lambda e: e.hired_by.name if e.hired_by else ""),
    )


@login_required
def enrolment_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (is_academy_staff(user) or firm_manager_ids(user) or own_talent(user) is not None):
        raise Http404
    queryset = Enrolment.objects.visible_to(user).select_related(
        "talent__home_organisation", "cohort__course", "hired_by"
    )
    filterset = EnrolmentFilter(request.GET, queryset=queryset, cohorts=Cohort.objects.visible_to(user))
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["created_at", "status"], "-created_at")
    if wants_export(request):
        return export_queryset("enrolments", queryset, _enrolment_export(may_see_names(user)))
    return render_page(
        request,
        "academy/enrolment_list.html",
        _list_context(request, filterset, paginate(request, queryset), sort),
        partial="academy/_enrolment_table.html",
    )


def _enrolment_next(enrolment: Enrolment) -> str:
    provider = enrolment.cohort.course.provider.name
    status = enrolment.status
    if status == EnrolmentStatus.PENDING:
        return _("等待 %(p)s 审核报名") % {"p": provider}
    if status == EnrolmentStatus.WAITLISTED:
        return _("候补中:有人退出时自动递补")
    if status == EnrolmentStatus.ENROLLED:
        assessment = getattr(enrolment, "assessment", None)
        if assessment is None:
            return _("等待 %(p)s 登记出勤和考核成绩") % {"p": provider}
        if assessment.passed:
            return _("等待 %(p)s 颁发证书") % {"p": provider}
        return _("考核未通过:等待 %(p)s 安排补考或结业") % {"p": provider}
    order = enrolment.cohort.order
    if status == EnrolmentStatus.GRADUATED and order is not None and enrolment.hired_by_id is None:
        return _("等待订单企业录用")
    return ""


@login_required
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access_enrolment(request.user, pk)
    user = request.user
    can_manage = may_manage_provider(user, enrolment.cohort.course.provider_id)
    attended, total, hours = enrolment_attendance(enrolment)
    assessment = getattr(enrolment, "assessment", None)
    certificate = Certificate.objects.filter(enrolment=enrolment).first()
    order = enrolment.cohort.order
    order_firms = Organisation.objects.none()
    if order is not None:
        firm_ids = order.participants.values_list("firm_id", flat=True)
        order_firms = Organisation.objects.filter(pk__in=firm_ids)
        if not may_run_order(user, order):
            order_firms = order_firms.filter(pk__in=firm_manager_ids(user))
    return render_page(
        request,
        "academy/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "course": enrolment.cohort.course,
            "attended": attended,
            "total": total,
            "hours": hours,
            "rate": (attended / total) if total else 0,
            "assessment": assessment,
            "certificate": certificate,
            "eligibility": eligibility(enrolment) if can_manage and enrolment.status == "enrolled" else None,
            "can_manage": can_manage,
            "can_withdraw": services.may_withdraw(user, enrolment)
            and enrolment.status
            in (EnrolmentStatus.PENDING, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED),
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
            "offer_form": forms.FirmChoiceForm(firms=order_firms) if order_firms.exists() else None,
            "hire_form": forms.HireForm(firms=order_firms) if order_firms.exists() else None,
            "retention_form": forms.RetentionForm(),
            "may_track": enrolment.hired_by_id is not None
            and (
                enrolment.hired_by_id in firm_manager_ids(user)
                or (order is not None and may_run_order(user, order))
            ),
            "show_name": may_see_names(user) or enrolment.talent.user_id == user.pk,
            "can_reveal": may_reveal_personal(user, enrolment.talent),
            "next_step": _enrolment_next(enrolment),
            "timeline": audit_timeline(enrolment) if can_manage else [],
        },
    )


def _enrolment_action(request: HttpRequest, pk: int, write: bool = True) -> Enrolment:
    return access_enrolment(request.user, pk, write=write)


@login_required
@require_POST
def enrolment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_action(request, pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form)
    else:
        try:
            services.enrolment_decide(
                actor=request.user,
                enrolment=enrolment,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("审核结果已保存并通知报名人。"))
    return redirect("academy:enrolment_detail", pk=enrolment.pk)


@login_required
@require_POST
def enrolment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_action(request, pk, write=False)
    try:
        services.enrolment_withdraw(actor=request.user, enrolment=enrolment)
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    else:
        messages.success(request, _("已退出;空出的名额已自动递补给候补第一位。"))
    return redirect("academy:enrolment_detail", pk=enrolment.pk)


@login_required
@require_POST
def enrolment_assess(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_action(request, pk)
    form = forms.AssessmentForm(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form)
    else:
        try:
            assessment = services.assessment_record(
                actor=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as error:
            _fail(request, error)
        else:
            if assessment.passed:
                messages.success(request, _("成绩已登记:考核通过。"))
            else:
                messages.warning(request, _("成绩已登记:考核未通过(未达到本等级合格线)。"))
    return redirect("academy:enrolment_detail", pk=enrolment.pk)


@login_required
@require_POST
def enrolment_certify(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_action(request, pk)
    try:
        certificate = services.certificate_issue(actor=request.user, enrolment=enrolment)
    except ValidationError as error:
        _fail(request, error)
        return redirect("academy:enrolment_detail", pk=enrolment.pk)
    messages.success(request, _("证书 %(n)s 已颁发,学员技能档案已自动更新。") % {"n": certificate.number})
    return redirect("academy:certificate_detail", pk=certificate.pk)


@login_required
@require_POST
def enrolment_graduate(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_action(request, pk)
    try:
        services.enrolment_graduate(actor=request.user, enrolment=enrolment)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("已结业。"))
    return redirect("academy:enrolment_detail", pk=enrolment.pk)


def _order_firms_for(request: HttpRequest, enrolment: Enrolment) -> Any:
    order = enrolment.cohort.order
    if order is None:
        raise Http404
    return Organisation.objects.filter(pk__in=order.participants.values_list("firm_id", flat=True))


@login_required
@require_POST
def enrolment_offer(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_action(request, pk, write=False)
    form = forms.FirmChoiceForm(request.POST, firms=_order_firms_for(request, enrolment))
    if not form.is_valid():
        _errors_to_messages(request, form)
    else:
        try:
            services.enrolment_offer(actor=request.user, enrolment=enrolment, firm=form.cleaned_data["firm"])
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
        else:
            messages.success(request, _("录用意向已登记。"))
    return redirect("academy:enrolment_detail", pk=enrolment.pk)


@login_required
@require_POST
def enrolment_hire(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_action(request, pk, write=False)
    form = forms.HireForm(request.POST, firms=_order_firms_for(request, enrolment))
    if not form.is_valid():
        _errors_to_messages(request, form)
    else:
        try:
            services.enrolment_hire(
                actor=request.user,
                enrolment=enrolment,
                firm=form.cleaned_data["firm"],
                hired_on=form.cleaned_data["hired_on"],
            )
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
        else:
            messages.success(request, _("入职已登记,计入订单完成情况。"))
    return redirect("academy:enrolment_detail", pk=enrolment.pk)


@login_required
@require_POST
def enrolment_retention(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_action(request, pk, write=False)
    form = forms.RetentionForm(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form)
    else:
        try:
            services.enrolment_retention(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
        else:
            messages.success(request, _("在岗情况已登记。"))
    return redirect("academy:enrolment_detail", pk=enrolment.pk)


# Certificates -----------------------------------------------------------------------------------


def _certificate_export(show_names: bool) -> tuple[ExportColumn, ...]:
    return (
        ExportColumn(gettext_lazy("证书编号"), lambda c: c.number),
        ExportColumn(
            gettext_lazy("持证人"), lambda c: c.holder_name if show_names else mask_name(c.holder_name)
        ),
        ExportColumn(
            _("企业"), lambda c: c.talent.home_organisation.name if c.talent.home_organisation else ""
        ),
        ExportColumn(gettext_lazy("职业/技能"), lambda c: c.level_label),
        ExportColumn(gettext_lazy("发证日期"), lambda c: c.issued_at),
        ExportColumn(gettext_lazy("状态"), lambda c: c.get_status_display()),
    )


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (is_academy_staff(user) or firm_manager_ids(user) or own_talent(user) is not None):
        raise Http404
    queryset = Certificate.objects.visible_to(user).select_related(
        "talent__home_organisation", "occupation_level__occupation", "skill"
    )
    filterset = CertificateFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["number", "issued_at"], "-issued_at")
    if wants_export(request):
        return export_queryset("certificates", queryset, _certificate_export(may_see_names(user)))
    return render_page(
        request,
        "academy/certificate_list.html",
        _list_context(request, filterset, paginate(request, queryset), sort),
        partial="academy/_certificate_table.html",
    )


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
    if not form.is_valid():
        _errors_to_messages(request, form)
    else:
        try:
            services.certificate_revoke(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("证书已撤销,公开核验页将显示“已撤销”。"))
    return redirect("academy:certificate_detail", pk=certificate.pk)


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


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (is_academy_staff(user) or firm_manager_ids(user)):
        raise Http404
    queryset = (
        TrainingOrder.objects.visible_to(user).filter(archived_at__isnull=True).select_related("school")
    )
    filterset = OrderFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["created_at", "due_on", "headcount"], "-created_at")
    if wants_export(request):
        return export_queryset("training-orders", queryset, ORDER_EXPORT)
    page = paginate(request, queryset)
    fulfilment = {
        row.order.pk: row
        for row in order_fulfilment(TrainingOrder.objects.filter(pk__in=[o.pk for o in page]))
    }
    return render_page(
        request,
        "academy/order_list.html",
        _list_context(
            request,
            filterset,
            page,
            sort,
            fulfilment=fulfilment,
            can_place=bool(firm_manager_ids(user)),
            schools=school_fulfilment(
                TrainingOrder.objects.visible_to(user).filter(archived_at__isnull=True)
            ),
        ),
        partial="academy/_order_table.html",
    )


@login_required
def order_create(request: HttpRequest) -> HttpResponse:
    firms = firm_manager_ids(request.user)
    if not firms:
        raise Http404
    form = forms.OrderForm(request.POST or None, firm_ids=firms)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_place(
                actor=request.user, firm=form.cleaned_data["firm"], data=form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("订单已发布,等待学校接单。"))
            return redirect("academy:order_detail", pk=order.pk)
    return render_page(
        request,
        "academy/form.html",
        {"form": form, "title": _("发布订单培养需求"), "back": reverse("academy:order_list")},
    )


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    user = request.user
    firms = firm_manager_ids(user)
    participants = list(order.participants.select_related("firm"))
    in_order = {p.firm_id for p in participants}
    can_run = may_run_order(user, order)
    trainees = (
        Enrolment.objects.visible_to(user)
        .filter(cohort__order=order)
        .select_related("talent", "cohort", "hired_by", "offer_firm")
    )
    if not can_run and not (firms & in_order):
        trainees = trainees.none()
    fulfilment = order_fulfilment(TrainingOrder.objects.filter(pk=order.pk))[0]
    joinable = firms - in_order
    if order.status == OrderStatus.OPEN:
        next_step = _("等待高校或职业院校接单")
    elif order.status == OrderStatus.ACCEPTED and not order.cohorts.exists():
        next_step = _("等待 %(s)s 开设订单班") % {"s": order.school.name}
    elif order.status == OrderStatus.ACCEPTED:
        next_step = _("培养中:等待 %(s)s 培养结业、企业录用") % {"s": order.school.name}
    else:
        next_step = ""
    return render_page(
        request,
        "academy/order_detail.html",
        {
            "order": order,
            "participants": participants,
            "skills": order.skills.all(),
            "cohorts": order.cohorts.select_related("course"),
            "trainees": trainees,
            "fulfilment": fulfilment,
            "fulfilment_rows": [fulfilment],
            "can_run": can_run,
            "courses": Course.objects.active().filter(provider=order.school)
            if can_run and order.school_id
            else [],
            "join_form": forms.OrderJoinForm(firm_ids=joinable)
            if joinable and order.status == OrderStatus.OPEN
            else None,
            "accept_form": forms.OrderAcceptForm(user=user)
            if order.status == OrderStatus.OPEN and is_academy_staff(user)
            else None,
            "show_names": may_see_names(user),
            "next_step": next_step,
            "timeline": audit_timeline(order) if (can_run or firms & in_order) else [],
        },
    )


@login_required
@require_POST
def order_join(request: HttpRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    firms = firm_manager_ids(request.user)
    if not firms:
        raise Http404
    form = forms.OrderJoinForm(request.POST, firm_ids=firms)
    if not form.is_valid():
        _errors_to_messages(request, form)
    else:
        try:
            services.order_join(actor=request.user, order=order, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
        else:
            messages.success(request, _("已加入订单。"))
    return redirect("academy:order_detail", pk=order.pk)


@login_required
@require_POST
def order_accept(request: HttpRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    if not is_academy_staff(request.user):
        raise Http404
    form = forms.OrderAcceptForm(request.POST, user=request.user)
    if not form.is_valid():
        _errors_to_messages(request, form)
    else:
        try:
            services.order_accept(actor=request.user, order=order, school=form.cleaned_data["school"])
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
        else:
            messages.success(request, _("已接单。下一步:用本校课程开设订单班。"))
    return redirect("academy:order_detail", pk=order.pk)


@login_required
@require_POST
def order_close(request: HttpRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk, write=True)
    try:
        services.order_close(actor=request.user, order=order)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("订单已结束。"))
    return redirect("academy:order_detail", pk=order.pk)


# Trainers, rules, reports -----------------------------------------------------------------------


@login_required
def trainer_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A trainer's record: cohorts taught, trainees, pass rate, feedback."""
    _browse_or_404(request.user)
    trainer = Talent.objects.visible_to(request.user).filter(pk=pk).first()
    if trainer is None:
        raise Http404
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
    ratings = Feedback.objects.filter(cohort__in=cohorts.values("pk"), role="trainee").aggregate(
        avg=Avg("rating"), n=Count("pk")
    )
    comments = Feedback.objects.filter(cohort__in=cohorts.values("pk"), role="trainee").exclude(comment="")[
        :10
    ]
    return render_page(
        request,
        "academy/trainer_record.html",
        {"trainer": trainer, "cohorts": cohorts, "ratings": ratings, "comments": comments},
    )


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """Occupations, levels, pass and eligibility rules and subsidies: the data the academy runs on."""
    _browse_or_404(request.user)
    if request.method == "POST":
        if not is_operator(request.user):
            raise Http404
        try:
            counts = services.rules_sync(actor=request.user)
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(
                request,
                _("已同步:%(o)s 个职业、%(l)s 个等级、%(s)s 条补贴规则。")
                % {"o": counts[0], "l": counts[1], "s": counts[2]},
            )
        return redirect("academy:rules")
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
def level_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    level = OccupationLevel.objects.select_related("occupation").filter(pk=pk).first()
    if level is None:
        raise Http404
    form = forms.LevelForm(
        request.POST or None,
        initial={
            "theory_pass": level.theory_pass,
            "practical_pass": level.practical_pass,
            "eligibility": json.dumps(level.eligibility, ensure_ascii=False),
        },
    )
    if request.method == "POST" and form.is_valid():
        services.level_update(actor=request.user, level=level, data=form.cleaned_data)
        messages.success(request, _("已保存。"))
        return redirect("academy:rules")
    return render_page(
        request, "academy/form.html", {"form": form, "title": str(level), "back": reverse("academy:rules")}
    )


@login_required
def report_dashboard(request: HttpRequest) -> HttpResponse:
    if not may_view_reports(request.user):
        raise Http404
    user = request.user
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
    return render_page(
        request,
        "academy/reports.html",
        {
            "headline": reports.headline(user),
            "tables": tables,
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            "costs": reports.cost_by_course(user),
            "orders": order_fulfilment(orders),
            "schools": school_fulfilment(orders),
            "no_order_links": not (is_academy_staff(user) or firm_manager_ids(user)),
        },
    )


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "—" if value in (None, "") else value


@login_required
def report_people(request: HttpRequest) -> HttpResponse:
    """The people behind one figure of the dashboard, with the same Excel export as every list."""
    if not may_view_reports(request.user):
        raise Http404
    user = request.user
    measure = request.GET.get("measure", "trained")
    if measure not in reports.MEASURES:
        raise Http404
    dimension = request.GET.get("dimension", "")
    key = request.GET.get("key", "")
    if dimension and dimension not in reports.DIMENSIONS:
        raise Http404
    year = reports.parse_year(request.GET.get("year"))
    queryset = reports.drill(user, measure, dimension, key, year)
    show_names = may_see_names(user)
    if measure == "certificates":
        queryset = queryset.select_related(
            "talent__home_organisation", "occupation_level__occupation", "skill"
        ).order_by("-issued_at", "pk")
        columns = _certificate_export(show_names)
    else:
        queryset = queryset.select_related(
            "talent__home_organisation", "cohort__course", "hired_by"
        ).order_by("-created_at", "pk")
        columns = _enrolment_export(show_names)
    if wants_export(request):
        return export_queryset(f"academy-{measure}", queryset, columns)
    page = paginate(request, queryset)
    return render_page(
        request,
        "academy/report_people.html",
        {
            "page": page,
            "query": query_without(request, "page"),
            "measure": measure,
            "measure_label": reports.MEASURES[measure],
            "dimension_label": reports.DIMENSIONS.get(dimension, ""),
            "year": year,
            "show_names": show_names,
            "rows": [[(column.header, _cell(column.value(obj))) for column in columns] for obj in page],
            "headers": [column.header for column in columns],
        },
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("academy:course_list")
