"""What the marketplace tells people: quotes, orders, deliveries, consultations, vouchers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

QUOTE_REQUESTED = message("services.quote_requested", gettext_lazy("%(firm)s 请求报价:%(service)s"))
QUOTED = message("services.quoted", gettext_lazy("%(provider)s 已报价 %(price)s 元:%(service)s"))
ORDERED = message("services.ordered", gettext_lazy("%(firm)s 下单:%(number)s %(service)s"))
DELIVERED = message("services.delivered", gettext_lazy("订单 %(number)s 已交付,请验收"))
ACCEPTED = message("services.accepted", gettext_lazy("订单 %(number)s 已验收"))
DISPUTED = message("services.disputed", gettext_lazy("订单 %(number)s 的交付有异议"), "%(reason)s")
CONSULTATION_REQUESTED = message(
    "services.consultation_requested", gettext_lazy("%(firm)s 预约了您的智库咨询:%(slot)s")
)
CONSULTATION_ANSWERED = message(
    "services.consultation_answered", gettext_lazy("智库咨询 %(slot)s:%(status)s")
)
VOUCHER_APPLIED = message("services.voucher_applied", gettext_lazy("%(firm)s 申请创新券:%(programme)s"))
VOUCHER_DECIDED = message("services.voucher_decided", gettext_lazy("创新券 %(number)s:%(status)s"))
CLAIM_FILED = message("services.claim_filed", gettext_lazy("%(provider)s 申请兑付创新券 %(amount)s 元"))
CLAIM_PAID = message("services.claim_paid", gettext_lazy("创新券兑付 %(amount)s 元已支付(订单 %(number)s)"))
