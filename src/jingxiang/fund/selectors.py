"""Reads of the talent fund: an application's place in the review block's rankings and the ledger's
totals recomputed from its entries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum

from jingxiang.fund import review
from jingxiang.fund.models import EntryKind, Fund, FundApplication, Stage


def application_rank(application: FundApplication) -> dict[str, Any]:
    """The application's row in the expert round and in its defence round, with the field sizes."""
    expert_row, expert_of = review.rank_of(application, review.stage_round(application.call, Stage.EXPERT))
    defence_row, defence_of = review.rank_of(application, review.defence_round(application))
    return {"expert": expert_row, "expert_of": expert_of, "defence": defence_row, "defence_of": defence_of}


def ledger_from_entries(fund: Fund) -> dict[str, Decimal]:
    """The fund's totals recomputed from its ledger entries (they must equal the fund row's)."""
    sums = {
        row["kind"]: row["total"]
        for row in fund.entries.values("kind").annotate(total=Sum("amount")).order_by()
    }

    def of(kind: str) -> Decimal:
        return sums.get(kind) or Decimal("0")

    return {
        "capital": of(EntryKind.CAPITAL),
        "committed": of(EntryKind.COMMIT) - of(EntryKind.DISBURSE) - of(EntryKind.RELEASE),
        "disbursed": of(EntryKind.DISBURSE),
        "recovered": of(EntryKind.RECOVER),
    }
