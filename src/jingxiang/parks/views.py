"""Thin views of the parks: parse, access, call a service, render."""

from __future__ import annotations

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
from jingxiang.jobs.services import job_enqueue
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import FIRM_PEOPLE, firm_ids, is_operator
from jingxiang.parks import forms, selectors, services, texts
from jingxiang.parks.models import Incubation, Lease, ServiceRequest, Site, Unit
from jingxiang.parks.permissions import access_site, managed_site_ids, may_manage_site
from jingxiang.parks.search import tenant_choices


def _sites(user: Any) -> Any:
    return Site.objects.all() if is_operator(user) else Site.objects.filter(pk__in=managed_site_ids(user))


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    sites = list(_sites(request.user))
    if not sites:
        raise Http404
    figures = selectors.occupancy_by_site(sites)
    return render_page(
        request, "parks/site_list.html", {"rows": [(site, figures[site.pk]) for site in sites]}
    )


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = access_site(request.user, pk)
    return render_page(
        request,
        "parks/site_detail.html",
        {
            "site": site,
            "units": selectors.site_units(site),
            "figures": selectors.occupancy(site),
            "incubations": Incubation.objects.filter(site=site)
            .select_related("tenant")
            .prefetch_related("reviews"),
        },
    )


@login_required
def unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    site = access_site(request.user, pk, write=True)
    return form_page(
        request,
        forms.UnitForm(request.POST or None),
        save=lambda data: services.unit_add(actor=request.user, site=site, **data),
        success_url=reverse("parks:site_detail", args=[pk]),
        success_message=_("单元已添加。"),
        context={
            "title": _("添加单元:%(site)s") % {"site": site.name},
            "back": reverse("parks:site_detail", args=[pk]),
        },
    )


@login_required
def lease_sign(request: HttpRequest, pk: int) -> HttpResponse:
    unit = Unit.objects.select_related("building__site").filter(pk=pk).first()
    if unit is None or not may_manage_site(request.user, unit.building.site_id):
        raise Http404
    back = reverse("parks:site_detail", args=[unit.building.site_id])
    return form_page(
        request,
        forms.LeaseForm(request.POST or None, tenants=tenant_choices(request.user), actor=request.user),
        save=lambda data: services.lease_sign(
            actor=request.user,
            unit=unit,
            tenant=data["tenant"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            monthly_rent=data["monthly_rent"],
        ),
        success_url=back,
        success_message=_("租约已签订。"),
        context={
            "title": _("签订租约:%(unit)s") % {"unit": str(unit)},
            "back": back,
            "submit_label": _("签订"),
        },
    )


LEASE_LIST = ListSpec(
    template="parks/lease_list.html",
    partial="parks/_lease_table.html",
    sort=("starts_on", "ends_on", "number"),
    default_sort="ends_on",
    export=Export(
        "leases",
        (
            ExportColumn(gettext_lazy("租约编号"), lambda lease: lease.number),
            ExportColumn(gettext_lazy("园区"), lambda lease: lease.unit.building.site.name),
            ExportColumn(gettext_lazy("单元"), lambda lease: str(lease.unit)),
            ExportColumn(gettext_lazy("租户"), lambda lease: lease.tenant.name),
            ExportColumn(gettext_lazy("起租日期"), lambda lease: lease.starts_on),
            ExportColumn(gettext_lazy("到期日期"), lambda lease: lease.ends_on),
            ExportColumn(gettext_lazy("月租金(元)"), lambda lease: lease.monthly_rent),
            ExportColumn(gettext_lazy("状态"), lambda lease: lease.get_status_display()),
        ),
    ),
)


@login_required
def lease_list(request: HttpRequest) -> HttpResponse:
    queryset = Lease.objects.visible_to(request.user).select_related("unit__building__site", "tenant")
    return list_page(
        request,
        queryset,
        LEASE_LIST,
        {"may_remind": is_operator(request.user) or bool(managed_site_ids(request.user))},
    )


@login_required
@require_POST
def reminders_run(request: HttpRequest) -> HttpResponse:
    if not (is_operator(request.user) or managed_site_ids(request.user)):
        raise Http404
    return action(
        request,
        lambda: job_enqueue(
            kind="parks_lease_reminders", title=texts.REMINDERS_TITLE(), created_by=request.user
        ),
        success_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        success_message=_("已开始发送租约到期提醒。"),
        failure_url=reverse("parks:leases"),
    )


@login_required
def incubation_review(request: HttpRequest, pk: int) -> HttpResponse:
    site = access_site(request.user, pk, write=True)
    back = reverse("parks:site_detail", args=[pk])
    return form_page(
        request,
        forms.ReviewForm(request.POST or None, tenants=tenant_choices(request.user)),
        save=lambda data: services.incubation_review(
            actor=request.user,
            site=site,
            tenant=data["tenant"],
            kind=data["kind"],
            passed=data["passed"],
            reason=data["reason"],
        ),
        success_url=back,
        success_message=_("评审已记录。"),
        context={"title": _("孵化评审:%(site)s") % {"site": site.name}, "back": back},
    )


REQUEST_LIST = ListSpec(
    template="parks/request_list.html",
    partial="parks/_request_table.html",
    sort=("created_at",),
    default_sort="-created_at",
    export=Export(
        "park-requests",
        (
            ExportColumn(gettext_lazy("园区"), lambda r: r.site.name),
            ExportColumn(gettext_lazy("租户"), lambda r: r.tenant.name),
            ExportColumn(gettext_lazy("类型"), lambda r: r.get_kind_display()),
            ExportColumn(gettext_lazy("说明"), lambda r: r.description),
            ExportColumn(gettext_lazy("状态"), lambda r: r.get_status_display()),
            ExportColumn(gettext_lazy("办理结果"), lambda r: r.resolution),
        ),
    ),
)


def _tenant_firms(user: Any) -> Any:
    return Organisation.objects.filter(pk__in=firm_ids(user, *FIRM_PEOPLE))


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    managed = managed_site_ids(request.user)
    if not (is_operator(request.user) or managed or _tenant_firms(request.user).exists()):
        raise Http404
    queryset = ServiceRequest.objects.visible_to(request.user).select_related("site", "tenant")
    return list_page(
        request, queryset, REQUEST_LIST, {"managed": managed, "is_operator": is_operator(request.user)}
    )


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    tenants = _tenant_firms(request.user)
    if not tenants.exists():
        raise Http404
    sites = Site.objects.filter(buildings__units__leases__tenant__in=tenants).distinct()
    return form_page(
        request,
        forms.RequestForm(request.POST or None, tenants=tenants, sites=sites),
        save=lambda data: services.request_file(
            actor=request.user,
            site=data["site"],
            tenant=data["tenant"],
            kind=data["kind"],
            description=data["description"],
        ),
        success_url=reverse("parks:requests"),
        success_message=_("已提交,园区管理员会尽快处理。"),
        context={"title": _("园区服务请求"), "back": reverse("parks:requests")},
    )


@login_required
@require_POST
def request_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = ServiceRequest.objects.visible_to(request.user).filter(pk=pk).first()
    if service_request is None or not may_manage_site(request.user, service_request.site_id):
        raise Http404
    form = forms.ResolveForm(request.POST)
    return action(
        request,
        lambda: services.request_resolve(
            actor=request.user, request=service_request, resolution=form.cleaned_data["resolution"]
        ),
        form=form,
        success_url=reverse("parks:requests"),
        success_message=_("已办结。"),
    )
