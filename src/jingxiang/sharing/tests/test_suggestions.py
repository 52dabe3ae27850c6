"""Suggested talents come from the platform's matching engine; the pool rules filter them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from jingxiang.sharing import selectors, services
from jingxiang.sharing.tests.builders import book_slot, make_agreement, open_all_week, request_data
from jingxiang.testing.factories import TalentFactory, UserFactory

pytestmark = pytest.mark.django_db

COATING = "真空镀膜、树脂镜片加硬、减反射膜和膜层附着力(脱膜)问题专家"


def coating_talent(name, home, username, **extra):
    talent = TalentFactory(
        name=name, home_organisation=home, user=UserFactory(username=username), description=COATING, **extra
    )
    open_all_week(talent)
    return talent


def test_suggestions_respect_the_pool_rules_and_carry_our_facts(cast):
    sharing = make_agreement(cast)  # 林工 already works for 康波 under an agreement, with a rating
    services.outcome_record(actor=cast.talent_officer, agreement=sharing.agreement, data={"rating": 4})
    book_slot(cast, sharing.agreement, timezone.localdate(), 9, 12)
    cast.expert.description = COATING
    cast.expert.save()
    conflicted = coating_talent("回避者", cast.other_firm, "conflicted")
    services.sharing_profile_for(conflicted).conflict_firms.add(cast.firm)
    coating_talent("不共享者", cast.other_firm, "notsharing", shares_talent=False)
    coating_talent("本厂员工", cast.firm, "ownstaff")
    coating_talent("独立专家", None, "free")

    request = services.request_file(
        actor=cast.talent_officer,
        firm=cast.firm,
        data=request_data(title="镀膜脱膜", problem="减反射膜脱膜,膜层附着力差,需要真空镀膜专家"),
    )
    candidates = selectors.suggestions_for(request)
    names = [c.talent.name for c in candidates]
    assert "独立专家" in names and cast.expert.name in names
    assert not {"回避者", "不共享者", "本厂员工"} & set(names)
    lin = next(c for c in candidates if c.talent == cast.expert)
    assert lin.free_hours == Decimal("17")  # 20 offered − 3 booked this month
    assert lin.rating == (Decimal("4.0"), 1)
    assert lin.why  # the engine's reasons are shown
    assert all(c.score >= candidates[-1].score for c in candidates)


def test_invited_talents_are_marked(cast):
    cast.expert.description = COATING
    cast.expert.save()
    open_all_week(cast.expert)
    request = services.request_file(
        actor=cast.talent_officer, firm=cast.firm, data=request_data(problem="真空镀膜 膜层附着力 脱膜")
    )
    services.invitation_send(actor=cast.talent_officer, request=request, talents=[cast.expert])
    candidates = selectors.suggestions_for(request)
    assert [c.invited for c in candidates if c.talent == cast.expert] == [True]
