from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingxiang.accounts.actors import SignedInRequest
from jingxiang.core.listing import ExportColumn, paginate
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.core.selectors import audit_timeline
from jingxiang.core.views import client_ip_address
from jingxiang.identifiers import mask_mobile
from jingxiang.organisations import selectors, services
from jingxiang.organisations.filters import OrganisationFilter
from jingxiang.organisations.forms import MemberAddForm, OrganisationFieldsForm, RegistrationForm, ReviewForm
from jingxiang.organisations.models import Membership, Organisation, OrganisationStatus
from jingxiang.organisations.permissions import (
    access_organisation,
    is_operator,
    may_manage_members,
    may_reveal_contact,
    organisation_ids,
)
from jingxiang.organisations.services import ORGANISATION_FIELDS

EXPORT_COLUMNS = (
    ExportColumn(_("名称"), lambda o: o.name),
    ExportColumn(_("类型"), lambda o: o.get_kind_display()),
    ExportColumn(_("统一社会信用代码"), lambda o: o.uscc or ""),
    ExportColumn(_("区域"), lambda o: o.region),
    ExportColumn(_("地址"), lambda o: o.address),
    ExportColumn(_("规模"), lambda o: o.get_size_display()),
    ExportColumn(_("员工人数"), lambda o: o.employee_count),
    ExportColumn(_("主营产品"), lambda o: o.main_products),
    ExportColumn(_("联系人"), lambda o: o.contact_name),
    ExportColumn(_("联系电话"), lambda o: mask_mobile(o.contact_mobile)),
    ExportColumn(_("入驻状态"), lambda o: o.get_status_display()),
)


ORGANISATION_LIST = ListSpec(
    template="organisations/list.html",
    partial="organisations/_table.html",
    filterset=OrganisationFilter,
    sort=("name", "created_at", "employee_count", "region"),
    default_sort="name",
    export=Export("organisations", EXPORT_COLUMNS),
)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        Organisation.objects.visible_to(request.user),
        ORGANISATION_LIST,
        {"is_operator": is_operator(request.user)},
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access_organisation(request.user, pk)
    can_manage = may_manage_members(request.user, organisation)
    members = selectors.members_of(organisation) if can_manage else []
    return render_page(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "members": members,
            "can_manage": can_manage,
            "can_review": is_operator(request.user) and organisation.status == OrganisationStatus.PENDING,
            "can_reveal": may_reveal_contact(request.user, organisation),
            "timeline": audit_timeline(organisation) if can_manage else [],
            "review_form": ReviewForm(),
        },
    )


@login_required
def organisation_mine(request: HttpRequest) -> HttpResponse:
    ids = sorted(organisation_ids(request.user))
    if len(ids) == 1:
        return redirect("organisations:detail", pk=ids[0])
    return redirect(reverse("organisations:list"))


def organisation_register(request: HttpRequest) -> HttpResponse:
    """Public sign-up of a firm or institution; the applicant is logged in and sees the review status."""

    form = RegistrationForm(request.POST or None)

    def save(data: dict[str, Any]) -> Organisation:
        from jingxiang.accounts.models import ConsentSource
        from jingxiang.accounts.services import privacy_consent_record

        user, organisation = services.organisation_register(
            details=form.details(),
            username=data["username"],
            mobile=data["applicant_mobile"],
            display_name=data["applicant_name"],
            password=data["password1"],
        )
        privacy_consent_record(
            user=user,
            version=data["privacy_version"],
            source=ConsentSource.REGISTRATION,
            ip=client_ip_address(request),
        )
        login(request, user, backend="jingxiang.accounts.backends.MobileOrUsernameBackend")
        return organisation

    return form_page(
        request,
        form,
        save=save,
        success_url=lambda organisation: reverse("organisations:detail", args=[organisation.pk]),
        success_message=_("申请已提交,平台运营人员审核后会通知您。"),
        template="organisations/register.html",
    )


@login_required
def organisation_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    organisation = access_organisation(request.user, pk, write=True)
    initial = {
        field: getattr(organisation, field) for field in ORGANISATION_FIELDS if field != "contact_mobile"
    }
    form = OrganisationFieldsForm(request.POST or None, initial=initial, instance=organisation)
    form.fields["contact_mobile"].widget.attrs["placeholder"] = organisation.masked_contact_mobile
    form.fields["contact_mobile"].help_text = _("留空则保持不变。")
    if not is_operator(request.user) and organisation.status == OrganisationStatus.APPROVED:
        # Identity of an approved organisation is what operators reviewed: only they change it.
        for field in ("name", "kind", "uscc"):
            form.fields[field].disabled = True
            form.fields[field].help_text = _("已审核的信息,如需变更请联系平台运营人员。")

    def save(data: dict[str, Any]) -> Organisation:
        # An empty contact number keeps the stored one (details() leaves it None).
        if organisation.status == OrganisationStatus.REJECTED:
            return services.organisation_resubmit(
                actor=request.user, organisation=organisation, details=form.details()
            )
        return services.organisation_update(
            actor=request.user, organisation=organisation, details=form.details()
        )

    detail = reverse("organisations:detail", args=[organisation.pk])
    return form_page(
        request,
        form,
        save=save,
        success_url=detail,
        success_message=_("已重新提交审核。")
        if organisation.status == OrganisationStatus.REJECTED
        else _("已保存。"),
        context={"title": _("编辑机构信息"), "back": detail, "back_label": organisation.name},
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    pending = selectors.pending_registrations()
    return render_page(request, "organisations/review_queue.html", {"page": paginate(request, pending)})


@login_required
@require_POST
def organisation_review(request: SignedInRequest, pk: int) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    organisation = access_organisation(request.user, pk)
    form = ReviewForm(request.POST)
    return action(
        request,
        lambda: services.organisation_review(
            actor=request.user,
            organisation=organisation,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        form=form,
        success_url=reverse("organisations:review_queue"),
        success_message=_("审核结果已保存并通知申请人。"),
        failure_url=reverse("organisations:detail", args=[pk]),
    )


@login_required
@require_POST
def organisation_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    organisation = access_organisation(request.user, pk)
    return action(
        request,
        lambda: services.organisation_archive(actor=request.user, organisation=organisation),
        success_url=reverse("organisations:list"),
        success_message=_("已归档。归档的机构不再出现在名录中,历史记录保留。"),
    )


@login_required
def member_add(request: SignedInRequest, pk: int) -> HttpResponse:
    organisation = access_organisation(request.user, pk, write=True)
    detail = reverse("organisations:detail", args=[organisation.pk])
    return form_page(
        request,
        MemberAddForm(request.POST or None, organisation=organisation, actor=request.user),
        save=lambda data: services.membership_add(
            actor=request.user,
            organisation=organisation,
            username=data["username"],
            mobile=data["mobile"],
            display_name=data["display_name"],
            password=data["password"],
            role=data["role"],
        ),
        success_url=detail,
        success_message=_("已添加成员。"),
        context={
            "title": _("添加成员"),
            "back": detail,
            "back_label": organisation.name,
            "submit_label": _("添加"),
        },
    )


@login_required
@require_POST
def member_end(request: SignedInRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = access_organisation(request.user, pk, write=True)
    membership = Membership.objects.filter(pk=membership_pk, organisation=organisation).first()
    if membership is None:
        raise Http404
    detail = reverse("organisations:detail", args=[organisation.pk])
    return action(
        request,
        lambda: services.membership_end(actor=request.user, membership=membership),
        success_url=detail,
        success_message=_("已停用该成员身份。"),
    )
