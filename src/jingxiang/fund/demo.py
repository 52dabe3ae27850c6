"""Demo content: 临海市人才科创基金 with a call open for applications and applications at every stage — a
draft that fails the pre-check, one submitted, one in expert review (the demo expert 周敏华 has a sheet
to score), and 康波's project awarded with its first tranche released on approved evidence.

Everything goes through the services; the review block's assignment job is computed in place (the demo
has no worker running while it loads).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingxiang.core.demo import DEMO_PASSWORD
from jingxiang.fund import review, services
from jingxiang.fund.catalogue import seed
from jingxiang.fund.models import EliteGrade, FundApplication, Stage, TalentTier
from jingxiang.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _assign(operator: Any, round: Any) -> None:
    from jingxiang.reviewing.models import AssignmentRun
    from jingxiang.reviewing.services import assignment_compute

    run = AssignmentRun.objects.create(round=round, created_by=operator)
    assignment_compute(run_id=run.pk)


def _score(round: Any, values: dict[int, Decimal], only: set[int] | None = None) -> None:
    from jingxiang.reviewing import services as review_services
    from jingxiang.reviewing.models import Assignment

    for assignment in Assignment.objects.filter(round=round, withdrawn=False).select_related(
        "reviewer__user", "submission"
    ):
        if only is not None and assignment.submission.object_id not in only:
            continue
        base = values.get(assignment.submission.object_id, Decimal("7"))
        sheet = {
            c.pk: min(base + Decimal(i % 2), round.scale_max) for i, c in enumerate(round.criteria.all())
        }
        review_services.scores_submit(actor=assignment.reviewer.user, assignment=assignment, values=sheet)


def _firm_admin(firm: Organisation, username: str, name: str, mobile: str) -> Any:
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"display_name": name, "mobile": mobile}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    Membership.objects.get_or_create(user=user, organisation=firm, defaults={"role": Role.ORG_ADMIN})
    return user


def load(context: Any) -> None:
    # The catalogue comes with the data migration; seeding again is a no-op then, and fills it when a
    # test run has flushed the tables before loading the demo.
    seed(TalentTier, EliteGrade)
    operator = context.users["operator"]
    firm_admin = context.users["firm_admin"]
    expert = context.users["expert"]
    kangbo = Membership.objects.select_related("organisation").get(user=firm_admin).organisation
    manager = Membership.objects.select_related("organisation").filter(user=operator).get().organisation
    firms = list(
        Organisation.objects.filter(kind=OrganisationKind.FIRM, status=OrganisationStatus.APPROVED)
        .exclude(pk=kangbo.pk)
        .order_by("pk")[:3]
    )
    experts_org = Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY).order_by("pk").first()
    lab = Organisation.objects.filter(kind=OrganisationKind.TESTING_LAB).order_by("pk").first()
    today = timezone.localdate()

    fund = services.fund_create(
        actor=operator,
        data={"name": "临海市人才科创基金", "manager": manager, "capital": Decimal("50000000")},
    )
    call = services.call_create(
        actor=operator,
        fund=fund,
        data={
            "title": "2026 年度临海市人才科创基金(眼镜产业专项)",
            "description": "支持在杜桥镇创办眼镜产业科技型企业的高层次人才项目。资助分无偿资助和股权投资两种,"
            "按里程碑分期拨付。",
            "opens_on": today,
            "closes_on": today + dt.timedelta(days=45),
            "appeal_days": 7,
            "reviewers_per_application": 2,
            "exit_premium_team_share": Decimal("70"),
            "review_days": 30,
            "scale_max": Decimal("10"),
        },
    )
    services.rule_add(
        actor=operator, call=call, kind="tiers", value="top,leading,high_end,senior", valid_from=today
    )
    services.rule_add(actor=operator, call=call, kind="elite", value="A,B,C", valid_from=today)
    services.call_open(actor=operator, call=call)

    reviewer_b, _created = get_user_model().objects.get_or_create(
        username="fund_reviewer", defaults={"display_name": "沈立群", "mobile": "19957600418"}
    )
    reviewer_b.set_password(DEMO_PASSWORD)
    reviewer_b.save()
    services.reviewer_add(
        actor=operator,
        call=call,
        data={"user": expert, "organisation": experts_org, "expertise": "镀膜,镜片"},
    )
    services.reviewer_add(
        actor=operator, call=call, data={"user": reviewer_b, "organisation": lab, "expertise": "检测,镜架"}
    )
    context.logins.append(("fund_reviewer", "reviewer", f"沈立群 {lab.name if lab else ''}(基金评审专家)"))
    # Two more experts from other organisations, so that conflicts the platform knows of (memberships,
    # sharing engagements) still leave every project two experts from different organisations.
    others = Organisation.objects.filter(
        kind__in=(OrganisationKind.ASSOCIATION, OrganisationKind.UNION)
    ).exclude(pk__in=[o.pk for o in (experts_org, lab) if o is not None])
    for i, (org, name) in enumerate(zip(others.order_by("pk")[:2], ("邵文博", "钟雅琴"), strict=False)):
        extra, _created = get_user_model().objects.get_or_create(
            username=f"fund_reviewer{i + 2}", defaults={"display_name": name, "mobile": f"1995760060{i}"}
        )
        services.reviewer_add(
            actor=operator, call=call, data={"user": extra, "organisation": org, "expertise": "镜片"}
        )

    leading = TalentTier.objects.get(code="leading")
    high_end = TalentTier.objects.get(code="high_end")
    grade_b, grade_c = EliteGrade.objects.get(code="B"), EliteGrade.objects.get(code="C")

    def application(actor: Any, firm: Organisation, **data: Any) -> FundApplication:
        base = {
            "summary": "面向杜桥眼镜产业的科技成果产业化项目。",
            "tags": "镜片",
            "founder_equity": Decimal("51"),
            "registered_town": "杜桥镇",
            "registration_date": today - dt.timedelta(days=200),
            "ip_summary": "发明专利 1 项,实用新型 3 项。",
            "revenue_last_year": Decimal("2600000"),
            "employees": 18,
            **data,
        }
        app = services.application_create(
            actor=actor,
            call=call,
            organisation=firm,
            data=base,
            team=[
                (base["talent_name"], "创始人", base["founder_equity"]),
                ("陈思琪", "研发工程师", Decimal("5")),
            ],
        )
        services.attachment_add(
            actor=actor, application=app, kind="business_plan", upload=_pdf("商业计划书.pdf")
        )
        return app

    own = application(
        firm_admin,
        kangbo,
        project_title="光致变色树脂镜片量产工艺",
        talent_name="林晓峰",
        talent_tier=leading,
        elite_grade=grade_b,
        requested_amount=Decimal("800000"),
    )
    admins = [
        _firm_admin(firm, f"fund_firm{i}", name, f"1995760050{i}")
        for i, (firm, name) in enumerate(zip(firms, ("黄志远", "许若彤", "蒋一鸣"), strict=False))
    ]
    in_review = application(
        admins[0],
        firms[0],
        project_title="钛合金镜架激光焊接自动化",
        tags="镜架",
        talent_name="黄志远",
        talent_tier=high_end,
        elite_grade=grade_c,
        requested_amount=Decimal("300000"),
    )
    submitted = application(
        admins[1],
        firms[1],
        project_title="眼镜电商数字化设计平台",
        tags="设计",
        talent_name="许若彤",
        talent_tier=high_end,
        elite_grade=grade_c,
        requested_amount=Decimal("300000"),
    )
    application(  # a draft that fails the pre-check: founder equity, town, and the grade's ceiling
        admins[2],
        firms[2],
        project_title="太阳镜偏光膜国产替代",
        talent_name="蒋一鸣",
        talent_tier=high_end,
        elite_grade=grade_c,
        founder_equity=Decimal("20"),
        registered_town="椒江区",
        requested_amount=Decimal("500000"),
    )

    for app, actor in ((own, firm_admin), (in_review, admins[0]), (submitted, admins[1])):
        services.submit(actor=actor, application=app)
    for app in (own, in_review):
        services.diligence_start(actor=operator, application=app)
        for item in app.diligence.all():
            services.diligence_check(actor=operator, item=item, done=True, finding="已核实")
        services.review_start(actor=operator, application=app)
    expert_round = review.stage_round(call, Stage.EXPERT)
    _assign(operator, expert_round)
    _score(expert_round, {own.pk: Decimal("8")}, only={own.pk})  # 黄志远's project still waits for sheets
    services.defence_start(actor=operator, application=own)
    defence = review.stage_round(call, Stage.DEFENCE)
    _assign(operator, defence)
    _score(defence, {own.pk: Decimal("8")})
    services.decide(
        actor=operator,
        application=own,
        approve=True,
        reasons="技术路线清晰,已有中试样品,团队在杜桥注册经营,专家评审和路演答辩均排名第一。",
    )
    award = services.award_make(
        actor=operator,
        application=own,
        data={
            "kind": "equity",
            "amount": Decimal("800000"),
            "stake": Decimal("8"),
            "terms": "董事会观察员一名。",
        },
    )
    first = services.tranche_add(
        actor=operator,
        award=award,
        milestone="完成中试线建设并通过国家眼镜玻璃搪瓷制品质检中心检测",
        amount=Decimal("300000"),
        due_on=today + dt.timedelta(days=1),
    )
    services.tranche_add(
        actor=operator,
        award=award,
        milestone="量产 50 万副并实现销售收入 500 万元",
        amount=Decimal("500000"),
        due_on=today + dt.timedelta(days=365),
    )
    services.evidence_submit(
        actor=firm_admin, tranche=first, upload=_pdf("检测报告.pdf"), note="中试线已投产,检测报告见附件。"
    )
    services.evidence_review(actor=operator, tranche=first, approve=True, note="检测报告合格")
    context.notes.append(
        "人才科创基金:/fund/ — 运营 operator 管理申报、评审与拨付;企业 firm_admin 查看已签约项目和第一期拨付;"
        "专家 expert(周敏华)在「我的评审」有待评分的项目;fund_firm2 的草稿资格预审不通过。"
    )
