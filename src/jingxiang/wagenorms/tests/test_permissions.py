"""Every route as every persona; wages masked, revealed only to the firm's admin and union staff (logged)."""

from __future__ import annotations

import pytest

from jingxiang.core.models import PersonalDataAccess
from jingxiang.testing.matrix import ALL_LOGGED_IN, ANONYMOUS, RouteCase, check_matrix
from jingxiang.wagenorms.models import WageLine
from jingxiang.wagenorms.tests.builders import TWO_VIOLATIONS, effective_agreement, import_file, workbook

pytestmark = pytest.mark.django_db
UNION = frozenset({"union_staff"})
FIRMS = frozenset({"firm_admin", "talent_officer", "other_firm_admin"})
OWN_FIRM = frozenset({"firm_admin", "talent_officer"})


@pytest.fixture
def setup(cast):
    agreement = effective_agreement(cast.union_staff)
    _result, spec = import_file(cast.firm, cast.firm_admin, workbook(TWO_VIOLATIONS))
    cast.agreement = agreement
    cast.report = spec.report
    cast.failed_line = WageLine.objects.filter(report=spec.report, status="failed").first()
    return cast


CASES = [
    RouteCase("home", "/wages/", ALL_LOGGED_IN, ok_status=(302,)),
    RouteCase("agreements", "/wages/agreements/", ALL_LOGGED_IN),
    RouteCase("agreement", lambda c: f"/wages/agreements/{c.agreement.pk}/", ALL_LOGGED_IN),
    RouteCase("agreement_create", "/wages/agreements/new/", UNION),
    RouteCase("round", lambda c: f"/wages/agreements/{c.agreement.pk}/round/", UNION),
    RouteCase("vote", lambda c: f"/wages/agreements/{c.agreement.pk}/vote/", UNION),
    RouteCase("file", lambda c: f"/wages/agreements/{c.agreement.pk}/file/", UNION),
    RouteCase("compare", lambda c: f"/wages/agreements/{c.agreement.pk}/compare/", ALL_LOGGED_IN),
    RouteCase("reports", "/wages/reports/", FIRMS | UNION),
    RouteCase("report", lambda c: f"/wages/reports/{c.report.pk}/", OWN_FIRM | UNION),
    RouteCase("upload", "/wages/reports/upload/", FIRMS),
    RouteCase("template", "/wages/reports/template/", FIRMS | UNION),
    RouteCase("lines", "/wages/lines/", FIRMS | UNION),
    RouteCase("follow_up", lambda c: f"/wages/lines/{c.failed_line.pk}/follow-up/", OWN_FIRM),
    RouteCase("compliance", "/wages/compliance/", UNION),
    RouteCase("statistics", "/wages/statistics/", FIRMS | UNION),
    RouteCase("self_check", "/wages/check/", ALL_LOGGED_IN | {ANONYMOUS}),
    RouteCase("me", "/wages/me/", ALL_LOGGED_IN),
]


def test_role_matrix(setup):
    assert check_matrix(setup, CASES) == []


def test_lines_of_a_firm_are_not_seen_by_another(setup):
    assert not WageLine.objects.visible_to(setup.other_firm_admin).exists()
    assert WageLine.objects.visible_to(setup.talent_officer).count() == 5
    assert not WageLine.objects.visible_to(setup.expert_user).exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("firm_admin", True),
        ("union_staff", True),
        ("talent_officer", False),
        ("other_firm_admin", False),
        ("member", False),
    ],
)
def test_reveal_is_limited_and_logged(setup, client, role, allowed):
    client.force_login(setup.by_role()[role])
    line = setup.failed_line
    response = client.post(
        "/reveal/",
        {"model": "wagenorms.wageline", "pk": line.pk, "field": "total_pay"},
        HTTP_HX_REQUEST="true",
    )
    if allowed:
        assert response.status_code == 200 and f"{line.total_pay:,.2f}" in response.content.decode()
        assert PersonalDataAccess.objects.filter(field_name="total_pay").count() == 1
    else:
        assert response.status_code in (403, 404)
        assert not PersonalDataAccess.objects.exists()


def test_wages_are_masked_on_the_report_page(setup, client):
    client.force_login(setup.firm_admin)
    page = client.get(f"/wages/reports/{setup.report.pk}/").content.decode()
    assert "2,759.99" not in page and "2759.99" not in page and "¥****" in page


def test_junk_filters_are_form_errors(setup, client):
    client.force_login(setup.union_staff)
    for url in (
        "/wages/lines/?month=2026-13",
        "/wages/compliance/?month=abc",
        "/wages/statistics/?month=0000-00",
    ):
        assert client.get(url).status_code in (200, 400), url
    assert client.get("/wages/agreements/1/compare/?a=99&b=x").status_code == 404
