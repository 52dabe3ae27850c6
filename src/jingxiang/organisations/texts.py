"""What joining applications tell operators and applicants."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

APPLICATION_RECEIVED = message("organisations.application_received", gettext_lazy("新的入驻申请:%(name)s"))
APPLICATION_APPROVED = message(
    "organisations.application_approved", gettext_lazy("入驻申请已通过:%(name)s"), "%(note)s"
)
APPLICATION_REJECTED = message(
    "organisations.application_rejected", gettext_lazy("入驻申请未通过:%(name)s"), "%(note)s"
)
