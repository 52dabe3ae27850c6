"""The fund's expert review and roadshow defence on the shared review block (`jingxiang.reviewing`).

Each call has one expert-review round (scope ``fund.expert``, object = the call) and one defence round
(``fund.defence``), created when the first application reaches that stage, with the call's criteria and
expert pool; an upheld appeal is heard again in a round of its own (``fund.rehearing``, object = the
application). Assignment (the engine: no conflicts, even loads), score sheets, normalisation and ranking
are the block's; this module only maps fund records onto it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.fund.models import FundApplication, FundCall, Stage
from jingxiang.reviewing import selectors as review_selectors
from jingxiang.reviewing import services as review_services
from jingxiang.reviewing.models import Assignment, Reviewer, Round, RoundMode, Submission

EXPERT_SCOPE = "fund.expert"
DEFENCE_SCOPE = "fund.defence"
REHEARING_SCOPE = "fund.rehearing"
SCOPES = {Stage.EXPERT: EXPERT_SCOPE, Stage.DEFENCE: DEFENCE_SCOPE}


def stage_round(call: FundCall, stage: str) -> Round | None:
    found: Round | None = Round.objects.filter(scope=SCOPES[Stage(stage)], object_id=call.pk).first()
    return found


def rehearing_round(application: FundApplication) -> Round | None:
    found: Round | None = (
        Round.objects.filter(scope=REHEARING_SCOPE, object_id=application.pk).order_by("-pk").first()
    )
    return found


def defence_round(application: FundApplication) -> Round | None:
    """Where the application's defence is scored: its latest rehearing, else the call's defence round."""
    return rehearing_round(application) or stage_round(application.call, Stage.DEFENCE)


def _criteria(call: FundCall, stage: str) -> list[dict[str, Any]]:
    return [
        {"code": f"c{c.pk}", "name": c.name, "weight": c.weight}
        for c in call.criteria.filter(stage=stage).order_by("pk")
    ]


def _add_pool(actor: Any, call: FundCall, round: Round) -> None:
    present = set(Reviewer.objects.filter(round=round).values_list("user_id", flat=True))
    for expert in (
        call.reviewers.filter(archived_at__isnull=True).select_related("user").prefetch_related("conflicts")
    ):
        if expert.user_id in present:
            continue
        review_services.reviewer_add(
            actor=actor,
            round=round,
            user=expert.user,
            organisation=expert.organisation,
            expertise=expert.tags,
            max_load=expert.max_load,
            conflict_organisations=list(expert.conflicts.all()),
        )


def _new_round(actor: Any, call: FundCall, *, stage: str, scope: str, object_id: int, title: str) -> Round:
    now = timezone.now()
    round = review_services.round_create(
        actor=actor,
        scope=scope,
        object_id=object_id,
        title=title,
        opens_at=now,
        closes_at=now + dt.timedelta(days=call.review_days),
        criteria=_criteria(call, stage),
        scale_min=Decimal("0"),
        scale_max=call.scale_max,
        reviewers_needed=call.reviewers_per_application,
        mode=RoundMode.ASSIGNED if stage == Stage.EXPERT else RoundMode.PANEL,
    )
    _add_pool(actor, call, round)
    return round


def ensure_round(actor: Any, call: FundCall, stage: str) -> Round:
    round = stage_round(call, stage)
    if round is None:
        label = Stage(stage).label
        round = _new_round(
            actor,
            call,
            stage=stage,
            scope=SCOPES[Stage(stage)],
            object_id=call.pk,
            title=f"{call.title} · {label}",
        )
    return round


def open_rehearing(actor: Any, application: FundApplication) -> Round:
    round = _new_round(
        actor,
        application.call,
        stage=Stage.DEFENCE,
        scope=REHEARING_SCOPE,
        object_id=application.pk,
        title=_("%(n)s 复议答辩") % {"n": application.number},
    )
    enter(actor, application, round)
    return round


def enter(actor: Any, application: FundApplication, round: Round) -> Submission:
    return review_services.submission_add(
        actor=actor,
        round=round,
        entry=application,
        title=f"{application.number} {application.project_title}",
        organisation=application.organisation,
        team=[f"user:{application.created_by_id}", *(f"member:{m.pk}" for m in application.team.all())],
        tags=application.tag_list,
    )


def pool_added(actor: Any, call: FundCall) -> None:
    """A new expert joins the pool: add them to the call's rounds still open for scoring."""
    for round in Round.objects.filter(scope__in=SCOPES.values(), object_id=call.pk):
        if not round.is_closed():
            _add_pool(actor, call, round)


def submission_of(application: FundApplication, round: Round | None) -> Submission | None:
    if round is None:
        return None
    found: Submission | None = Submission.objects.filter(
        round=round,
        content_type=ContentType.objects.get_for_model(FundApplication),
        object_id=application.pk,
        withdrawn=False,
    ).first()
    return found


def missing_sheets(application: FundApplication, round: Round | None) -> list[str] | None:
    """The experts whose sheets on the application are still missing; None when nobody is assigned yet."""
    submission = submission_of(application, round)
    if submission is None:
        return None
    assignments = list(
        Assignment.objects.filter(submission=submission, withdrawn=False).select_related("reviewer")
    )
    if not assignments:
        return None
    return [a.reviewer.name for a in assignments if a.submitted_at is None]


def reviewed_application_ids(user: Any) -> Any:
    """Applications whose submission is assigned to ``user`` (a subquery of object ids)."""
    return Submission.objects.filter(
        content_type=ContentType.objects.get_for_model(FundApplication),
        assignments__reviewer__user=user,
        assignments__withdrawn=False,
    ).values("object_id")


def ranking(round: Round | None) -> list[Any]:
    if round is None:
        return []
    return list(review_selectors.round_ranking(round).rows)


def rank_of(application: FundApplication, round: Round | None) -> tuple[Any, int]:
    rows = ranking(round)
    submission = submission_of(application, round)
    row = next((r for r in rows if submission is not None and r.submission.pk == submission.pk), None)
    return row, len([r for r in rows if r.rank is not None])
