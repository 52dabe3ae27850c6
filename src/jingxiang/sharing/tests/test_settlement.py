"""Settlement (statements, subsidy, immutability, adjustments, month-end job) and outcomes/KPIs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingxiang.core.models import Notification
from jingxiang.jobs.models import Job, JobStatus
from jingxiang.jobs.services import job_enqueue
from jingxiang.sharing import documents, selectors, services, texts
from jingxiang.sharing.models import Statement, StatementStatus, SubsidyPolicy
from jingxiang.sharing.tests.builders import make_agreement, slot

pytestmark = pytest.mark.django_db

LAST_MONTH = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def worked(cast, agreement, day, start, end, *, approve=True, talent_user=None):
    starts, ends = slot(day, start, end)
    booking = services.booking_create(
        actor=cast.talent_officer, agreement=agreement, starts_at=starts, ends_at=ends
    )
    timesheet = services.timesheet_log(
        actor=talent_user or cast.expert_user, booking=booking, hours=booking.hours, description="现场指导"
    )
    if approve:
        services.timesheet_review(actor=cast.talent_officer, timesheet=timesheet, approve=True)
    return timesheet


@pytest.fixture
def policy(cast):
    cast.firm.size = "small"
    cast.firm.save()
    return SubsidyPolicy.objects.create(
        name="临海市人才科创基金共享用工补贴",
        percentage=Decimal("50"),
        eligible_sizes=["micro", "small"],
        cap_per_firm_year=Decimal("100000"),
        annual_budget=Decimal("1000000"),
        valid_from=LAST_MONTH.replace(month=1, day=1),
        valid_to=LAST_MONTH.replace(month=12, day=31),
    )


def test_statement_is_hours_times_rate_with_subsidy_and_payee_is_the_home_employer(cast, sharing, policy):
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 12)
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=4), 13, 17)
    statement = services.statement_generate(
        actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH
    )
    assert statement.status == StatementStatus.DRAFT
    assert statement.hours == Decimal("7.00")
    assert statement.gross == Decimal("2100.00")
    assert statement.subsidy == Decimal("1050.00")
    assert statement.host_pays == Decimal("1050.00")
    assert statement.payee == cast.other_firm.name  # never the talent where a home employer exists
    assert statement.policy == policy
    assert statement.lines.count() == 2


def test_unapproved_hours_are_not_billed(cast, sharing):
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 12, approve=False)
    assert (
        services.statement_generate(actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH)
        is None
    )


def test_large_firm_gets_no_subsidy(cast, sharing, policy):
    cast.firm.size = "large"
    cast.firm.save()
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 12)
    statement = services.statement_generate(
        actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH
    )
    assert statement.subsidy == Decimal("0") and statement.policy is None
    assert statement.host_pays == statement.gross


def test_policy_outside_its_validity_does_not_apply(cast, sharing, policy):
    policy.valid_from = LAST_MONTH + dt.timedelta(days=40)
    policy.valid_to = policy.valid_from + dt.timedelta(days=30)
    policy.save()
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 12)
    statement = services.statement_generate(
        actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH
    )
    assert statement.subsidy == Decimal("0")


def test_subsidy_is_capped_per_firm_per_year_and_by_budget(cast, sharing, policy):
    policy.cap_per_firm_year = Decimal("1200")
    policy.save()
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 17)  # 8 h = 2400, 50 % = 1200
    first = services.statement_generate(actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH)
    services.statement_issue(actor=cast.operator, statement=first)
    first.refresh_from_db()
    assert first.subsidy == Decimal("1200.00")
    this_month = timezone.localdate().replace(day=1)
    if this_month.year != LAST_MONTH.year:
        pytest.skip("the yearly cap is per calendar year; this month starts a new one")
    worked(cast, sharing.agreement, this_month, 9, 12)
    second = services.statement_generate(actor=cast.operator, agreement=sharing.agreement, month=this_month)
    assert second.subsidy == Decimal("0")  # the firm's yearly cap is used up
    policy.cap_per_firm_year = Decimal("100000")
    policy.annual_budget = Decimal("1500")
    policy.save()
    second = services.statement_generate(actor=cast.operator, agreement=sharing.agreement, month=this_month)
    assert second.subsidy == Decimal("300.00")  # what is left of the budget


def test_issued_statement_is_immutable(cast, sharing, policy):
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 12)
    statement = services.statement_generate(
        actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH
    )
    issued = services.statement_issue(actor=cast.operator, statement=statement)
    assert issued.status == StatementStatus.ISSUED and issued.issued_by == cast.operator
    assert Notification.objects.filter(recipient=cast.talent_officer, kind="sharing_statement").exists()
    assert Notification.objects.filter(recipient=cast.other_firm_admin, kind="sharing_statement").exists()
    with pytest.raises(ValidationError, match="不可修改") as error:
        services.statement_generate(actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH)
    assert error.value.code == "statement_issued"
    with pytest.raises(ValidationError, match="不可修改或重复出具"):
        services.statement_issue(actor=cast.operator, statement=statement)


def test_corrections_are_adjustment_lines_on_the_next_statement(cast, sharing, policy):
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 12)
    first = services.statement_issue(
        actor=cast.operator,
        statement=services.statement_generate(
            actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH
        ),
    )
    with pytest.raises(ValidationError, match="调整原因"):
        services.statement_adjust(
            actor=cast.operator, statement=first, hours=Decimal("-1"), amount=Decimal("-300"), reason=""
        )
    with pytest.raises(PermissionDenied):
        services.statement_adjust(
            actor=cast.talent_officer,
            statement=first,
            hours=Decimal("-1"),
            amount=Decimal("-300"),
            reason="多计",
        )
    adjustment = services.statement_adjust(
        actor=cast.operator,
        statement=first,
        hours=Decimal("-1"),
        amount=Decimal("-300"),
        reason="3 日多计 1 小时",
    )
    first.refresh_from_db()
    assert first.gross == Decimal("900.00")  # the issued statement did not change
    this_month = timezone.localdate().replace(day=1)
    worked(cast, sharing.agreement, this_month, 9, 11)
    second = services.statement_generate(actor=cast.operator, agreement=sharing.agreement, month=this_month)
    assert second.gross == Decimal("600.00") - Decimal("300.00")
    assert any("更正" in line.description for line in second.lines.all())
    services.statement_issue(actor=cast.operator, statement=second)
    adjustment.refresh_from_db()
    assert adjustment.applied_to == second


def test_late_approval_lands_on_a_later_statement(cast, sharing):
    late = worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 12, approve=False)
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=4), 9, 10)
    first = services.statement_issue(
        actor=cast.operator,
        statement=services.statement_generate(
            actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH
        ),
    )
    assert first.hours == Decimal("1.00")
    services.timesheet_review(actor=cast.talent_officer, timesheet=late, approve=True)
    this_month = timezone.localdate().replace(day=1)
    second = services.statement_generate(actor=cast.operator, agreement=sharing.agreement, month=this_month)
    assert second.hours == Decimal("3.00")  # billed once, not twice


def test_independent_expert_is_paid_directly(cast, independent):
    agreement = make_agreement(cast, independent).agreement
    worked(cast, agreement, LAST_MONTH.replace(day=3), 9, 12, talent_user=independent.user)
    statement = services.statement_generate(actor=cast.operator, agreement=agreement, month=LAST_MONTH)
    services.statement_issue(actor=cast.operator, statement=statement)
    statement.refresh_from_db()
    assert statement.payee == independent.name
    assert Notification.objects.filter(recipient=independent.user, kind="sharing_statement").exists()


@pytest.mark.parametrize("who", ["talent_officer", "firm_admin", "expert_user", "other_firm_admin"])
def test_only_the_station_generates_and_issues(cast, sharing, who):
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 12)
    with pytest.raises(PermissionDenied):
        services.statement_generate(actor=getattr(cast, who), agreement=sharing.agreement, month=LAST_MONTH)
    statement = services.statement_generate(
        actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH
    )
    with pytest.raises(PermissionDenied):
        services.statement_issue(actor=getattr(cast, who), statement=statement)


def test_month_end_job_generates_drafts_with_progress(
    cast, sharing, policy, django_capture_on_commit_callbacks
):
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 12)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(
            kind="sharing_statements",
            title=texts.STATEMENTS_TITLE(m=f"{LAST_MONTH:%Y-%m}"),
            created_by=cast.operator,
            params={"month": LAST_MONTH.isoformat()},
        )
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.progress == 100
    assert job.result["created"] == 1
    assert job.result_url.endswith(f"?month={LAST_MONTH:%Y-%m}")
    assert Statement.objects.filter(agreement=sharing.agreement, month=LAST_MONTH, status="draft").exists()


def test_statement_pdf_and_public_page_hide_amounts(cast, sharing, policy):
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 12)
    statement = services.statement_generate(
        actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH
    )
    assert documents.statement_lookup(statement.verification_code) is None  # drafts are not public
    services.statement_issue(actor=cast.operator, statement=statement)
    statement.refresh_from_db()
    assert documents.statement_pdf(statement).startswith(b"%PDF")
    public = documents.statement_lookup(statement.verification_code)
    shown = " ".join(str(v) for _l, v in public["facts"])
    assert "900" not in shown and cast.firm.name in shown


def test_totals_per_firm_talent_and_month(cast, sharing, policy):
    worked(cast, sharing.agreement, LAST_MONTH.replace(day=3), 9, 12)
    services.statement_generate(actor=cast.operator, agreement=sharing.agreement, month=LAST_MONTH)
    totals = selectors.statement_totals(Statement.objects.all())
    assert totals["firm"][0]["gross"] == Decimal("900.00")
    assert totals["talent"][0]["talent__name"] == cast.expert.name
    assert totals["month"][0]["subsidy"] == Decimal("450.00")


def test_subsidy_policy_rules(cast):
    data = {
        "name": "x",
        "percentage": Decimal("30"),
        "eligible_sizes": ["micro"],
        "cap_per_firm_year": Decimal("1"),
        "annual_budget": Decimal("1"),
        "valid_from": dt.date(2026, 1, 1),
        "valid_to": dt.date(2025, 12, 31),
    }
    with pytest.raises(PermissionDenied):
        services.subsidy_policy_save(actor=cast.firm_admin, data=data)
    with pytest.raises(ValidationError, match="失效日期不能早于生效日期"):
        services.subsidy_policy_save(actor=cast.operator, data=data)
    data["valid_to"] = dt.date(2026, 12, 31)
    with pytest.raises(ValidationError, match="企业规模"):
        services.subsidy_policy_save(actor=cast.operator, data={**data, "eligible_sizes": []})
    policy = services.subsidy_policy_save(actor=cast.operator, data=data)
    updated = services.subsidy_policy_save(
        actor=cast.operator, data={**data, "percentage": Decimal("40")}, policy=policy
    )
    assert updated.pk == policy.pk and updated.percentage == Decimal("40")


# Outcomes -----------------------------------------------------------------------------------------


def outcome_data(**overrides):
    data = {
        "rating": 5,
        "problem_solved": True,
        "patent_number": "CN202510123456.7",
        "cost_saved": Decimal("180000"),
        "products_improved": "防蓝光树脂镜片",
        "note": "脱膜率降到 0.5%",
    }
    data.update(overrides)
    return data


def test_host_records_outcome_and_it_feeds_the_kpis(cast, sharing):
    evidence = SimpleUploadedFile("专利受理通知书.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    outcome = services.outcome_record(
        actor=cast.talent_officer, agreement=sharing.agreement, data=outcome_data(), evidence=evidence
    )
    assert outcome.evidence.name.endswith(".pdf")
    kpis = selectors.dashboard()["kpis"]
    assert kpis["patents"] == 1 and kpis["cost_saved"] == Decimal("180000.00") and kpis["solved"] == 1
    assert selectors.ratings([cast.expert.pk])[cast.expert.pk] == (Decimal("5.0"), 1)
    assert Notification.objects.filter(recipient=cast.expert_user, kind="sharing_outcome").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating": 6}, "1 到 5 分"),
        ({"rating": 0}, "1 到 5 分"),
        ({"patent_number": "12345"}, "专利申请号格式不正确"),
        ({"cost_saved": Decimal("-1")}, "不能为负数"),
    ],
)
def test_bad_outcomes_are_refused(cast, sharing, overrides, message):
    with pytest.raises(ValidationError, match=message):
        services.outcome_record(
            actor=cast.talent_officer, agreement=sharing.agreement, data=outcome_data(**overrides)
        )


def test_only_the_host_records_outcomes_after_activation(cast, sharing):
    for who in (cast.other_firm_admin, cast.operator, cast.expert_user, cast.member):
        with pytest.raises(PermissionDenied):
            services.outcome_record(actor=who, agreement=sharing.agreement, data=outcome_data())
    from jingxiang.testing.factories import TalentFactory, UserFactory

    pending = make_agreement(
        cast, TalentFactory(home_organisation=cast.other_firm, user=UserFactory(username="t3")), sign=False
    )
    with pytest.raises(ValidationError, match="协议生效"):
        services.outcome_record(actor=cast.talent_officer, agreement=pending.agreement, data=outcome_data())
