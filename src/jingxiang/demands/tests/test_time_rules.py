"""The demand board's time rules (demands/rules.py): each refused with a clear message where it is entered,
and an operator's back-dating with a reason, kept as a TimeRuleOverride."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from jingxiang.core.models import TimeRuleOverride
from jingxiang.core.timerules import REASON_FIELD
from jingxiang.demands import services
from jingxiang.demands.forms import ChallengeForm, DemandForm, PlanForm
from jingxiang.demands.models import Challenge, ChallengeStatus, Demand
from jingxiang.demands.tests.conftest import make_demand
from jingxiang.demands.tests.test_challenge_services import promote

pytestmark = pytest.mark.django_db

REASON = "补录:榜单已于线下发布"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def overrides_of(obj: Any) -> Any:
    return TimeRuleOverride.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


def operator_client(cast: Any) -> Client:
    client = Client()
    client.force_login(cast.operator)
    return client


# -- a demand's wanted-by date ----------------------------------------------------------------------------


def test_a_past_wanted_by_date_shows_with_the_other_problems_at_once(cast: Any) -> None:
    form = DemandForm(
        {
            "title": "",
            "category": "research",
            "description": "",
            "deadline": days(-1),
            "visibility": "public",
        },
        actor=cast.firm_admin,
    )
    assert not form.is_valid()
    assert {"title", "description", "deadline"} <= set(form.errors)
    assert form.errors["deadline"] == ["期望完成日期不能早于现在。"]
    assert REASON_FIELD not in form.fields, "only operators may back-date"


def test_a_past_wanted_by_date_is_refused_by_the_service_on_create_and_edit(cast: Any) -> None:
    data = {
        "title": "板材架抛光后有白雾",
        "category": "research",
        "description": "板材架滚筒抛光后表面发白起雾,返工率高,想找懂抛光工艺的师傅指导。",
        "deadline": days(-1),
    }
    with pytest.raises(ValidationError) as error:
        services.demand_create(actor=cast.firm_admin, organisation=cast.firm, data=data)
    assert [e.code for e in error.value.error_dict["deadline"]] == ["in_past"]
    assert not Demand.objects.exists()
    draft = services.demand_create(
        actor=cast.firm_admin, organisation=cast.firm, data={**data, "deadline": days(0)}
    )
    with pytest.raises(ValidationError, match="期望完成日期不能早于现在"):
        services.demand_update(actor=cast.firm_admin, demand=draft, data=data)
    draft.refresh_from_db()
    assert draft.deadline == days(0) and not overrides_of(draft).exists()


# -- a challenge's application deadline ---------------------------------------------------------------------


@pytest.mark.parametrize("offset", [0, -3])
def test_a_challenge_deadline_lies_after_today(cast: Any, offset: int) -> None:
    with pytest.raises(ValidationError) as error:
        promote(cast, deadline=days(offset))
    message = error.value.message_dict["deadline"][0]
    assert "揭榜截止日期必须晚于今天" in message and "补录原因" in message
    assert not Challenge.objects.exists()


def test_an_operator_enters_a_past_challenge_with_a_reason(cast: Any) -> None:
    challenge = promote(cast, deadline=days(-3), backdate_reason=REASON)
    override = overrides_of(challenge).get()
    assert (override.actor, override.rule, override.field_name, override.value, override.reason) == (
        cast.operator,
        "not_before:deadline:today",
        "deadline",
        str(days(-3)),
        REASON,
    )


def test_the_challenge_page_offers_the_reason_and_records_the_override(cast: Any) -> None:
    demand = make_demand(cast)
    assert REASON_FIELD in ChallengeForm(actor=cast.operator).fields
    client = operator_client(cast)
    url = f"/demands/{demand.pk}/challenge/new/"
    post = {
        "title": "镜片膜层附着力攻关",
        "award_amount": "100000",
        "deadline": days(-1).isoformat(),
        "ip_terms": "成果归企业所有",
        "deliverables": "工艺文件和检测报告",
        "criteria": "技术方案:60\n团队能力:40",
    }
    refused = client.post(url, post)
    assert refused.status_code == 200 and "揭榜截止日期必须晚于今天" in refused.content.decode()
    assert not Challenge.objects.exists()
    saved = client.post(url, {**post, REASON_FIELD: REASON})
    challenge = Challenge.objects.get()
    assert saved.status_code == 302 and overrides_of(challenge).get().reason == REASON


# -- milestones of the payment plan ---------------------------------------------------------------------------


def awarded(cast: Any) -> Challenge:
    challenge = promote(cast)
    Challenge.objects.filter(pk=challenge.pk).update(status=ChallengeStatus.AWARDED)
    challenge.refresh_from_db()
    return challenge


def plan(cast: Any, challenge: Challenge, *rows: tuple[str, dt.date, str], reason: str = "") -> Any:
    return services.challenge_plan_set(
        actor=cast.operator,
        challenge=challenge,
        milestones=[(title, due, Decimal(amount)) for title, due, amount in rows],
        backdate_reason=reason,
    )


def test_a_past_milestone_is_refused_together_with_the_other_problems(cast: Any) -> None:
    challenge = awarded(cast)
    with pytest.raises(ValidationError) as error:
        plan(cast, challenge, ("失效分析", days(-1), "30000"), ("量产验证", days(30), "30000"))
    problems = error.value.messages
    assert any(p.startswith("第 1 个里程碑:计划完成日期不能早于现在。") for p in problems)
    assert any("与榜额" in p for p in problems), "the total is reported with the date, not after it"
    assert not challenge.milestones.exists()


def test_milestones_run_in_order_and_the_order_is_never_waived(cast: Any) -> None:
    challenge = awarded(cast)
    for reason in ("", REASON):
        with pytest.raises(ValidationError) as error:
            plan(
                cast,
                challenge,
                ("量产验证", days(60), "70000"),
                ("失效分析", days(30), "30000"),
                reason=reason,
            )
        assert error.value.messages == ["第 2 个里程碑:计划完成日期不能早于上一个里程碑的计划完成日期。"]
    same_day = plan(cast, challenge, ("失效分析", days(30), "30000"), ("量产验证", days(30), "70000"))
    assert [m.due_date for m in same_day] == [days(30), days(30)]


def test_an_operator_enters_a_past_milestone_with_a_reason(cast: Any) -> None:
    challenge = awarded(cast)
    first, second = plan(
        cast, challenge, ("失效分析", days(-10), "30000"), ("量产验证", days(30), "70000"), reason=REASON
    )
    override = overrides_of(first).get()
    assert (override.actor, override.field_name, override.reason) == (cast.operator, "due_date", REASON)
    assert not overrides_of(second).exists()


def test_the_plan_form_of_the_challenge_page(cast: Any) -> None:
    challenge = awarded(cast)
    assert REASON_FIELD in PlanForm(actor=cast.operator).fields
    client = operator_client(cast)
    page = client.get(f"/demands/challenges/{challenge.pk}/").content.decode()
    assert f'name="{REASON_FIELD}"' in page
    url = f"/demands/challenges/{challenge.pk}/plan/"
    rows = f"失效分析,{days(-2).isoformat()},30000\n量产验证,{days(40).isoformat()},70000"
    refused = client.post(url, {"plan": rows}, follow=True).content.decode()
    assert "计划完成日期不能早于现在" in refused and "补录原因" in refused
    assert not challenge.milestones.exists()
    client.post(url, {"plan": rows, REASON_FIELD: REASON})
    assert challenge.milestones.count() == 2
    assert TimeRuleOverride.objects.get(reason=REASON).subject == challenge.milestones.first()
