"""Events in the global search: pinyin of title and venue; drafts only for operators."""

from __future__ import annotations

import pytest

from jingxiang.events import services
from jingxiang.events.tests.conftest import make_event
from jingxiang.testing.search import found, query_count

pytestmark = pytest.mark.django_db


def test_open_events_for_members_drafts_for_operators(cast):
    make_event(cast.operator, title="秋季镀膜技术对接会")
    draft = services.event_create(
        actor=cast.operator,
        data={**_draft_data(), "title": "冬季验光设备对接会"},
    )
    assert found(cast.firm_admin, "dmjs")["events.event"] == ["秋季镀膜技术对接会"]
    assert found(cast.expert_user, "duqiaoyanjingcheng")["events.event"] == ["秋季镀膜技术对接会"]
    assert "events.event" not in found(cast.firm_admin, "ygsb")
    assert found(cast.operator, "ygsb")["events.event"] == [draft.title]
    assert "events.event" not in found(cast.outsider, "dmjs")


def test_event_search_costs_the_same_for_more_matches(cast):
    make_event(cast.operator, title="镀膜对接会")
    few = query_count(cast.firm_admin, "dm")
    for n in range(6):
        make_event(cast.operator, title=f"镀膜对接会{n}")
    assert query_count(cast.firm_admin, "dm") == few


def _draft_data() -> dict:
    import datetime as dt

    from django.utils import timezone

    return {
        "venue": "杜桥镇",
        "event_date": timezone.localdate() + dt.timedelta(days=20),
        "allow_firms": True,
        "allow_experts": True,
        "allow_institutions": True,
        "max_meetings_cap": 6,
        "request_cap_firm": 3,
        "request_cap_expert": 3,
        "request_cap_institution": 3,
        "requests_expire_at": timezone.now() + dt.timedelta(days=10),
    }
