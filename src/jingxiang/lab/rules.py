"""The lab's time rules (core.timerules): stated once, checked by the results form and the service."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore, NotInFuture

#: A sample is tested after the lab received it and not later than today: the test date decides the
#: edition in force, so it can be neither invented ahead nor moved before the sample existed.
RESULT_RULES = (
    NotInFuture("test_date", label=_("检测日期")),
    NotBefore("test_date", "received_on", label=_("检测日期"), other_label=_("收样日期")),
)

#: A sample's receipt is recorded when it happened, which can be earlier than its registration but
#: never later than now.
RECEIPT_RULES = (NotInFuture("received_at", label=_("收样时间")),)
