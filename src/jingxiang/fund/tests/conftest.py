"""A fund with an open call and an eligible application of 康波, set up through the services; helpers walk
it on to review, decision, award and tranches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingxiang.fund import services
from jingxiang.fund.catalogue import seed
from jingxiang.fund.models import (
    AppStatus,
    AwardKind,
    EliteGrade,
    Fund,
    FundApplication,
    FundCall,
    Stage,
    TalentTier,
)
from jingxiang.testing.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Setup:
    fund: Fund
    call: FundCall
    application: FundApplication  # 康波's, eligible, still a draft
    reviewers: list[Any]  # users of two experts from different organisations (the first is cast.expert_user)


def pdf(name: str = "plan.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def application_data(**extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "project_title": "智能变色镜片产业化",
        "summary": "光致变色镜片的量产工艺。",
        "tags": "镜片,光学",
        "talent_name": "王建国",
        "talent_tier": TalentTier.objects.get(code="leading"),
        "elite_grade": EliteGrade.objects.get(code="B"),
        "founder_equity": Decimal("45"),
        "registered_town": "杜桥镇",
        "registration_date": today,
        "requested_amount": Decimal("800000"),
        "ip_summary": "发明专利 2 项",
        "revenue_last_year": Decimal("1200000"),
        "investment_raised": None,
        "employees": 12,
    }
    data.update(extra)
    return data


def make_call(cast: Any, fund: Fund, **extra: Any) -> FundCall:
    today = timezone.localdate()
    data = {
        "title": "2026 年度临海市人才科创基金",
        "description": "",
        "opens_on": today,
        "closes_on": today + dt.timedelta(days=30),
        "appeal_days": 7,
        "reviewers_per_application": 2,
        "exit_premium_team_share": Decimal("70"),
    }
    data.update(extra)
    call = services.call_create(actor=cast.operator, fund=fund, data=data)
    services.rule_add(
        actor=cast.operator, call=call, kind="tiers", value="top,leading,high_end", valid_from=today
    )
    services.rule_add(actor=cast.operator, call=call, kind="elite", value="A,B,C", valid_from=today)
    return call


def draft(
    cast: Any, call: FundCall, organisation: Any = None, actor: Any = None, **extra: Any
) -> FundApplication:
    actor = actor or cast.firm_admin
    application = services.application_create(
        actor=actor,
        call=call,
        organisation=organisation or cast.firm,
        data=application_data(**extra),
        team=[("王建国", "创始人", Decimal("45")), ("李娜", "技术总监", Decimal("10"))],
    )
    services.attachment_add(actor=actor, application=application, kind="business_plan", upload=pdf())
    return application


@pytest.fixture
def setup(cast: Any) -> Setup:
    seed(TalentTier, EliteGrade)  # a transactional test flushes the migration's seed rows
    fund = services.fund_create(
        actor=cast.operator,
        data={"name": "临海市人才科创基金", "manager": cast.town, "capital": Decimal("3000000")},
    )
    call = make_call(cast, fund)
    services.call_open(actor=cast.operator, call=call)
    application = draft(cast, call)
    # The cast's expert (林工 of 远方) and a second expert of the lab: two organisations, neither 康波.
    users = [cast.expert_user, UserFactory(username="reviewer_b")]
    services.reviewer_add(
        actor=cast.operator, call=call, data={"user": users[0], "organisation": cast.other_firm}
    )
    services.reviewer_add(actor=cast.operator, call=call, data={"user": users[1], "organisation": cast.union})
    return Setup(fund=fund, call=call, application=application, reviewers=users)


def assign(cast: Any, call: FundCall, stage: str) -> Any:
    """Start the review block's assignment and run its job here (the worker's part)."""
    from jingxiang.reviewing.services import assignment_compute

    run = services.assign_reviewers(actor=cast.operator, call=call, stage=stage)
    run.refresh_from_db()
    if run.status != "done":
        run = assignment_compute(run_id=run.pk)
    return run


def score_all(call: FundCall, stage: str, value: Decimal = Decimal("8"), application: Any = None) -> None:
    """Every expert submits every open sheet of the stage's round (or the application's rehearing)."""
    from jingxiang.fund import review
    from jingxiang.reviewing import services as review_services
    from jingxiang.reviewing.models import Assignment

    round = review.defence_round(application) if application is not None else review.stage_round(call, stage)
    for assignment in Assignment.objects.filter(
        round=round, withdrawn=False, submitted_at__isnull=True
    ).select_related("reviewer__user"):
        values = {c.pk: value for c in round.criteria.all()}
        review_services.scores_submit(actor=assignment.reviewer.user, assignment=assignment, values=values)


def _assigned(application: FundApplication, stage: str) -> bool:
    from jingxiang.fund import review

    return review.missing_sheets(application, review.stage_round(application.call, stage)) is not None


def to_approved(cast: Any, setup: Setup, application: FundApplication | None = None) -> FundApplication:
    """Submit → diligence (all checked) → expert review → defence → approved."""
    application = application or setup.application
    op = cast.operator
    application = services.submit(actor=application.created_by, application=application)
    application = services.diligence_start(actor=op, application=application)
    for item in application.diligence.all():
        services.diligence_check(actor=op, item=item, done=True, finding="")
    application = services.review_start(actor=op, application=application)
    if not _assigned(application, Stage.EXPERT):
        assign(cast, setup.call, Stage.EXPERT)
    score_all(setup.call, Stage.EXPERT)
    application = services.defence_start(actor=op, application=application)
    if not _assigned(application, Stage.DEFENCE):
        assign(cast, setup.call, Stage.DEFENCE)
    score_all(setup.call, Stage.DEFENCE)
    application = services.decide(
        actor=op, application=application, approve=True, reasons="技术领先,团队完整。"
    )
    assert application.status == AppStatus.APPROVED
    return application


def award(cast: Any, setup: Setup, amount: Decimal = Decimal("800000")) -> Any:
    application = to_approved(cast, setup)
    return services.award_make(
        actor=cast.operator, application=application, data={"kind": AwardKind.GRANT, "amount": amount}
    )


def approve_many(cast: Any, setup: Setup, applications: list[FundApplication]) -> list[FundApplication]:
    """Walk several applications to approval together: the review block assigns a round once, so every
    application enters a stage before its round is assigned."""
    op = cast.operator
    moved = []
    for application in applications:
        application = services.submit(actor=application.created_by, application=application)
        application = services.diligence_start(actor=op, application=application)
        for item in application.diligence.all():
            services.diligence_check(actor=op, item=item, done=True, finding="")
        moved.append(services.review_start(actor=op, application=application))
    assign(cast, setup.call, Stage.EXPERT)
    score_all(setup.call, Stage.EXPERT)
    moved = [services.defence_start(actor=op, application=a) for a in moved]
    assign(cast, setup.call, Stage.DEFENCE)
    score_all(setup.call, Stage.DEFENCE)
    return [services.decide(actor=op, application=a, approve=True, reasons="通过") for a in moved]
