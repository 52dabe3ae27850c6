"""Demo content: the 台州眼镜产业创新联盟 founded at the launch event with 10 member units on five
domains, its work plan with outputs linked to the other apps' demo records, the five strategic
agreements signed that day with their obligations, and the union's three 产改联盟.

Everything goes through the services as the secretariat (the ``secretariat`` login) would do it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jingxiang.alliance import services
from jingxiang.alliance.models import AllianceKind
from jingxiang.alliance.outputs import LINK_KINDS

#: (organisation key, role, domains it works in) — the ten founding units.
MEMBERS = (
    ("zj_optical_society", "chair", ("rd", "testing")),
    ("wmu_eye_hospital", "vice_chair", ("rd", "training")),
    ("donghua_lab", "vice_chair", ("testing",)),
    ("kangbo", "member", ("rd", "brand")),
    ("yingchang", "member", ("rd", "market")),
    ("daguangming", "member", ("training", "market")),
    ("yani", "member", ("brand", "market")),
    ("zju", "member", ("rd",)),
    ("craftsman_academy", "member", ("training",)),
    ("changjiang_service", "member", ("brand", "market")),
)
LEADS = {
    "rd": "kangbo",
    "training": "craftsman_academy",
    "testing": "donghua_lab",
    "brand": "changjiang_service",
    "market": "yani",
}
#: (domain, owner, title, month due, expected output, status, output kind to link)
TASKS = (
    ("rd", "kangbo", "高原护目镜防雾镀膜攻关", 9, "镀膜工艺通过高原检测", "in_progress", "lab_report"),
    ("rd", "zju", "AI 儿童眼镜验配算法联合研发", 11, "算法样机与专利申请", "planned", "patent"),
    (
        "training",
        "craftsman_academy",
        "眼镜定配工技能提升培训",
        6,
        "完成两期培训并认定等级",
        "done",
        "cohort",
    ),
    ("training", "wmu_eye_hospital", "视光师订单培养", 10, "定向培养 30 名视光师", "in_progress", None),
    ("testing", "donghua_lab", "太阳镜与护目镜质量抽检", 8, "出具抽检报告", "in_progress", "lab_report"),
    (
        "brand",
        "changjiang_service",
        "“杜桥眼镜”区域品牌授权推广",
        7,
        "新增授权产品线 10 条",
        "in_progress",
        "brand",
    ),
    ("brand", "yani", "上海国际眼镜展杜桥专区", 3, "组织 20 家企业参展", "planned", None),
    ("market", "yingchang", "镜片企业技术需求对接", 5, "解决需求 5 项", "in_progress", "demand"),
)
AGREEMENTS = (
    (
        "浙江省光学学会临海服务站共建协议",
        ("zj_optical_society", "jingxiang_platform"),
        "共建光学学会临海服务站,为企业对接光学专家。",
        (
            ("zj_optical_society", "每季度组织专家服务企业", 4, "次", 90),
            ("jingxiang_platform", "提供服务站场地", None, "", 30),
        ),
    ),
    (
        "眼视光人才订单培养合作协议",
        ("wmu_eye_hospital", "daguangming", "craftsman_academy"),
        "定向培养视光与定配人才。",
        (
            ("wmu_eye_hospital", "定向培养视光师", 30, "人", 300),
            ("daguangming", "录用结业学员", 20, "人", 330),
        ),
    ),
    (
        "眼镜产品质量联合检测协议",
        ("donghua_lab", "kangbo", "yingchang"),
        "联合开展光学镜架、镜片与护目镜检测。",
        (("donghua_lab", "出具年度质量分析报告", None, "", -10), ("kangbo", "送检样品", 20, "批", 10)),
    ),
    (
        "“杜桥眼镜”区域公共品牌推广协议",
        ("changjiang_service", "yani", "linhai_association"),
        "区域公共品牌策划与电商推广。",
        (
            ("changjiang_service", "完成品牌推广方案", None, "", 60),
            ("yani", "授权产品上线电商平台", 5, "款", 120),
        ),
    ),
    (
        "AI 儿童眼镜产学研合作协议",
        ("zju", "yingchang"),
        "AI 儿童眼镜关键技术联合攻关。",
        (("zju", "提交联合专利申请", 2, "项", 200), ("yingchang", "提供中试产线", None, "", 150)),
    ),
)


def _link_first(actor: Any, task: Any, kind: str, taken: set[tuple[str, int]]) -> None:
    for record in LINK_KINDS[kind].candidates(actor).order_by("pk")[:20]:
        if (kind, record.pk) in taken:
            continue
        services.output_link(actor=actor, task=task, kind=kind, object_id=record.pk)
        taken.add((kind, record.pk))
        return


def load(context: Any) -> None:
    orgs = context.organisations
    secretariat = context.users.get("secretariat")
    if secretariat is None or "alliance_secretariat" not in orgs:
        return
    today = timezone.localdate()
    founded = today - dt.timedelta(days=120)
    alliance = services.alliance_create(
        actor=secretariat,
        secretariat=orgs["alliance_secretariat"],
        data={
            "name": "台州眼镜产业创新联盟",
            "short_name": "创新联盟",
            "kind": AllianceKind.INNOVATION,
            "founded_on": founded,
            "description": "在眼镜产业科技创新和产业创新深度融合推进会上成立,10 家成员单位协同攻坚技术研发、"
            "技能培训、质量检测、品牌升级、市场拓展五大领域。",
            "charter": "第一条 本联盟由台州眼镜产业链上下游企业、高校院所、检测机构和服务机构自愿组成。\n"
            "第二条 联盟设秘书处,负责日常工作、年度计划和成果统计。",
            "is_public": True,
        },
    )
    domains = {d.code: d for d in alliance.domains.all()}
    members = {}
    for key, role, codes in MEMBERS:
        if key not in orgs:
            continue
        members[key] = services.member_add(
            actor=secretariat,
            alliance=alliance,
            organisation=orgs[key],
            data={
                "role": role,
                "joined_on": founded,
                "contact_name": orgs[key].contact_name,
                "contact_mobile": orgs[key].contact_mobile,
            },
            domains=[domains[c] for c in codes],
        )
    for code, lead in LEADS.items():
        if lead in members:
            group = [m for m in members.values() if domains[code] in m.domains.all()]
            services.domain_save(
                actor=secretariat,
                alliance=alliance,
                data={"name": domains[code].name, "lead": members[lead], "order": domains[code].order},
                members=group,
                domain=domains[code],
            )
    taken: set[tuple[str, int]] = set()
    year = today.year
    for code, owner, title, month, expected, status, kind in TASKS:
        if owner not in members:
            continue
        task = services.task_create(
            actor=secretariat,
            domain=domains[code],
            year=year,
            data={
                "title": title,
                "owner": members[owner],
                "due_on": dt.date(year, month, 28),
                "expected_output": expected,
            },
        )
        if status != "planned":
            services.task_progress(actor=secretariat, task=task, status=status, note="按计划推进。")
        if kind:
            _link_first(secretariat, task, kind, taken)
    for title, parties, scope, obligations in AGREEMENTS:
        if not all(p in orgs for p in parties):
            continue
        agreement = services.agreement_create(
            actor=secretariat,
            alliance=alliance,
            data={
                "title": title,
                "scope": scope,
                "signed_on": founded,
                "term_start": founded,
                "term_end": founded + dt.timedelta(days=3 * 365),
            },
            organisations=[orgs[p] for p in parties],
        )
        by_org = {p.organisation_id: p for p in agreement.parties.all()}
        for party, description, target, unit, days in obligations:
            services.obligation_add(
                actor=secretariat,
                agreement=agreement,
                data={
                    "party": by_org[orgs[party].pk],
                    "description": description,
                    "target": target,
                    "unit": unit,
                    "due_on": today + dt.timedelta(days=days),
                },
            )
    _reform_alliances(context)


def _reform_alliances(context: Any) -> None:
    """The union's three industry-chain 产改联盟, each run by the union with a few firms."""
    from jingxiang.organisations.models import OrganisationKind

    union = context.organisations.get("linhai_union")
    operator = context.users.get("operator")
    if union is None or operator is None:
        return
    reform = [o for o in context.organisations.values() if "产改联盟" in o.name][:3]
    firms = [o for o in context.organisations.values() if o.kind == OrganisationKind.FIRM][:9]
    founded = timezone.localdate() - dt.timedelta(days=400)
    for index, organisation in enumerate(reform):
        alliance = services.alliance_create(
            actor=operator,
            secretariat=union,
            standard_domains=False,
            data={
                "name": organisation.name,
                "short_name": organisation.short_name,
                "kind": AllianceKind.REFORM,
                "founded_on": founded,
                "description": "临海市总工会“三链融合”组织链上的产业链产改联盟。",
                "is_public": True,
            },
        )
        for firm in [organisation, *firms[index * 3 : index * 3 + 3]]:
            services.member_add(
                actor=operator,
                alliance=alliance,
                organisation=firm,
                data={"role": "member", "joined_on": founded},
            )
