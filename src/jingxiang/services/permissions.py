"""Who may see and act on marketplace records. Default deny; "not found" and "forbidden" both 404.

Provider staff are people with a :class:`ProviderStaff` membership, or the admins and lab staff of an
approved provider organisation (an agency, lab or university): organisation roles are not changed.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jingxiang.organisations.models import Organisation, OrganisationKind, Role
from jingxiang.organisations.permissions import approved_organisation_ids, is_operator, managed_firm_ids
from jingxiang.services.models import (
    Consultation,
    Order,
    ProviderStaff,
    Service,
    Voucher,
    VoucherClaim,
    VoucherProgramme,
)

PROVIDER_KINDS = (OrganisationKind.SERVICE_AGENCY, OrganisationKind.TESTING_LAB, OrganisationKind.UNIVERSITY)


def provider_ids(user: Any) -> set[int]:
    """The providers this user acts for in the marketplace (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached: set[int] | None = getattr(user, "_services_provider_ids", None)
    if cached is not None:
        return cached
    ids = set(
        ProviderStaff.objects.filter(user=user, active=True, provider__status="approved").values_list(
            "provider_id", flat=True
        )
    )
    by_role = approved_organisation_ids(user, Role.ORG_ADMIN, Role.LAB_STAFF)
    if by_role:
        ids |= set(
            Organisation.objects.filter(pk__in=by_role, kind__in=PROVIDER_KINDS).values_list("pk", flat=True)
        )
    user._services_provider_ids = ids
    return ids


def is_provider_staff(user: Any) -> bool:
    return bool(provider_ids(user))


def may_order(user: Any) -> bool:
    return bool(managed_firm_ids(user))


def may_manage_service(user: Any, service: Service) -> bool:
    return service.provider_id in provider_ids(user)


def is_order_firm(user: Any, order: Order) -> bool:
    return order.firm_id in managed_firm_ids(user)


def is_order_provider(user: Any, order: Order) -> bool:
    return order.provider_id in provider_ids(user)


def is_consulted_expert(user: Any, consultation: Consultation) -> bool:
    return consultation.talent.user_id is not None and consultation.talent.user_id == getattr(
        user, "pk", None
    )


def access_service(user: Any, pk: int, *, write: bool = False) -> Service:
    """A service the user may see; with ``write`` only its provider's staff."""
    service: Service | None = (
        Service.objects.visible_to(user).select_related("provider").filter(pk=pk).first()
    )
    if service is None or (write and not may_manage_service(user, service)):
        raise Http404
    return service


def access_order(user: Any, pk: int) -> Order:
    order: Order | None = (
        Order.objects.visible_to(user)
        .select_related("service", "provider", "firm", "voucher")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404
    return order


def access_consultation(user: Any, pk: int) -> Consultation:
    consultation: Consultation | None = (
        Consultation.objects.visible_to(user).select_related("talent", "firm").filter(pk=pk).first()
    )
    if consultation is None:
        raise Http404
    return consultation


def access_programme(user: Any, pk: int) -> VoucherProgramme:
    """Programmes are public facts for firms that may apply; statements are the operators'."""
    if not (is_operator(user) or may_order(user)):
        raise Http404
    programme: VoucherProgramme | None = VoucherProgramme.objects.filter(pk=pk).first()
    if programme is None:
        raise Http404
    return programme


def access_voucher(user: Any, pk: int) -> Voucher:
    voucher: Voucher | None = (
        Voucher.objects.visible_to(user).select_related("programme", "firm").filter(pk=pk).first()
    )
    if voucher is None:
        raise Http404
    return voucher


def access_claim(user: Any, pk: int) -> VoucherClaim:
    claim: VoucherClaim | None = (
        VoucherClaim.objects.visible_to(user).select_related("order").filter(pk=pk).first()
    )
    if claim is None:
        raise Http404
    return claim
