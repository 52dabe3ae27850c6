"""The issue's competition journey in a browser: a team registers on a phone → a judge scores the
preliminary on a phone → final with live scoring on a judge's phone and the hall's scoreboard →
public results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingxiang.competition import demo, services
from jingxiang.competition.models import Entry, Stage, StageEntry, StageKind
from jingxiang.core.demo import DEMO_PASSWORD
from jingxiang.reviewing import services as reviewing
from jingxiang.reviewing.models import Assignment, Round
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _stage(contest, kind, judges):
    now = timezone.now()
    stage = services.stage_round_setup(
        actor=contest.organiser,
        stage=Stage.objects.get(edition=contest.edition, kind=kind),
        opens_at=now + dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=1),
    )
    Round.objects.filter(pk=stage.round_id).update(opens_at=now - dt.timedelta(minutes=1))
    for i, judge in enumerate(judges):
        services.judge_add(
            actor=contest.organiser,
            stage=stage,
            user=judge,
            max_load=10,
            organisation=contest.edition.judge_orgs[i],
        )
    stage.refresh_from_db()
    return stage


def test_register_review_live_final_results(contest, otp_outbox, page, phone_page, live_server, tmp_path):
    base = live_server.url
    slug = contest.edition.slug

    # A team registers on a phone without an account.
    phone = phone_page
    phone.goto(f"{base}/competition/e/{slug}/")
    phone.click("[data-testid=register]")
    phone.fill("form:has(input[name=step][value=code]) #id_mobile", "13812340000")
    phone.click("button:has-text('获取验证码')")
    phone.wait_for_selector("text=验证码已发送")
    form = phone.locator("form:has(input[name=step][value=register])")
    form.locator("#id_code").fill(otp_outbox[-1].code)
    form.locator("#id_track").select_option(label="智能眼镜与光学")
    form.locator("#id_title").fill("眼动追踪智能镜框")
    form.locator("#id_summary").fill("用眼动追踪监测青少年用眼习惯的智能镜框。")
    form.locator("#id_team_name").fill("眸光团队")
    form.locator("#id_leader_name").fill("林悦")
    form.locator("#id_members").fill("林悦, 负责人, 55%\n郑浩, 硬件, 45%")
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(demo.PDF)
    form.locator("#id_plan").set_input_files(str(plan))
    form.locator("[data-testid=submit-registration]").click()
    phone.wait_for_selector("text=报名成功")
    entry = Entry.objects.get(team_name="眸光团队")
    screenshot(phone, "competition-registered-phone")

    # Preliminary: the engine assigns 3 of 5 judges per entry; a judge scores the new entry on a phone.
    prelim = _stage(contest, StageKind.PRELIMINARY, contest.judges)
    demo.run_assignment_now(contest.organiser, prelim)
    mine = (
        Assignment.objects.filter(round=prelim.round, submission__object_id=entry.pk)
        .select_related("reviewer__user")
        .first()
    )
    judge_phone = phone.context.browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}
    ).new_page()
    login(judge_phone, base, mine.reviewer.user.username, DEMO_PASSWORD)
    judge_phone.goto(f"{base}/reviewing/mine/")
    judge_phone.click(f"[data-testid=score-{mine.pk}]")
    for code in ("innovation", "market", "team", "industry"):
        judge_phone.fill(f"[data-testid=score-{code}]", "101")
    judge_phone.click("main form.card button[type=submit]")
    judge_phone.wait_for_selector("text=不能高于")
    for code in ("innovation", "market", "team", "industry"):
        judge_phone.fill(f"[data-testid=score-{code}]", "95")
    judge_phone.click("main form.card button[type=submit]")
    judge_phone.wait_for_selector("text=评分已提交")
    demo.score_everything(prelim)  # the other sheets (the one above is overwritten with the same design)
    reviewing.round_close(actor=contest.organiser, round=prelim.round)

    # The organiser fixes the preliminary on the desktop, then the semi-final runs through the services.
    login(page, base, contest.organiser.username, DEMO_PASSWORD)
    page.goto(f"{base}/competition/stages/{prelim.pk}/")
    page.click("[data-testid=decide]")
    page.wait_for_selector("text=赛段结果已确定")
    semi = _stage(contest, StageKind.SEMIFINAL, contest.judges[:4])
    demo.run_assignment_now(contest.organiser, semi)
    demo.score_everything(semi)
    reviewing.round_close(actor=contest.organiser, round=semi.round)
    services.stage_decide(actor=contest.organiser, stage=semi)

    # Final: the organiser puts an entry on stage; a judge scores it live; the hall's board follows.
    final = _stage(contest, StageKind.FINAL, contest.judges[:3])
    demo.run_assignment_now(contest.organiser, final)
    finalists = list(StageEntry.objects.filter(stage=final).select_related("entry"))
    first = finalists[0].entry
    board = page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 1920, "height": 1080}
    ).new_page()
    board.goto(f"{base}/competition/stages/{final.pk}/board/")
    page.goto(f"{base}/competition/stages/{final.pk}/")
    page.select_option("#id_entry", str(first.pk))
    page.click("[data-testid=set-current]")
    page.wait_for_selector("text=已切换当前路演项目")
    judge = contest.judges[0]
    judge_live = phone.context.browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}
    ).new_page()
    login(judge_live, base, judge.username, DEMO_PASSWORD)
    judge_live.goto(f"{base}/competition/stages/{final.pk}/live/")
    judge_live.wait_for_selector(f"text={first.title}")
    judge_live.fill("[data-testid=score-overall]", "9.5")
    judge_live.fill("[data-testid=score-pitch]", "9")
    judge_live.click("[data-testid=live-submit]")
    judge_live.wait_for_selector("text=评分已提交")
    board.wait_for_selector("text=已评分评委 1 / 3", timeout=20_000)
    screenshot(board, "competition-board")
    criteria = list(final.round.criteria.all())
    for se in finalists:
        final = services.live_set_current(actor=contest.organiser, stage=final, entry=se.entry)
        for offset, j in enumerate(contest.judges[:3]):
            if se.entry == first and j == judge:
                continue
            value = f"{6 + (se.entry.pk % 4) + offset / 2:.1f}"
            services.live_score(actor=j, stage=final, values={c.pk: value for c in criteria})
    reviewing.round_close(actor=contest.organiser, round=final.round)
    page.goto(f"{base}/competition/stages/{final.pk}/")
    page.click("[data-testid=decide]")
    page.wait_for_selector("text=赛段结果已确定")
    page.goto(f"{base}/competition/e/{slug}/manage/")
    page.click("[data-testid=publish]")
    page.wait_for_selector("text=结果已公布")

    # Anyone sees the results.
    public = phone.context.browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/competition/e/{slug}/results/")
    public.wait_for_selector("text=一等奖")
    assert public.locator("[data-testid=results] tbody tr").count() == 3
    screenshot(public, "competition-results")
    for extra in (judge_phone, board, judge_live, public):
        extra.context.close()
