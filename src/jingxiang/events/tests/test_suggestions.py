"""Suggestions from the matching engine: only registered participants, and the score feeds the weight."""

from __future__ import annotations

import pytest

from jingxiang.events import selectors, services

pytestmark = pytest.mark.django_db


def test_firm_gets_registered_suppliers_suggested_and_the_score_is_kept(cast, setup):
    cast.expert.description = "镜片镀膜工艺专家,擅长解决膜层附着力不足、脱膜问题"
    cast.expert.refresh_search_text()
    cast.expert.save()
    suggested = selectors.suggestions_for(setup.firm)
    names = [participant.name for participant, _score, _why in suggested]
    assert setup.firm.name not in names
    assert all(0 <= score <= 1 for _p, score, _w in suggested)
    assert selectors.suggestions_for(setup.expert) == []
    top, score, why = suggested[0]
    assert top == setup.expert and score > 0 and "镀膜" in why
    meeting = services.meeting_request_create(
        actor=cast.talent_officer, requester=setup.firm, recipient_id=top.pk, priority="nice"
    )
    assert meeting.suggestion_score == score
    assert meeting.weight == 1 + score


def test_suggestion_card_offers_a_direct_request(cast, setup, client):
    cast.expert.description = "镜片镀膜工艺专家,擅长解决膜层附着力不足、脱膜问题"
    cast.expert.refresh_search_text()
    cast.expert.save()
    client.force_login(cast.talent_officer)
    page = client.get(f"/events/{setup.event.pk}/participants/").content.decode()
    assert "这些参会者与您发布的需求最匹配" in page and f'data-testid="suggest-{setup.expert.pk}"' in page
    client.post(
        f"/events/participants/{setup.firm.pk}/request/", {"recipient": setup.expert.pk, "priority": "must"}
    )
    page = client.get(f"/events/{setup.event.pk}/participants/").content.decode()
    assert f'data-testid="suggest-{setup.expert.pk}"' not in page and "待答复" in page
    client.force_login(cast.expert_user)
    page = client.get(f"/events/{setup.event.pk}/participants/").content.decode()
    assert "推荐洽谈对象" not in page
