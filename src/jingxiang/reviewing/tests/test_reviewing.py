"""The review block: assignment through the engine as a job, scores refused when they should be, ranking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.reviewing import selectors, services
from jingxiang.reviewing.models import Assignment, AssignmentRun, Round, RunStatus, Score

pytestmark = pytest.mark.django_db


def _assign(cast, setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.assignment_start(actor=cast.operator, round=setup.round)
    run.refresh_from_db()
    return run


def _score_all(round, base: dict[int, float]) -> None:
    for assignment in Assignment.objects.filter(round=round, withdrawn=False).select_related("reviewer"):
        value = base[assignment.submission_id] + (assignment.reviewer_id % 2)
        value = max(0.0, min(10.0, value))
        services.scores_submit(
            actor=assignment.reviewer.user,
            assignment=assignment,
            values={c.pk: Decimal(str(value)) for c in round.criteria.all()},
        )


def test_assignment_job_covers_every_submission_without_conflicts(
    cast, setup, django_capture_on_commit_callbacks
):
    run = _assign(cast, setup, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE
    assert run.solver_status == "optimal"
    assert run.uncovered == []
    assignments = list(
        Assignment.objects.filter(round=setup.round, withdrawn=False).select_related("reviewer", "submission")
    )
    assert len(assignments) == 2 * len(setup.submissions)
    for a in assignments:
        assert a.reviewer.organisation_id != a.submission.organisation_id
    per_submission: dict[int, set] = {}
    for a in assignments:
        per_submission.setdefault(a.submission_id, set()).add(
            a.reviewer.organisation_id or f"r{a.reviewer_id}"
        )
    assert all(len(orgs) == 2 for orgs in per_submission.values())
    # Each expert was told.
    assert setup.experts[0].notifications.exists() or any(u.notifications.exists() for u in setup.experts)


def test_membership_history_is_a_conflict(cast, setup, django_capture_on_commit_callbacks):
    """An expert who was a member of the firm (membership ended last year) never reviews its entries."""
    from jingxiang.organisations.models import Membership, Role

    judge = setup.reviewers[3]  # independent expert
    membership = Membership.objects.create(
        user=judge.user, organisation=cast.firm, role=Role.MEMBER, is_active=False
    )
    Membership.objects.filter(pk=membership.pk).update(updated_at=timezone.now() - dt.timedelta(days=365))
    _assign(cast, setup, django_capture_on_commit_callbacks)
    mine = Assignment.objects.filter(reviewer=judge, withdrawn=False).select_related("submission")
    assert all(a.submission.organisation_id != cast.firm.pk for a in mine)


def test_co_applicant_in_an_earlier_round_is_a_conflict(cast, setup, django_capture_on_commit_callbacks):
    """Judge 0 applied together with project 1's team member in an earlier round: never paired now."""
    from jingxiang.reviewing.history import user_key
    from jingxiang.testing.factories import OrganisationFactory

    from .conftest import make_round

    earlier = make_round(cast.operator, title="2025 早前评审")
    services.submission_add(
        actor=cast.operator,
        round=earlier,
        entry=OrganisationFactory(name="早前项目单位"),
        title="早前项目",
        team=[user_key(setup.reviewers[0].user_id), "person:0"],
    )
    _assign(cast, setup, django_capture_on_commit_callbacks)
    target = setup.submissions[0]
    assert target.team == ["person:0"]
    assert not Assignment.objects.filter(
        submission=target, reviewer=setup.reviewers[0], withdrawn=False
    ).exists()
    instance = services.assign_instance(setup.round)
    assert any(c.kind == "co_applicants" for c in instance.collaborations)


def test_pool_too_small_is_refused_before_any_job(cast, setup):
    round = setup.round
    Round.objects.filter(pk=round.pk).update(reviewers_needed=6)
    round.refresh_from_db()
    with pytest.raises(ValidationError, match="评审专家不足"):
        services.assignment_start(actor=cast.operator, round=round)
    assert not AssignmentRun.objects.filter(round=round).exists()


def test_conflicts_leave_submissions_uncovered_with_a_reason(cast, setup, django_capture_on_commit_callbacks):
    # Every expert but two declares a conflict with the firm: its entries cannot get 2 reviewers.
    for reviewer in setup.reviewers[:4]:
        reviewer.conflict_organisations.add(cast.firm)
    run = _assign(cast, setup, django_capture_on_commit_callbacks)
    uncovered = {item["submission"] for item in run.uncovered}
    firm_entries = {s.pk for s in setup.submissions if s.organisation_id == cast.firm.pk}
    assert uncovered == firm_entries
    assert all(item["reason"] and item["title"] for item in run.uncovered)
    assert not Assignment.objects.filter(submission_id__in=firm_entries, withdrawn=False).exists()


def test_scores_refused_outside_scale_step_window_and_for_others(
    cast, setup, django_capture_on_commit_callbacks
):
    _assign(cast, setup, django_capture_on_commit_callbacks)
    assignment = (
        Assignment.objects.filter(round=setup.round, withdrawn=False).select_related("reviewer").first()
    )
    criteria = list(setup.round.criteria.all())
    good = {c.pk: Decimal("7") for c in criteria}
    with pytest.raises(ValidationError, match="超出评分范围"):
        services.scores_submit(
            actor=assignment.reviewer.user, assignment=assignment, values={**good, criteria[0].pk: "11"}
        )
    with pytest.raises(ValidationError, match="整数倍"):
        services.scores_submit(
            actor=assignment.reviewer.user, assignment=assignment, values={**good, criteria[0].pk: "7.3"}
        )
    with pytest.raises(ValidationError, match="请为"):
        services.scores_submit(
            actor=assignment.reviewer.user, assignment=assignment, values={criteria[0].pk: "7"}
        )
    other = next(r for r in setup.reviewers if r.pk != assignment.reviewer_id)
    with pytest.raises(PermissionDenied):
        services.scores_submit(actor=other.user, assignment=assignment, values=good)
    assert not Score.objects.exists()
    services.scores_submit(actor=assignment.reviewer.user, assignment=assignment, values=good)
    assert Score.objects.filter(assignment=assignment).count() == 3
    # After the round closed: refused, the earlier scores stay as they were.
    services.round_close(actor=cast.operator, round=setup.round)
    with pytest.raises(ValidationError, match="截止"):
        services.scores_submit(
            actor=assignment.reviewer.user,
            assignment=assignment,
            values={c.pk: Decimal("3") for c in criteria},
        )
    assert set(Score.objects.filter(assignment=assignment).values_list("value", flat=True)) == {Decimal("7")}


def test_no_reassignment_after_scores(cast, setup, django_capture_on_commit_callbacks):
    _assign(cast, setup, django_capture_on_commit_callbacks)
    assignment = (
        Assignment.objects.filter(round=setup.round, withdrawn=False).select_related("reviewer").first()
    )
    services.scores_submit(
        actor=assignment.reviewer.user,
        assignment=assignment,
        values={c.pk: 6 for c in setup.round.criteria.all()},
    )
    with pytest.raises(ValidationError, match="不能重新分配"):
        services.assignment_start(actor=cast.operator, round=setup.round)


def test_ranking_matches_the_engine_and_the_records(cast, setup, django_capture_on_commit_callbacks):
    _assign(cast, setup, django_capture_on_commit_callbacks)
    base = {s.pk: 1.0 + 1.5 * i for i, s in enumerate(setup.submissions)}
    _score_all(setup.round, base)
    ranking = selectors.round_ranking(setup.round)
    ranked = [row for row in ranking.rows if row.rank is not None]
    assert len(ranked) == len(setup.submissions)
    assert [row.rank for row in ranked] == list(range(1, len(ranked) + 1))
    # The raw score shown is the mean of the weighted totals of the sheets under it.
    for row in ranked:
        sheets = selectors.submission_scores(setup.round, row.submission)["sheets"]
        totals = [float(sheet["raw_total"]) for sheet in sheets]
        assert abs(sum(totals) / len(totals) - float(row.raw_score)) < 0.011
    # Entries scored higher by the same design rank higher (equal offsets for both reviewers).
    assert ranked[0].submission == setup.submissions[-1]


def test_manager_only_for_management_and_permission_on_create(cast, setup):
    with pytest.raises(PermissionDenied):
        services.assignment_start(actor=cast.firm_admin, round=setup.round)
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=cast.firm_admin,
            scope="reviewing.standalone",
            object_id=None,
            title="x",
            opens_at=timezone.now() + dt.timedelta(hours=1),
            closes_at=timezone.now() + dt.timedelta(days=1),
            criteria=[{"code": "a", "name": "A", "weight": 1}],
        )
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=cast.operator,
            scope="nobody.registered",
            object_id=None,
            title="x",
            opens_at=timezone.now() + dt.timedelta(hours=1),
            closes_at=timezone.now() + dt.timedelta(days=1),
            criteria=[{"code": "a", "name": "A", "weight": 1}],
        )


def test_round_rules_all_at_once(cast):
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        services.round_create(
            actor=cast.operator,
            scope="reviewing.standalone",
            object_id=None,
            title="x",
            opens_at=now + dt.timedelta(days=2),
            closes_at=now + dt.timedelta(days=1),
            criteria=[{"code": "a", "name": "A", "weight": 0}],
            scale_min=Decimal("10"),
            scale_max=Decimal("0"),
        )
    fields = caught.value.message_dict
    assert "closes_at" in fields
    assert not Round.objects.exists()


def test_duplicate_submission_and_reviewer_refused(cast, setup):
    with pytest.raises(ValidationError, match="已在该评审轮次中"):
        services.submission_add(actor=cast.operator, round=setup.round, entry=cast.firm, title="项目1")
    with pytest.raises(ValidationError, match="已在该轮评审专家中"):
        services.reviewer_add(actor=cast.operator, round=setup.round, user=setup.experts[0])
