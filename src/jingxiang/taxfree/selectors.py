"""Reads: reconciliation and reports. Every figure is a sum over the forms the viewer may see, so a
drill-down list (the form list with the same filter) adds up to it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from jingxiang.taxfree.models import FormLine, FormStatus, RefundForm

ZERO = Decimal("0.00")
MONEY = ("goods_amount", "refund", "agency_fee", "net_refund")


def _totals(queryset: QuerySet[RefundForm], *group: str) -> list[dict[str, Any]]:
    active = queryset.exclude(status=FormStatus.VOIDED)
    rows = (
        active.values(*group)
        .order_by(*group)
        .annotate(
            t_forms=Count("pk"),
            t_goods_amount=Sum("goods_amount"),
            t_refund=Sum("refund"),
            t_agency_fee=Sum("agency_fee"),
            t_net_refund=Sum("net_refund"),
            t_instant_forms=Count("pk", filter=Q(instant=True)),
            t_advance=Sum("advance"),
            t_released=Sum("advance", filter=Q(status=FormStatus.RELEASED)),
            t_recovered=Sum("recovery_amount", filter=Q(status=FormStatus.RECOVERED)),
        )
    )
    # Annotations may not share a field's name; the t_ prefix is dropped for the pages.
    return [
        {key.removeprefix("t_"): (ZERO if value is None else value) for key, value in row.items()}
        for row in rows
    ]


def reconciliation_by_store(queryset: QuerySet[RefundForm]) -> list[dict[str, Any]]:
    """Per store and day: forms, refunds, advances paid, released and recovered."""
    return _totals(queryset, "store__code", "store__name", "purchase_date")


def reconciliation_by_agency(queryset: QuerySet[RefundForm]) -> list[dict[str, Any]]:
    return _totals(queryset, "store__agency__name", "purchase_date")


def report_by(queryset: QuerySet[RefundForm], dimension: str) -> list[dict[str, Any]]:
    """Refunds grouped by store, day, nationality or instant vs ordinary."""
    field = {
        "store": "store__name",
        "day": "purchase_date",
        "nationality": "nationality",
        "instant": "instant",
    }[dimension]
    return _totals(queryset, field)


def report_by_category(queryset: QuerySet[RefundForm]) -> list[dict[str, Any]]:
    lines = FormLine.objects.filter(form__in=queryset.exclude(status=FormStatus.VOIDED), refundable=True)
    return [
        dict(row)
        for row in lines.values("category")
        .order_by("category")
        .annotate(lines=Count("pk"), total=Sum("amount"), refunded=Sum("refund"))
    ]
