"""揭榜挂帅: promotion, applications, conflict-free reviewing, weighted selection, milestones to closure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.demands import services
from jingxiang.demands.models import (
    ApplicationStatus,
    Challenge,
    ChallengeStatus,
    DemandStatus,
    MilestoneStatus,
)
from jingxiang.demands.selectors import weighted_scores
from jingxiang.demands.tests.conftest import make_demand
from jingxiang.organisations.models import OrganisationKind, Role
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def promote(cast: Any, demand: Any = None, **changes: Any) -> Challenge:
    fields = {
        "title": "镜片膜层附着力攻关",
        "award_amount": Decimal("100000"),
        "deadline": timezone.localdate() + dt.timedelta(days=30),
        "ip_terms": "成果知识产权归发榜企业,揭榜方保留署名权",
        "deliverables": "工艺改进方案、三批次验证报告",
    }
    fields.update(changes)
    return services.challenge_create(actor=cast.operator, demand=demand or make_demand(cast), **fields)


@pytest.fixture
def university(db: Any) -> Any:
    org = OrganisationFactory(name="天津医科大学眼视光学院", kind=OrganisationKind.UNIVERSITY, uscc=None)
    admin = UserFactory(username="zju_admin")
    MembershipFactory(user=admin, organisation=org, role=Role.ORG_ADMIN)
    colleague = UserFactory(username="zju_prof")
    MembershipFactory(user=colleague, organisation=org, role=Role.MEMBER)
    org.admin, org.colleague = admin, colleague
    return org


def apply(actor: Any, challenge: Challenge, key: str) -> Any:
    return services.challenge_apply(
        actor=actor,
        challenge=challenge,
        supplier_key=key,
        team="张教授、两名博士生",
        proposal="分三阶段:失效分析、工艺窗口实验、量产验证,每阶段提交报告供企业验收。",
    )


def test_promotion_rules(cast: Any) -> None:
    demand = make_demand(cast)
    with pytest.raises(PermissionDenied):
        services.challenge_create(
            actor=cast.firm_admin,
            demand=demand,
            title="x",
            award_amount=Decimal(1),
            deadline=None,
            ip_terms="",
            deliverables="",
        )
    with pytest.raises(ValidationError, match="公开"):
        promote(cast, make_demand(cast, visibility="alliance"))
    with pytest.raises(ValidationError, match="已发布"):
        promote(cast, make_demand(cast, status=DemandStatus.SCREENING))
    with pytest.raises(ValidationError) as excinfo:
        promote(
            cast,
            demand,
            award_amount=Decimal("0"),
            deadline=timezone.localdate(),
            ip_terms="",
            criteria=[("方案", 50)],
        )
    assert {"award_amount", "deadline", "ip_terms", "criteria"} <= set(excinfo.value.message_dict)
    assert "100" in excinfo.value.message_dict["criteria"][0]
    challenge = promote(cast, demand)
    assert [(c.name, c.weight) for c in challenge.criteria.all()] == list(services.DEFAULT_CRITERIA)
    with pytest.raises(ValidationError, match="已经是"):
        promote(cast, demand)


@pytest.mark.parametrize(
    ("criteria", "fragment"),
    [
        ([("方案", 60), ("方案", 40)], "重复"),
        ([("", 100)], "不能为空"),
        ([("方案", 0), ("团队", 100)], "大于 0"),
        ([], "至少"),
    ],
)
def test_scorecard_must_be_sound(cast: Any, criteria: list, fragment: str) -> None:
    from jingxiang.demands.services import _parse_criteria

    if criteria == []:
        # An empty list means "use the default scorecard"; the form refuses empty input itself.
        assert _parse_criteria([]) == list(services.DEFAULT_CRITERIA)
        return
    with pytest.raises(ValidationError, match=fragment):
        promote(cast, criteria=criteria)


def test_applications(cast: Any, suppliers: Any, university: Any) -> None:
    challenge = promote(cast)
    apply(university.admin, challenge, f"O-{university.pk}")
    apply(suppliers.coating_user, challenge, f"T-{suppliers.coating.pk}")
    with pytest.raises(ValidationError, match="重复"):
        apply(university.colleague, challenge, f"O-{university.pk}")
    with pytest.raises(PermissionDenied):
        apply(cast.firm_admin, challenge, f"O-{university.pk}")
    with pytest.raises(ValidationError, match="高校、检测机构或服务机构"):
        apply(cast.other_firm_admin, challenge, f"O-{cast.other_firm.pk}")
    with pytest.raises(ValidationError) as excinfo:
        services.challenge_apply(
            actor=cast.lab_staff,
            challenge=challenge,
            supplier_key=f"O-{cast.lab.pk}",
            team="",
            proposal="太短",
        )
    assert {"team", "proposal"} <= set(excinfo.value.message_dict)


def test_applications_close_at_the_deadline(cast: Any, university: Any) -> None:
    challenge = promote(cast)
    Challenge.objects.filter(pk=challenge.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    challenge.refresh_from_db()
    with pytest.raises(ValidationError, match="截止"):
        apply(university.admin, challenge, f"O-{university.pk}")


def test_reviewers_from_the_firm_or_an_applicant_are_refused(
    cast: Any, suppliers: Any, university: Any
) -> None:
    challenge = promote(cast)
    apply(university.admin, challenge, f"O-{university.pk}")
    with pytest.raises(ValidationError) as excinfo:
        services.challenge_reviewer_invite(actor=cast.operator, challenge=challenge, user=cast.member)
    assert "发榜企业" in excinfo.value.message_dict["user"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.challenge_reviewer_invite(
            actor=cast.operator, challenge=challenge, user=university.colleague
        )
    assert (
        "回避" in excinfo.value.message_dict["user"][0]
        and "天津医科大学眼视光学院" in excinfo.value.message_dict["user"][0]
    )
    with pytest.raises(PermissionDenied):
        services.challenge_reviewer_invite(actor=cast.firm_admin, challenge=challenge, user=cast.union_staff)
    services.challenge_reviewer_invite(actor=cast.operator, challenge=challenge, user=cast.union_staff)
    with pytest.raises(ValidationError, match="已是"):
        services.challenge_reviewer_invite(actor=cast.operator, challenge=challenge, user=cast.union_staff)


def test_reviewer_conflicted_by_a_later_application_may_not_score_it(
    cast: Any, suppliers: Any, university: Any
) -> None:
    challenge = promote(cast)
    services.challenge_reviewer_invite(actor=cast.operator, challenge=challenge, user=university.colleague)
    services.challenge_reviewer_invite(actor=cast.operator, challenge=challenge, user=cast.union_staff)
    own = apply(university.admin, challenge, f"O-{university.pk}")
    services.challenge_start_review(actor=cast.operator, challenge=challenge)
    scores = {c.pk: 8 for c in challenge.criteria.all()}
    with pytest.raises(ValidationError, match="回避"):
        services.challenge_score(actor=university.colleague, application=own, scores=scores)
    services.challenge_score(actor=cast.union_staff, application=own, scores=scores)


def reviewing(cast: Any, suppliers: Any, university: Any) -> tuple[Challenge, Any, Any]:
    challenge = promote(cast)
    uni = apply(university.admin, challenge, f"O-{university.pk}")
    expert = apply(suppliers.coating_user, challenge, f"T-{suppliers.coating.pk}")
    with pytest.raises(ValidationError, match="评审专家"):
        services.challenge_start_review(actor=cast.operator, challenge=challenge)
    services.challenge_reviewer_invite(actor=cast.operator, challenge=challenge, user=cast.union_staff)
    services.challenge_reviewer_invite(actor=cast.operator, challenge=challenge, user=cast.expert_user)
    services.challenge_start_review(actor=cast.operator, challenge=challenge)
    return challenge, uni, expert


def test_scoring_rules_and_weighted_ranking(cast: Any, suppliers: Any, university: Any) -> None:
    challenge, uni, expert = reviewing(cast, suppliers, university)
    criteria = list(challenge.criteria.all())  # weights 40, 25, 20, 15
    with pytest.raises(PermissionDenied):
        services.challenge_score(actor=cast.operator, application=uni, scores={c.pk: 5 for c in criteria})
    with pytest.raises(ValidationError, match="缺少"):
        services.challenge_score(actor=cast.union_staff, application=uni, scores={criteria[0].pk: 5})
    with pytest.raises(ValidationError, match="0–10"):
        services.challenge_score(actor=cast.union_staff, application=uni, scores={c.pk: 11 for c in criteria})
    # The university is better on the heavy criterion, the expert on the light ones.
    services.challenge_score(
        actor=cast.union_staff,
        application=uni,
        scores=dict(zip([c.pk for c in criteria], [10, 6, 6, 6], strict=True)),
    )
    services.challenge_score(
        actor=cast.union_staff,
        application=expert,
        scores=dict(zip([c.pk for c in criteria], [5, 10, 10, 10], strict=True)),
    )
    services.challenge_score(
        actor=cast.expert_user,
        application=uni,
        scores=dict(zip([c.pk for c in criteria], [8, 8, 8, 8], strict=True)),
    )
    ranking = weighted_scores(challenge)
    # uni: (10*40+6*60)/100 = 7.6 and 8.0 -> 7.8; expert: (5*40+10*60)/100 = 8.0 from one reviewer.
    assert [(row["application"].pk, row["score"], row["reviewers"]) for row in ranking] == [
        (expert.pk, Decimal("8.00"), 1),
        (uni.pk, Decimal("7.80"), 2),
    ]
    services.challenge_score(actor=cast.union_staff, application=uni, scores={c.pk: 10 for c in criteria})
    assert weighted_scores(challenge)[0]["score"] == Decimal("9.00"), "a reviewer may revise their score"


def test_selecting_the_winner(cast: Any, suppliers: Any, university: Any) -> None:
    challenge, uni, expert = reviewing(cast, suppliers, university)
    with pytest.raises(ValidationError, match="还没有任何评分"):
        services.challenge_select_winner(actor=cast.operator, challenge=challenge, application=uni)
    criteria = list(challenge.criteria.all())
    services.challenge_score(actor=cast.union_staff, application=uni, scores={c.pk: 9 for c in criteria})
    services.challenge_score(actor=cast.union_staff, application=expert, scores={c.pk: 7 for c in criteria})
    with pytest.raises(ValidationError) as excinfo:
        services.challenge_select_winner(actor=cast.operator, challenge=challenge, application=expert)
    assert "天津医科大学眼视光学院" in excinfo.value.message_dict["reason"][0]
    with pytest.raises(PermissionDenied):
        services.challenge_select_winner(actor=cast.firm_admin, challenge=challenge, application=uni)
    services.challenge_select_winner(
        actor=cast.operator, challenge=challenge, application=expert, reason="企业更看重现场驻厂时间"
    )
    challenge.refresh_from_db()
    uni.refresh_from_db()
    expert.refresh_from_db()
    assert (
        challenge.status == ChallengeStatus.AWARDED and challenge.winner == expert and challenge.verify_code
    )
    assert (expert.status, uni.status) == (ApplicationStatus.WINNER, ApplicationStatus.NOT_SELECTED)
    assert challenge.demand.__class__.objects.get(pk=challenge.demand_id).status == DemandStatus.MATCHED


def awarded(cast: Any, suppliers: Any, university: Any) -> Challenge:
    challenge, uni, _expert = reviewing(cast, suppliers, university)
    services.challenge_score(
        actor=cast.union_staff, application=uni, scores={c.pk: 9 for c in challenge.criteria.all()}
    )
    services.challenge_select_winner(actor=cast.operator, challenge=challenge, application=uni)
    challenge.refresh_from_db()
    return challenge


def test_instalments_must_add_up_to_the_award(cast: Any, suppliers: Any, university: Any) -> None:
    challenge = awarded(cast, suppliers, university)
    due = timezone.localdate() + dt.timedelta(days=60)
    with pytest.raises(ValidationError, match="与榜额"):
        services.challenge_plan_set(
            actor=cast.operator,
            challenge=challenge,
            milestones=[("失效分析", due, Decimal("30000")), ("量产验证", due, Decimal("60000"))],
        )
    with pytest.raises(ValidationError, match="大于 0"):
        services.challenge_plan_set(
            actor=cast.operator,
            challenge=challenge,
            milestones=[("失效分析", due, Decimal("-1")), ("量产验证", due, Decimal("100001"))],
        )
    with pytest.raises(PermissionDenied):
        services.challenge_plan_set(
            actor=cast.firm_admin, challenge=challenge, milestones=[("全部", due, Decimal("100000"))]
        )
    plan = services.challenge_plan_set(
        actor=cast.operator,
        challenge=challenge,
        milestones=[("失效分析", due, Decimal("30000")), ("量产验证", due, Decimal("70000"))],
    )
    assert sum(m.payment for m in plan) == challenge.award_amount
    with pytest.raises(ValidationError, match="已经制定"):
        services.challenge_plan_set(
            actor=cast.operator, challenge=challenge, milestones=[("全部", due, Decimal("100000"))]
        )


def test_milestones_accepted_paid_then_closed(cast: Any, suppliers: Any, university: Any) -> None:
    challenge = awarded(cast, suppliers, university)
    due = timezone.localdate() + dt.timedelta(days=60)
    first, second = services.challenge_plan_set(
        actor=cast.operator,
        challenge=challenge,
        milestones=[("失效分析", due, Decimal("30000")), ("量产验证", due, Decimal("70000"))],
    )
    with pytest.raises(ValidationError, match="验收通过后"):
        services.milestone_pay(actor=cast.operator, milestone=first, reference="P-1")
    with pytest.raises(PermissionDenied):
        services.milestone_accept(actor=cast.lab_staff, milestone=first)
    services.milestone_accept(actor=cast.firm_admin, milestone=first, note="报告完整")
    with pytest.raises(ValidationError, match="已验收"):
        services.milestone_accept(actor=cast.operator, milestone=first)
    with pytest.raises(ValidationError, match="凭证号"):
        services.milestone_pay(actor=cast.operator, milestone=first, reference=" ")
    with pytest.raises(PermissionDenied):
        services.milestone_pay(actor=cast.firm_admin, milestone=first, reference="P-1")
    services.milestone_pay(actor=cast.operator, milestone=first, reference="P-1")
    with pytest.raises(ValidationError, match="已登记"):
        services.milestone_pay(actor=cast.operator, milestone=first, reference="P-1")
    with pytest.raises(ValidationError, match="量产验证"):
        services.challenge_close(actor=cast.operator, challenge=challenge, notes="完成", solved=True)
    services.milestone_accept(actor=cast.operator, milestone=second)
    services.milestone_pay(actor=cast.operator, milestone=second, reference="P-2")
    with pytest.raises(ValidationError, match="请填写"):
        services.challenge_close(actor=cast.operator, challenge=challenge, notes="", solved=True)
    services.challenge_close(
        actor=cast.operator, challenge=challenge, notes="附着力问题解决,良率提升 6%", solved=True
    )
    challenge.refresh_from_db()
    first.refresh_from_db()
    assert challenge.status == ChallengeStatus.CLOSED and challenge.closed_at
    assert first.status == MilestoneStatus.ACCEPTED and first.paid_at
    demand = challenge.demand.__class__.objects.get(pk=challenge.demand_id)
    assert demand.status == DemandStatus.CLOSED and demand.solved and "良率" in demand.outcome_notes


def test_public_list_shows_only_public_challenges(cast: Any) -> None:
    visible = promote(cast)
    hidden = promote(cast, make_demand(cast, title="另一个"))
    Challenge.objects.filter(pk=hidden.pk).update(archived_at=timezone.now())
    assert list(Challenge.objects.public()) == [visible]


def test_verification_page_shows_only_public_facts(
    cast: Any, suppliers: Any, university: Any, client: Any
) -> None:
    challenge = awarded(cast, suppliers, university)
    response = client.get(f"/verify/challenge/{challenge.verify_code}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "天津医科大学眼视光学院" in text and "100,000.00" in text
    assert "张教授" not in text, "the application itself is not public"
    assert client.get("/verify/challenge/NOPE/").status_code in (200, 404)


def test_scorecards_are_normalised_by_the_review_engine(
    cast: Any, suppliers: Any, university: Any, monkeypatch: Any
) -> None:
    """Scorecards go through `jingxiang.review.score`: once a reviewer has enough scores (lowered to 2
    here), adding a constant to all their scores leaves the ranking and the gaps between normalised
    scores unchanged (only the panel mean they are mapped back onto moves)."""
    import dataclasses

    from jingxiang.review import rules as review_rules

    original = review_rules.rules()
    monkeypatch.setattr(review_rules, "rules", lambda: dataclasses.replace(original, min_scores=2))
    challenge, uni, expert = reviewing(cast, suppliers, university)
    criteria = [c.pk for c in challenge.criteria.all()]

    def sheet(value: int) -> dict[int, int]:
        return dict.fromkeys(criteria, value)

    services.challenge_score(actor=cast.union_staff, application=uni, scores=sheet(6))
    services.challenge_score(actor=cast.union_staff, application=expert, scores=sheet(3))
    services.challenge_score(actor=cast.expert_user, application=uni, scores=sheet(5))
    services.challenge_score(actor=cast.expert_user, application=expert, scores=sheet(7))
    first = weighted_scores(challenge)
    before = [(row["application"].pk, row["rank"]) for row in first]
    gap_before = first[0]["score"] - first[1]["score"]
    raw_before = {row["application"].pk: row["raw_score"] for row in first}
    services.challenge_score(actor=cast.expert_user, application=uni, scores=sheet(7))
    services.challenge_score(actor=cast.expert_user, application=expert, scores=sheet(9))
    after = weighted_scores(challenge)
    assert [(row["application"].pk, row["rank"]) for row in after] == before
    assert after[0]["score"] - after[1]["score"] == gap_before
    assert {row["application"].pk: row["raw_score"] for row in after} != raw_before
    # Normalised: each entry is one reviewer's best and the other's worst, so both land on the panel mean.
    assert [row["score"] for row in after] == [Decimal("6.25"), Decimal("6.25")]
    assert {row["application"].pk: row["raw_score"] for row in after} == {
        uni.pk: Decimal("6.50"),
        expert.pk: Decimal("6.00"),
    }
    assert all(row["reviewers"] == 2 and row["raw_rank"] in (1, 2) for row in after)
