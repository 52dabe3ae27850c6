"""Thin views of 权益链: parse, access, call a service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jingxiang.core.charts import Chart, Series, chart_export_response
from jingxiang.core.excel import export_response, xlsx_response
from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.identifiers import mask_name
from jingxiang.jobs.services import job_enqueue
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import is_union_staff, managed_firm_ids
from jingxiang.wagenorms import filters, forms, selectors, services, texts
from jingxiang.wagenorms.engine import agreement_of, problem_text
from jingxiang.wagenorms.imports import firm_template
from jingxiang.wagenorms.models import AgreementStatus, NegotiationRound, WageAgreement, WageLine, WageReport
from jingxiang.wagenorms.permissions import (
    access_agreement,
    access_line,
    access_report,
    aggregate_lines,
    agreements_visible_to,
    may_reveal_wage,
    represents_employers,
    sees_aggregates,
    sees_wage_pages,
)
from jingxiang.wages import RowsRejectedError, check_values


def _need(condition: bool) -> None:
    if not condition:
        raise Http404


def _form(
    request: HttpRequest, form: Any, save: Any, *, done: Any, title: str, back: str, **context: Any
) -> HttpResponse:
    return form_page(
        request,
        form,
        save=save,
        success_url=done,
        context={"title": title, "back": back, "submit_label": _("提交"), **context},
    )


# -- agreements -----------------------------------------------------------------------------------

AGREEMENT_LIST = ListSpec(
    template="wagenorms/agreement_list.html",
    partial="wagenorms/_agreement_table.html",
    sort=("number", "effective_from"),
    export=Export(
        "wage-agreements",
        [
            ExportColumn(gettext_lazy("协议编号"), lambda a: a.number),
            ExportColumn(gettext_lazy("协议名称"), lambda a: a.title),
            ExportColumn(gettext_lazy("状态"), lambda a: a.get_status_display()),
            ExportColumn(gettext_lazy("生效日期"), lambda a: a.effective_from),
            ExportColumn(gettext_lazy("到期日期"), lambda a: a.expires_on),
        ],
    ),
)


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        agreements_visible_to(request.user),
        AGREEMENT_LIST,
        {"may_manage": is_union_staff(request.user)},
    )


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    _need(is_union_staff(request.user))
    return _form(
        request,
        forms.AgreementForm(request.POST or None),
        lambda data: services.agreement_create(actor=request.user, **data),
        done=lambda agreement: reverse("wagenorms:agreement", args=[agreement.pk]),
        title=_("新建能级工资协议"),
        back=reverse("wagenorms:agreements"),
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk)
    versions = list(agreement.versions.order_by("number"))
    current = versions[-1] if versions else None
    norms: list[dict[str, Any]] = []
    if current is not None:
        engine_agreement = agreement_of(current)
        for term in engine_agreement.terms:
            for post in engine_agreement.posts:
                norms.append({"term": term.id, "post": post.name_zh, "class": post.post_class.name_zh})
    context = {
        "agreement": agreement,
        "versions": versions,
        "current": current,
        "rounds": agreement.rounds.order_by("number"),
        "votes": agreement.votes.order_by("-pk"),
        "may_manage": is_union_staff(request.user),
        "represents_employers": represents_employers(request.user, agreement),
        "posts": agreement_of(current).posts if current else (),
    }
    return render_page(request, "wagenorms/agreement_detail.html", context)


@login_required
@require_POST
def round_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The industry association confirms a round's minutes (the employer side's signature on them)."""
    negotiation_round = get_object_or_404(NegotiationRound, pk=pk)
    agreement = access_agreement(request.user, negotiation_round.agreement_id)
    _need(represents_employers(request.user, agreement))
    form = forms.RoundConfirmForm(request.POST)
    return action(
        request,
        lambda: services.round_confirm(
            actor=request.user, negotiation_round=negotiation_round, remark=form.cleaned_data["remark"]
        ),
        success_url=reverse("wagenorms:agreement", args=[agreement.pk]),
        success_message=_("已确认本轮协商纪要。"),
        form=form,
    )


def _manage(request: HttpRequest, pk: int) -> WageAgreement:
    agreement: WageAgreement = access_agreement(request.user, pk, write=True)
    return agreement


@login_required
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _manage(request, pk)
    back = reverse("wagenorms:agreement", args=[pk])
    return _form(
        request,
        forms.RoundForm(request.POST or None),
        lambda data: services.round_record(actor=request.user, agreement=agreement, **data),
        done=back,
        title=_("记录协商轮次"),
        back=back,
    )


@login_required
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _manage(request, pk)
    back = reverse("wagenorms:agreement", args=[pk])
    current = agreement.current_version
    return _form(
        request,
        forms.VersionForm(request.POST or None, initial={"text": current.text if current else ""}),
        lambda data: services.version_add(actor=request.user, agreement=agreement, **data),
        done=back,
        title=_("提交新版本"),
        back=back,
    )


@login_required
def vote_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _manage(request, pk)
    back = reverse("wagenorms:agreement", args=[pk])
    return _form(
        request,
        forms.VoteForm(request.POST or None),
        lambda data: services.vote_record(actor=request.user, agreement=agreement, **data),
        done=back,
        title=_("职工代表表决"),
        back=back,
        intro=_("有效表决需三分之二以上职工代表到会,经到会代表半数以上同意方为通过。"),
    )


@login_required
def filing_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _manage(request, pk)
    back = reverse("wagenorms:agreement", args=[pk])
    return _form(
        request,
        forms.FilingForm(request.POST or None),
        lambda data: services.agreement_file(actor=request.user, agreement=agreement, **data),
        done=back,
        title=_("报送劳动行政部门审查"),
        back=back,
    )


@login_required
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _manage(request, pk)
    back = reverse("wagenorms:agreement", args=[pk])
    return _form(
        request,
        forms.ReviewForm(request.POST or None),
        lambda data: services.agreement_review_result(actor=request.user, agreement=agreement, **data),
        done=back,
        title=_("登记审查结果"),
        back=back,
        intro=_("审查机关自收到文本之日起 15 日内未提出异议的,协议即行生效。"),
    )


@login_required
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk)
    versions = {version.number: version for version in agreement.versions.all()}

    def pick(name: str, fallback: int) -> Any:
        raw = request.GET.get(name, "")
        number = int(raw) if raw.isdigit() else fallback
        return versions.get(number)

    newest = max(versions) if versions else 0
    left, right = pick("a", max(newest - 1, 1)), pick("b", newest)
    _need(left is not None and right is not None)
    return render_page(
        request,
        "wagenorms/version_compare.html",
        {
            "agreement": agreement,
            "left": left,
            "right": right,
            "numbers": sorted(versions),
            "rows": selectors.version_diff(left.text, right.text),
        },
    )


# -- wage reports ---------------------------------------------------------------------------------


def _firm_choices(user: Any) -> list[tuple[int, str]]:
    return list(
        Organisation.objects.filter(pk__in=managed_firm_ids(user)).order_by("name").values_list("pk", "name")
    )


@login_required
def report_upload(request: HttpRequest) -> HttpResponse:
    firms = _firm_choices(request.user)
    _need(bool(firms))
    form = forms.UploadForm(request.POST or None, request.FILES or None, firms=firms)
    if request.method == "POST" and form.is_valid():
        firm = dict(firms)[form.cleaned_data["firm"]]
        job = job_enqueue(
            kind="wagenorms_report",
            title=texts.REPORT_TITLE(firm=firm, file=form.cleaned_data["file"].name),
            created_by=request.user,
            params={"firm_id": form.cleaned_data["firm"]},
            input_file=form.cleaned_data["file"],
        )
        return redirect("jobs:detail", pk=job.pk)
    return render_page(request, "wagenorms/upload.html", {"form": form, "title": _("上传工资表")})


@login_required
def report_template(request: HttpRequest) -> HttpResponse:
    _need(bool(managed_firm_ids(request.user)) or is_union_staff(request.user))
    agreement = (
        WageAgreement.objects.filter(status=AgreementStatus.EFFECTIVE).order_by("-effective_from").first()
    )
    return xlsx_response("wage-report-template", firm_template(agreement))


REPORT_LIST = ListSpec(
    template="wagenorms/report_list.html",
    partial="wagenorms/_report_table.html",
    sort=("created_at",),
    default_sort="-created_at",
    export=Export(
        "wage-reports",
        [
            ExportColumn(gettext_lazy("企业"), lambda r: r.firm.name),
            ExportColumn(gettext_lazy("上传时间"), lambda r: r.created_at),
            ExportColumn(gettext_lazy("行数"), lambda r: r.rows),
            ExportColumn(gettext_lazy("不达标行数"), lambda r: r.failed),
        ],
    ),
)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _need(sees_wage_pages(request.user))
    reports = WageReport.objects.select_related("firm")
    if not is_union_staff(request.user):
        reports = reports.filter(firm_id__in=managed_firm_ids(request.user))
    return list_page(request, reports, REPORT_LIST, {"may_upload": bool(managed_firm_ids(request.user))})


def _line_export() -> Export:
    return Export(
        "wage-lines",
        [
            ExportColumn(gettext_lazy("企业"), lambda line: line.firm.name),
            ExportColumn(gettext_lazy("行号"), lambda line: line.row),
            ExportColumn(gettext_lazy("工号"), lambda line: line.worker_id),
            ExportColumn(gettext_lazy("月份"), lambda line: f"{line.month:%Y-%m}"),
            ExportColumn(gettext_lazy("岗位"), lambda line: line.post),
            ExportColumn(gettext_lazy("认定等级"), lambda line: line.level),
            ExportColumn(gettext_lazy("能级工资标准"), lambda line: line.norm),
            ExportColumn(gettext_lazy("结果"), lambda line: line.get_status_display()),
            ExportColumn(
                gettext_lazy("不达标原因"), lambda line: "; ".join(f["label_zh"] for f in line.failures)
            ),
            ExportColumn(gettext_lazy("企业说明"), lambda line: line.explanation),
        ],
    )


LINE_LIST = ListSpec(
    template="wagenorms/line_list.html",
    partial="wagenorms/_line_table.html",
    filterset=filters.LineFilter,
    sort=("month", "row", "post", "level"),
    default_sort="row",
    export=_line_export(),
    per_page=50,
    prepare=lambda qs: qs.select_related("firm"),
)


def _reveal_context(request: HttpRequest, queryset: Any, page: Any) -> dict[str, Any]:
    """Per line on the page: may this user reveal its figures (logged), may they answer it."""
    managed = managed_firm_ids(request.user)
    for line in page.object_list:
        line.can_reveal = may_reveal_wage(request.user, line)
        line.can_follow_up = line.firm_id in managed
    return {}


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    lines = WageLine.objects.visible_to(request.user).filter(report=report)
    spec = ListSpec(
        **{**LINE_LIST.__dict__, "context_from": lambda qs, page: _reveal_context(request, qs, page)}
    )
    return list_page(request, lines, spec, {"report": report, "title": _("工资报表核查结果")})


@login_required
def line_list(request: HttpRequest) -> HttpResponse:
    _need(sees_wage_pages(request.user))
    lines = WageLine.objects.visible_to(request.user)
    spec = ListSpec(
        **{**LINE_LIST.__dict__, "context_from": lambda qs, page: _reveal_context(request, qs, page)}
    )
    return list_page(request, lines, spec, {"title": _("工资行")})


@login_required
def line_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    line = access_line(request.user, pk, write=True)
    back = reverse("wagenorms:report", args=[line.report_id])
    return _form(
        request,
        forms.FollowUpForm(request.POST or None),
        lambda data: services.line_follow_up(actor=request.user, line=line, **data),
        done=back,
        title=_("处理不达标工资行 第 %(row)s 行") % {"row": line.row},
        back=back,
        intro="; ".join(f"{f['label_zh']}:{_('标准')} {f['required']}" for f in line.failures),
    )


# -- union compliance and statistics --------------------------------------------------------------


def _period_lines(request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    lines = aggregate_lines(request.user)
    form = filters.PeriodForm(request.GET or None)
    month = None
    if form.is_valid() and form.cleaned_data.get("month"):
        month = form.cleaned_data["month"]
        lines = lines.filter(month=month)
    return lines, {"period_form": form, "month": month}


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    _need(sees_aggregates(request.user))
    lines, context = _period_lines(request)
    by = str(request.GET.get("by", ""))
    if by not in ("firm", "post", "level"):
        by = "firm"
    table = selectors.compliance(lines, by)
    if request.GET.get("export") == "xlsx":
        return export_response(
            f"wage-compliance-{by}",
            [_("分组"), _("行数"), _("不达标"), _("未处理"), _("差额合计"), _("职工人数")],
            [[r["key"], r["rows"], r["failed"], r["open"], r["shortfall"], r["workers"]] for r in table],
        )
    chart = Chart(
        key="compliance",
        title=_("不达标行数"),
        kind="bar",
        categories=[str(r["key"]) for r in table],
        series=[
            Series(_("达标"), [r["rows"] - r["failed"] for r in table]),
            Series(_("不达标"), [r["failed"] for r in table]),
        ],
        unit=_("行"),
    )
    month_query = f"&month={context['month']:%Y-%m}" if context["month"] else ""
    # The union drills down to the lines; an association sees the totals only (the lines are wages).
    lines_visible = is_union_staff(request.user)
    for row in table:
        field = {"firm": "firm_name", "post": "post", "level": "level"}[by]
        row["url"] = (
            f"{reverse('wagenorms:lines')}?{field}={row['key']}&failed=true{month_query}"
            if lines_visible
            else ""
        )
    totals = {
        "rows": sum(r["rows"] for r in table),
        "failed": sum(r["failed"] for r in table),
        "workers": selectors.workers_covered(lines),
    }
    return render_page(
        request,
        "wagenorms/compliance.html",
        {**context, "table": table, "by": by, "chart": chart, "totals": totals},
    )


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    _need(sees_wage_pages(request.user) or sees_aggregates(request.user))
    lines, context = _period_lines(request)
    rows = selectors.distribution(lines)
    shown = [r for r in rows if not r["suppressed"]]
    chart = Chart(
        key="distribution",
        title=_("月工资四分位(元)"),
        kind="bar",
        categories=[f"{r['post']} · {r['level']}" for r in shown],
        series=[
            Series(_("下四分位"), [r["q1"] for r in shown]),
            Series(_("中位数"), [r["median"] for r in shown]),
            Series(_("上四分位"), [r["q3"] for r in shown]),
        ],
        unit=_("元"),
    )
    if request.GET.get("export") == "xlsx":
        return chart_export_response(chart, category_header=_("岗位 · 等级"))
    return render_page(
        request,
        "wagenorms/statistics.html",
        {**context, "rows": rows, "chart": chart, "minimum": selectors.MIN_GROUP},
    )


# -- workers --------------------------------------------------------------------------------------


def self_check(request: HttpRequest) -> HttpResponse:
    """Public: a worker checks their pay against the norm. Nothing is stored, not even in the session."""
    today = dt.date.today()
    in_force = list(
        WageAgreement.objects.filter(status=AgreementStatus.EFFECTIVE).order_by("-effective_from")
    )
    regions: dict[str, WageAgreement] = {}
    for agreement in in_force:
        regions.setdefault(agreement_of(agreement.voted_version).region, agreement)
    posts: list[tuple[str, str]] = []
    seen: set[str] = set()
    for agreement in regions.values():
        for post in agreement_of(agreement.voted_version).posts:
            if post.name_zh not in seen:
                seen.add(post.name_zh)
                posts.append((post.name_zh, post.name_zh))
    form = forms.SelfCheckForm(
        request.POST or None,
        posts=posts,
        regions=[(name, name) for name in regions],
        initial={"month": f"{today:%Y-%m}"},
    )
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agreement = regions[data["region"]]
        values = {
            key: str(data[key])
            for key in ("post", "level", "month", "base_wage")
            if data.get(key) is not None
        }
        for key in ("piece_pay", "skill_allowance", "other_pay"):
            if data.get(key) is not None:
                values[key] = str(data[key])
        try:
            result = check_values(agreement_of(agreement.voted_version), values)
        except RowsRejectedError as error:
            for problem in error.problems:
                field = problem.field if problem.field in form.fields else None
                form.add_error(field, problem_text(problem))
    return render_page(
        request, "wagenorms/self_check.html", {"form": form, "result": result, "title": _("工资自查")}
    )


@login_required
def my_months(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    lines = WageLine.objects.filter(talent__user=user).select_related("firm").order_by("-month")
    return render_page(
        request,
        "wagenorms/my_months.html",
        {"lines": lines, "masked_name": mask_name(user.get_full_name())},
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if is_union_staff(request.user):
        return redirect("wagenorms:compliance")
    if managed_firm_ids(request.user):
        return redirect("wagenorms:reports")
    return redirect("wagenorms:me")


__all__ = ["action"]
