"""The fund's insights figures count the awards and released tranches, and their drill-downs list them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jingxiang.fund import services
from jingxiang.fund.tests.conftest import award, pdf
from jingxiang.insights.registry import get_source
from jingxiang.insights.selectors import Period, Scope, figures, month_start, next_month, records


def test_fund_awards_and_disbursed_money_match_their_records(cast: Any, setup: Any) -> None:
    made = award(cast, setup, amount=Decimal("800000"))
    due = timezone.localdate() + dt.timedelta(days=90)
    first = services.tranche_add(
        actor=cast.operator, award=made, milestone="样品", amount=Decimal("300000"), due_on=due
    )
    services.tranche_add(
        actor=cast.operator, award=made, milestone="量产", amount=Decimal("500000"), due_on=due
    )
    services.evidence_submit(actor=cast.firm_admin, tranche=first, upload=pdf("s.pdf"), note="样品")
    services.evidence_review(actor=cast.operator, tranche=first, approve=True)

    month = month_start(timezone.localdate())
    awards, paid = figures(["fund_awards", "fund_disbursed"], Period(month, month), Scope())
    assert awards.value == 1 and paid.value == Decimal("300000.00")
    end = next_month(month)
    assert list(records(get_source("fund.awards"), month, end, Scope())) == [made]
    assert list(records(get_source("fund.tranches_released"), month, end, Scope())) == [first]

    # The operator sees the records; the awarded firm sees its own; another firm sees nothing.
    org = made.application.organisation
    for source in ("fund.awards", "fund.tranches_released"):
        src = get_source(source)
        listed = records(src, month, end, Scope())
        assert listed.filter(pk__in=src.visible(cast.operator).values("pk")).count() == 1
        assert listed.filter(pk__in=src.visible(cast.firm_admin).values("pk")).count() == 1
        assert listed.filter(pk__in=src.visible(cast.other_firm_admin).values("pk")).count() == 0
    mine = Scope(organisation_ids=frozenset({org.pk}))
    other = Scope(organisation_ids=frozenset({cast.other_firm.pk}))
    assert figures(["fund_disbursed"], Period(month, month), mine)[0].value == Decimal("300000.00")
    assert figures(["fund_awards", "fund_disbursed"], Period(month, month), other)[0].value == 0
