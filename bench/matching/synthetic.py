"""Deterministic generator of synthetic suppliers and demands for the speed benchmark.

Profiles are assembled from the taxonomy (names and aliases), realistic phrase fragments and a share
of other-industry profiles, so that posting lists have the skew of real text (a few very common words,
a long tail).  Same seed, same data: the benchmark is reproducible.

    .venv/bin/python bench/matching/synthetic.py --suppliers 1000 --demands 100 --out bench/matching/out
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from jingxiang.matching.model import SUPPLIER_KINDS, Demand, Supplier
from jingxiang.taxonomy import load_taxonomy

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国华明伟芳娜敏静丽强磊军洋勇艳杰娟涛超秀英霞平刚桂兰志红海燕玲波宇浩鹏飞斌辉晨阳琳雪峰亮"
REGIONS = [
    "杜桥",
    "临海",
    "椒江",
    "黄岩",
    "路桥",
    "温岭",
    "台州",
    "杭州",
    "宁波",
    "温州",
    "上海",
    "苏州",
    "丹阳",
    "厦门",
    "深圳",
    "远程",
]
ORG_SUFFIX = [
    "眼镜有限公司",
    "光学科技有限公司",
    "镜片厂",
    "镜架厂",
    "检测技术有限公司",
    "大学",
    "研究院",
    "服务中心",
    "咨询有限公司",
]
TITLES = [
    "高级工程师",
    "技师",
    "教授",
    "副教授",
    "工程师",
    "技术总监",
    "车间主任",
    "老师傅",
    "顾问",
    "实验室主任",
]
PROSE = [
    "从事{a}工作{n}年，擅长{b}和{c}",
    "长期为杜桥眼镜企业提供{a}服务，熟悉{b}，可协助解决{c}相关问题",
    "主持过多项{a}课题，在{b}、{c}方面有丰富经验",
    "{a}方向带头人，负责{b}工艺改进与{c}",
    "可提供{a}、{b}咨询和现场指导，也做{c}培训",
]
OFF_DOMAIN = [
    "食品农残与微生物检测，乳制品、饮料质量检验",
    "手机镜头模组与安防监控镜头光学设计",
    "五金卫浴水龙头电镀加工，锁具紧固件镀锌",
    "汽车零部件焊接与涂装工艺",
    "纺织面料印染与色牢度检测",
]
DEMAND_PROBLEMS = [
    "镜片戴一段时间膜层起皱脱落",
    "板材架抛光后有白雾，抛不亮",
    "金属架镜腿掉色发黑，电镀层起泡",
    "客人戴了耳朵后面皮肤发红发痒",
    "钛架焊点老断，焊的地方发黑",
    "老花镜光学中心距离不对，度数偏",
    "墨镜紫外线不达标被退货",
    "毛坯片放一段时间就发黄",
    "浇出来的片子有气泡和条纹",
    "订单一多车间就乱，交期老拖",
    "网店没流量，直播没人看",
    "新款刚上市就被抄",
    "想做外贸接国外订单",
    "欧洲客户要CE认证",
    "TR90镜框一掰就断",
    "镜腿松，螺丝老掉",
    "镀完膜反光颜色不一样",
    "镜片擦两下就花了",
    "想做近视防控镜片",
    "老师傅要退休，新人不会",
]
DEMAND_CONTEXT = ["我们是杜桥的小厂，", "厂里二十几个人，", "", "急！", "客户投诉很多，", "做了十几年眼镜，"]
DEMAND_TAIL = [
    "想找专家看看。",
    "预算三万左右。",
    "希望尽快解决。",
    "有没有懂行的老师？",
    "",
    "可以到厂里来吗？",
]
CATEGORIES = ["技术研发", "技能培训", "质量检测", "品牌升级", "市场拓展", "人才招聘", "数字化"]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def generate_suppliers(count: int, seed: int = 20260620) -> Iterator[Supplier]:
    """``count`` synthetic suppliers; 8 % from other industries, 10 % without free hours."""
    rng = random.Random(seed)
    skills = [skill for skill in load_taxonomy().skills() if not skill.retired]
    for number in range(count):
        chosen = rng.sample(skills, rng.randint(1, 4))
        words = [rng.choice([skill.name_zh, *skill.aliases]) for skill in chosen]
        while len(words) < 3:
            words.append(rng.choice(words))
        if rng.random() < 0.08:
            description = rng.choice(OFF_DOMAIN)
        else:
            description = rng.choice(PROSE).format(a=words[0], b=words[1], c=words[2], n=rng.randint(3, 30))
        listed = [rng.choice([skill.code, skill.name_zh, *skill.aliases]) for skill in chosen]
        yield Supplier(
            id=f"SYN{number:06d}",
            kind=rng.choice(SUPPLIER_KINDS),
            name=_person(rng),
            org=rng.choice(REGIONS[:8]) + rng.choice(ORG_SUFFIX),
            title=rng.choice(TITLES),
            skills=tuple(listed),
            description=description,
            region=rng.choice(REGIONS),
            hours_per_month=0.0 if rng.random() < 0.1 else float(rng.choice([4, 8, 10, 16, 20, 30, 40])),
        )


def generate_demands(count: int, seed: int = 4) -> Iterator[Demand]:
    rng = random.Random(seed)
    for number in range(count):
        problems = rng.sample(DEMAND_PROBLEMS, rng.choice([1, 1, 2]))
        description = rng.choice(DEMAND_CONTEXT) + "，".join(problems) + "，" + rng.choice(DEMAND_TAIL)
        yield Demand(
            id=f"DEM{number:06d}",
            enterprise=rng.choice(REGIONS[:6]) + "某眼镜厂",
            title=problems[0][:10],
            description=description,
            category=rng.choice(CATEGORIES),
            region=rng.choice(REGIONS[:10]),
            hours_needed=float(rng.choice([0, 5, 10, 20, 40])),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--suppliers", type=int, default=1000)
    parser.add_argument("--demands", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "synthetic-suppliers.jsonl").open("w", encoding="utf-8") as handle:
        for supplier in generate_suppliers(args.suppliers):
            record = asdict(supplier)
            record["skills"] = list(record["skills"])
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (args.out / "synthetic-demands.jsonl").open("w", encoding="utf-8") as handle:
        for demand in generate_demands(args.demands):
            handle.write(json.dumps(asdict(demand), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
