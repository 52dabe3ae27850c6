"""Demo content of the demand board: 康波's needs in every state (one waiting for screening with a flagged
near-duplicate, one returned for edits, one in talks with the independent coating expert 周敏华 invited
and 东华大学检测实验室's proposal waiting, one closed with a rated outcome), another firm's alliance-only
need, and a 揭榜挂帅 challenge in review with scored applications.

Every step goes through the real services, so the rules hold; deterministic for a given cluster, dates
follow today. No ranking is computed here (the warm index builds lazily on first use).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jingxiang.demands import services
from jingxiang.demands.models import Demand


def _post(actor: Any, organisation: Any, **data: Any) -> Demand:
    data.setdefault("visibility", "public")
    data.setdefault("region", "杜桥镇")
    return services.demand_create(actor=actor, organisation=organisation, data=data)


def _published(actor: Any, organisation: Any, operator: Any, **data: Any) -> Demand:
    demand = _post(actor, organisation, **data)
    services.demand_submit(actor=actor, demand=demand)
    return services.demand_publish(actor=operator, demand=demand)


def load(context: Any) -> None:
    from jingxiang.organisations.models import Membership

    users = context.users
    firm_admin, officer, operator = users["firm_admin"], users["talent_officer"], users["operator"]
    expert_user, lab_staff = users["expert"], users["lab_staff"]
    kangbo = context.organisations["kangbo"]
    lab = context.organisations["donghua_lab"]
    expert = expert_user.talent
    today = timezone.localdate()

    # In talks: the owner's words, two suppliers invited, the lab has proposed, the expert has not answered.
    coating = _published(
        officer,
        kangbo,
        operator,
        title="镜片戴一段时间膜层起皱脱落",
        category="testing",
        description="我们的1.60树脂加硬减反射镜片,客户戴两三个月后膜层起皱、局部脱落,返单率明显上升。"
        "想找专家或检测机构分析原因(是加硬液、前处理还是镀膜工艺),并给出改进方案。",
        budget=Decimal("50000"),
        deadline=today + dt.timedelta(days=60),
        hours_needed=24,
    )
    services.invitation_create(
        actor=officer,
        demand=coating,
        supplier_key=f"T-{expert.pk}",
        message="周老师您好,想请您来厂里看看镀膜线。",
    )
    services.invitation_create(actor=officer, demand=coating, supplier_key=f"O-{lab.pk}")
    services.proposal_submit(
        actor=lab_staff,
        demand=coating,
        supplier_key=f"O-{lab.pk}",
        summary="先按 GB 10810.4 做膜层附着力(百格)和耐磨测试,对三个批次留样做失效分析,一周内出报告,"
        "定位问题工序后再与企业工艺人员一起调整。",
        price=Decimal("12000"),
        hours=20,
    )

    # Waiting for screening, and a near-duplicate the platform flags.
    _submitted = _post(
        firm_admin,
        kangbo,
        title="板材架抛光后有白雾",
        category="research",
        description="板材架滚筒抛光后表面发白起雾,布轮抛光也去不掉,返工率高,想找懂抛光工艺的师傅或专家指导。",
        budget=Decimal("20000"),
        hours_needed=16,
    )
    services.demand_submit(actor=firm_admin, demand=_submitted)
    duplicate = _post(
        officer,
        kangbo,
        title="板材架抛光后表面有白雾",
        category="research",
        description="板材架滚筒抛光后表面发白起雾,布轮抛光也去不掉,返工率高,想请抛光工艺专家来厂指导。",
    )
    services.demand_submit(actor=officer, demand=duplicate)

    # Returned for edits with the operator's reason.
    hiring = _post(
        officer,
        kangbo,
        title="招聘车房技术员",
        category="recruitment",
        description="招聘两名车房技术员,会操作数控车房设备,有定制片加工经验优先。",
    )
    services.demand_submit(actor=officer, demand=hiring)
    services.demand_return(
        actor=operator, demand=hiring, reason="请补充薪资范围和是否提供住宿,便于高校和驿站推荐。"
    )

    # Closed with an outcome: the expert solved a plating problem and was rated (which the engine learns from).
    plating = _published(
        firm_admin,
        kangbo,
        operator,
        title="镜片减反射膜颜色不均匀",
        category="research",
        description="同一批AR膜镜片反光颜色深浅不一,有的偏绿有的偏紫,客户投诉阴阳色。",
        budget=Decimal("30000"),
        hours_needed=12,
    )
    proposal = services.proposal_submit(
        actor=expert_user,
        demand=plating,
        supplier_key=f"T-{expert.pk}",
        summary="检查镀膜机膜厚监控和伞架转速,校准晶控后做三炉对比试验,两周内稳定膜色。",
        price=Decimal("9000"),
        hours=12,
    )
    services.proposal_decide(actor=firm_admin, proposal=proposal, accept=True)
    services.demand_close(
        actor=firm_admin,
        demand=plating,
        solved=True,
        notes="校准晶控并调整转速后膜色一致,客诉下降九成。",
        rating=5,
    )

    # Matched, the outcome still to be recorded.
    ripples = _published(
        officer,
        kangbo,
        operator,
        title="镜片加硬后出现水波纹",
        category="research",
        description="浸涂加硬后部分镜片表面出现水波纹,提拉速度调过也没改善,想请加硬工艺专家来厂诊断。",
        budget=Decimal("15000"),
        hours_needed=8,
    )
    ripple_proposal = services.proposal_submit(
        actor=expert_user,
        demand=ripples,
        supplier_key=f"T-{expert.pk}",
        summary="到厂查看浸涂槽温度和加硬液黏度,调整提拉曲线与预固化温度,一周见效。",
        price=Decimal("6000"),
        hours=8,
    )
    services.proposal_decide(actor=officer, proposal=ripple_proposal, accept=True)

    # Another firm's alliance-only need.
    membership = Membership.objects.filter(user=users["member"]).select_related("organisation").first()
    if membership is not None:
        other_admin = (
            Membership.objects.filter(organisation=membership.organisation, role="org_admin")
            .select_related("user")
            .first()
        )
        if other_admin is not None:
            _published(
                other_admin.user,
                membership.organisation,
                operator,
                title="钛架激光焊点容易断",
                category="research",
                description="纯钛镜架鼻梁激光焊接点使用半年左右断裂,想找焊接工艺专家优化参数。",
                visibility="alliance",
                budget=Decimal("40000"),
                hours_needed=30,
            )

    # A 揭榜挂帅 challenge in review: two teams applied, the secretariat scored them.
    design = _published(
        firm_admin,
        kangbo,
        operator,
        title="近视防控离焦镜片光学设计攻关",
        category="research",
        description="计划开发儿童近视防控离焦镜片,需要周边离焦微结构光学设计、模具加工和临床验证方案。",
        budget=Decimal("200000"),
        hours_needed=300,
    )
    challenge = services.challenge_create(
        actor=operator,
        demand=design,
        title="近视防控离焦镜片光学设计攻关",
        award_amount=Decimal("200000"),
        deadline=today + dt.timedelta(days=45),
        ip_terms="设计成果知识产权归发榜企业所有,揭榜方保留论文署名权;背景知识产权归各自所有。",
        deliverables="离焦微结构光学设计方案、模具加工图纸、三批次样片检测报告。",
    )
    team = (
        (
            lab_staff,
            f"O-{lab.pk}",
            "东华大学检测实验室:光学检测组三人",
            "负责样片光学参数与离焦量检测,建立检测方法并出具报告。",
        ),
        (
            expert_user,
            f"T-{expert.pk}",
            "周敏华及两名工艺工程师",
            "负责微结构膜层与加硬兼容性验证,提供量产工艺窗口。",
        ),
    )
    applications = [
        services.challenge_apply(
            actor=actor,
            challenge=challenge,
            supplier_key=key,
            team=members,
            proposal=f"{plan}分三阶段实施:方案设计、样片试制、批量验证,每阶段提交报告供企业验收。",
        )
        for actor, key, members, plan in team
    ]
    reviewer = users.get("secretariat") or users["union_staff"]
    services.challenge_reviewer_invite(actor=operator, challenge=challenge, user=reviewer)
    services.challenge_start_review(actor=operator, challenge=challenge)
    criteria = list(challenge.criteria.all())
    for application, marks in zip(applications, ((8, 9, 7, 8), (9, 7, 8, 7)), strict=True):
        services.challenge_score(
            actor=reviewer,
            application=application,
            scores={criterion.pk: mark for criterion, mark in zip(criteria, marks, strict=True)},
        )
