from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jingxiang.accounts.actors import SignedInRequest
from jingxiang.core.documents import qr_svg, verification_url
from jingxiang.core.excel import xlsx_response
from jingxiang.core.forms import flash_refusal, refusal_message
from jingxiang.core.links import absolute_url
from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.core.selectors import audit_timeline
from jingxiang.jobs.services import job_enqueue
from jingxiang.lab import conformance, forms, selectors, services, texts
from jingxiang.lab.documents import indicative_decisions, labels_pdf, report_pdf
from jingxiang.lab.filters import (
    BrandDirectoryFilter,
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
    access_rule_confirmation,
    access_rules_file,
    access_sample,
    awaits_another_reviewer,
    brand_apply_refusal,
    brand_lines,
    instrument_lab,
    is_lab_staff,
    may_apply_for_brand,
    may_assign,
    may_cancel_request,
    may_correct_report,
    may_enter_results,
    may_record_field_test,
    may_register_sample,
    may_request,
    may_review,
    may_review_brand,
    quality_reports,
    requesting_firms,
    results_entry_refusal,
    sees_brand,
    sees_instruments,
    uses_lab,
    works_in_lab,
)
from jingxiang.organisations.permissions import firm_ids, is_operator


def _require(condition: bool) -> None:
    if not condition:
        raise Http404


# Requests ---------------------------------------------------------------------------------------

REQUEST_EXPORT = (
    ExportColumn(gettext_lazy("委托编号"), lambda r: r.number),
    ExportColumn(gettext_lazy("委托企业"), lambda r: r.firm.name),
    ExportColumn(gettext_lazy("检测机构"), lambda r: r.lab.name),
    ExportColumn(gettext_lazy("产品线"), lambda r: r.product_line.name),
    ExportColumn(gettext_lazy("产品名称/型号"), lambda r: r.product_name),
    ExportColumn(gettext_lazy("产品类型"), lambda r: r.product_type_label),
    ExportColumn(gettext_lazy("检测依据"), lambda r: r.standard.removeprefix(conformance.SERIES_PREFIX)),
    ExportColumn(gettext_lazy("样品数量"), lambda r: r.quantity),
    ExportColumn(gettext_lazy("状态"), lambda r: r.get_status_display()),
    ExportColumn(gettext_lazy("提交时间"), lambda r: r.created_at),
)

REQUEST_LIST = ListSpec(
    template="lab/request_list.html",
    partial="lab/_request_table.html",
    filterset=RequestFilter,
    sort=("created_at", "number", "status"),
    default_sort="-created_at",
    export=Export("test-requests", REQUEST_EXPORT),
)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    _require(uses_lab(request.user))
    queryset = TestRequest.objects.visible_to(request.user).select_related("firm", "lab", "product_line")
    return list_page(request, queryset, REQUEST_LIST, {"can_request": may_request(request.user)})


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    _require(may_request(request.user))
    product_type = request.GET.get("product_type") or request.POST.get("product_type") or ""
    if product_type not in PRODUCT_TYPE_LABELS:
        start = forms.RequestStartForm(request.GET or None)
        return render_page(request, "lab/request_start.html", {"form": start})
    form = forms.RequestForm(
        request.POST or None, product_type=product_type, firms=requesting_firms(request.user)
    )
    return form_page(
        request,
        form,
        save=lambda data: services.request_submit(
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
            basis=data["basis"],
            contract_reference=data["contract_reference"],
        ),
        template="lab/request_form.html",
        success_url=lambda test_request: reverse("lab:request_detail", args=[test_request.pk]),
        success_message=_("委托已提交,等待实验室收样。"),
        context={
            "title": _("提交检测委托:%(t)s") % {"t": PRODUCT_TYPE_LABELS[product_type]},
            "crumbs": [
                (_("检测委托"), reverse("lab:request_list")),
                (_("产品类型"), reverse("lab:request_create")),
            ],
            "intro": _("第 2 步:检测依据可选具体版本,或“检测日现行有效版本”(由检测日期决定适用的版本)。"),
            "submit_label": _("提交委托"),
            "edition_notices": selectors.edition_notices_for(product_type, timezone.localdate()),
        },
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    test_request = access_request(request.user, pk)
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
            "can_register": may_register_sample(
                request.user, test_request, sum(1 for s in samples if s.parent_id is None)
            ),
            "can_cancel": may_cancel_request(request.user, test_request),
            "register_form": forms.SampleRegisterForm(),
            "standard_label": test_request.standard.removeprefix(conformance.SERIES_PREFIX),
            "by_edition_in_force": test_request.standard.startswith(conformance.SERIES_PREFIX),
            "awaiting_upload": selectors.awaiting_upload(test_request),
            "can_print_labels": bool(samples) and works_in_lab(request.user, test_request.lab_id),
            "next_step": selectors.request_next_step(test_request),
            "timeline": audit_timeline(test_request),
        },
    )


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    test_request = access_request(request.user, pk)
    return action(
        request,
        lambda: services.request_cancel(actor=request.user, request=test_request),
        success_url=reverse("lab:request_detail", args=[pk]),
        success_message=_("委托已撤回。"),
    )


@login_required
@require_POST
def sample_register(request: HttpRequest, pk: int) -> HttpResponse:
    test_request = access_request(request.user, pk, write=True)
    form = forms.SampleRegisterForm(request.POST)
    return action(
        request,
        lambda: services.sample_register(actor=request.user, request=test_request, **form.cleaned_data),
        form=form,
        success_url=lambda sample: reverse("lab:sample_detail", args=[sample.pk]),
        success_message=lambda sample: _("样品已登记:%(c)s。请打印样品标签贴在样品上。") % {"c": sample.code},
        failure_url=reverse("lab:request_detail", args=[pk]),
    )


# Samples ----------------------------------------------------------------------------------------

SAMPLE_EXPORT = (
    ExportColumn(gettext_lazy("样品编号"), lambda s: s.code),
    ExportColumn(gettext_lazy("委托编号"), lambda s: s.request.number),
    ExportColumn(gettext_lazy("委托企业"), lambda s: s.request.firm.name),
    ExportColumn(gettext_lazy("产品"), lambda s: s.request.product_name),
    ExportColumn(gettext_lazy("状态"), lambda s: s.get_status_display()),
    ExportColumn(gettext_lazy("流转状态"), lambda s: s.get_custody_state_display()),
    ExportColumn(gettext_lazy("检测人员"), lambda s: str(s.technician or "")),
    ExportColumn(gettext_lazy("自动判定"), lambda s: s.overall),
    ExportColumn(gettext_lazy("登记时间"), lambda s: s.created_at),
)

SAMPLE_LIST = ListSpec(
    template="lab/sample_list.html",
    partial="lab/_sample_table.html",
    filterset=SampleFilter,
    sort=("created_at", "code", "status"),
    default_sort="-created_at",
    export=Export("samples", SAMPLE_EXPORT),
)


@login_required
def sample_list(request: HttpRequest) -> HttpResponse:
    _require(uses_lab(request.user))
    queryset = Sample.objects.visible_to(request.user).select_related(
        "request", "request__firm", "technician"
    )
    return list_page(
        request,
        queryset,
        SAMPLE_LIST,
        {"is_lab": is_lab_staff(request.user)},
        filter_kwargs={"request": request},
    )


@login_required
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sample = access_sample(request.user, pk)
    is_lab = works_in_lab(request.user, sample.request.lab_id)
    indicative = services.pending_decisions(sample) if sample.status == SampleStatus.AWAITING_REVIEW else []
    return render_page(
        request,
        "lab/sample_detail.html",
        {
            "sample": sample,
            "req": sample.request,
            "is_lab": is_lab,
            "events": sample.custody_events.select_related("actor"),
            "reports": list(sample.reports.select_related("approved_by").order_by("-version")),
            "verdict": sample.verdict,
            "can_enter": may_enter_results(request.user, sample),
            "can_review": may_review(request.user, sample),
            "can_assign": may_assign(request.user, sample),
            "same_person": awaits_another_reviewer(request.user, sample),
            "custody_form": forms.CustodyForm() if is_lab else None,
            "split_form": forms.SplitForm() if is_lab and sample.parent_id is None else None,
            "assign_form": forms.AssignForm(lab_id=sample.request.lab_id) if is_lab else None,
            "review_form": forms.ReviewForm(indicative=indicative, labels=_row_labels(sample.verdict)),
            "pending_decisions": indicative,
            "measurements": list(sample.measurements.select_related("entered_by")),
            "parts": list(sample.parts.all()),
            "next_step": selectors.sample_next_step(sample),
            "timeline": audit_timeline(sample),
        },
    )


def _row_labels(verdict: dict[str, Any] | None) -> dict[str, str]:
    return {item["rule_id"]: item.get("label_zh") or "" for item in (verdict or {}).get("items", [])}


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
def sample_labels_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One 50 × 30 mm label (label printers) for a sample; its QR opens the sample page for staff."""
    sample = access_sample(request.user, pk, write=True)
    return _labels_response(request, [sample], sheet=False, name=sample.code)


@login_required
def request_labels_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A4 sheets (3 × 9 labels of 50 × 30 mm) for every sample and sub-sample of a request."""
    test_request = access_request(request.user, pk, write=True)
    samples = list(test_request.samples.select_related("request").order_by("code"))
    if not samples:
        raise Http404
    return _labels_response(request, samples, sheet=True, name=test_request.number)


def _labels_response(request: HttpRequest, samples: list[Sample], *, sheet: bool, name: str) -> HttpResponse:
    def url_for(sample: Sample) -> str:
        return absolute_url(reverse("lab:sample_detail", args=[sample.pk]), request)

    response = HttpResponse(labels_pdf(samples, url_for, sheet=sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="labels-{name}.pdf"'
    return response


@login_required
@require_POST
def sample_split(request: HttpRequest, pk: int) -> HttpResponse:
    sample = access_sample(request.user, pk, write=True)
    form = forms.SplitForm(request.POST)
    return action(
        request,
        lambda: services.sample_split(actor=request.user, sample=sample, **form.cleaned_data),
        form=form,
        success_url=reverse("lab:sample_detail", args=[pk]),
        success_message=lambda parts: _("已分出子样品:%(c)s。") % {"c": "、".join(p.code for p in parts)},
    )


@login_required
@require_POST
def custody_record(request: HttpRequest, pk: int) -> HttpResponse:
    sample = access_sample(request.user, pk, write=True)
    form = forms.CustodyForm(request.POST)
    return action(
        request,
        lambda: services.custody_record(actor=request.user, sample=sample, **form.cleaned_data),
        form=form,
        success_url=reverse("lab:sample_detail", args=[pk]),
        success_message=_("已记录样品流转。"),
    )


@login_required
@require_POST
def sample_assign(request: HttpRequest, pk: int) -> HttpResponse:
    sample = access_sample(request.user, pk, write=True)
    form = forms.AssignForm(request.POST, lab_id=sample.request.lab_id)
    return action(
        request,
        lambda: services.sample_assign(
            actor=request.user, sample=sample, technician=form.cleaned_data["technician"]
        ),
        form=form,
        success_url=reverse("lab:sample_detail", args=[pk]),
        success_message=_("已分派。"),
    )


@login_required
def results_enter(request: HttpRequest, pk: int) -> HttpResponse:
    sample = access_sample(request.user, pk, write=True)
    refusal = results_entry_refusal(request.user, sample)
    if refusal is not None:
        flash_refusal(request, refusal)
        return redirect("lab:sample_detail", pk=pk)
    # The test date decides the edition in force, so it can come from the form or the query string.
    day = forms.chosen_test_date(
        request.POST.get("test_date") if request.method == "POST" else request.GET.get("test_date"),
        sample.test_date or timezone.localdate(),
    )
    detail = reverse("lab:sample_detail", args=[pk])
    page = {
        "sample": sample,
        "req": sample.request,
        "day": day,
        "title": _("录入检测结果 %(c)s") % {"c": sample.code},
        "crumbs": [
            (sample.request.number, reverse("lab:request_detail", args=[sample.request_id])),
            (sample.code, detail),
        ],
        "back": detail,
    }
    designation = selectors.sample_edition(sample, day)
    if isinstance(designation, ValidationError):
        return render_page(request, "lab/results_form.html", {**page, "blocked": designation.messages})
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
    submit = request.POST.get("action") == "submit"

    def save(data: dict[str, Any]) -> Sample:
        nominal, measured = conformance.split_values(entry_fields, data)
        return services.results_enter(
            actor=request.user,
            sample=sample,
            test_date=data["test_date"],
            instrument=data["instrument"],
            nominal=nominal,
            measured=measured,
            units=form.units(),
            submit=submit,
            instruments=list(data.get("instruments") or []),
            retest_reason=data.get("retest_reason") or "",
        )

    return form_page(
        request,
        form,
        save=save,
        success_url=detail,
        success_message=_("已提交审核。") if submit else _("已保存,自动判定已更新。"),
        template="lab/results_form.html",
        context={
            **page,
            "items": items,
            "designation": designation,
            "buttons": [
                ("action", "save", _("保存并自动判定"), True),
                ("action", "submit", _("提交审核"), False),
            ],
        },
    )


@login_required
@require_POST
def sample_review(request: HttpRequest, pk: int) -> HttpResponse:
    sample = access_sample(request.user, pk, write=True)
    form = forms.ReviewForm(
        request.POST, indicative=services.pending_decisions(sample), labels=_row_labels(sample.verdict)
    )
    detail = reverse("lab:sample_detail", args=[pk])
    return action(
        request,
        lambda: services.result_review(
            actor=request.user,
            sample=sample,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
            confirmed_rules=form.cleaned_data.get("confirmed_rules") or [],
            excluded_rules=form.cleaned_data.get("excluded_rules") or {},
        ),
        form=form,
        success_url=lambda report: reverse("lab:report_detail", args=[report.pk]) if report else detail,
        success_message=lambda report: (
            _("报告已签发:%(n)s。") % {"n": report.display_number} if report else _("已退回录入人。")
        ),
        failure_url=detail,
    )


# Reports ----------------------------------------------------------------------------------------

REPORT_EXPORT = (
    ExportColumn(gettext_lazy("报告编号"), lambda r: r.display_number),
    ExportColumn(gettext_lazy("版本状态"), lambda r: r.get_status_display()),
    ExportColumn(gettext_lazy("委托企业"), lambda r: r.firm.name),
    ExportColumn(gettext_lazy("检测机构"), lambda r: r.lab.name),
    ExportColumn(gettext_lazy("产品线"), lambda r: r.product_line.name),
    ExportColumn(gettext_lazy("产品类型"), lambda r: r.product_type_label),
    ExportColumn(gettext_lazy("检测依据"), lambda r: r.designation),
    ExportColumn(gettext_lazy("检测日期"), lambda r: r.test_date),
    ExportColumn(gettext_lazy("结论"), lambda r: r.get_overall_display()),
    ExportColumn(gettext_lazy("签发时间"), lambda r: r.issued_at),
)

REPORT_LIST = ListSpec(
    template="includes/list_page.html",
    partial="lab/_report_table.html",
    filterset=ReportFilter,
    sort=("issued_at", "number", "test_date"),
    default_sort="-issued_at",
    export=Export("test-reports", REPORT_EXPORT),
)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _require(uses_lab(request.user))
    queryset = Report.objects.visible_to(request.user).select_related("firm", "lab", "product_line", "sample")
    return list_page(request, queryset, REPORT_LIST, {"title": _("检测报告")})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    return render_page(
        request,
        "lab/report_detail.html",
        {
            "report": report,
            "items": report.result_items.all(),
            "indicative_decisions": indicative_decisions(report),
            "versions": selectors.report_versions(report),
            "can_correct": may_correct_report(request.user, report),
            "correction_form": forms.CorrectionForm(),
            "next_step": selectors.report_next_step(report),
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
    report = access_report(request.user, pk, write=True)
    form = forms.CorrectionForm(request.POST)
    return action(
        request,
        lambda: services.report_correct(
            actor=request.user, report=report, reason=form.cleaned_data["reason"]
        ),
        form=form,
        success_url=lambda sample: reverse("lab:results_enter", args=[sample.pk]),
        success_message=_("已开始更正:请重新录入并提交审核,批准后将签发新版本报告。"),
        failure_url=reverse("lab:report_detail", args=[pk]),
    )


# Instruments ------------------------------------------------------------------------------------

INSTRUMENT_EXPORT = (
    ExportColumn(gettext_lazy("仪器名称"), lambda i: i.name),
    ExportColumn(gettext_lazy("型号"), lambda i: i.model_number),
    ExportColumn(gettext_lazy("出厂编号"), lambda i: i.serial),
    ExportColumn(gettext_lazy("实验室"), lambda i: i.lab.name),
    ExportColumn(gettext_lazy("校准有效期至"), lambda i: i.calibration_due),
)

INSTRUMENT_LIST = ListSpec(
    template="lab/instrument_list.html",
    partial="lab/_instrument_table.html",
    filterset=InstrumentFilter,
    sort=("name", "calibration_due", "serial"),
    default_sort="calibration_due",
    export=Export("instruments", INSTRUMENT_EXPORT),
)


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    _require(sees_instruments(request.user))
    queryset = Instrument.objects.visible_to(request.user).select_related("lab")
    form = forms.InstrumentForm() if is_lab_staff(request.user) else None
    return list_page(request, queryset, INSTRUMENT_LIST, {"form": form, "today": timezone.localdate()})


@login_required
def instrument_create(request: HttpRequest) -> HttpResponse:
    lab = instrument_lab(request.user)
    if lab is None:
        raise Http404
    back = reverse("lab:instrument_list")
    return form_page(
        request,
        forms.InstrumentForm(request.POST or None),
        save=lambda data: services.instrument_register(actor=request.user, lab=lab, **data),
        success_url=back,
        success_message=_("仪器已登记。"),
        context={
            "title": _("登记仪器"),
            "back": back,
            "back_label": _("仪器台账"),
            "submit_label": _("登记"),
        },
    )


@login_required
def instrument_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = access_instrument(request.user, pk, write=True)
    form = forms.RecalibrateForm(
        request.POST or None, initial={"calibration_due": instrument.calibration_due}
    )
    back = reverse("lab:instrument_list")
    return form_page(
        request,
        form,
        save=lambda data: services.instrument_recalibrate(actor=request.user, instrument=instrument, **data),
        success_url=back,
        success_message=_("校准有效期已更新。"),
        template="lab/instrument_edit.html",
        context={
            "title": str(instrument),
            "back": back,
            "back_label": _("仪器台账"),
            "intro": _("当前校准有效期至:%(d)s") % {"d": instrument.calibration_due.isoformat()},
            "submit_label": _("更新校准有效期"),
            "timeline": audit_timeline(instrument),
        },
    )


# Standards (rules files) ------------------------------------------------------------------------


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    _require(uses_lab(request.user))
    operator = is_operator(request.user)
    context = {"editions": selectors.editions(timezone.localdate()), "is_operator": operator}
    if not operator:
        _require(request.method != "POST")
        return render_page(request, "lab/standard_list.html", context)
    return form_page(
        request,
        forms.RulesUploadForm(request.POST or None, request.FILES or None),
        save=lambda data: services.rules_upload(
            actor=request.user, filename=data["file"].name, text=data["file"].text
        ),
        success_url=reverse("lab:standard_list"),
        success_message=lambda rules_file: _("标准 %(d)s 已上传并生效。") % {"d": rules_file.designation},
        template="lab/standard_list.html",
        context=context,
    )


@login_required
@require_POST
def standard_archive(request: HttpRequest, pk: int) -> HttpResponse:
    rules_file = access_rules_file(request.user, pk)
    return action(
        request,
        lambda: services.rules_archive(actor=request.user, rules_file=rules_file),
        success_url=reverse("lab:standard_list"),
        success_message=_("已停用该规则文件。"),
    )


def _edition_url(designation: str) -> str:
    return f"{reverse('lab:standard_detail')}?{urlencode({'designation': designation})}"


@login_required
def standard_detail(request: HttpRequest) -> HttpResponse:
    """One edition's items (with how sure each value is) and the operators' confirmations of U rules."""
    _require(uses_lab(request.user))
    document = conformance.registry().find(request.GET.get("designation", "")[:60])
    if document is None:
        raise Http404
    operator = is_operator(request.user)
    if request.method == "POST":
        _require(operator)
        form = forms.RuleConfirmForm(request.POST)
        return action(
            request,
            lambda: services.rule_confirm(
                actor=request.user, designation=document.designation, **form.cleaned_data
            ),
            form=form,
            success_url=_edition_url(document.designation),
            success_message=_("已确认:该规则今后计入判定结论。"),
        )
    return render_page(
        request,
        "lab/standard_detail.html",
        {
            "document": document,
            "period": conformance.period_zh(document),
            "items": selectors.edition_items(document),
            "is_operator": operator,
            "form": forms.RuleConfirmForm() if operator else None,
        },
    )


@login_required
@require_POST
def rule_unconfirm(request: HttpRequest, pk: int) -> HttpResponse:
    confirmation = access_rule_confirmation(request.user, pk)
    return action(
        request,
        lambda: services.rule_unconfirm(actor=request.user, confirmation=confirmation),
        success_url=_edition_url(confirmation.designation),
        success_message=_("已撤销确认:该规则恢复为参考性。"),
    )


# Batch entry ------------------------------------------------------------------------------------


@login_required
def batch_upload(request: HttpRequest) -> HttpResponse:
    _require(is_lab_staff(request.user))
    return form_page(
        request,
        forms.BatchUploadForm(request.POST or None, request.FILES or None),
        save=lambda data: job_enqueue(
            kind="lab_results_batch",
            title=texts.BATCH_TITLE(f=data["file"].name),
            created_by=request.user,
            params={"submit": data["submit"]},
            input_file=data["file"],
        ),
        success_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        template="lab/batch_upload.html",
        context={
            "title": _("批量录入检测结果"),
            "back": reverse("lab:sample_list"),
            "back_label": _("样品工作台"),
            "submit_label": _("上传并校验"),
            "spec": ResultBatchImport(),
        },
    )


@login_required
def batch_template(request: HttpRequest) -> HttpResponse:
    _require(is_lab_staff(request.user))
    return xlsx_response("lab-results-template", ResultBatchImport().template())


# Quality picture --------------------------------------------------------------------------------


def _quality_filters(request: HttpRequest) -> tuple[str, int | None]:
    product_type = request.GET.get("product_type", "")
    if product_type not in PRODUCT_TYPE_LABELS:
        product_type = ""
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    return product_type, year


@login_required
def quality(request: HttpRequest) -> HttpResponse:
    """Operators see the cluster (with firms); a firm sees its own history; a lab its own reports."""
    _require(uses_lab(request.user))
    product_type, year = _quality_filters(request)
    operator = is_operator(request.user)
    picture = selectors.quality_picture(
        quality_reports(request.user), with_firms=operator, product_type=product_type, year=year
    )
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
    picture = selectors.quality_picture(
        Report.objects.all(), with_firms=False, product_type=product_type, year=year
    )
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
    ExportColumn(gettext_lazy("产品线"), lambda p: p.name),
    ExportColumn(gettext_lazy("企业"), lambda p: p.firm.name),
    ExportColumn(
        gettext_lazy("产品类型"), lambda p: str(PRODUCT_TYPE_LABELS.get(p.product_type, p.product_type))
    ),
    ExportColumn(gettext_lazy("创建时间"), lambda p: p.created_at),
)

LINE_LIST = ListSpec(
    template="includes/list_page.html",
    partial="lab/_product_line_table.html",
    filterset=ProductLineFilter,
    sort=("name", "created_at"),
    default_sort="name",
    export=Export("product-lines", LINE_EXPORT),
)


@login_required
def product_line_list(request: HttpRequest) -> HttpResponse:
    _require(uses_lab(request.user))
    queryset = ProductLine.objects.visible_to(request.user).select_related("firm")
    return list_page(request, queryset, LINE_LIST, {"title": _("产品线")})


@login_required
def product_line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = access_product_line(request.user, pk)
    reports = Report.objects.visible_to(request.user).filter(product_line=line).select_related("lab")
    refusal = brand_apply_refusal(request.user, line)
    return render_page(
        request,
        "lab/product_line_detail.html",
        {
            "line": line,
            "reports": reports[:50],
            "brands": BrandAuthorisation.objects.visible_to(request.user).filter(product_line=line),
            "field_tests": FieldTest.objects.filter(product_line=line).select_related("recorded_by"),
            "can_field_test": may_record_field_test(request.user, line),
            "can_apply": refusal is None,
            # The firm is told why it cannot apply yet; others are not offered the brand at all.
            "brand_problem": refusal_message(refusal) if isinstance(refusal, ValidationError) else None,
            "picture": selectors.quality_picture(reports),
        },
    )


@login_required
def field_test_create(request: SignedInRequest, pk: int) -> HttpResponse:
    line = access_product_line(request.user, pk)
    _require(may_record_field_test(request.user, line))
    detail = reverse("lab:product_line_detail", args=[line.pk])
    return form_page(
        request,
        forms.FieldTestForm(request.POST or None, initial={"test_date": timezone.localdate()}),
        save=lambda data: services.field_test_record(actor=request.user, product_line=line, **data),
        success_url=detail,
        success_message=_("实地测试记录已保存。"),
        context={"title": _("记录高原实地测试"), "back": detail, "back_label": line.name},
    )


@login_required
def field_test_correct(request: SignedInRequest, pk: int) -> HttpResponse:
    field_test = get_object_or_404(
        FieldTest.objects.visible_to(request.user).select_related("product_line"), pk=pk
    )
    line = field_test.product_line
    _require(may_record_field_test(request.user, line))
    detail = reverse("lab:product_line_detail", args=[line.pk])
    initial = {name: getattr(field_test, name) for name in services.FIELD_TEST_FIELDS}

    def save(data: dict[str, Any]) -> FieldTest:
        reason = data.pop("correction_reason")
        return services.field_test_correct(actor=request.user, field_test=field_test, reason=reason, **data)

    return form_page(
        request,
        forms.FieldTestCorrectForm(request.POST or None, initial=initial),
        save=save,
        success_url=detail,
        success_message=_("实地测试已更正。"),
        context={"title": _("更正高原实地测试"), "back": detail, "back_label": line.name},
    )


# Regional brand ---------------------------------------------------------------------------------

BRAND_EXPORT = (
    ExportColumn(gettext_lazy("授权编号"), lambda b: b.number or ""),
    ExportColumn(gettext_lazy("企业"), lambda b: b.firm.name),
    ExportColumn(gettext_lazy("产品线"), lambda b: b.product_line.name),
    ExportColumn(gettext_lazy("状态"), lambda b: b.get_status_display()),
    ExportColumn(gettext_lazy("有效期至"), lambda b: b.valid_until),
    ExportColumn(gettext_lazy("申请时间"), lambda b: b.created_at),
)

BRAND_LIST = ListSpec(
    template="lab/brand_list.html",
    partial="lab/_brand_table.html",
    filterset=BrandFilter,
    sort=("created_at", "valid_until", "number"),
    default_sort="-created_at",
    export=Export("brand-authorisations", BRAND_EXPORT),
)


BRAND_DIRECTORY_EXPORT = (
    ExportColumn(gettext_lazy("授权编号"), lambda b: b.number),
    ExportColumn(gettext_lazy("企业"), lambda b: b.firm.name),
    ExportColumn(gettext_lazy("产品线"), lambda b: b.product_line.name),
    ExportColumn(
        gettext_lazy("产品类型"), lambda b: str(PRODUCT_TYPE_LABELS.get(b.product_line.product_type, ""))
    ),
    ExportColumn(gettext_lazy("状态"), lambda b: b.get_status_display()),
    ExportColumn(gettext_lazy("有效期至"), lambda b: b.valid_until),
    ExportColumn(
        gettext_lazy("依据报告"), lambda b: b.latest_report.display_number if b.latest_report else ""
    ),
)

BRAND_DIRECTORY = ListSpec(
    template="lab/brand_directory.html",
    partial="lab/_brand_directory_table.html",
    filterset=BrandDirectoryFilter,
    sort=("number", "valid_until"),
    default_sort="number",
    export=Export("dq-brand-directory", BRAND_DIRECTORY_EXPORT),
)


def brand_directory(request: HttpRequest) -> HttpResponse:
    """Public: every 杜桥眼镜 authorisation in force, searchable, with the report behind each.

    A suspended, expired or withdrawn authorisation is not listed (its QR page still says why)."""
    return list_page(
        request, selectors.brand_directory(), BRAND_DIRECTORY, {"title": _("“杜桥眼镜”授权产品名录")}
    )


@login_required
def brand_list(request: HttpRequest) -> HttpResponse:
    _require(sees_brand(request.user))
    queryset = BrandAuthorisation.objects.visible_to(request.user).select_related("firm", "product_line")
    return list_page(request, queryset, BRAND_LIST, {"can_apply": may_apply_for_brand(request.user)})


@login_required
def brand_apply(request: HttpRequest) -> HttpResponse:
    _require(may_apply_for_brand(request.user))
    initial = {"product_line": request.GET.get("line")} if request.GET.get("line", "").isdigit() else {}
    form = forms.BrandApplyForm(request.POST or None, lines=brand_lines(request.user), initial=initial)
    months = selectors.brand_evidence_months()
    return form_page(
        request,
        form,
        save=lambda data: services.brand_apply(actor=request.user, **data),
        success_url=lambda brand: reverse("lab:brand_detail", args=[brand.pk]),
        success_message=_("申请已提交,等待平台运营审批。"),
        context={
            "title": _("申请“杜桥眼镜”区域品牌"),
            "back": reverse("lab:brand_list"),
            "back_label": _("“杜桥眼镜”区域品牌"),
            "intro": _(
                "条件:该产品线近 %(m)s 个月内有合格的检测报告,且最近一份报告结论为合格。之后如出现不合格报告,授权将自动暂停。"
            )
            % {"m": months},
            "submit_label": _("提交申请"),
        },
    )


@login_required
def brand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    brand = access_brand(request.user, pk)
    return render_page(
        request,
        "lab/brand_detail.html",
        {
            "brand": brand,
            "evidence": brand.evidence.select_related("lab").order_by("-issued_at"),
            "can_review": may_review_brand(request.user, brand),
            "review_form": forms.BrandReviewForm(),
            "next_step": selectors.brand_next_step(brand),
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
    return action(
        request,
        lambda: services.brand_review(
            actor=request.user,
            brand=brand,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        form=form,
        success_url=reverse("lab:brand_detail", args=[pk]),
        success_message=_("审批结果已保存并通知企业。"),
    )


@login_required
def brand_print(request: HttpRequest, pk: int) -> HttpResponse:
    brand = access_brand(request.user, pk)
    if not brand.verify_code:
        raise Http404
    url = verification_url("brand", brand.verify_code)
    return render_page(
        request, "lab/brand_print.html", {"brand": brand, "qr": qr_svg(url, scale=4), "verify_url": url}
    )
