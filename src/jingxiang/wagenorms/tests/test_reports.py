"""Firm wage reports: whole-file validation, the engine's verdicts, certified levels, follow-up, API."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingxiang.wagenorms import selectors, services
from jingxiang.wagenorms.models import LineStatus, WageLine, WageReport
from jingxiang.wagenorms.tests.builders import (
    GOOD,
    TWO_VIOLATIONS,
    effective_agreement,
    import_file,
    workbook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(cast):
    return effective_agreement(cast.union_staff)


def test_two_violations_found_with_reasons_at_the_one_fen_edge(cast, agreement):
    result, spec = import_file(cast.firm, cast.firm_admin, workbook(TWO_VIOLATIONS))
    assert result.ok, result.errors
    report = spec.report
    assert (report.rows, report.failed) == (5, 2)
    lines = {line.worker_id: line for line in WageLine.objects.filter(report=report)}
    assert lines["A001"].status == LineStatus.PASSED  # equal to the norm passes
    assert lines["A003"].norm == Decimal("2600.00")
    a004 = lines["A004"]
    assert a004.status == LineStatus.FAILED and a004.shortfall == Decimal("0.01")
    assert [f["rule"] for f in a004.failures] == ["W-NORM"]
    a005 = lines["A005"]
    assert [f["rule"] for f in a005.failures] == ["W-STAT"]
    assert a005.failures[0]["required"] == "2260.00" and a005.shortfall == Decimal("260.00")
    # Insights counts the same rows: five worker-months checked in March 2026, three of them compliant.
    import datetime as dt

    from jingxiang.insights.selectors import Period, Scope, figures

    march = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 1))
    checked, compliance = figures(["wage_lines_checked", "wage_compliance"], march, Scope())
    months = {line.month for line in lines.values()}
    assert months == {dt.date(2026, 3, 1)}, months
    assert checked.value == 5 and compliance.value == Decimal("60.0")


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["B1", "", "2026-03", "喷漆", "中级工", "3000", "0", "0", "0"], "岗位", "协议中没有这个岗位"),
        (["B1", "", "2026-03", "抛光", "中级工", "3000", "0", "-2", "0"], "工作日加班小时", "不能为负数"),
        (["B1", "", "2029-03", "抛光", "中级工", "3000", "0", "0", "0"], "月份", "不在任何已生效协议"),
        (["B1", "", "三月", "抛光", "中级工", "3000", "0", "0", "0"], "月份", "有效月份"),
        (["B1", "", "2026-03", "抛光", "九级工", "3000", "0", "0", "0"], "认定等级", "等级"),
        (["B1", "", "2026-03", "抛光", "中级工", "abc", "0", "0", "0"], "基本工资", "有效数字"),
        (["B1", "", "2026-03", "抛光", "中级工", "", "0", "0", "0"], "基本工资", ""),
    ],
)
def test_bad_row_refuses_the_whole_file_naming_row_and_rule(cast, agreement, row, column, words):
    result, _spec = import_file(cast.firm, cast.firm_admin, workbook([*GOOD, row]))
    assert not result.ok
    assert any(e.row == 5 and e.column == column and words in e.message for e in result.errors), result.errors
    assert not WageReport.objects.exists() and not WageLine.objects.exists()


def test_every_bad_row_is_listed(cast, agreement):
    rows = [
        ["B1", "", "2026-03", "喷漆", "中级工", "3000", "0", "0", "0"],
        ["B2", "", "2026-03", "抛光", "中级工", "3000", "0", "-1", "0"],
        ["B3", "", "2030-01", "抛光", "中级工", "3000", "0", "0", "0"],
    ]
    result, _spec = import_file(cast.firm, cast.firm_admin, workbook(rows))
    assert sorted({e.row for e in result.errors}) == [2, 3, 4]


def test_missing_required_column(cast, agreement):
    result, _spec = import_file(
        cast.firm, cast.firm_admin, workbook([["A1", "2026-03"]], header=["工号", "月份"])
    )
    assert not result.ok and any("岗位" in e.message for e in result.errors)


def test_certified_level_comes_from_the_academy(cast, agreement, academy):
    from jingxiang.academy.models import Certificate, Enrolment, EnrolmentStatus
    from jingxiang.talents.models import TalentKind
    from jingxiang.testing.factories import TalentFactory, UserFactory

    worker_user = UserFactory(username="worker_w")
    worker = TalentFactory(
        name="陈立新",
        kind=TalentKind.CRAFTSMAN,
        home_organisation=cast.firm,
        user=worker_user,
        mobile="13800001111",
    )
    enrolment = Enrolment.objects.create(
        cohort=academy.cohort, talent=worker, enrolled_by=cast.firm_admin, status=EnrolmentStatus.GRADUATED
    )
    Certificate.objects.create(
        number="C-1",
        year=2026,
        serial=1,
        enrolment=enrolment,
        talent=worker,
        holder_name=worker.name,
        occupation_level=academy.level4,
        skill=academy.level4.occupation.skill,
        skill_level=4,
        issued_by=academy.school_staff,
        verify_code="v1",
    )
    # The firm says 学徒工; the certificate says 中级工 (四级): the norm is 2,760, so 2,700 fails.
    rows = [["W1", "13800001111", "2026-03", "抛光", "学徒工", "2700", "0", "0", "0"]]
    result, spec = import_file(cast.firm, cast.firm_admin, workbook(rows))
    assert result.ok, result.errors
    line = WageLine.objects.get(report=spec.report)
    assert (line.level, line.level_source, line.talent_id) == ("中级工", "certificate", worker.pk)
    assert line.status == LineStatus.FAILED and line.norm == Decimal("2760.00")
    assert list(WageLine.objects.visible_to(worker_user)) == [line]


def test_follow_up_only_by_the_firm_with_a_reason(cast, agreement):
    _result, spec = import_file(cast.firm, cast.firm_admin, workbook(TWO_VIOLATIONS))
    line = WageLine.objects.get(report=spec.report, worker_id="A004")
    with pytest.raises(PermissionDenied):
        services.line_follow_up(actor=cast.other_firm_admin, line=line, status="fixed", explanation="已补发")
    with pytest.raises(ValidationError):
        services.line_follow_up(actor=cast.firm_admin, line=line, status="fixed", explanation=" ")
    done = services.line_follow_up(
        actor=cast.firm_admin, line=line, status="fixed", explanation="4月补发 0.01 元"
    )
    assert done.status == LineStatus.FIXED
    table = {row["key"]: row for row in selectors.compliance(WageLine.objects.all(), "firm")}
    assert table[cast.firm.name]["failed"] == 2 and table[cast.firm.name]["open"] == 1


def test_another_firm_cannot_report_for_the_firm(cast, agreement):
    with pytest.raises(PermissionDenied):
        import_file(cast.firm, cast.other_firm_admin, workbook(GOOD))
    assert not WageLine.objects.exists()


def test_compliance_counts_workers_from_reports(cast, agreement):
    import_file(cast.firm, cast.firm_admin, workbook(TWO_VIOLATIONS))
    later = [[*row[:2], "2026-04", *row[3:]] for row in GOOD]
    import_file(cast.firm, cast.firm_admin, workbook(later))
    import_file(cast.other_firm, cast.other_firm_admin, workbook(GOOD))
    lines = WageLine.objects.all()
    assert (
        selectors.workers_covered(lines) == 5 + 3
    )  # A001–A005 at 康波, A001–A003 at 远方 (ids are per firm)
    by_post = {row["key"]: row for row in selectors.compliance(lines, "post")}
    assert by_post["抛光"]["failed"] == 2 and sum(r["rows"] for r in by_post.values()) == lines.count()
    assert sum(r["workers"] for r in by_post.values()) == 8


def test_statistics_suppress_small_groups_and_give_quartiles(cast, agreement):
    rows = [[f"P{i}", "", "2026-03", "抛光", "中级工", str(2800 + 100 * i), "0", "0", "0"] for i in range(5)]
    rows += [["Q1", "", "2026-03", "验光", "中级工", "3600", "0", "0", "0"]]
    import_file(cast.firm, cast.firm_admin, workbook(rows))
    stats = {(r["post"], r["level"]): r for r in selectors.distribution(WageLine.objects.all())}
    polish = stats[("抛光", "中级工")]
    assert (polish["q1"], polish["median"], polish["q3"]) == (
        Decimal("2900.00"),
        Decimal("3000.00"),
        Decimal("3100.00"),
    )
    assert stats[("验光", "中级工")]["suppressed"] and "median" not in stats[("验光", "中级工")]


def test_api_checks_whole_and_stores_nothing_on_error(cast, agreement, client):
    client.force_login(cast.firm_admin)
    keys = ["worker_id", "mobile", "month", "post", "level", "base_wage"]
    rows = [dict(zip(keys, row[:6], strict=True)) for row in TWO_VIOLATIONS]
    bad = [
        *rows,
        {"worker_id": "X", "month": "2026-03", "post": "喷漆", "level": "中级工", "base_wage": "3000"},
    ]
    response = client.post(
        "/api/v1/wagenorms/lines/",
        json.dumps({"firm": cast.firm.pk, "rows": bad}),
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["row"] == 6
    assert not WageLine.objects.exists()
    response = client.post(
        "/api/v1/wagenorms/lines/",
        json.dumps({"firm": cast.firm.pk, "rows": rows}),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["failed"] == 2
    listed = client.get("/api/v1/wagenorms/lines/").json()
    assert "total_pay" not in json.dumps(listed)
    client.force_login(cast.other_firm_admin)
    response = client.post(
        "/api/v1/wagenorms/lines/",
        json.dumps({"firm": cast.firm.pk, "rows": rows}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.get("/api/v1/wagenorms/lines/").json()["count"] == 0


def test_upload_runs_as_a_background_job(cast, agreement, client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jingxiang.jobs.models import Job

    client.force_login(cast.firm_admin)
    upload = SimpleUploadedFile("wages.xlsx", workbook(TWO_VIOLATIONS))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/wages/reports/upload/", {"firm": cast.firm.pk, "file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "succeeded" and job.progress == 100
    report = WageReport.objects.get()
    assert job.result_url == f"/wages/reports/{report.pk}/"
    page = client.get(job.result_url).content.decode()
    assert "W-NORM" in page and "W-STAT" in page and "2759.99" not in page  # wages masked


def test_a_refused_upload_lists_the_rows(cast, agreement, client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jingxiang.jobs.models import Job

    client.force_login(cast.firm_admin)
    bad = [*GOOD, ["B1", "", "2026-03", "喷漆", "中级工", "3000", "0", "0", "0"]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/wages/reports/upload/",
            {"firm": cast.firm.pk, "file": SimpleUploadedFile("w.xlsx", workbook(bad))},
        )
    job = Job.objects.get()
    assert job.status == "failed" and job.result["errors"][0]["row"] == 5
    assert "协议中没有这个岗位" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert not WageLine.objects.exists()
