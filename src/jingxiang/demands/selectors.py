"""Reads that are more than one queryset filter: suggestions for a demand, demands for a supplier,
the operators' board, the weighted challenge scores, and what the demand board contributes to the shared
matching index (open demands, feedback, the operators' knowledge tables; registered in ``apps.py``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml
from django.db.models import Count, Max

from jingxiang.core.pages import NextStep, first_step
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
    """Each application's score (0–10) from the review engine (`jingxiang.review.score`), the one way
    platform reviews are scored: per reviewer Σ weight × score / Σ weight; a reviewer with enough
    scores is normalised (z-score within their own scores, so a strict judge cannot sink an entry),
    one with few is used as given (rules.yaml `min_scores`). Best first by the engine's ranking and
    tie-breaks, unscored last; each row also carries the raw score and the rank it would have had
    without normalisation."""
    from jingxiang.review import rules as review_rules
    from jingxiang.review.records import Criterion, RawScore, Scale, ScoreInstance, ScoreParameters
    from jingxiang.review.scoring import score as review_score

    criteria = list(challenge.criteria.all())
    applications = list(
        challenge.applications.select_related("talent", "organisation").annotate(
            reviewers_scored=Count("scores__reviewer", distinct=True)
        )
    )
    raw = [
        RawScore(reviewer=reviewer_id, submission=application_id, criterion=criterion_id, value=float(value))
        for application_id, reviewer_id, criterion_id, value in challenge.applications.filter(
            scores__isnull=False
        ).values_list("pk", "scores__reviewer_id", "scores__criterion_id", "scores__score")
    ]
    ranked: dict[int, Any] = {}
    if raw and criteria:
        scale = Scale(min=0.0, max=10.0, step=1.0)
        rules = review_rules.rules()
        result = review_score(
            ScoreInstance(
                criteria=tuple(Criterion(id=c.pk, weight=float(c.weight), scale=scale) for c in criteria),
                scores=tuple(raw),
                total_scale=scale,
                parameters=ScoreParameters(
                    min_scores=rules.min_scores,
                    shrinkage=rules.shrinkage,
                    outlier_threshold=rules.outlier_threshold,
                ),
            )
        )
        ranked = {entry.submission: entry for entry in result.ranking}

    def two_places(value: float) -> Decimal:
        return Decimal(repr(value)).quantize(Decimal("0.01"))

    rows = []
    for application in applications:
        entry = ranked.get(application.pk)
        rows.append(
            {
                "application": application,
                "score": two_places(entry.score) if entry else None,
                "raw_score": two_places(entry.raw_score) if entry else None,
                "rank": entry.rank if entry else None,
                "raw_rank": entry.raw_rank if entry else None,
                "reviewers": entry.reviews if entry else 0,
            }
        )
    rows.sort(key=lambda row: (row["rank"] is None, row["rank"] or 0, row["application"].pk))
    return rows


# -- pages: what a demand or challenge page shows besides the object itself -----------------------------


def _key(suggestion: Suggestion) -> str:
    return f"{'T' if suggestion.kind == 'talent' else 'O'}-{suggestion.object_id}"


def demand_challenge(demand: Demand) -> Challenge | None:
    """The 揭榜挂帅 challenge made of the demand, if any."""
    return Challenge.objects.filter(demand=demand).first()


def suggestion_rows(demand: Demand, invitations: list[Invitation], *, top: int = 10) -> list[dict[str, Any]]:
    """The engine's suppliers for the posting firm, each with its key, whether it is invited already and
    whether it can answer online (an expert without a login is reached through their organisation)."""
    from jingxiang.talents.models import Talent

    ranked = demand_suggestions(demand, top=top)
    invited = {invitation.supplier_key for invitation in invitations}
    with_login = set(
        Talent.objects.filter(
            pk__in=[s.object_id for s in ranked if s.kind == "talent"],
            user__isnull=False,
            user__is_active=True,
        ).values_list("pk", flat=True)
    )
    return [
        {
            "s": suggestion,
            "key": _key(suggestion),
            "invited": _key(suggestion) in invited,
            "reachable": suggestion.kind == "organisation" or suggestion.object_id in with_login,
        }
        for suggestion in ranked
    ]


def suggestion_for(demand: Demand, key: str) -> Suggestion | None:
    """The engine's entry for an invited supplier (its score and reasons are kept with the invitation)."""
    return next((s for s in demand_suggestions(demand, top=30) if _key(s) == key), None)


def merge_candidates(demand: Demand) -> list[Demand]:
    """The firm's other demands a duplicate may be merged into: waiting for screening or open."""
    from jingxiang.demands.models import OPEN_STATUSES

    return list(
        Demand.objects.filter(
            organisation_id=demand.organisation_id,
            status__in=[DemandStatus.SCREENING, *OPEN_STATUSES],
            archived_at__isnull=True,
        ).exclude(pk=demand.pk)
    )


def pending_invitations(user: Any) -> list[Invitation]:
    """Invitations waiting for the user's answer (as an expert or for their organisation), newest first."""
    from jingxiang.demands.models import OPEN_STATUSES, InvitationStatus
    from jingxiang.demands.permissions import addressed_to

    condition = addressed_to(user)
    if condition is None:
        return []
    return list(
        Invitation.objects.filter(
            condition, status=InvitationStatus.PENDING, demand__status__in=OPEN_STATUSES
        )
        .select_related("demand__organisation", "talent", "organisation")
        .order_by("-created_at")
    )


def demand_next_step(
    demand: Demand, *, proposals: list[Proposal], invitations: list[Invitation], challenge: Challenge | None
) -> NextStep | None:
    """Who acts next on a demand (UI rule: every workflow object says it)."""
    from django.utils.translation import gettext as _

    from jingxiang.demands.models import OPEN_STATUSES, InvitationStatus, ProposalStatus

    firm = demand.organisation.name
    is_open = demand.status in OPEN_STATUSES
    pending = [i.supplier_name for i in invitations if i.status == InvitationStatus.PENDING]
    return first_step(
        (
            demand.status == DemandStatus.DRAFT,
            NextStep(_("等待 %(firm)s 修改并提交审核") % {"firm": firm}, actor=firm),
        ),
        (demand.status == DemandStatus.SCREENING, NextStep(_("等待 平台运营 审核发布"))),
        (
            is_open and any(p.status == ProposalStatus.SUBMITTED for p in proposals),
            NextStep(_("等待 %(firm)s 决定是否采纳方案") % {"firm": firm}, actor=firm),
        ),
        (
            is_open and bool(pending),
            NextStep(_("等待 %(names)s 回复邀请") % {"names": _("、").join(pending[:3])}),
        ),
        (
            is_open,
            NextStep(_("等待 %(firm)s 邀请专家或机构,或等待供给方提交方案") % {"firm": firm}, actor=firm),
        ),
        (
            demand.status == DemandStatus.MATCHED and challenge is not None,
            NextStep(_("揭榜挂帅实施中:等待里程碑验收与付款")),
        ),
        (
            demand.status == DemandStatus.MATCHED,
            NextStep(_("等待 %(firm)s 记录合作结果并关闭") % {"firm": firm}, actor=firm),
        ),
    )


def challenge_next_step(challenge: Challenge) -> NextStep | None:
    """Who acts next on a 揭榜挂帅 challenge."""
    from django.utils.translation import gettext as _

    from jingxiang.demands.models import ChallengeStatus

    return first_step(
        (
            challenge.status == ChallengeStatus.OPEN,
            NextStep(_("揭榜中:等待团队揭榜,截止 %(d)s") % {"d": challenge.deadline}),
        ),
        (
            challenge.status == ChallengeStatus.REVIEWING,
            NextStep(_("等待 评审专家 评分,之后由平台运营选定揭榜方")),
        ),
        (challenge.status == ChallengeStatus.AWARDED, NextStep(_("实施中:等待里程碑验收与付款"))),
    )


def demand_hall(user: Any, *, everything: bool) -> Any:
    """The demands of the hall the user may see. It shows what can still be answered, and the firm's own
    demands in any state; ``everything`` (a status or "only my firm" chosen) leaves the choice to the
    filters. Merged and archived demands never appear."""
    from django.db.models import Q

    from jingxiang.demands.models import OPEN_STATUSES
    from jingxiang.organisations.permissions import firm_ids

    queryset = (
        Demand.objects.visible_to(user)
        .filter(archived_at__isnull=True)
        .exclude(status=DemandStatus.MERGED)
        .select_related("organisation")
    )
    if everything:
        return queryset
    return queryset.filter(Q(status__in=OPEN_STATUSES) | Q(organisation_id__in=firm_ids(user)))


def knowledge_documents() -> list[dict[str, Any]]:
    """Each knowledge table with its active version and the latest five."""
    from jingxiang.demands.models import KnowledgeDocument, KnowledgeVersion, KnowledgeVersionStatus

    versions = list(KnowledgeVersion.objects.select_related("created_by").order_by("document", "-version"))
    documents = []
    for value, label in KnowledgeDocument.choices:
        mine = [v for v in versions if v.document == value]
        active = next((v for v in mine if v.status == KnowledgeVersionStatus.ACTIVE), None)
        documents.append({"code": value, "label": label, "active": active, "versions": mine[:5]})
    return documents


def knowledge_draft(document: str, version_id: str | None) -> Any:
    """The version an operator edits from: the one chosen (``?from=``), else the active one; None means
    the built-in table."""
    from jingxiang.demands.models import KnowledgeVersion, KnowledgeVersionStatus

    base = KnowledgeVersion.objects.filter(document=document)
    chosen = base.filter(pk=version_id).first() if version_id and version_id.isdigit() else None
    return chosen or base.filter(status=KnowledgeVersionStatus.ACTIVE).first()
