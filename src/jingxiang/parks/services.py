"""Writes of the parks: units, leases (never two on one unit at once), incubation, service requests,
lease-expiry reminders. Each validates, authorises and runs in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.numbering import next_number
from jingxiang.core.services import notification_send
from jingxiang.core.timerules import enforce_time_rules
from jingxiang.organisations.models import Membership, Organisation
from jingxiang.organisations.permissions import FIRM_MANAGERS, FIRM_PEOPLE, firm_ids
from jingxiang.parks import rules, texts
from jingxiang.parks.models import (
    Building,
    Incubation,
    IncubationReview,
    Lease,
    ParkManager,
    RequestStatus,
    ReviewKind,
    ServiceRequest,
    Site,
    Stage,
    Unit,
)
from jingxiang.parks.permissions import may_manage_site

REMINDER_DAYS = 30


def _require_manager(actor: Any, site_id: int) -> None:
    if not may_manage_site(actor, site_id):
        raise PermissionDenied(_("只有该园区的管理员或运营人员可以办理。"))


def _firm_managers(organisation_id: int) -> list[Any]:
    memberships = Membership.objects.active().filter(
        organisation_id=organisation_id, role__in=FIRM_MANAGERS, user__is_active=True
    )
    return [m.user for m in memberships.select_related("user")]


@transaction.atomic
def unit_add(
    *, actor: Any, site: Site, building: str, code: str, floor: int, area: Decimal, monthly_rent: Decimal
) -> Unit:
    """Add a unit (and its building, the first time it is named)."""
    _require_manager(actor, site.pk)
    if area <= 0 or monthly_rent < 0:
        raise ValidationError(_("面积须大于 0,租金不能为负。"), code="bad_unit")
    block, _created = Building.objects.get_or_create(site=site, name=building.strip())
    if Unit.objects.filter(building=block, code=code.strip()).exists():
        raise ValidationError(
            {"code": _("%(building)s 已有房号 %(code)s。") % {"building": block.name, "code": code}}
        )
    return Unit.objects.create(
        building=block, code=code.strip(), floor=floor, area=area, monthly_rent=monthly_rent
    )


@transaction.atomic
def lease_sign(
    *,
    actor: Any,
    unit: Unit,
    tenant: Organisation,
    starts_on: dt.date,
    ends_on: dt.date,
    monthly_rent: Decimal | None = None,
) -> Lease:
    """Sign a lease of ``unit`` to ``tenant``. The unit row is locked first, so two managers signing
    the same unit at the same moment are serialised and the second sees the first's lease."""
    unit = Unit.objects.select_for_update(of=("self",)).select_related("building").get(pk=unit.pk)
    _require_manager(actor, unit.building.site_id)
    enforce_time_rules(rules.LEASE_RULES, {"starts_on": starts_on, "ends_on": ends_on}, actor=actor)
    if tenant.status != "approved":
        raise ValidationError({"tenant": _("租户须为平台上已入驻的机构。")}, code="tenant_not_approved")
    clash = (
        Lease.objects.live()
        .filter(unit=unit, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .select_related("tenant")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("单元 %(unit)s 在 %(start)s 至 %(end)s 已租给 %(tenant)s(租约 %(number)s),租期不能重叠。")
            % {
                "unit": str(unit),
                "start": f"{clash.starts_on:%Y-%m-%d}",
                "end": f"{clash.ends_on:%Y-%m-%d}",
                "tenant": clash.tenant.name,
                "number": clash.number,
            },
            code="lease_overlap",
        )
    year = starts_on.year
    lease = Lease(
        number=f"ZY{year}-{next_number('parks.lease', year):05d}",
        unit=unit,
        tenant=tenant,
        starts_on=starts_on,
        ends_on=ends_on,
        monthly_rent=unit.monthly_rent if monthly_rent is None else monthly_rent,
        signed_by=actor,
    )
    lease.full_clean()
    lease.save()
    return lease


@transaction.atomic
def incubation_review(
    *,
    actor: Any,
    site: Site,
    tenant: Organisation,
    kind: str,
    passed: bool,
    reason: str,
    reviewed_on: dt.date | None = None,
) -> Incubation:
    """Record an entry review, a yearly review, a graduation or an exit (with reasons) and move the
    tenant's incubation stage accordingly."""
    _require_manager(actor, site.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明评审意见或原因。")}, code="reason_required")
    day = reviewed_on or timezone.localdate()
    incubation, _created = Incubation.objects.select_for_update(of=("self",)).get_or_create(
        site=site, tenant=tenant
    )
    allowed = {
        ReviewKind.ENTRY: (Stage.APPLIED, Stage.REFUSED),
        ReviewKind.YEARLY: (Stage.INCUBATING,),
        ReviewKind.GRADUATION: (Stage.INCUBATING,),
        ReviewKind.EXIT: (Stage.INCUBATING,),
    }
    if incubation.stage not in allowed[ReviewKind(kind)]:
        raise ValidationError(
            _("当前阶段为「%(stage)s」,不能进行「%(kind)s」。")
            % {"stage": incubation.get_stage_display(), "kind": ReviewKind(kind).label},
            code="wrong_stage",
        )
    if kind == ReviewKind.ENTRY:
        incubation.stage = Stage.INCUBATING if passed else Stage.REFUSED
        incubation.entered_on = day if passed else None
    elif kind == ReviewKind.YEARLY and not passed:
        incubation.stage, incubation.left_on = Stage.EXITED, day
    elif kind == ReviewKind.GRADUATION:
        incubation.stage, incubation.left_on = Stage.GRADUATED, day
    elif kind == ReviewKind.EXIT:
        incubation.stage, incubation.left_on = Stage.EXITED, day
    incubation.save()
    IncubationReview.objects.create(
        incubation=incubation,
        kind=kind,
        passed=passed,
        reason=reason.strip(),
        reviewed_on=day,
        reviewed_by=actor,
    )
    return incubation


@transaction.atomic
def request_file(
    *, actor: Any, site: Site, tenant: Organisation, kind: str, description: str
) -> ServiceRequest:
    """A tenant's person asks the park for help (a repair, registration help …)."""
    if tenant.pk not in firm_ids(actor, *FIRM_PEOPLE):
        raise PermissionDenied(_("只有租户本单位的人员可以提交园区服务请求。"))
    today = timezone.localdate()
    if not Lease.objects.on(today).filter(tenant=tenant, unit__building__site=site).exists():
        raise ValidationError(_("贵单位目前在该园区没有有效租约。"), code="not_a_tenant")
    request = ServiceRequest(site=site, tenant=tenant, kind=kind, description=description, filed_by=actor)
    request.full_clean()
    request.save()
    for manager in ParkManager.objects.filter(site=site, active=True).select_related("user"):
        notification_send(
            recipient=manager.user,
            message=texts.REQUEST_FILED(tenant=tenant.name, kind=request.get_kind_display()),
            url=reverse("parks:requests"),
            kind="parks_request",
        )
    return request


@transaction.atomic
def request_resolve(*, actor: Any, request: ServiceRequest, resolution: str) -> ServiceRequest:
    _require_manager(actor, request.site_id)
    request = ServiceRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if request.status == RequestStatus.DONE:
        raise ValidationError(_("该请求已办结。"), code="already_done")
    if not resolution.strip():
        raise ValidationError({"resolution": _("请填写办理结果。")}, code="resolution_required")
    request.status, request.resolution = RequestStatus.DONE, resolution.strip()
    request.save(update_fields=["status", "resolution", "updated_at"])
    notification_send(
        recipient=request.filed_by,
        message=texts.REQUEST_DONE(kind=request.get_kind_display(), note=request.resolution),
        url=reverse("parks:requests"),
        kind="parks_request",
    )
    return request


def lease_reminders_send(*, today: dt.date | None = None, progress: Callable[..., Any] | None = None) -> int:
    """Remind the park managers and the tenant of every lease ending within 30 days, once per lease.
    Each lease is marked in its own transaction, so a run cut short may simply run again."""
    today = today or timezone.localdate()
    due = list(
        Lease.objects.live()
        .filter(
            ends_on__gte=today,
            ends_on__lte=today + dt.timedelta(days=REMINDER_DAYS),
            reminded_at__isnull=True,
        )
        .values_list("pk", flat=True)
    )
    sent = 0
    for index, pk in enumerate(due, start=1):
        with transaction.atomic():
            lease = (
                Lease.objects.select_for_update(of=("self",))
                .select_related("unit__building", "tenant")
                .get(pk=pk)
            )
            if lease.reminded_at is not None:
                continue
            recipients = [
                m.user
                for m in ParkManager.objects.filter(
                    site_id=lease.unit.building.site_id, active=True
                ).select_related("user")
            ]
            recipients += _firm_managers(lease.tenant_id)
            for user in {u.pk: u for u in recipients}.values():
                notification_send(
                    recipient=user,
                    message=texts.LEASE_EXPIRING(
                        number=lease.number,
                        unit=str(lease.unit),
                        tenant=lease.tenant.name,
                        date=f"{lease.ends_on:%Y-%m-%d}",
                    ),
                    url=reverse("parks:leases"),
                    kind="parks_lease",
                )
            lease.reminded_at = timezone.now()
            lease.save(update_fields=["reminded_at", "updated_at"])
            sent += 1
        if progress is not None:
            progress(int(index * 100 / len(due)), texts.REMINDERS_PROGRESS(i=index, n=len(due)))
    return sent
