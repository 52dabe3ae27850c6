"""Pages of the review block per role: reviewers see only their own tasks; the scope decides managers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jingxiang.reviewing.models import Assignment, Score
from jingxiang.testing.matrix import RouteCase, check_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(cast, setup, django_capture_on_commit_callbacks):
    from jingxiang.reviewing import services

    # The cast's expert joins the pool so that a persona holds assignments.
    services.reviewer_add(actor=cast.operator, round=setup.round, user=cast.expert_user, max_load=6)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_start(actor=cast.operator, round=setup.round)
    return setup


def test_route_matrix(cast, assigned):
    mine = Assignment.objects.filter(reviewer__user=cast.expert_user, withdrawn=False).first()
    theirs = Assignment.objects.exclude(reviewer__user=cast.expert_user).filter(withdrawn=False).first()
    assert mine and theirs
    round_pk = assigned.round.pk
    submission = assigned.submissions[0].pk
    everyone = frozenset(cast.by_role())
    cases = [
        RouteCase("mine", "/reviewing/mine/", everyone),
        RouteCase("score own", f"/reviewing/assignments/{mine.pk}/", frozenset({"expert"})),
        RouteCase("score other's", f"/reviewing/assignments/{theirs.pk}/", frozenset()),
        RouteCase("round", f"/reviewing/rounds/{round_pk}/", frozenset({"operator"})),
        RouteCase(
            "drill-down", f"/reviewing/rounds/{round_pk}/submissions/{submission}/", frozenset({"operator"})
        ),
        RouteCase(
            "assign",
            f"/reviewing/rounds/{round_pk}/assign/",
            frozenset({"operator"}),
            method="post",
            ok_status=(302,),
        ),
        RouteCase(
            "close",
            f"/reviewing/rounds/{round_pk}/close/",
            frozenset({"operator"}),
            method="post",
            ok_status=(302,),
        ),
    ]
    problems = check_matrix(cast, cases)
    assert not problems, "\n".join(problems)


def test_phone_score_sheet_saves_and_refuses_with_messages(cast, assigned, client):
    mine = Assignment.objects.filter(reviewer__user=cast.expert_user, withdrawn=False).first()
    client.force_login(cast.expert_user)
    url = f"/reviewing/assignments/{mine.pk}/"
    page = client.get(url)
    assert 'inputmode="decimal"' in page.content.decode()
    criteria = list(assigned.round.criteria.all())
    bad = {f"criterion_{c.pk}": "7" for c in criteria} | {f"criterion_{criteria[0].pk}": "12"}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "不能高于" in response.content.decode()
    assert not Score.objects.filter(assignment=mine).exists()
    response = client.post(url, {f"criterion_{c.pk}": "7.5" for c in criteria})
    assert response.status_code == 302
    assert set(Score.objects.filter(assignment=mine).values_list("value", flat=True)) == {Decimal("7.5")}
    listing = client.get("/reviewing/mine/").content.decode()
    assert "已评分" in listing


def test_manager_round_page_shows_ranking_and_drill_down(cast, assigned, client):
    client.force_login(cast.operator)
    page = client.get(f"/reviewing/rounds/{assigned.round.pk}/").content.decode()
    assert "最优" in page and 'data-testid="ranking"' in page
    drill = client.get(f"/reviewing/rounds/{assigned.round.pk}/submissions/{assigned.submissions[0].pk}/")
    assert drill.status_code == 200
