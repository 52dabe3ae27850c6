"""Reads of the marketplace.

Lab test requests and sharing engagements are services too, but they live in their own apps: the
adapter below shows them in a provider's catalogue and order book read-only, from their own tables
(no second copy is kept here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.core.pages import NextStep
from jingxiang.lab.models import LabProfile, TestRequest
from jingxiang.organisations.models import Organisation
from jingxiang.services.models import (
    ZERO,
    ClaimStatus,
    Order,
    OrderStatus,
    Service,
    Voucher,
    VoucherProgramme,
    VoucherStatus,
)
from jingxiang.services.permissions import is_order_firm, is_order_provider
from jingxiang.sharing.models import Agreement
from jingxiang.talents.models import Talent


@dataclass(frozen=True)
class CatalogueEntry:
    """One offer of a provider, whichever app keeps it."""

    source: str  # "service", "lab", "sharing"
    title: str
    category: str
    price: Decimal | None
    url: str


@dataclass(frozen=True)
class BookEntry:
    """One line of a provider's order book, whichever app keeps the record."""

    source: str
    number: str
    client: str
    title: str
    status: str
    created_at: dt.datetime
    url: str


def provider_catalogue(provider: Organisation) -> list[CatalogueEntry]:
    """The provider's own published services, its lab testing (if it is a lab) and the sharing of
    its people (talents it lends through the sharing app)."""
    entries = [
        CatalogueEntry(
            "service",
            s.title,
            s.get_category_display(),
            s.price,
            reverse("services:service_detail", args=[s.pk]),
        )
        for s in Service.objects.published().filter(provider=provider)
    ]
    if LabProfile.objects.filter(lab=provider).exists():
        entries.append(
            CatalogueEntry(
                "lab", _("检测委托(按检测项目计价)"), _("检验检测"), None, reverse("lab:request_create")
            )
        )
    for talent in Talent.objects.filter(
        home_organisation=provider, shares_talent=True, archived_at__isnull=True
    ):
        entries.append(
            CatalogueEntry(
                "sharing",
                _("共享人才:%(name)s") % {"name": talent.name},
                _("共享用工"),
                talent.hourly_rate,
                reverse("sharing:profile", args=[talent.pk]),
            )
        )
    return entries


def order_book(provider: Organisation) -> list[BookEntry]:
    """Marketplace orders, lab test requests and sharing agreements of ``provider``, newest first."""
    rows = [
        BookEntry(
            "service",
            o.number,
            o.firm.name,
            o.service.title,
            o.get_status_display(),
            o.created_at,
            reverse("services:order_detail", args=[o.pk]),
        )
        for o in Order.objects.filter(provider=provider).select_related("firm", "service")
    ]
    rows += [
        BookEntry(
            "lab",
            r.number,
            r.firm.name,
            r.product_name,
            r.get_status_display(),
            r.created_at,
            reverse("lab:request_detail", args=[r.pk]),
        )
        for r in TestRequest.objects.filter(lab=provider).select_related("firm")
    ]
    rows += [
        BookEntry(
            "sharing",
            a.number,
            a.host.name,
            _("共享人才:%(name)s") % {"name": a.talent.name},
            a.get_status_display(),
            a.created_at,
            reverse("sharing:agreement_detail", args=[a.pk]),
        )
        for a in Agreement.objects.filter(home=provider).select_related("host", "talent")
    ]
    return sorted(rows, key=lambda row: row.created_at, reverse=True)


def order_next_step(user: Any, order: Order) -> NextStep | None:
    firm, provider = is_order_firm(user, order), is_order_provider(user, order)
    steps = {
        OrderStatus.QUOTE_REQUESTED: (provider, _("请服务机构报价。"), _("等待服务机构报价。")),
        OrderStatus.QUOTED: (firm, _("确认报价并下单(可使用创新券)。"), _("等待企业下单。")),
        OrderStatus.ORDERED: (provider, _("安排交付节点,完成后交付。"), _("服务机构正在交付。")),
        OrderStatus.DISPUTED: (provider, _("企业对交付有异议:处理后重新交付。"), _("等待服务机构重新交付。")),
        OrderStatus.DELIVERED: (firm, _("验收交付成果,或提出异议。"), _("等待企业验收。")),
    }
    if order.status not in steps:
        return None
    mine, mine_text, other_text = steps[OrderStatus(order.status)]
    return NextStep(mine_text if mine else other_text, mine=mine)


def usable_vouchers(user: Any, order: Order) -> list[Voucher]:
    """Approved vouchers of the order's firm whose programme covers the service's category (the
    category lists are short JSON lists, filtered here the same way on SQLite and PostgreSQL)."""
    vouchers = (
        Voucher.objects.visible_to(user)
        .filter(firm_id=order.firm_id, status=VoucherStatus.APPROVED)
        .select_related("programme")
    )
    return [v for v in vouchers if order.service.category in v.programme.categories]


def programme_statement(programme: VoucherProgramme) -> dict[str, Any]:
    """The programme's figures, each the sum of the order lines listed under it."""
    lines = statement_lines(programme)
    spent = lines.aggregate(total=Sum("voucher_amount"))["total"] or ZERO
    claimed = lines.filter(claim__isnull=False).aggregate(total=Sum("claim__amount"))["total"] or ZERO
    paid = lines.filter(claim__status=ClaimStatus.PAID).aggregate(total=Sum("claim__amount"))["total"] or ZERO
    return {
        "budget": programme.budget,
        "spent": spent,
        "claimed": claimed,
        "paid": paid,
        "remaining": programme.budget - spent,
        "consistent": spent == programme.committed and paid == programme.paid,
    }


def statement_lines(programme: VoucherProgramme) -> QuerySet[Order]:
    return (
        Order.objects.filter(voucher__programme=programme, status=OrderStatus.ACCEPTED)
        .filter(~Q(voucher_amount=0))
        .select_related("firm", "provider", "service", "voucher", "claim")
    )
