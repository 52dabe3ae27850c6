"""Reads of the talent fund: the review ranking (through the review engine), the ledger's totals from
its entries, and what an application page shows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum

from jingxiang.fund.models import EntryKind, Fund, FundApplication, FundCall, ReviewScore, Stage


def _two(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def ranking(call: FundCall, stage: str) -> list[dict[str, Any]]:
    """The call's applications scored in ``stage``, best first, by the review engine
    (`jingxiang.review.score`, the one way platform reviews are scored): weighted totals per expert,
    each expert with enough scores normalised (z-score), ties broken by the engine's stated rules; each
    row also has the raw score and the rank it would have had without normalisation."""
    from jingxiang.review import rules as review_rules
    from jingxiang.review.records import Criterion, RawScore, Scale, ScoreInstance, ScoreParameters
    from jingxiang.review.scoring import score as review_score

    criteria = list(call.criteria.filter(stage=stage))
    raw = [
        RawScore(reviewer=reviewer, submission=application, criterion=criterion, value=float(value))
        for application, reviewer, criterion, value in ReviewScore.objects.filter(
            assignment__application__call=call, assignment__stage=stage, assignment__submitted_at__isnull=False
        ).values_list("assignment__application_id", "assignment__reviewer_id", "criterion_id", "score")
    ]
    if not raw or not criteria:
        return []
    top = float(max(c.max_score for c in criteria))
    rules = review_rules.rules()
    result = review_score(
        ScoreInstance(
            criteria=tuple(
                Criterion(id=c.pk, weight=float(c.weight), scale=Scale(min=0.0, max=float(c.max_score)))
                for c in criteria
            ),
            scores=tuple(raw),
            total_scale=Scale(min=0.0, max=top),
            parameters=ScoreParameters(
                min_scores=rules.min_scores, shrinkage=rules.shrinkage, outlier_threshold=rules.outlier_threshold
            ),
        )
    )
    applications = FundApplication.objects.in_bulk([e.submission for e in result.ranking])
    flagged = {o.submission for o in result.outliers}
    return [
        {
            "application": applications[entry.submission],
            "rank": entry.rank,
            "score": _two(entry.score),
            "raw_score": _two(entry.raw_score),
            "raw_rank": entry.raw_rank,
            "reviews": entry.reviews,
            "outlier": entry.submission in flagged,
        }
        for entry in result.ranking
        if entry.submission in applications
    ]


def application_rank(application: FundApplication) -> dict[str, Any]:
    """The application's row in each stage's ranking (None where it has no scores yet)."""
    found: dict[str, Any] = {}
    for stage in Stage:
        rows = ranking(application.call, stage)
        found[stage.value] = next((r for r in rows if r["application"].pk == application.pk), None)
        found[f"{stage.value}_of"] = len(rows)
    return found


def ledger_from_entries(fund: Fund) -> dict[str, Decimal]:
    """The fund's totals recomputed from its ledger entries (they must equal the fund row's)."""
    sums = {
        row["kind"]: row["total"] for row in fund.entries.values("kind").annotate(total=Sum("amount")).order_by()
    }

    def of(kind: str) -> Decimal:
        return sums.get(kind) or Decimal("0")

    return {
        "capital": of(EntryKind.CAPITAL),
        "committed": of(EntryKind.COMMIT) - of(EntryKind.DISBURSE) - of(EntryKind.RELEASE),
        "disbursed": of(EntryKind.DISBURSE),
        "recovered": of(EntryKind.RECOVER),
    }
