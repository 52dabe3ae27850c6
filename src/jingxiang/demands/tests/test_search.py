"""Demands and challenges in the global search: pinyin, numbers and who may see them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jingxiang.demands.models import Challenge, DemandStatus
from jingxiang.demands.tests.conftest import make_demand
from jingxiang.testing.search import found, query_count

pytestmark = pytest.mark.django_db


def test_published_demands_by_pinyin_for_everyone_drafts_only_for_their_firm(cast):
    public = make_demand(cast)
    draft = make_demand(cast, title="树脂镜片发黄", status=DemandStatus.DRAFT)
    for user in (cast.other_firm_admin, cast.expert_user, cast.firm_admin):
        assert str(public) in found(user, "jpmc")["demands.demand"]
        assert str(public) in found(user, "mocengqizhou")["demands.demand"]
    assert found(cast.firm_admin, "szjp")["demands.demand"] == [str(draft)]
    assert found(cast.operator, "szjp")["demands.demand"] == [str(draft)]
    assert "demands.demand" not in found(cast.other_firm_admin, "szjp")
    assert "demands.demand" not in found(cast.outsider, "jpmc")
    # By its number, and by the firm's name in pinyin.
    assert str(public) in found(cast.other_firm_admin, public.number)["demands.demand"]
    assert str(public) in found(cast.other_firm_admin, "kangbo")["demands.demand"]


def test_challenges_by_pinyin(cast):
    demand = make_demand(cast)
    hidden = make_demand(cast, title="内部榜单需求", status=DemandStatus.DRAFT)
    Challenge.objects.create(
        demand=demand,
        title="高原护目镜防雾揭榜",
        award_amount=Decimal("200000"),
        deadline=timezone.localdate() + dt.timedelta(days=30),
        ip_terms="成果归企业",
        deliverables="样品与报告",
        created_by=cast.operator,
    )
    Challenge.objects.create(
        demand=hidden,
        title="内部防雾榜单",
        award_amount=Decimal("1000"),
        deadline=timezone.localdate() + dt.timedelta(days=30),
        ip_terms="-",
        deliverables="-",
        created_by=cast.firm_admin,
        archived_at=timezone.now(),
    )
    # Published challenges of public demands are public by design (ChallengeQuerySet.public).
    for user in (cast.expert_user, cast.outsider, cast.other_firm_admin):
        assert found(user, "fangwu")["demands.challenge"] == ["高原护目镜防雾揭榜"]
    assert set(found(cast.firm_admin, "fangwu")["demands.challenge"]) == {
        "高原护目镜防雾揭榜",
        "内部防雾榜单",
    }


def test_demand_search_costs_the_same_for_more_matches(cast):
    make_demand(cast)
    few = query_count(cast.other_firm_admin, "jpmc")
    for n in range(10):
        make_demand(cast, title=f"镜片膜层问题{n}")
    assert query_count(cast.other_firm_admin, "jpmc") == few
