"""A world with one subject of every kind between the cast's firm (康波) and a supplier.

康波's managers (firm_admin, talent_officer) are one side everywhere. The other side is the expert 林工
(a talent in person; home employer 远方光学 = other_firm) for the sharing invitation, the challenge
application and the meeting, and the testing lab (lab_staff) for the demand proposal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@dataclass
class World:
    cast: Any
    request: Any
    invitation: Any
    demand: Any
    proposal: Any
    challenge: Any
    application: Any
    meeting: Any

    def __getattr__(self, name: str) -> Any:  # personas straight from the cast (world.expert_user…)
        return getattr(self.cast, name)

    def by_role(self) -> dict[str, Any]:
        return self.cast.by_role()


def build_world(cast: Any) -> World:
    from jingxiang.demands.models import Category, Challenge, ChallengeApplication, Demand, Proposal
    from jingxiang.events.models import Meeting
    from jingxiang.events.tests.conftest import make_event, register
    from jingxiang.sharing import services as sharing_services
    from jingxiang.sharing.tests.builders import request_data

    request = sharing_services.request_file(actor=cast.talent_officer, firm=cast.firm, data=request_data())
    (invitation,) = sharing_services.invitation_send(
        actor=cast.talent_officer, request=request, talents=[cast.expert]
    )
    demand = Demand.objects.create(
        organisation=cast.firm,
        created_by=cast.talent_officer,
        number="XQ-TEST-0001",
        title="镀膜附着力检测",
        category=Category.values[0],
        description="需要百格测试和高温高湿试验",
        status="published",
    )
    proposal = Proposal.objects.create(
        demand=demand, organisation=cast.lab, submitted_by=cast.lab_staff, summary="三天内完成百格与湿热试验"
    )
    challenge = Challenge.objects.create(
        demand=demand,
        title="镀膜脱膜攻关榜",
        award_amount=Decimal("50000"),
        deadline=dt.date.today() + dt.timedelta(days=30),
        ip_terms="成果归企业",
        deliverables="良率恢复到 95%",
        created_by=cast.operator,
    )
    application = ChallengeApplication.objects.create(
        challenge=challenge,
        talent=cast.expert,
        submitted_by=cast.expert_user,
        team="林工",
        proposal="前处理改进",
    )
    event = make_event(cast.operator)
    firm_side = register(cast.talent_officer, event, "firm", cast.firm)
    expert_side = register(cast.expert_user, event, "expert", cast.expert)
    meeting = Meeting.objects.create(event=event, requester=firm_side, recipient=expert_side, priority="must")
    return World(cast, request, invitation, demand, proposal, challenge, application, meeting)


@pytest.fixture
def world(cast: Any) -> World:
    return build_world(cast)
