from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingxiang.core.documents import qr_svg, verification_url
from jingxiang.core.excel import xlsx_response
from jingxiang.core.forms import add_service_error, flash_refusal
from jingxiang.core.links import absolute_url
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
from jingxiang.jobs.services import job_enqueue
from jingxiang.lab import conformance, forms, services, texts
from jingxiang.lab.documents import report_pdf
from jingxiang.lab.filters import (
    BrandFilter,
    InstrumentFilter,
    ProductLineFilter,
    ReportFilter,
    RequestFilter,
    SampleFilter,
)
from jingxiang.lab.imports import ResultBatchImport
from jingxiang.lab.models import (
    PRODUCT_TYPE_CHOICES,
    PRODUCT_TYPE_LABELS,
    BrandAuthorisation,
    BrandStatus,
    FieldTest,
    Instrument,
    ProductLine,
    Report,
    ReportStatus,
    RuleConfirmation,
    RulesFile,
    Sample,
    SampleStatus,
    TestRequest,
)
from jingxiang.lab.permissions import (
    access_brand,
    access_instrument,
    access_product_line,
    access_report,
    access_request,
    access_sample,
    is_lab_staff,
    lab_ids,
    may_cancel_request,
    may_enter_results,
    may_record_field_test,
    may_request,
    may_review,
    uses_lab,
)
from jingxiang.lab.selectors import quality_picture
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import FIRM_PEOPLE, firm_ids, is_operator


def _require(condition: bool) -> None:
    if not condition:
        raise Http404


def _list_context(request: HttpRequest, filterset: Any, page: Any, sort: str, **extra: Any) -> dict[str, Any]:
    return {
        "filterset": filterset,
        "page": page,
        "sort": sort,
        "query": query_without(request, "page"),
        "query_nosort": query_without(request, "page", "sort"),
        **extra,
    }


# Requests ---------------------------------------------------------------------------------------

REQUEST_EXPORT = (
    ExportColumn(_("委托编号"), lambda r: r.number),
    ExportColumn(_("委托企业"), lambda r: r.firm.name),
    ExportColumn(_("检测机构"), lambda r: r.lab.name),
    ExportColumn(_("产品线"), lambda r: r.product_line.name),
    ExportColumn(_("产品名称/型号"), lambda r: r.product_name),
    ExportColumn(_("产品类型"), lambda r: r.product_type_label),
    ExportColumn(_("检测依据"), lambda r: r.standard.removeprefix(conformance.SERIES_PREFIX)),
    ExportColumn(_("样品数量"), lambda r: r.quantity),
    ExportColumn(_("状态"), lambda r: r.get_status_display()),
    ExportColumn(_("提交时间"), lambda r: r.created_at),
)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    _require(uses_lab(request.user))
    queryset = TestRequest.objects.visible_to(request.user).select_related("firm", "lab", "product_line")
    filterset = RequestFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["created_at", "number", "status"], "-created_at")
    if wants_export(request):
        return export_queryset("test-requests", queryset, REQUEST_EXPORT)
    page = paginate(request, queryset)
    context = _list_context(request, filterset, page, sort, can_request=may_request(request.user))
    return render_page(request, "lab/request_list.html", context, partial="lab/_request_table.html")


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    _require(may_request(request.user))
    product_type = request.GET.get("product_type") or request.POST.get("product_type") or ""
    if product_type not in PRODUCT_TYPE_LABELS:
        start = forms.RequestStartForm(request.GET or None)
        return render_page(request, "lab/request_start.html", {"form": start})
    firms = Organisation.objects.filter(pk__in=firm_ids(request.user, *FIRM_PEOPLE))
    form = forms.RequestForm(request.POST or None, product_type=product_type, firms=firms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            test_request = services.request_submit(
                actor=request.user,
                firm=data["firm"],
                lab=data["lab"],
                product_type=product_type,
                product_line_name=data["product_line_name"],
                product_name=data["product_name"],
                standard=data["standard"],
                items=data["items"],
                quantity=data["quantity"],
                nominal_note=data["nominal_note"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("委托已提交,等待实验室收样。"))
            return redirect("lab:request_detail", pk=test_request.pk)
    return render_page(
        request,
        "lab/request_form.html",
        {"form": form, "product_type_label": PRODUCT_TYPE_LABELS[product_type]},
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    test_request = access_request(request.user, pk)
    is_lab = test_request.lab_id in lab_ids(request.user)
    samples = list(
        test_request.samples.select_related("technician").prefetch_related(
            Prefetch(
                "reports", queryset=Report.objects.filter(status=ReportStatus.VALID), to_attr="valid_reports"
            )
        )
    )
    return render_page(
        request,
        "lab/request_detail.html",
        {
            "req": test_request,
            "samples": samples,
            "is_lab": is_lab,
            "can_register": is_lab
            and test_request.status in {"submitted", "in_progress"}
            and len(samples) < test_request.quantity,
            "can_cancel": may_cancel_request(request.user, test_request),
            "register_form": forms.SampleRegisterForm(),
            "standard_label": test_request.standard.removeprefix(conformance.SERIES_PREFIX),
            "by_edition_in_force": test_request.standard.startswith(conformance.SERIES_PREFIX),
            "timeline": audit_timeline(test_request),
        },
    )


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    test_request = access_request(request.user, pk)
    try:
        services.request_cancel(actor=request.user, request=test_request)
    except (ValidationError, PermissionDenied) as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("委托已撤回。"))
    return redirect("lab:request_detail", pk=pk)


@login_required
@require_POST
def sample_register(request: HttpRequest, pk: int) -> HttpResponse:
    test_request = access_request(request.user, pk, write=True)
    form = forms.SampleRegisterForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("lab:request_detail", pk=pk)
    try:
        sample = services.sample_register(actor=request.user, request=test_request, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        flash_refusal(request, error)
        return redirect("lab:request_detail", pk=pk)
    messages.success(request, _("样品已登记:%(c)s。请打印样品标签贴在样品上。") % {"c": sample.code})
    return redirect("lab:sample_detail", pk=sample.pk)


# Samples ----------------------------------------------------------------------------------------

SAMPLE_EXPORT = (
    ExportColumn(_("样品编号"), lambda s: s.code),
    ExportColumn(_("委托编号"), lambda s: s.request.number),
    ExportColumn(_("委托企业"), lambda s: s.request.firm.name),
    ExportColumn(_("产品"), lambda s: s.request.product_name),
    ExportColumn(_("状态"), lambda s: s.get_status_display()),
    ExportColumn(_("流转状态"), lambda s: s.get_custody_state_display()),
    ExportColumn(_("检测人员"), lambda s: str(s.technician or "")),
    ExportColumn(_("自动判定"), lambda s: s.overall),
    ExportColumn(_("登记时间"), lambda s: s.created_at),
)


@login_required
def sample_list(request: HttpRequest) -> HttpResponse:
    _require(uses_lab(request.user))
    queryset = Sample.objects.visible_to(request.user).select_related(
        "request", "request__firm", "technician"
    )
    filterset = SampleFilter(request.GET, queryset=queryset, request=request)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["created_at", "code", "status"], "-created_at")
    if wants_export(request):
        return export_queryset("samples", queryset, SAMPLE_EXPORT)
    page = paginate(request, queryset)
    context = _list_context(request, filterset, page, sort, is_lab=is_lab_staff(request.user))
    return render_page(request, "lab/sample_list.html", context, partial="lab/_sample_table.html")


def _next_actor(sample: Sample) -> str:
    lab = sample.request.lab.name
    if sample.status == SampleStatus.AWAITING_REVIEW:
        return _("等待 %(lab)s 另一位检测人员审核(录入人:%(who)s)") % {"lab": lab, "who": sample.entered_by}
    if sample.status in {SampleStatus.REGISTERED, SampleStatus.IN_TEST, SampleStatus.CORRECTION}:
        who = sample.technician or _("待分派的检测人员")
        return _("等待 %(lab)s %(who)s 录入检测结果") % {"lab": lab, "who": who}
    return ""


@login_required
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sample = access_sample(request.user, pk)
    is_lab = sample.request.lab_id in lab_ids(request.user)
    reports = list(sample.reports.select_related("approved_by").order_by("-version"))
    indicative = conformance.failing_indicative(sample.verdict) if sample.verdict else []
    return render_page(
        request,
        "lab/sample_detail.html",
        {
            "sample": sample,
            "req": sample.request,
            "is_lab": is_lab,
            "events": sample.custody_events.select_related("actor"),
            "reports": reports,
            "verdict": sample.verdict,
            "can_enter": may_enter_results(request.user, sample),
            "can_review": may_review(request.user, sample),
            "same_person": is_lab
            and sample.status == SampleStatus.AWAITING_REVIEW
            and sample.entered_by_id == request.user.pk,
            "custody_form": forms.CustodyForm() if is_lab else None,
            "assign_form": forms.AssignForm(lab_id=sample.request.lab_id) if is_lab else None,
            "review_form": forms.ReviewForm(indicative=indicative),
            "next_actor": _next_actor(sample),
            "timeline": audit_timeline(sample),
        },
    )


@login_required
def sample_label(request: HttpRequest, pk: int) -> HttpResponse:
    """Print-friendly sample label with a QR code to the sample's page."""
    sample = access_sample(request.user, pk, write=True)
    url = absolute_url(reverse("lab:sample_detail", args=[sample.pk]), request)
    return render_page(
        request,
        "lab/sample_label.html",
        {"sample": sample, "req": sample.request, "qr": qr_svg(url, scale=3)},
    )


@login_required
@require_POST
def custody_record(request: HttpRequest, pk: int) -> HttpResponse:
    sample = access_sample(request.user, pk, write=True)
    form = forms.CustodyForm(request.POST)
    if form.is_valid():
        try:
            services.custody_record(actor=request.user, sample=sample, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            flash_refusal(request, error)
        else:
            messages.success(request, _("已记录样品流转。"))
    else:
        messages.error(request, _("请选择流转环节。"))
    return redirect("lab:sample_detail", pk=pk)


@login_required
@require_POST
def sample_assign(request: HttpRequest, pk: int) -> HttpResponse:
    sample = access_sample(request.user, pk, write=True)
    form = forms.AssignForm(request.POST, lab_id=sample.request.lab_id)
    if form.is_valid():
        try:
            services.sample_assign(
                actor=request.user, sample=sample, technician=form.cleaned_data["technician"]
            )
        except (ValidationError, PermissionDenied) as error:
            flash_refusal(request, error)
        else:
            messages.success(request, _("已分派。"))
    else:
        messages.error(request, _("请选择本实验室的检测人员。"))
    return redirect("lab:sample_detail", pk=pk)


@login_required
def results_enter(request: HttpRequest, pk: int) -> HttpResponse:
    sample = access_sample(request.user, pk, write=True)
    if not may_enter_results(request.user, sample):
        messages.error(request, _("样品当前为“%(s)s”,不能录入结果。") % {"s": sample.get_status_display()})
        return redirect("lab:sample_detail", pk=pk)
    # The test date decides the edition in force, so it can come from the form or the query string.
    day = sample.test_date or timezone.localdate()
    chosen = request.POST.get("test_date") if request.method == "POST" else request.GET.get("test_date")
    if chosen:
        try:
            day = min(datetime.date.fromisoformat(chosen), timezone.localdate())
        except ValueError:
            day = timezone.localdate()
    try:
        designation = services.sample_designation(sample, day)
    except ValidationError as error:
        return render_page(
            request,
            "lab/results_form.html",
            {"sample": sample, "req": sample.request, "blocked": error.messages},
        )
    items, entry_fields = conformance.catalogue(
        sample.request.product_type, designation, sample.request.item_ids
    )
    initial = conformance.flatten_values(entry_fields, sample.nominal, sample.measured)
    initial.update(
        test_date=day,
        instrument=sample.instrument_id,
        length_unit=sample.units.get("length", "mm"),
        transmittance_unit=sample.units.get("transmittance", "percent"),
    )
    form = forms.ResultsForm(
        request.POST or None,
        initial=initial,
        lab_id=sample.request.lab_id,
        entry_fields=entry_fields,
        actor=request.user,
    )
    form.received_on = services.sample_received_on(sample)
    if request.method == "POST" and form.is_valid():
        nominal, measured = conformance.split_values(entry_fields, form.cleaned_data)
        submit = request.POST.get("action") == "submit"
        try:
            services.results_enter(
                actor=request.user,
                sample=sample,
                test_date=form.cleaned_data["test_date"],
                instrument=form.cleaned_data["instrument"],
                nominal=nominal,
                measured=measured,
                units=form.units(),
                submit=submit,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已提交审核。") if submit else _("已保存,自动判定已更新。"))
            return redirect("lab:sample_detail", pk=pk)
    return render_page(
        request,
        "lab/results_form.html",
        {
            "sample": sample,
            "req": sample.request,
            "form": form,
            "items": items,
            "designation": designation,
            "nominal_fields": [form[f.key] for f in entry_fields if f.role == "nominal"],
            "measured_fields": [form[f.key] for f in entry_fields if f.role == "measured"],
        },
    )


@login_required
@require_POST
def sample_review(request: HttpRequest, pk: int) -> HttpResponse:
    sample = access_sample(request.user, pk, write=True)
    form = forms.ReviewForm(request.POST, indicative=conformance.failing_indicative(sample.verdict or {}))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("lab:sample_detail", pk=pk)
    try:
        report = services.result_review(
            actor=request.user,
            sample=sample,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
            confirmed_rules=form.cleaned_data.get("confirmed_rules") or [],
        )
    except (ValidationError, PermissionDenied) as error:
        flash_refusal(request, error)
        return redirect("lab:sample_detail", pk=pk)
    if report is None:
        messages.success(request, _("已退回录入人。"))
        return redirect("lab:sample_detail", pk=pk)
    messages.success(request, _("报告已签发:%(n)s。") % {"n": report.display_number})
    return redirect("lab:report_detail", pk=report.pk)


# Reports ----------------------------------------------------------------------------------------

REPORT_EXPORT = (
    ExportColumn(_("报告编号"), lambda r: r.display_number),
    ExportColumn(_("版本状态"), lambda r: r.get_status_display()),
    ExportColumn(_("委托企业"), lambda r: r.firm.name),
    ExportColumn(_("检测机构"), lambda r: r.lab.name),
    ExportColumn(_("产品线"), lambda r: r.product_line.name),
    ExportColumn(_("产品类型"), lambda r: r.product_type_label),
    ExportColumn(_("检测依据"), lambda r: r.designation),
    ExportColumn(_("检测日期"), lambda r: r.test_date),
    ExportColumn(_("结论"), lambda r: r.get_overall_display()),
    ExportColumn(_("签发时间"), lambda r: r.issued_at),
)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _require(uses_lab(request.user))
    queryset = Report.objects.visible_to(request.user).select_related("firm", "lab", "product_line", "sample")
    filterset = ReportFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["issued_at", "number", "test_date"], "-issued_at")
    if wants_export(request):
        return export_queryset("test-reports", queryset, REPORT_EXPORT)
    page = paginate(request, queryset)
    return render_page(
        request,
        "lab/report_list.html",
        _list_context(request, filterset, page, sort),
        partial="lab/_report_table.html",
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    is_lab = report.lab_id in lab_ids(request.user)
    return render_page(
        request,
        "lab/report_detail.html",
        {
            "report": report,
            "items": report.result_items.all(),
            "versions": Report.objects.filter(sample=report.sample).order_by("-version"),
            "can_correct": is_lab
            and report.status == ReportStatus.VALID
            and report.sample.status == SampleStatus.APPROVED,
            "correction_form": forms.CorrectionForm(),
            "verify_url": verification_url("report", report.verify_code),
            "qr": qr_svg(verification_url("report", report.verify_code), scale=3),
            "timeline": audit_timeline(report),
        },
    )


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.display_number}.pdf"'
    return response


@login_required
@require_POST
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    _require(report.lab_id in lab_ids(request.user))
    form = forms.CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明更正原因,它会印在新版本报告上。"))
        return redirect("lab:report_detail", pk=pk)
    try:
        sample = services.report_correct(
            actor=request.user, report=report, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        flash_refusal(request, error)
        return redirect("lab:report_detail", pk=pk)
    messages.success(request, _("已开始更正:请重新录入并提交审核,批准后将签发新版本报告。"))
    return redirect("lab:results_enter", pk=sample.pk)


# Instruments ------------------------------------------------------------------------------------

INSTRUMENT_EXPORT = (
    ExportColumn(_("仪器名称"), lambda i: i.name),
    ExportColumn(_("型号"), lambda i: i.model_number),
    ExportColumn(_("出厂编号"), lambda i: i.serial),
    ExportColumn(_("实验室"), lambda i: i.lab.name),
    ExportColumn(_("校准有效期至"), lambda i: i.calibration_due),
)


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    _require(is_lab_staff(request.user) or is_operator(request.user))
    queryset = Instrument.objects.visible_to(request.user).select_related("lab")
    filterset = InstrumentFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["name", "calibration_due", "serial"], "calibration_due")
    if wants_export(request):
        return export_queryset("instruments", queryset, INSTRUMENT_EXPORT)
    labs = lab_ids(request.user)
    form = forms.InstrumentForm(request.POST or None)
    if request.method == "POST":
        _require(bool(labs))
        if form.is_valid():
            lab = Organisation.objects.get(pk=min(labs))
            try:
                services.instrument_register(actor=request.user, lab=lab, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("仪器已登记。"))
                return redirect("lab:instrument_list")
    page = paginate(request, queryset)
    context = _list_context(
        request, filterset, page, sort, form=form if labs else None, today=timezone.localdate()
    )
    return render_page(request, "lab/instrument_list.html", context, partial="lab/_instrument_table.html")


@login_required
def instrument_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = access_instrument(request.user, pk, write=True)
    form = forms.RecalibrateForm(
        request.POST or None, initial={"calibration_due": instrument.calibration_due}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.instrument_recalibrate(actor=request.user, instrument=instrument, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("校准有效期已更新。"))
            return redirect("lab:instrument_list")
    return render_page(
        request,
        "lab/instrument_edit.html",
        {"form": form, "instrument": instrument, "timeline": audit_timeline(instrument)},
    )


# Standards (rules files) ------------------------------------------------------------------------


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    _require(uses_lab(request.user))
    reg = conformance.registry()
    uploads = {f.designation: f for f in RulesFile.objects.active()}
    today = timezone.localdate()
    editions = [
        {
            "designation": d.designation,
            "title": conformance.document_title(d),
            "period": conformance.period_zh(d),
            "in_force": d.in_force_on(today),
            "mandatory": d.mandatory,
            "types": [PRODUCT_TYPE_LABELS.get(p.value, p.value) for p in sorted(d.product_types)],
            "items": len(d.items),
            "upload": uploads.get(d.designation),
        }
        for d in sorted(reg.documents, key=lambda d: d.designation)
    ]
    operator = is_operator(request.user)
    form = forms.RulesUploadForm(request.POST or None, request.FILES or None) if operator else None
    if request.method == "POST":
        _require(operator)
        assert form is not None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rules_file = services.rules_upload(actor=request.user, filename=upload.name, text=upload.text)
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("标准 %(d)s 已上传并生效。") % {"d": rules_file.designation})
                return redirect("lab:standard_list")
    return render_page(
        request, "lab/standard_list.html", {"editions": editions, "form": form, "is_operator": operator}
    )


@login_required
@require_POST
def standard_archive(request: HttpRequest, pk: int) -> HttpResponse:
    _require(is_operator(request.user))
    rules_file = RulesFile.objects.active().filter(pk=pk).first()
    _require(rules_file is not None)
    services.rules_archive(actor=request.user, rules_file=rules_file)
    messages.success(request, _("已停用该规则文件。"))
    return redirect("lab:standard_list")


@login_required
def standard_detail(request: HttpRequest) -> HttpResponse:
    """One edition's items (with how sure each value is) and the operators' confirmations of U rules."""
    _require(uses_lab(request.user))
    document = conformance.registry().find(request.GET.get("designation", "")[:60])
    _require(document is not None)
    confirmations = {
        c.rule_id: c
        for c in RuleConfirmation.objects.active()
        .filter(designation=document.designation)
        .select_related("confirmed_by")
    }
    operator = is_operator(request.user)
    form = forms.RuleConfirmForm(request.POST or None) if operator else None
    if request.method == "POST":
        _require(operator)
        assert form is not None
        if form.is_valid():
            try:
                services.rule_confirm(
                    actor=request.user, designation=document.designation, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                flash_refusal(request, error)
            else:
                messages.success(request, _("已确认:该规则今后计入判定结论。"))
            return redirect(_edition_url(document.designation))
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    items = [
        {
            "id": item.id,
            "label": item.label_zh,
            "clause": item.clause,
            "certainty": item.certainty.value,
            "mandatory": item.mandatory,
            "types": [PRODUCT_TYPE_LABELS.get(p.value, p.value) for p in sorted(item.product_types)],
            "confirmation": confirmations.get(item.id),
            "note": item.note,
        }
        for item in document.items
    ]
    return render_page(
        request,
        "lab/standard_detail.html",
        {
            "document": document,
            "period": conformance.period_zh(document),
            "items": items,
            "is_operator": operator,
            "form": form,
        },
    )


@login_required
@require_POST
def rule_unconfirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require(is_operator(request.user))
    confirmation = RuleConfirmation.objects.active().filter(pk=pk).first()
    _require(confirmation is not None)
    services.rule_unconfirm(actor=request.user, confirmation=confirmation)
    messages.success(request, _("已撤销确认:该规则恢复为参考性。"))
    return redirect(_edition_url(confirmation.designation))


def _edition_url(designation: str) -> str:
    return f"{reverse('lab:standard_detail')}?{urlencode({'designation': designation})}"


# Batch entry ------------------------------------------------------------------------------------


@login_required
def batch_upload(request: HttpRequest) -> HttpResponse:
    _require(is_lab_staff(request.user))
    form = forms.BatchUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_enqueue(
            kind="lab_results_batch",
            title=texts.BATCH_TITLE(f=upload.name),
            created_by=request.user,
            params={"submit": request.POST.get("submit") == "1"},
            input_file=upload,
        )
        return redirect("jobs:detail", pk=job.pk)
    return render_page(request, "lab/batch_upload.html", {"form": form, "spec": ResultBatchImport()})


@login_required
def batch_template(request: HttpRequest) -> HttpResponse:
    _require(is_lab_staff(request.user))
    return xlsx_response("lab-results-template", ResultBatchImport().template())


# Quality picture --------------------------------------------------------------------------------


def _quality_filters(request: HttpRequest) -> tuple[str, int | None]:
    product_type = request.GET.get("product_type", "")
    if product_type not in PRODUCT_TYPE_LABELS:
        product_type = ""
    try:
        year = int(request.GET.get("year", "")) if request.GET.get("year") else None
    except ValueError:
        year = None
    if year is not None and not 2000 <= year <= 2100:
        year = None
    return product_type, year


@login_required
def quality(request: HttpRequest) -> HttpResponse:
    """Operators see the cluster (with firms); a firm sees its own history; a lab its own reports."""
    _require(uses_lab(request.user))
    product_type, year = _quality_filters(request)
    operator = is_operator(request.user)
    reports = Report.objects.visible_to(request.user)
    if not operator and firm_ids(request.user):
        reports = reports.filter(firm_id__in=firm_ids(request.user))
    picture = quality_picture(reports, with_firms=operator, product_type=product_type, year=year)
    scope = _("全集群") if operator else (_("本企业") if firm_ids(request.user) else _("本实验室"))
    return render_page(
        request,
        "lab/quality.html",
        {
            "picture": picture,
            "scope": scope,
            "types": PRODUCT_TYPE_CHOICES,
            "product_type": product_type,
            "year": year or "",
            "public": False,
        },
    )


def quality_public(request: HttpRequest) -> HttpResponse:
    """The cluster's anonymised quality picture: no firm names, public."""
    product_type, year = _quality_filters(request)
    picture = quality_picture(Report.objects.all(), with_firms=False, product_type=product_type, year=year)
    active_brands = BrandAuthorisation.objects.filter(status=BrandStatus.ACTIVE).count()
    return render_page(
        request,
        "lab/quality.html",
        {
            "picture": picture,
            "scope": _("杜桥眼镜产业集群(匿名汇总)"),
            "types": PRODUCT_TYPE_CHOICES,
            "product_type": product_type,
            "year": year or "",
            "public": True,
            "active_brands": active_brands,
        },
    )


# Product lines, field tests ---------------------------------------------------------------------

LINE_EXPORT = (
    ExportColumn(_("产品线"), lambda p: p.name),
    ExportColumn(_("企业"), lambda p: p.firm.name),
    ExportColumn(_("产品类型"), lambda p: str(PRODUCT_TYPE_LABELS.get(p.product_type, p.product_type))),
    ExportColumn(_("创建时间"), lambda p: p.created_at),
)


@login_required
def product_line_list(request: HttpRequest) -> HttpResponse:
    _require(uses_lab(request.user))
    queryset = ProductLine.objects.visible_to(request.user).select_related("firm")
    filterset = ProductLineFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["name", "created_at"], "name")
    if wants_export(request):
        return export_queryset("product-lines", queryset, LINE_EXPORT)
    page = paginate(request, queryset)
    return render_page(
        request,
        "lab/product_line_list.html",
        _list_context(request, filterset, page, sort),
        partial="lab/_product_line_table.html",
    )


@login_required
def product_line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = access_product_line(request.user, pk)
    reports = Report.objects.visible_to(request.user).filter(product_line=line).select_related("lab")
    _evidence, problem = services.brand_evidence(line)
    return render_page(
        request,
        "lab/product_line_detail.html",
        {
            "line": line,
            "reports": reports[:50],
            "brands": BrandAuthorisation.objects.visible_to(request.user).filter(product_line=line),
            "field_tests": FieldTest.objects.filter(product_line=line).select_related("recorded_by"),
            "can_field_test": may_record_field_test(request.user, line),
            "can_apply": line.firm_id in firm_ids(request.user, *FIRM_PEOPLE) and problem is None,
            "brand_problem": problem if line.firm_id in firm_ids(request.user) else None,
            "picture": quality_picture(reports),
        },
    )


@login_required
def field_test_create(request: HttpRequest, pk: int) -> HttpResponse:
    line = access_product_line(request.user, pk)
    _require(may_record_field_test(request.user, line))
    form = forms.FieldTestForm(request.POST or None, initial={"test_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.field_test_record(actor=request.user, product_line=line, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("实地测试记录已保存。"))
            return redirect("lab:product_line_detail", pk=line.pk)
    return render_page(request, "lab/field_test_form.html", {"form": form, "line": line})


# Regional brand ---------------------------------------------------------------------------------

BRAND_EXPORT = (
    ExportColumn(_("授权编号"), lambda b: b.number or ""),
    ExportColumn(_("企业"), lambda b: b.firm.name),
    ExportColumn(_("产品线"), lambda b: b.product_line.name),
    ExportColumn(_("状态"), lambda b: b.get_status_display()),
    ExportColumn(_("有效期至"), lambda b: b.valid_until),
    ExportColumn(_("申请时间"), lambda b: b.created_at),
)


@login_required
def brand_list(request: HttpRequest) -> HttpResponse:
    _require(is_operator(request.user) or bool(firm_ids(request.user)))
    queryset = BrandAuthorisation.objects.visible_to(request.user).select_related("firm", "product_line")
    filterset = BrandFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["created_at", "valid_until", "number"], "-created_at")
    if wants_export(request):
        return export_queryset("brand-authorisations", queryset, BRAND_EXPORT)
    page = paginate(request, queryset)
    context = _list_context(
        request, filterset, page, sort, can_apply=bool(firm_ids(request.user, *FIRM_PEOPLE))
    )
    return render_page(request, "lab/brand_list.html", context, partial="lab/_brand_table.html")


@login_required
def brand_apply(request: HttpRequest) -> HttpResponse:
    firms = firm_ids(request.user, *FIRM_PEOPLE)
    _require(bool(firms))
    lines = ProductLine.objects.active().filter(firm_id__in=firms)
    initial = {"product_line": request.GET.get("line")} if request.GET.get("line", "").isdigit() else {}
    form = forms.BrandApplyForm(request.POST or None, lines=lines, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            brand = services.brand_apply(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("申请已提交,等待平台运营审批。"))
            return redirect("lab:brand_detail", pk=brand.pk)
    return render_page(
        request, "lab/brand_apply.html", {"form": form, "months": services.brand_evidence_months()}
    )


@login_required
def brand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    brand = access_brand(request.user, pk)
    operator = is_operator(request.user)
    return render_page(
        request,
        "lab/brand_detail.html",
        {
            "brand": brand,
            "evidence": brand.evidence.select_related("lab").order_by("-issued_at"),
            "can_review": operator and brand.status == BrandStatus.PENDING,
            "review_form": forms.BrandReviewForm(),
            "verify_url": verification_url("brand", brand.verify_code) if brand.verify_code else "",
            "qr": qr_svg(verification_url("brand", brand.verify_code), scale=3) if brand.verify_code else "",
            "timeline": audit_timeline(brand),
        },
    )


@login_required
@require_POST
def brand_review(request: HttpRequest, pk: int) -> HttpResponse:
    brand = access_brand(request.user, pk, write=True)
    form = forms.BrandReviewForm(request.POST)
    if form.is_valid():
        try:
            services.brand_review(
                actor=request.user,
                brand=brand,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            flash_refusal(request, error)
        else:
            messages.success(request, _("审批结果已保存并通知企业。"))
    else:
        messages.error(request, _("请选择审批结论。"))
    return redirect("lab:brand_detail", pk=pk)


@login_required
def brand_print(request: HttpRequest, pk: int) -> HttpResponse:
    brand = access_brand(request.user, pk)
    _require(bool(brand.verify_code))
    url = verification_url("brand", brand.verify_code)
    return render_page(
        request, "lab/brand_print.html", {"brand": brand, "qr": qr_svg(url, scale=4), "verify_url": url}
    )
