"""Thin views of the marketplace and the vouchers: parse, access, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.core.selectors import audit_timeline
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import is_operator, managed_firm_ids
from jingxiang.services import filters, forms, selectors, services
from jingxiang.services.models import (
    Consultation,
    Milestone,
    Order,
    OrderStatus,
    Service,
    Voucher,
    VoucherClaim,
    VoucherProgramme,
)
from jingxiang.services.permissions import (
    access_claim,
    access_consultation,
    access_order,
    access_programme,
    access_service,
    access_voucher,
    is_consulted_expert,
    is_order_firm,
    is_order_provider,
    may_manage_service,
    may_order,
    provider_ids,
)
from jingxiang.talents.models import Talent


def _form(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    done: Any,
    title: str,
    back: str,
    message: str = "",
) -> HttpResponse:
    return form_page(
        request,
        form,
        save=save,
        success_url=done,
        success_message=message,
        context={"title": title, "back": back, "submit_label": _("提交")},
    )


def _managed_firms(user: Any) -> Any:
    return Organisation.objects.filter(pk__in=managed_firm_ids(user)).order_by("name")


# Services -----------------------------------------------------------------------------------------

SERVICE_EXPORT = (
    ExportColumn(gettext_lazy("服务名称"), lambda s: s.title),
    ExportColumn(gettext_lazy("服务机构"), lambda s: s.provider.name),
    ExportColumn(gettext_lazy("服务类别"), lambda s: s.get_category_display()),
    ExportColumn(gettext_lazy("价格(元)"), lambda s: s.price if s.price is not None else _("按需报价")),
    ExportColumn(gettext_lazy("周期(天)"), lambda s: s.lead_time_days),
    ExportColumn(gettext_lazy("交付成果"), lambda s: s.deliverables),
    ExportColumn(gettext_lazy("状态"), lambda s: s.get_status_display()),
)
SERVICE_LIST = ListSpec(
    template="services/service_list.html",
    partial="services/_service_table.html",
    filterset=filters.ServiceFilter,
    sort=("title", "price", "lead_time_days"),
    default_sort="title",
    export=Export("services", SERVICE_EXPORT),
)


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    """The marketplace: every published service, searchable in Chinese and pinyin."""
    queryset = Service.objects.on_market_for(request.user).select_related("provider")
    return list_page(request, queryset, SERVICE_LIST, {"providing": provider_ids(request.user)})


@login_required
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = access_service(request.user, pk)
    return render_page(
        request,
        "services/service_detail.html",
        {
            "service": service,
            "may_order": may_order(request.user),
            "may_manage": may_manage_service(request.user, service),
            "timeline": audit_timeline(service),
        },
    )


@login_required
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A provider's catalogue: its services, its lab testing and its shared people (read-only adapter)."""
    provider = Organisation.objects.filter(pk=pk, status="approved").first()
    if provider is None:
        raise Http404
    entries = selectors.provider_catalogue(provider)
    if not entries:
        raise Http404
    return render_page(request, "services/provider_detail.html", {"provider": provider, "entries": entries})


@login_required
def service_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    service = access_service(request.user, pk, write=True) if pk else None
    providers = sorted(provider_ids(request.user))
    if not providers:
        raise Http404
    provider = service.provider if service else Organisation.objects.get(pk=providers[0])
    initial = {name: getattr(service, name) for name in forms.ServiceForm.base_fields} if service else {}
    return _form(
        request,
        forms.ServiceForm(request.POST or None, initial=initial),
        lambda data: services.service_save(actor=request.user, provider=provider, data=data, service=service),
        done=lambda s: reverse("services:service_detail", args=[s.pk]),
        message=_("服务已发布。"),
        title=_("修改服务") if service else _("发布服务"),
        back=reverse("services:service_list"),
    )


@login_required
@require_POST
def service_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    service = access_service(request.user, pk, write=True)
    return action(
        request,
        lambda: services.service_withdraw(actor=request.user, service=service),
        success_url=reverse("services:service_detail", args=[pk]),
        success_message=_("服务已下架。"),
    )


# Orders -------------------------------------------------------------------------------------------

ORDER_EXPORT = (
    ExportColumn(gettext_lazy("订单编号"), lambda o: o.number),
    ExportColumn(gettext_lazy("服务"), lambda o: o.service.title),
    ExportColumn(gettext_lazy("服务机构"), lambda o: o.provider.name),
    ExportColumn(gettext_lazy("委托企业"), lambda o: o.firm.name),
    ExportColumn(gettext_lazy("价格(元)"), lambda o: o.price),
    ExportColumn(gettext_lazy("创新券抵扣(元)"), lambda o: o.voucher_amount),
    ExportColumn(gettext_lazy("状态"), lambda o: o.get_status_display()),
    ExportColumn(gettext_lazy("评分"), lambda o: o.rating),
)
ORDER_LIST = ListSpec(
    template="services/order_list.html",
    partial="services/_order_table.html",
    filterset=filters.OrderFilter,
    sort=("created_at", "number"),
    default_sort="-created_at",
    export=Export("service-orders", ORDER_EXPORT),
)


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    queryset = Order.objects.visible_to(request.user).select_related("service", "provider", "firm")
    return list_page(request, queryset, ORDER_LIST)


@login_required
def order_book(request: HttpRequest) -> HttpResponse:
    """The provider's order book: marketplace orders, lab test requests and sharing agreements."""
    ids = provider_ids(request.user)
    if not ids:
        raise Http404
    books = [(p, selectors.order_book(p)) for p in Organisation.objects.filter(pk__in=ids).order_by("name")]
    return render_page(request, "services/order_book.html", {"books": books})


@login_required
def order_request(request: HttpRequest, pk: int) -> HttpResponse:
    service = access_service(request.user, pk)
    if not may_order(request.user):
        raise Http404
    return _form(
        request,
        forms.OrderRequestForm(request.POST or None, firms=_managed_firms(request.user)),
        lambda data: services.order_request(
            actor=request.user, service=service, firm=data["firm"], brief=data["brief"]
        ),
        done=lambda o: reverse("services:order_detail", args=[o.pk]),
        message=_("已提交。"),
        title=_("询价/下单:%(title)s") % {"title": service.title},
        back=reverse("services:service_detail", args=[pk]),
    )


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    firm, provider = is_order_firm(request.user, order), is_order_provider(request.user, order)
    context: dict[str, Any] = {
        "order": order,
        "milestones": list(order.milestones.all()),
        "is_firm": firm,
        "is_provider": provider,
        "next_step": selectors.order_next_step(request.user, order),
        "timeline": audit_timeline(order),
        "claim": VoucherClaim.objects.filter(order=order).first(),
    }
    if firm and order.status == OrderStatus.QUOTED:
        context["place_form"] = forms.PlaceForm(vouchers=selectors.usable_vouchers(request.user, order))
    if provider and order.status in (OrderStatus.QUOTE_REQUESTED, OrderStatus.QUOTED):
        context["quote_form"] = forms.QuoteForm(initial={"price": order.price})
    if provider and order.status in (OrderStatus.ORDERED, OrderStatus.DISPUTED):
        context["milestone_form"] = forms.MilestoneForm()
    if firm and order.status == OrderStatus.DELIVERED:
        context["dispute_form"] = forms.DisputeForm()
    if firm and order.status == OrderStatus.ACCEPTED and order.rating is None:
        context["rate_form"] = forms.RateForm()
    return render_page(request, "services/order_detail.html", context)


def _order_action(
    request: HttpRequest, pk: int, run: Callable[[Order, Any], Any], message: str, form: Any = None
) -> HttpResponse:
    order = access_order(request.user, pk)
    return action(
        request,
        lambda: run(order, form.cleaned_data if form is not None else {}),
        form=form,
        success_url=reverse("services:order_detail", args=[pk]),
        success_message=message,
    )


@login_required
@require_POST
def order_quote(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_action(
        request,
        pk,
        lambda o, d: services.order_quote(actor=request.user, order=o, price=d["price"], note=d["note"]),
        _("已报价。"),
        forms.QuoteForm(request.POST),
    )


@login_required
@require_POST
def order_place(request: HttpRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    form = forms.PlaceForm(request.POST, vouchers=selectors.usable_vouchers(request.user, order))
    return _order_action(
        request,
        pk,
        lambda o, d: services.order_place(actor=request.user, order=o, voucher=d["voucher"]),
        _("已下单。"),
        form,
    )


@login_required
@require_POST
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_action(
        request, pk, lambda o, d: services.order_cancel(actor=request.user, order=o), _("订单已取消。")
    )


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_action(
        request,
        pk,
        lambda o, d: services.milestone_add(
            actor=request.user, order=o, title=d["title"], due_date=d["due_date"], note=d["note"]
        ),
        _("已添加交付节点。"),
        forms.MilestoneForm(request.POST),
    )


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = Milestone.objects.filter(pk=pk, order__in=Order.objects.visible_to(request.user)).first()
    if milestone is None:
        raise Http404
    return action(
        request,
        lambda: services.milestone_done(actor=request.user, milestone=milestone),
        success_url=reverse("services:order_detail", args=[milestone.order_id]),
        success_message=_("节点已完成。"),
    )


@login_required
@require_POST
def order_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_action(
        request,
        pk,
        lambda o, d: services.order_deliver(actor=request.user, order=o),
        _("已交付,等待企业验收。"),
    )


@login_required
@require_POST
def order_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_action(
        request, pk, lambda o, d: services.order_accept(actor=request.user, order=o), _("已验收。")
    )


@login_required
@require_POST
def order_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_action(
        request,
        pk,
        lambda o, d: services.order_dispute(actor=request.user, order=o, reason=d["reason"]),
        _("已提出异议,等待服务机构处理。"),
        forms.DisputeForm(request.POST),
    )


@login_required
@require_POST
def order_rate(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_action(
        request,
        pk,
        lambda o, d: services.order_rate(actor=request.user, order=o, rating=d["rating"], note=d["note"]),
        _("感谢评价。"),
        forms.RateForm(request.POST),
    )


@login_required
@require_POST
def claim_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_action(
        request, pk, lambda o, d: services.claim_file(actor=request.user, order=o), _("已申请兑付创新券。")
    )


# Vouchers -----------------------------------------------------------------------------------------

PROGRAMME_LIST = ListSpec(
    template="services/programme_list.html",
    partial="services/_programme_table.html",
    sort=("valid_from", "name"),
    default_sort="-valid_from",
    export=Export(
        "voucher-programmes",
        (
            ExportColumn(gettext_lazy("项目名称"), lambda p: p.name),
            ExportColumn(gettext_lazy("抵扣比例(%)"), lambda p: p.share),
            ExportColumn(gettext_lazy("每家企业每年上限(元)"), lambda p: p.cap_per_firm_year),
            ExportColumn(gettext_lazy("总预算(元)"), lambda p: p.budget),
            ExportColumn(gettext_lazy("已使用(元)"), lambda p: p.committed),
            ExportColumn(gettext_lazy("已兑付(元)"), lambda p: p.paid),
            ExportColumn(gettext_lazy("生效日期"), lambda p: p.valid_from),
            ExportColumn(gettext_lazy("失效日期"), lambda p: p.valid_to),
        ),
    ),
)


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    if not (is_operator(request.user) or may_order(request.user)):
        raise Http404
    return list_page(
        request, VoucherProgramme.objects.all(), PROGRAMME_LIST, {"is_operator": is_operator(request.user)}
    )


@login_required
def programme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    programme = access_programme(request.user, pk) if pk else None
    initial: dict[str, Any] = {}
    if programme:
        initial = {name: getattr(programme, name) for name in forms.ProgrammeForm.base_fields}
        initial["eligible_regions"] = "、".join(programme.eligible_regions)
    return _form(
        request,
        forms.ProgrammeForm(request.POST or None, initial=initial, actor=request.user),
        lambda data: services.programme_save(actor=request.user, data=data, programme=programme),
        done=reverse("services:programme_list"),
        message=_("创新券项目已保存。"),
        title=_("修改创新券项目") if programme else _("新增创新券项目"),
        back=reverse("services:programme_list"),
    )


STATEMENT_EXPORT = (
    ExportColumn(gettext_lazy("订单编号"), lambda o: o.number),
    ExportColumn(gettext_lazy("券号"), lambda o: o.voucher.number),
    ExportColumn(gettext_lazy("企业"), lambda o: o.firm.name),
    ExportColumn(gettext_lazy("服务机构"), lambda o: o.provider.name),
    ExportColumn(gettext_lazy("服务"), lambda o: o.service.title),
    ExportColumn(gettext_lazy("订单金额(元)"), lambda o: o.price),
    ExportColumn(gettext_lazy("创新券抵扣(元)"), lambda o: o.voucher_amount),
    ExportColumn(gettext_lazy("验收时间"), lambda o: o.accepted_at),
    ExportColumn(gettext_lazy("兑付状态"), lambda o: _claim_state(o)),
)


def _claim_state(order: Order) -> str:
    claim = getattr(order, "claim", None)
    return str(claim.get_status_display()) if claim else _("未申请兑付")


STATEMENT_LIST = ListSpec(
    template="services/programme_statement.html",
    partial="services/_statement_table.html",
    sort=("accepted_at", "number"),
    default_sort="-accepted_at",
    export=Export("voucher-statement", STATEMENT_EXPORT),
)


@login_required
def programme_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """Operators' statement of a programme: budget, spent, claimed, paid, and the orders under them."""
    if not is_operator(request.user):
        raise Http404
    programme = access_programme(request.user, pk)
    return list_page(
        request,
        selectors.statement_lines(programme),
        STATEMENT_LIST,
        {"programme": programme, "figures": selectors.programme_statement(programme)},
    )


@login_required
def voucher_apply(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk)
    if not may_order(request.user):
        raise Http404
    return _form(
        request,
        forms.VoucherApplyForm(request.POST or None, firms=_managed_firms(request.user)),
        lambda data: services.voucher_apply(
            actor=request.user, programme=programme, firm=data["firm"], purpose=data["purpose"]
        ),
        done=reverse("services:voucher_list"),
        message=_("创新券申请已提交,等待审批。"),
        title=_("申请创新券:%(name)s") % {"name": programme.name},
        back=reverse("services:programme_list"),
    )


VOUCHER_LIST = ListSpec(
    template="services/voucher_list.html",
    partial="services/_voucher_table.html",
    filterset=filters.VoucherFilter,
    sort=("created_at", "number"),
    default_sort="-created_at",
    export=Export(
        "vouchers",
        (
            ExportColumn(gettext_lazy("券号"), lambda v: v.number),
            ExportColumn(gettext_lazy("创新券项目"), lambda v: v.programme.name),
            ExportColumn(gettext_lazy("企业"), lambda v: v.firm.name),
            ExportColumn(gettext_lazy("年度"), lambda v: v.year),
            ExportColumn(gettext_lazy("用途"), lambda v: v.purpose),
            ExportColumn(gettext_lazy("状态"), lambda v: v.get_status_display()),
        ),
    ),
)


@login_required
def voucher_list(request: HttpRequest) -> HttpResponse:
    if not (is_operator(request.user) or may_order(request.user)):
        raise Http404
    queryset = Voucher.objects.visible_to(request.user).select_related("programme", "firm")
    return list_page(request, queryset, VOUCHER_LIST, {"is_operator": is_operator(request.user)})


@login_required
@require_POST
def voucher_decide(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = access_voucher(request.user, pk)
    if not is_operator(request.user):
        raise Http404
    form = forms.DecideForm(request.POST)
    return action(
        request,
        lambda: services.voucher_decide(
            actor=request.user,
            voucher=voucher,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        form=form,
        success_url=reverse("services:voucher_list"),
        success_message=_("已审批。"),
    )


CLAIM_LIST = ListSpec(
    template="services/claim_list.html",
    partial="services/_claim_table.html",
    sort=("created_at",),
    default_sort="-created_at",
    export=Export(
        "voucher-claims",
        (
            ExportColumn(gettext_lazy("订单编号"), lambda c: c.order.number),
            ExportColumn(gettext_lazy("服务机构"), lambda c: c.order.provider.name),
            ExportColumn(gettext_lazy("企业"), lambda c: c.order.firm.name),
            ExportColumn(gettext_lazy("兑付金额(元)"), lambda c: c.amount),
            ExportColumn(gettext_lazy("状态"), lambda c: c.get_status_display()),
        ),
    ),
)


@login_required
def claim_list(request: HttpRequest) -> HttpResponse:
    if not (is_operator(request.user) or provider_ids(request.user)):
        raise Http404
    queryset = VoucherClaim.objects.visible_to(request.user).select_related("order__provider", "order__firm")
    return list_page(request, queryset, CLAIM_LIST, {"is_operator": is_operator(request.user)})


@login_required
@require_POST
def claim_pay(request: HttpRequest, pk: int) -> HttpResponse:
    claim = access_claim(request.user, pk)
    if not is_operator(request.user):
        raise Http404
    return action(
        request,
        lambda: services.claim_pay(actor=request.user, claim=claim),
        success_url=reverse("services:claim_list"),
        success_message=_("已兑付。"),
    )


# Think tank ---------------------------------------------------------------------------------------


@login_required
def think_tank(request: HttpRequest) -> HttpResponse:
    """The shared think tank: talents flagged as members, bookable for an hour's consultation."""
    talents = (
        Talent.objects.visible_to(request.user)
        .filter(think_tank=True, archived_at__isnull=True)
        .order_by("name")
    )
    consultations = Consultation.objects.visible_to(request.user).select_related("talent", "firm")[:50]
    return render_page(
        request,
        "services/think_tank.html",
        {"talents": talents, "consultations": consultations, "may_book": may_order(request.user)},
    )


@login_required
def consultation_book(request: HttpRequest, pk: int) -> HttpResponse:
    talent = Talent.objects.visible_to(request.user).filter(pk=pk, think_tank=True).first()
    if talent is None or not may_order(request.user):
        raise Http404
    return _form(
        request,
        forms.ConsultationForm(request.POST or None, firms=_managed_firms(request.user), actor=request.user),
        lambda data: services.consultation_book(
            actor=request.user,
            talent=talent,
            firm=data["firm"],
            starts_at=data["starts_at"],
            topic=data["topic"],
        ),
        done=lambda c: reverse("services:consultation_detail", args=[c.pk]),
        message=_("已预约,等待专家确认。"),
        title=_("预约智库咨询:%(name)s") % {"name": talent.name},
        back=reverse("services:think_tank"),
    )


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.user, pk)
    expert = is_consulted_expert(request.user, consultation)
    firm = consultation.firm_id in managed_firm_ids(request.user)
    return render_page(
        request,
        "services/consultation_detail.html",
        {
            "consultation": consultation,
            "is_expert": expert,
            "record_form": forms.RecordForm(
                initial={"advice": consultation.advice, "follow_up": consultation.follow_up}
            )
            if (expert or firm)
            else None,
            "timeline": audit_timeline(consultation),
        },
    )


@login_required
@require_POST
def consultation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.user, pk)
    form = forms.AnswerForm(request.POST)
    return action(
        request,
        lambda: services.consultation_answer(
            actor=request.user, consultation=consultation, confirm=form.cleaned_data["decision"] == "confirm"
        ),
        form=form,
        success_url=reverse("services:consultation_detail", args=[pk]),
        success_message=_("已答复。"),
    )


@login_required
@require_POST
def consultation_record(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.user, pk)
    form = forms.RecordForm(request.POST)
    return action(
        request,
        lambda: services.consultation_record(
            actor=request.user,
            consultation=consultation,
            advice=form.cleaned_data["advice"],
            follow_up=form.cleaned_data["follow_up"],
        ),
        form=form,
        success_url=reverse("services:consultation_detail", args=[pk]),
        success_message=_("咨询意见已记录。"),
    )
