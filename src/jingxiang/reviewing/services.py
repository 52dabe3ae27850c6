"""Writes of the review block. Keyword-only; each validates and authorises again, in one transaction.

Refusals are ``ValidationError`` (bad input, wrong moment) or ``PermissionDenied`` (wrong person); the
shared page recipes show them. The owning app calls these with its own actor; the scope's policy
(``permissions.register_scope``) decides who manages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.timerules import enforce_time_rules
from jingxiang.reviewing import history, texts
from jingxiang.reviewing.models import (
    Assignment,
    AssignmentRun,
    Criterion,
    Reviewer,
    Round,
    RoundMode,
    RunStatus,
    Score,
    Submission,
)
from jingxiang.reviewing.permissions import may_manage, may_manage_round
from jingxiang.reviewing.rules import ROUND_RULES

ASSIGN_KIND = "reviewing_assign"


def _require_manager(actor: Any, round: Round) -> None:
    if not may_manage_round(actor, round):
        raise PermissionDenied(_("您无权管理该评审轮次。"))


def _clean_tags(values: Iterable[Any]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values or ():
        text = str(value).strip()
        if text:
            seen.setdefault(text[:40], None)
    return list(seen)[:30]


def round_create(
    *,
    actor: Any,
    scope: str,
    object_id: int | None,
    title: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    criteria: Sequence[Mapping[str, Any]],
    scale_min: Decimal = Decimal("0"),
    scale_max: Decimal = Decimal("10"),
    scale_step: Decimal | None = None,
    reviewers_needed: int = 3,
    mode: str = RoundMode.ASSIGNED,
    lookback_years: int | None = None,
    backdate_reason: str = "",
) -> Round:
    """A round with its criteria (``[{"code", "name", "weight", "guidance"?}]``), all or nothing."""
    from jingxiang.review.rules import rules as engine_rules

    if not may_manage(actor, scope, object_id):
        raise PermissionDenied(_("您无权为该业务设立评审轮次。"))
    check = enforce_time_rules(
        ROUND_RULES, {"opens_at": opens_at, "closes_at": closes_at}, actor=actor, reason=backdate_reason
    )
    errors: dict[str, list[str]] = {}
    if scale_max <= scale_min:
        errors.setdefault("scale_max", []).append(_("最高分必须大于最低分。"))
    if scale_step is not None and (scale_step <= 0 or (scale_max - scale_min) % scale_step != 0):
        errors.setdefault("scale_step", []).append(_("分值步长必须为正数,且能整除分值范围。"))
    if not 1 <= int(reviewers_needed) <= 10:
        errors.setdefault("reviewers_needed", []).append(_("每份所需专家数应在 1 到 10 之间。"))
    if mode not in RoundMode.values:
        errors.setdefault("mode", []).append(_("未知的分配方式。"))
    if not criteria:
        errors.setdefault("criteria", []).append(_("至少需要一个评分项。"))
    codes = [str(item.get("code", "")).strip() for item in criteria]
    if len(set(codes)) != len(codes) or not all(codes):
        errors.setdefault("criteria", []).append(_("评分项代码必须填写且不能重复。"))
    for item in criteria:
        try:
            weight = Decimal(str(item.get("weight", 1)))
        except InvalidOperation:
            weight = Decimal("0")
        if not weight.is_finite() or weight <= 0:
            errors.setdefault("criteria", []).append(
                _("评分项“%(name)s”的权重必须大于 0。") % {"name": item.get("name", "")}
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        round = Round.objects.create(
            scope=scope,
            object_id=object_id,
            title=title,
            opens_at=opens_at,
            closes_at=closes_at,
            scale_min=scale_min,
            scale_max=scale_max,
            scale_step=scale_step,
            reviewers_needed=reviewers_needed,
            mode=mode,
            lookback_years=engine_rules().lookback_years if lookback_years is None else lookback_years,
            created_by=actor,
        )
        for order, item in enumerate(criteria):
            Criterion.objects.create(
                round=round,
                code=codes[order],
                name=str(item.get("name") or codes[order]),
                weight=Decimal(str(item.get("weight", 1))),
                guidance=str(item.get("guidance", ""))[:300],
                order=order,
            )
        check.record(round)
    return round


def round_reschedule(
    *, actor: Any, round: Round, opens_at: dt.datetime, closes_at: dt.datetime, backdate_reason: str = ""
) -> Round:
    """Move a round's scoring window (a closing time in the past closes it)."""
    _require_manager(actor, round)
    rules = ROUND_RULES if opens_at != round.opens_at else ROUND_RULES[1:]
    check = enforce_time_rules(
        rules, {"opens_at": opens_at, "closes_at": closes_at}, actor=actor, reason=backdate_reason
    )
    with transaction.atomic():
        locked: Round = Round.objects.select_for_update().get(pk=round.pk)
        locked.opens_at, locked.closes_at, locked.closed_at = opens_at, closes_at, None
        locked.save(update_fields=["opens_at", "closes_at", "closed_at", "updated_at"])
        check.record(locked)
    return locked


def round_close(*, actor: Any, round: Round) -> Round:
    """Close scoring now (before the planned closing time); scores can no longer change."""
    _require_manager(actor, round)
    with transaction.atomic():
        locked: Round = Round.objects.select_for_update().get(pk=round.pk)
        if locked.is_closed():
            raise ValidationError(_("该评审轮次已截止。"))
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at", "updated_at"])
    return locked


def submission_add(
    *,
    actor: Any,
    round: Round,
    entry: Any,
    title: str,
    organisation: Any = None,
    team: Iterable[str] = (),
    tags: Iterable[str] = (),
) -> Submission:
    """Put an owning app's record (``entry``) into the round; the same record twice is refused."""
    _require_manager(actor, round)
    if round.is_closed():
        raise ValidationError(_("该评审轮次已截止,不能再加入评审对象。"))
    content_type = ContentType.objects.get_for_model(entry)
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        if Submission.objects.filter(round=round, content_type=content_type, object_id=entry.pk).exists():
            raise ValidationError(_("“%(title)s”已在该评审轮次中。") % {"title": title})
        return Submission.objects.create(
            round=round,
            content_type=content_type,
            object_id=entry.pk,
            title=title[:200],
            organisation=organisation,
            team=[str(member) for member in dict.fromkeys(team)][:50],
            tags=_clean_tags(tags),
        )


def submission_withdraw(*, actor: Any, submission: Submission) -> Submission:
    """Take an entry out of the round (its open assignments are withdrawn; given scores stay on record)."""
    _require_manager(actor, submission.round)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        locked.withdrawn = True
        locked.save(update_fields=["withdrawn", "updated_at"])
        Assignment.objects.filter(submission=locked, submitted_at__isnull=True).update(withdrawn=True)
    return locked


def reviewer_add(
    *,
    actor: Any,
    round: Round,
    user: Any,
    name: str = "",
    talent: Any = None,
    organisation: Any = None,
    expertise: Iterable[str] = (),
    max_load: int = 10,
    conflict_organisations: Iterable[Any] = (),
    conflict_people: Iterable[str] = (),
) -> Reviewer:
    """Add an expert to the round's pool. Organisation defaults to the talent's home organisation."""
    _require_manager(actor, round)
    if user is None:
        raise ValidationError({"user": _("评审专家必须有平台账号。")})
    if not 0 <= int(max_load) <= 500:
        raise ValidationError({"max_load": _("最多评审份数应在 0 到 500 之间。")})
    if talent is None:
        talent = getattr(user, "talent", None) if hasattr(user, "talent") else None
    if organisation is None and talent is not None:
        organisation = talent.home_organisation
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        if Reviewer.objects.filter(round=round, user=user).exists():
            raise ValidationError(_("%(name)s 已在该轮评审专家中。") % {"name": name or str(user)})
        reviewer = Reviewer.objects.create(
            round=round,
            user=user,
            talent=talent,
            name=(name or (talent.name if talent else "") or user.get_full_name() or user.get_username())[
                :50
            ],
            organisation=organisation,
            expertise=_clean_tags(expertise),
            max_load=int(max_load),
            conflict_people=[str(person) for person in dict.fromkeys(conflict_people)][:1000],
        )
        reviewer.conflict_organisations.set(list(conflict_organisations))
    return reviewer


# -- assignment ------------------------------------------------------------------------------------------


def assignment_start(*, actor: Any, round: Round) -> AssignmentRun:
    """Queue the engine's assignment as a background job; refused when it cannot work or is too late.

    Refused: a run already queued or running, scores already given (re-assigning would discard them),
    a closed round, no submissions, or a pool smaller than the reviewers each submission needs.
    """
    from jingxiang.jobs.services import job_enqueue

    _require_manager(actor, round)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.is_closed():
            raise ValidationError(_("该评审轮次已截止,不能再分配。"))
        if AssignmentRun.objects.filter(
            round=locked, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        ).exists():
            raise ValidationError(_("已有一次分配正在进行,请等它完成。"))
        if Assignment.objects.filter(round=locked, withdrawn=False, submitted_at__isnull=False).exists():
            raise ValidationError(_("已有专家提交评分,不能重新分配(重新分配会作废已有评分)。"))
        submissions = Submission.objects.filter(round=locked, withdrawn=False).count()
        if not submissions:
            raise ValidationError(_("该轮次还没有评审对象。"))
        pool = list(
            Reviewer.objects.filter(round=locked, active=True, max_load__gt=0).values_list(
                "organisation_id", "pk"
            )
        )
        needed = locked.reviewers_needed if locked.mode == RoundMode.ASSIGNED else 1
        organisations = len({org if org is not None else f"r{pk}" for org, pk in pool})
        if len(pool) < needed or organisations < needed:
            raise ValidationError(
                _(
                    "评审专家不足:每份需要 %(need)s 位来自不同单位的专家,专家库只有 %(pool)s 位(%(orgs)s 个单位)。"
                    "请先增加专家。"
                )
                % {"need": needed, "pool": len(pool), "orgs": organisations}
            )
        run = AssignmentRun.objects.create(round=locked, created_by=actor)
        run.job = job_enqueue(
            kind=ASSIGN_KIND,
            title=texts.ASSIGN_TITLE(round=locked.title),
            created_by=actor,
            params={"run_id": run.pk},
        )
        run.save(update_fields=["job", "updated_at"])
    return run


def assign_instance(round: Round, *, as_of: dt.date | None = None) -> Any:
    """The engine's input for the round: pool, submissions and the platform's known collaborations."""
    from jingxiang.review.records import AssignInstance
    from jingxiang.review.records import Reviewer as EngineReviewer
    from jingxiang.review.records import Submission as EngineSubmission

    as_of = as_of or timezone.localdate()
    reviewers = list(
        Reviewer.objects.filter(round=round, active=True)
        .prefetch_related("conflict_organisations")
        .order_by("pk")
    )
    submissions = list(Submission.objects.filter(round=round, withdrawn=False).order_by("pk"))
    panel = round.mode == RoundMode.PANEL
    engine_reviewers = tuple(
        EngineReviewer(
            id=reviewer.pk,
            person=history.user_key(reviewer.user_id),
            organisation=reviewer.organisation_id,
            expertise=tuple(reviewer.expertise),
            max_load=len(submissions) if panel and reviewer.max_load else reviewer.max_load,
            conflict_organisations=tuple(org.pk for org in reviewer.conflict_organisations.all()),
            conflict_people=tuple(str(person) for person in reviewer.conflict_people),
        )
        for reviewer in reviewers
    )
    engine_submissions = tuple(
        EngineSubmission(
            id=submission.pk,
            organisation=submission.organisation_id,
            team=tuple(str(member) for member in submission.team),
            tags=tuple(submission.tags),
            reviewers_needed=1 if panel else round.reviewers_needed,
        )
        for submission in submissions
    )
    people = {history.user_key(reviewer.user_id) for reviewer in reviewers}
    for submission in submissions:
        people.update(str(member) for member in submission.team)
    organisations = {r.organisation_id for r in reviewers if r.organisation_id} | {
        s.organisation_id for s in submissions if s.organisation_id
    }
    collaborations = history.platform_collaborations(
        people=people,
        organisations=organisations,
        as_of=as_of,
        years=round.lookback_years,
        exclude_round=round.pk,
    )
    return AssignInstance(
        reviewers=engine_reviewers,
        submissions=engine_submissions,
        collaborations=tuple(collaborations),
        lookback_years=round.lookback_years,
        as_of=as_of,
    )


def _panel_assignment(instance: Any) -> tuple[list[tuple[Any, Any, int]], list[dict[str, Any]]]:
    """Panel rounds: every reviewer without a conflict scores every submission."""
    from jingxiang.review.conflicts import derive

    eligibility = derive(instance)
    pairs: list[tuple[Any, Any, int]] = []
    uncovered: list[dict[str, Any]] = []
    for position, submission in enumerate(instance.submissions):
        eligible = eligibility.eligible[position]
        if not eligible:
            excluded = "; ".join(f"{e.reviewer}: {e.detail}" for e in eligibility.excluded[position])
            uncovered.append({"submission": submission.id, "cause": "conflicts", "reason": excluded})
        tags = {tag.casefold() for tag in submission.tags}
        for reviewer_position in eligible:
            reviewer = instance.reviewers[reviewer_position]
            fit = len(tags & {tag.casefold() for tag in reviewer.expertise})
            pairs.append((submission.id, reviewer.id, fit))
    return pairs, uncovered


def assignment_compute(*, run_id: int, progress: Any = None) -> AssignmentRun:
    """Run the engine for ``run_id`` and store its assignment (the background job's work)."""
    from jingxiang.review import assign, validate_assignment

    run = AssignmentRun.objects.select_related("round").get(pk=run_id)
    round = run.round
    AssignmentRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    instance = assign_instance(round)
    if progress is not None:
        progress(10, texts.ASSIGN_PROGRESS(n=len(instance.submissions), r=len(instance.reviewers)))
    titles = dict(Submission.objects.filter(round=round).values_list("pk", "title"))
    if round.mode == RoundMode.PANEL:
        pairs, uncovered = _panel_assignment(instance)
        summary: dict[str, Any] = {"reviews": len(pairs)}
        solver_status, method = "optimal", "panel"
    else:
        result = assign(instance, time_limit_seconds=60.0, workers=2, seed=0)
        violations = validate_assignment(instance, result)
        if violations:
            raise RuntimeError(
                "review engine result failed its validator: " + "; ".join(v.message for v in violations)
            )
        pairs = [(a.submission, a.reviewer, a.fit) for a in result.assignments]
        uncovered = [
            {
                "submission": item.submission,
                "cause": item.cause,
                "reason": item.reason,
                "needed": item.needed,
                "eligible": item.eligible,
            }
            for item in result.uncovered
        ]
        solver_status, method = result.status, result.method
        summary = {
            "covered": result.covered,
            "uncovered": len(result.uncovered),
            "reviews": len(result.assignments),
            "max_load": result.max_load,
            "min_load": result.min_load,
            "fit": result.fit,
            "conflict_pairs": result.conflict_pairs,
            "solve_seconds": round_seconds(result.solve_seconds),
        }
    for item in uncovered:
        item["title"] = titles.get(item["submission"], "")
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        if Assignment.objects.filter(round=round, withdrawn=False, submitted_at__isnull=False).exists():
            run.status, run.error = RunStatus.FAILED, "scores were given while the assignment ran"
            run.finished_at = timezone.now()
            run.save()
            return run
        Assignment.objects.filter(round=round, withdrawn=False).update(withdrawn=True)
        Assignment.objects.bulk_create(
            Assignment(round=round, run=run, submission_id=s, reviewer_id=r, fit=fit) for s, r, fit in pairs
        )
        run.status, run.solver_status, run.method = RunStatus.DONE, solver_status, method
        run.summary = {**summary, "covered": len({s for s, _r, _f in pairs}), "uncovered": len(uncovered)}
        run.uncovered = uncovered
        run.finished_at = timezone.now()
        run.save()
        _notify_reviewers(round, pairs)
    return run


def round_seconds(value: float) -> float:
    return float(f"{value:.3f}")


def _notify_reviewers(round: Round, pairs: Sequence[tuple[Any, Any, int]]) -> None:
    from django.urls import reverse

    from jingxiang.core.services import notification_send

    counts: dict[Any, int] = {}
    for _s, reviewer, _f in pairs:
        counts[reviewer] = counts.get(reviewer, 0) + 1
    closes = timezone.localtime(round.closes_at).strftime("%Y-%m-%d %H:%M")
    for reviewer in Reviewer.objects.filter(pk__in=counts).select_related("user"):
        notification_send(
            recipient=reviewer.user,
            message=texts.ASSIGNED(round=round.title, n=counts[reviewer.pk], closes=closes),
            url=reverse("reviewing:mine"),
        )


# -- scores ----------------------------------------------------------------------------------------------


def _value_problem(round: Round, criterion: Criterion, raw: Any) -> tuple[Decimal | None, str]:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None, _("“%(c)s”的分值不是数字。") % {"c": criterion.name}
    if not value.is_finite():
        return None, _("“%(c)s”的分值不是数字。") % {"c": criterion.name}
    if value < round.scale_min or value > round.scale_max:
        return None, _("“%(c)s”的分值 %(v)s 超出评分范围 %(lo)s–%(hi)s,未保存。") % {
            "c": criterion.name,
            "v": format(value.normalize(), "f"),
            "lo": format(round.scale_min.normalize(), "f"),
            "hi": format(round.scale_max.normalize(), "f"),
        }
    if round.scale_step and (value - round.scale_min) % round.scale_step != 0:
        return None, _("“%(c)s”的分值必须是 %(step)s 的整数倍。") % {
            "c": criterion.name,
            "step": format(round.scale_step.normalize(), "f"),
        }
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        return None, _("“%(c)s”的分值最多两位小数。") % {"c": criterion.name}
    return value, ""


def scores_submit(
    *,
    actor: Any,
    assignment: Assignment,
    values: Mapping[Any, Any],
    comment: str = "",
    now: dt.datetime | None = None,
) -> Assignment:
    """A reviewer's score sheet: one value per criterion, all at once; may be revised until the round closes.

    Refused, nothing saved: someone other than the assigned reviewer, a withdrawn assignment, a round
    not open yet or closed, a missing criterion, a value off the scale or off its step.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked: Assignment = (
            Assignment.objects.select_for_update()
            .select_related("reviewer", "round", "submission")
            .get(pk=assignment.pk)
        )
        if locked.reviewer.user_id != getattr(actor, "pk", None) or not locked.reviewer.active:
            raise PermissionDenied(_("这份评审任务不是分配给您的。"))
        if locked.withdrawn or locked.submission.withdrawn:
            raise ValidationError(_("这份评审任务已撤销。"))
        round = Round.objects.get(pk=locked.round_id)
        if now < round.opens_at:
            raise ValidationError(
                _("评分尚未开始(%(at)s 开始)。")
                % {"at": timezone.localtime(round.opens_at).strftime("%Y-%m-%d %H:%M")}
            )
        if round.is_closed(now) or round.is_archived:
            raise ValidationError(
                _("评分已于 %(at)s 截止,不能再提交或修改。")
                % {"at": timezone.localtime(round.effective_close).strftime("%Y-%m-%d %H:%M")}
            )
        errors: dict[str, list[str]] = {}
        clean: dict[int, Decimal] = {}
        criteria = list(round.criteria.all())
        by_key = {str(key): value for key, value in values.items()}
        for criterion in criteria:
            raw = by_key.get(str(criterion.pk), by_key.get(criterion.code))
            field = f"criterion_{criterion.pk}"
            if raw is None or str(raw).strip() == "":
                errors.setdefault(field, []).append(_("请为“%(c)s”打分。") % {"c": criterion.name})
                continue
            value, problem = _value_problem(round, criterion, raw)
            if problem:
                errors.setdefault(field, []).append(problem)
            else:
                assert value is not None
                clean[criterion.pk] = value
        if errors:
            raise ValidationError(errors)
        for criterion_id, value in clean.items():
            Score.objects.update_or_create(
                assignment=locked, criterion_id=criterion_id, defaults={"value": value}
            )
        locked.comment = (comment or "").strip()[:2000]
        locked.submitted_at = now
        locked.save(update_fields=["comment", "submitted_at", "updated_at"])
    return locked
