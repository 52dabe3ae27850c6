"""An alliance set up through the services, on top of the project personas (`cast`).

The secretariat (an operator of the alliance's secretariat association) runs it; 康波 (the cast's firm)
chairs it and leads 技术研发; 东华大学检测实验室 (the cast's lab) is a vice chair and leads 质量检测; the
other firm is not a member.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from jingxiang.alliance import services
from jingxiang.alliance.models import Alliance, Domain, Member, Task
from jingxiang.organisations.models import OrganisationKind, Role
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory


@dataclass
class World:
    cast: Any
    secretariat: Any
    secretariat_org: Any
    alliance: Alliance
    firm_member: Member
    lab_member: Member
    rd: Domain
    testing: Domain
    task: Task

    def __getattr__(self, name: str) -> Any:
        # The role matrix reads personas (firm_admin, operator …) off the world like off the cast.
        return getattr(self.cast, name)

    def by_role(self) -> dict[str, Any]:
        return {**self.cast.by_role(), "secretariat": self.secretariat}


def make_alliance(secretariat: Any, secretariat_org: Any, **overrides: Any) -> Alliance:
    data = {
        "name": "台州眼镜产业创新联盟",
        "short_name": "创新联盟",
        "kind": "innovation",
        "founded_on": timezone.localdate() - dt.timedelta(days=30),
        "description": "协同攻坚五大领域。",
        "charter": "第一条 本联盟由台州眼镜产业相关单位自愿组成。",
        "is_public": True,
    }
    data.update(overrides)
    return services.alliance_create(actor=secretariat, data=data, secretariat=secretariat_org)


def add_member(
    secretariat: Any, alliance: Alliance, organisation: Any, role: str = "member", **extra: Any
) -> Member:
    data = {
        "role": role,
        "joined_on": extra.pop("joined_on", alliance.founded_on),
        "contact_name": "陈联络",
        "contact_mobile": "13805761234",
    }
    return services.member_add(
        actor=secretariat,
        alliance=alliance,
        organisation=organisation,
        data=data,
        domains=extra.pop("domains", ()),
    )


@pytest.fixture
def world(cast: Any) -> World:
    secretariat_org = OrganisationFactory(
        name="台州眼镜产业创新联盟秘书处", kind=OrganisationKind.ASSOCIATION, uscc=None
    )
    secretariat = UserFactory(username="secretariat", display_name="郑逸凡")
    MembershipFactory(user=secretariat, organisation=secretariat_org, role=Role.OPERATOR)
    alliance = make_alliance(secretariat, secretariat_org)
    domains = {d.code: d for d in alliance.domains.all()}
    firm_member = add_member(secretariat, alliance, cast.firm, "chair", domains=[domains["rd"]])
    lab_member = add_member(secretariat, alliance, cast.lab, "vice_chair", domains=[domains["testing"]])
    rd = services.domain_save(
        actor=secretariat,
        alliance=alliance,
        data={"name": "技术研发", "lead": firm_member},
        members=[firm_member],
        domain=domains["rd"],
    )
    testing = services.domain_save(
        actor=secretariat,
        alliance=alliance,
        data={"name": "质量检测", "lead": lab_member},
        members=[lab_member],
        domain=domains["testing"],
    )
    year = timezone.localdate().year
    task = services.task_create(
        actor=cast.firm_admin,
        domain=rd,
        year=year,
        data={
            "title": "高原护目镜防雾镀膜攻关",
            "owner": firm_member,
            "due_on": dt.date(year, 12, 31),
            "expected_output": "镀膜工艺通过检测",
        },
    )
    return World(cast, secretariat, secretariat_org, alliance, firm_member, lab_member, rd, testing, task)


def sweep_alliance() -> Alliance:
    """An alliance for the platform-wide filter sweep (core/tests/test_filter_sweep.py)."""
    secretariat_org = OrganisationFactory(
        name="联盟秘书处(筛选测试)", kind=OrganisationKind.ASSOCIATION, uscc=None
    )
    secretariat = UserFactory(username="sweep_secretariat")
    MembershipFactory(user=secretariat, organisation=secretariat_org, role=Role.OPERATOR)
    return make_alliance(secretariat, secretariat_org)
