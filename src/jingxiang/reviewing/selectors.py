"""Reads of the review block: a reviewer's tasks, a round's progress, and the engine's ranking."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from jingxiang.reviewing.models import Assignment, AssignmentRun, Criterion, Reviewer, Round, Submission


def my_assignments(user: Any) -> QuerySet[Assignment]:
    """The viewer's own assignments, open rounds first."""
    return (
        Assignment.objects.visible_to(user)
        .select_related("round", "submission")
        .order_by("round__closes_at", "submission__title", "pk")
    )


def latest_run(round: Round) -> AssignmentRun | None:
    return AssignmentRun.objects.filter(round=round).order_by("-created_at", "-pk").first()


def active_assignments(round: Round) -> QuerySet[Assignment]:
    return Assignment.objects.filter(round=round, withdrawn=False, submission__withdrawn=False)


@dataclass
class Progress:
    submissions: int
    reviewers: int
    assignments: int
    submitted: int
    by_reviewer: list[dict[str, Any]]

    @property
    def percent(self) -> int:
        return int(100 * self.submitted / self.assignments) if self.assignments else 0


def round_progress(round: Round) -> Progress:
    assignments = active_assignments(round)
    rows = (
        Reviewer.objects.filter(round=round)
        .annotate(
            assigned=Count(
                "assignments",
                filter=Q(assignments__withdrawn=False, assignments__submission__withdrawn=False),
            ),
            done=Count(
                "assignments",
                filter=Q(
                    assignments__withdrawn=False,
                    assignments__submission__withdrawn=False,
                    assignments__submitted_at__isnull=False,
                ),
            ),
        )
        .select_related("organisation")
        .order_by("pk")
    )
    return Progress(
        submissions=Submission.objects.filter(round=round, withdrawn=False).count(),
        reviewers=Reviewer.objects.filter(round=round, active=True).count(),
        assignments=assignments.count(),
        submitted=assignments.filter(submitted_at__isnull=False).count(),
        by_reviewer=[{"reviewer": row, "assigned": row.assigned, "done": row.done} for row in rows],
    )


@dataclass
class RankedRow:
    submission: Submission
    rank: int | None
    score: Decimal | None
    raw_score: Decimal | None
    raw_rank: int | None
    reviews: int
    decided_by: str = ""
    outliers: list[Any] = field(default_factory=list)


@dataclass
class Ranking:
    rows: list[RankedRow]
    totals: dict[int, list[Any]]
    outliers: list[Any]
    target_mean: float | None
    target_sd: float | None
    min_scores: int


def _places(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def score_instance(round: Round) -> Any:
    """The engine's scoring input: every submitted, complete score sheet of the round."""
    from jingxiang.review import rules as review_rules
    from jingxiang.review.records import Criterion as EngineCriterion
    from jingxiang.review.records import RawScore, Scale, ScoreInstance, ScoreParameters

    criteria = list(Criterion.objects.filter(round=round))
    step = float(round.scale_step) if round.scale_step else None
    scale = Scale(min=float(round.scale_min), max=float(round.scale_max), step=step)
    raw = [
        RawScore(reviewer=reviewer_id, submission=submission_id, criterion=criterion_id, value=float(value))
        for reviewer_id, submission_id, criterion_id, value in active_assignments(round)
        .filter(submitted_at__isnull=False, scores__isnull=False)
        .order_by("submitted_at", "pk", "scores__criterion_id")
        .values_list("reviewer_id", "submission_id", "scores__criterion_id", "scores__value")
    ]
    rules = review_rules.rules()
    return ScoreInstance(
        criteria=tuple(EngineCriterion(id=c.pk, weight=float(c.weight), scale=scale) for c in criteria),
        scores=tuple(raw),
        total_scale=scale,
        parameters=ScoreParameters(
            min_scores=rules.min_scores, shrinkage=rules.shrinkage, outlier_threshold=rules.outlier_threshold
        ),
    )


def round_ranking(round: Round, *, include_unscored: bool = True) -> Ranking:
    """The normalised ranking from ``jingxiang.review.scoring.score``: rank, score, raw score and raw rank,
    reviews, the tie-break that decided each place and the chair's outlier flags. Entries without a
    submitted score sheet come last (unranked)."""
    from jingxiang.review.scoring import score as review_score

    instance = score_instance(round)
    submissions = {
        s.pk: s
        for s in Submission.objects.filter(round=round, withdrawn=False).select_related("organisation")
    }
    rows: list[RankedRow] = []
    totals: dict[int, list[Any]] = defaultdict(list)
    outliers: list[Any] = []
    target_mean = target_sd = None
    if instance.scores and instance.criteria:
        result = review_score(instance)
        target_mean, target_sd = result.target_mean, result.target_sd
        by_submission: dict[Any, list[Any]] = defaultdict(list)
        for outlier in result.outliers:
            by_submission[outlier.submission].append(outlier)
        outliers = list(result.outliers)
        for total in result.totals:
            totals[int(total.submission)].append(total)
        for entry in result.ranking:
            submission = submissions.get(int(entry.submission))
            if submission is None:
                continue
            rows.append(
                RankedRow(
                    submission=submission,
                    rank=entry.rank,
                    score=_places(entry.score),
                    raw_score=_places(entry.raw_score),
                    raw_rank=entry.raw_rank,
                    reviews=entry.reviews,
                    decided_by=entry.decided_by,
                    outliers=by_submission.get(entry.submission, []),
                )
            )
    if include_unscored:
        ranked = {row.submission.pk for row in rows}
        rows.extend(
            RankedRow(submission=s, rank=None, score=None, raw_score=None, raw_rank=None, reviews=0)
            for pk, s in sorted(submissions.items())
            if pk not in ranked
        )
    return Ranking(
        rows=rows,
        totals=dict(totals),
        outliers=outliers,
        target_mean=target_mean,
        target_sd=target_sd,
        min_scores=instance.parameters.min_scores,
    )


def submission_scores(round: Round, submission: Submission) -> dict[str, Any]:
    """Drill-down: each assignment of the submission with every criterion's value and the totals."""
    criteria = list(Criterion.objects.filter(round=round))
    assignments = list(
        active_assignments(round)
        .filter(submission=submission)
        .select_related("reviewer")
        .prefetch_related("scores")
    )
    ranking = round_ranking(round, include_unscored=False)
    totals = {int(t.reviewer): t for t in ranking.totals.get(submission.pk, [])}
    row = next((r for r in ranking.rows if r.submission.pk == submission.pk), None)
    sheets = []
    for assignment in assignments:
        values = {score.criterion_id: score.value for score in assignment.scores.all()}
        total = totals.get(assignment.reviewer_id)
        sheets.append(
            {
                "assignment": assignment,
                "values": [(c, values.get(c.pk)) for c in criteria],
                "raw_total": _places(total.raw_total) if total else None,
                "normalised_total": _places(total.normalised_total) if total else None,
                "outlier": next(
                    (o for o in (row.outliers if row else []) if int(o.reviewer) == assignment.reviewer_id),
                    None,
                ),
            }
        )
    return {"criteria": criteria, "sheets": sheets, "row": row}
