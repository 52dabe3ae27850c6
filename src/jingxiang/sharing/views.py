"""Thin views: parse, access, call a service, render (the page recipes are core.pages)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_POST

from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.core.selectors import audit_timeline
from jingxiang.core.timerules import REASON_FIELD
from jingxiang.jobs.services import job_enqueue
from jingxiang.organisations.permissions import is_operator, managed_firm_ids
from jingxiang.sharing import documents, filters, forms, selectors, services, texts
from jingxiang.sharing.models import (
    Agreement,
    Booking,
    Outcome,
    RequestStatus,
    SharingRequest,
    Statement,
    SubsidyPolicy,
    Timesheet,
)
from jingxiang.sharing.permissions import (
    access_agreement,
    access_booking,
    access_invitation,
    access_outcome,
    access_policy,
    access_profile,
    access_request,
    access_statement,
    access_timesheet,
    is_invited_talent,
    is_talent,
    may_book,
    may_file_request,
    may_manage_agreement,
    may_manage_request,
    may_record_outcome,
    may_resolve_timesheet,
    offers_booking,
    pool_queryset,
)
from jingxiang.talents.permissions import may_edit


def _form(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    done: str | Callable[[Any], str],
    title: str,
    crumbs: list[tuple[str, str]],
    message: str = "",
    **context: Any,
) -> HttpResponse:
    """A sharing form on the one form page: cancel goes back to the last breadcrumb, "提交" sends it."""
    return form_page(
        request,
        form,
        save=save,
        success_url=done,
        success_message=message,
        context={
            "title": title,
            "crumbs": crumbs,
            "back": crumbs[-1][1],
            "submit_label": _("提交"),
            **context,
        },
    )


def _agreement_crumbs(agreement: Agreement) -> list[tuple[str, str]]:
    return [
        (_("共享协议"), reverse("sharing:agreements")),
        (agreement.number, reverse("sharing:agreement_detail", args=[agreement.pk])),
    ]


@login_required
def sharing_home(request: HttpRequest) -> HttpResponse:
    """/sharing/ takes each person to where their sharing work starts."""
    if is_operator(request.user):
        return redirect("sharing:dashboard")
    if is_talent(request.user):
        return redirect("sharing:me")
    if may_file_request(request.user):
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

POOL_LIST = ListSpec(
    template="sharing/pool_list.html",
    partial="sharing/_pool_table.html",
    filterset=filters.PoolFilter,
    sort=("name", "region", "monthly_hours", "hourly_rate"),
    default_sort="name",
    export=Export("shared-talents", POOL_EXPORT),
    context_from=lambda queryset, page: {"rows": selectors.pool_rows(list(page.object_list))},
)


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    # Not distinct: only the skill filter joins the talent's skills, and it asks for distinct itself. A
    # DISTINCT over every column of the directory was most of this page's SQL at scale 10 (issue 13).
    queryset = pool_queryset(request.user).select_related("home_organisation", "sharing_profile")
    return list_page(request, queryset, POOL_LIST)


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    talent = access_profile(request.user, pk)
    return render_page(
        request,
        "sharing/profile_detail.html",
        {
            "talent": talent,
            "profile": selectors.sharing_profile_of(talent),
            "free": selectors.free_hours([talent]).get(talent.pk),
            "rating": selectors.ratings([talent.pk]).get(talent.pk),
            "bookings": selectors.upcoming_bookings(request.user, talent),
            "can_edit": may_edit(request.user, talent),
            "skills": talent.talent_skills.select_related("skill").order_by("-level"),
        },
    )


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    talent = access_profile(request.user, pk, write=True)
    initial = forms.profile_initial(talent, selectors.sharing_profile_of(talent))
    return _form(
        request,
        forms.SharingProfileForm(request.POST or None, initial=initial),
        lambda data: services.sharing_profile_update(
            actor=request.user,
            talent=talent,
            data=data,
            conflict_firms=data["conflict_firms"],
            windows=data["windows"],
            exceptions=data["exceptions"],
        ),
        done=reverse("sharing:profile", args=[talent.pk]),
        message=_("共享档案已保存。"),
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

REQUEST_LIST = ListSpec(
    template="sharing/request_list.html",
    partial="sharing/_request_table.html",
    filterset=filters.RequestFilter,
    sort=("created_at", "period_start", "budget", "hours_needed"),
    default_sort="-created_at",
    export=Export("sharing-requests", REQUEST_EXPORT),
)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        SharingRequest.objects.visible_to(request.user)
        .select_related("firm")
        .annotate(invited=Count("invitations", distinct=True))
    )
    return list_page(request, queryset, REQUEST_LIST, {"can_file": may_file_request(request.user)})


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    if not may_file_request(request.user):
        raise Http404
    return _form(
        request,
        forms.RequestForm(request.POST or None, firm_ids=managed_firm_ids(request.user), actor=request.user),
        lambda data: services.request_file(
            actor=request.user, firm=data["firm"], data=data, skills=data["skills"]
        ),
        done=lambda created: reverse("sharing:request_detail", args=[created.pk]),
        message=_("需求已提交到人才共享驿站。"),
        title=_("提交共享人才需求"),
        crumbs=[(_("共享需求"), reverse("sharing:requests"))],
        intro=_("写清要解决的问题、所需技能和时间;驿站会按匹配结果推荐人才,您也可以直接邀请。"),
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sharing_request = access_request(request.user, pk)
    manage = may_manage_request(request.user, sharing_request)
    invitations = list(sharing_request.invitations.select_related("talent", "talent__home_organisation"))
    if not manage:
        invitations = [i for i in invitations if is_invited_talent(request.user, i)]
    matching = manage and sharing_request.status in (RequestStatus.OPEN, RequestStatus.INVITED)
    agreements = list(sharing_request.agreements.visible_to(request.user).select_related("talent"))
    return render_page(
        request,
        "sharing/request_detail.html",
        {
            "req": sharing_request,
            "manage": manage,
            "invitations": invitations,
            "candidates": selectors.suggestions_for(sharing_request) if matching else [],
            "agreements": agreements,
            "agreement_invitations": {a.invitation_id for a in agreements},
            "next_step": selectors.request_next_step(sharing_request, invitations),
            "skills": list(sharing_request.skills.all()),
            "timeline": audit_timeline(sharing_request) if manage else [],
        },
    )


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    sharing_request = access_request(request.user, pk, write=True)
    form = forms.InviteForm(request.POST, queryset=pool_queryset(request.user))
    return action(
        request,
        lambda: services.invitation_send(
            actor=request.user,
            request=sharing_request,
            talents=form.cleaned_data["talents"],
            note=form.cleaned_data.get("note", ""),
        ),
        form=form,
        success_url=reverse("sharing:request_detail", args=[pk]),
        success_message=lambda sent: (
            ngettext(
                "已发出 %(n)s 份邀请,人才回复后会通知您。",
                "已发出 %(n)s 份邀请,人才回复后会通知您。",
                len(sent),
            )
            % {"n": len(sent)}
        ),
    )


@login_required
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    sharing_request = access_request(request.user, pk, write=True)
    return action(
        request,
        lambda: services.request_close(actor=request.user, request=sharing_request),
        success_url=reverse("sharing:request_detail", args=[pk]),
        success_message=_("需求已关闭。"),
    )


# The talent's own page ----------------------------------------------------------------------------


@login_required
def me(request: HttpRequest) -> HttpResponse:
    if not is_talent(request.user):
        raise Http404
    talent = request.user.talent
    return render_page(request, "sharing/me.html", {"talent": talent, **selectors.talent_overview(talent)})


@login_required
@require_POST
def invitation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access_invitation(request.user, pk, write=True)
    form = forms.RespondForm(request.POST)
    return action(
        request,
        lambda: services.invitation_respond(
            actor=request.user,
            invitation=invitation,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        success_url=reverse("sharing:me"),
        success_message=_("已回复邀请。"),
    )


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

AGREEMENT_LIST = ListSpec(
    template="sharing/agreement_list.html",
    partial="sharing/_agreement_table.html",
    filterset=filters.AgreementFilter,
    sort=("created_at", "period_start", "number"),
    default_sort="-created_at",
    export=Export("sharing-agreements", AGREEMENT_EXPORT),
)


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    queryset = Agreement.objects.visible_to(request.user).select_related("talent", "host", "home")
    return list_page(request, queryset, AGREEMENT_LIST)


@login_required
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access_invitation(request.user, pk)
    if not may_manage_request(request.user, invitation.request):
        raise Http404
    kind = _("三方共享用工协议") if invitation.talent.home_organisation_id else _("两方服务协议(独立专家)")
    return _form(
        request,
        forms.AgreementForm(
            request.POST or None, initial=forms.agreement_initial(invitation), actor=request.user
        ),
        lambda data: services.agreement_create(actor=request.user, invitation=invitation, data=data),
        done=lambda agreement: reverse("sharing:agreement_detail", args=[agreement.pk]),
        message=_("协议已起草,已通知各方签署。"),
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
    parties = selectors.agreement_parties(request.user, agreement)
    return render_page(
        request,
        "sharing/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": parties,
            "next_step": selectors.agreement_next_step(agreement, parties),
            "manage": may_manage_agreement(request.user, agreement),
            "can_book": offers_booking(request.user, agreement),
            "can_record_outcome": may_record_outcome(request.user, agreement),
            "versions": selectors.agreement_versions(request.user, agreement),
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
    return action(
        request,
        lambda: services.agreement_sign(
            actor=request.user,
            agreement=agreement,
            party=form.cleaned_data["party"],
            consent=form.cleaned_data["consent"],
        ),
        form=form,
        success_url=reverse("sharing:agreement_detail", args=[pk]),
        success_message=_("已签署。"),
    )


@login_required
def agreement_amend(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk, write=True)
    initial = {name: getattr(agreement, name) for name in forms.AgreementForm.base_fields}
    form = forms.AgreementForm(
        request.POST or None, initial=initial, kept_start=agreement.period_start, actor=request.user
    )
    return _form(
        request,
        form,
        lambda data: services.agreement_amend(actor=request.user, agreement=agreement, data=data),
        done=lambda amended: reverse("sharing:agreement_detail", args=[amended.pk]),
        message=_("已生成修订版本,各方重新签署后生效;原版本保留。"),
        title=_("修订协议 %(number)s") % {"number": agreement.number},
        crumbs=_agreement_crumbs(agreement),
        intro=_("修订会生成新版本,须各方重新签署;新版本生效前原版本继续有效。"),
    )


@login_required
@require_POST
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk, write=True)
    return action(
        request,
        lambda: services.agreement_end(actor=request.user, agreement=agreement),
        success_url=reverse("sharing:agreement_detail", args=[pk]),
        success_message=_("协议已终止,人才回原用人单位工作。"),
    )


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

BOOKING_LIST = ListSpec(
    template="sharing/booking_list.html",
    partial="sharing/_booking_table.html",
    filterset=filters.BookingFilter,
    sort=("starts_at", "hours"),
    default_sort="-starts_at",
    export=Export("sharing-bookings", BOOKING_EXPORT),
)


@login_required
def booking_list(request: HttpRequest) -> HttpResponse:
    queryset = Booking.objects.visible_to(request.user).select_related("talent", "agreement__host")
    return list_page(request, queryset, BOOKING_LIST)


def _slot_picker(request: HttpRequest, agreement: Agreement) -> dict[str, Any]:
    """The week of free slots the booking page shows (``?week=`` any day of it, ``?hours=`` the length)."""
    try:
        asked = dt.date.fromisoformat(request.GET.get("week", "")[:10])
    except ValueError:
        asked = None
    if asked is None or not 2000 <= asked.year <= 2100:  # far-off years are typing slips
        asked = max(timezone.localdate(), agreement.period_start)
    week = selectors.week_of(asked)
    hours = request.GET.get("hours", "")
    length = int(hours) if hours.isdigit() and int(hours) in selectors.SLOT_HOURS else selectors.SLOT_HOURS[0]
    return {
        "agreement": agreement,
        "week": week,
        "week_end": week + dt.timedelta(days=6),
        "previous_week": week - dt.timedelta(days=7),
        "next_week": week + dt.timedelta(days=7),
        "slot_hours": length,
        "slot_lengths": selectors.SLOT_HOURS,
        "slot_days": selectors.free_slots(agreement, week=week, hours=length),
    }


def _bookable(request: HttpRequest, pk: int) -> Agreement:
    agreement = access_agreement(request.user, pk)
    if not may_book(request.user, agreement):
        raise Http404
    return agreement


@login_required
def booking_slots(request: HttpRequest, pk: int) -> HttpResponse:
    """The free-slot picker alone, for the booking page's week and length switches (HTMX)."""
    agreement = _bookable(request, pk)
    if not getattr(request, "htmx", False):
        query = request.GET.urlencode()
        return redirect(reverse("sharing:booking_create", args=[pk]) + (f"?{query}" if query else ""))
    return render_page(request, "sharing/_slot_picker.html", _slot_picker(request, agreement))


@login_required
def booking_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _bookable(request, pk)
    return form_page(
        request,
        forms.BookingForm(request.POST or None, actor=request.user),
        template="sharing/booking_form.html",
        save=lambda data: services.booking_create(
            actor=request.user,
            agreement=agreement,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            note=data["note"],
            backdate_reason=data.get(REASON_FIELD, ""),
        ),
        success_url=reverse("sharing:agreement_detail", args=[pk]),
        success_message=_("已预约,已通知共享人才。"),
        context={
            "title": _("预约 %(name)s 的时间") % {"name": agreement.talent.name},
            "crumbs": _agreement_crumbs(agreement),
            "back": reverse("sharing:agreement_detail", args=[pk]),
            "submit_label": _("按填写的时间预约"),
            "form_id": "booking-form",
            "intro": _("可用时间:%(w)s。每月上限 %(cap)s 小时;同一时段只能被一家企业预约。")
            % {"w": selectors.availability_text(agreement.talent), "cap": agreement.monthly_hour_cap},
            **_slot_picker(request, agreement),
        },
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = access_booking(request.user, pk)
    return action(
        request,
        lambda: services.booking_cancel(actor=request.user, booking=booking),
        success_url=reverse("sharing:bookings"),
        success_message=_("预约已取消。"),
    )


@login_required
def timesheet_create(request: HttpRequest, pk: int) -> HttpResponse:
    booking = access_booking(request.user, pk, write=True)
    form = forms.TimesheetForm(
        request.POST or None, initial={"hours": booking.hours}, booking=booking, actor=request.user
    )
    return _form(
        request,
        form,
        lambda data: services.timesheet_log(
            actor=request.user, booking=booking, hours=data["hours"], description=data["description"]
        ),
        done=reverse("sharing:me"),
        message=_("工时已登记,等待用工单位确认。"),
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

TIMESHEET_LIST = ListSpec(
    template="sharing/timesheet_list.html",
    partial="sharing/_timesheet_table.html",
    filterset=filters.TimesheetFilter,
    sort=("created_at", "hours"),
    default_sort="-created_at",
    export=Export("sharing-timesheets", TIMESHEET_EXPORT),
)


@login_required
def timesheet_list(request: HttpRequest) -> HttpResponse:
    queryset = Timesheet.objects.visible_to(request.user).select_related(
        "booking__talent", "booking__agreement__host"
    )
    return list_page(request, queryset, TIMESHEET_LIST)


@login_required
@require_POST
def timesheet_review(request: HttpRequest, pk: int) -> HttpResponse:
    timesheet = access_timesheet(request.user, pk, write=True)
    form = forms.ReviewForm(request.POST)
    query = request.GET.urlencode()
    return action(
        request,
        lambda: services.timesheet_review(
            actor=request.user,
            timesheet=timesheet,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        success_url=reverse("sharing:timesheets") + (f"?{query}" if query else ""),
        success_message=_("已处理该工时。"),
    )


@login_required
@require_POST
def timesheet_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    timesheet = access_timesheet(request.user, pk, write=True)
    if not may_resolve_timesheet(request.user, timesheet):
        raise Http404
    form = forms.ResolveForm(request.POST)
    return action(
        request,
        lambda: services.timesheet_resolve(
            actor=request.user,
            timesheet=timesheet,
            approved_hours=form.cleaned_data["approved_hours"],
            note=form.cleaned_data["note"],
        ),
        form=form,
        success_url=reverse("sharing:timesheets") + "?status=disputed",
        success_message=_("异议已裁定,双方已收到通知。"),
    )


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

STATEMENT_LIST = ListSpec(
    template="sharing/statement_list.html",
    partial="sharing/_statement_table.html",
    filterset=filters.StatementFilter,
    sort=("month", "gross", "host_pays", "number"),
    default_sort="-month",
    export=Export("sharing-statements", STATEMENT_EXPORT),
    context_from=lambda queryset, page: {"totals": selectors.statement_totals(queryset)},
)


@login_required
def statement_list(request: HttpRequest) -> HttpResponse:
    queryset = Statement.objects.visible_to(request.user).select_related("host", "talent")
    return list_page(request, queryset, STATEMENT_LIST, {"is_operator": is_operator(request.user)})


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
            "next_step": selectors.statement_next_step(request.user, statement),
            "timeline": audit_timeline(statement),
        },
    )


@login_required
@require_POST
def statement_issue(request: HttpRequest, pk: int) -> HttpResponse:
    statement = access_statement(request.user, pk, write=True)
    return action(
        request,
        lambda: services.statement_issue(actor=request.user, statement=statement),
        success_url=reverse("sharing:statement_detail", args=[pk]),
        success_message=_("结算单已出具,不可再修改;已通知付款方和收款方。"),
    )


@login_required
def statement_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    statement = access_statement(request.user, pk, write=True)
    return _form(
        request,
        forms.AdjustForm(request.POST or None),
        lambda data: services.statement_adjust(
            actor=request.user,
            statement=statement,
            hours=data["hours"],
            amount=data["amount"],
            reason=data["reason"],
        ),
        done=reverse("sharing:statement_detail", args=[pk]),
        message=_("调整项已记录,将计入该协议下一期结算单。"),
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
    return _form(
        request,
        forms.GenerateForm(request.POST or None, initial={"month": last_month}),
        lambda data: job_enqueue(
            kind="sharing_statements",
            title=texts.STATEMENTS_TITLE(m=f"{data['month']:%Y-%m}"),
            created_by=request.user,
            params={"month": data["month"].isoformat()},
        ),
        done=lambda job: reverse("jobs:detail", args=[job.pk]),
        title=_("生成月度结算单"),
        crumbs=[(_("结算单"), reverse("sharing:statements"))],
        intro=_("为该月所有有已确认工时的协议生成结算单草稿(含补贴测算);核对后逐份出具。"),
        submit_label=_("开始生成"),
    )


# Subsidy policies ---------------------------------------------------------------------------------

SUBSIDY_EXPORT = (
    ExportColumn(gettext_lazy("政策名称"), lambda p: p.name),
    ExportColumn(gettext_lazy("补贴比例(%)"), lambda p: p.percentage),
    ExportColumn(
        gettext_lazy("适用规模"),
        lambda p: pgettext("list separator", "、").join(map(str, p.eligible_size_labels)),
    ),
    ExportColumn(gettext_lazy("每企业每年上限"), lambda p: p.cap_per_firm_year),
    ExportColumn(gettext_lazy("年度预算"), lambda p: p.annual_budget),
    ExportColumn(gettext_lazy("生效日期"), lambda p: p.valid_from),
    ExportColumn(gettext_lazy("失效日期"), lambda p: p.valid_to),
)

SUBSIDY_LIST = ListSpec(
    template="sharing/subsidy_list.html",
    partial="sharing/_subsidy_table.html",
    sort=("valid_from", "name"),
    default_sort="-valid_from",
    export=Export("sharing-subsidy-policies", SUBSIDY_EXPORT),
)


@login_required
def subsidy_list(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    return list_page(request, SubsidyPolicy.objects.all(), SUBSIDY_LIST)


@login_required
def subsidy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    policy = access_policy(request.user, pk) if pk else None
    initial = {name: getattr(policy, name) for name in forms.SubsidyPolicyForm.base_fields} if policy else {}
    return _form(
        request,
        forms.SubsidyPolicyForm(request.POST or None, initial=initial, actor=request.user),
        lambda data: services.subsidy_policy_save(actor=request.user, data=data, policy=policy),
        done=reverse("sharing:subsidies"),
        message=_("补贴政策已保存。"),
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

OUTCOME_LIST = ListSpec(
    template="sharing/outcome_list.html",
    partial="sharing/_outcome_table.html",
    filterset=filters.OutcomeFilter,
    sort=("created_at", "rating", "cost_saved"),
    default_sort="-created_at",
    export=Export("sharing-outcomes", OUTCOME_EXPORT),
)


@login_required
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk)
    if not may_record_outcome(request.user, agreement):
        raise Http404
    return _form(
        request,
        forms.OutcomeForm(request.POST or None, request.FILES or None),
        lambda data: services.outcome_record(
            actor=request.user, agreement=agreement, data=data, evidence=data.get("evidence")
        ),
        done=reverse("sharing:agreement_detail", args=[pk]),
        message=_("评价和成效已登记,将计入产业集群成效指标。"),
        title=_("评价并登记成效:%(name)s") % {"name": agreement.talent.name},
        crumbs=_agreement_crumbs(agreement),
        multipart=True,
    )


@login_required
def outcome_list(request: HttpRequest) -> HttpResponse:
    queryset = Outcome.objects.visible_to(request.user).select_related("agreement__host", "agreement__talent")
    return list_page(request, queryset, OUTCOME_LIST)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    return render_page(request, "sharing/dashboard.html", selectors.dashboard())


@login_required
def outcome_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = access_outcome(request.user, pk)
    if not outcome.evidence:
        raise Http404
    try:
        handle = outcome.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=outcome.evidence.name.rsplit("/", 1)[-1])
