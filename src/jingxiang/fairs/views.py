"""Thin views of the fairs: parse, access, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jingxiang.core.documents import qr_svg, verification_url
from jingxiang.core.excel import export_response, xlsx_response
from jingxiang.core.links import absolute_url
from jingxiang.core.listing import ExportColumn, paginate
from jingxiang.core.pages import Export, ListSpec, NextStep, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.core.timerules import REASON_FIELD
from jingxiang.events.models import Meeting, Participant, RequestStatus
from jingxiang.events.permissions import registrable_profiles
from jingxiang.fairs import documents, forms, permissions, selectors, services, texts
from jingxiang.fairs.imports import BoothImport
from jingxiang.fairs.models import (
    ApplicationStatus,
    Booth,
    BoothState,
    Buyer,
    ExhibitorApplication,
    Fair,
    FairStatus,
    Lead,
    LeadMethod,
)
from jingxiang.jobs.services import job_enqueue
from jingxiang.organisations.permissions import is_operator

# Fairs ---------------------------------------------------------------------------------------------

FAIR_LIST = ListSpec(
    template="fairs/fair_list.html",
    partial="fairs/_fair_table.html",
    sort=("starts_on", "title"),
    default_sort="-starts_on",
    export=Export(
        "fairs",
        (
            ExportColumn(gettext_lazy("展会代码"), lambda f: f.code),
            ExportColumn(gettext_lazy("名称"), lambda f: f.title),
            ExportColumn(gettext_lazy("城市"), lambda f: f.city),
            ExportColumn(gettext_lazy("展馆地点"), lambda f: f.venue),
            ExportColumn(gettext_lazy("开幕日期"), lambda f: f.starts_on),
            ExportColumn(gettext_lazy("闭幕日期"), lambda f: f.ends_on),
            ExportColumn(gettext_lazy("状态"), lambda f: f.get_status_display()),
        ),
    ),
)


def fair_list(request: HttpRequest) -> HttpResponse:
    """Public: buyers find the fair to pre-register without a login."""
    return list_page(
        request, Fair.objects.visible_to(request.user), FAIR_LIST, {"is_operator": is_operator(request.user)}
    )


@login_required
def fair_create(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    return form_page(
        request,
        forms.FairForm(request.POST or None, actor=request.user),
        save=lambda data: services.fair_create(actor=request.user, **data),
        success_url=lambda fair: reverse("fairs:detail", args=[fair.pk]),
        success_message=_("展会已创建,洽谈会场次和洽谈桌已一并建好。"),
        context={"title": _("新建展会"), "back": reverse("fairs:list")},
    )


def _fair_next_step(user: Any, fair: Fair, mine: list[ExhibitorApplication], buyers: list[Buyer]) -> NextStep:
    if is_operator(user):
        if fair.status == FairStatus.DRAFT:
            return NextStep(_("添加展馆和展位(可从 Excel 导入),然后开始招展。"), _("平台运营"), True)
        if fair.status == FairStatus.OPEN:
            return NextStep(
                _("审核参展申请、按志愿分配展位;洽谈预约接受后排程并发布日程。"), _("平台运营"), True
            )
        return NextStep(_("展会已闭幕,可查看各参展商报告。"), _("平台运营"), True)
    if mine:
        application = mine[0]
        if application.status == ApplicationStatus.SUBMITTED:
            return NextStep(_("等待平台分配展位。"), _("平台运营"))
        return NextStep(
            _("展位已分配:在展位上扫描采购商胸卡记录线索,答复洽谈预约。"), application.organisation.name, True
        )
    if buyers:
        return NextStep(_("您已登记,请携带胸卡入场;可向参展商预约洽谈。"), buyers[0].name, True)
    if fair.status == FairStatus.OPEN:
        return NextStep(_("采购商可在线预登记领取胸卡;企业可在展位图上点选展位申请参展。"))
    return NextStep(_("本届展会已闭幕。"))


def fair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fair = permissions.access_fair(request.user, pk)
    mine = permissions.my_applications(request.user, fair)
    buyers = permissions.my_buyers(request.user, fair)
    operator = is_operator(request.user)
    return render_page(
        request,
        "fairs/fair_detail.html",
        {
            "fair": fair,
            "operator": operator,
            "figures": selectors.fair_figures(fair),
            "maps": [selectors.hall_map(hall, show_holders=True) for hall in fair.halls.all()],
            "legend": selectors.legend(),
            "mine": mine,
            "my_buyers": buyers,
            "may_apply": permissions.may_apply(request.user, fair),
            "next_step": _fair_next_step(request.user, fair, mine, buyers),
        },
    )


@login_required
@require_POST
def fair_open(request: HttpRequest, pk: int) -> HttpResponse:
    fair = permissions.access_fair(request.user, pk, write=True)
    return action(
        request,
        lambda: services.fair_open(actor=request.user, fair=fair),
        success_url=reverse("fairs:detail", args=[pk]),
        success_message=_("已开始招展:企业可申请展位,采购商可预登记。"),
    )


@login_required
@require_POST
def fair_close(request: HttpRequest, pk: int) -> HttpResponse:
    fair = permissions.access_fair(request.user, pk, write=True)
    return action(
        request,
        lambda: services.fair_close(actor=request.user, fair=fair),
        success_url=reverse("fairs:detail", args=[pk]),
        success_message=_("展会已闭幕。"),
    )


@login_required
def hall_add(request: HttpRequest, pk: int) -> HttpResponse:
    fair = permissions.access_fair(request.user, pk, write=True)
    back = reverse("fairs:detail", args=[pk])
    return form_page(
        request,
        forms.HallForm(request.POST or None),
        save=lambda data: services.hall_add(actor=request.user, fair=fair, **data),
        success_url=back,
        success_message=_("展馆已添加。"),
        context={"title": _("添加展馆:%(fair)s") % {"fair": fair.title}, "back": back},
    )


def hall_map(request: HttpRequest, pk: int) -> HttpResponse:
    hall = permissions.access_hall(request.user, pk)
    return render_page(
        request,
        "fairs/hall_map.html",
        {
            "hall": hall,
            "fair": hall.fair,
            "map": selectors.hall_map(hall, show_holders=True),
            "legend": selectors.legend(),
            "operator": is_operator(request.user),
        },
    )


@login_required
def booth_add(request: HttpRequest, pk: int) -> HttpResponse:
    hall = permissions.access_hall(request.user, pk)
    if not is_operator(request.user):
        raise Http404
    back = reverse("fairs:hall", args=[pk])
    return form_page(
        request,
        forms.BoothForm(request.POST or None),
        save=lambda data: services.booth_add(actor=request.user, hall=hall, **data),
        success_url=back,
        success_message=_("展位已添加。"),
        context={"title": _("添加展位:%(hall)s") % {"hall": hall.name}, "back": back},
    )


@login_required
def booth_import(request: HttpRequest, pk: int) -> HttpResponse:
    fair = permissions.access_fair(request.user, pk, write=True)
    return form_page(
        request,
        forms.UploadForm(request.POST or None, request.FILES or None),
        save=lambda data: job_enqueue(
            kind=services.BOOTH_IMPORT_JOB_KIND,
            title=texts.BOOTH_IMPORT_TITLE(fair=fair.title, file=data["file"].name),
            created_by=request.user,
            params={"fair_id": fair.pk},
            input_file=SimpleUploadedFile(data["file"].name, data["file"].read()),
        ),
        success_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        context={
            "title": _("从 Excel 导入展位:%(fair)s") % {"fair": fair.title},
            "back": reverse("fairs:detail", args=[pk]),
            "intro": _("先核对整个文件:任何一行有问题,整份文件都不导入,并逐行列出问题。"),
            "submit_label": _("上传并校验"),
        },
        template="fairs/booth_import.html",
    )


@login_required
def booth_template(request: HttpRequest, pk: int) -> HttpResponse:
    fair = permissions.access_fair(request.user, pk, write=True)
    return xlsx_response(f"booths-{fair.code}-template", BoothImport(fair).template())


def booth_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booth = permissions.access_booth(request.user, pk)
    operator = is_operator(request.user)
    allocation = (
        booth.allocations.filter(released_at__isnull=True).select_related("application__organisation").first()
    )
    return render_page(
        request,
        "fairs/booth_detail.html",
        {
            "booth": booth,
            "fair": booth.fair,
            "allocation": allocation,
            "operator": operator,
            "state_form": forms.BoothStateForm(initial={"state": booth.state}) if operator else None,
            "may_apply": booth.state == BoothState.FREE and permissions.may_apply(request.user, booth.fair),
            "wanted_by": booth.fair.applications.filter(
                status=ApplicationStatus.SUBMITTED, preferences__booth=booth
            ).count()
            if operator
            else None,
        },
    )


@login_required
@require_POST
def booth_state(request: HttpRequest, pk: int) -> HttpResponse:
    booth = permissions.access_booth(request.user, pk, write=True)
    form = forms.BoothStateForm(request.POST)
    return action(
        request,
        lambda: services.booth_set_state(
            actor=request.user, booth=booth, state=form.cleaned_data["state"], note=form.cleaned_data["note"]
        ),
        form=form,
        success_url=reverse("fairs:booth", args=[pk]),
        success_message=_("展位状态已更新。"),
    )


# Applications -------------------------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    fair = permissions.access_fair(request.user, pk)
    firms = permissions.applying_firms(request.user, fair)
    if not firms:
        raise Http404
    booths = Booth.objects.filter(fair=fair, state=BoothState.FREE).select_related("hall").order_by("code")
    initial: dict[str, Any] = {"contact_name": str(request.user)}
    wanted = request.GET.get("booth", "")
    if wanted.isdigit() and booths.filter(pk=int(wanted)).exists():
        initial["first"] = int(wanted)
    from jingxiang.organisations.models import Organisation

    return form_page(
        request,
        forms.ApplicationForm(
            request.POST or None,
            initial=initial,
            firms=Organisation.objects.filter(pk__in=[f.pk for f in firms]),
            booths=booths,
        ),
        save=lambda data: services.application_submit(
            actor=request.user,
            fair=fair,
            organisation=data["organisation"],
            booth_ids=data["booth_ids"],
            products=data["products"],
            contact_name=data["contact_name"],
        ),
        success_url=lambda application: reverse("fairs:application", args=[application.pk]),
        success_message=_("参展申请已提交,平台将按志愿和提交顺序分配展位。"),
        context={
            "title": _("申请参展:%(fair)s") % {"fair": fair.title},
            "back": reverse("fairs:detail", args=[pk]),
            "intro": _("最多填写三个意向展位,按志愿顺序分配;都已分配时由平台运营人员协调。"),
            "submit_label": _("提交申请"),
        },
    )


APPLICATION_LIST = ListSpec(
    template="fairs/application_list.html",
    partial="fairs/_application_table.html",
    sort=("submitted_at", "status"),
    default_sort="submitted_at",
    prepare=lambda qs: qs.prefetch_related("preferences__booth", "allocations__booth"),
    export=Export(
        "fair-applications",
        (
            ExportColumn(gettext_lazy("参展企业"), lambda a: a.organisation.name),
            ExportColumn(gettext_lazy("展品"), lambda a: a.products),
            ExportColumn(gettext_lazy("联系人"), lambda a: a.contact_name),
            ExportColumn(
                gettext_lazy("提交时间"), lambda a: timezone.localtime(a.submitted_at).replace(tzinfo=None)
            ),
            ExportColumn(
                gettext_lazy("意向展位"), lambda a: "、".join(p.booth.code for p in a.preferences.all())
            ),
            ExportColumn(gettext_lazy("已分配展位"), lambda a: a.booth.code if a.booth else ""),
            ExportColumn(gettext_lazy("状态"), lambda a: a.get_status_display()),
            ExportColumn(gettext_lazy("未分配原因"), lambda a: a.unplaced_reason),
        ),
    ),
)


@login_required
def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    fair = permissions.access_fair(request.user, pk)
    queryset = (
        ExhibitorApplication.objects.visible_to(request.user).filter(fair=fair).select_related("organisation")
    )
    operator = is_operator(request.user)
    if not operator and not queryset.exists():
        raise Http404
    return list_page(request, queryset, APPLICATION_LIST, {"fair": fair, "operator": operator})


def _application_next_step(user: Any, application: ExhibitorApplication) -> NextStep:
    operator = is_operator(user)
    if application.status == ApplicationStatus.SUBMITTED:
        text = application.unplaced_reason or _("等待平台按志愿分配展位。")
        return NextStep(text, _("平台运营"), operator, tone="warning")
    if application.status == ApplicationStatus.ALLOCATED:
        return NextStep(
            _("展位已分配:展会期间扫描采购商胸卡记录线索,答复洽谈预约。"),
            application.organisation.name,
            not operator,
        )
    return NextStep(application.unplaced_reason or application.get_status_display())


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.access_application(request.user, pk)
    operator = is_operator(request.user)
    open_ = application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.ALLOCATED)
    booths = (
        Booth.objects.filter(fair=application.fair, state__in=[BoothState.FREE, BoothState.HELD])
        .select_related("hall")
        .order_by("code")
    )
    return render_page(
        request,
        "fairs/application_detail.html",
        {
            "application": application,
            "fair": application.fair,
            "booth": application.booth,
            "preferences": application.preferences.select_related("booth__hall"),
            "operator": operator,
            "allocate_form": forms.AllocateForm(booths=booths) if operator and open_ else None,
            "reason_form": forms.ReasonForm() if operator else None,
            "may_withdraw": permissions.may_withdraw(request.user, application),
            "may_capture": permissions.may_capture_leads(request.user, application),
            "next_step": _application_next_step(request.user, application),
        },
    )


@login_required
@require_POST
def application_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.access_application(request.user, pk)
    if not is_operator(request.user):
        raise Http404
    booths = Booth.objects.filter(fair=application.fair)
    form = forms.AllocateForm(request.POST, booths=booths)
    return action(
        request,
        lambda: services.booth_allocate(
            actor=request.user, application=application, booth=form.cleaned_data["booth"]
        ),
        form=form,
        success_url=reverse("fairs:application", args=[pk]),
        success_message=lambda allocation: _("已分配展位 %(c)s。") % {"c": allocation.booth.code},
    )


@login_required
@require_POST
def application_release(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.access_application(request.user, pk)
    if not is_operator(request.user):
        raise Http404
    form = forms.ReasonForm(request.POST)
    return action(
        request,
        lambda: services.booth_release(
            actor=request.user, application=application, reason=form.cleaned_data["reason"]
        ),
        form=form,
        success_url=reverse("fairs:application", args=[pk]),
        success_message=_("展位已释放,申请重新等待分配。"),
    )


@login_required
@require_POST
def application_reject(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.access_application(request.user, pk)
    if not is_operator(request.user):
        raise Http404
    form = forms.ReasonForm(request.POST)
    return action(
        request,
        lambda: services.application_reject(
            actor=request.user, application=application, reason=form.cleaned_data["reason"]
        ),
        form=form,
        success_url=reverse("fairs:application", args=[pk]),
        success_message=_("已通知企业:申请未通过。"),
    )


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.access_application(request.user, pk, write=True)
    return action(
        request,
        lambda: services.application_withdraw(actor=request.user, application=application),
        success_url=reverse("fairs:application", args=[pk]),
        success_message=_("参展申请已撤回,展位已释放。"),
    )


@login_required
@require_POST
def allocation_start(request: HttpRequest, pk: int) -> HttpResponse:
    fair = permissions.access_fair(request.user, pk, write=True)
    return action(
        request,
        lambda: services.allocation_start(actor=request.user, fair=fair),
        success_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        success_message=_("已开始按志愿分配展位。"),
        failure_url=reverse("fairs:applications", args=[pk]),
    )


# Buyers ---------------------------------------------------------------------------------------------


def _buyer_profiles(user: Any) -> list[tuple[int, str]]:
    return [(p.pk, p.name) for kind, p in registrable_profiles(user) if kind != "expert"]


def buyer_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Public pre-registration (works on a phone, no login); the badge page follows."""
    fair = permissions.access_fair(request.user, pk)
    if fair.status != FairStatus.OPEN:
        raise Http404

    def save(data: dict[str, Any]) -> Buyer:
        buyer = services.buyer_register(
            actor=request.user,
            fair=fair,
            name=data["name"],
            company=data["company"],
            country=data["country"],
            kind=data["kind"],
            mobile=data["mobile"],
            email=data["email"],
            interests=data["interests"],
            organisation_id=data.get("organisation"),
        )
        link = buyer.links.filter(revoked_at__isnull=True).first()
        if link is not None:
            _hold_link(request, link)
        return buyer

    return form_page(
        request,
        forms.BuyerForm(request.POST or None, profiles=_buyer_profiles(request.user)),
        save=save,
        success_url=lambda buyer: reverse("fairs:badge", args=[buyer.badge_code]),
        success_message=_("登记成功,这是您的胸卡。请保存本页链接或下载 PDF。"),
        context={
            "title": _("采购商预登记:%(fair)s") % {"fair": fair.title},
            "back": reverse("fairs:detail", args=[pk]),
            "intro": _("登记后即可领取电子胸卡(含二维码),凭胸卡入场;手机号只用于现场核验,不对参展商显示。"),
            "submit_label": _("登记并领取胸卡"),
        },
    )


BUYER_LIST = ListSpec(
    template="fairs/buyer_list.html",
    partial="fairs/_buyer_table.html",
    sort=("created_at", "name", "country"),
    default_sort="-created_at",
    export=Export(
        "fair-buyers",
        (
            ExportColumn(gettext_lazy("胸卡号"), lambda b: b.badge_number),
            ExportColumn(gettext_lazy("姓名"), lambda b: b.name),
            ExportColumn(gettext_lazy("公司"), lambda b: b.company),
            ExportColumn(gettext_lazy("国家/地区"), lambda b: b.country_name),
            ExportColumn(gettext_lazy("采购商类型"), lambda b: b.get_kind_display()),
            ExportColumn(gettext_lazy("手机号"), lambda b: b.masked_mobile),
            ExportColumn(gettext_lazy("采购意向"), lambda b: b.interests),
            ExportColumn(gettext_lazy("在线预约"), lambda b: _("是") if b.participant_id else _("否")),
        ),
    ),
)


@login_required
def buyer_list(request: HttpRequest, pk: int) -> HttpResponse:
    fair = permissions.access_fair(request.user, pk, write=True)
    queryset = Buyer.objects.visible_to(request.user).filter(fair=fair, archived_at__isnull=True)
    return list_page(request, queryset, BUYER_LIST, {"fair": fair})


_HELD_LINKS = "fairs_buyer_links"


def _hold_link(request: HttpRequest, link: Any) -> None:
    """Remember in this browser's session that it holds the link (it registered, or opened it)."""
    held = [t for t in request.session.get(_HELD_LINKS, []) if t != link.token][-9:]
    request.session[_HELD_LINKS] = [*held, link.token]


def _held_links(request: HttpRequest) -> list[str]:
    return list(request.session.get(_HELD_LINKS, []))


def badge(request: HttpRequest, code: str) -> HttpResponse:
    buyer = permissions.access_badge(code)
    own = buyer.user_id is not None and buyer.user_id == getattr(request.user, "pk", None)
    link = permissions.personal_link_shown(request.user, _held_links(request), buyer)
    return render_page(
        request,
        "fairs/badge.html",
        {
            "buyer": buyer,
            "fair": buyer.fair,
            "qr": qr_svg(verification_url(documents.BADGE_KIND, buyer.badge_code, request), scale=5),
            "own": own,
            "books_in_app": own and permissions.books_in_app(buyer),
            "link": link,
            "link_url": absolute_url(services.buyer_link_path(link), request) if link else "",
            "may_manage_link": permissions.may_manage_buyer_link(request.user, buyer),
        },
    )


@login_required
@require_POST
def buyer_link_renew(request: HttpRequest, code: str) -> HttpResponse:
    """An operator at the service desk (or the buyer's own login) issues a new personal link."""
    buyer = permissions.access_badge_links(request.user, code)
    return action(
        request,
        lambda: services.buyer_link_renew(actor=request.user, buyer=buyer),
        success_url=reverse("fairs:badge", args=[code]),
        success_message=lambda link: (
            _("已换发专属链接,旧链接已停用:%(url)s") % {"url": absolute_url(services.buyer_link_path(link))}
        ),
    )


@login_required
@require_POST
def buyer_link_revoke(request: HttpRequest, code: str) -> HttpResponse:
    buyer = permissions.access_badge_links(request.user, code)
    return action(
        request,
        lambda: services.buyer_link_revoke(actor=request.user, buyer=buyer),
        success_url=reverse("fairs:badge", args=[code]),
        success_message=_("专属链接已停用。"),
    )


# A buyer's personal page (by link, no login) ---------------------------------------------------------


def buyer_page(request: HttpRequest, token: str) -> HttpResponse:
    """The exhibitors, the buyer's meeting requests and their schedule, by the personal link."""
    link = permissions.access_buyer_link(token)
    buyer = link.buyer
    _hold_link(request, link)
    services.buyer_link_used(link=link)
    meetings = selectors.buyer_meetings(buyer)
    asked = selectors.open_partners(buyer, meetings)
    return render_page(
        request,
        "fairs/buyer_page.html",
        {
            "link": link,
            "buyer": buyer,
            "fair": buyer.fair,
            "rows": selectors.exhibitors(buyer.fair),
            "asked": asked,
            "meetings": [
                (m, m.recipient if m.requester_id == buyer.participant_id else m.requester) for m in meetings
            ],
            "participant_id": buyer.participant_id,
            "may_request": permissions.may_request_meetings(buyer),
            "link_url": absolute_url(services.buyer_link_path(link), request),
        },
    )


def buyer_page_request(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """A meeting request by the personal link: the same service, and so the same events request flow,
    as a buyer with a login."""
    link = permissions.access_buyer_link(token)
    buyer = link.buyer
    application = permissions.access_link_exhibitor(link, pk)
    back = reverse("fairs:buyer_page", args=[token])
    return form_page(
        request,
        forms.MeetingRequestForm(request.POST or None),
        save=lambda data: services.meeting_request(
            actor=request.user, buyer=buyer, application=application, link=link, **data
        ),
        success_url=back,
        success_message=_("预约已发出,等待参展商答复。"),
        context={
            "title": _("预约洽谈:%(name)s") % {"name": application.organisation.name},
            "back": back,
            "submit_label": _("发出预约"),
        },
    )


@require_POST
def buyer_page_respond(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """The buyer answers an exhibitor's request on the personal page (the events app's answer)."""
    from jingxiang.events.forms import RespondForm

    link = permissions.access_buyer_link(token)
    meeting = permissions.access_link_meeting(link, pk)
    form = RespondForm(request.POST)
    return action(
        request,
        lambda: services.meeting_respond_by_link(
            link=link,
            meeting=meeting,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data.get("reason", ""),
        ),
        form=form,
        success_url=reverse("fairs:buyer_page", args=[token]),
        success_message=_("已答复。"),
    )


@require_POST
def buyer_page_renew(request: HttpRequest, token: str) -> HttpResponse:
    """The holder asks for a new link (the old one may have been passed on); it is shown and e-mailed."""
    link = permissions.access_buyer_link(token)
    return action(
        request,
        lambda: services.buyer_link_renew(actor=request.user, buyer=link.buyer, link=link),
        success_url=lambda new: reverse("fairs:buyer_page", args=[new.token]),
        failure_url=reverse("fairs:buyer_page", args=[token]),
        success_message=_("已换发新的专属链接,旧链接已停用。请收藏本页。"),
    )


def buyer_page_badge(request: HttpRequest, token: str) -> HttpResponse:
    """The badge PDF for its holder, with the personal link printed on a part to keep."""
    link = permissions.access_buyer_link(token)
    pdf = documents.badge_pdf(link.buyer, absolute_url(services.buyer_link_path(link), request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{link.buyer.badge_number}.pdf"'
    return response


def badge_pdf(request: HttpRequest, code: str) -> HttpResponse:
    buyer = permissions.access_badge(code)
    response = HttpResponse(documents.badge_pdf(buyer), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{buyer.badge_number}.pdf"'
    return response


# Exhibitors and meetings --------------------------------------------------------------------------


def exhibitor_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The fair's exhibitors with their booths (public, as printed in the fair guide); a buyer who may
    request meetings sees a button per exhibitor."""
    fair = permissions.access_fair(request.user, pk)
    buyer = next((b for b in permissions.my_buyers(request.user, fair) if permissions.books_in_app(b)), None)
    asked = selectors.open_partners(buyer, selectors.buyer_meetings(buyer)) if buyer is not None else set()
    rows = selectors.exhibitors(fair)
    return render_page(
        request,
        "fairs/exhibitor_list.html",
        {"fair": fair, "rows": rows, "buyer": buyer, "asked": asked},
    )


@login_required
def meeting_request(request: HttpRequest, pk: int) -> HttpResponse:
    application = ExhibitorApplication.objects.select_related("fair", "organisation").filter(pk=pk).first()
    if application is None or application.status != ApplicationStatus.ALLOCATED:
        raise Http404
    fair = permissions.access_fair(request.user, application.fair_id)
    buyer = next((b for b in permissions.my_buyers(request.user, fair) if permissions.books_in_app(b)), None)
    if buyer is None:
        raise Http404
    return form_page(
        request,
        forms.MeetingRequestForm(request.POST or None),
        save=lambda data: services.meeting_request(
            actor=request.user, buyer=buyer, application=application, **data
        ),
        success_url=reverse("fairs:meetings", args=[fair.pk]),
        success_message=_("预约已发出,等待参展商答复。"),
        context={
            "title": _("预约洽谈:%(name)s") % {"name": application.organisation.name},
            "back": reverse("fairs:exhibitors", args=[fair.pk]),
            "submit_label": _("发出预约"),
        },
    )


@login_required
def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's meeting requests at this fair (as exhibitor or buyer); answering and the agenda are
    the events app's pages."""
    fair = permissions.access_fair(request.user, pk)
    mine = list(
        Participant.objects.acting_for(request.user).filter(event_id=fair.event_id, archived_at__isnull=True)
    )
    if not mine and not is_operator(request.user):
        raise Http404
    ids = [p.pk for p in mine]
    rows = (
        Meeting.objects.filter(event_id=fair.event_id)
        .filter(Q(requester_id__in=ids) | Q(recipient_id__in=ids))
        .select_related("requester", "recipient", "slot", "table")
        .order_by("slot__starts_at", "-created_at")
    )
    counts = Meeting.objects.filter(event_id=fair.event_id).aggregate(
        pending=Count("pk", filter=Q(status=RequestStatus.PENDING)),
        accepted=Count("pk", filter=Q(status=RequestStatus.ACCEPTED)),
        scheduled=Count("pk", filter=Q(status=RequestStatus.ACCEPTED, slot__isnull=False)),
    )
    return render_page(
        request,
        "fairs/meetings.html",
        {
            "fair": fair,
            "rows": [(m, m.recipient_id in ids) for m in rows],
            "mine": mine,
            "operator": is_operator(request.user),
            "counts": counts,
        },
    )


# Leads and reports ----------------------------------------------------------------------------------

LEAD_LIST = ListSpec(
    template="fairs/lead_desk.html",
    partial="fairs/_lead_table.html",
    sort=("created_at",),
    default_sort="-created_at",
    export=Export(
        "fair-leads",
        (
            ExportColumn(
                gettext_lazy("时间"), lambda lead: timezone.localtime(lead.created_at).replace(tzinfo=None)
            ),
            ExportColumn(gettext_lazy("胸卡号"), lambda lead: lead.buyer.badge_number),
            ExportColumn(gettext_lazy("采购商"), lambda lead: lead.buyer.name),
            ExportColumn(gettext_lazy("公司"), lambda lead: lead.buyer.company),
            ExportColumn(gettext_lazy("国家/地区"), lambda lead: lead.buyer.country_name),
            ExportColumn(gettext_lazy("采购商类型"), lambda lead: lead.buyer.get_kind_display()),
            ExportColumn(gettext_lazy("电子邮箱"), lambda lead: lead.buyer.email),
            ExportColumn(gettext_lazy("采购意向"), lambda lead: lead.buyer.interests),
            ExportColumn(gettext_lazy("备注"), lambda lead: lead.note),
            ExportColumn(gettext_lazy("录入人"), lambda lead: str(lead.captured_by)),
        ),
    ),
)


@login_required
def lead_desk(request: HttpRequest, pk: int) -> HttpResponse:
    """Capture a lead (typed or scanned badge code) and the exhibitor's leads so far."""
    application = permissions.access_lead_desk(request.user, pk)
    late = not services.lead_window_open(application.fair)
    form = forms.LeadForm(request.POST or None, actor=request.user, late=late)
    if request.method == "POST":
        back = reverse("fairs:leads", args=[pk])
        return form_page(
            request,
            form,
            save=lambda data: services.lead_capture(
                actor=request.user,
                application=application,
                code=data["code"],
                note=data["note"],
                method=data.get("method") or LeadMethod.TYPED,
                backdate_reason=data.get(REASON_FIELD, ""),
            ),
            success_url=back,
            success_message=lambda lead: (
                _("已记录线索:%(name)s(%(company)s)。")
                % {"name": lead.buyer.name, "company": lead.buyer.company}
            ),
            template="fairs/lead_desk.html",
            context={**_lead_context(application), "page": paginate(request, _leads(application), 25)},
        )
    queryset = _leads(application).filter(pk__in=Lead.objects.visible_to(request.user).values("pk"))
    return list_page(request, queryset, LEAD_LIST, {"form": form, **_lead_context(application)})


def _leads(application: ExhibitorApplication) -> Any:
    return (
        Lead.objects.filter(application=application)
        .select_related("buyer", "captured_by")
        .order_by("-created_at")
    )


def _lead_context(application: ExhibitorApplication) -> dict[str, Any]:
    fair = application.fair
    return {
        "application": application,
        "fair": fair,
        "window_open": services.lead_window_open(fair),
        "late_ids": selectors.late_lead_ids(application),
    }


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.access_report_application(request.user, pk)
    return render_page(
        request,
        "fairs/report.html",
        {
            "report": selectors.exhibitor_report(application),
            "application": application,
            "fair": application.fair,
        },
    )


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.access_report_application(request.user, pk)
    data = selectors.exhibitor_report(application)
    headers = [
        str(h) for h in (_("类别"), _("时间"), _("采购商"), _("公司"), _("国家/地区"), _("类型"), _("情况"))
    ]
    rows: list[list[Any]] = []
    for lead in data.leads:
        rows.append(
            [
                _("客户线索"),
                timezone.localtime(lead.created_at).replace(tzinfo=None),
                lead.buyer.name,
                lead.buyer.company,
                lead.buyer.country_name,
                lead.buyer.get_kind_display(),
                lead.note,
            ]
        )
    for meeting, buyer in data.meetings:
        other = meeting.other_party(application.participant) if application.participant else None
        rows.append(
            [
                _("洽谈"),
                timezone.localtime(meeting.slot.starts_at).replace(tzinfo=None) if meeting.slot else "",
                other.name if other else "",
                buyer.company if buyer else "",
                buyer.country_name if buyer else "",
                buyer.get_kind_display() if buyer else "",
                meeting.get_attendance_display(),
            ]
        )
    return export_response(f"fair-report-{application.pk}", headers, rows)


@login_required
@require_POST
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the report PDF as it stands now (figures stored under the code its QR verifies)."""
    application = permissions.access_report_application(request.user, pk)
    return action(
        request,
        lambda: services.report_issue(actor=request.user, application=application),
        success_url=lambda issue: reverse("fairs:report_pdf", args=[issue.pk]),
        failure_url=reverse("fairs:report", args=[pk]),
    )


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    issue = permissions.access_report_issue(request.user, pk)
    response = HttpResponse(documents.report_pdf(issue), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="fair-report-{issue.verify_code}.pdf"'
    return response
