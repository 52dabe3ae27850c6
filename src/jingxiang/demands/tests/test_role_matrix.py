"""Every route of the demand board, as every persona and as an anonymous visitor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingxiang.demands import services
from jingxiang.demands.models import (
    ChallengeMilestone,
    ChallengeReviewer,
    ChallengeStatus,
    DemandStatus,
    Invitation,
    Proposal,
)
from jingxiang.demands.tests.conftest import make_demand
from jingxiang.testing.matrix import ALL_LOGGED_IN, ANONYMOUS, APPROVED, RouteCase, check_matrix

pytestmark = pytest.mark.django_db

EVERYONE = ALL_LOGGED_IN | {ANONYMOUS}
FIRM = frozenset({"firm_admin", "talent_officer"})
OPERATOR = frozenset({"operator"})
SUPPLIERS = frozenset({"expert", "lab_staff"})


@pytest.fixture
def world(cast: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    cast.published = make_demand(cast)
    cast.draft = make_demand(cast, status=DemandStatus.DRAFT, title="草稿需求")
    cast.screening = make_demand(cast, status=DemandStatus.SCREENING, title="待审核需求")
    cast.talks = make_demand(cast, title="洽谈中需求")
    cast.attachment = services._save_attachments(
        demand=cast.published,
        actor=cast.firm_admin,
        files=[SimpleUploadedFile("spec.pdf", b"%PDF-1.4 test", content_type="application/pdf")],
    )
    cast.attachment = cast.published.attachments.get()
    cast.invitation = Invitation.objects.create(
        demand=cast.talks, talent=cast.expert, invited_by=cast.firm_admin
    )
    cast.proposal = Proposal.objects.create(
        demand=cast.talks, organisation=cast.lab, submitted_by=cast.lab_staff, summary="检测方案内容"
    )
    challenge_demand = make_demand(cast, title="揭榜需求")
    cast.challenge = services.challenge_create(
        actor=cast.operator,
        demand=challenge_demand,
        title="镜片膜层附着力攻关",
        award_amount=Decimal("100000"),
        deadline=timezone.localdate() + dt.timedelta(days=30),
        ip_terms="成果归企业所有",
        deliverables="工艺文件和检测报告",
    )
    ChallengeReviewer.objects.create(
        challenge=cast.challenge, user=cast.union_staff, invited_by=cast.operator
    )
    cast.application = services.challenge_apply(
        actor=cast.lab_staff,
        challenge=cast.challenge,
        supplier_key=f"O-{cast.lab.pk}",
        team="检测团队三人",
        proposal="按国标做附着力、耐磨和盐雾测试,定位问题工序并给出改进方案。",
    )
    awarded_demand = make_demand(cast, title="已选定的揭榜需求")
    cast.awarded = services.challenge_create(
        actor=cast.operator,
        demand=awarded_demand,
        title="已选定榜单",
        award_amount=Decimal("50000"),
        deadline=timezone.localdate() + dt.timedelta(days=30),
        ip_terms="共有",
        deliverables="样品与报告",
    )
    cast.awarded.status = ChallengeStatus.AWARDED
    cast.awarded.winner = cast.application
    cast.awarded.verify_code = "ABC123"
    cast.awarded.save()
    cast.milestone = ChallengeMilestone.objects.create(
        challenge=cast.awarded, title="阶段一", due_date=timezone.localdate(), payment=Decimal("50000")
    )
    return cast


CASES = [
    RouteCase("demands:list", "/demands/", ALL_LOGGED_IN),
    RouteCase("demands:list export", "/demands/?export=xlsx", ALL_LOGGED_IN),
    RouteCase("demands:create", "/demands/new/", FIRM | {"other_firm_admin"}),
    RouteCase("demands:for_me", "/demands/for-me/", SUPPLIERS),
    RouteCase("demands:for_me export", "/demands/for-me/?export=xlsx", SUPPLIERS),
    RouteCase("demands:board", "/demands/board/", OPERATOR),
    RouteCase("demands:board_rerank", "/demands/board/rerank/", OPERATOR, method="post", ok_status=(302,)),
    RouteCase("demands:knowledge", "/demands/knowledge/", OPERATOR),
    RouteCase("demands:knowledge_edit", "/demands/knowledge/synonyms/", OPERATOR),
    RouteCase("demands:detail published", lambda c: f"/demands/{c.published.pk}/", APPROVED),
    RouteCase(
        "demands:detail draft",
        lambda c: f"/demands/{c.draft.pk}/",
        frozenset({"firm_admin", "talent_officer", "member", "operator"}),
    ),
    RouteCase("demands:edit", lambda c: f"/demands/{c.draft.pk}/edit/", FIRM),
    RouteCase(
        "demands:submit", lambda c: f"/demands/{c.draft.pk}/submit/", FIRM, method="post", ok_status=(302,)
    ),
    RouteCase(
        "demands:screen",
        lambda c: f"/demands/{c.screening.pk}/screen/",
        OPERATOR,
        method="post",
        data={"action": "return", "reason": "请补充"},
        ok_status=(302,),
    ),
    RouteCase(
        "demands:invite",
        lambda c: f"/demands/{c.published.pk}/invite/",
        FIRM,
        method="post",
        data=lambda c: {"supplier": f"O-{c.lab.pk}"},
        ok_status=(302,),
    ),
    RouteCase(
        "demands:propose",
        lambda c: f"/demands/{c.published.pk}/propose/",
        SUPPLIERS,
        method="post",
        data=lambda c: {"supplier": f"T-{c.expert.pk}", "summary": "我可以帮助分析膜层问题的原因"},
        ok_status=(200, 302),
    ),
    RouteCase(
        "demands:close",
        lambda c: f"/demands/{c.published.pk}/close/",
        FIRM,
        method="post",
        data={"notes": "已解决"},
        ok_status=(302,),
    ),
    RouteCase(
        "demands:archive",
        lambda c: f"/demands/{c.talks.pk}/archive/",
        OPERATOR,
        method="post",
        data={"reason": "重复发布"},
        ok_status=(302,),
    ),
    RouteCase(
        "demands:attachment", lambda c: f"/demands/{c.published.pk}/attachments/{c.attachment.pk}/", APPROVED
    ),
    RouteCase("demands:challenge_create", lambda c: f"/demands/{c.published.pk}/challenge/new/", OPERATOR),
    RouteCase(
        "demands:invitation_decline",
        lambda c: f"/demands/invitations/{c.invitation.pk}/decline/",
        frozenset({"expert"}),
        method="post",
        data={"reason": "太忙"},
        ok_status=(302,),
    ),
    RouteCase(
        "demands:proposal_decide",
        lambda c: f"/demands/proposals/{c.proposal.pk}/decide/",
        FIRM,
        method="post",
        data={"decision": "decline", "reason": "预算不符"},
        ok_status=(302,),
    ),
    RouteCase("demands:challenges", "/demands/challenges/", EVERYONE),
    RouteCase("demands:challenges export", "/demands/challenges/?export=xlsx", EVERYONE),
    RouteCase("demands:challenge_detail", lambda c: f"/demands/challenges/{c.challenge.pk}/", EVERYONE),
    RouteCase(
        "demands:challenge_apply",
        lambda c: f"/demands/challenges/{c.challenge.pk}/apply/",
        SUPPLIERS,
        method="post",
        data=lambda c: {
            "supplier": f"T-{c.expert.pk}",
            "team": "林工",
            "proposal": "揭榜方案:分三阶段解决膜层附着力问题",
        },
        ok_status=(200, 302),
    ),
    RouteCase(
        "demands:challenge_reviewer_add",
        lambda c: f"/demands/challenges/{c.challenge.pk}/reviewers/",
        OPERATOR,
        method="post",
        data={"username": "reviewer2"},
        ok_status=(302,),
    ),
    RouteCase(
        "demands:challenge_start_review",
        lambda c: f"/demands/challenges/{c.challenge.pk}/start-review/",
        OPERATOR,
        method="post",
        ok_status=(302,),
    ),
    RouteCase(
        "demands:challenge_score",
        lambda c: f"/demands/challenges/{c.challenge.pk}/applications/{c.application.pk}/score/",
        frozenset({"union_staff"}),
    ),
    RouteCase(
        "demands:challenge_select",
        lambda c: f"/demands/challenges/{c.challenge.pk}/select/",
        OPERATOR,
        method="post",
        data=lambda c: {"application": c.application.pk},
        ok_status=(302,),
    ),
    RouteCase(
        "demands:challenge_plan",
        lambda c: f"/demands/challenges/{c.awarded.pk}/plan/",
        OPERATOR,
        method="post",
        data={"plan": "阶段一,2026-12-01,50000"},
        ok_status=(302,),
    ),
    RouteCase(
        "demands:challenge_close",
        lambda c: f"/demands/challenges/{c.awarded.pk}/close/",
        OPERATOR,
        method="post",
        data={"notes": "完成"},
        ok_status=(302,),
    ),
    RouteCase(
        "demands:challenge_notice",
        lambda c: f"/demands/challenges/{c.awarded.pk}/notice.pdf",
        ALL_LOGGED_IN,
        anonymous_status=(404,),
    ),
    RouteCase(
        "demands:milestone_accept",
        lambda c: f"/demands/milestones/{c.milestone.pk}/accept/",
        FIRM | OPERATOR,
        method="post",
        ok_status=(302,),
    ),
    RouteCase(
        "demands:milestone_pay",
        lambda c: f"/demands/milestones/{c.milestone.pk}/pay/",
        OPERATOR,
        method="post",
        data={"reference": "PAY-1"},
        ok_status=(302,),
    ),
    RouteCase("core:verify challenge", "/verify/challenge/ABC123/", EVERYONE),
]


def test_role_matrix(world: Any) -> None:
    assert check_matrix(world, CASES) == []


def test_matrix_covers_every_route() -> None:
    from jingxiang.demands.urls import urlpatterns

    covered = {case.name.split(" ")[0] for case in CASES}
    assert {f"demands:{pattern.name}" for pattern in urlpatterns} <= covered
