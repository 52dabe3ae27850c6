"""A small standalone round: six entries from three firms, five experts from four organisations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from jingxiang.reviewing import services
from jingxiang.reviewing.models import Reviewer, Round, Submission

CRITERIA = [
    {"code": "innovation", "name": "创新性", "weight": 40},
    {"code": "market", "name": "市场前景", "weight": 30},
    {"code": "team", "name": "团队", "weight": 30},
]


@dataclass
class Setup:
    round: Round
    submissions: list[Submission]
    reviewers: list[Reviewer]
    orgs: list[Any]
    experts: list[Any]


def make_round(operator: Any, **overrides: Any) -> Round:
    now = timezone.now()
    data: dict[str, Any] = {
        "actor": operator,
        "scope": "reviewing.standalone",
        "object_id": None,
        "title": "2026 测试评审",
        "opens_at": now + dt.timedelta(minutes=1),
        "closes_at": now + dt.timedelta(days=3),
        "criteria": CRITERIA,
        "scale_min": Decimal("0"),
        "scale_max": Decimal("10"),
        "scale_step": Decimal("0.5"),
        "reviewers_needed": 2,
    }
    data.update(overrides)
    round = services.round_create(**data)
    # Opened a minute ago (a round may not be created in the past, so move it the way a test would).
    Round.objects.filter(pk=round.pk).update(opens_at=now - dt.timedelta(minutes=1))
    round.refresh_from_db()
    return round


@pytest.fixture
def setup(cast: Any) -> Setup:
    from jingxiang.testing.factories import OrganisationFactory, UserFactory

    round = make_round(cast.operator)
    orgs = [cast.firm, cast.other_firm, OrganisationFactory(name="台州明视光学有限公司")]
    submissions = [
        services.submission_add(
            actor=cast.operator,
            round=round,
            entry=orgs[i],
            title=f"项目{i + 1}",
            organisation=orgs[i],
            team=[f"person:{i}"],
            tags=["镜片"] if i % 2 else ["智能眼镜"],
        )
        for i in range(3)
    ]
    # Three more entries need distinct records: use the lab, the town and the union as stand-ins.
    for i, entry in enumerate([cast.lab, cast.town, cast.union], start=3):
        submissions.append(
            services.submission_add(
                actor=cast.operator,
                round=round,
                entry=entry,
                title=f"项目{i + 1}",
                organisation=orgs[i % 3],
                team=[f"person:{i}"],
                tags=["镜片"],
            )
        )
    expert_orgs = [
        cast.lab,
        OrganisationFactory(name="温州医科大学"),
        OrganisationFactory(name="东华大学"),
        None,
        None,
    ]
    experts = [UserFactory(username=f"judge{i}") for i in range(5)]
    reviewers = [
        services.reviewer_add(
            actor=cast.operator,
            round=round,
            user=user,
            name=f"专家{i}",
            organisation=expert_orgs[i],
            expertise=["镜片"] if i % 2 else ["智能眼镜"],
            max_load=6,
        )
        for i, user in enumerate(experts)
    ]
    return Setup(round=round, submissions=submissions, reviewers=reviewers, orgs=orgs, experts=experts)
