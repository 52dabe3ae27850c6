"""Thin views of 离境退税: parse, access, call a service, render."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingxiang.core.charts import Chart, Series
from jingxiang.core.excel import export_response
from jingxiang.core.forms import StyledFormMixin, add_service_error
from jingxiang.core.listing import ExportColumn, query_without
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page, redirect_to
from jingxiang.core.rendering import render_page
from jingxiang.jobs.services import job_enqueue
from jingxiang.jobs.texts import IMPORT_TITLE
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import FIRM_MANAGERS, firm_ids, is_operator
from jingxiang.taxfree import engine_bridge, forms, permissions, selectors, services, texts
from jingxiang.taxfree.filters import FormFilter, FormPeriodFilter, OverdueFilter, StoreFilter
from jingxiang.taxfree.imports import VerificationImport, as_workbook
from jingxiang.taxfree.models import FilingStatus, RefundForm, StoreStaff

STORE_LIST = ListSpec(
    template="taxfree/store_list.html",
    partial="taxfree/_store_table.html",
    filterset=StoreFilter,
    sort=("code", "name", "status"),
    default_sort="code",
    export=Export(
        "taxfree-stores",
        [
            ExportColumn(gettext_lazy("门店编号"), lambda s: s.code),
            ExportColumn(gettext_lazy("门店名称"), lambda s: s.name),
            ExportColumn(gettext_lazy("备案状态"), lambda s: s.get_status_display()),
            ExportColumn(gettext_lazy("审核截止日"), lambda s: s.review_due),
            ExportColumn(gettext_lazy("Tax Free 标识编号"), lambda s: s.sign_number),
        ],
    ),
)

FORM_COLUMNS = [
    ExportColumn(gettext_lazy("申请单号"), lambda f: f.number),
    ExportColumn(gettext_lazy("门店"), lambda f: f.store.name),
    ExportColumn(gettext_lazy("购买日期"), lambda f: f.purchase_date),
    ExportColumn(gettext_lazy("国籍"), lambda f: f.nationality),
    ExportColumn(gettext_lazy("证件号码"), lambda f: f.document_masked),
    ExportColumn(gettext_lazy("应退税额"), lambda f: f.refund),
    ExportColumn(gettext_lazy("实退金额"), lambda f: f.net_refund),
    ExportColumn(gettext_lazy("即买即退"), lambda f: _("是") if f.instant else _("否")),
    ExportColumn(gettext_lazy("预付金"), lambda f: f.advance),
    ExportColumn(gettext_lazy("状态"), lambda f: f.get_status_display()),
]
FORM_LIST = ListSpec(
    template="taxfree/form_list.html",
    partial="taxfree/_form_table.html",
    filterset=FormFilter,
    sort=("number", "purchase_date", "net_refund"),
    default_sort="-pk",
    export=Export("taxfree-forms", FORM_COLUMNS),
    prepare=lambda qs: qs.select_related("store"),
)
OVERDUE_LIST = ListSpec(
    template="taxfree/agency.html",
    partial="taxfree/_form_table.html",
    filterset=OverdueFilter,
    sort=("number", "purchase_date"),
    default_sort="purchase_date",
    export=Export("taxfree-overdue", FORM_COLUMNS),
    prepare=lambda qs: qs.select_related("store"),
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


@login_required
def store_list(request: HttpRequest) -> HttpResponse:
    _require(permissions.uses_taxfree(request.user))
    return list_page(
        request,
        permissions.visible_stores(request.user),
        STORE_LIST,
        {"title": _("退税商店"), "may_apply": permissions.may_apply(request.user)},
    )


@login_required
def store_create(request: HttpRequest) -> HttpResponse:
    _require(permissions.may_apply(request.user))
    firms = (
        Organisation.objects.all()
        if is_operator(request.user)
        else Organisation.objects.filter(pk__in=firm_ids(request.user, *FIRM_MANAGERS))
    )
    return form_page(
        request,
        forms.StoreApplyForm(request.POST or None, firms=firms),
        save=lambda data: services.store_apply(actor=request.user, **data),
        success_url=lambda store: reverse("taxfree:store_detail", args=[store.pk]),
        success_message=_("门店已建立,请上传备案材料后提交。"),
        context={"title": _("申请退税商店备案"), "back": reverse("taxfree:store_list")},
    )


@login_required
def store_detail(request: HttpRequest, pk: int) -> HttpResponse:
    store = permissions.access_store(request.user, pk)
    may_edit = permissions.may_edit_store(request.user, store)
    return render_page(
        request,
        "taxfree/store_detail.html",
        {
            "store": store,
            "may_edit": may_edit,
            "may_review": permissions.may_review(request.user, store)
            and store.status == FilingStatus.SUBMITTED,
            "may_counter": permissions.may_work_counter(request.user, store),
            "refusals": services.filing_refusals(store) if store.status in ("draft", "rejected") else [],
            "goods": store.goods.all(),
            "staff": store.staff.select_related("user") if may_edit else [],
            "documents": store.documents.all(),
        },
    )


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    store = permissions.access_store(request.user, pk, write=True)
    return form_page(
        request,
        forms.DocumentForm(request.POST or None, request.FILES or None),
        save=lambda data: services.store_document_add(actor=request.user, store=store, **data),
        success_url=reverse("taxfree:store_detail", args=[store.pk]),
        success_message=_("材料已上传。"),
        context={"title": _("上传备案材料"), "back": reverse("taxfree:store_detail", args=[store.pk])},
    )


@login_required
@require_POST
def store_submit(request: HttpRequest, pk: int) -> HttpResponse:
    store = permissions.access_store(request.user, pk, write=True)
    return action(
        request,
        lambda: services.store_submit(actor=request.user, store=store),
        success_url=reverse("taxfree:store_detail", args=[store.pk]),
        success_message=_("备案已提交,税务机关将在 5 个工作日内审核。"),
    )


@login_required
def store_review(request: HttpRequest, pk: int) -> HttpResponse:
    store = permissions.access_store(request.user, pk)
    _require(permissions.may_review(request.user, store))
    return form_page(
        request,
        forms.ReviewForm(request.POST or None),
        save=lambda data: services.store_review(actor=request.user, store=store, **data),
        success_url=reverse("taxfree:store_detail", args=[store.pk]),
        success_message=_("审核结论已记录。"),
        context={
            "title": _("审核备案:%(s)s") % {"s": store},
            "back": reverse("taxfree:store_detail", args=[store.pk]),
        },
    )


@login_required
def good_add(request: HttpRequest, pk: int) -> HttpResponse:
    store = permissions.access_store(request.user, pk, write=True)
    return form_page(
        request,
        forms.GoodForm(request.POST or None),
        save=lambda data: services.good_save(actor=request.user, store=store, **data),
        success_url=reverse("taxfree:store_detail", args=[store.pk]),
        success_message=_("商品已保存。"),
        context={"title": _("新增商品"), "back": reverse("taxfree:store_detail", args=[store.pk])},
    )


@login_required
def good_edit(request: HttpRequest, pk: int, good_pk: int) -> HttpResponse:
    store = permissions.access_store(request.user, pk, write=True)
    good = get_object_or_404(store.goods, pk=good_pk)
    initial = {
        f: getattr(good, f) for f in ("name", "name_en", "kind", "category", "vat_rate", "price", "active")
    }
    back = reverse("taxfree:store_detail", args=[store.pk])
    return form_page(
        request,
        forms.GoodEditForm(request.POST or None, initial=initial),
        save=lambda data: services.good_save(actor=request.user, store=store, good=good, **data),
        success_url=back,
        success_message=_("商品已保存。"),
        context={"title": _("修改商品:%(name)s") % {"name": good.name}, "back": back},
    )


class _StaffForm(forms.StaffForm):
    def clean_username(self) -> Any:
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise django_forms.ValidationError(_("没有这个用户。"))
        return user


@login_required
def staff_add(request: HttpRequest, pk: int) -> HttpResponse:
    store = permissions.access_store(request.user, pk, write=True)
    return form_page(
        request,
        _StaffForm(request.POST or None),
        save=lambda data: services.staff_add(
            actor=request.user, store=store, user=data["username"], manager=data["manager"]
        ),
        success_url=reverse("taxfree:store_detail", args=[store.pk]),
        success_message=_("员工已加入门店。"),
        context={"title": _("添加门店员工"), "back": reverse("taxfree:store_detail", args=[store.pk])},
    )


@login_required
@require_POST
def staff_remove(request: HttpRequest, pk: int, staff_pk: int) -> HttpResponse:
    store = permissions.access_store(request.user, pk, write=True)
    staff = get_object_or_404(StoreStaff, pk=staff_pk, store=store)
    return action(
        request,
        lambda: services.staff_remove(actor=request.user, staff=staff),
        success_url=reverse("taxfree:store_detail", args=[store.pk]),
        success_message=_("员工已移出门店。"),
    )


# --- the counter ----------------------------------------------------------------------------------


def _counter_context(request: HttpRequest, store: Any, form: forms.CounterForm) -> dict[str, Any]:
    return {
        "store": store,
        "form": form,
        "goods_fields": [form[f"qty_{good.pk}"] for good in form.goods],
        "goods": form.goods,
        "person_fields": [
            form[name]
            for name in (
                "mrz",
                "traveller_name",
                "traveller_category",
                "document_type",
                "nationality",
                "document_number",
                "last_entry_date",
                "last_entry_unreadable",
                "invoice_number",
            )
        ],
        "instant_fields": [
            form[name]
            for name in (
                "instant",
                "promised_departure_date",
                "promised_port",
                "consent_signed",
                "preauth_reference",
            )
        ],
    }


@login_required
def counter(request: HttpRequest, pk: int) -> HttpResponse:
    """The tablet counter: the visitor's document, the basket, the live verdict, then issue."""
    store = permissions.access_counter(request.user, pk)
    goods = store.goods.filter(active=True)
    form = forms.CounterForm(request.POST or None, goods=goods)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = services.form_issue(
                actor=request.user,
                store=store,
                traveller=form.traveller(),
                document_number=data["document_number"],
                basket=form.basket(),
                invoice_number=data.get("invoice_number") or "",
                instant=data["instant"],
                promised_departure_date=data.get("promised_departure_date"),
                promised_port=data.get("promised_port") or "",
                consent_signed=data["consent_signed"],
                preauth_reference=data.get("preauth_reference") or "",
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect_to(request, reverse("taxfree:form_detail", args=[issued.pk]))
    return render_page(request, "taxfree/counter.html", _counter_context(request, store, form))


@login_required
@require_POST
def counter_check(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: the engine's verdict on the basket as typed so far (nothing is written)."""
    store = permissions.access_counter(request.user, pk)
    form = forms.CounterForm(request.POST, goods=store.goods.filter(active=True))
    context: dict[str, Any] = {"english": (get_language() or "").startswith("en")}
    if not form.is_valid():
        context["errors"] = [e for errors in form.errors.values() for e in errors]
    elif not form.basket():
        context["errors"] = [_("购物篮是空的。") + " / The basket is empty."]
    else:
        data = form.cleaned_data
        instant = None
        if data["instant"] and data.get("promised_departure_date"):
            instant = {
                "promised_departure_date": data["promised_departure_date"].isoformat(),
                "promised_port": data.get("promised_port") or "HGH",
                "consent_signed": data["consent_signed"],
                "card_preauthorised": bool(data.get("preauth_reference")),
            }
        try:
            context["result"] = services.counter_evaluate(
                store=store,
                traveller=form.traveller(),
                basket=form.basket(),
                day=services.today(),
                instant=instant,
            )
        except ValidationError as error:
            context["errors"] = error.messages
    if form.mrz_read is not None:
        # Out-of-band swaps put what the reader read into the typed fields, so the clerk sees it.
        context["mrz_widgets"] = [
            form[name].as_widget(attrs={"hx-swap-oob": "true"}) for name in forms.CounterForm.MRZ_FIELDS
        ]
        context["mrz_read"] = form.mrz_read
    return render_page(request, "taxfree/_verdict.html", context)


# --- forms ----------------------------------------------------------------------------------------


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    _require(permissions.sees_reports(request.user))
    return list_page(
        request,
        permissions.visible_forms(request.user),
        FORM_LIST,
        {"title": _("退税申请单")},
        filter_kwargs={"request": request},
    )


@login_required
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    refund_form = permissions.access_form(request.user, pk)
    return render_page(
        request,
        "taxfree/form_detail.html",
        {
            "f": refund_form,
            "lines": refund_form.lines.all(),
            "may_void": permissions.may_void(request.user, refund_form)
            and refund_form.status in ("issued", "paid_out"),
            "void_form": forms.VoidForm(),
        },
    )


@login_required
def form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from jingxiang.taxfree.documents import form_pdf as render_form

    refund_form = permissions.access_form(request.user, pk)
    response = HttpResponse(render_form(refund_form), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{refund_form.number}.pdf"'
    return response


@login_required
@require_POST
def form_void(request: HttpRequest, pk: int) -> HttpResponse:
    refund_form = permissions.access_form(request.user, pk)
    _require(permissions.may_void(request.user, refund_form))
    void = forms.VoidForm(request.POST)
    return action(
        request,
        lambda: services.form_void(
            actor=request.user,
            form=refund_form,
            reason=void.cleaned_data["reason"] if void.is_valid() else "",
        ),
        success_url=reverse("taxfree:form_detail", args=[refund_form.pk]),
        success_message=_("申请单已作废。"),
    )


# --- agency ---------------------------------------------------------------------------------------


class UploadForm(StyledFormMixin, django_forms.Form):
    file = django_forms.FileField(label=gettext_lazy("海关验核文件(CSV 或 Excel)"))


@login_required
def agency(request: HttpRequest) -> HttpResponse:
    """Overdue instant refunds (promised departure passed, no verification) and the agency's tools."""
    _require(permissions.is_agency(request.user))
    overdue = services.overdue_instant(as_of=services.today()).filter(
        store__agency_id__in=permissions.agency_ids(request.user)
    )
    return list_page(
        request,
        overdue,
        OVERDUE_LIST,
        {
            "title": _("逾期未验核的即买即退"),
            "upload": UploadForm(),
            "recovery": forms.RecoveryForm(initial={"as_of": services.today()}),
        },
        filter_kwargs={"request": request},
    )


@login_required
def verification_upload(request: HttpRequest) -> HttpResponse:
    _require(permissions.is_agency(request.user))
    spec = VerificationImport()
    return form_page(
        request,
        UploadForm(request.POST or None, request.FILES or None),
        save=lambda data: job_enqueue(
            kind="import",
            title=IMPORT_TITLE(what=spec.title, file=data["file"].name),
            created_by=request.user,
            params={"spec": spec.name},
            input_file=SimpleUploadedFile(
                data["file"].name.rsplit(".", 1)[0] + ".xlsx", as_workbook(data["file"].read())
            ),
        ),
        success_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        context={
            "title": _("导入海关验核文件"),
            "back": reverse("taxfree:agency"),
            "submit_label": _("上传并校验"),
        },
    )


@login_required
def verification_template(request: HttpRequest) -> HttpResponse:
    from jingxiang.core.excel import xlsx_response

    _require(permissions.is_agency(request.user))
    return xlsx_response("taxfree-verifications-template", VerificationImport().template())


@login_required
@require_POST
def recovery_start(request: HttpRequest) -> HttpResponse:
    _require(permissions.is_agency(request.user))
    recovery = forms.RecoveryForm(request.POST)
    as_of = recovery.cleaned_data["as_of"] if recovery.is_valid() else services.today()
    return action(
        request,
        lambda: job_enqueue(
            kind="taxfree_recovery",
            title=texts.RECOVERY_TITLE(d=as_of.isoformat()),
            created_by=request.user,
            params={"as_of": as_of.isoformat(), "actor": request.user.pk},
        ),
        success_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        success_message=_("追回任务已开始。"),
    )


RECON_HEADERS = [
    gettext_lazy("申请单数"),
    gettext_lazy("退税物品金额"),
    gettext_lazy("应退税额"),
    gettext_lazy("代理机构手续费"),
    gettext_lazy("实退金额"),
    gettext_lazy("即买即退单数"),
    gettext_lazy("预付金"),
    gettext_lazy("已解除预授权"),
    gettext_lazy("已追回"),
]
RECON_KEYS = [
    "forms",
    "goods_amount",
    "refund",
    "agency_fee",
    "net_refund",
    "instant_forms",
    "advance",
    "released",
    "recovered",
]


def _period(request: HttpRequest) -> tuple[QuerySet[RefundForm], dict[str, Any]]:
    """The forms an aggregate page sums: the viewer's, narrowed by store and date range.

    A junk filter value is an error of the filter form, shown on the page over empty tables; the page
    never sums (nor exports) anything with it.
    """
    filterset = FormPeriodFilter(
        request.GET, queryset=permissions.visible_forms(request.user), request=request
    )
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else filterset.queryset.none()
    context = {
        "filterset": filterset,
        "filters_valid": valid,
        "export_query": query_without(request, "page", "export"),
    }
    return queryset, context


def _export_url(query: str, export: str) -> str:
    return f"?{query}&export={export}" if query else f"?export={export}"


@login_required
def reconciliation(request: HttpRequest) -> HttpResponse:
    """Daily reconciliation per store and per agency (Excel with ``?export=store|agency``)."""
    _require(permissions.sees_reports(request.user))
    queryset, context = _period(request)
    by_store = selectors.reconciliation_by_store(queryset)
    by_agency = selectors.reconciliation_by_agency(queryset)
    export = request.GET.get("export") if context["filters_valid"] else None
    if export == "store":
        return export_response(
            "taxfree-reconciliation-stores",
            [_("门店编号"), _("门店名称"), _("日期"), *(str(h) for h in RECON_HEADERS)],
            [
                [r["store__code"], r["store__name"], r["purchase_date"], *(r[k] for k in RECON_KEYS)]
                for r in by_store
            ],
        )
    if export == "agency":
        return export_response(
            "taxfree-reconciliation-agencies",
            [_("退税代理机构"), _("日期"), *(str(h) for h in RECON_HEADERS)],
            [[r["store__agency__name"], r["purchase_date"], *(r[k] for k in RECON_KEYS)] for r in by_agency],
        )
    return render_page(
        request,
        "taxfree/reconciliation.html",
        {
            **context,
            "by_store": by_store,
            "by_agency": by_agency,
            "headers": RECON_HEADERS,
            "keys": RECON_KEYS,
            "export_store": _export_url(context["export_query"], "store"),
            "export_agency": _export_url(context["export_query"], "agency"),
        },
        partial="taxfree/_reconciliation_tables.html",
    )


def _report_charts(tables: dict[str, list[dict[str, Any]]]) -> list[Chart]:
    """The daily refunds and the refunds per nationality, drawn from the same rows as the tables below
    them (voided forms excluded in both), so a bar and its table row can never disagree."""
    days, nations = tables["day"], tables["nationality"]
    charts = []
    if days:
        charts.append(
            Chart(
                key="taxfree-by-day",
                title=_("每日应退税额与已追回"),
                kind="line",
                categories=[str(r["purchase_date"]) for r in days],
                series=[
                    Series(_("应退税额"), [r["refund"] for r in days]),
                    Series(_("已追回"), [r["recovered"] for r in days]),
                ],
                unit=_("元"),
            )
        )
    if nations:
        charts.append(
            Chart(
                key="taxfree-by-nationality",
                title=_("各国籍旅客的申请单数"),
                kind="bar",
                categories=[r["nationality"] for r in nations],
                series=[Series(_("申请单数"), [r["forms"] for r in nations])],
                unit=_("份"),
            )
        )
    return charts


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """Refunds by store, day, nationality, goods category; instant vs ordinary; recovered."""
    _require(permissions.sees_reports(request.user))
    queryset, context = _period(request)
    language = get_language() or "zh-hans"
    tables = {
        dimension: selectors.report_by(queryset, dimension)
        for dimension in ("store", "day", "nationality", "instant")
    }
    categories = [
        {**row, "label": engine_bridge.category_label(row["category"], language)}
        for row in selectors.report_by_category(queryset)
    ]
    if context["filters_valid"] and request.GET.get("export") == "xlsx":
        rows: list[list[Any]] = []
        for dimension, field in (
            ("store", "store__name"),
            ("day", "purchase_date"),
            ("nationality", "nationality"),
            ("instant", "instant"),
        ):
            rows += [[dimension, r[field], *(r[k] for k in RECON_KEYS)] for r in tables[dimension]]
        rows += [["category", c["label"], c["lines"], c["total"], c["refunded"]] for c in categories]
        return export_response(
            "taxfree-reports", [_("维度"), _("分组"), *(str(h) for h in RECON_HEADERS)], rows
        )
    return render_page(
        request,
        "taxfree/reports.html",
        {
            **context,
            "charts": _report_charts(tables),
            "tables": tables,
            "categories": categories,
            "headers": RECON_HEADERS,
            "keys": RECON_KEYS,
            "export_xlsx": _export_url(context["export_query"], "xlsx"),
        },
        partial="taxfree/_report_tables.html",
    )
