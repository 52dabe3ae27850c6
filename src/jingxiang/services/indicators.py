"""Record sources of the service marketplace for the insights indicators (see insights/registry.py).

An order counts for the firm that bought the service, in the month it accepted the deliverable; the
voucher money counts when the operator paid the provider's claim.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from jingxiang.insights.registry import Column, RecordSource, Sum, register_source
from jingxiang.services.models import ClaimStatus, Order, OrderStatus, VoucherClaim

register_source(
    RecordSource(
        key="services.orders_accepted",
        label=gettext_lazy("验收的专业服务订单"),
        queryset=lambda: Order.objects.filter(status=OrderStatus.ACCEPTED, accepted_at__isnull=False),
        date_field="accepted_at",
        organisation_field="firm",
        visible=lambda user: Order.objects.visible_to(user),
        url=lambda o: reverse("services:order_detail", args=[o.pk]),
        columns=[
            Column(gettext_lazy("服务机构"), lambda o: o.provider.name),
            Column(gettext_lazy("价格(元)"), lambda o: o.price),
        ],
        select_related=("firm", "provider"),
    )
)
register_source(
    RecordSource(
        key="services.vouchers_paid",
        label=gettext_lazy("兑付的创新券"),
        queryset=lambda: VoucherClaim.objects.filter(status=ClaimStatus.PAID, paid_at__isnull=False),
        date_field="paid_at",
        organisation_field="order__firm",
        visible=lambda user: VoucherClaim.objects.visible_to(user),
        url=lambda c: reverse("services:order_detail", args=[c.order_id]),
        measure=Sum("amount"),
        columns=[
            Column(gettext_lazy("服务机构"), lambda c: c.order.provider.name),
            Column(gettext_lazy("兑付金额(元)"), lambda c: c.amount),
        ],
        select_related=("order__firm", "order__provider"),
    )
)
