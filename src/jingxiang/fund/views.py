"""Thin views of the talent fund: parse, access, call a service, render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, NextStep, action, first_step, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.core.timerules import REASON_FIELD
from jingxiang.fund import carryover, forms, review, selectors, services
from jingxiang.fund.catalogue import attachment_kinds
from jingxiang.fund.models import (
    AppStatus,
    AwardKind,
    AwardStatus,
    CallStatus,
    EliteGrade,
    Fund,
    FundApplication,
    FundCall,
    Stage,
    TalentTier,
    TrancheStatus,
)
from jingxiang.fund.permissions import (
    access_application,
    access_award,
    access_call,
    access_diligence,
    access_fund,
    access_rule,
    access_tranche,
    is_applicant,
    is_fund_manager,
    may_apply,
    may_see_fund,
    may_see_private,
    own_assignments,
)
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import is_approved_member, managed_firm_ids

CALL_LIST = ListSpec(
    template="fund/calls.html",
    partial="fund/_call_table.html",
    sort=("opens_on", "closes_on", "title"),
    default_sort="-opens_on",
    prepare=lambda qs: qs.select_related("fund"),
    export=Export(
        "基金申报通知",
        [
            ExportColumn(gettext_lazy("编号"), lambda c: c.number),
            ExportColumn(gettext_lazy("名称"), lambda c: c.title),
            ExportColumn(gettext_lazy("基金"), lambda c: c.fund.name),
            ExportColumn(gettext_lazy("申报开始"), lambda c: c.opens_on),
            ExportColumn(gettext_lazy("申报截止"), lambda c: c.closes_on),
            ExportColumn(gettext_lazy("状态"), lambda c: c.get_status_display()),
        ],
    ),
)

APPLICATION_LIST = ListSpec(
    template="fund/applications.html",
    partial="fund/_application_table.html",
    sort=("created_at", "status", "requested_amount"),
    default_sort="-created_at",
    prepare=lambda qs: qs.select_related("call", "organisation", "talent_tier", "elite_grade"),
    export=Export(
        "基金申请",
        [
            ExportColumn(gettext_lazy("编号"), lambda a: a.number),
            ExportColumn(gettext_lazy("申报通知"), lambda a: a.call.title),
            ExportColumn(gettext_lazy("申报单位"), lambda a: a.organisation.name),
            ExportColumn(gettext_lazy("项目名称"), lambda a: a.project_title),
            ExportColumn(gettext_lazy("人才层次"), lambda a: a.talent_tier.name if a.talent_tier_id else ""),
            ExportColumn(
                gettext_lazy("500精英计划等级"), lambda a: a.elite_grade.name if a.elite_grade_id else ""
            ),
            ExportColumn(gettext_lazy("申请资助(元)"), lambda a: a.requested_amount),
            ExportColumn(gettext_lazy("状态"), lambda a: a.get_status_display()),
            ExportColumn(gettext_lazy("提交时间"), lambda a: a.submitted_at),
        ],
    ),
)

AWARD_LIST = ListSpec(
    template="fund/awards.html",
    partial="fund/_award_table.html",
    sort=("created_at", "amount"),
    default_sort="-created_at",
    prepare=lambda qs: qs.select_related("application__organisation", "fund"),
    export=Export(
        "资助协议",
        [
            ExportColumn(gettext_lazy("编号"), lambda a: a.number),
            ExportColumn(gettext_lazy("受资助单位"), lambda a: a.application.organisation.name),
            ExportColumn(gettext_lazy("项目"), lambda a: a.application.project_title),
            ExportColumn(gettext_lazy("方式"), lambda a: a.get_kind_display()),
            ExportColumn(gettext_lazy("金额(元)"), lambda a: a.amount),
            ExportColumn(gettext_lazy("已拨付(元)"), lambda a: a.disbursed),
            ExportColumn(gettext_lazy("已收回(元)"), lambda a: a.recovered),
            ExportColumn(gettext_lazy("状态"), lambda a: a.get_status_display()),
        ],
    ),
)

LEDGER_LIST = ListSpec(
    template="fund/fund_detail.html",
    partial="fund/_entry_table.html",
    sort=("created_at", "amount"),
    default_sort="-created_at",
    prepare=lambda qs: qs.select_related("award", "actor"),
    export=Export(
        "基金台账",
        [
            ExportColumn(gettext_lazy("时间"), lambda e: e.created_at),
            ExportColumn(gettext_lazy("类型"), lambda e: e.get_kind_display()),
            ExportColumn(gettext_lazy("金额(元)"), lambda e: e.amount),
            ExportColumn(gettext_lazy("变动后可用(元)"), lambda e: e.available_after),
            ExportColumn(gettext_lazy("协议"), lambda e: e.award.number if e.award_id else ""),
            ExportColumn(gettext_lazy("说明"), lambda e: e.note),
        ],
    ),
)


def _fund_staff(user: Any) -> None:
    if not is_fund_manager(user):
        raise Http404


def _reason(data: dict[str, Any]) -> str:
    return str(data.get(REASON_FIELD, "") or "")


# Calls ------------------------------------------------------------------------------------------------


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    if not (is_approved_member(request.user) or may_see_fund(request.user)):
        raise Http404
    return list_page(
        request,
        FundCall.objects.visible_to(request.user),
        CALL_LIST,
        {"manager": is_fund_manager(request.user)},
    )


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    _fund_staff(request.user)
    form = forms.CallForm(request.POST or None, actor=request.user)
    return form_page(
        request,
        form,
        save=lambda d: services.call_create(
            actor=request.user, fund=d["fund"], data=d, backdate_reason=_reason(d)
        ),
        success_url=lambda call: reverse("fund:call", args=[call.pk]),
        success_message=_("申报通知已创建,已带入默认申报条件和评分项。核对后即可开放申报。"),
        context={"title": _("新建申报通知"), "back": reverse("fund:calls")},
    )


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk)
    manager = is_fund_manager(request.user)
    rules = list(call.rules.filter(archived_at__isnull=True))
    context: dict[str, Any] = {
        "call": call,
        "manager": manager,
        "rules": rules,
        "criteria": list(call.criteria.all()),
        "can_apply": may_apply(request.user) and call.status == CallStatus.OPEN,
        "today": timezone.localdate(),
    }
    if manager:
        context["reviewers"] = list(call.reviewers.select_related("user", "organisation"))
        context["expert_round"] = review.stage_round(call, Stage.EXPERT)
        context["defence_round"] = review.stage_round(call, Stage.DEFENCE)
        context["expert_ranking"] = review.ranking(context["expert_round"])
        context["defence_ranking"] = review.ranking(context["defence_round"])
        context["counts"] = {
            s.label: call.applications.filter(status=s.value).count()
            for s in AppStatus
            if s != AppStatus.DRAFT
        }
        context["next_step"] = first_step(
            (call.status == CallStatus.DRAFT, NextStep(_("核对申报条件和评分项后开放申报。"), mine=True)),
        )
    else:
        context["own"] = list(
            call.applications.filter(organisation_id__in=managed_firm_ids(request.user)).select_related(
                "organisation"
            )
        )
    return render_page(request, "fund/call_detail.html", context)


@login_required
def call_open(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk, write=True)
    url = reverse("fund:call", args=[call.pk])
    return action(
        request,
        lambda: services.call_open(actor=request.user, call=call),
        success_url=url,
        success_message=_("已开放申报。"),
    )


@login_required
def call_close(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk, write=True)
    url = reverse("fund:call", args=[call.pk])
    return action(
        request,
        lambda: services.call_close(actor=request.user, call=call),
        success_url=url,
        success_message=_("申报已截止。"),
    )


@login_required
def rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk, write=True)
    form = forms.RuleForm(request.POST or None, actor=request.user, initial={"valid_from": call.opens_on})
    return form_page(
        request,
        form,
        save=lambda d: services.rule_add(
            actor=request.user,
            call=call,
            kind=d["kind"],
            value=d["value"],
            valid_from=d["valid_from"],
            valid_to=d.get("valid_to"),
        ),
        success_url=reverse("fund:call", args=[call.pk]),
        success_message=_("申报条件已添加。"),
        context={
            "title": _("添加申报条件:%(c)s") % {"c": call.title},
            "back": reverse("fund:call", args=[call.pk]),
        },
    )


@login_required
def rule_archive(request: HttpRequest, pk: int) -> HttpResponse:
    rule = access_rule(request.user, pk)
    return action(
        request,
        lambda: services.rule_archive(actor=request.user, rule=rule),
        success_url=reverse("fund:call", args=[rule.call_id]),
        success_message=_("申报条件已停用(保留在历史中)。"),
    )


@login_required
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk, write=True)
    form = forms.CriterionForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda d: services.criterion_add(actor=request.user, call=call, data=d),
        success_url=reverse("fund:call", args=[call.pk]),
        success_message=_("评分项已添加。"),
        context={"title": _("添加评分项"), "back": reverse("fund:call", args=[call.pk])},
    )


@login_required
def reviewer_add(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk, write=True)
    form = forms.ReviewerForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda d: services.reviewer_add(actor=request.user, call=call, data=d),
        success_url=reverse("fund:call", args=[call.pk]),
        success_message=_("专家已加入评审库。"),
        context={"title": _("添加评审专家"), "back": reverse("fund:call", args=[call.pk])},
    )


@login_required
def assign(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    call = access_call(request.user, pk, write=True)
    if stage not in Stage.values:
        raise Http404
    return action(
        request,
        lambda: services.assign_reviewers(actor=request.user, call=call, stage=stage),
        success_url=reverse("fund:call", args=[call.pk]),
        success_message=_("评审引擎正在分配专家(无利益冲突,负载均衡),完成后专家会收到通知。"),
    )


# Applications -----------------------------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk)
    firms = Organisation.objects.filter(pk__in=managed_firm_ids(request.user)).order_by("name")
    if not firms:
        raise Http404
    carried = carryover.load(request.GET.get("carry", ""), request.user)
    initial: dict[str, Any] = {"organisation": firms.first()}
    if carried is not None:
        initial.update(
            project_title=carried.project_title, summary=carried.summary, tags=",".join(carried.tags)
        )
        if carried.organisation_id and firms.filter(pk=carried.organisation_id).exists():
            initial["organisation"] = carried.organisation_id
        if carried.team:
            initial["talent_name"] = carried.team[0][0]
    form = forms.ApplicationForm(request.POST or None, firms=firms, initial=initial)
    return form_page(
        request,
        form,
        save=lambda d: services.application_create(
            actor=request.user,
            call=call,
            organisation=d["organisation"],
            data=d,
            team=carried.team if carried else (),
            carried_from=carried.source_label if carried else "",
            carried_url=carried.source_url if carried else "",
        ),
        success_url=lambda a: reverse("fund:application", args=[a.pk]),
        success_message=_("申请草稿已保存。请补充团队、知识产权和附件,然后做资格预审并提交。"),
        template="fund/apply.html",
        context={
            "title": _("申报:%(c)s") % {"c": call.title},
            "back": reverse("fund:call", args=[call.pk]),
            "carried": carried,
        },
    )


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    if not may_see_fund(request.user):
        raise Http404
    queryset = FundApplication.objects.visible_to(request.user)
    if not is_fund_manager(request.user):
        # Experts and firms see only what visible_to gives them; a firm's drafts stay its own.
        queryset = queryset.exclude(~_own(request.user), status=AppStatus.DRAFT)
    return list_page(request, queryset, APPLICATION_LIST, {"manager": is_fund_manager(request.user)})


def _own(user: Any) -> Any:
    from django.db.models import Q

    return Q(organisation_id__in=managed_firm_ids(user))


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    manager = is_fund_manager(request.user)
    applicant = is_applicant(request.user, application)
    assignments = own_assignments(request.user, application)
    if not (manager or applicant) and application.status == AppStatus.DRAFT:
        raise Http404
    status = application.status
    context: dict[str, Any] = {
        "application": application,
        "manager": manager,
        "applicant": applicant,
        "private": may_see_private(request.user, application),
        "my_assignments": assignments,
        "team": list(application.team.all()),
        "ip_items": list(application.ip_items.all()),
        "attachments": list(application.attachments.filter(archived_at__isnull=True)),
        "diligence": list(application.diligence.select_related("checked_by")),
        "appeals": list(application.appeals.all()),
        "kinds": {k: _(v["label"]) for k, v in attachment_kinds().items()},
        "award": getattr(application, "award", None) if status == AppStatus.AWARDED else None,
        "appeal_open": status == AppStatus.REJECTED
        and application.appeal_until is not None
        and timezone.now() <= application.appeal_until,
    }
    if manager:
        context["rank"] = selectors.application_rank(application)
        context["rounds"] = [
            (r, review.submission_of(application, r))
            for r in (review.stage_round(application.call, Stage.EXPERT), review.defence_round(application))
            if r is not None
        ]
        context["decision_form"] = forms.DecisionForm()
        context["appeal_decide_form"] = forms.AppealDecideForm()
    if manager or applicant:
        context["reasons"] = (
            services.eligibility(application) if status == AppStatus.DRAFT else application.precheck_reasons
        )
    context["next_step"] = first_step(
        (status == AppStatus.DRAFT, NextStep(_("申报单位:补全材料,做资格预审并提交。"), mine=applicant)),
        (status == AppStatus.SUBMITTED, NextStep(_("基金管理人:启动尽职调查。"), mine=manager)),
        (status == AppStatus.DILIGENCE, NextStep(_("基金管理人:逐项完成尽调核查。"), mine=manager)),
        (status == AppStatus.REVIEW, NextStep(_("评审专家:提交专家评审评分。"), mine=bool(assignments))),
        (
            status == AppStatus.DEFENCE,
            NextStep(_("评审专家:路演答辩评分;基金管理人:作出决定。"), mine=manager),
        ),
        (status == AppStatus.APPROVED, NextStep(_("基金管理人:签订资助协议。"), mine=manager)),
        (
            status == AppStatus.REJECTED and bool(context["appeal_open"]),
            NextStep(_("申报单位:如有异议可在申诉期内申诉。"), mine=applicant),
        ),
    )
    return render_page(request, "fund/application.html", context)


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    if not is_applicant(request.user, application) or application.status != AppStatus.DRAFT:
        raise Http404
    initial = {name: getattr(application, name) for name in services.APPLICATION_FIELDS}
    form = forms.ApplicationForm(request.POST or None, initial=initial)
    url = reverse("fund:application", args=[application.pk])
    return form_page(
        request,
        form,
        save=lambda d: services.application_update(actor=request.user, application=application, data=d),
        success_url=url,
        success_message=_("已保存。"),
        context={"title": _("修改申请"), "back": url},
    )


def _draft_form(request: HttpRequest, pk: int, form_class: type, save: Any, title: str) -> HttpResponse:
    application = access_application(request.user, pk)
    if not is_applicant(request.user, application) or application.status != AppStatus.DRAFT:
        raise Http404
    form = form_class(request.POST or None, request.FILES or None)
    url = reverse("fund:application", args=[application.pk])
    return form_page(
        request,
        form,
        save=lambda d: save(application, d),
        success_url=url,
        success_message=_("已保存。"),
        context={"title": title, "back": url, "multipart": True},
    )


@login_required
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _draft_form(
        request,
        pk,
        forms.TeamForm,
        lambda a, d: services.team_add(actor=request.user, application=a, data=d),
        _("添加团队成员"),
    )


@login_required
def ip_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _draft_form(
        request,
        pk,
        forms.IPForm,
        lambda a, d: services.ip_add(actor=request.user, application=a, data=d),
        _("添加知识产权"),
    )


@login_required
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _draft_form(
        request,
        pk,
        forms.AttachmentForm,
        lambda a, d: services.attachment_add(
            actor=request.user, application=a, kind=d["kind"], upload=d["file"]
        ),
        _("上传附件"),
    )


def _application_action(request: HttpRequest, pk: int, run: Any, message: Any, *, by: str) -> HttpResponse:
    """A button on an application: ``by`` the fund manager, the applicant firm, or either ("both")."""
    application = access_application(request.user, pk)
    manager, applicant = is_fund_manager(request.user), is_applicant(request.user, application)
    if not {"manager": manager, "applicant": applicant, "both": manager or applicant}[by]:
        raise Http404
    url = reverse("fund:application", args=[application.pk])
    return action(request, lambda: run(application), success_url=url, success_message=message)


@login_required
def precheck(request: HttpRequest, pk: int) -> HttpResponse:
    def message(reasons: list[str]) -> str:
        if not reasons:
            return _("资格预审通过,可以提交。")
        messages.warning(request, _("资格预审未通过,共 %(n)s 项原因,见页面。") % {"n": len(reasons)})
        return ""

    return _application_action(
        request, pk, lambda a: services.precheck(actor=request.user, application=a), message, by="both"
    )


@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_action(
        request,
        pk,
        lambda a: services.submit(actor=request.user, application=a),
        _("申请已提交。"),
        by="applicant",
    )


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_action(
        request,
        pk,
        lambda a: services.withdraw(actor=request.user, application=a),
        _("申请已撤回。"),
        by="applicant",
    )


@login_required
def diligence_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_action(
        request,
        pk,
        lambda a: services.diligence_start(actor=request.user, application=a),
        _("尽职调查已启动,核查清单已生成。"),
        by="manager",
    )


@login_required
def diligence_check(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_diligence(request.user, pk)
    form = forms.DiligenceForm(request.POST or None)
    url = reverse("fund:application", args=[item.application_id])
    return action(
        request,
        lambda: services.diligence_check(
            actor=request.user,
            item=item,
            done=form.cleaned_data["done"],
            finding=form.cleaned_data["finding"],
        ),
        success_url=url,
        success_message=_("已记录核查结果。"),
        form=form,
    )


@login_required
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_action(
        request,
        pk,
        lambda a: services.review_start(actor=request.user, application=a),
        _("已进入专家评审。请在申报通知页分配专家。"),
        by="manager",
    )


@login_required
def defence_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_action(
        request,
        pk,
        lambda a: services.defence_start(actor=request.user, application=a),
        _("已进入路演答辩。请在申报通知页分配答辩评委。"),
        by="manager",
    )


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    _fund_staff(request.user)
    form = forms.DecisionForm(request.POST or None)
    url = reverse("fund:application", args=[application.pk])
    return form_page(
        request,
        form,
        save=lambda d: services.decide(
            actor=request.user,
            application=application,
            approve=d["outcome"] == "approve",
            reasons=d["reasons"],
        ),
        success_url=url,
        success_message=_("决定已记录,申诉期已开始。"),
        context={"title": _("作出决定:%(n)s") % {"n": application.number}, "back": url},
    )


@login_required
def appeal_file(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    if not is_applicant(request.user, application):
        raise Http404
    form = forms.AppealForm(request.POST or None)
    url = reverse("fund:application", args=[application.pk])
    return form_page(
        request,
        form,
        save=lambda d: services.appeal_file(
            actor=request.user, application=application, grounds=d["grounds"]
        ),
        success_url=url,
        success_message=_("申诉已提交。"),
        context={"title": _("提出申诉"), "back": url},
    )


@login_required
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    from jingxiang.fund.models import Appeal

    _fund_staff(request.user)
    appeal = Appeal.objects.filter(pk=pk).first()
    if appeal is None:
        raise Http404
    form = forms.AppealDecideForm(request.POST or None)
    url = reverse("fund:application", args=[appeal.application_id])
    return action(
        request,
        lambda: services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            uphold=form.cleaned_data["outcome"] == "uphold",
            reply=form.cleaned_data["reply"],
        ),
        success_url=url,
        success_message=_("申诉已处理。"),
        form=form,
    )


@login_required
def award_make(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    _fund_staff(request.user)
    initial = {
        "kind": AwardKind.GRANT,
        "amount": application.requested_amount,
        "team_premium_share": application.call.exit_premium_team_share,
    }
    form = forms.AwardForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=lambda d: services.award_make(actor=request.user, application=application, data=d),
        success_url=lambda award: reverse("fund:award", args=[award.pk]),
        success_message=_("资助协议已签订,金额已在基金台账中承诺。请设置分期拨付的里程碑。"),
        context={
            "title": _("签订资助协议:%(n)s") % {"n": application.number},
            "back": reverse("fund:application", args=[application.pk]),
        },
    )


# Awards -----------------------------------------------------------------------------------------------


@login_required
def award_list(request: HttpRequest) -> HttpResponse:
    if not (is_fund_manager(request.user) or managed_firm_ids(request.user)):
        raise Http404
    from jingxiang.fund.models import Award

    return list_page(request, Award.objects.visible_to(request.user), AWARD_LIST)


@login_required
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    award = access_award(request.user, pk)
    manager = is_fund_manager(request.user)
    tranches = list(award.tranches.select_related("evidence"))
    planned_total = sum((t.amount for t in tranches if t.status != TrancheStatus.FAILED), Decimal("0"))
    context: dict[str, Any] = {
        "award": award,
        "manager": manager,
        "applicant": is_applicant(request.user, award.application),
        "tranches": tranches,
        "reports": list(award.reports.all()),
        "recoveries": list(award.recoveries.all()),
        "planned_total": planned_total,
        "review_form": forms.EvidenceReviewForm(),
        "note_form": forms.NoteForm(),
        "active": award.status == AwardStatus.ACTIVE,
    }
    context["next_step"] = first_step(
        (
            award.status == AwardStatus.ACTIVE and planned_total < award.amount,
            NextStep(_("基金管理人:为剩余金额设置里程碑拨付期次。"), mine=manager),
        ),
        (
            any(t.status == TrancheStatus.EVIDENCE for t in tranches),
            NextStep(_("基金管理人:审核里程碑佐证并拨付。"), mine=manager),
        ),
        (
            any(t.status == TrancheStatus.PLANNED for t in tranches),
            NextStep(_("受资助单位:达成里程碑后提交佐证。"), mine=bool(context["applicant"])),
        ),
    )
    return render_page(request, "fund/award.html", context)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def award_letter(request: HttpRequest, pk: int) -> HttpResponse:
    from jingxiang.fund.documents import award_letter_pdf

    award = access_award(request.user, pk)
    return _pdf(award_letter_pdf(award), f"award-letter-{award.number}.pdf")


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    from jingxiang.fund.documents import agreement_pdf

    award = access_award(request.user, pk)
    return _pdf(agreement_pdf(award), f"agreement-{award.number}.pdf")


@login_required
def tranche_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = access_award(request.user, pk)
    _fund_staff(request.user)
    form = forms.TrancheForm(request.POST or None, actor=request.user)
    url = reverse("fund:award", args=[award.pk])
    return form_page(
        request,
        form,
        save=lambda d: services.tranche_add(
            actor=request.user,
            award=award,
            milestone=d["milestone"],
            amount=d["amount"],
            due_on=d["due_on"],
            backdate_reason=_reason(d),
        ),
        success_url=url,
        success_message=_("拨付期次已添加。"),
        context={"title": _("添加拨付期次:%(n)s") % {"n": award.number}, "back": url},
    )


@login_required
def evidence_submit(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = access_tranche(request.user, pk)
    if not is_applicant(request.user, tranche.award.application):
        raise Http404
    form = forms.EvidenceForm(request.POST or None, request.FILES or None)
    url = reverse("fund:award", args=[tranche.award_id])
    return form_page(
        request,
        form,
        save=lambda d: services.evidence_submit(
            actor=request.user, tranche=tranche, upload=d["file"], note=d["note"]
        ),
        success_url=url,
        success_message=_("佐证已提交,等待基金管理人审核。"),
        context={"title": _("提交第 %(n)s 期佐证") % {"n": tranche.seq}, "back": url, "multipart": True},
    )


@login_required
def evidence_review(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = access_tranche(request.user, pk)
    _fund_staff(request.user)
    form = forms.EvidenceReviewForm(request.POST or None)
    return action(
        request,
        lambda: services.evidence_review(
            actor=request.user,
            tranche=tranche,
            approve=form.cleaned_data["outcome"] == "approve",
            note=form.cleaned_data.get("note", ""),
        ),
        success_url=reverse("fund:award", args=[tranche.award_id]),
        success_message=lambda t: _("已拨付。") if t.status == TrancheStatus.RELEASED else _("佐证已退回。"),
        form=form,
    )


@login_required
def tranche_fail(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = access_tranche(request.user, pk)
    _fund_staff(request.user)
    form = forms.NoteForm(request.POST or None)
    return action(
        request,
        lambda: services.tranche_fail(actor=request.user, tranche=tranche, note=form.cleaned_data["note"]),
        success_url=reverse("fund:award", args=[tranche.award_id]),
        success_message=_("已判定本期里程碑未达成。如需收回资金,请在协议页办理收回。"),
        form=form,
    )


@login_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    award = access_award(request.user, pk)
    if not is_applicant(request.user, award.application):
        raise Http404
    form = forms.ReportForm(request.POST or None)
    url = reverse("fund:award", args=[award.pk])
    return form_page(
        request,
        form,
        save=lambda d: services.report_submit(actor=request.user, award=award, data=d),
        success_url=url,
        success_message=_("年度进展报告已提交。"),
        context={"title": _("年度进展报告"), "back": url},
    )


@login_required
def recover(request: HttpRequest, pk: int) -> HttpResponse:
    award = access_award(request.user, pk)
    _fund_staff(request.user)
    form = forms.RecoveryForm(request.POST or None)
    url = reverse("fund:award", args=[award.pk])
    return form_page(
        request,
        form,
        save=lambda d: services.recover(
            actor=request.user, award=award, cause=d["cause"], amount=d["amount"], note=d["note"]
        ),
        success_url=url,
        success_message=_("协议已终止,未拨付承诺已释放,收回金额已入账。"),
        context={"title": _("终止并收回:%(n)s") % {"n": award.number}, "back": url},
    )


# Funds and catalogue ----------------------------------------------------------------------------------


@login_required
def fund_list(request: HttpRequest) -> HttpResponse:
    _fund_staff(request.user)
    funds = list(Fund.objects.filter(archived_at__isnull=True))
    return render_page(request, "fund/funds.html", {"funds": funds})


@login_required
def fund_create(request: HttpRequest) -> HttpResponse:
    _fund_staff(request.user)
    form = forms.FundForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda d: services.fund_create(actor=request.user, data=d),
        success_url=lambda fund: reverse("fund:fund", args=[fund.pk]),
        success_message=_("基金已建立。"),
        context={"title": _("建立基金"), "back": reverse("fund:funds")},
    )


@login_required
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = access_fund(request.user, pk)
    context = {"fund": fund, "from_entries": selectors.ledger_from_entries(fund)}
    return list_page(request, fund.entries.all(), LEDGER_LIST, context)


@login_required
def capital_add(request: HttpRequest, pk: int) -> HttpResponse:
    fund = access_fund(request.user, pk)
    form = forms.CapitalForm(request.POST or None)
    url = reverse("fund:fund", args=[fund.pk])
    return form_page(
        request,
        form,
        save=lambda d: services.capital_add(
            actor=request.user, fund=fund, amount=d["amount"], note=d["note"]
        ),
        success_url=url,
        success_message=_("注资已入账。"),
        context={"title": _("注资"), "back": url},
    )


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    _fund_staff(request.user)
    return render_page(
        request,
        "fund/catalogue.html",
        {"tiers": list(TalentTier.objects.all()), "grades": list(EliteGrade.objects.all())},
    )


def _catalogue_form(
    request: HttpRequest, form_class: type, instance: Any, save: Any, title: str
) -> HttpResponse:
    _fund_staff(request.user)
    names = getattr(form_class, "base_fields", {})
    initial = {f: getattr(instance, f) for f in names} if instance else None
    form = form_class(request.POST or None, actor=request.user, initial=initial)
    return form_page(
        request,
        form,
        save=save,
        success_url=reverse("fund:catalogue"),
        success_message=_("已保存。"),
        context={"title": title, "back": reverse("fund:catalogue")},
    )


@login_required
def tier_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    tier = TalentTier.objects.filter(pk=pk).first() if pk else None
    if pk and tier is None:
        raise Http404
    return _catalogue_form(
        request,
        forms.TierForm,
        tier,
        lambda d: services.tier_save(actor=request.user, data=d, tier=tier),
        _("人才层次"),
    )


@login_required
def grade_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    grade = EliteGrade.objects.filter(pk=pk).first() if pk else None
    if pk and grade is None:
        raise Http404
    return _catalogue_form(
        request,
        forms.GradeForm,
        grade,
        lambda d: services.grade_save(actor=request.user, data=d, grade=grade),
        _("500精英计划等级"),
    )
