"""Who may open which competition page: organiser (the lab's staff member here), operator, judge (the
cast's expert), team (the cast's member), everyone else, anonymous."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingxiang.competition import demo, services
from jingxiang.competition.models import Award, Organiser, Stage, StageEntry, StageKind
from jingxiang.core.documents import new_verification_code
from jingxiang.reviewing.models import Round
from jingxiang.testing.matrix import ALL_LOGGED_IN, ANONYMOUS, RouteCase, check_matrix

pytestmark = pytest.mark.django_db


def _open_round(stage):
    Round.objects.filter(pk=stage.round_id).update(opens_at=timezone.now() - dt.timedelta(minutes=1))


def test_route_matrix(cast, contest):
    edition = contest.edition
    Organiser.objects.create(edition=edition, user=cast.lab_staff)
    # A committee member outside the cast, whom the operator's row of the matrix takes off the committee.
    from django.contrib.auth import get_user_model

    leaving = Organiser.objects.create(
        edition=edition, user=get_user_model().objects.create_user("committee_leaving", password="x")
    )
    team_entry = demo.register_team(edition, cast.member, 6)
    now = timezone.now()
    prelim = services.stage_round_setup(
        actor=contest.organiser,
        stage=Stage.objects.get(edition=edition, kind=StageKind.PRELIMINARY),
        opens_at=now + dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=1),
    )
    _open_round(prelim)
    # The preliminary is decided by hand here (its own flow is tested elsewhere): every entry advances.
    StageEntry.objects.filter(stage=prelim).update(advanced=True)
    Stage.objects.filter(pk=prelim.pk).update(decided_at=now)
    semi = services.stage_round_setup(
        actor=contest.organiser,
        stage=Stage.objects.get(edition=edition, kind=StageKind.SEMIFINAL),
        opens_at=now + dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=1),
    )
    _open_round(semi)
    services.judge_add(actor=contest.organiser, stage=semi, user=cast.expert_user, max_load=20)
    demo.run_assignment_now(contest.organiser, semi)
    Award.objects.create(
        edition=edition,
        entry=team_entry,
        level="first",
        name="一等奖",
        rank=1,
        verification_code=new_verification_code(),
    )
    attachment = team_entry.attachments.first()
    track = edition.tracks.first()
    managers = frozenset({"lab_staff", "operator"})
    team_side = frozenset({"member"}) | managers
    everyone = ALL_LOGGED_IN | {ANONYMOUS}
    slug = edition.slug
    cases = [
        RouteCase("home", "/competition/", everyone),
        RouteCase("edition", f"/competition/e/{slug}/", everyone),
        RouteCase("register", f"/competition/e/{slug}/register/", everyone),
        RouteCase("board", f"/competition/stages/{semi.pk}/board/", everyone),
        RouteCase(
            "board preliminary",
            f"/competition/stages/{prelim.pk}/board/",
            frozenset(),
            anonymous_status=(404,),
        ),
        RouteCase(
            "results unpublished", f"/competition/e/{slug}/results/", managers, anonymous_status=(404,)
        ),
        RouteCase("create", "/competition/new/", frozenset({"operator"})),
        RouteCase("mine", "/competition/mine/", ALL_LOGGED_IN),
        RouteCase("judging", "/competition/judging/", ALL_LOGGED_IN),
        RouteCase("entry", f"/competition/entries/{team_entry.pk}/", team_side | {"expert"}),
        RouteCase("attachment", f"/competition/attachments/{attachment.pk}/", team_side | {"expert"}),
        RouteCase("certificate", f"/competition/entries/{team_entry.pk}/certificate.pdf", team_side),
        RouteCase("manage", f"/competition/e/{slug}/manage/", managers),
        RouteCase("track add", f"/competition/e/{slug}/tracks/new/", managers),
        RouteCase("organisers", f"/competition/e/{slug}/organisers/", frozenset({"operator"})),
        RouteCase(
            "organiser remove",
            f"/competition/organisers/{leaving.pk}/remove/",
            frozenset({"operator"}),
            method="post",
            ok_status=(302,),
        ),
        RouteCase("track edit", f"/competition/tracks/{track.pk}/", managers),
        RouteCase("stage", f"/competition/stages/{semi.pk}/", managers),
        RouteCase("stage round", f"/competition/stages/{semi.pk}/round/", managers),
        RouteCase("judge add", f"/competition/stages/{semi.pk}/judges/new/", managers),
        RouteCase("live", f"/competition/stages/{semi.pk}/live/", frozenset({"expert"})),
        RouteCase(
            "current",
            f"/competition/stages/{semi.pk}/current/",
            managers,
            method="post",
            data={"entry": team_entry.pk},
            ok_status=(302,),
        ),
        RouteCase(
            "decide", f"/competition/stages/{semi.pk}/decide/", managers, method="post", ok_status=(302,)
        ),
        RouteCase("publish", f"/competition/e/{slug}/publish/", managers, method="post", ok_status=(302,)),
        RouteCase(
            "withdraw",
            f"/competition/entries/{team_entry.pk}/withdraw/",
            team_side,
            method="post",
            ok_status=(302,),
        ),
    ]
    problems = check_matrix(cast, cases)
    assert not problems, "\n".join(problems)
    # The judge's live page shows the entry on stage (set by the organiser above) with its score sheet.
    from django.test import Client

    judge = Client()
    judge.force_login(cast.expert_user)
    page = judge.get(f"/competition/stages/{semi.pk}/live/").content.decode()
    assert team_entry.title in page and 'inputmode="decimal"' in page
    status = judge.get(f"/competition/stages/{semi.pk}/live/?status=1&shown=", HTTP_HX_REQUEST="true")
    assert status.headers.get("HX-Refresh") == "true"


def test_every_competition_route_is_in_the_matrix():
    from django.urls import get_resolver

    covered = {
        "home",
        "edition",
        "register",
        "board",
        "results",
        "create",
        "mine",
        "judging",
        "entry",
        "attachment",
        "certificate",
        "manage",
        "track_add",
        "track_edit",
        "organisers",
        "organiser_remove",
        "stage",
        "stage_round",
        "judge_add",
        "live",
        "current",
        "decide",
        "publish",
        "withdraw",
    }
    _prefix, sub = get_resolver().namespace_dict["competition"]
    names = {name for name in sub.reverse_dict if isinstance(name, str)}
    assert names <= covered, names - covered
