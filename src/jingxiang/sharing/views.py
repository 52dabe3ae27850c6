"""Thin views: parse, access, call a service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_POST

from jingxiang.core.forms import add_service_error, refusal_message
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
from jingxiang.organisations.permissions import is_operator
from jingxiang.sharing import documents, filters, forms, selectors, services, texts
from jingxiang.sharing.models import (
    Agreement,
    AgreementStatus,
    Booking,
    BookingStatus,
    Invitation,
    InvitationStatus,
    Party,
    RequestStatus,
    SharingProfile,
    SharingRequest,
    Statement,
    SubsidyPolicy,
    Timesheet,
)
from jingxiang.sharing.permissions import (
    access_agreement,
    access_booking,
    access_invitation,
    access_policy,
    access_profile,
    access_request,
    access_statement,
    access_timesheet,
    is_talent,
    may_book,
    may_manage_agreement,
    may_manage_request,
    officer_firm_ids,
    outcome_queryset,
    pool_queryset,
    signable_parties,
)
from jingxiang.talents.permissions import may_edit


def _form_page(
    request: HttpRequest, form: Any, *, title: str, crumbs: list[tuple[str, str]], **extra: Any
) -> HttpResponse:
    return render_page(
        request, "sharing/form.html", {"form": form, "title": title, "crumbs": crumbs, **extra}
    )


def _list_context(request: HttpRequest, filterset: Any, page: Any, sort: str) -> dict[str, Any]:
    return {
        "filterset": filterset,
        "page": page,
        "sort": sort,
        "query": query_without(request, "page"),
        "query_nosort": query_without(request, "page", "sort"),
    }


def _filtered(filterset: Any) -> Any:
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


@login_required
def sharing_home(request: HttpRequest) -> HttpResponse:
    """/sharing/ takes each person to where their sharing work starts."""
    if is_operator(request.user):
        return redirect("sharing:dashboard")
    if is_talent(request.user):
        return redirect("sharing:me")
    if officer_firm_ids(request.user):
        return redirect("sharing:requests")
    return redirect("sharing:pool")


# Pool ---------------------------------------------------------------------------------------------

POOL_EXPORT = (
    ExportColumn(gettext_lazy("姓名"), lambda t: t.name),
    ExportColumn(gettext_lazy("类别"), lambda t: t.get_kind_display()),
    ExportColumn(gettext_lazy("层级/荣誉"), lambda t: t.level),
    ExportColumn(
        gettext_lazy("原用人单位"),
        lambda t: t.home_organisation.name if t.home_organisation else _("独立专家"),
    ),
    ExportColumn(gettext_lazy("区域"), lambda t: t.region),
    ExportColumn(gettext_lazy("每月可共享小时"), lambda t: t.monthly_hours),
    ExportColumn(gettext_lazy("服务费率(元/小时)"), lambda t: t.hourly_rate),
)


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    queryset = pool_queryset(request.user).select_related("home_organisation", "sharing_profile")
    filterset = filters.PoolFilter(request.GET, queryset=queryset)
    queryset, sort = apply_sort(
        request, _filtered(filterset).distinct(), ["name", "region", "monthly_hours", "hourly_rate"], "name"
    )
    if wants_export(request):
        return export_queryset("shared-talents", queryset, POOL_EXPORT)
    page = paginate(request, queryset)
    talents = list(page.object_list)
    context = _list_context(request, filterset, page, sort)
    context["rows"] = _pool_rows(talents)
    return render_page(request, "sharing/pool_list.html", context, partial="sharing/_pool_table.html")


def _pool_rows(talents: list[Any]) -> list[tuple[Any, Any, Any]]:
    free = selectors.free_hours(talents)
    rated = selectors.ratings([t.pk for t in talents])
    return [(t, free.get(t.pk), rated.get(t.pk)) for t in talents]


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    talent = access_profile(request.user, pk)
    profile = (
        SharingProfile.objects.filter(talent=talent)
        .prefetch_related("windows", "exceptions", "conflict_firms")
        .first()
    )
    today = timezone.localdate()
    bookings = list(
        Booking.objects.visible_to(request.user)
        .live()
        .filter(talent=talent, starts_at__date__gte=today)
        .select_related("agreement__host", "talent")
        .order_by("starts_at")[:20]
    )
    return render_page(
        request,
        "sharing/profile_detail.html",
        {
            "talent": talent,
            "profile": profile,
            "free": selectors.free_hours([talent]).get(talent.pk),
            "rating": selectors.ratings([talent.pk]).get(talent.pk),
            "bookings": bookings,
            "can_edit": may_edit(request.user, talent),
            "skills": talent.talent_skills.select_related("skill").order_by("-level"),
        },
    )


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    talent = access_profile(request.user, pk, write=True)
    profile = SharingProfile.objects.filter(talent=talent).first()
    if profile is not None:
        initial = {
            "offers_onsite": profile.offers_onsite,
            "offers_remote": profile.offers_remote,
            "offers_consultation": profile.offers_consultation,
            "labour_contract_end": profile.labour_contract_end,
            "conflict_firms": list(profile.conflict_firms.all()),
            "windows": forms.windows_as_text(profile),
            "exceptions": forms.exceptions_as_text(profile),
            "note": profile.note,
        }
    else:
        initial = {
            "offers_onsite": True,
            "offers_remote": True,
            "offers_consultation": talent.think_tank,
            "windows": "\n".join(f"{label} 09:00-17:00" for label in forms.weekday_tokens()[:5]),
        }
    form = forms.SharingProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sharing_profile_update(
                actor=request.user,
                talent=talent,
                data=data,
                conflict_firms=data["conflict_firms"],
                windows=data["windows"],
                exceptions=data["exceptions"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("共享档案已保存。"))
            return redirect("sharing:profile", pk=talent.pk)
    return _form_page(
        request,
        form,
        title=_("编辑共享档案:%(name)s") % {"name": talent.name},
        crumbs=[
            (_("共享人才库"), reverse("sharing:pool")),
            (talent.name, reverse("sharing:profile", args=[talent.pk])),
        ],
    )


# Requests -----------------------------------------------------------------------------------------

REQUEST_EXPORT = (
    ExportColumn(gettext_lazy("提交时间"), lambda r: r.created_at),
    ExportColumn(gettext_lazy("需求企业"), lambda r: r.firm.name),
    ExportColumn(gettext_lazy("需求标题"), lambda r: r.title),
    ExportColumn(gettext_lazy("每月需要小时"), lambda r: r.hours_needed),
    ExportColumn(gettext_lazy("开始日期"), lambda r: r.period_start),
    ExportColumn(gettext_lazy("结束日期"), lambda r: r.period_end),
    ExportColumn(gettext_lazy("服务方式"), lambda r: r.get_mode_display()),
    ExportColumn(gettext_lazy("预算(元)"), lambda r: r.budget),
    ExportColumn(gettext_lazy("状态"), lambda r: r.get_status_display()),
)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        SharingRequest.objects.visible_to(request.user)
        .select_related("firm")
        .annotate(invited=Count("invitations", distinct=True))
    )
    filterset = filters.RequestFilter(request.GET, queryset=queryset)
    queryset, sort = apply_sort(
        request, _filtered(filterset), ["created_at", "period_start", "budget", "hours_needed"], "-created_at"
    )
    if wants_export(request):
        return export_queryset("sharing-requests", queryset, REQUEST_EXPORT)
    context = _list_context(request, filterset, paginate(request, queryset), sort)
    context["can_file"] = bool(officer_firm_ids(request.user))
    return render_page(request, "sharing/request_list.html", context, partial="sharing/_request_table.html")


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    firms = officer_firm_ids(request.user)
    if not firms:
        raise Http404
    form = forms.RequestForm(request.POST or None, firm_ids=firms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.request_file(
                actor=request.user, firm=data["firm"], data=data, skills=data["skills"]
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("需求已提交到人才共享驿站。"))
            return redirect("sharing:request_detail", pk=created.pk)
    return _form_page(
        request,
        form,
        title=_("提交共享人才需求"),
        crumbs=[(_("共享需求"), reverse("sharing:requests"))],
        intro=_("写清要解决的问题、所需技能和时间;驿站会按匹配结果推荐人才,您也可以直接邀请。"),
    )


def _request_next_step(sharing_request: SharingRequest, invitations: list[Invitation]) -> str:
    if sharing_request.status == RequestStatus.CLOSED:
        return ""
    if sharing_request.status == RequestStatus.MATCHED:
        return ""
    if any(i.status == InvitationStatus.ACCEPTED for i in invitations):
        if sharing_request.agreements.exists():
            return _("等待 各方 签署共享协议")
        return _("等待 %(firm)s 共享人才官 起草共享协议") % {"firm": sharing_request.firm.name}
    if any(i.status == InvitationStatus.PENDING for i in invitations):
        names = pgettext("list separator", "、").join(
            i.talent.name for i in invitations if i.status == InvitationStatus.PENDING
        )
        return _("等待 %(names)s 回复邀请") % {"names": names}
    return _("等待 人才共享驿站 推荐并邀请人才")


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sharing_request = access_request(request.user, pk)
    manage = may_manage_request(request.user, sharing_request)
    invitations = list(sharing_request.invitations.select_related("talent", "talent__home_organisation"))
    if not manage:
        invitations = [i for i in invitations if i.talent.user_id == request.user.pk]
    candidates = []
    if manage and sharing_request.status in (RequestStatus.OPEN, RequestStatus.INVITED):
        candidates = selectors.suggestions_for(sharing_request)
    agreements = list(sharing_request.agreements.visible_to(request.user).select_related("talent"))
    return render_page(
        request,
        "sharing/request_detail.html",
        {
            "req": sharing_request,
            "manage": manage,
            "invitations": invitations,
            "candidates": candidates,
            "agreements": agreements,
            "agreement_invitations": {a.invitation_id for a in agreements},
            "next_step": _request_next_step(sharing_request, invitations),
            "skills": list(sharing_request.skills.all()),
            "timeline": audit_timeline(sharing_request) if manage else [],
        },
    )


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    sharing_request = access_request(request.user, pk, write=True)
    form = forms.InviteForm(request.POST, queryset=pool_queryset(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("sharing:request_detail", pk=pk)
    try:
        sent = services.invitation_send(
            actor=request.user, request=sharing_request, talents=form.cleaned_data["talents"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(
            request,
            ngettext(
                "已发出 %(n)s 份邀请,人才回复后会通知您。",
                "已发出 %(n)s 份邀请,人才回复后会通知您。",
                len(sent),
            )
            % {"n": len(sent)},
        )
    return redirect("sharing:request_detail", pk=pk)


@login_required
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    sharing_request = access_request(request.user, pk, write=True)
    try:
        services.request_close(actor=request.user, request=sharing_request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("需求已关闭。"))
    return redirect("sharing:request_detail", pk=pk)


# The talent's own page ----------------------------------------------------------------------------


@login_required
def me(request: HttpRequest) -> HttpResponse:
    if not is_talent(request.user):
        raise Http404
    talent = request.user.talent
    now = timezone.now()
    invitations = list(
        Invitation.objects.filter(talent=talent).select_related("request__firm").order_by("-created_at")[:20]
    )
    agreements = list(
        Agreement.objects.filter(talent=talent)
        .exclude(status=AgreementStatus.SUPERSEDED)
        .select_related("host", "home")
        .prefetch_related("signatures")
        .order_by("-created_at")[:20]
    )
    for agreement in agreements:
        agreement.i_signed = any(s.party == Party.TALENT for s in agreement.signatures.all())
    bookings = list(
        Booking.objects.filter(talent=talent, status=BookingStatus.BOOKED)
        .select_related("agreement__host", "talent")
        .annotate(logged=Sum("timesheets__hours"))
        .order_by("-starts_at")[:30]
    )
    return render_page(
        request,
        "sharing/me.html",
        {
            "talent": talent,
            "invitations": invitations,
            "agreements": agreements,
            "bookings": bookings,
            "now": now,
            "respond_form": forms.RespondForm(),
        },
    )


@login_required
@require_POST
def invitation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access_invitation(request.user, pk, write=True)
    form = forms.RespondForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("sharing:me")
    try:
        services.invitation_respond(
            actor=request.user,
            invitation=invitation,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("已回复邀请。"))
    return redirect("sharing:me")


# Agreements ---------------------------------------------------------------------------------------

AGREEMENT_EXPORT = (
    ExportColumn(gettext_lazy("协议编号"), lambda a: a.number),
    ExportColumn(gettext_lazy("版本"), lambda a: a.version),
    ExportColumn(gettext_lazy("类型"), lambda a: a.get_kind_display()),
    ExportColumn(gettext_lazy("共享人才"), lambda a: a.talent.name),
    ExportColumn(gettext_lazy("原用人单位"), lambda a: a.home.name if a.home else ""),
    ExportColumn(gettext_lazy("用工单位"), lambda a: a.host.name),
    ExportColumn(gettext_lazy("开始日期"), lambda a: a.period_start),
    ExportColumn(gettext_lazy("结束日期"), lambda a: a.period_end),
    ExportColumn(gettext_lazy("每月工时上限"), lambda a: a.monthly_hour_cap),
    ExportColumn(gettext_lazy("状态"), lambda a: a.get_status_display()),
)


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    queryset = Agreement.objects.visible_to(request.user).select_related("talent", "host", "home")
    filterset = filters.AgreementFilter(request.GET, queryset=queryset)
    queryset, sort = apply_sort(
        request, _filtered(filterset), ["created_at", "period_start", "number"], "-created_at"
    )
    if wants_export(request):
        return export_queryset("sharing-agreements", queryset, AGREEMENT_EXPORT)
    context = _list_context(request, filterset, paginate(request, queryset), sort)
    return render_page(
        request, "sharing/agreement_list.html", context, partial="sharing/_agreement_table.html"
    )


def _agreement_initial(invitation: Invitation) -> dict[str, Any]:
    req, talent = invitation.request, invitation.talent
    cap = min(req.hours_needed, talent.monthly_hours) if talent.monthly_hours else req.hours_needed
    return {
        "period_start": req.period_start,
        "period_end": req.period_end,
        "monthly_hour_cap": cap,
        "mode": req.mode,
        "hourly_rate": talent.hourly_rate,
        "tasks": req.problem,
    }


@login_required
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access_invitation(request.user, pk)
    if not may_manage_request(request.user, invitation.request):
        raise Http404
    form = forms.AgreementForm(request.POST or None, initial=_agreement_initial(invitation))
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                actor=request.user, invitation=invitation, data=form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("协议已起草,已通知各方签署。"))
            return redirect("sharing:agreement_detail", pk=agreement.pk)
    kind = _("三方共享用工协议") if invitation.talent.home_organisation_id else _("两方服务协议(独立专家)")
    return _form_page(
        request,
        form,
        title=_("起草共享协议:%(talent)s → %(firm)s")
        % {"talent": invitation.talent.name, "firm": invitation.request.firm.name},
        crumbs=[
            (_("共享需求"), reverse("sharing:requests")),
            (invitation.request.title, reverse("sharing:request_detail", args=[invitation.request_id])),
        ],
        intro=_(
            "协议类型:%(kind)s。原用人单位继续支付工资和社会保险,用工单位向原用人单位付费,不得向人才收取任何费用。"
        )
        % {"kind": kind},
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk)
    signatures = {s.party: s for s in agreement.signatures.select_related("signed_by")}
    mine = signable_parties(request.user, agreement)
    parties = []
    for party in agreement.parties:
        name = {
            Party.HOME: agreement.home.name if agreement.home else "",
            Party.HOST: agreement.host.name,
        }.get(party, agreement.talent.name)
        parties.append(
            {
                "party": party,
                "label": Party(party).label,
                "name": name,
                "signature": signatures.get(party),
                "can_sign": party in mine
                and party not in signatures
                and agreement.status == AgreementStatus.PENDING,
            }
        )
    waiting = [f"{p['name']}({p['label']})" for p in parties if p["signature"] is None]
    manage = may_manage_agreement(request.user, agreement)
    versions = list(
        Agreement.objects.visible_to(request.user)
        .filter(number__startswith=agreement.number.split("-V")[0])
        .order_by("version")
        .only("pk", "number", "version", "status")
    )
    return render_page(
        request,
        "sharing/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": parties,
            "waiting": pgettext("list separator", "、").join(waiting)
            if agreement.status == AgreementStatus.PENDING
            else "",
            "manage": manage,
            "can_book": may_book(request.user, agreement),
            "is_host": agreement.host_id in officer_firm_ids(request.user),
            "versions": versions,
            "bookings": list(agreement.bookings.select_related("talent").order_by("-starts_at")[:20]),
            "statements": list(agreement.statements.all()[:12]),
            "outcomes": list(agreement.outcomes.all()),
            "timeline": audit_timeline(agreement),
        },
    )


@login_required
@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk)
    form = forms.SignForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_sign(
                actor=request.user,
                agreement=agreement,
                party=form.cleaned_data["party"],
                consent=form.cleaned_data["consent"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
        else:
            messages.success(request, _("已签署。"))
    return redirect("sharing:agreement_detail", pk=pk)


@login_required
def agreement_amend(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk, write=True)
    initial = {
        field: getattr(agreement, field)
        for field in (
            "period_start",
            "period_end",
            "monthly_hour_cap",
            "mode",
            "hourly_rate",
            "tasks",
            "confidentiality",
            "supplementary_insurance",
        )
    }
    form = forms.AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            amended = services.agreement_amend(
                actor=request.user, agreement=agreement, data=form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已生成修订版本,各方重新签署后生效;原版本保留。"))
            return redirect("sharing:agreement_detail", pk=amended.pk)
    return _form_page(
        request,
        form,
        title=_("修订协议 %(number)s") % {"number": agreement.number},
        crumbs=[
            (_("共享协议"), reverse("sharing:agreements")),
            (agreement.number, reverse("sharing:agreement_detail", args=[pk])),
        ],
        intro=_("修订会生成新版本,须各方重新签署;新版本生效前原版本继续有效。"),
    )


@login_required
@require_POST
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk, write=True)
    try:
        services.agreement_end(actor=request.user, agreement=agreement)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("协议已终止,人才回原用人单位工作。"))
    return redirect("sharing:agreement_detail", pk=pk)


@login_required
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk)
    response = HttpResponse(documents.agreement_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{agreement.number}.pdf"'
    return response


# Bookings and timesheets --------------------------------------------------------------------------

BOOKING_EXPORT = (
    ExportColumn(gettext_lazy("共享人才"), lambda b: b.talent.name),
    ExportColumn(gettext_lazy("用工单位"), lambda b: b.agreement.host.name),
    ExportColumn(gettext_lazy("协议编号"), lambda b: b.agreement.number),
    ExportColumn(gettext_lazy("开始时间"), lambda b: b.starts_at),
    ExportColumn(gettext_lazy("结束时间"), lambda b: b.ends_at),
    ExportColumn(gettext_lazy("小时"), lambda b: b.hours),
    ExportColumn(gettext_lazy("状态"), lambda b: b.get_status_display()),
)


@login_required
def booking_list(request: HttpRequest) -> HttpResponse:
    queryset = Booking.objects.visible_to(request.user).select_related("talent", "agreement__host")
    filterset = filters.BookingFilter(request.GET, queryset=queryset)
    queryset, sort = apply_sort(request, _filtered(filterset), ["starts_at", "hours"], "-starts_at")
    if wants_export(request):
        return export_queryset("sharing-bookings", queryset, BOOKING_EXPORT)
    context = _list_context(request, filterset, paginate(request, queryset), sort)
    context["officer_firms"] = officer_firm_ids(request.user)
    context["now"] = timezone.now()
    return render_page(request, "sharing/booking_list.html", context, partial="sharing/_booking_table.html")


@login_required
def booking_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk)
    if agreement.host_id not in officer_firm_ids(request.user):
        raise Http404
    form = forms.BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.booking_create(
                actor=request.user,
                agreement=agreement,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已预约,已通知共享人才。"))
            return redirect("sharing:agreement_detail", pk=pk)
    profile = SharingProfile.objects.filter(talent_id=agreement.talent_id).prefetch_related("windows").first()
    windows = (
        pgettext("list separator", "、").join(str(w) for w in profile.windows.all())
        if profile
        else _("工作日 09:00–17:00")
    )
    return _form_page(
        request,
        form,
        title=_("预约 %(name)s 的时间") % {"name": agreement.talent.name},
        crumbs=[
            (_("共享协议"), reverse("sharing:agreements")),
            (agreement.number, reverse("sharing:agreement_detail", args=[pk])),
        ],
        intro=_("可用时间:%(w)s。每月上限 %(cap)s 小时;同一时段只能被一家企业预约。")
        % {"w": windows, "cap": agreement.monthly_hour_cap},
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = access_booking(request.user, pk)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("预约已取消。"))
    return redirect("sharing:bookings")


@login_required
def timesheet_create(request: HttpRequest, pk: int) -> HttpResponse:
    booking = access_booking(request.user, pk, write=True)
    form = forms.TimesheetForm(request.POST or None, initial={"hours": booking.hours})
    if request.method == "POST" and form.is_valid():
        try:
            services.timesheet_log(
                actor=request.user,
                booking=booking,
                hours=form.cleaned_data["hours"],
                description=form.cleaned_data["description"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("工时已登记,等待用工单位确认。"))
            return redirect("sharing:me")
    return _form_page(
        request,
        form,
        title=_("登记工时:%(slot)s") % {"slot": str(booking)},
        crumbs=[(_("我的共享"), reverse("sharing:me"))],
        intro=_("只能为已预约的时段登记,最多 %(h)s 小时。") % {"h": booking.hours},
    )


TIMESHEET_EXPORT = (
    ExportColumn(gettext_lazy("共享人才"), lambda t: t.booking.talent.name),
    ExportColumn(gettext_lazy("用工单位"), lambda t: t.booking.agreement.host.name),
    ExportColumn(gettext_lazy("预约时段"), lambda t: str(t.booking)),
    ExportColumn(gettext_lazy("登记工时"), lambda t: t.hours),
    ExportColumn(gettext_lazy("确认工时"), lambda t: t.approved_hours),
    ExportColumn(gettext_lazy("工作内容"), lambda t: t.description),
    ExportColumn(gettext_lazy("状态"), lambda t: t.get_status_display()),
    ExportColumn(gettext_lazy("异议理由"), lambda t: t.dispute_reason),
    ExportColumn(gettext_lazy("裁定意见"), lambda t: t.resolution_note),
)


@login_required
def timesheet_list(request: HttpRequest) -> HttpResponse:
    queryset = Timesheet.objects.visible_to(request.user).select_related(
        "booking__talent", "booking__agreement__host"
    )
    filterset = filters.TimesheetFilter(request.GET, queryset=queryset)
    queryset, sort = apply_sort(request, _filtered(filterset), ["created_at", "hours"], "-created_at")
    if wants_export(request):
        return export_queryset("sharing-timesheets", queryset, TIMESHEET_EXPORT)
    context = _list_context(request, filterset, paginate(request, queryset), sort)
    context.update(
        {
            "officer_firms": officer_firm_ids(request.user),
            "is_operator": is_operator(request.user),
            "review_form": forms.ReviewForm(),
        }
    )
    return render_page(
        request, "sharing/timesheet_list.html", context, partial="sharing/_timesheet_table.html"
    )


@login_required
@require_POST
def timesheet_review(request: HttpRequest, pk: int) -> HttpResponse:
    timesheet = access_timesheet(request.user, pk, write=True)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.timesheet_review(
                actor=request.user,
                timesheet=timesheet,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
        else:
            messages.success(request, _("已处理该工时。"))
    else:
        messages.error(request, _("请选择确认或提出异议。"))
    return redirect(
        reverse("sharing:timesheets") + "?" + request.GET.urlencode()
        if request.GET
        else reverse("sharing:timesheets")
    )


@login_required
@require_POST
def timesheet_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    timesheet = access_timesheet(request.user, pk, write=True)
    if not is_operator(request.user):
        raise Http404
    form = forms.ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.timesheet_resolve(
                actor=request.user,
                timesheet=timesheet,
                approved_hours=form.cleaned_data["approved_hours"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
        else:
            messages.success(request, _("异议已裁定,双方已收到通知。"))
    else:
        messages.error(request, _("请填写裁定工时和裁定意见。"))
    return redirect(reverse("sharing:timesheets") + "?status=disputed")


# Statements ---------------------------------------------------------------------------------------

STATEMENT_EXPORT = (
    ExportColumn(gettext_lazy("结算单号"), lambda s: s.number),
    ExportColumn(gettext_lazy("月份"), lambda s: f"{s.month:%Y-%m}"),
    ExportColumn(gettext_lazy("用工单位"), lambda s: s.host.name),
    ExportColumn(gettext_lazy("共享人才"), lambda s: s.talent.name),
    ExportColumn(gettext_lazy("收款方"), lambda s: s.payee),
    ExportColumn(gettext_lazy("工时"), lambda s: s.hours),
    ExportColumn(gettext_lazy("应结金额"), lambda s: s.gross),
    ExportColumn(gettext_lazy("补贴"), lambda s: s.subsidy),
    ExportColumn(gettext_lazy("企业应付"), lambda s: s.host_pays),
    ExportColumn(gettext_lazy("状态"), lambda s: s.get_status_display()),
)


@login_required
def statement_list(request: HttpRequest) -> HttpResponse:
    queryset = Statement.objects.visible_to(request.user).select_related("host", "talent")
    filterset = filters.StatementFilter(request.GET, queryset=queryset)
    filtered = _filtered(filterset)
    queryset, sort = apply_sort(request, filtered, ["month", "gross", "host_pays", "number"], "-month")
    if wants_export(request):
        return export_queryset("sharing-statements", queryset, STATEMENT_EXPORT)
    context = _list_context(request, filterset, paginate(request, queryset), sort)
    context.update({"totals": selectors.statement_totals(filtered), "is_operator": is_operator(request.user)})
    return render_page(
        request, "sharing/statement_list.html", context, partial="sharing/_statement_table.html"
    )


@login_required
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = access_statement(request.user, pk)
    return render_page(
        request,
        "sharing/statement_detail.html",
        {
            "statement": statement,
            "lines": list(statement.lines.all()),
            "corrections": list(statement.corrections.select_related("applied_to")),
            "is_operator": is_operator(request.user),
            "timeline": audit_timeline(statement),
        },
    )


@login_required
@require_POST
def statement_issue(request: HttpRequest, pk: int) -> HttpResponse:
    statement = access_statement(request.user, pk, write=True)
    try:
        services.statement_issue(actor=request.user, statement=statement)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("结算单已出具,不可再修改;已通知付款方和收款方。"))
    return redirect("sharing:statement_detail", pk=pk)


@login_required
def statement_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    statement = access_statement(request.user, pk, write=True)
    form = forms.AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.statement_adjust(
                actor=request.user,
                statement=statement,
                hours=data["hours"],
                amount=data["amount"],
                reason=data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("调整项已记录,将计入该协议下一期结算单。"))
            return redirect("sharing:statement_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("更正结算单 %(number)s") % {"number": statement.number},
        crumbs=[
            (_("结算单"), reverse("sharing:statements")),
            (statement.number, reverse("sharing:statement_detail", args=[pk])),
        ],
        intro=_("已出具的结算单不可修改;更正以调整项计入下一期结算单。"),
    )


@login_required
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    statement = access_statement(request.user, pk)
    response = HttpResponse(documents.statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{statement.number}.pdf"'
    return response


@login_required
def statements_generate(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    form = forms.GenerateForm(request.POST or None, initial={"month": last_month})
    if request.method == "POST" and form.is_valid():
        month = form.cleaned_data["month"]
        job = job_enqueue(
            kind="sharing_statements",
            title=texts.STATEMENTS_TITLE(m=f"{month:%Y-%m}"),
            created_by=request.user,
            params={"month": month.isoformat()},
        )
        return redirect("jobs:detail", pk=job.pk)
    return _form_page(
        request,
        form,
        title=_("生成月度结算单"),
        crumbs=[(_("结算单"), reverse("sharing:statements"))],
        intro=_("为该月所有有已确认工时的协议生成结算单草稿(含补贴测算);核对后逐份出具。"),
        submit_label=_("开始生成"),
    )


# Subsidy policies ---------------------------------------------------------------------------------


@login_required
def subsidy_list(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    policies = SubsidyPolicy.objects.order_by("-valid_from", "pk")
    return render_page(request, "sharing/subsidy_list.html", {"page": paginate(request, policies)})


@login_required
def subsidy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    policy = access_policy(request.user, pk) if pk else None
    initial = (
        {
            f: getattr(policy, f)
            for f in (
                "name",
                "percentage",
                "eligible_sizes",
                "cap_per_firm_year",
                "annual_budget",
                "valid_from",
                "valid_to",
            )
        }
        if policy
        else {}
    )
    form = forms.SubsidyPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.subsidy_policy_save(actor=request.user, data=form.cleaned_data, policy=policy)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("补贴政策已保存。"))
            return redirect("sharing:subsidies")
    return _form_page(
        request,
        form,
        title=_("编辑补贴政策") if policy else _("新增补贴政策"),
        crumbs=[(_("补贴政策"), reverse("sharing:subsidies"))],
    )


# Outcomes and the station dashboard ---------------------------------------------------------------

OUTCOME_EXPORT = (
    ExportColumn(gettext_lazy("登记时间"), lambda o: o.created_at),
    ExportColumn(gettext_lazy("用工单位"), lambda o: o.agreement.host.name),
    ExportColumn(gettext_lazy("共享人才"), lambda o: o.agreement.talent.name),
    ExportColumn(gettext_lazy("协议编号"), lambda o: o.agreement.number),
    ExportColumn(gettext_lazy("评分"), lambda o: o.rating),
    ExportColumn(gettext_lazy("问题已解决"), lambda o: _("是") if o.problem_solved else _("否")),
    ExportColumn(gettext_lazy("专利申请号"), lambda o: o.patent_number),
    ExportColumn(gettext_lazy("节约成本(元)"), lambda o: o.cost_saved),
    ExportColumn(gettext_lazy("改进的产品"), lambda o: o.products_improved),
)


@login_required
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk)
    if agreement.host_id not in officer_firm_ids(request.user):
        raise Http404
    form = forms.OutcomeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(
                actor=request.user,
                agreement=agreement,
                data=form.cleaned_data,
                evidence=form.cleaned_data.get("evidence"),
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("评价和成效已登记,将计入产业集群成效指标。"))
            return redirect("sharing:agreement_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("评价并登记成效:%(name)s") % {"name": agreement.talent.name},
        crumbs=[
            (_("共享协议"), reverse("sharing:agreements")),
            (agreement.number, reverse("sharing:agreement_detail", args=[pk])),
        ],
        multipart=True,
    )


@login_required
def outcome_list(request: HttpRequest) -> HttpResponse:
    queryset = outcome_queryset(request.user).select_related("agreement__host", "agreement__talent")
    filterset = filters.OutcomeFilter(request.GET, queryset=queryset)
    queryset, sort = apply_sort(
        request, _filtered(filterset), ["created_at", "rating", "cost_saved"], "-created_at"
    )
    if wants_export(request):
        return export_queryset("sharing-outcomes", queryset, OUTCOME_EXPORT)
    context = _list_context(request, filterset, paginate(request, queryset), sort)
    return render_page(request, "sharing/outcome_list.html", context, partial="sharing/_outcome_table.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    return render_page(request, "sharing/dashboard.html", selectors.dashboard())


@login_required
def outcome_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = outcome_queryset(request.user).filter(pk=pk).first()
    if outcome is None or not outcome.evidence:
        raise Http404
    try:
        handle = outcome.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=outcome.evidence.name.rsplit("/", 1)[-1])
