"""The demo loads through the services: an open call, applications at different stages, an award with a
released tranche, and a ledger that adds up."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_fund_has_every_stage_and_a_released_tranche():
    from jingxiang.core.demo import load_demo
    from jingxiang.fund import selectors
    from jingxiang.fund.models import AppStatus, Award, Fund, FundApplication, FundCall, TrancheStatus

    context = load_demo()
    call = FundCall.objects.get(title__startswith="2026 年度临海市人才科创基金")
    assert call.status == "open"
    statuses = set(FundApplication.objects.values_list("status", flat=True))
    assert {AppStatus.DRAFT, AppStatus.SUBMITTED, AppStatus.REVIEW, AppStatus.AWARDED} <= statuses
    award = Award.objects.get()
    assert award.tranches.filter(status=TrancheStatus.RELEASED).count() == 1
    fund = Fund.objects.get()
    assert selectors.ledger_from_entries(fund)["disbursed"] == fund.disbursed == award.disbursed
    assert any(login[0] == "fund_reviewer" for login in context.logins)
