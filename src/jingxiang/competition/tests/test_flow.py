"""The competition end to end through the services: preliminary (engine-assigned), semi-final, final
with live scoring, awards, certificates, results, carry-over to the fund."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.competition import demo, selectors, services
from jingxiang.competition.carryover import carry_over_data
from jingxiang.competition.models import Award, EntryStatus, Stage, StageEntry, StageKind
from jingxiang.reviewing import services as reviewing
from jingxiang.reviewing.models import Assignment, Round

pytestmark = pytest.mark.django_db


def _setup_stage(contest, kind, judges, *, reviewers_orgs=True):
    stage = Stage.objects.get(edition=contest.edition, kind=kind)
    now = timezone.now()
    stage = services.stage_round_setup(
        actor=contest.organiser,
        stage=stage,
        opens_at=now + dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=2),
    )
    Round.objects.filter(pk=stage.round_id).update(opens_at=now - dt.timedelta(minutes=1))
    stage.round.refresh_from_db()
    for i, judge in enumerate(judges):
        services.judge_add(
            actor=contest.organiser,
            stage=stage,
            user=judge,
            max_load=10,
            organisation=contest.edition.judge_orgs[i] if reviewers_orgs else None,
        )
    return stage


def test_full_competition(contest, cast):
    # Preliminary: the engine assigns 3 judges per entry from 5 organisations.
    prelim = _setup_stage(contest, StageKind.PRELIMINARY, contest.judges)
    run = demo.run_assignment_now(contest.organiser, prelim)
    assert run.solver_status == "optimal" and run.uncovered == []
    assert Assignment.objects.filter(round=prelim.round, withdrawn=False).count() == 3 * len(contest.entries)
    with pytest.raises(ValidationError, match="评分尚未截止"):
        services.stage_decide(actor=contest.organiser, stage=prelim)
    demo.score_everything(prelim)
    reviewing.round_close(actor=contest.organiser, round=prelim.round)
    services.stage_decide(actor=contest.organiser, stage=prelim)
    advanced = StageEntry.objects.filter(stage=prelim, advanced=True)
    assert advanced.count() == 4
    assert {se.rank for se in advanced} == {1, 2, 3, 4}
    assert (
        StageEntry.objects.filter(stage=prelim, advanced=False, entry__status=EntryStatus.ELIMINATED).count()
        == 2
    )

    # Semi-final (panel): every judge scores every advanced entry.
    semi = _setup_stage(contest, StageKind.SEMIFINAL, contest.judges[:4])
    demo.run_assignment_now(contest.organiser, semi)
    assert Assignment.objects.filter(round=semi.round, withdrawn=False).count() == 4 * 4
    demo.score_everything(semi)
    reviewing.round_close(actor=contest.organiser, round=semi.round)
    services.stage_decide(actor=contest.organiser, stage=semi)
    finalists = list(StageEntry.objects.filter(stage=semi, advanced=True).select_related("entry"))
    assert len(finalists) == 3 and all(se.entry.status == EntryStatus.FINALIST for se in finalists)

    # Final: live scoring on the entry now on stage.
    final = _setup_stage(contest, StageKind.FINAL, contest.judges[:3])
    demo.run_assignment_now(contest.organiser, final)
    criteria = list(final.round.criteria.all())
    judge = contest.judges[0]
    with pytest.raises(ValidationError, match="当前没有路演项目"):
        services.live_score(actor=judge, stage=final, values={c.pk: "8" for c in criteria})
    for se in StageEntry.objects.filter(stage=final).select_related("entry"):
        final = services.live_set_current(actor=contest.organiser, stage=final, entry=se.entry)
        with pytest.raises(ValidationError, match="超出评分范围"):
            services.live_score(actor=judge, stage=final, values={c.pk: "10.5" for c in criteria})
        for offset, j in enumerate(contest.judges[:3]):
            value = Decimal("6") + Decimal(se.entry.pk % 4) + Decimal(offset) / 2
            services.live_score(
                actor=j, stage=final, values={c.pk: min(value, Decimal("10")) for c in criteria}
            )
    board = selectors.scoreboard(final)
    assert board["scored"] == 3 and len(board["rows"]) == 3
    with pytest.raises(PermissionDenied):
        services.live_score(actor=contest.judges[4], stage=final, values={c.pk: "8" for c in criteria})
    reviewing.round_close(actor=contest.organiser, round=final.round)
    with pytest.raises(ValidationError, match="截止"):
        services.live_score(actor=judge, stage=final, values={c.pk: "9" for c in criteria})
    services.stage_decide(actor=contest.organiser, stage=final)
    awards = list(Award.objects.filter(edition=contest.edition).order_by("rank"))
    assert [a.level for a in awards] == ["first", "second", "second"]
    # The figures agree with the records under them: the rank 1 entry has the best normalised score.
    table = selectors.stage_table(final)
    assert table[0].score >= table[1].score >= table[2].score

    # Results are public only when published; the certificate verifies publicly.
    from django.test import Client

    anonymous = Client()
    assert anonymous.get(f"/competition/e/{contest.edition.slug}/results/").status_code == 404
    services.results_publish(actor=contest.organiser, edition=contest.edition)
    page = anonymous.get(f"/competition/e/{contest.edition.slug}/results/").content.decode()
    assert "一等奖" in page and awards[0].entry.title in page
    verify = anonymous.get(f"/verify/competition-award/{awards[0].verification_code}/").content.decode()
    assert awards[0].entry.title in verify and awards[0].entry.leader_mobile not in verify
    team = Client()
    team.force_login(awards[0].entry.leader)
    pdf = team.get(f"/competition/entries/{awards[0].entry.pk}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    data = carry_over_data(awards[0].entry)
    assert data["title"] == awards[0].entry.title
    assert data["team"][0]["share"] == 60.0 and data["team"][2]["share"] is None
    assert data["attachment_ids"] and "一等奖" in data["source_label"]
    assert data["source_url"].endswith(f"/competition/entries/{awards[0].entry.pk}/")


def test_pool_too_small_for_the_conflicts_is_refused_clearly(contest, django_capture_on_commit_callbacks):
    prelim = _setup_stage(contest, StageKind.PRELIMINARY, contest.judges[:2])
    with pytest.raises(ValidationError, match="评审专家不足"):
        reviewing.assignment_start(actor=contest.organiser, round=prelim.round)


def test_judge_on_a_team_never_reviews_it(contest):
    """A judge who leads a team is excluded from it by the engine (the team's person key is theirs)."""
    judge = contest.teams[0]
    prelim = _setup_stage(contest, StageKind.PRELIMINARY, [*contest.judges[:4], judge])
    demo.run_assignment_now(contest.organiser, prelim)
    own = contest.entries[0]
    assert not Assignment.objects.filter(
        round=prelim.round, reviewer__user=judge, submission__object_id=own.pk, withdrawn=False
    ).exists()


def test_only_organisers_manage(contest, cast):
    stage = Stage.objects.get(edition=contest.edition, kind=StageKind.PRELIMINARY)
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        services.stage_round_setup(
            actor=cast.firm_admin,
            stage=stage,
            opens_at=now + dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        services.track_save(actor=contest.teams[0], edition=contest.edition, code="x", name="X")
    track = services.track_save(actor=contest.organiser, edition=contest.edition, code="new", name="新赛道")
    assert track.edition == contest.edition


def test_operators_appoint_the_committee_and_organisers_pick_judges_by_typing(cast, contest, client):
    """The committee is run from the platform (not the admin): appointed, refused twice, removed but kept;
    judges and members are chosen through pickers that only organisers and operators may query."""
    from django.contrib.auth import get_user_model

    from jingxiang.competition.models import Organiser
    from jingxiang.competition.search import judge_choices, organiser_choices

    edition = contest.edition
    newcomer = get_user_model().objects.create_user("committee_new", password="x", display_name="新委员")
    with pytest.raises(PermissionDenied):
        services.organiser_add(actor=contest.organiser, edition=edition, user=newcomer)
    member = services.organiser_add(actor=cast.operator, edition=edition, user=newcomer)
    with pytest.raises(ValidationError):
        services.organiser_add(actor=cast.operator, edition=edition, user=newcomer)
    services.organiser_remove(actor=cast.operator, organiser=member)
    member.refresh_from_db()
    assert not member.active and Organiser.objects.filter(pk=member.pk).exists()  # kept for the record
    with pytest.raises(ValidationError):
        services.organiser_remove(actor=cast.operator, organiser=member)
    assert services.organiser_add(actor=cast.operator, edition=edition, user=newcomer).active

    # The page: the operator sees the members and adds one by name through the picker's typed input.
    client.force_login(cast.operator)
    page = client.get(f"/competition/e/{edition.slug}/organisers/").content.decode()
    assert "新委员" in page and "competition.organisers" in page
    other = get_user_model().objects.create_user("committee_other", password="x", display_name="另一位委员")
    done = client.post(f"/competition/e/{edition.slug}/organisers/", {"user__text": "另一位委员"})
    assert done.status_code == 302
    assert Organiser.objects.filter(edition=edition, user=other, active=True).exists()

    # Picker sources: organisers and operators may look up judges; only operators look up logins.
    assert judge_choices(contest.organiser) is not None and judge_choices(cast.member) is None
    assert organiser_choices(cast.operator) is not None and organiser_choices(contest.organiser) is None
    assert client.get("/pick/competition.organisers/?q=委员").status_code == 200
    client.force_login(cast.member)
    assert client.get("/pick/competition.judges/?q=a").status_code == 404
