from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jingxiang.core.listing import ExportColumn, wants_export
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.core.selectors import audit_timeline
from jingxiang.core.timerules import REASON_FIELD
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
    ScoreForm,
    ScreenForm,
    SelectWinnerForm,
)
from jingxiang.demands.models import (
    Challenge,
    ChallengeStatus,
    Demand,
    DemandStatus,
    InvitationStatus,
    KnowledgeDocument,
    ProposalStatus,
)
from jingxiang.demands.permissions import (
    access_attachment,
    access_challenge,
    access_demand,
    access_invitation,
    access_milestone,
    access_proposal,
    access_review,
    answering_as,
    is_operator,
    may_accept_milestones,
    may_apply,
    may_close_demand,
    may_follow_demand,
    may_manage_demand,
    may_post,
    may_promote,
    may_propose,
    may_screen,
    may_see_applications,
    may_see_notice,
    posting_firm,
    review_conflicts,
    reviewer_conflicts,
    reviewer_for,
    supplier_choices,
)
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import firm_ids


def _operator_or_404(user: Any) -> None:
    if not is_operator(user):
        raise Http404


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

DEMAND_LIST = ListSpec(
    template="demands/list.html",
    partial="demands/_table.html",
    filterset=DemandFilter,
    sort=("created_at", "deadline", "budget", "title"),
    default_sort="-created_at",
    export=Export("demands", DEMAND_EXPORT),
)
BOARD_LIST = ListSpec(
    template="demands/board.html",
    partial="demands/_board_table.html",
    filterset=BoardFilter,
    sort=("submitted_at", "created_at", "deadline", "budget", "status"),
    default_sort="submitted_at",
    export=Export("demand-board", BOARD_EXPORT),
)
CHALLENGE_LIST = ListSpec(
    template="demands/challenges.html",
    partial="demands/_challenge_table.html",
    filterset=ChallengeFilter,
    sort=("deadline", "award_amount", "created_at"),
    default_sort="-created_at",
    export=Export("challenges", CHALLENGE_EXPORT),
)


# -- demands ------------------------------------------------------------------------------------------


@login_required
def demand_list(request: HttpRequest) -> HttpResponse:
    everything = bool(request.GET.get("status") or request.GET.get("mine"))
    return list_page(
        request,
        selectors.demand_hall(request.user, everything=everything),
        DEMAND_LIST,
        {"may_post": may_post(request.user)},
        filter_kwargs={"organisation_ids": firm_ids(request.user)},
    )


def _demand_form_page(
    request: HttpRequest,
    form: DemandForm,
    organisation: Organisation,
    demand: Demand | None,
    save: Any,
) -> HttpResponse:
    """The demand's form, new or a draft's: posted in the firm's name, files attached by the service."""

    def save_with_files(data: dict[str, Any]) -> Demand:
        data = dict(data)
        return save(data, data.pop("attachments", []))

    def saved_message(saved: Demand) -> str:
        if demand is not None:
            return _("已保存。")
        if saved.status == DemandStatus.SCREENING:
            return _("需求已提交,等待平台运营审核。")
        return _("草稿已保存。确认无误后请“提交审核”。")

    crumbs = [(_("需求大厅"), reverse("demands:list"))]
    if demand is not None:
        crumbs.append((demand.number, reverse("demands:detail", args=[demand.pk])))
    return form_page(
        request,
        form,
        save=save_with_files,
        success_url=lambda saved: reverse("demands:detail", args=[saved.pk]),
        success_message=saved_message,
        context={
            "title": _("修改需求") if demand else _("发布需求"),
            "crumbs": crumbs,
            "intro": _("以 %(org)s 的名义发布。提交后由平台运营审核,审核通过才会公开。")
            % {"org": organisation.name},
            "notice": _("平台运营退回修改的原因:") + demand.return_reason
            if demand is not None and demand.return_reason
            else "",
            # A new demand goes to screening at once or waits as a draft; a draft is only saved.
            "buttons": [("submit_now", "1", _("提交审核"), False), ("", "", _("存为草稿"), True)]
            if demand is None
            else [],
        },
    )


@login_required
def demand_create(request: HttpRequest) -> HttpResponse:
    organisation = posting_firm(request.user)

    def save(data: dict[str, Any], files: list[Any]) -> Demand:
        demand = services.demand_create(actor=request.user, organisation=organisation, data=data, files=files)
        if request.POST.get("submit_now"):
            demand = services.demand_submit(actor=request.user, demand=demand)
        return demand

    form = DemandForm(request.POST or None, request.FILES or None, actor=request.user)
    return _demand_form_page(request, form, organisation, None, save)


@login_required
def demand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk, write=True)
    if demand.status != DemandStatus.DRAFT:
        messages.error(request, _("只有草稿状态的需求可以修改。"))
        return redirect("demands:detail", pk=pk)
    initial = {field: getattr(demand, field) for field in services.DEMAND_FIELDS}
    form = DemandForm(request.POST or None, request.FILES or None, initial=initial, actor=request.user)
    return _demand_form_page(
        request,
        form,
        demand.organisation,
        demand,
        lambda data, files: services.demand_update(actor=request.user, demand=demand, data=data, files=files),
    )


@login_required
def demand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk)
    user = request.user
    can_manage = may_manage_demand(user, demand)
    follows = may_follow_demand(user, demand)
    activity = selectors.demand_activity(demand)
    invitations, proposals = activity["invitations"], activity["proposals"]
    my_keys = {key for key, _label in supplier_choices(user)}
    my_proposals = [p for p in proposals if p.supplier_key in my_keys]
    challenge = selectors.demand_challenge(demand)
    close_form = CloseForm() if may_close_demand(user, demand, challenge) else None
    if close_form is not None and demand.status != DemandStatus.MATCHED:
        # Withdrawing an unmatched demand: there is no engagement to judge, only a reason to give.
        del close_form.fields["solved"], close_form.fields["rating"]
    proposing = may_propose(user, demand) and not any(
        p.status == ProposalStatus.SUBMITTED for p in my_proposals
    )
    return render_page(
        request,
        "demands/detail.html",
        {
            "demand": demand,
            "can_manage": can_manage,
            "can_follow": follows,
            "is_operator": is_operator(user),
            "invitations": invitations,
            "proposals": proposals if follows else my_proposals,
            "my_invitations": [
                i for i in invitations if i.supplier_key in my_keys and i.status == InvitationStatus.PENDING
            ],
            "suggestions": selectors.suggestion_rows(demand, invitations)
            if can_manage and demand.is_open
            else [],
            "screen_form": ScreenForm(
                candidates=selectors.merge_candidates(demand), initial={"merge_into": demand.duplicate_of_id}
            )
            if may_screen(user, demand)
            else None,
            "proposal_form": ProposalForm(supplier_choices=supplier_choices(user)) if proposing else None,
            "close_form": close_form,
            "decline_form": DeclineForm(),
            "next_step": selectors.demand_next_step(
                demand, proposals=proposals, invitations=invitations, challenge=challenge
            ),
            "attachments": list(demand.attachments.all()),
            "challenge": challenge,
            "can_promote": may_promote(user, demand, challenge),
            "timeline": audit_timeline(demand) if follows else [],
        },
    )


def _back_to(request: HttpRequest, url: str, run: Any, message: Any, form: Any = None) -> HttpResponse:
    """A button of a demand or challenge page: back to that page, saying what happened (or why not)."""
    return action(request, run, form=form, success_url=url, success_message=message)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = access_attachment(request.user, pk, attachment_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@require_POST
def demand_submit(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk, write=True)
    return _back_to(
        request,
        reverse("demands:detail", args=[demand.pk]),
        lambda: services.demand_submit(actor=request.user, demand=demand),
        _("已提交,等待平台运营审核。"),
    )


@login_required
@require_POST
def demand_screen(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    demand = access_demand(request.user, pk)
    form = ScreenForm(request.POST, candidates=selectors.merge_candidates(demand))

    def screen() -> str:
        """Run the chosen decision and say what was done."""
        decision = form.cleaned_data["action"]
        if decision == "publish":
            services.demand_publish(actor=request.user, demand=demand)
            return _("已发布,并通知了企业。")
        if decision == "return":
            services.demand_return(actor=request.user, demand=demand, reason=form.cleaned_data["reason"])
            return _("已退回企业修改。")
        into = form.candidates[form.cleaned_data["merge_into"]]
        services.demand_merge(actor=request.user, demand=demand, into=into)
        return _("已合并到 %(n)s。") % {"n": into.number}

    return action(
        request,
        screen,
        form=form,
        success_url=reverse("demands:board") + "?status=screening",
        success_message=lambda said: said,
        failure_url=reverse("demands:detail", args=[pk]),
    )


@login_required
@require_POST
def demand_archive(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    demand = access_demand(request.user, pk)
    return action(
        request,
        lambda: services.demand_archive(
            actor=request.user, demand=demand, reason=request.POST.get("reason", "")
        ),
        success_url=reverse("demands:board"),
        success_message=_("需求已归档,企业已收到通知。"),
        failure_url=reverse("demands:detail", args=[pk]),
    )


@login_required
@require_POST
def demand_invite(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk, write=True)
    form = InviteForm(request.POST)

    def invite() -> Any:
        key = form.cleaned_data["supplier"]
        match = selectors.suggestion_for(demand, key)
        return services.invitation_create(
            actor=request.user,
            demand=demand,
            supplier_key=key,
            message=form.cleaned_data["message"],
            score=match.score if match else None,
            why=match.why if match else None,
        )

    return _back_to(
        request,
        reverse("demands:detail", args=[demand.pk]),
        invite,
        lambda invitation: _("已邀请 %(name)s,对方会收到通知。") % {"name": invitation.supplier_name},
        form,
    )


def _answer(
    request: HttpRequest, form_class: Any, submit: Any, target: dict[str, Any], page: str, words: tuple
) -> HttpResponse:
    """A supplier answers a demand (a proposal) or a challenge (an application) from a card of its page:
    back to the page when saved, otherwise the form with its errors on a page of its own. ``submit`` is
    the service, ``target`` the object it answers, ``words`` the (title, button, success message)."""
    form = form_class(request.POST, supplier_choices=answering_as(request.user))
    title, button, message = words
    return form_page(
        request,
        form,
        save=lambda data: submit(actor=request.user, supplier_key=data.pop("supplier"), **target, **data),
        success_url=page,
        success_message=message,
        context={
            "title": title,
            "back": page,
            "back_label": next(iter(target.values())).title,
            "submit_label": button,
        },
    )


@login_required
@require_POST
def demand_propose(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk)
    return _answer(
        request,
        ProposalForm,
        services.proposal_submit,
        {"demand": demand},
        reverse("demands:detail", args=[pk]),
        (_("提交对接方案"), _("提交方案"), _("方案已提交,等待企业决定。")),
    )


@login_required
@require_POST
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access_invitation(request.user, pk)
    form = DeclineForm(request.POST)
    return _back_to(
        request,
        reverse("demands:detail", args=[invitation.demand.pk]),
        lambda: services.invitation_decline(actor=request.user, invitation=invitation, **form.cleaned_data),
        _("已婉拒邀请,企业会看到您的原因。"),
        form,
    )


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.user, pk)
    form = DecideForm(request.POST)
    return _back_to(
        request,
        reverse("demands:detail", args=[proposal.demand.pk]),
        lambda: services.proposal_decide(
            actor=request.user,
            proposal=proposal,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        ),
        _("已记录您的决定,对方会收到通知。"),
        form,
    )


@login_required
@require_POST
def demand_close(request: HttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk, write=True)
    form = CloseForm(request.POST)
    return _back_to(
        request,
        reverse("demands:detail", args=[demand.pk]),
        lambda: services.demand_close(actor=request.user, demand=demand, **form.cleaned_data),
        _("需求已关闭,结果已记录。"),
        form,
    )


@login_required
def for_me(request: HttpRequest) -> HttpResponse:
    """ "Needs you could help with": invitations waiting for an answer, then the engine's ranking."""
    choices = answering_as(request.user)
    keys = [key for key, _label in choices]
    key = request.GET.get("as") if request.GET.get("as") in keys else keys[0]
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
            "invitations": selectors.pending_invitations(request.user),
            "ranked": ranked,
        },
    )


# -- operators ----------------------------------------------------------------------------------------


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Every demand by state and age, oldest waiting first."""
    _operator_or_404(request.user)
    queryset = (
        Demand.objects.visible_to(request.user)
        .filter(archived_at__isnull=True)
        .select_related("organisation", "duplicate_of")
    )
    return list_page(
        request,
        queryset,
        BOARD_LIST,
        {"counts": selectors.board_counts(), "statuses": DemandStatus.choices},
    )


@login_required
@require_POST
def board_rerank(request: HttpRequest) -> HttpResponse:
    _operator_or_404(request.user)
    from jingxiang.jobs.services import job_enqueue

    return action(
        request,
        lambda: job_enqueue(kind="demands_rerank", title=texts.RERANK_TITLE(), created_by=request.user),
        success_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        failure_url=reverse("demands:board"),
    )


@login_required
def knowledge(request: HttpRequest) -> HttpResponse:
    _operator_or_404(request.user)
    return render_page(request, "demands/knowledge.html", {"documents": selectors.knowledge_documents()})


@login_required
def knowledge_edit(request: HttpRequest, document: str) -> HttpResponse:
    _operator_or_404(request.user)
    if document not in KnowledgeDocument.values:
        raise Http404
    from jingxiang.matching.knowledge import DATA_DIR

    chosen = selectors.knowledge_draft(document, request.GET.get("from"))
    content = chosen.content if chosen else (DATA_DIR / f"{document}.yaml").read_text(encoding="utf-8")
    based_on = _("底稿:第 %(v)s 版。") % {"v": chosen.version} if chosen else _("底稿:系统内置版本。")
    return form_page(
        request,
        KnowledgeForm(request.POST or None, initial={"content": content}),
        save=lambda data: services.knowledge_version_save(
            actor=request.user, document=document, content=data["content"], note=data["note"]
        ),
        success_url=reverse("demands:knowledge"),
        success_message=_("已保存新版本,正在后台重建匹配索引;完成后新版本生效并通知您。"),
        context={
            "title": _("编辑知识表") + ":" + str(KnowledgeDocument(document).label),
            "crumbs": [(_("匹配知识表"), reverse("demands:knowledge"))],
            "intro": based_on + _("保存前会用匹配引擎加载检查,有错误会逐条列出,不会保存。"),
            "submit_label": _("保存并重建索引"),
        },
    )


# -- challenges ---------------------------------------------------------------------------------------


def challenge_list(request: HttpRequest) -> HttpResponse:
    """Public (no login): published challenges of public demands."""
    return list_page(
        request, Challenge.objects.public().select_related("demand__organisation"), CHALLENGE_LIST
    )


@login_required
def challenge_create(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    demand = access_demand(request.user, pk)
    detail = reverse("demands:detail", args=[demand.pk])
    form = ChallengeForm(
        request.POST or None,
        initial={"title": demand.title, "award_amount": demand.budget},
        actor=request.user,
    )
    return form_page(
        request,
        form,
        save=lambda data: services.challenge_create(actor=request.user, demand=demand, **data),
        success_url=lambda challenge: reverse("demands:challenge_detail", args=[challenge.pk]),
        success_message=_("揭榜挂帅榜单已发布。"),
        context={
            "title": _("设为揭榜挂帅"),
            "back": detail,
            "back_label": demand.title,
            "submit_label": _("发布榜单"),
        },
    )


def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Public for a public challenge; applicants, reviewers, the firm and operators see their parts."""
    challenge = access_challenge(request.user, pk)
    user = request.user
    operator = is_operator(user)
    reviewer = reviewer_for(user, challenge)
    follows = may_follow_demand(user, challenge.demand)
    choices = supplier_choices(user)
    mine = {key for key, _label in choices}
    applications = list(challenge.applications.select_related("talent", "organisation"))
    milestones = list(challenge.milestones.all())
    status = challenge.status
    return render_page(
        request,
        "demands/challenge_detail.html",
        {
            "challenge": challenge,
            "criteria": list(challenge.criteria.all()),
            "is_operator": operator,
            "reviewer": reviewer,
            "can_follow": follows,
            "can_accept": may_accept_milestones(user, challenge),
            "can_notice": may_see_notice(user, challenge),
            "applications": applications
            if may_see_applications(user, challenge, reviewer)
            else [a for a in applications if a.supplier_key in mine],
            "ranking": selectors.weighted_scores(challenge) if follows else [],
            "scored_by_me": set(reviewer.scores.values_list("application_id", flat=True))
            if reviewer
            else set(),
            "conflicts": review_conflicts(user, challenge, applications) if reviewer else {},
            "reviewers": list(challenge.reviewers.select_related("user")) if operator else [],
            "milestones": milestones,
            "apply_form": ApplyForm(supplier_choices=choices)
            if may_apply(user, challenge, applications)
            else None,
            "reviewer_form": ReviewerForm()
            if operator and status in {ChallengeStatus.OPEN, ChallengeStatus.REVIEWING}
            else None,
            "select_form": SelectWinnerForm(challenge=challenge)
            if operator and status == ChallengeStatus.REVIEWING
            else None,
            "plan_form": PlanForm(actor=user)
            if operator and status == ChallengeStatus.AWARDED and not milestones
            else None,
            "close_form": ChallengeCloseForm() if operator and status == ChallengeStatus.AWARDED else None,
            "next_step": selectors.challenge_next_step(challenge),
            "timeline": audit_timeline(challenge) if follows else [],
        },
    )


@login_required
@require_POST
def challenge_apply(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access_challenge(request.user, pk)
    return _answer(
        request,
        ApplyForm,
        services.challenge_apply,
        {"challenge": challenge},
        reverse("demands:challenge_detail", args=[pk]),
        (_("揭榜"), _("提交揭榜方案"), _("已揭榜,平台运营会组织评审。")),
    )


@login_required
@require_POST
def challenge_reviewer_add(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access_challenge(request.user, pk, write=True)
    form = ReviewerForm(request.POST)
    return _back_to(
        request,
        reverse("demands:challenge_detail", args=[challenge.pk]),
        lambda: services.challenge_reviewer_invite(
            actor=request.user, challenge=challenge, user=form.cleaned_data["username"]
        ),
        lambda reviewer: _("已邀请 %(user)s 担任评审专家。") % {"user": reviewer.user},
        form,
    )


@login_required
@require_POST
def challenge_start_review(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access_challenge(request.user, pk, write=True)
    return _back_to(
        request,
        reverse("demands:challenge_detail", args=[challenge.pk]),
        lambda: services.challenge_start_review(actor=request.user, challenge=challenge),
        _("已截止揭榜,进入评审。"),
    )


@login_required
def challenge_score(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    reviewer, application = access_review(request.user, pk, application_pk)
    challenge = application.challenge
    existing = {s.criterion_id: s.score for s in reviewer.scores.filter(application=application)}
    form = ScoreForm(
        request.POST or None,
        criteria=list(challenge.criteria.all()),
        initial={f"c{criterion}": score for criterion, score in existing.items()},
    )
    detail = reverse("demands:challenge_detail", args=[challenge.pk])
    return form_page(
        request,
        form,
        save=lambda data: services.challenge_score(
            actor=request.user, application=application, scores=form.scores()
        ),
        success_url=detail,
        success_message=_("评分已保存。"),
        template="demands/challenge_score.html",
        context={
            "title": _("评分") + ":" + application.supplier_name,
            "back": detail,
            "back_label": challenge.title,
            "submit_label": _("保存评分"),
            "application": application,
            "conflicts": reviewer_conflicts(request.user, challenge, application),
        },
    )


@login_required
@require_POST
def challenge_select(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access_challenge(request.user, pk, write=True)
    form = SelectWinnerForm(request.POST, challenge=challenge)
    return _back_to(
        request,
        reverse("demands:challenge_detail", args=[challenge.pk]),
        lambda: services.challenge_select_winner(
            actor=request.user, challenge=challenge, **form.cleaned_data
        ),
        lambda awarded: _("已选定揭榜方 %(name)s。") % {"name": awarded.winner.supplier_name},
        form,
    )


@login_required
@require_POST
def challenge_plan(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access_challenge(request.user, pk, write=True)
    form = PlanForm(request.POST, actor=request.user)
    return _back_to(
        request,
        reverse("demands:challenge_detail", args=[challenge.pk]),
        lambda: services.challenge_plan_set(
            actor=request.user,
            challenge=challenge,
            milestones=form.cleaned_data["plan"],
            backdate_reason=form.cleaned_data.get(REASON_FIELD, ""),
        ),
        _("里程碑与付款计划已制定。"),
        form,
    )


@login_required
@require_POST
def milestone_accept(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = access_milestone(request.user, pk)
    if not may_accept_milestones(request.user, milestone.challenge):
        raise Http404
    form = MilestoneAcceptForm(request.POST)
    return _back_to(
        request,
        reverse("demands:challenge_detail", args=[milestone.challenge.pk]),
        lambda: services.milestone_accept(actor=request.user, milestone=milestone, **form.cleaned_data),
        _("里程碑已验收。"),
        form,
    )


@login_required
@require_POST
def milestone_pay(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    milestone = access_milestone(request.user, pk)
    form = MilestonePayForm(request.POST)
    return _back_to(
        request,
        reverse("demands:challenge_detail", args=[milestone.challenge.pk]),
        lambda: services.milestone_pay(actor=request.user, milestone=milestone, **form.cleaned_data),
        _("已登记付款。"),
        form,
    )


@login_required
@require_POST
def challenge_close(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access_challenge(request.user, pk, write=True)
    form = ChallengeCloseForm(request.POST)
    return _back_to(
        request,
        reverse("demands:challenge_detail", args=[challenge.pk]),
        lambda: services.challenge_close(actor=request.user, challenge=challenge, **form.cleaned_data),
        _("榜单已结项,结果已记录。"),
        form,
    )


def challenge_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable award notice with its public verification QR code."""
    challenge = access_challenge(request.user, pk)
    if not may_see_notice(request.user, challenge):
        raise Http404
    response = HttpResponse(documents.challenge_notice_pdf(challenge), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="challenge-{challenge.pk}.pdf"'
    return response
