"""Thin views of campus recruitment: parse, access, call a service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.core.charts import Chart, Series
from jingxiang.core.documents import qr_svg
from jingxiang.core.excel import export_response
from jingxiang.core.forms import add_service_error
from jingxiang.core.links import absolute_url
from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page, redirect_to
from jingxiang.core.rendering import render_page
from jingxiang.identifiers import mask_mobile
from jingxiang.organisations.permissions import is_operator, managed_firm_ids
from jingxiang.recruitment import forms, selectors, services
from jingxiang.recruitment.filters import ApplicationFilter, FairFilter
from jingxiang.recruitment.models import Application, Fair, FairStatus, Job
from jingxiang.recruitment.permissions import (
    access_application,
    access_fair,
    access_fair_firm,
    career_office_fair_ids,
    may_see_firm_side,
    may_see_recruitment,
    public_fair,
    student_of,
)

FAIR_LIST = ListSpec(
    template="recruitment/fair_list.html",
    partial="recruitment/_fair_table.html",
    filterset=FairFilter,
    sort=("fair_date", "title"),
    default_sort="-fair_date",
    export=Export(
        "校园招聘会",
        [
            ExportColumn(gettext_lazy("名称"), lambda f: f.title),
            ExportColumn(gettext_lazy("高校"), lambda f: f.university.name),
            ExportColumn(gettext_lazy("日期"), lambda f: f.fair_date),
            ExportColumn(gettext_lazy("地点"), lambda f: f.venue),
            ExportColumn(gettext_lazy("状态"), lambda f: f.get_status_display()),
        ],
    ),
)

APPLICATION_LIST = ListSpec(
    template="recruitment/applications.html",
    partial="recruitment/_application_table.html",
    filterset=ApplicationFilter,
    sort=("created_at", "status"),
    default_sort="-created_at",
    prepare=lambda qs: qs.select_related("student", "job__fair_firm__firm", "job__fair_firm__fair", "slot"),
    export=Export(
        "求职申请",
        [
            ExportColumn(gettext_lazy("学生"), lambda a: a.student.masked_name),
            ExportColumn(gettext_lazy("手机号"), lambda a: mask_mobile(a.student.mobile)),
            ExportColumn(gettext_lazy("学校"), lambda a: a.student.school),
            ExportColumn(gettext_lazy("学历"), lambda a: a.student.get_degree_display()),
            ExportColumn(gettext_lazy("企业"), lambda a: a.job.fair_firm.firm.name),
            ExportColumn(gettext_lazy("岗位"), lambda a: a.job.post),
            ExportColumn(gettext_lazy("状态"), lambda a: a.get_status_display()),
            ExportColumn(gettext_lazy("面试时段"), lambda a: str(a.slot) if a.slot_id else ""),
            ExportColumn(
                gettext_lazy("订单培养"), lambda a: _("是") if a.student.order_enrolment_id else _("否")
            ),
            ExportColumn(gettext_lazy("未通过原因"), lambda a: a.reject_reason),
        ],
    ),
)


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _staff_or_404(user: Any) -> None:
    if not may_see_recruitment(user):
        raise Http404


# Operator and firm side -----------------------------------------------------------------------------


@login_required
def fair_list(request: HttpRequest) -> HttpResponse:
    _staff_or_404(request.user)
    queryset = Fair.objects.visible_to(request.user).select_related("university")
    return list_page(request, queryset, FAIR_LIST, {"is_operator": is_operator(request.user)})


@login_required
def fair_create(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    form = forms.FairForm(request.POST or None, actor=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.fair_create(actor=request.user, data=data),
        success_url=lambda fair: reverse("recruitment:fair", args=[fair.pk]),
        success_message=_("招聘会已创建。请邀请企业,然后开放报名。"),
        context={"title": _("新建校园招聘会"), "back": reverse("recruitment:fairs")},
    )


@login_required
def fair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_or_404(request.user)
    fair = access_fair(request.user, pk)
    operator = is_operator(request.user)
    firms = list(
        fair.firms.select_related("firm").annotate(
            job_count=Count("jobs", filter=Q(jobs__archived_at__isnull=True), distinct=True)
        )
    )
    own = [row for row in firms if row.firm_id in managed_firm_ids(request.user)]
    public_url = absolute_url(reverse("recruitment:public", args=[fair.public_code]), request)
    context = {
        "fair": fair,
        "operator": operator,
        "firms": firms if operator else own,
        "own": own,
        "jobs": Job.objects.filter(
            fair_firm__in=own if not operator else firms, archived_at__isnull=True
        ).select_related("fair_firm__firm"),
        "invite_form": forms.InviteForm() if operator else None,
        "public_url": public_url,
        "qr": qr_svg(public_url, scale=4) if fair.status != FairStatus.DRAFT else "",
        "latest_run": fair.runs.first() if operator else None,
    }
    return render_page(request, "recruitment/fair_detail.html", context)


@login_required
def fair_invite(request: HttpRequest, pk: int) -> HttpResponse:
    fair = access_fair(request.user, pk, write=True)
    form = forms.InviteForm(request.POST or None)
    url = reverse("recruitment:fair", args=[fair.pk])
    return action(
        request,
        lambda: services.firm_invite(actor=request.user, fair=fair, firms=form.cleaned_data["firms"]),
        success_url=url,
        success_message=_("已邀请。"),
        form=form,
    )


@login_required
def fair_open(request: HttpRequest, pk: int) -> HttpResponse:
    fair = access_fair(request.user, pk, write=True)
    return action(
        request,
        lambda: services.fair_open(actor=request.user, fair=fair),
        success_url=reverse("recruitment:fair", args=[fair.pk]),
        success_message=_("招聘会已开放,学生可以扫码报名投递。"),
    )


@login_required
def fair_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    fair = access_fair(request.user, pk, write=True)
    return action(
        request,
        lambda: services.schedule_start(actor=request.user, fair=fair),
        success_url=lambda run: reverse("jobs:detail", args=[run.job_id]),
        failure_url=reverse("recruitment:fair", args=[fair.pk]),
        success_message=_("面试排程已开始计算。"),
    )


@login_required
def fair_join(request: HttpRequest, pk: int) -> HttpResponse:
    row = access_fair_firm(request.user, pk)
    return action(
        request,
        lambda: services.fair_join(actor=request.user, fair_firm=row),
        success_url=reverse("recruitment:fair", args=[row.fair_id]),
        success_message=lambda r: _("已报名,展位号 %(n)s。") % {"n": r.booth},
    )


@login_required
def job_create(request: HttpRequest, pk: int) -> HttpResponse:
    row = access_fair_firm(request.user, pk)
    form = forms.JobForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.job_post(actor=request.user, fair_firm=row, data=data),
        success_url=reverse("recruitment:fair", args=[row.fair_id]),
        success_message=services.job_wage_message,
        context={
            "title": _("发布岗位:%(firm)s") % {"firm": row.firm.name},
            "back": reverse("recruitment:fair", args=[row.fair_id]),
            "intro": _("行业能级工资协议的岗位:%(posts)s。") % {"posts": "、".join(selectors.wage_posts())},
        },
    )


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    _staff_or_404(request.user)
    queryset = Application.objects.visible_to(request.user).exclude(student__user_id=request.user.pk or 0)
    return list_page(
        request,
        queryset,
        APPLICATION_LIST,
        {"move_form": forms.MoveForm()},
    )


@login_required
def applications_move(request: HttpRequest) -> HttpResponse:
    _staff_or_404(request.user)
    form = forms.MoveForm(request.POST or None)
    ids = request.POST.getlist("ids") if request.method == "POST" else []
    chosen = Application.objects.visible_to(request.user).filter(pk__in=[int(i) for i in ids if i.isdigit()])
    if request.method == "POST" and not ids:
        messages.error(request, _("请至少选择一份申请。"))
        return redirect_to(request, reverse("recruitment:applications"))
    post = request.POST.copy()
    post["ids"] = ",".join(ids)
    form = forms.MoveForm(post)
    return action(
        request,
        lambda: services.applications_move(
            actor=request.user,
            applications=list(chosen),
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        ),
        success_url=reverse("recruitment:applications"),
        success_message=lambda moved: _("已处理 %(n)s 份申请。") % {"n": len(moved)},
        form=form,
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    firm_side = may_see_firm_side(request.user, app)
    context = {
        "app": app,
        "firm_side": firm_side,
        "note_form": forms.NoteForm(initial={"note": app.note}) if firm_side else None,
        "place_form": forms.PlaceForm(fair=app.job.fair_firm.fair) if firm_side else None,
        "offer_form": forms.OfferForm(initial={"salary": app.job.salary_min}) if firm_side else None,
        "hire_form": forms.HireForm(initial={"hired_on": timezone.localdate()}) if firm_side else None,
        "revoke_form": forms.OfferRevokeForm() if firm_side else None,
    }
    return render_page(request, "recruitment/application.html", context)


def _firm_action(
    request: HttpRequest, pk: int, run: Any, form: Any = None, message: str = ""
) -> HttpResponse:
    app = access_application(request.user, pk)
    if not may_see_firm_side(request.user, app):
        raise Http404
    url = reverse("recruitment:application", args=[app.pk])
    return action(
        request, lambda: run(app), success_url=url, success_message=message or _("已保存。"), form=form
    )


@login_required
def application_note(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.NoteForm(request.POST or None)
    return _firm_action(
        request,
        pk,
        lambda app: services.application_note(
            actor=request.user, application=app, note=form.cleaned_data["note"]
        ),
        form,
    )


@login_required
def interview_place(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    form = forms.PlaceForm(request.POST or None, fair=app.job.fair_firm.fair)
    return _firm_action(
        request,
        pk,
        lambda a: services.interview_place(actor=request.user, application=a, slot=form.cleaned_data["slot"]),
        form,
        _("面试已安排。"),
    )


@login_required
def offer_make(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.OfferForm(request.POST or None)
    return _firm_action(
        request,
        pk,
        lambda a: services.offer_make(actor=request.user, application=a, salary=form.cleaned_data["salary"]),
        form,
        _("录用通知已发出。"),
    )


@login_required
def offer_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.OfferRevokeForm(request.POST or None)
    return _firm_action(
        request,
        pk,
        lambda a: services.offer_revoke(
            actor=request.user, application=a, reason=form.cleaned_data["reason"]
        ),
        form,
        _("录用通知已撤销,学生已收到通知。"),
    )


@login_required
def hire_record(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.HireForm(request.POST or None)
    return _firm_action(
        request,
        pk,
        lambda a: services.hire_record(
            actor=request.user,
            application=a,
            hired_on=form.cleaned_data["hired_on"],
            tier=form.cleaned_data["tier"],
        ),
        form,
        _("已登记入职,人才档案和企业成员身份已建立。"),
    )


@login_required
def offer_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from jingxiang.recruitment.documents import offer_pdf as render

    app = access_application(request.user, pk)
    if not app.offer_number:
        raise Http404
    response = HttpResponse(render(app), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="offer-{app.offer_number}.pdf"'
    return response


def _report_page(request: HttpRequest, applications: Any, title: str, back: str) -> HttpResponse:
    rep = selectors.report(applications)
    if request.GET.get("export") == "xlsx":
        return export_response(title, [str(h) for h in selectors.REPORT_HEADERS], selectors.report_rows(rep))
    chart = Chart(
        key="recruitment-by-firm",
        title=_("各企业投递、录用与入职"),
        kind="bar",
        categories=[t.label for t in rep.by_firm],
        series=[
            Series(_("投递"), [t.applications for t in rep.by_firm]),
            Series(_("录用通知"), [t.offers for t in rep.by_firm]),
            Series(_("入职"), [t.hires for t in rep.by_firm]),
        ],
        unit=_("人"),
    )
    context = {"report": rep, "title": title, "back": back, "chart": chart}
    return render_page(request, "recruitment/report.html", context)


@login_required
def fair_report(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_or_404(request.user)
    fair = access_fair(request.user, pk)
    apps = Application.objects.visible_to(request.user).filter(job__fair_firm__fair=fair)
    if fair.pk in career_office_fair_ids(request.user):
        # The university's career office sees the fair's totals (counts only, no student's record).
        apps = Application.objects.filter(job__fair_firm__fair=fair)
    return _report_page(
        request,
        apps,
        _("招聘成果:%(fair)s") % {"fair": fair.title},
        reverse("recruitment:fair", args=[fair.pk]),
    )


@login_required
def firm_report(request: HttpRequest) -> HttpResponse:
    _staff_or_404(request.user)
    apps = Application.objects.visible_to(request.user).exclude(student__user_id=request.user.pk or 0)
    return _report_page(request, apps, _("我的校园招聘成果"), reverse("recruitment:fairs"))


# Students (public, phone first) ---------------------------------------------------------------------


def fair_public(request: HttpRequest, code: str) -> HttpResponse:
    fair = public_fair(code)
    jobs = Job.objects.filter(fair_firm__fair=fair, archived_at__isnull=True).select_related(
        "fair_firm__firm"
    )
    student = student_of(request.user)
    form = forms.ApplyForm(jobs=jobs) if student and fair.status == FairStatus.OPEN else None
    url = absolute_url(reverse("recruitment:public", args=[fair.public_code]), request)
    return render_page(
        request,
        "recruitment/public.html",
        {
            "fair": fair,
            "jobs": jobs,
            "student": student,
            "apply_form": form,
            "qr": qr_svg(url, scale=4),
            "public_url": url,
        },
    )


def student_register(request: HttpRequest, code: str) -> HttpResponse:
    """Two steps on one page: get a code for the mobile, then fill the profile with the code."""
    fair = public_fair(code)
    code_form = forms.CodeForm(request.POST if request.POST.get("step") == "code" else None)
    form = forms.RegisterForm(
        request.POST if request.POST.get("step") == "register" else None,
        initial={"mobile": request.session.get("recruit_mobile", "")},
    )
    if code_form.is_bound and code_form.is_valid():
        try:
            services.student_code_send(mobile=code_form.cleaned_data["mobile"], ip=_ip(request))
        except ValidationError as error:
            add_service_error(code_form, error)
        else:
            request.session["recruit_mobile"] = code_form.cleaned_data["mobile"]
            messages.success(
                request, _("验证码已发送到 %(m)s。") % {"m": mask_mobile(code_form.cleaned_data["mobile"])}
            )
            return redirect_to(request, reverse("recruitment:register", args=[fair.public_code]))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            student = services.student_register(
                mobile=data["mobile"], code=data["code"], data=data, ip=_ip(request)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            from jingxiang.accounts.models import ConsentSource
            from jingxiang.accounts.services import privacy_consent_record

            privacy_consent_record(
                user=student.user,
                version=data["privacy_version"],
                source=ConsentSource.REGISTRATION,
                ip=_ip(request),
            )
            login(request, student.user, backend="jingxiang.accounts.backends.MobileOrUsernameBackend")
            messages.success(request, _("注册成功。请上传 PDF 简历,然后选择岗位投递。"))
            return redirect_to(request, reverse("recruitment:mine") + f"?fair={fair.public_code}")
    return render_page(
        request,
        "recruitment/register.html",
        {
            "fair": fair,
            "code_form": code_form,
            "form": form,
            "sent": bool(request.session.get("recruit_mobile")),
        },
    )


def student_login(request: HttpRequest, code: str) -> HttpResponse:
    fair = public_fair(code)
    code_form = forms.CodeForm(request.POST if request.POST.get("step") == "code" else None)
    form = forms.LoginForm(
        request.POST if request.POST.get("step") == "login" else None,
        initial={"mobile": request.session.get("recruit_mobile", "")},
    )
    if code_form.is_bound and code_form.is_valid():
        try:
            services.student_code_send(mobile=code_form.cleaned_data["mobile"], login=True, ip=_ip(request))
        except ValidationError as error:
            add_service_error(code_form, error)
        else:
            request.session["recruit_mobile"] = code_form.cleaned_data["mobile"]
            return redirect_to(request, reverse("recruitment:login", args=[fair.public_code]))
    if form.is_bound and form.is_valid():
        try:
            student = services.student_login(
                mobile=form.cleaned_data["mobile"], code=form.cleaned_data["code"], ip=_ip(request)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            login(request, student.user, backend="jingxiang.accounts.backends.MobileOrUsernameBackend")
            return redirect_to(request, reverse("recruitment:mine") + f"?fair={fair.public_code}")
    return render_page(
        request, "recruitment/login.html", {"fair": fair, "code_form": code_form, "form": form}
    )


def _student_or_404(request: HttpRequest) -> Any:
    student = student_of(request.user)
    if student is None:
        raise Http404
    return student


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The student's page: CV, classes on fair days, applications with their status and offers."""
    student = _student_or_404(request)
    cv_form = forms.CVForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and cv_form.is_valid():
        try:
            services.cv_upload(actor=request.user, cv=cv_form.cleaned_data["cv"])
        except ValidationError as error:
            add_service_error(cv_form, error)
        else:
            messages.success(request, _("简历已上传。"))
            return redirect_to(request, request.get_full_path())
    apps = student.applications.select_related("job__fair_firm__firm", "job__fair_firm__fair", "slot")
    fairs = Fair.objects.filter(firms__jobs__applications__student=student).distinct()
    fair_code = request.GET.get("fair", "")
    return render_page(
        request,
        "recruitment/mine.html",
        {
            "student": student,
            "apps": apps,
            "cv_form": cv_form,
            "class_form": forms.ClassForm(),
            "fairs": fairs,
            "fair_code": fair_code,
            "classes": student.classes.select_related("fair"),
        },
    )


@login_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    fair = public_fair(code)
    _student_or_404(request)
    jobs = Job.objects.filter(fair_firm__fair=fair, archived_at__isnull=True).select_related(
        "fair_firm__firm"
    )
    form = forms.ApplyForm(request.POST or None, jobs=jobs)
    return action(
        request,
        lambda: services.apply(actor=request.user, jobs=list(form.cleaned_data["jobs"])),
        success_url=reverse("recruitment:mine"),
        failure_url=reverse("recruitment:public", args=[fair.public_code]),
        success_message=lambda apps: _("已投递 %(n)s 个岗位。") % {"n": len(apps)},
        form=form,
    )


@login_required
def class_add(request: HttpRequest, pk: int) -> HttpResponse:
    _student_or_404(request)
    fair = get_object_or_404(Fair.objects.exclude(status=FairStatus.DRAFT), pk=pk)
    form = forms.ClassForm(request.POST or None)

    def run() -> Any:
        tz = timezone.get_current_timezone()
        return services.class_time_add(
            actor=request.user,
            fair=fair,
            starts_at=dt.datetime.combine(fair.fair_date, form.cleaned_data["starts_at"], tzinfo=tz),
            ends_at=dt.datetime.combine(fair.fair_date, form.cleaned_data["ends_at"], tzinfo=tz),
        )

    return action(
        request,
        run,
        success_url=reverse("recruitment:mine"),
        success_message=_("已记录上课时间。"),
        form=form,
    )


@login_required
def offer_respond(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    return action(
        request,
        lambda: services.offer_respond(actor=request.user, application=app, accept=accept),
        success_url=reverse("recruitment:mine"),
        success_message=_("已接受录用通知。") if accept else _("已婉拒录用通知。"),
    )


@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    return action(
        request,
        lambda: services.application_withdraw(actor=request.user, application=app),
        success_url=reverse("recruitment:mine"),
        success_message=_("已撤回。"),
    )
