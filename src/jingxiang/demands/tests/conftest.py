"""Fixtures of the demand board: suppliers with real skills, demands in every state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from jingxiang.demands.models import Category, Demand, DemandStatus, Visibility
from jingxiang.matchindex.warm import warm_index
from jingxiang.organisations.models import OrganisationKind
from jingxiang.talents.models import Skill, TalentKind, TalentSkill
from jingxiang.testing.factories import OrganisationFactory, TalentFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_index() -> Any:
    """Each test has its own database; the process-wide index must not carry the previous one's rows."""
    warm_index.reset()
    yield
    warm_index.reset()


@pytest.fixture
def skills(db: Any) -> dict[str, Skill]:
    from jingxiang.talents.services import skills_sync

    skills_sync()
    return {skill.code: skill for skill in Skill.objects.all()}


def add_skills(talent: Any, skills: dict[str, Skill], *codes: str) -> Any:
    for code in codes:
        TalentSkill.objects.create(talent=talent, skill=skills[code], level=4)
    return talent


@pytest.fixture
def suppliers(cast: Any, skills: dict[str, Skill]) -> Any:
    """A coating expert with a login, a frame-plating craftsman, a busy coating expert, a testing lab and a
    university, plus things that must never be suggested (a firm, a pending lab, an archived expert, a
    student)."""

    class Suppliers:
        pass

    s = Suppliers()
    independent = None
    s.coating_user = UserFactory(username="coating_expert")
    s.coating = add_skills(
        TalentFactory(
            name="周敏华",
            user=s.coating_user,
            home_organisation=independent,
            kind=TalentKind.EXPERT,
            title="镀膜工艺高级工程师",
            description="从事树脂镜片真空镀膜和加硬工艺二十年,擅长解决膜层附着力不足、膜裂、脱膜问题。",
            region="杜桥镇",
            monthly_hours=30,
        ),
        skills,
        "coating_adhesion",
        "ar_coating",
        "hard_coating",
    )
    s.plater = add_skills(
        TalentFactory(
            name="王建国",
            user=UserFactory(username="plater"),
            home_organisation=cast.other_firm,
            kind=TalentKind.CRAFTSMAN,
            title="电镀技师",
            description="金属镜架电镀、无镍电镀、镀金镀镍工艺。",
            region="杜桥镇",
            monthly_hours=20,
        ),
        skills,
        "frame_plating",
    )
    s.lab = cast.lab
    s.lab.description = "镜片光学参数检测、镜架检测、膜层附着力和耐磨测试,CNAS 认可实验室。"
    s.lab.main_products = "眼镜产品检测"
    s.lab.save()
    s.university = OrganisationFactory(
        name="浙江大学光电学院",
        kind=OrganisationKind.UNIVERSITY,
        uscc=None,
        description="光学薄膜研究,镀膜膜系设计,自由曲面镜片设计。",
    )
    s.pending_lab = OrganisationFactory(
        name="待审核检测中心",
        kind=OrganisationKind.TESTING_LAB,
        uscc=None,
        status="pending",
        description="膜层附着力检测",
    )
    s.archived = add_skills(
        TalentFactory(
            name="已归档专家",
            description="膜层附着力专家",
            archived_at=timezone.now(),
            home_organisation=None,
        ),
        skills,
        "coating_adhesion",
    )
    s.student = add_skills(
        TalentFactory(
            name="学生甲", kind=TalentKind.STUDENT, description="膜层附着力", home_organisation=None
        ),
        skills,
        "coating_adhesion",
    )
    return s


def make_demand(cast: Any, **fields: Any) -> Demand:
    defaults = {
        "organisation": cast.firm,
        "created_by": cast.firm_admin,
        "title": "镜片膜层起皱脱落",
        "category": Category.TESTING,
        "description": "我们的树脂镜片戴一段时间膜层起皱脱落,客户投诉多,想找人分析原因并改进加硬和镀膜工艺。",
        "budget": Decimal("50000"),
        "deadline": timezone.localdate() + dt.timedelta(days=60),
        "hours_needed": 20,
        "region": "杜桥镇",
        "visibility": Visibility.PUBLIC,
        "status": DemandStatus.PUBLISHED,
    }
    defaults.update(fields)
    if defaults["status"] != DemandStatus.DRAFT:
        defaults.setdefault("submitted_at", timezone.now())
    return Demand.objects.create(**defaults)
