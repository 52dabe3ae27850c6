from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jingxiang.core.forms import add_service_error, flash_refusal
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
from jingxiang.demands import documents, selectors, services, texts
from jingxiang.demands.forms import (
    ApplyForm,
    BoardFilter,
    ChallengeCloseForm,
    ChallengeFilter,
    ChallengeForm,
    CloseForm,
    DecideForm,
    DeclineForm,
    DemandFilter,
    DemandForm,
    InviteForm,
    KnowledgeForm,
    MilestoneAcceptForm,
    MilestonePayForm,
    PlanForm,
    ProposalForm,
    ReviewerForm,
    ScreenForm,
    SelectWinnerForm,
)
from jingxiang.demands.models import (
    OPEN_STATUSES,
    Challenge,
    ChallengeApplication,
    ChallengeMilestone,
    ChallengeStatus,
    Demand,
    DemandStatus,
    Invitation,
    InvitationStatus,
    KnowledgeDocument,
    KnowledgeVersion,
    KnowledgeVersionStatus,
    ProposalStatus,
)
from jingxiang.demands.permissions import (
    access_challenge,
    access_demand,
    access_invitation,
    access_proposal,
    is_operator,
    may_manage_demand,
    may_post,
    poster_firm_ids,
    reviewer_for,
    supplier_choices,
    supplier_identities,
)
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import firm_ids, organisation_ids

DEMAND_EXPORT = (
    ExportColumn(gettext_lazy("编号"), lambda d: d.number),
    ExportColumn(gettext_lazy("标题"), lambda d: d.title),
    ExportColumn(gettext_lazy("企业"), lambda d: d.organisation.name),
    ExportColumn(gettext_lazy("类别"), lambda d: d.get_category_display()),
    ExportColumn(gettext_lazy("状态"), lambda d: d.get_status_display()),
    ExportColumn(gettext_lazy("可见范围"), lambda d: d.get_visibility_display()),
    ExportColumn(gettext_lazy("预算(元)"), lambda d: d.budget),
    ExportColumn(gettext_lazy("期望完成日期"), lambda d: d.deadline),
    ExportColumn(gettext_lazy("预计工时"), lambda d: d.hours_needed),
    ExportColumn(gettext_lazy("区域"), lambda d: d.region),
    ExportColumn(
        gettext_lazy("发布时间"), lambda d: d.published_at.strftime("%Y-%m-%d") if d.published_at else ""
    ),
)
BOARD_EXPORT = (
    *DEMAND_EXPORT,
    ExportColumn(
        gettext_lazy("提交审核时间"),
        lambda d: d.submitted_at.strftime("%Y-%m-%d %H:%M") if d.submitted_at else "",
    ),
    ExportColumn(gettext_lazy("已等待(天)"), lambda d: d.age_days),
    ExportColumn(gettext_lazy("疑似重复"), lambda d: d.duplicate_of.number if d.duplicate_of else ""),
)
CHALLENGE_EXPORT = (
    ExportColumn(gettext_lazy("榜单名称"), lambda c: c.title),
    ExportColumn(gettext_lazy("发榜企业"), lambda c: c.demand.organisation.name),
    ExportColumn(gettext_lazy("榜额(元)"), lambda c: c.award_amount),
    ExportColumn(gettext_lazy("揭榜截止日期"), lambda c: c.deadline),
    ExportColumn(gettext_lazy("状态"), lambda c: c.get_status_display()),
)


# -- demands ------------------------------------------------------------------------------------------


@login_required
def demand_list(request: HttpRequest) -> HttpResponse:
    own = firm_ids(request.user)
    queryset = (
        Demand.objects.visible_to(request.user)
        .filter(archived_at__isnull=True)
        .exclude(status=DemandStatus.MERGED)
        .select_related("organisation")
    )
    if not request.GET.get("status") and not request.GET.get("mine"):
        # The hall shows what can still be answered; a firm's own drafts appear under "只看本企业".
        queryset = queryset.filter(Q(status__in=OPEN_STATUSES) | Q(organisation_id__in=own))
    filterset = DemandFilter(request.GET, queryset=queryset, organisation_ids=own)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(
        request, queryset, ["created_at", "deadline", "budget", "title"], "-created_at"
    )
    if wants_export(request):
        return export_queryset("demands", queryset, DEMAND_EXPORT)
    return render_page(
        request,
        "demands/list.html",
        {
            "filterset": filterset,
            "page": paginate(request, queryset),
            "sort": sort,
            "query": query_without(request, "page"),
            "may_post": may_post(request.user),
        },
        partial="demands/_table.html",
    )


@login_required
def demand_create(request: HttpRequest) -> HttpResponse:
    firms = poster_firm_ids(request.user)
    if not firms:
        raise Http404
    organisation = Organisation.objects.get(pk=min(firms))
    form = DemandForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments", [])
        try:
            demand = services.demand_create(
                actor=request.user, organisation=organisation, data=data, files=files
            )
            if request.POST.get("submit_now"):
                demand = services.demand_submit(actor=request.user, demand=demand)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if demand.status == DemandStatus.SCREENING:
                messages.success(request, _("需求已提交,等待平台运营审核。"))
            else:
                messages.success(request, _("草稿已保存。确认无误后请“提交审核”。"))
            return redirect("demands:detail", pk=demand.pk)
    return render_page(request, "demands/form.html", {"form": form, "organisation": organisation})


@login_required
def demand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk, write=True)
    if demand.status != DemandStatus.DRAFT:
        messages.error(request, _("只有草稿状态的需求可以修改。"))
        return redirect("demands:detail", pk=pk)
    initial = {field: getattr(demand, field) for field in services.DEMAND_FIELDS}
    form = DemandForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments", [])
        try:
            services.demand_update(actor=request.user, demand=demand, data=data, files=files)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("demands:detail", pk=pk)
    return render_page(
        request, "demands/form.html", {"form": form, "demand": demand, "organisation": demand.organisation}
    )


def _next_step(demand: Demand, proposals: list[Any], invitations: list[Any]) -> str:
    firm = demand.organisation.name
    if demand.status == DemandStatus.DRAFT:
        return _("等待 %(firm)s 修改并提交审核") % {"firm": firm}
    if demand.status == DemandStatus.SCREENING:
        return _("等待 平台运营 审核发布")
    if demand.status in OPEN_STATUSES:
        if any(p.status == ProposalStatus.SUBMITTED for p in proposals):
            return _("等待 %(firm)s 决定是否采纳方案") % {"firm": firm}
        pending = [i.supplier_name for i in invitations if i.status == InvitationStatus.PENDING]
        if pending:
            return _("等待 %(names)s 回复邀请") % {"names": _("、").join(pending[:3])}
        return _("等待 %(firm)s 邀请专家或机构,或等待供给方提交方案") % {"firm": firm}
    if demand.status == DemandStatus.MATCHED:
        if hasattr(demand, "challenge"):
            return _("揭榜挂帅实施中:等待里程碑验收与付款")
        return _("等待 %(firm)s 记录合作结果并关闭") % {"firm": firm}
    return ""


@login_required
def demand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk)
    user = request.user
    can_manage = may_manage_demand(user, demand)
    operator = is_operator(user)
    activity = selectors.demand_activity(demand)
    invitations, proposals = activity["invitations"], activity["proposals"]
    identities = supplier_identities(user)
    my_keys = {key for key, _label in supplier_choices(user)}
    own_supplier = my_keys and demand.organisation_id not in organisation_ids(user)
    my_invitations = [
        i for i in invitations if i.supplier_key in my_keys and i.status == InvitationStatus.PENDING
    ]
    my_proposals = [p for p in proposals if p.supplier_key in my_keys]
    suggestions: list[Any] = []
    if can_manage and demand.is_open:
        invited = {i.supplier_key for i in invitations}
        ranked = selectors.demand_suggestions(demand, top=10)
        from jingxiang.talents.models import Talent

        with_login = set(
            Talent.objects.filter(
                pk__in=[s.object_id for s in ranked if s.kind == "talent"],
                user__isnull=False,
                user__is_active=True,
            ).values_list("pk", flat=True)
        )
        for suggestion in ranked:
            key = f"{'T' if suggestion.kind == 'talent' else 'O'}-{suggestion.object_id}"
            reachable = suggestion.kind == "organisation" or suggestion.object_id in with_login
            suggestions.append(
                {"s": suggestion, "key": key, "invited": key in invited, "reachable": reachable}
            )
    screen_form = None
    if operator and demand.status == DemandStatus.SCREENING:
        candidates = list(
            Demand.objects.filter(
                organisation_id=demand.organisation_id,
                status__in=[DemandStatus.SCREENING, *OPEN_STATUSES],
                archived_at__isnull=True,
            ).exclude(pk=demand.pk)
        )
        screen_form = ScreenForm(candidates=candidates, initial={"merge_into": demand.duplicate_of_id})
    proposal_form = None
    if (
        own_supplier
        and demand.is_open
        and not any(p.status == ProposalStatus.SUBMITTED for p in my_proposals)
    ):
        proposal_form = ProposalForm(supplier_choices=supplier_choices(user))
    challenge = Challenge.objects.filter(demand=demand).first()
    close_form = None
    if (
        can_manage
        and challenge is None
        and demand.status in {DemandStatus.DRAFT, *OPEN_STATUSES, DemandStatus.MATCHED}
    ):
        close_form = CloseForm()
        if demand.status != DemandStatus.MATCHED:
            # Withdrawing an unmatched demand: there is no engagement to judge, only a reason to give.
            del close_form.fields["solved"], close_form.fields["rating"]
    return render_page(
        request,
        "demands/detail.html",
        {
            "demand": demand,
            "can_manage": can_manage,
            "is_operator": operator,
            "invitations": invitations,
            "proposals": proposals if (can_manage or operator) else my_proposals,
            "my_invitations": my_invitations,
            "suggestions": suggestions,
            "screen_form": screen_form,
            "proposal_form": proposal_form,
            "close_form": close_form,
            "decline_form": DeclineForm(),
            "next_step": _next_step(demand, proposals, invitations),
            "attachments": list(demand.attachments.all()),
            "challenge": challenge,
            "can_promote": operator and demand.is_open and challenge is None,
            "timeline": audit_timeline(demand) if (can_manage or operator) else [],
            "has_identity": bool(identities["talent"] or identities["organisations"]),
        },
    )


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    demand = access_demand(request.user, pk)
    attachment = demand.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@require_POST
def demand_submit(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk, write=True)
    try:
        services.demand_submit(actor=request.user, demand=demand)
    except (ValidationError, PermissionDenied) as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("已提交,等待平台运营审核。"))
    return redirect("demands:detail", pk=pk)


@login_required
@require_POST
def demand_screen(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    demand = access_demand(request.user, pk)
    candidates = list(Demand.objects.filter(organisation_id=demand.organisation_id).exclude(pk=demand.pk))
    form = ScreenForm(request.POST, candidates=candidates)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("demands:detail", pk=pk)
    action = form.cleaned_data["action"]
    try:
        if action == "publish":
            services.demand_publish(actor=request.user, demand=demand)
            messages.success(request, _("已发布,并通知了企业。"))
        elif action == "return":
            services.demand_return(actor=request.user, demand=demand, reason=form.cleaned_data["reason"])
            messages.success(request, _("已退回企业修改。"))
        else:
            into = form.candidates[form.cleaned_data["merge_into"]]
            services.demand_merge(actor=request.user, demand=demand, into=into)
            messages.success(request, _("已合并到 %(n)s。") % {"n": into.number})
    except (ValidationError, PermissionDenied) as error:
        flash_refusal(request, error)
        return redirect("demands:detail", pk=pk)
    return redirect(reverse("demands:board") + "?status=screening")


@login_required
@require_POST
def demand_archive(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    demand = access_demand(request.user, pk)
    try:
        services.demand_archive(actor=request.user, demand=demand, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        flash_refusal(request, error)
        return redirect("demands:detail", pk=pk)
    messages.success(request, _("需求已归档,企业已收到通知。"))
    return redirect("demands:board")


@login_required
@require_POST
def demand_invite(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk, write=True)
    form = InviteForm(request.POST)
    if form.is_valid():
        key = form.cleaned_data["supplier"]
        match = next(
            (
                s
                for s in selectors.demand_suggestions(demand, top=30)
                if f"{'T' if s.kind == 'talent' else 'O'}-{s.object_id}" == key
            ),
            None,
        )
        try:
            invitation = services.invitation_create(
                actor=request.user,
                demand=demand,
                supplier_key=key,
                message=form.cleaned_data["message"],
                score=match.score if match else None,
                why=match.why if match else None,
            )
        except (ValidationError, PermissionDenied) as error:
            flash_refusal(request, error)
        else:
            messages.success(
                request, _("已邀请 %(name)s,对方会收到通知。") % {"name": invitation.supplier_name}
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("demands:detail", pk=pk)


@login_required
@require_POST
def demand_propose(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk)
    choices = supplier_choices(request.user)
    if not choices:
        raise Http404
    form = ProposalForm(request.POST, supplier_choices=choices)
    if form.is_valid():
        try:
            services.proposal_submit(
                actor=request.user,
                demand=demand,
                supplier_key=form.cleaned_data["supplier"],
                summary=form.cleaned_data["summary"],
                price=form.cleaned_data["price"],
                hours=form.cleaned_data["hours"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("没有权限。"))
        else:
            messages.success(request, _("方案已提交,等待企业决定。"))
            return redirect("demands:detail", pk=pk)
    return render_page(request, "demands/propose.html", {"demand": demand, "form": form}, status=200)


@login_required
@require_POST
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access_invitation(request.user, pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.invitation_decline(actor=request.user, invitation=invitation, reason=reason)
    except (ValidationError, PermissionDenied) as error:
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        else:
            flash_refusal(request, error)
    else:
        messages.success(request, _("已婉拒邀请,企业会看到您的原因。"))
    return redirect("demands:detail", pk=invitation.demand_id)


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.user, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_decide(
                actor=request.user,
                proposal=proposal,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            flash_refusal(request, error)
        else:
            messages.success(request, _("已记录您的决定,对方会收到通知。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("demands:detail", pk=proposal.demand_id)


@login_required
@require_POST
def demand_close(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk, write=True)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.demand_close(
                actor=request.user,
                demand=demand,
                solved=form.cleaned_data["solved"],
                notes=form.cleaned_data["notes"],
                rating=form.cleaned_data["rating"],
            )
        except (ValidationError, PermissionDenied) as error:
            flash_refusal(request, error)
        else:
            messages.success(request, _("需求已关闭,结果已记录。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("demands:detail", pk=pk)


@login_required
def for_me(request: HttpRequest) -> HttpResponse:
    """ "Needs you could help with": invitations waiting for an answer, then the engine's ranking."""
    choices = supplier_choices(request.user)
    if not choices:
        raise Http404
    keys = [key for key, _label in choices]
    key = request.GET.get("as") if request.GET.get("as") in keys else keys[0]
    identities = supplier_identities(request.user)
    condition = Q(organisation_id__in=[o.pk for o in identities["organisations"]])
    if identities["talent"] is not None:
        condition |= Q(talent_id=identities["talent"].pk)
    invitations = list(
        Invitation.objects.filter(
            condition, status=InvitationStatus.PENDING, demand__status__in=OPEN_STATUSES
        )
        .select_related("demand__organisation", "talent", "organisation")
        .order_by("-created_at")
    )
    ranked = selectors.demands_for_supplier(request.user, supplier_key=key, top=20)
    if wants_export(request):
        from jingxiang.core.excel import export_response

        return export_response(
            "needs-for-me",
            [_("需求"), _("企业"), _("类别"), _("匹配度"), _("理由")],
            (
                (
                    row["demand"].title,
                    row["demand"].organisation.name,
                    row["demand"].get_category_display(),
                    round(row["score"], 3),
                    ";".join(row["why"]),
                )
                for row in ranked
            ),
        )
    return render_page(
        request,
        "demands/for_me.html",
        {
            "choices": choices,
            "current": key,
            "invitations": invitations,
            "ranked": ranked,
            "decline_form": DeclineForm(),
        },
    )


# -- operators ----------------------------------------------------------------------------------------


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Every demand by state and age, oldest waiting first."""
    if not is_operator(request.user):
        raise Http404
    queryset = Demand.objects.filter(archived_at__isnull=True).select_related("organisation", "duplicate_of")
    filterset = BoardFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(
        request, queryset, ["submitted_at", "created_at", "deadline", "budget", "status"], "submitted_at"
    )
    if wants_export(request):
        return export_queryset("demand-board", queryset, BOARD_EXPORT)
    return render_page(
        request,
        "demands/board.html",
        {
            "filterset": filterset,
            "page": paginate(request, queryset),
            "sort": sort,
            "query": query_without(request, "page"),
            "counts": selectors.board_counts(),
            "statuses": DemandStatus.choices,
        },
        partial="demands/_board_table.html",
    )


@login_required
@require_POST
def board_rerank(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    from jingxiang.jobs.services import job_enqueue

    job = job_enqueue(kind="demands_rerank", title=texts.RERANK_TITLE(), created_by=request.user)
    return redirect("jobs:detail", pk=job.pk)


@login_required
def knowledge(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    versions = list(KnowledgeVersion.objects.select_related("created_by").order_by("document", "-version"))
    documents = []
    for value, label in KnowledgeDocument.choices:
        mine = [v for v in versions if v.document == value]
        active = next((v for v in mine if v.status == KnowledgeVersionStatus.ACTIVE), None)
        documents.append({"code": value, "label": label, "active": active, "versions": mine[:5]})
    return render_page(request, "demands/knowledge.html", {"documents": documents})


@login_required
def knowledge_edit(request: HttpRequest, document: str) -> HttpResponse:
    if not is_operator(request.user) or document not in KnowledgeDocument.values:
        raise Http404
    from jingxiang.matching.knowledge import DATA_DIR

    source = request.GET.get("from")
    base = KnowledgeVersion.objects.filter(document=document)
    chosen = base.filter(pk=source).first() if source and source.isdigit() else None
    chosen = chosen or base.filter(status=KnowledgeVersionStatus.ACTIVE).first()
    content = chosen.content if chosen else (DATA_DIR / f"{document}.yaml").read_text(encoding="utf-8")
    form = KnowledgeForm(request.POST or None, initial={"content": content})
    if request.method == "POST" and form.is_valid():
        try:
            services.knowledge_version_save(
                actor=request.user,
                document=document,
                content=form.cleaned_data["content"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存新版本,正在后台重建匹配索引;完成后新版本生效并通知您。"))
            return redirect("demands:knowledge")
    return render_page(
        request,
        "demands/knowledge_edit.html",
        {"form": form, "document": document, "label": KnowledgeDocument(document).label, "based_on": chosen},
    )


# -- challenges ---------------------------------------------------------------------------------------


def challenge_list(request: HttpRequest) -> HttpResponse:
    """Public (no login): published challenges of public demands."""
    queryset = Challenge.objects.public().select_related("demand__organisation")
    filterset = ChallengeFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["deadline", "award_amount", "created_at"], "-created_at")
    if wants_export(request):
        return export_queryset("challenges", queryset, CHALLENGE_EXPORT)
    return render_page(
        request,
        "demands/challenges.html",
        {
            "filterset": filterset,
            "page": paginate(request, queryset),
            "sort": sort,
            "query": query_without(request, "page"),
        },
        partial="demands/_challenge_table.html",
    )


@login_required
def challenge_create(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    demand = access_demand(request.user, pk)
    form = ChallengeForm(request.POST or None, initial={"title": demand.title, "award_amount": demand.budget})
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_create(actor=request.user, demand=demand, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("揭榜挂帅榜单已发布。"))
            return redirect("demands:challenge_detail", pk=challenge.pk)
    return render_page(request, "demands/challenge_form.html", {"form": form, "demand": demand})


def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = (
        Challenge.objects.public().filter(pk=pk).first() if not request.user.is_authenticated else None
    )
    if challenge is None:
        if not request.user.is_authenticated:
            raise Http404
        challenge = access_challenge(request.user, pk)
    user = request.user
    operator = is_operator(user)
    reviewer = reviewer_for(user, challenge)
    firm_manager = user.is_authenticated and may_manage_demand(user, challenge.demand)
    choices = supplier_choices(user) if user.is_authenticated else []
    applications = list(challenge.applications.select_related("talent", "organisation"))
    mine = {key for key, _label in choices}
    can_see_applications = operator or reviewer is not None or firm_manager
    ranking = selectors.weighted_scores(challenge) if can_see_applications else []
    scored_by_me: set[int] = set()
    conflicts: dict[int, list[str]] = {}
    if reviewer is not None:
        scored_by_me = set(reviewer.scores.values_list("application_id", flat=True))
        for application in applications:
            problems = services.reviewer_conflicts(user, challenge, application)
            if problems:
                conflicts[application.pk] = problems
    next_step = {
        ChallengeStatus.OPEN: _("揭榜中:等待团队揭榜,截止 %(d)s") % {"d": challenge.deadline},
        ChallengeStatus.REVIEWING: _("等待 评审专家 评分,之后由平台运营选定揭榜方"),
        ChallengeStatus.AWARDED: _("实施中:等待里程碑验收与付款"),
        ChallengeStatus.CLOSED: "",
    }[challenge.status]
    return render_page(
        request,
        "demands/challenge_detail.html",
        {
            "challenge": challenge,
            "criteria": list(challenge.criteria.all()),
            "is_operator": operator,
            "reviewer": reviewer,
            "firm_manager": firm_manager,
            "applications": applications
            if can_see_applications
            else [a for a in applications if a.supplier_key in mine],
            "ranking": ranking,
            "scored_by_me": scored_by_me,
            "conflicts": conflicts,
            "reviewers": list(challenge.reviewers.select_related("user")) if operator else [],
            "milestones": list(challenge.milestones.all()),
            "apply_form": ApplyForm(supplier_choices=choices)
            if choices
            and challenge.status == ChallengeStatus.OPEN
            and not any(a.supplier_key in mine for a in applications)
            else None,
            "reviewer_form": ReviewerForm()
            if operator and challenge.status in {ChallengeStatus.OPEN, ChallengeStatus.REVIEWING}
            else None,
            "select_form": SelectWinnerForm()
            if operator and challenge.status == ChallengeStatus.REVIEWING
            else None,
            "plan_form": PlanForm()
            if operator and challenge.status == ChallengeStatus.AWARDED and not challenge.milestones.exists()
            else None,
            "accept_form": MilestoneAcceptForm(),
            "pay_form": MilestonePayForm(),
            "close_form": ChallengeCloseForm()
            if operator and challenge.status == ChallengeStatus.AWARDED
            else None,
            "next_step": next_step,
            "timeline": audit_timeline(challenge) if operator or firm_manager else [],
        },
    )


def _challenge_action(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    challenge = access_challenge(request.user, pk)
    try:
        action(challenge)
    except (ValidationError, PermissionDenied) as error:
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for errors in error.message_dict.values():
                for message in errors:
                    messages.error(request, message)
        else:
            flash_refusal(request, error)
    else:
        messages.success(request, success)
    return redirect("demands:challenge_detail", pk=pk)


def _invalid(request: HttpRequest, pk: int, form: Any) -> HttpResponse:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("demands:challenge_detail", pk=pk)


@login_required
@require_POST
def challenge_apply(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access_challenge(request.user, pk)
    choices = supplier_choices(request.user)
    if not choices:
        raise Http404
    form = ApplyForm(request.POST, supplier_choices=choices)
    if form.is_valid():
        try:
            services.challenge_apply(
                actor=request.user,
                challenge=challenge,
                supplier_key=form.cleaned_data["supplier"],
                team=form.cleaned_data["team"],
                proposal=form.cleaned_data["proposal"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已揭榜,平台运营会组织评审。"))
            return redirect("demands:challenge_detail", pk=pk)
    return render_page(request, "demands/challenge_apply.html", {"challenge": challenge, "form": form})


@login_required
@require_POST
def challenge_reviewer_add(request: HttpRequest, pk: int) -> HttpResponse:
    access_challenge(request.user, pk, write=True)
    form = ReviewerForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, form)
    name = form.cleaned_data["username"].strip()
    user = get_user_model().objects.filter(Q(username=name) | Q(mobile=name)).first()
    if user is None:
        messages.error(request, _("找不到登录名或手机号为“%(name)s”的用户。") % {"name": name})
        return redirect("demands:challenge_detail", pk=pk)
    return _challenge_action(
        request,
        pk,
        lambda c: services.challenge_reviewer_invite(actor=request.user, challenge=c, user=user),
        _("已邀请 %(user)s 担任评审专家。") % {"user": user},
    )


@login_required
@require_POST
def challenge_start_review(request: HttpRequest, pk: int) -> HttpResponse:
    access_challenge(request.user, pk, write=True)
    return _challenge_action(
        request,
        pk,
        lambda c: services.challenge_start_review(actor=request.user, challenge=c),
        _("已截止揭榜,进入评审。"),
    )


@login_required
def challenge_score(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    challenge = access_challenge(request.user, pk)
    reviewer = reviewer_for(request.user, challenge)
    application = (
        ChallengeApplication.objects.filter(challenge=challenge, pk=application_pk)
        .select_related("talent", "organisation")
        .first()
    )
    if reviewer is None or application is None:
        raise Http404
    criteria = list(challenge.criteria.all())
    existing = {s.criterion_id: s.score for s in reviewer.scores.filter(application=application)}
    errors: list[str] = []
    values: dict[int, str] = {c.pk: str(existing.get(c.pk, "")) for c in criteria}
    if request.method == "POST":
        scores: dict[int, int] = {}
        for criterion in criteria:
            raw = request.POST.get(f"c{criterion.pk}", "").strip()
            values[criterion.pk] = raw
            if raw.isdigit():
                scores[criterion.pk] = int(raw)
            elif raw:
                errors.append(_("“%(name)s”的分数必须是 0–10 的整数。") % {"name": criterion.name})
        if not errors:
            try:
                services.challenge_score(actor=request.user, application=application, scores=scores)
            except (ValidationError, PermissionDenied) as error:
                errors.extend(error.messages if isinstance(error, ValidationError) else [str(error)])
            else:
                messages.success(request, _("评分已保存。"))
                return redirect("demands:challenge_detail", pk=pk)
    return render_page(
        request,
        "demands/challenge_score.html",
        {
            "challenge": challenge,
            "application": application,
            "rows": [{"criterion": c, "value": values[c.pk]} for c in criteria],
            "errors": errors,
            "conflicts": services.reviewer_conflicts(request.user, challenge, application),
        },
    )


@login_required
@require_POST
def challenge_select(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access_challenge(request.user, pk, write=True)
    form = SelectWinnerForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, form)
    application = ChallengeApplication.objects.filter(
        challenge=challenge, pk=form.cleaned_data["application"]
    ).first()
    if application is None:
        raise Http404
    return _challenge_action(
        request,
        pk,
        lambda c: services.challenge_select_winner(
            actor=request.user, challenge=c, application=application, reason=form.cleaned_data["reason"]
        ),
        _("已选定揭榜方 %(name)s。") % {"name": application.supplier_name},
    )


@login_required
@require_POST
def challenge_plan(request: HttpRequest, pk: int) -> HttpResponse:
    access_challenge(request.user, pk, write=True)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, form)
    return _challenge_action(
        request,
        pk,
        lambda c: services.challenge_plan_set(
            actor=request.user, challenge=c, milestones=form.cleaned_data["plan"]
        ),
        _("里程碑与付款计划已制定。"),
    )


@login_required
@require_POST
def milestone_accept(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = ChallengeMilestone.objects.filter(pk=pk).select_related("challenge__demand").first()
    if milestone is None:
        raise Http404
    challenge = access_challenge(request.user, milestone.challenge_id)
    if not (is_operator(request.user) or may_manage_demand(request.user, challenge.demand)):
        raise Http404
    form = MilestoneAcceptForm(request.POST)
    if not form.is_valid():
        return _invalid(request, challenge.pk, form)
    return _challenge_action(
        request,
        challenge.pk,
        lambda c: services.milestone_accept(
            actor=request.user, milestone=milestone, note=form.cleaned_data["note"]
        ),
        _("里程碑已验收。"),
    )


@login_required
@require_POST
def milestone_pay(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = ChallengeMilestone.objects.filter(pk=pk).first()
    if milestone is None or not is_operator(request.user):
        raise Http404
    form = MilestonePayForm(request.POST)
    if not form.is_valid():
        return _invalid(request, milestone.challenge_id, form)
    return _challenge_action(
        request,
        milestone.challenge_id,
        lambda c: services.milestone_pay(
            actor=request.user, milestone=milestone, reference=form.cleaned_data["reference"]
        ),
        _("已登记付款。"),
    )


@login_required
@require_POST
def challenge_close(request: HttpRequest, pk: int) -> HttpResponse:
    access_challenge(request.user, pk, write=True)
    form = ChallengeCloseForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, form)
    return _challenge_action(
        request,
        pk,
        lambda c: services.challenge_close(
            actor=request.user,
            challenge=c,
            notes=form.cleaned_data["notes"],
            solved=form.cleaned_data["solved"],
        ),
        _("榜单已结项,结果已记录。"),
    )


def challenge_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable award notice with its public verification QR code."""
    challenge = access_challenge(request.user, pk) if request.user.is_authenticated else None
    if challenge is None or challenge.winner_id is None:
        raise Http404
    response = HttpResponse(documents.challenge_notice_pdf(challenge), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="challenge-{challenge.pk}.pdf"'
    return response
