"""Routes per role (check_matrix) at every stage, a firm never seeing another firm's application, the
exports, the PDFs with their verification page, and carry-over into the application form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from jingxiang.fund import carryover, services
from jingxiang.fund.carryover import CarriedOver
from jingxiang.fund.models import FundApplication, TalentTier
from jingxiang.fund.tests.conftest import award, draft, pdf
from jingxiang.testing.matrix import ALL_LOGGED_IN, RouteCase, check_matrix

pytestmark = pytest.mark.django_db

OPERATOR = frozenset({"operator"})
FIRM = frozenset({"firm_admin", "talent_officer"})
FIRM_AND_OPERATOR = FIRM | OPERATOR
APPROVED_OR_EXPERT = ALL_LOGGED_IN - {"outsider"}


def test_routes_per_role_on_an_award_with_a_tranche(cast, setup):
    made = award(cast, setup)
    due = timezone.localdate() + dt.timedelta(days=60)
    tranche = services.tranche_add(
        actor=cast.operator, award=made, milestone="样品", amount=Decimal("300000"), due_on=due
    )
    application = made.application
    call = setup.call
    rule = call.rules.first()
    item = application.diligence.first()
    from jingxiang.reviewing.models import Assignment

    assignment = Assignment.objects.get(reviewer__user=cast.expert_user, round__scope="fund.expert")
    expert_round = assignment.round
    cases = [
        RouteCase("calls", "/fund/", APPROVED_OR_EXPERT),
        RouteCase("calls export", "/fund/?export=xlsx", APPROVED_OR_EXPERT),
        RouteCase("call", f"/fund/calls/{call.pk}/", APPROVED_OR_EXPERT),
        RouteCase("new call", "/fund/calls/new/", OPERATOR),
        RouteCase("rule add", f"/fund/calls/{call.pk}/rules/new/", OPERATOR),
        RouteCase("criterion add", f"/fund/calls/{call.pk}/criteria/new/", OPERATOR),
        RouteCase("reviewer add", f"/fund/calls/{call.pk}/reviewers/new/", OPERATOR),
        RouteCase("apply", f"/fund/calls/{call.pk}/apply/", FIRM | {"other_firm_admin"}),
        RouteCase("applications", "/fund/applications/", FIRM_AND_OPERATOR | {"other_firm_admin", "expert"}),
        RouteCase(
            "applications export",
            "/fund/applications/?export=xlsx",
            FIRM_AND_OPERATOR | {"other_firm_admin", "expert"},
        ),
        RouteCase("application", f"/fund/applications/{application.pk}/", FIRM_AND_OPERATOR | {"expert"}),
        RouteCase("decide", f"/fund/applications/{application.pk}/decide/", OPERATOR),
        RouteCase("award make", f"/fund/applications/{application.pk}/award/", OPERATOR),
        RouteCase("appeal", f"/fund/applications/{application.pk}/appeal/", FIRM),
        RouteCase("review sheet", f"/reviewing/assignments/{assignment.pk}/", frozenset({"expert"})),
        RouteCase("review round", f"/reviewing/rounds/{expert_round.pk}/", OPERATOR),
        RouteCase("awards", "/fund/awards/", FIRM_AND_OPERATOR | {"other_firm_admin"}),
        RouteCase("awards export", "/fund/awards/?export=xlsx", FIRM_AND_OPERATOR | {"other_firm_admin"}),
        RouteCase("award", f"/fund/awards/{made.pk}/", FIRM_AND_OPERATOR),
        RouteCase("letter", f"/fund/awards/{made.pk}/letter.pdf", FIRM_AND_OPERATOR),
        RouteCase("agreement", f"/fund/awards/{made.pk}/agreement.pdf", FIRM_AND_OPERATOR),
        RouteCase("tranche add", f"/fund/awards/{made.pk}/tranches/new/", OPERATOR),
        RouteCase("report", f"/fund/awards/{made.pk}/report/", FIRM),
        RouteCase("recover", f"/fund/awards/{made.pk}/recover/", OPERATOR),
        RouteCase("evidence", f"/fund/tranches/{tranche.pk}/evidence/", FIRM),
        RouteCase("funds", "/fund/funds/", OPERATOR),
        RouteCase("fund create", "/fund/funds/new/", OPERATOR),
        RouteCase("fund", f"/fund/funds/{setup.fund.pk}/", OPERATOR),
        RouteCase("fund export", f"/fund/funds/{setup.fund.pk}/?export=xlsx", OPERATOR),
        RouteCase("capital", f"/fund/funds/{setup.fund.pk}/capital/", OPERATOR),
        RouteCase("catalogue", "/fund/catalogue/", OPERATOR),
        RouteCase("tier create", "/fund/catalogue/tiers/new/", OPERATOR),
        RouteCase(
            "tier edit",
            f"/fund/catalogue/tiers/{TalentTier.objects.order_by('pk').values_list('pk', flat=True).first()}/",
            OPERATOR,
        ),
        RouteCase("grade create", "/fund/catalogue/grades/new/", OPERATOR),
        # Buttons (POST): denied personas get 404 before anything runs; allowed ones a redirect
        # (a refusal, such as "wrong status", is a message on the page they came from).
        RouteCase("open", f"/fund/calls/{call.pk}/open/", OPERATOR, method="post", ok_status=(302,)),
        RouteCase(
            "assign", f"/fund/calls/{call.pk}/assign/expert/", OPERATOR, method="post", ok_status=(302,)
        ),
        RouteCase(
            "precheck",
            f"/fund/applications/{application.pk}/precheck/",
            FIRM_AND_OPERATOR,
            method="post",
            ok_status=(302,),
        ),
        RouteCase(
            "submit", f"/fund/applications/{application.pk}/submit/", FIRM, method="post", ok_status=(302,)
        ),
        RouteCase(
            "withdraw",
            f"/fund/applications/{application.pk}/withdraw/",
            FIRM,
            method="post",
            ok_status=(302,),
        ),
        RouteCase(
            "diligence",
            f"/fund/applications/{application.pk}/diligence/",
            OPERATOR,
            method="post",
            ok_status=(302,),
        ),
        RouteCase(
            "review",
            f"/fund/applications/{application.pk}/review/",
            OPERATOR,
            method="post",
            ok_status=(302,),
        ),
        RouteCase(
            "defence",
            f"/fund/applications/{application.pk}/defence/",
            OPERATOR,
            method="post",
            ok_status=(302,),
        ),
        RouteCase(
            "diligence check", f"/fund/diligence/{item.pk}/", OPERATOR, method="post", ok_status=(302,)
        ),
        RouteCase("fail", f"/fund/tranches/{tranche.pk}/fail/", OPERATOR, method="post", ok_status=(302,)),
        RouteCase(
            "evidence review",
            f"/fund/tranches/{tranche.pk}/review/",
            OPERATOR,
            method="post",
            ok_status=(302,),
        ),
        RouteCase(
            "rule archive", f"/fund/rules/{rule.pk}/archive/", OPERATOR, method="post", ok_status=(302,)
        ),
    ]
    assert check_matrix(cast, cases) == []


def test_a_firm_never_sees_another_firms_application(cast, setup):
    services.submit(actor=cast.firm_admin, application=setup.application)
    other = draft(
        cast,
        setup.call,
        organisation=cast.other_firm,
        actor=cast.other_firm_admin,
        project_title="远方镜架项目",
    )
    services.submit(actor=cast.other_firm_admin, application=other)
    client = Client()
    client.force_login(cast.firm_admin)
    page = client.get("/fund/applications/").content.decode()
    assert "智能变色镜片产业化" in page and "远方镜架项目" not in page
    assert client.get(f"/fund/applications/{other.pk}/").status_code == 404
    export = client.get("/fund/applications/?export=xlsx")
    assert export.status_code == 200 and "远方镜架项目".encode() not in export.content
    call_page = client.get(f"/fund/calls/{setup.call.pk}/").content.decode()
    assert "远方镜架项目" not in call_page


def test_precheck_page_lists_every_reason(cast, setup, client):
    bad = services.application_create(
        actor=cast.firm_admin,
        call=setup.call,
        organisation=cast.firm,
        data={
            "project_title": "缺材料",
            "summary": "…",
            "talent_name": "甲",
            "founder_equity": Decimal("10"),
            "requested_amount": Decimal("10000"),
        },
    )
    client.force_login(cast.firm_admin)
    response = client.post(f"/fund/applications/{bad.pk}/precheck/", follow=True)
    page = response.content.decode()
    assert page.count("<li>", page.index('data-testid="precheck"')) >= 6
    assert "创始人持股" in page and "商业计划书" in page
    response = client.post(f"/fund/applications/{bad.pk}/submit/", follow=True)
    assert FundApplication.objects.get(pk=bad.pk).status == "draft"


def test_upload_refusal_is_shown_on_the_form(cast, setup, client):
    client.force_login(cast.firm_admin)
    response = client.post(
        f"/fund/applications/{setup.application.pk}/files/",
        {"kind": "financials", "file": pdf("x.doc", b"DOC")},
    )
    assert response.status_code == 200
    assert "只接受" in response.content.decode()


def test_award_pdfs_carry_a_qr_to_the_public_verification_page(cast, setup, client):
    made = award(cast, setup)
    client.force_login(cast.firm_admin)
    letter = client.get(f"/fund/awards/{made.pk}/letter.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    client.logout()
    page = client.get(f"/verify/fund-award/{made.verify_code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert made.number in text and "800,000.00" in text
    assert "王建国" not in text  # the talent's name is not public


def test_carry_over_prefills_the_form_from_a_registered_source(cast, setup, client):
    def loader(object_id, user):  # type: ignore[no-untyped-def]
        if object_id != 7 or user != cast.firm_admin:
            return None
        return CarriedOver(
            source_label="全国眼镜产业人才创业创新大赛 金奖",
            source_url="/competition/entries/7/",
            organisation_id=cast.firm.pk,
            project_title="AI 验光机器人",
            summary="自动验光与镜片推荐",
            team=(("陈博士", "负责人", Decimal("60")), ("孙工", "工程师", None)),
            tags=("验光", "AI"),
        )

    carryover.register_source("test-competition", loader)
    try:
        client.force_login(cast.firm_admin)
        page = client.get(f"/fund/calls/{setup.call.pk}/apply/?carry=test-competition:7").content.decode()
        assert "AI 验光机器人" in page and "全国眼镜产业人才创业创新大赛 金奖" in page
        assert (
            "AI 验光机器人"
            not in client.get(f"/fund/calls/{setup.call.pk}/apply/?carry=test-competition:8").content.decode()
        )
        assert client.get(f"/fund/calls/{setup.call.pk}/apply/?carry=nope:7").status_code == 200
        form = {
            "organisation": cast.firm.pk,
            "project_title": "AI 验光机器人",
            "summary": "自动验光与镜片推荐",
            "talent_name": "陈博士",
            "founder_equity": "60",
            "requested_amount": "300000",
        }
        response = client.post(f"/fund/calls/{setup.call.pk}/apply/?carry=test-competition:7", form)
        assert response.status_code == 302
        created = FundApplication.objects.get(project_title="AI 验光机器人")
        assert created.carried_from == "全国眼镜产业人才创业创新大赛 金奖"
        assert [(m.name, m.share) for m in created.team.all()] == [("陈博士", Decimal("60")), ("孙工", None)]
        client.force_login(cast.other_firm_admin)
        assert (
            "AI 验光机器人"
            not in client.get(f"/fund/calls/{setup.call.pk}/apply/?carry=test-competition:7").content.decode()
        )
    finally:
        carryover.unregister_source("test-competition")
