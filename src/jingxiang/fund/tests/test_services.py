"""The fund's rules through its services: contradictory calls refused, every pre-check reason at once, file
checks, review through the engine, appeal window, awards against the ledger, tranches and recovery."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.fund import review, selectors, services
from jingxiang.fund.catalogue import seed
from jingxiang.fund.models import (
    AppStatus,
    AwardStatus,
    EliteGrade,
    EntryKind,
    Fund,
    LedgerEntry,
    Stage,
    TalentTier,
    TrancheStatus,
)
from jingxiang.fund.tests.conftest import assign, award, draft, make_call, pdf, score_all, to_approved
from jingxiang.reviewing import services as review_services
from jingxiang.reviewing.models import Assignment

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def test_catalogue_is_seeded_from_the_yaml_with_dates():
    # The data migration runs this seed; a transactional test elsewhere may have flushed its rows.
    seed(TalentTier, EliteGrade)
    grades = {g.code: g.support for g in EliteGrade.objects.all()}
    assert grades == {"A": Decimal("1500000"), "B": Decimal("800000"), "C": Decimal("300000")}


def test_a_call_whose_rules_contradict_each_other_is_refused(cast, setup):
    call = make_call(cast, setup.fund, title="第二批")
    today = timezone.localdate()
    # A cap below grade A's support while grade A is admitted.
    with pytest.raises(ValidationError) as caught:
        services.rule_add(actor=cast.operator, call=call, kind="max_award", value="500000", valid_from=today)
    assert any("超过本通知单个项目资助上限" in m for m in messages(caught.value))
    # A second founder-equity rule over the same days.
    with pytest.raises(ValidationError) as caught:
        services.rule_add(actor=cast.operator, call=call, kind="founder_equity", value="20", valid_from=today)
    assert any("同时有效" in m for m in messages(caught.value))
    # A tier code that is not in the catalogue, and a percentage that is not one.
    with pytest.raises(ValidationError):
        services.rule_add(actor=cast.operator, call=call, kind="tiers", value="nobody", valid_from=today)
    with pytest.raises(ValidationError):
        services.rule_add(
            actor=cast.operator, call=call, kind="founder_equity", value="130", valid_from=today
        )
    assert call.rules.count() == 5  # three defaults + tiers + elite; nothing half-saved


def test_a_call_with_a_gap_in_a_rule_cannot_open(cast, setup):
    today = timezone.localdate()
    call = make_call(cast, setup.fund, title="第三批")
    rule = call.rules.get(kind="founder_equity")
    rule.valid_to = today + dt.timedelta(days=3)
    rule.save()
    with pytest.raises(ValidationError) as caught:
        services.call_open(actor=cast.operator, call=call)
    assert any("没有有效规则" in m for m in messages(caught.value))
    call.refresh_from_db()
    assert call.status == "draft"


def test_precheck_names_every_failing_reason_at_once(cast, setup):
    application = services.application_create(
        actor=cast.firm_admin,
        call=setup.call,
        organisation=cast.firm,
        data={
            "project_title": "镜架表面处理",
            "summary": "…",
            "talent_name": "赵六",
            "talent_tier": None,
            "elite_grade": EliteGrade.objects.get(code="C"),
            "founder_equity": Decimal("20"),
            "registered_town": "椒江区",
            "registration_date": setup.call.closes_on + dt.timedelta(days=200),
            "requested_amount": Decimal("500000"),
        },
    )
    reasons = services.precheck(actor=cast.firm_admin, application=application)
    joined = "\n".join(reasons)
    for expected in ("人才层次", "超过", "创始人持股", "杜桥镇", "注册期限", "团队成员", "商业计划书"):
        assert expected in joined, expected
    assert len(reasons) == 7
    with pytest.raises(ValidationError) as caught:
        services.submit(actor=cast.firm_admin, application=application)
    assert len(caught.value.messages) == 7
    application.refresh_from_db()
    assert application.status == AppStatus.DRAFT
    assert application.precheck_reasons == reasons


def test_an_eligible_application_passes(cast, setup):
    assert services.precheck(actor=cast.firm_admin, application=setup.application) == []
    application = services.submit(actor=cast.firm_admin, application=setup.application)
    assert application.status == AppStatus.SUBMITTED


def test_rules_are_read_on_the_day_they_hold(cast, setup):
    """A rule that starts tomorrow does not apply today; on its first day it does."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    rule = setup.call.rules.get(kind="founder_equity")
    rule.valid_to = tomorrow - dt.timedelta(days=1)
    rule.save()
    services.rule_add(
        actor=cast.operator, call=setup.call, kind="founder_equity", value="50", valid_from=tomorrow
    )
    assert services.eligibility(setup.application) == []
    assert any("创始人持股" in r for r in services.eligibility(setup.application, day=tomorrow))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("plan.exe", b"MZ....", "type"),
        ("plan.pdf", b"not a pdf at all", "type"),
        ("plan.pdf", b"", "empty"),
    ],
)
def test_attachments_are_checked_for_type_and_content(cast, setup, name, content, code):
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            actor=cast.firm_admin,
            application=setup.application,
            kind="business_plan",
            upload=pdf(name, content),
        )
    assert caught.value.error_dict["file"][0].code == code


def test_attachment_size_limit(cast, setup):
    big = pdf("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            actor=cast.firm_admin, application=setup.application, kind="ip_proof", upload=big
        )
    assert "10 MB" in caught.value.messages[0]


def test_another_firm_cannot_touch_the_application(cast, setup):
    with pytest.raises(PermissionDenied):
        services.submit(actor=cast.other_firm_admin, application=setup.application)
    with pytest.raises(PermissionDenied):
        services.precheck(actor=cast.other_firm_admin, application=setup.application)


def _in_review(cast, setup):  # type: ignore[no-untyped-def]
    application = services.submit(actor=cast.firm_admin, application=setup.application)
    services.diligence_start(actor=cast.operator, application=application)
    for item in application.diligence.all():
        services.diligence_check(actor=cast.operator, item=item, done=True)
    return services.review_start(actor=cast.operator, application=application)


def test_review_goes_through_the_review_block_without_conflicts(cast, setup):
    from jingxiang.testing.factories import UserFactory

    own = UserFactory(username="own_expert")
    services.reviewer_add(actor=cast.operator, call=setup.call, data={"user": own, "organisation": cast.firm})
    _in_review(cast, setup)
    round = review.stage_round(setup.call, Stage.EXPERT)
    assert round.reviewers.count() == 3  # the call's pool is the round's
    run = assign(cast, setup.call, Stage.EXPERT)
    assert run.status == "done"
    rows = list(Assignment.objects.filter(round=round, withdrawn=False).select_related("reviewer"))
    assert len(rows) == 2
    assert all(row.reviewer.organisation_id != cast.firm.pk for row in rows)
    assert len({row.reviewer.organisation_id for row in rows}) == 2


def test_a_pool_too_small_is_refused_with_a_reason_and_nothing_saved(cast, setup):
    setup.call.reviewers_per_application = 3
    setup.call.save()
    _in_review(cast, setup)
    with pytest.raises(ValidationError) as caught:
        services.assign_reviewers(actor=cast.operator, call=setup.call, stage=Stage.EXPERT)
    assert "评审专家不足" in caught.value.messages[0]
    assert not Assignment.objects.exists()


def test_defence_waits_for_every_expert_sheet_and_the_ranking_comes_from_the_engine(cast, setup):
    application = _in_review(cast, setup)
    with pytest.raises(ValidationError, match="尚未分配专家"):
        services.defence_start(actor=cast.operator, application=application)
    assign(cast, setup.call, Stage.EXPERT)
    with pytest.raises(ValidationError, match="还有专家未提交评分"):
        services.defence_start(actor=cast.operator, application=application)
    score_all(setup.call, Stage.EXPERT)
    services.defence_start(actor=cast.operator, application=application)
    rows = review.ranking(review.stage_round(setup.call, Stage.EXPERT))
    assert [r.submission.object_id for r in rows] == [application.pk]
    assert rows[0].rank == 1 and rows[0].reviews == 2
    with pytest.raises(ValidationError):
        services.decide(actor=cast.operator, application=application, approve=True, reasons="好")
    assign(cast, setup.call, Stage.DEFENCE)
    score_all(setup.call, Stage.DEFENCE)
    decided = services.decide(actor=cast.operator, application=application, approve=True, reasons="好")
    assert decided.status == AppStatus.APPROVED
    assert selectors.application_rank(decided)["defence"].rank == 1


def test_an_upheld_appeal_is_heard_again_in_a_rehearing(cast, setup):
    from jingxiang.reviewing.services import assignment_compute

    application = _in_review(cast, setup)
    assign(cast, setup.call, Stage.EXPERT)
    score_all(setup.call, Stage.EXPERT)
    services.defence_start(actor=cast.operator, application=application)
    assign(cast, setup.call, Stage.DEFENCE)
    score_all(setup.call, Stage.DEFENCE, Decimal("3"))
    application = services.decide(
        actor=cast.operator, application=application, approve=False, reasons="答辩不充分"
    )
    appeal = services.appeal_file(
        actor=cast.firm_admin, application=application, grounds="评委误解了技术路线"
    )
    services.appeal_decide(actor=cast.operator, appeal=appeal, uphold=True, reply="安排复议答辩")
    application.refresh_from_db()
    assert application.status == AppStatus.DEFENCE
    rehearing = review.rehearing_round(application)
    assert rehearing is not None and review.defence_round(application) == rehearing
    with pytest.raises(ValidationError):
        services.decide(actor=cast.operator, application=application, approve=True, reasons="复议通过")
    run = review_services.assignment_start(actor=cast.operator, round=rehearing)
    run.refresh_from_db()
    if run.status != "done":
        assignment_compute(run_id=run.pk)
    score_all(setup.call, Stage.DEFENCE, Decimal("9"), application=application)
    decided = services.decide(actor=cast.operator, application=application, approve=True, reasons="复议通过")
    assert decided.status == AppStatus.APPROVED


def test_diligence_must_be_complete_before_review(cast, setup):
    application = services.submit(actor=cast.firm_admin, application=setup.application)
    services.diligence_start(actor=cast.operator, application=application)
    with pytest.raises(ValidationError) as caught:
        services.review_start(actor=cast.operator, application=application)
    assert len(caught.value.messages) == application.diligence.count()


def test_appeal_only_within_the_window(cast, setup):
    application = services.submit(actor=cast.firm_admin, application=setup.application)
    application = services.decide(
        actor=cast.operator, application=application, approve=False, reasons="不符合产业方向"
    )
    appeal = services.appeal_file(
        actor=cast.firm_admin, application=application, grounds="项目属于眼镜产业链"
    )
    services.appeal_decide(actor=cast.operator, appeal=appeal, uphold=False, reply="维持原决定")
    application.refresh_from_db()
    application.appeal_until = timezone.now() - dt.timedelta(minutes=1)
    application.save()
    with pytest.raises(ValidationError) as caught:
        services.appeal_file(actor=cast.firm_admin, application=application, grounds="再次申诉")
    assert "申诉期已于" in caught.value.messages[0]


def test_award_commits_and_tranches_release_against_the_ledger(cast, setup):
    made = award(cast, setup)
    fund = Fund.objects.get(pk=setup.fund.pk)
    assert (fund.committed, fund.available) == (Decimal("800000"), Decimal("2200000"))
    due = timezone.localdate() + dt.timedelta(days=90)
    first = services.tranche_add(
        actor=cast.operator, award=made, milestone="样品", amount=Decimal("300000"), due_on=due
    )
    services.tranche_add(
        actor=cast.operator, award=made, milestone="量产", amount=Decimal("500000"), due_on=due
    )
    with pytest.raises(ValidationError) as caught:
        services.tranche_add(
            actor=cast.operator, award=made, milestone="多余", amount=Decimal("1"), due_on=due
        )
    assert "超过协议尚未安排的余额" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        services.evidence_review(actor=cast.operator, tranche=first, approve=True)  # no evidence yet
    services.evidence_submit(
        actor=cast.firm_admin, tranche=first, upload=pdf("sample.pdf"), note="样品已通过检测"
    )
    services.evidence_review(actor=cast.operator, tranche=first, approve=True)
    fund.refresh_from_db()
    made.refresh_from_db()
    assert (fund.committed, fund.disbursed, made.disbursed) == (
        Decimal("500000"),
        Decimal("300000"),
        Decimal("300000"),
    )
    assert selectors.ledger_from_entries(fund) == {
        "capital": fund.capital,
        "committed": fund.committed,
        "disbursed": fund.disbursed,
        "recovered": fund.recovered,
    }


def test_award_larger_than_the_fund_has_left_is_refused(cast, setup):
    fund = setup.fund
    fund.capital = Decimal("100000")
    fund.save()
    application = to_approved(cast, setup)
    with pytest.raises(ValidationError) as caught:
        services.award_make(
            actor=cast.operator, application=application, data={"kind": "grant", "amount": Decimal("800000")}
        )
    assert "不足以承诺" in caught.value.messages[0]
    application.refresh_from_db()
    assert application.status == AppStatus.APPROVED
    assert not LedgerEntry.objects.filter(kind=EntryKind.COMMIT).exists()


def test_equity_award_needs_a_stake_and_takes_the_team_share(cast, setup):
    application = to_approved(cast, setup)
    with pytest.raises(ValidationError):
        services.award_make(
            actor=cast.operator, application=application, data={"kind": "equity", "amount": Decimal("1")}
        )
    made = services.award_make(
        actor=cast.operator,
        application=application,
        data={"kind": "equity", "amount": Decimal("500000"), "stake": Decimal("5")},
    )
    assert (made.stake, made.team_premium_share) == (Decimal("5"), Decimal("70"))


def test_recovery_when_the_company_leaves(cast, setup):
    made = award(cast, setup)
    due = timezone.localdate() + dt.timedelta(days=30)
    tranche = services.tranche_add(
        actor=cast.operator, award=made, milestone="样品", amount=Decimal("200000"), due_on=due
    )
    services.evidence_submit(actor=cast.firm_admin, tranche=tranche, upload=pdf("s.pdf"), note="完成")
    services.evidence_review(actor=cast.operator, tranche=tranche, approve=True)
    with pytest.raises(ValidationError):
        services.recover(actor=cast.operator, award=made, cause="left", amount=Decimal("200001"), note="迁离")
    services.recover(
        actor=cast.operator, award=made, cause="left", amount=Decimal("150000"), note="企业迁往外地"
    )
    fund = Fund.objects.get(pk=setup.fund.pk)
    made.refresh_from_db()
    assert made.status == AwardStatus.RECOVERED
    assert (fund.committed, fund.disbursed, fund.recovered) == (
        Decimal("0"),
        Decimal("200000"),
        Decimal("150000"),
    )
    assert fund.available == Decimal("2950000")
    assert selectors.ledger_from_entries(fund)["committed"] == 0


def test_failed_milestone_frees_its_amount_for_a_new_tranche(cast, setup):
    made = award(cast, setup)
    due = timezone.localdate() + dt.timedelta(days=30)
    tranche = services.tranche_add(
        actor=cast.operator, award=made, milestone="全部", amount=Decimal("800000"), due_on=due
    )
    services.tranche_fail(actor=cast.operator, tranche=tranche, note="未按期完成样品")
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.FAILED
    services.tranche_add(
        actor=cast.operator, award=made, milestone="延期样品", amount=Decimal("800000"), due_on=due
    )


def test_progress_report_once_a_year(cast, setup):
    made = award(cast, setup)
    year = timezone.localdate().year
    services.report_submit(actor=cast.firm_admin, award=made, data={"year": year, "progress": "投产"})
    with pytest.raises(ValidationError):
        services.report_submit(actor=cast.firm_admin, award=made, data={"year": year, "progress": "再报"})
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=cast.other_firm_admin, award=made, data={"year": year, "progress": "x"})


def test_the_database_refuses_a_fund_below_zero(cast, setup):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=setup.fund.pk).update(committed=Decimal("3000001"))


def test_two_drafts_of_different_firms(cast, setup):
    other = draft(cast, setup.call, organisation=cast.other_firm, actor=cast.other_firm_admin)
    assert other.number != setup.application.number
