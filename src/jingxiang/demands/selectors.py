"""Reads that are more than one queryset filter: suggestions for a demand, demands for a supplier,
the operators' board, the weighted challenge scores, and what the demand board contributes to the shared
matching index (open demands, feedback, the operators' knowledge tables; registered in ``apps.py``)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import yaml
from django.db.models import Count, Max

from jingxiang.demands.models import (
    ENGINE_CATEGORY,
    Challenge,
    Demand,
    DemandStatus,
    Invitation,
    KnowledgeVersion,
    KnowledgeVersionStatus,
    MatchFeedback,
    Proposal,
)
from jingxiang.matchindex.registry import FeedbackBatch
from jingxiang.matchindex.selectors import Suggestion, rank_demands_for, suggest_suppliers
from jingxiang.matchindex.suppliers import parse_key
from jingxiang.matching import Demand as EngineDemand
from jingxiang.matching import Outcome


def demand_suggestions(demand: Demand, *, top: int = 10) -> list[Suggestion]:
    """Suppliers for this demand, never the firm's own staff."""
    from jingxiang.talents.models import Talent

    own_staff = set(
        Talent.objects.filter(home_organisation_id=demand.organisation_id).values_list("pk", flat=True)
    )
    return suggest_suppliers(
        title=demand.title,
        description=demand.description,
        category=demand.category,
        region=demand.region,
        hours_needed=demand.hours_needed,
        exclude_talent_ids=own_staff,
        exclude_organisation_ids={demand.organisation_id},
        top=top,
    )


def demands_for_supplier(user: Any, *, supplier_key: str, top: int = 20) -> list[dict[str, Any]]:
    """ "Needs you could help with": open demands the user may see, ranked by the engine for this supplier."""
    visible = Demand.objects.visible_to(user).open()
    kind, pk = parse_key(supplier_key)
    # The supplier's own firm (for a talent: their home organisation) never appears as a need to answer.
    if kind == "organisation":
        visible = visible.exclude(organisation_id=pk)
    ranked = [
        (int(engine_id.removeprefix("D-")), score, why)
        for engine_id, score, why in rank_demands_for(
            supplier_key=supplier_key,
            demand_ids=[f"D-{pk}" for pk in visible.values_list("pk", flat=True)],
            top=top,
        )
    ]
    demands = Demand.objects.select_related("organisation").in_bulk([pk for pk, _s, _w in ranked])
    return [{"demand": demands[pk], "score": score, "why": why} for pk, score, why in ranked if pk in demands]


# -- the demand board's contribution to the matching index -------------------------------------------


def demand_record(demand: Demand) -> EngineDemand:
    return EngineDemand(
        id=demand.engine_id,
        enterprise=demand.organisation.name,
        title=demand.title,
        description=demand.description,
        category=ENGINE_CATEGORY.get(demand.category, demand.category),
        region=demand.region,
        hours_needed=float(demand.hours_needed or 0),
    )


def open_demand_records() -> dict[str, EngineDemand]:
    return {
        demand.engine_id: demand_record(demand)
        for demand in Demand.objects.open().select_related("organisation")
    }


def feedback_state() -> tuple[int, int]:
    state = MatchFeedback.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return state["n"], state["top"] or 0


def feedback_after(after: int) -> FeedbackBatch:
    rows = list(
        MatchFeedback.objects.filter(pk__gt=after).select_related("demand__organisation").order_by("pk")
    )
    return FeedbackBatch(
        outcomes=[
            Outcome(
                demand_id=row.demand.engine_id,
                supplier_id=row.supplier_key,
                kind=row.kind,  # type: ignore[arg-type]
                rating=row.rating,
            )
            for row in rows
        ],
        demands={row.demand.engine_id: demand_record(row.demand) for row in rows},
        last_id=rows[-1].pk if rows else after,
    )


def knowledge_key() -> tuple[int, ...]:
    return tuple(
        KnowledgeVersion.objects.filter(status=KnowledgeVersionStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def active_overrides() -> tuple[tuple[int, ...], dict[str, Any]]:
    """The operators' active knowledge versions: (their ids, parsed documents by name)."""
    rows = list(
        KnowledgeVersion.objects.filter(status=KnowledgeVersionStatus.ACTIVE).values_list(
            "pk", "document", "content"
        )
    )
    return tuple(sorted(pk for pk, _doc, _content in rows)), {
        document: yaml.safe_load(content) or {} for _pk, document, content in rows
    }


def knowledge_candidate(version_id: int) -> tuple[tuple[int, ...], dict[str, Any]]:
    """The active tables with this version in place of its document's active one, under the key the
    processes will compute once it is active (so they reuse the tables the rebuild loaded)."""
    version = KnowledgeVersion.objects.get(pk=version_id)
    _key, overrides = active_overrides()
    overrides[version.document] = yaml.safe_load(version.content) or {}
    others = KnowledgeVersion.objects.filter(status=KnowledgeVersionStatus.ACTIVE).exclude(
        document=version.document
    )
    return tuple(sorted([*others.values_list("pk", flat=True), version.pk])), overrides


def board_counts() -> dict[str, int]:
    """Demands per state, plus how many have waited for screening more than three days."""
    from datetime import timedelta

    from django.utils import timezone

    rows = Demand.objects.filter(archived_at__isnull=True).values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(DemandStatus.values, 0)
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["stale"] = Demand.objects.filter(
        archived_at__isnull=True,
        status=DemandStatus.SCREENING,
        submitted_at__lte=timezone.now() - timedelta(days=3),
    ).count()
    return counts


def demand_activity(demand: Demand) -> dict[str, Any]:
    """Invitations and proposals on a demand, with who must act next."""
    invitations = list(
        Invitation.objects.filter(demand=demand)
        .select_related("talent", "organisation")
        .order_by("-created_at")
    )
    proposals = list(
        Proposal.objects.filter(demand=demand)
        .select_related("talent", "organisation", "submitted_by")
        .order_by("-created_at")
    )
    return {"invitations": invitations, "proposals": proposals}


def weighted_scores(challenge: Challenge) -> list[dict[str, Any]]:
    """Each application's weighted score (0–10): per reviewer Σ weight × score / Σ weight, averaged over
    reviewers who scored it; best first, unscored last."""
    criteria = {c.pk: c.weight for c in challenge.criteria.all()}
    total_weight = sum(criteria.values()) or 1
    applications = list(
        challenge.applications.select_related("talent", "organisation").annotate(
            reviewers_scored=Count("scores__reviewer", distinct=True)
        )
    )
    per_reviewer: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for application_id, reviewer_id, criterion_id, score in challenge.applications.filter(
        scores__isnull=False
    ).values_list("pk", "scores__reviewer_id", "scores__criterion_id", "scores__score"):
        per_reviewer[(application_id, reviewer_id)] += Decimal(criteria.get(criterion_id, 0) * score)
    by_application: dict[int, list[Decimal]] = defaultdict(list)
    for (application_id, _reviewer), weighted in per_reviewer.items():
        by_application[application_id].append(weighted / total_weight)
    rows = []
    for application in applications:
        values = by_application.get(application.pk, [])
        score = (sum(values, Decimal("0")) / len(values)).quantize(Decimal("0.01")) if values else None
        rows.append({"application": application, "score": score, "reviewers": len(values)})
    rows.sort(key=lambda row: (row["score"] is None, -(row["score"] or 0), row["application"].pk))
    return rows
