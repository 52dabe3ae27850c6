"""The demo content loads through the services: an agreement in force and a month with two rows below the norm."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from jingxiang.wagenorms import demo
from jingxiang.wagenorms.models import AgreementStatus, WageAgreement, WageLine

pytestmark = pytest.mark.django_db


def test_demo_loads(cast):
    context = SimpleNamespace(users={"union_staff": cast.union_staff, "firm_admin": cast.firm_admin})
    started = time.perf_counter()
    demo.load(context)
    assert time.perf_counter() - started < 3
    assert WageAgreement.objects.get().status == AgreementStatus.EFFECTIVE
    assert WageLine.objects.count() == 18
    assert sorted(WageLine.objects.exclude(status="passed").values_list("failures__0__rule", flat=True)) == [
        "W-NORM",
        "W-STAT",
    ]
