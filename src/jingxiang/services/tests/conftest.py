"""Marketplace fixtures: the cast's lab (东华大学检测实验室) sells a service, 康波 orders it with a voucher."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from jingxiang.services import services
from jingxiang.services.tests.builders import approved_voucher, delivered_order, programme, service
from jingxiang.sharing.tests.builders import open_all_week, slot


@dataclass
class Market:
    service: Any
    order: Any
    programme: Any
    voucher: Any
    claim: Any
    consultation: Any


@pytest.fixture
def market(cast: Any) -> Market:
    """The lab's staff act for it as provider (lab staff of a testing lab); one accepted voucher order
    with its claim, and one requested consultation with the think-tank expert 林工."""
    svc = service(cast.lab, title="镜片透光率检测", category="testing", price="2000.00")
    prog = programme()
    voucher = approved_voucher(cast, prog)
    order = delivered_order(cast, svc, cast.lab_staff, voucher=voucher)
    order = services.order_accept(actor=cast.firm_admin, order=order)
    claim = services.claim_file(actor=cast.lab_staff, order=order)
    cast.expert.think_tank = True
    cast.expert.save()
    open_all_week(cast.expert)
    consultation = services.consultation_book(
        actor=cast.firm_admin,
        talent=cast.expert,
        firm=cast.firm,
        starts_at=slot(timezone.localdate() + dt.timedelta(days=3), 10, 11)[0],
        topic="镀膜脱膜",
    )
    return Market(svc, order, prog, voucher, claim, consultation)
