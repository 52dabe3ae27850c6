"""Views of the alliance app: thin — parse, check access, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.alliance import documents, filters, forms, selectors, services
from jingxiang.alliance.models import (
    Agreement,
    Alliance,
    AnnualReport,
    MemberStatus,
    Obligation,
    Output,
    Task,
)
from jingxiang.alliance.outputs import LINK_KINDS, kind_label, resolve
from jingxiang.alliance.permissions import (
    access_agreement,
    access_alliance,
    access_domain,
    access_meeting,
    access_member,
    access_obligation,
    access_public_alliance,
    access_task,
    applicable_organisations,
    is_domain_lead,
    is_secretariat,
    may_create_alliance,
    may_plan,
    may_report_obligation,
    may_request_leave,
    may_run_meeting,
    may_work_on,
    secretariat_org_ids,
)
from jingxiang.core.charts import chart_export_response
from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.core.selectors import audit_timeline
from jingxiang.organisations.models import Organisation


def _file(field: Any) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _crumbs(alliance: Alliance, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("创新联盟"), reverse("alliance:home")),
        (alliance.name, reverse("alliance:detail", args=[alliance.pk])),
        *more,
    ]


# Alliances --------------------------------------------------------------------------------------------

ALLIANCE_LIST = ListSpec(
    template="alliance/home.html",
    partial="alliance/_alliance_table.html",
    sort=("name", "founded_on"),
    default_sort="founded_on",
    export=Export(
        "alliances",
        (
            ExportColumn(gettext_lazy("联盟名称"), lambda a: a.name),
            ExportColumn(gettext_lazy("类型"), lambda a: a.get_kind_display()),
            ExportColumn(gettext_lazy("秘书处单位"), lambda a: a.secretariat.name),
            ExportColumn(gettext_lazy("成立日期"), lambda a: a.founded_on),
            ExportColumn(gettext_lazy("在盟单位"), lambda a: a.current_members),
        ),
    ),
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    queryset = (
        Alliance.objects.visible_to(request.user)
        .select_related("secretariat")
        .annotate(
            current_members=Count(
                "members", filter=Q(members__status__in=[MemberStatus.ACTIVE, MemberStatus.LEAVING])
            )
        )
    )
    return list_page(request, queryset, ALLIANCE_LIST, {"may_create": may_create_alliance(request.user)})


@login_required
def alliance_create(request: HttpRequest) -> HttpResponse:
    if not may_create_alliance(request.user):
        raise Http404
    secretariats = (
        Organisation.objects.approved().filter(pk__in=secretariat_org_ids(request.user))
        if not request.user.is_superuser
        else Organisation.objects.approved().filter(kind__in=["association", "union", "government"])
    )
    form = forms.AllianceForm(request.POST or None, secretariats=secretariats, actor=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.alliance_create(
            actor=request.user,
            data=data,
            secretariat=data["secretariat"],
            standard_domains=data.get("standard_domains", False),
        ),
        success_url=lambda alliance: reverse("alliance:detail", args=[alliance.pk]),
        success_message=_("联盟已创建。请添加成员单位,并为各领域指定牵头单位。"),
        context={"title": _("新建联盟"), "back": reverse("alliance:home")},
    )


@login_required
def alliance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk, write=True)
    initial = {k: getattr(alliance, k) for k in services.ALLIANCE_FIELDS}
    form = forms.AllianceForm(request.POST or None, initial=initial, editing=True, actor=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.alliance_update(actor=request.user, alliance=alliance, data=data),
        success_url=reverse("alliance:detail", args=[alliance.pk]),
        success_message=_("已保存。"),
        context={"title": _("编辑联盟"), "crumbs": _crumbs(alliance)},
    )


@login_required
def alliance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk)
    secretariat = is_secretariat(request.user, alliance)
    members = list(
        alliance.members.select_related("organisation")
        .prefetch_related("domains")
        .order_by("status", "role", "organisation__name")
    )
    domains = list(
        alliance.domains.filter(archived_at__isnull=True)
        .select_related("lead__organisation")
        .annotate(group=Count("members", distinct=True))
    )
    return render_page(
        request,
        "alliance/detail.html",
        {
            "alliance": alliance,
            "secretariat": secretariat,
            "members": [m for m in members if m.status != MemberStatus.REJECTED],
            "waiting": [m for m in members if m.status in (MemberStatus.PENDING, MemberStatus.LEAVING)],
            "domains": domains,
            "can_apply": bool(applicable_organisations(request.user, alliance)),
            "timeline": audit_timeline(alliance) if secretariat else [],
        },
    )


# Members ----------------------------------------------------------------------------------------------

MEMBER_EXPORT = (
    ExportColumn(gettext_lazy("成员单位"), lambda m: m.organisation.name),
    ExportColumn(gettext_lazy("联盟职务"), lambda m: m.get_role_display()),
    ExportColumn(gettext_lazy("状态"), lambda m: m.get_status_display()),
    ExportColumn(gettext_lazy("入盟日期"), lambda m: m.joined_on),
    ExportColumn(gettext_lazy("退盟日期"), lambda m: m.left_on),
    ExportColumn(gettext_lazy("联络人"), lambda m: m.contact_name),
    ExportColumn(gettext_lazy("联络人手机"), lambda m: m.masked_mobile),
    ExportColumn(gettext_lazy("参与领域"), lambda m: "、".join(d.name for d in m.domains.all())),
)

MEMBER_LIST = ListSpec(
    template="alliance/members.html",
    partial="alliance/_member_table.html",
    sort=("joined_on", "role", "organisation__name"),
    default_sort="role",
    export=Export("alliance-members", MEMBER_EXPORT),
)


@login_required
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk)
    queryset = (
        alliance.members.exclude(status=MemberStatus.REJECTED)
        .select_related("organisation")
        .prefetch_related("domains")
    )
    return list_page(
        request,
        queryset,
        MEMBER_LIST,
        {
            "alliance": alliance,
            "secretariat": is_secretariat(request.user, alliance),
            "crumbs": _crumbs(alliance),
        },
    )


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk, write=True)
    form = forms.MemberForm(request.POST or None, alliance=alliance, actor=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.member_add(
            actor=request.user,
            alliance=alliance,
            organisation=data["organisation"],
            data=data,
            domains=list(data["domains"]),
        ),
        success_url=reverse("alliance:detail", args=[alliance.pk]),
        success_message=lambda m: _("%(org)s 已加入联盟。") % {"org": m.organisation.name},
        context={
            "title": _("添加成员单位"),
            "crumbs": _crumbs(alliance),
            "back": reverse("alliance:detail", args=[alliance.pk]),
        },
    )


@login_required
def member_apply(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = (
        access_public_alliance(pk)
        if not Alliance.objects.visible_to(request.user).filter(pk=pk).exists()
        else Alliance.objects.get(pk=pk)
    )
    candidates = applicable_organisations(request.user, alliance)
    if not candidates:
        raise Http404
    form = forms.MemberForm(request.POST or None, alliance=alliance, apply_for=candidates, actor=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.member_apply(
            actor=request.user,
            alliance=alliance,
            organisation=data["organisation"],
            data=data,
            domains=list(data["domains"]),
        ),
        success_url=reverse("alliance:public", args=[alliance.pk]),
        success_message=_("入盟申请已提交,等待联盟秘书处审核。"),
        context={
            "title": _("申请加入 %(name)s") % {"name": alliance.name},
            "back": reverse("alliance:public", args=[alliance.pk]),
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = access_member(request.user, pk)
    secretariat = is_secretariat(request.user, member.alliance)
    return render_page(
        request,
        "alliance/member.html",
        {
            "member": member,
            "alliance": member.alliance,
            "secretariat": secretariat,
            "may_leave": may_request_leave(request.user, member),
            "review_form": forms.ReviewForm()
            if secretariat and member.status == MemberStatus.PENDING
            else None,
            "open_tasks": list(
                member.tasks.filter(status__in=["planned", "in_progress"]).select_related("domain")
            ),
            "next_step": selectors.member_next_step(member),
            "timeline": audit_timeline(member) if secretariat else [],
        },
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = access_member(request.user, pk, write=True)
    initial = {
        "role": member.role,
        "contact_name": member.contact_name,
        "contact_mobile": member.contact_mobile,
        "note": member.note,
        "domains": list(member.domains.all()),
    }
    form = forms.MemberForm(
        request.POST or None, initial=initial, alliance=member.alliance, editing=True, actor=request.user
    )
    return form_page(
        request,
        form,
        save=lambda data: services.member_update(
            actor=request.user, member=member, data=data, domains=list(data["domains"])
        ),
        success_url=reverse("alliance:member", args=[member.pk]),
        success_message=_("已保存。"),
        context={
            "title": _("编辑成员单位:%(org)s") % {"org": member.organisation.name},
            "crumbs": _crumbs(member.alliance),
        },
    )


@login_required
def member_review(request: HttpRequest, pk: int) -> HttpResponse:
    member = access_member(request.user, pk, write=True)
    form = forms.ReviewForm(request.POST)
    return action(
        request,
        lambda: services.member_review(
            actor=request.user,
            member=member,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        success_url=reverse("alliance:member", args=[member.pk]),
        success_message=_("已审核。"),
        form=form,
    )


@login_required
def member_leave_request(request: HttpRequest, pk: int) -> HttpResponse:
    member = access_member(request.user, pk)
    if not may_request_leave(request.user, member):
        raise Http404
    form = forms.LeaveForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.member_leave_request(
            actor=request.user, member=member, left_on=data["left_on"], reason=data["reason"]
        ),
        success_url=reverse("alliance:member", args=[member.pk]),
        success_message=_("退盟申请已提交,等待秘书处审核。"),
        context={"title": _("申请退盟"), "crumbs": _crumbs(member.alliance)},
    )


@login_required
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = access_member(request.user, pk, write=True)
    form = forms.LeaveForm(
        request.POST or None,
        initial={"left_on": member.left_on or timezone.localdate(), "reason": member.leave_reason},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.member_leave(
            actor=request.user, member=member, left_on=data["left_on"], reason=data["reason"]
        ),
        success_url=reverse("alliance:member", args=[member.pk]),
        success_message=_("已办理退盟。"),
        context={
            "title": _("办理退盟:%(org)s") % {"org": member.organisation.name},
            "crumbs": _crumbs(member.alliance),
        },
    )


# Domains and tasks ------------------------------------------------------------------------------------


@login_required
def domain_create(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk, write=True)
    form = forms.DomainForm(request.POST or None, alliance=alliance)
    return form_page(
        request,
        form,
        save=lambda data: services.domain_save(
            actor=request.user, alliance=alliance, data=data, members=list(data["members"])
        ),
        success_url=lambda d: reverse("alliance:domain", args=[d.pk]),
        success_message=_("领域已添加。"),
        context={"title": _("添加领域"), "crumbs": _crumbs(alliance)},
    )


@login_required
def domain_edit(request: HttpRequest, pk: int) -> HttpResponse:
    domain = access_domain(request.user, pk, write=True)
    initial = {
        "name": domain.name,
        "description": domain.description,
        "order": domain.order,
        "lead": domain.lead,
        "members": list(domain.members.all()),
    }
    form = forms.DomainForm(request.POST or None, initial=initial, alliance=domain.alliance)
    return form_page(
        request,
        form,
        save=lambda data: services.domain_save(
            actor=request.user,
            alliance=domain.alliance,
            data=data,
            members=list(data["members"]),
            domain=domain,
        ),
        success_url=reverse("alliance:domain", args=[domain.pk]),
        success_message=_("已保存。"),
        context={"title": _("编辑领域:%(name)s") % {"name": domain.name}, "crumbs": _crumbs(domain.alliance)},
    )


@login_required
def domain_detail(request: HttpRequest, pk: int) -> HttpResponse:
    domain = access_domain(request.user, pk)
    year = _year(request)
    tasks = list(
        domain.tasks.filter(year=year)
        .select_related("owner__organisation")
        .annotate(n_outputs=Count("outputs", filter=Q(outputs__archived_at__isnull=True)))
    )
    return render_page(
        request,
        "alliance/domain.html",
        {
            "domain": domain,
            "alliance": domain.alliance,
            "year": year,
            "years": [year - 1, year, year + 1],
            "tasks": tasks,
            "group": list(domain.members.select_related("organisation")),
            "meetings": list(domain.meetings.all()[:10]),
            "secretariat": is_secretariat(request.user, domain.alliance),
            "may_plan": may_plan(request.user, domain),
            "may_meet": may_run_meeting(request.user, domain.alliance, domain),
            "is_lead": is_domain_lead(request.user, domain),
            "timeline": audit_timeline(domain) if is_secretariat(request.user, domain.alliance) else [],
        },
    )


@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    domain = access_domain(request.user, pk)
    if not may_plan(request.user, domain):
        raise Http404
    form = forms.TaskForm(request.POST or None, alliance=domain.alliance, initial={"year": _year(request)})
    return form_page(
        request,
        form,
        save=lambda data: services.task_create(
            actor=request.user, domain=domain, year=data["year"], data=data
        ),
        success_url=lambda t: reverse("alliance:task", args=[t.pk]),
        success_message=_("任务已加入工作计划,已通知责任单位。"),
        context={
            "title": _("%(domain)s · 新增任务") % {"domain": domain.name},
            "crumbs": _crumbs(domain.alliance, (domain.name, reverse("alliance:domain", args=[domain.pk]))),
        },
    )


TASK_EXPORT = (
    ExportColumn(gettext_lazy("年度"), lambda t: t.year),
    ExportColumn(gettext_lazy("领域"), lambda t: t.domain.name),
    ExportColumn(gettext_lazy("任务"), lambda t: t.title),
    ExportColumn(gettext_lazy("责任单位"), lambda t: t.owner.organisation.name),
    ExportColumn(gettext_lazy("完成期限"), lambda t: t.due_on),
    ExportColumn(gettext_lazy("预期成果"), lambda t: t.expected_output),
    ExportColumn(gettext_lazy("状态"), lambda t: t.get_status_display()),
    ExportColumn(gettext_lazy("逾期"), lambda t: _("是") if t.is_overdue else _("否")),
    ExportColumn(gettext_lazy("成果数"), lambda t: t.outputs.filter(archived_at__isnull=True).count()),
)

TASK_LIST = ListSpec(
    template="alliance/tasks.html",
    partial="alliance/_task_table.html",
    filterset=filters.TaskFilter,
    sort=("due_on", "title", "status"),
    default_sort="due_on",
    export=Export("alliance-tasks", TASK_EXPORT),
    prepare=lambda qs: qs.annotate(n_outputs=Count("outputs", filter=Q(outputs__archived_at__isnull=True))),
)


@login_required
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk)
    queryset = Task.objects.filter(domain__alliance=alliance).select_related("domain", "owner__organisation")
    return list_page(
        request,
        queryset,
        TASK_LIST,
        {"alliance": alliance, "crumbs": _crumbs(alliance)},
        filter_kwargs={"alliance": alliance},
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk)
    alliance = task.domain.alliance
    outputs = list(task.outputs.filter(archived_at__isnull=True).select_related("member__organisation"))
    resolved = resolve(request.user, outputs)
    can_work = may_work_on(request.user, task)
    return render_page(
        request,
        "alliance/task.html",
        {
            "task": task,
            "alliance": alliance,
            "outputs": [(o, resolved[o.pk]) for o in outputs],
            "notes": list(task.notes.select_related("author")),
            "can_work": can_work,
            "can_plan": may_plan(request.user, task.domain),
            "secretariat": is_secretariat(request.user, alliance),
            "progress_form": forms.ProgressForm(initial={"status": task.status}) if can_work else None,
            "link_kinds": [(key, kind.label) for key, kind in LINK_KINDS.items()],
            "timeline": audit_timeline(task) if can_work else [],
        },
    )


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk)
    if not may_plan(request.user, task.domain):
        raise Http404
    initial = {k: getattr(task, k) for k in services.TASK_FIELDS}
    form = forms.TaskForm(request.POST or None, initial=initial, alliance=task.domain.alliance, editing=True)
    return form_page(
        request,
        form,
        save=lambda data: services.task_update(actor=request.user, task=task, data=data),
        success_url=reverse("alliance:task", args=[task.pk]),
        success_message=_("已保存。"),
        context={"title": _("编辑任务"), "crumbs": _crumbs(task.domain.alliance)},
    )


@login_required
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk)
    if not is_secretariat(request.user, task.domain.alliance):
        raise Http404
    form = forms.ReassignForm(request.POST or None, alliance=task.domain.alliance)
    return form_page(
        request,
        form,
        save=lambda data: services.task_reassign(actor=request.user, task=task, owner=data["owner"]),
        success_url=reverse("alliance:task", args=[task.pk]),
        success_message=_("任务已改派。"),
        context={
            "title": _("改派任务:%(task)s") % {"task": task.title},
            "crumbs": _crumbs(task.domain.alliance),
        },
    )


@login_required
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk, write=True)
    form = forms.ProgressForm(request.POST)
    return action(
        request,
        lambda: services.task_progress(
            actor=request.user, task=task, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
        ),
        success_url=reverse("alliance:task", args=[task.pk]),
        success_message=_("进展已记录。"),
        form=form,
    )


@login_required
def output_link(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    task = access_task(request.user, pk, write=True)
    if kind not in LINK_KINDS:
        raise Http404
    form = forms.LinkForm(request.POST or None, kind=kind, user=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.output_link(
            actor=request.user,
            task=task,
            kind=kind,
            object_id=data["record"].pk,
            confidential=data["confidential"],
        ),
        success_url=reverse("alliance:task", args=[task.pk]),
        success_message=_("已关联为任务成果。"),
        context={
            "title": _("关联成果:%(kind)s") % {"kind": kind_label(kind)},
            "intro": _("只能选择您在平台上看得到、且已经形成结果的记录;成果数从这些记录统计。"),
            "crumbs": _crumbs(task.domain.alliance, (task.title, reverse("alliance:task", args=[task.pk]))),
        },
    )


@login_required
def output_declare(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk, write=True)
    form = forms.DeclareForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        save=lambda data: services.output_declare(
            actor=request.user,
            task=task,
            declared_kind=data["declared_kind"],
            title=data["title"],
            attachment=data["attachment"],
            confidential=data["confidential"],
        ),
        success_url=reverse("alliance:task", args=[task.pk]),
        success_message=_("已申报成果(标记为自主申报,未经核实)。"),
        context={
            "title": _("申报成果"),
            "intro": _("标准、论文等平台上没有记录的成果:须附佐证材料,统计中标记为“自主申报”。"),
            "crumbs": _crumbs(task.domain.alliance, (task.title, reverse("alliance:task", args=[task.pk]))),
        },
    )


def _access_output(user: Any, pk: int, *, write: bool = False) -> Output:
    output = Output.objects.select_related("task").filter(pk=pk).first()
    if output is None:
        raise Http404
    access_task(user, output.task_id, write=write)
    return output


@login_required
def output_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    output = _access_output(request.user, pk, write=True)
    return action(
        request,
        lambda: services.output_withdraw(actor=request.user, output=output),
        success_url=reverse("alliance:task", args=[output.task_id]),
        success_message=_("已撤下该成果,不再计入统计。"),
    )


@login_required
def output_attachment(request: HttpRequest, pk: int) -> FileResponse:
    return _file(_access_output(request.user, pk).attachment)


def _output_export(user: Any) -> tuple[ExportColumn, ...]:
    cache: dict[int, Any] = {}

    def title(o: Output) -> str:
        if o.pk not in cache:
            cache.update(resolve(user, [o]))
        return str(cache[o.pk].title)

    return (
        ExportColumn(gettext_lazy("成果类型"), lambda o: kind_label(o.kind)),
        ExportColumn(gettext_lazy("成果"), title),
        ExportColumn(gettext_lazy("任务"), lambda o: o.task.title),
        ExportColumn(gettext_lazy("领域"), lambda o: o.task.domain.name),
        ExportColumn(gettext_lazy("成员单位"), lambda o: o.member.organisation.name),
        ExportColumn(
            gettext_lazy("核实情况"), lambda o: _("自主申报,未核实") if o.is_declared else _("平台记录")
        ),
        ExportColumn(
            gettext_lazy("登记时间"), lambda o: timezone.localtime(o.created_at).replace(tzinfo=None)
        ),
    )


@login_required
def output_list(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk)
    queryset = Output.objects.filter(alliance=alliance, archived_at__isnull=True).select_related(
        "task__domain", "member__organisation"
    )
    spec = ListSpec(
        template="alliance/outputs.html",
        partial="alliance/_output_table.html",
        filterset=filters.OutputFilter,
        sort=("created_at", "kind"),
        default_sort="-created_at",
        export=Export("alliance-outputs", _output_export(request.user)),
        context_from=lambda qs, page: {"resolved": resolve(request.user, page.object_list)},
    )
    return list_page(
        request,
        queryset,
        spec,
        {"alliance": alliance, "crumbs": _crumbs(alliance)},
        filter_kwargs={"alliance": alliance},
    )


# Dashboard and report ---------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk)
    year = _year(request)
    board = selectors.dashboard(alliance, year)
    export = request.GET.get("export")
    if export:
        chart = board.charts.get(export)
        if chart is None:
            raise Http404
        return chart_export_response(chart, category_header=_("类别"))
    return render_page(
        request,
        "alliance/dashboard.html",
        {
            "alliance": alliance,
            "board": board,
            "year": year,
            "years": list(range(year - 2, year + 2)),
            "exports": {key: f"?export={key}&year={year}" for key in board.charts},
            "secretariat": is_secretariat(request.user, alliance),
            "crumbs": _crumbs(alliance),
        },
    )


@login_required
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk, write=True)
    year = _year(request)
    return action(
        request,
        lambda: documents.annual_report_issue(actor=request.user, alliance=alliance, year=year),
        success_url=lambda report: reverse("alliance:report_pdf", args=[report.pk]),
    )


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = AnnualReport.objects.select_related("alliance__secretariat").filter(pk=pk).first()
    if report is None:
        raise Http404
    access_alliance(request.user, report.alliance_id)
    response = HttpResponse(documents.annual_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="alliance-report-{report.year}.pdf"'
    return response


# Meetings ---------------------------------------------------------------------------------------------

MEETING_LIST = ListSpec(
    template="alliance/meetings.html",
    partial="alliance/_meeting_table.html",
    sort=("starts_at", "title"),
    default_sort="-starts_at",
    export=Export(
        "alliance-meetings",
        (
            ExportColumn(gettext_lazy("会议名称"), lambda m: m.title),
            ExportColumn(gettext_lazy("工作组"), lambda m: m.domain.name if m.domain else _("联盟全体会议")),
            ExportColumn(
                gettext_lazy("时间"), lambda m: timezone.localtime(m.starts_at).replace(tzinfo=None)
            ),
            ExportColumn(gettext_lazy("地点"), lambda m: m.venue),
            ExportColumn(gettext_lazy("状态"), lambda m: m.get_status_display()),
            ExportColumn(gettext_lazy("决议数"), lambda m: m.decisions.count()),
        ),
    ),
)


@login_required
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk)
    queryset = alliance.meetings.select_related("domain")
    may_meet = is_secretariat(request.user, alliance) or any(
        is_domain_lead(request.user, d) for d in alliance.domains.select_related("lead")
    )
    return list_page(
        request,
        queryset,
        MEETING_LIST,
        {"alliance": alliance, "may_meet": may_meet, "crumbs": _crumbs(alliance)},
    )


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk)
    secretariat = is_secretariat(request.user, alliance)
    led = [d.pk for d in alliance.domains.select_related("lead") if is_domain_lead(request.user, d)]
    if not (secretariat or led):
        raise Http404
    domains = (
        alliance.domains.filter(archived_at__isnull=True)
        if secretariat
        else alliance.domains.filter(pk__in=led)
    )
    form = forms.MeetingForm(request.POST or None, alliance=alliance, domains=domains)
    if not secretariat:
        form.fields["domain"].required = True
    return form_page(
        request,
        form,
        save=lambda data: services.meeting_create(actor=request.user, alliance=alliance, data=data),
        success_url=lambda m: reverse("alliance:meeting", args=[m.pk]),
        success_message=_("会议已安排。"),
        context={"title": _("安排会议"), "crumbs": _crumbs(alliance)},
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    may_run = may_run_meeting(request.user, meeting.alliance, meeting.domain)
    return render_page(
        request,
        "alliance/meeting.html",
        {
            "meeting": meeting,
            "alliance": meeting.alliance,
            "attendees": list(meeting.attendees.select_related("organisation")),
            "decisions": list(meeting.decisions.prefetch_related("tasks")),
            "may_run": may_run,
            "decision_form": forms.DecisionForm(alliance=meeting.alliance, initial={"domain": meeting.domain})
            if may_run
            else None,
            "timeline": audit_timeline(meeting) if may_run else [],
        },
    )


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, write=True)
    form = forms.MinutesForm(
        request.POST or None,
        alliance=meeting.alliance,
        initial={"minutes": meeting.minutes, "attendees": list(meeting.attendees.all())},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.meeting_record(
            actor=request.user, meeting=meeting, minutes=data["minutes"], attendees=list(data["attendees"])
        ),
        success_url=reverse("alliance:meeting", args=[meeting.pk]),
        success_message=_("会议纪要已登记。"),
        context={
            "title": _("登记会议纪要:%(m)s") % {"m": meeting.title},
            "crumbs": _crumbs(meeting.alliance),
        },
    )


@login_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, write=True)
    form = forms.DecisionForm(request.POST, alliance=meeting.alliance)

    def run() -> Any:
        data = form.cleaned_data
        task_data = (
            {
                "domain": data["domain"],
                "owner": data["owner"],
                "due_on": data["due_on"],
                "expected_output": data["expected_output"],
            }
            if data["make_task"]
            else None
        )
        return services.decision_add(
            actor=request.user, meeting=meeting, text=data["text"], task_data=task_data
        )

    return action(
        request,
        run,
        success_url=reverse("alliance:meeting", args=[meeting.pk]),
        success_message=_("决议已记录。"),
        form=form,
    )


@login_required
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    if meeting.status != "held":
        raise Http404
    response = HttpResponse(documents.minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{meeting.pk}.pdf"'
    return response


# Agreements -------------------------------------------------------------------------------------------

AGREEMENT_EXPORT = (
    ExportColumn(gettext_lazy("登记编号"), lambda a: a.number),
    ExportColumn(gettext_lazy("协议名称"), lambda a: a.title),
    ExportColumn(gettext_lazy("签约方"), lambda a: "、".join(p.name for p in a.parties.all())),
    ExportColumn(gettext_lazy("签约日期"), lambda a: a.signed_on),
    ExportColumn(gettext_lazy("有效期至"), lambda a: a.term_end),
    ExportColumn(gettext_lazy("状态"), lambda a: a.get_status_display()),
    ExportColumn(gettext_lazy("义务"), lambda a: a.obligations.count()),
    ExportColumn(gettext_lazy("已交付"), lambda a: a.obligations.filter(status="delivered").count()),
)

AGREEMENT_LIST = ListSpec(
    template="alliance/agreements.html",
    partial="alliance/_agreement_table.html",
    filterset=filters.AgreementFilter,
    sort=("signed_on", "number", "title"),
    default_sort="-signed_on",
    export=Export("alliance-agreements", AGREEMENT_EXPORT),
    prepare=lambda qs: qs.prefetch_related("parties").annotate(
        n_obligations=Count("obligations", distinct=True),
        n_delivered=Count("obligations", filter=Q(obligations__status="delivered"), distinct=True),
    ),
)


@login_required
def agreement_list(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk)
    queryset = Agreement.objects.visible_to(request.user).filter(alliance=alliance)
    return list_page(
        request,
        queryset,
        AGREEMENT_LIST,
        {
            "alliance": alliance,
            "secretariat": is_secretariat(request.user, alliance),
            "crumbs": _crumbs(alliance),
        },
    )


@login_required
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk, write=True)
    form = forms.AgreementForm(request.POST or None, request.FILES or None, actor=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.agreement_create(
            actor=request.user,
            alliance=alliance,
            data=data,
            organisations=list(data["parties"]),
            outside=form.outside(),
            text_file=data.get("text_file"),
        ),
        success_url=lambda a: reverse("alliance:agreement", args=[a.pk]),
        success_message=_("协议已登记。请逐项添加各方的义务。"),
        context={"title": _("登记战略合作协议"), "crumbs": _crumbs(alliance)},
    )


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk, write=True)
    parties = list(agreement.parties.all())
    initial = {
        **{key: getattr(agreement, key) for key in services.AGREEMENT_FIELDS},
        "parties": [p.organisation_id for p in parties if p.organisation_id],
        "outside_parties": "\n".join(f"{p.name},{p.uscc}" for p in parties if not p.organisation_id),
    }
    form = forms.AgreementForm(
        request.POST or None, request.FILES or None, actor=request.user, initial=initial
    )
    form.fields["parties"].help_text = _("已登记的签约方不能移除;补充签约时在这里加上新的签约方。")
    back = reverse("alliance:agreement", args=[agreement.pk])
    return form_page(
        request,
        form,
        save=lambda data: services.agreement_update(
            actor=request.user,
            agreement=agreement,
            data=data,
            organisations=list(data["parties"]),
            outside=form.outside(),
            text_file=data.get("text_file"),
        ),
        success_url=back,
        success_message=_("协议已更新。"),
        context={
            "title": _("修改协议:%(a)s") % {"a": agreement.title},
            "crumbs": _crumbs(agreement.alliance),
            "back": back,
        },
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk)
    secretariat = is_secretariat(request.user, agreement.alliance)
    obligations = list(agreement.obligations.select_related("party"))
    return render_page(
        request,
        "alliance/agreement.html",
        {
            "agreement": agreement,
            "alliance": agreement.alliance,
            "parties": list(agreement.parties.select_related("organisation")),
            "obligations": [(o, may_report_obligation(request.user, o)) for o in obligations],
            "secretariat": secretariat,
            "status_form": forms.AgreementStatusForm(initial={"status": agreement.status})
            if secretariat
            else None,
            "timeline": audit_timeline(agreement) if secretariat else [],
        },
    )


@login_required
def agreement_status(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk, write=True)
    form = forms.AgreementStatusForm(request.POST)
    return action(
        request,
        lambda: services.agreement_status_set(
            actor=request.user, agreement=agreement, status=form.cleaned_data["status"]
        ),
        success_url=reverse("alliance:agreement", args=[agreement.pk]),
        success_message=_("已保存。"),
        form=form,
    )


@login_required
def agreement_text(request: HttpRequest, pk: int) -> FileResponse:
    return _file(access_agreement(request.user, pk).text_file)


@login_required
def obligation_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk, write=True)
    form = forms.ObligationForm(request.POST or None, agreement=agreement)
    return form_page(
        request,
        form,
        save=lambda data: services.obligation_add(actor=request.user, agreement=agreement, data=data),
        success_url=reverse("alliance:agreement", args=[agreement.pk]),
        success_message=_("义务已添加。"),
        context={
            "title": _("添加义务:%(a)s") % {"a": agreement.title},
            "crumbs": _crumbs(agreement.alliance),
        },
    )


@login_required
def obligation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = access_obligation(request.user, pk)
    agreement = access_agreement(request.user, obligation.agreement_id, write=True)
    initial = {f: getattr(obligation, f) for f in ("party", "description", "target", "unit", "due_on")}
    back = reverse("alliance:agreement", args=[agreement.pk])
    return form_page(
        request,
        forms.ObligationForm(request.POST or None, agreement=agreement, initial=initial),
        save=lambda data: services.obligation_update(actor=request.user, obligation=obligation, data=data),
        success_url=back,
        success_message=_("义务已更新。"),
        context={
            "title": _("修改义务:%(o)s") % {"o": obligation.description},
            "crumbs": _crumbs(agreement.alliance),
            "back": back,
        },
    )


@login_required
def obligation_report(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = access_obligation(request.user, pk, write=True)
    form = forms.ObligationReportForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        save=lambda data: services.obligation_report(
            actor=request.user,
            obligation=obligation,
            status=data["status"],
            note=data["note"],
            achieved=data["achieved"],
            evidence=data["evidence"],
            waive_reason=data["waive_reason"],
        ),
        success_url=reverse("alliance:agreement", args=[obligation.agreement_id]),
        success_message=_("履约情况已更新。"),
        context={
            "title": _("报告履约:%(o)s") % {"o": obligation.description},
            "crumbs": _crumbs(obligation.agreement.alliance),
        },
    )


@login_required
def obligation_evidence(request: HttpRequest, pk: int) -> FileResponse:
    return _file(access_obligation(request.user, pk).evidence)


OBLIGATION_EXPORT = (
    ExportColumn(gettext_lazy("协议"), lambda o: o.agreement.title),
    ExportColumn(gettext_lazy("履约方"), lambda o: o.party.name),
    ExportColumn(gettext_lazy("义务内容"), lambda o: o.description),
    ExportColumn(gettext_lazy("目标值"), lambda o: o.target),
    ExportColumn(gettext_lazy("完成值"), lambda o: o.achieved),
    ExportColumn(gettext_lazy("计量单位"), lambda o: o.unit),
    ExportColumn(gettext_lazy("完成期限"), lambda o: o.due_on),
    ExportColumn(gettext_lazy("状态"), lambda o: o.get_status_display()),
    ExportColumn(gettext_lazy("豁免原因"), lambda o: o.waive_reason),
)

OBLIGATION_LIST = ListSpec(
    template="alliance/obligations.html",
    partial="alliance/_obligation_table.html",
    filterset=filters.ObligationFilter,
    sort=("due_on", "status"),
    default_sort="due_on",
    export=Export("alliance-obligations", OBLIGATION_EXPORT),
)


@login_required
def obligation_list(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk)
    queryset = Obligation.objects.filter(
        agreement__in=Agreement.objects.visible_to(request.user).filter(alliance=alliance)
    ).select_related("agreement", "party")
    return list_page(
        request,
        queryset,
        OBLIGATION_LIST,
        {
            "alliance": alliance,
            "secretariat": is_secretariat(request.user, alliance),
            "crumbs": _crumbs(alliance),
        },
    )


@login_required
def reminders_run(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_alliance(request.user, pk, write=True)
    return action(
        request,
        lambda: services.reminders_start(actor=request.user, alliance=alliance),
        success_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        success_message=_("已开始检查义务期限并发送提醒。"),
    )


# Public -----------------------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    return render_page(request, "alliance/public_list.html", {"alliances": list(Alliance.objects.public())})


def public_page(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = access_public_alliance(pk)
    return render_page(
        request,
        "alliance/public.html",
        {
            "alliance": alliance,
            "summary": selectors.public_summary(alliance),
            "can_apply": bool(applicable_organisations(request.user, alliance))
            if request.user.is_authenticated
            else False,
            "workspace": Alliance.objects.visible_to(request.user).filter(pk=alliance.pk).exists(),
        },
    )
