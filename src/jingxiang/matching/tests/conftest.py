"""Shared fixtures: the knowledge base and jieba are loaded once per test session (about a second)."""

from __future__ import annotations

import pytest

from jingxiang.matching.analysis import Analyzer
from jingxiang.matching.knowledge import KnowledgeBase, load_knowledge
from jingxiang.matching.model import Supplier


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def analyzer(knowledge: KnowledgeBase) -> Analyzer:
    return Analyzer(knowledge)


def make_supplier(supplier_id: str, **fields) -> Supplier:
    defaults = {"kind": "expert", "name": f"专家{supplier_id}", "hours_per_month": 20.0, "region": "临海"}
    defaults.update(fields)
    if "skills" in defaults:
        defaults["skills"] = tuple(defaults["skills"])
    return Supplier(id=supplier_id, **defaults)


# A small but varied cluster: each supplier is the right answer for some test, or a trap for another.
SUPPLIERS: tuple[Supplier, ...] = (
    make_supplier(
        "lens-coat", skills=["膜层附着力", "加硬工艺"], description="树脂镜片真空镀膜二十年，解决膜裂、脱膜"
    ),
    make_supplier(
        "ar-expert", skills=["减反射膜"], description="AR膜膜系设计，镜片反光颜色调校", region="上海"
    ),
    make_supplier(
        "frame-plater",
        kind="craftsman",
        skills=["镜架电镀"],
        description="眼镜金属架电镀，无镍电镀，解决起泡掉色",
    ),
    make_supplier(
        "hardware-plater",
        kind="enterprise_team",
        skills=["电镀"],
        description="五金卫浴水龙头电镀加工，锁具紧固件镀锌镀铬",
        region="台州",
    ),
    make_supplier(
        "food-lab",
        kind="testing_lab",
        skills=["检测"],
        description="食品农残检测，乳制品微生物检验，光学仪器齐全",
        region="杭州",
    ),
    make_supplier(
        "camera-optics",
        kind="university_lab",
        skills=["光学设计"],
        description="手机镜头模组与安防监控镜头光学设计",
        region="杭州",
    ),
    make_supplier(
        "polisher",
        kind="craftsman",
        skills=["板材架", "镜架抛光"],
        description="板材架抛光三十年，滚筒布轮都精通",
    ),
    make_supplier(
        "acetate-busy",
        kind="craftsman",
        skills=["板材架", "镜架抛光"],
        description="板材架抛光老师傅",
        hours_per_month=0,
    ),
    make_supplier(
        "mes-agency",
        kind="service_agency",
        skills=["MES", "ERP"],
        description="为眼镜厂实施生产管理系统，扫码报工",
    ),
    make_supplier(
        "sunglass-lab",
        kind="testing_lab",
        skills=["太阳镜检测"],
        description="太阳镜透射比、紫外、偏光检测，CNAS认可",
    ),
    make_supplier(
        "ti-welder", kind="craftsman", skills=["钛焊接"], description="钛架激光焊接，焊点牢固不发黑"
    ),
    make_supplier(
        "ip-agency",
        kind="service_agency",
        skills=["外观专利", "维权"],
        description="眼镜款式外观专利申请和仿冒维权",
    ),
)
