"""Deterministic generator of the demo cluster (organisations, talents, demo personas).

Everything random comes from one ``random.Random(seed)`` threaded through the builders in a fixed
order, and nothing reads the clock: the same seed and scale always give identical records, which the
demo, the browser tests and the web benchmark rely on. Ages are computed on ``REFERENCE_DATE`` (the
launch event of 20 June 2025) for the same reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from pypinyin import lazy_pinyin

from jingxiang.demo_data import tables
from jingxiang.demo_data.names import NamePool
from jingxiang.demo_data.records import (
    Cluster,
    FirmSize,
    Gender,
    Organisation,
    OrganisationKind,
    Persona,
    PersonaRole,
    Talent,
    TalentKind,
    TalentSkill,
)
from jingxiang.identifiers import Sex, age_on, generate_resident_id, generate_uscc
from jingxiang.taxonomy import Skill, load_taxonomy

DEFAULT_SEED = 20250620
REFERENCE_DATE = dt.date(2025, 6, 20)
FIRMS_PER_SCALE = 300
TALENTS_PER_SCALE = 600
HIRED_AT_LAUNCH = 6  # the six talents hired at the launch ceremony (a fact, not scaled)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")  # reserved for documentation (RFC 2606)

# Size -> (weight among generated firms, employee range, founded-year range).
FIRM_SIZES: dict[FirmSize, tuple[int, tuple[int, int], tuple[int, int]]] = {
    FirmSize.MICRO: (45, (5, 19), (2005, 2024)),
    FirmSize.SMALL: (40, (20, 299), (1995, 2022)),
    FirmSize.MEDIUM: (12, (300, 999), (1990, 2015)),
    FirmSize.LARGE: (3, (1000, 3000), (1988, 2008)),
}
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "199",
)  # fmt: skip
# Skills people in a firm add to its product skills: shop-floor skills for craftsmen and technicians,
# management and R&D skills for experts and students.
FIRM_SHOP_FLOOR_SKILLS = (
    "lean_production", "quality_system", "equipment_maintenance", "automation", "skills_training",
)  # fmt: skip
FIRM_OFFICE_SKILLS = (
    "mes", "erp", "patent_drafting", "export_trade", "domestic_ecommerce", "quality_system", "data_analytics",
)  # fmt: skip
# Where independent talents (retirees, freelance professors) come from, by kind.
INDEPENDENT_FIELDS: dict[TalentKind, tuple[str, ...]] = {
    TalentKind.EXPERT: (
        "optical_design",
        "coating",
        "lens_material",
        "quality_testing",
        "lean",
        "ip",
        "optometry",
    ),
    TalentKind.CRAFTSMAN: ("frame_making", "surface_finish", "surfacing", "lens_material", "coating"),
    TalentKind.TECHNICIAN: ("frame_making", "surfacing", "lean", "digital"),
    TalentKind.STUDENT: ("optometry", "brand_design"),
}
# Domains of public institutions whose entry in public_organisations.yaml lists no ``fields``.
DEFAULT_FIELDS: dict[OrganisationKind, tuple[str, ...]] = {
    OrganisationKind.UNIVERSITY: ("optical_design", "lens_material", "optometry"),
    OrganisationKind.TESTING_LAB: ("quality_testing",),
    OrganisationKind.SERVICE_AGENCY: ("talent_mgmt", "ecommerce", "ip"),
    OrganisationKind.GOVERNMENT: ("talent_mgmt", "digital"),
    OrganisationKind.UNION: ("talent_mgmt",),
    OrganisationKind.ASSOCIATION: ("brand_design", "ecommerce"),
}
# Craftsmen and technicians are known for making things: their main skills come from these domains.
HANDS_ON_DOMAINS = frozenset(
    {
        "lens_material",
        "coating",
        "surfacing",
        "frame_making",
        "surface_finish",
        "quality_testing",
        "smart_eyewear",
        "lean",
    }
)
# How likely a talent offers hours to other firms (互聘共享), and joins the shared think tank.
SHARING_CHANCE = {
    TalentKind.EXPERT: 0.8,
    TalentKind.CRAFTSMAN: 0.75,
    TalentKind.TECHNICIAN: 0.4,
    TalentKind.STUDENT: 0.3,
}
THINK_TANK_CHANCE = {"大国工匠": 0.6, "浙江工匠": 0.6, "教授": 0.6, "博士": 0.4, "学生": 0.0}
EXPERT_HOME_KINDS = {
    OrganisationKind.UNIVERSITY: 50,
    OrganisationKind.TESTING_LAB: 15,
    OrganisationKind.SERVICE_AGENCY: 12,
    OrganisationKind.FIRM: 23,
}
# Nobody reaches these titles young; a 33-year-old 正高级工程师 would look fake in the directory.
TITLE_MINIMUM_AGE = {
    "正高级工程师": 45, "教授": 40, "研究员": 40, "主任医师": 42, "副主任医师": 36,
    "高级工程师": 32, "副教授": 32, "高级技师": 30, "博士研究生": 24,
}  # fmt: skip
HOSPITAL_TITLES = ("主任医师", "副主任医师")
TEACHING_SUFFIXES = ("大学", "学院", "学校")
PIECE_GOODS = frozenset({"cases_accessories", "frame_parts", "plating_services"})
CITY_REGIONS = {
    "临海": "临海市区",
    "杜桥": "杜桥镇",
    "台州": "椒江",
    "椒江": "椒江",
    "黄岩": "黄岩",
    "温岭": "温岭",
    "浙江": "杜桥镇",
}


@dataclass(frozen=True)
class LevelSpec:
    """A talent level within a kind: how common, the titles it carries, ages, rate and skill level."""

    level: str
    weight: int
    titles: tuple[str, ...]
    ages: tuple[int, int]
    hourly_rate: tuple[int, int]
    skill_level: int


LEVELS: dict[TalentKind, tuple[LevelSpec, ...]] = {
    TalentKind.CRAFTSMAN: (
        LevelSpec("大国工匠", 1, ("高级技师", "正高级工程师"), (45, 63), (600, 1000), 5),
        LevelSpec("浙江工匠", 4, ("高级技师", "高级工程师"), (40, 62), (400, 600), 5),
        LevelSpec("台州工匠", 10, ("高级技师", "技师"), (36, 60), (300, 450), 4),
        LevelSpec("首席技师", 12, ("高级技师", "技师"), (35, 60), (250, 400), 4),
        LevelSpec("高级技师", 30, ("高级技师",), (32, 66), (180, 300), 4),
    ),
    TalentKind.TECHNICIAN: (
        LevelSpec("技师", 45, ("技师", "高级工"), (24, 55), (120, 200), 3),
        LevelSpec("高级技师", 15, ("高级技师",), (30, 58), (180, 300), 4),
        LevelSpec("工程师", 40, ("工程师", "助理工程师", "高级工程师"), (25, 55), (150, 280), 3),
    ),
    TalentKind.EXPERT: (
        LevelSpec("教授", 25, ("教授", "研究员"), (45, 72), (500, 900), 5),
        LevelSpec("博士", 35, ("副教授", "讲师", "高级工程师", "博士", "研究员"), (29, 60), (300, 500), 4),
        LevelSpec("硕士", 15, ("工程师", "讲师", "高级工程师"), (26, 50), (150, 250), 3),
        LevelSpec("工程师", 25, ("高级工程师", "正高级工程师", "工程师"), (30, 65), (150, 280), 4),
    ),
    TalentKind.STUDENT: (
        LevelSpec("学生", 85, ("本科生", "高职学生"), (18, 23), (40, 80), 1),
        LevelSpec("硕士", 15, ("硕士研究生", "博士研究生"), (23, 30), (60, 120), 2),
    ),
}
KIND_WEIGHTS = {
    TalentKind.EXPERT: 25,
    TalentKind.CRAFTSMAN: 22,
    TalentKind.TECHNICIAN: 38,
    TalentKind.STUDENT: 15,
}
T = TypeVar("T")
_USABLE_ALIAS = re.compile(r"[A-Za-z\u4e00-\u9fff]")


@dataclass(frozen=True)
class PersonaSpec:
    """A fixed demo login. ``organisation_key`` ``None`` with role member means: the first generated firm."""

    username: str
    name: str
    gender: Gender
    role: PersonaRole
    organisation_key: str | None
    job_title: str


PERSONAS: tuple[PersonaSpec, ...] = (
    PersonaSpec("firm_admin", "林晓峰", Gender.MALE, PersonaRole.ORG_ADMIN, "kangbo", "行政经理"),
    PersonaSpec(
        "talent_officer", "叶婉清", Gender.FEMALE, PersonaRole.TALENT_OFFICER, "kangbo", "共享人才官"
    ),
    PersonaSpec("member", "王海涛", Gender.MALE, PersonaRole.MEMBER, None, "生产主管"),
    PersonaSpec("expert", "周敏华", Gender.FEMALE, PersonaRole.EXPERT, None, "镀膜工艺专家"),
    PersonaSpec("lab_staff", "徐嘉怡", Gender.FEMALE, PersonaRole.LAB_STAFF, "donghua_lab", "检测工程师"),
    PersonaSpec(
        "operator", "金晨阳", Gender.MALE, PersonaRole.OPERATOR, "jingxiang_platform", "平台运营专员"
    ),
    PersonaSpec(
        "union_staff", "卢秀芳", Gender.FEMALE, PersonaRole.UNION_STAFF, "linhai_union", "产改办干事"
    ),
    PersonaSpec(
        "secretariat", "郑逸凡", Gender.MALE, PersonaRole.SECRETARIAT, "alliance_secretariat", "秘书处干事"
    ),
)
EXPERT_PERSONA_TALENT_KEY = "talent-expert"


class _Registry:
    """Uniqueness bookkeeping for everything that must not repeat within a cluster."""

    def __init__(self) -> None:
        self.names = NamePool()
        self.organisation_names: set[str] = set()
        self.brands: set[str] = set()
        self.usccs: set[str] = set()
        self.mobiles: set[str] = set()
        self.resident_ids: set[str] = set()
        self.emails: set[str] = set()

    def uscc(
        self, rng: random.Random, region_code: str, authority: str, category: str, founded: int | None
    ) -> str:
        while True:
            body = None
            if founded is not None and founded < 2015:
                # Before the 2015 reform organisation codes were all digits (kept inside the USCC).
                body = rng.choice("1567") + "".join(rng.choice("0123456789") for _ in range(7))
            code = generate_uscc(
                rng,
                region_code,
                registration_authority=authority,
                category=category,
                organisation_code_body=body,
            )
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def mobile(self, rng: random.Random) -> str:
        while True:
            number = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def resident_id(self, rng: random.Random, region_code: str, birth_date: dt.date, gender: Gender) -> str:
        sex = Sex.MALE if gender is Gender.MALE else Sex.FEMALE
        while True:
            number = generate_resident_id(rng, region_code, birth_date, sex)
            if number not in self.resident_ids:
                self.resident_ids.add(number)
                return number

    def email(self, rng: random.Random, name: str) -> str:
        syllables = lazy_pinyin(name)
        styles = (
            "".join(syllables),
            syllables[0] + "." + "".join(syllables[1:]),
            "".join(syllables[1:]) + syllables[0],
            syllables[0] + "".join(syllable[0] for syllable in syllables[1:]),
        )
        local = rng.choice(styles)
        domain = rng.choice(EMAIL_DOMAINS)
        candidate = f"{local}@{domain}"
        counter = 1
        while candidate in self.emails:
            counter += 1
            candidate = f"{local}{counter}@{domain}"
        self.emails.add(candidate)
        return candidate


def _weighted(rng: random.Random, options: Sequence[T], weights: Sequence[int]) -> T:
    return rng.choices(options, weights=weights)[0]


def _birth_date_for_age(rng: random.Random, age: int) -> dt.date:
    """A birth date such that the person is exactly ``age`` on ``REFERENCE_DATE``."""
    latest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age)
    earliest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age - 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=rng.randrange((latest - earliest).days + 1))


def _address(rng: random.Random, region_name: str) -> str:
    places = tables.places()
    region = places.region(region_name)
    if region_name != "杜桥镇":
        return f"{region.address_prefix}{rng.choice(places.town_roads)}{rng.randrange(1, 900)}号"
    form = rng.randrange(4)
    if form == 0:
        return f"{region.address_prefix}{rng.choice(places.duqiao_villages)}工业区{rng.randrange(1, 120)}号"
    if form == 1:
        building, floor = rng.randrange(1, 40), rng.randrange(1, 6)
        return f"{region.address_prefix}小微眼镜创业园{building}幢{floor}楼"
    if form == 2:
        zone = rng.choice("ABCDEF")
        return f"{region.address_prefix}中国·杜桥眼镜城{zone}区{rng.randrange(1, 400)}号"
    return f"{region.address_prefix}{rng.choice(places.duqiao_roads)}{rng.randrange(1, 600)}号"


def _products_zh(codes: Sequence[str]) -> str:
    names = {entry.product.code: entry.product.name_zh for entry in tables.products()}
    return "、".join(names[code] for code in codes)


class _ClusterBuilder:
    def __init__(self, seed: int, scale: int) -> None:
        if scale < 1:
            raise ValueError("scale must be at least 1")
        self.seed = seed
        self.scale = scale
        self.rng = random.Random(seed)
        self.registry = _Registry()
        self.taxonomy = load_taxonomy()
        self.active_skills: dict[str, Skill] = {s.code: s for s in self.taxonomy.skills() if not s.retired}
        self.organisations: list[Organisation] = []
        # Organisation key -> what its people work on: skill codes of a firm's products, or the
        # taxonomy domain codes of an institution.
        self.firm_skills: dict[str, tuple[str, ...]] = {}
        self.institution_domains: dict[str, tuple[str, ...]] = {}
        self._by_kind: dict[OrganisationKind, list[Organisation]] | None = None  # built once talents start
        for spec in PERSONAS:
            self.registry.names.reserve(spec.name)

    # -- organisations -------------------------------------------------------------------------

    def _contact(self) -> tuple[str, str]:
        gender = self.rng.choice(list(Gender))
        birth_year = REFERENCE_DATE.year - self.rng.randrange(25, 58)
        return self.registry.names.draw(self.rng, gender, birth_year), self.registry.mobile(self.rng)

    def _add_organisation(self, organisation: Organisation, fields: Sequence[str]) -> None:
        """Register an organisation; ``fields`` are skill codes for firms, domain codes otherwise."""
        if organisation.name in self.registry.organisation_names:
            raise ValueError(f"duplicate organisation name {organisation.name}")
        self.registry.organisation_names.add(organisation.name)
        self.organisations.append(organisation)
        if organisation.kind is OrganisationKind.FIRM:
            self.firm_skills[organisation.key] = tuple(fields)
        else:
            self.institution_domains[organisation.key] = tuple(fields)

    def build_public_organisations(self) -> None:
        for raw in tables.public_organisations():
            kind = OrganisationKind(raw["kind"])
            size = FirmSize(raw["size"]) if raw.get("size") else None
            products = tuple(raw.get("main_products", ()))
            region_name = raw["region"]
            address = raw.get("address") or _address(self.rng, region_name)
            contact_name, contact_mobile = self._contact()
            founded = raw.get("founded_year")
            self._add_organisation(
                Organisation(
                    key=raw["key"],
                    name=raw["name"],
                    short_name=raw["short_name"],
                    kind=kind,
                    uscc=self.registry.uscc(
                        self.rng, raw["region_code"], raw["uscc"][0], raw["uscc"][1], founded
                    ),
                    address=address,
                    region=region_name,
                    region_code=raw["region_code"],
                    size=size,
                    employee_count=raw.get("employee_count"),
                    main_products=products,
                    main_products_zh=_products_zh(products),
                    founded_year=founded,
                    description=raw["description"],
                    contact_name=contact_name,
                    contact_mobile=contact_mobile,
                    is_alliance_member=bool(raw.get("is_alliance_member", False)),
                    is_public=True,
                ),
                self._public_fields(raw, kind, products),
            )
            if kind is OrganisationKind.FIRM:
                # Public firm brands are off limits for generated firms (no look-alike 康波光学).
                self.registry.brands.add(raw["short_name"][:2])

    @staticmethod
    def _public_fields(
        raw: dict[str, object], kind: OrganisationKind, products: Sequence[str]
    ) -> tuple[str, ...]:
        """Firms work in the skills of their products; institutions in the domains listed for them."""
        if kind is OrganisationKind.FIRM:
            skills_of = {entry.product.code: entry.product.skill_codes for entry in tables.products()}
            return tuple(code for product in products for code in skills_of[product])
        listed = raw.get("fields")
        return tuple(listed) if isinstance(listed, list) else DEFAULT_FIELDS.get(kind, ())

    def _brand(self) -> str:
        characters = tables.institutions().brand_characters
        while True:
            brand = "".join(self.rng.sample(characters, 2))
            if brand not in self.registry.brands:
                self.registry.brands.add(brand)
                return brand

    def build_firms(self) -> None:
        product_tables = tables.products()
        institution_tables = tables.institutions()
        regions = tables.places().regions
        for index in range(1, FIRMS_PER_SCALE * self.scale + 1):
            rng = self.rng
            size = _weighted(rng, list(FIRM_SIZES), [spec[0] for spec in FIRM_SIZES.values()])
            _, (low_staff, high_staff), (first_year, last_year) = FIRM_SIZES[size]
            product_count = rng.choice((1, 1, 2) if size is FirmSize.MICRO else (1, 2, 2, 3))
            chosen: list[tables.ProductTable] = []
            while len(chosen) < product_count:
                entry = _weighted(rng, product_tables, [entry.weight for entry in product_tables])
                if entry not in chosen:
                    chosen.append(entry)
            products = tuple(entry.product.code for entry in chosen)
            region = _weighted(rng, regions, [region.firm_weight for region in regions])
            founded = rng.randrange(first_year, last_year + 1)
            while True:
                brand = self._brand()
                short_name = brand + rng.choice(chosen[0].name_words)
                name = (
                    _weighted(rng, institution_tables.firm_prefixes, institution_tables.firm_prefix_weights)
                    + short_name
                    + _weighted(rng, institution_tables.firm_suffixes, institution_tables.firm_suffix_weights)
                )
                if name not in self.registry.organisation_names:
                    break
            contact_name, contact_mobile = self._contact()
            employee_count = rng.randrange(low_staff, high_staff + 1)
            skills = [code for entry in chosen for code in entry.product.skill_codes]
            self._add_organisation(
                Organisation(
                    key=f"firm-{index:04d}",
                    name=name,
                    short_name=short_name,
                    kind=OrganisationKind.FIRM,
                    uscc=self.registry.uscc(rng, region.code, "9", "1", founded),
                    address=_address(rng, region.name),
                    region=region.name,
                    region_code=region.code,
                    size=size,
                    employee_count=employee_count,
                    main_products=products,
                    main_products_zh=_products_zh(products),
                    founded_year=founded,
                    description=self._firm_description(products, employee_count, founded),
                    contact_name=contact_name,
                    contact_mobile=contact_mobile,
                    is_alliance_member=False,
                    is_public=False,
                ),
                skills,
            )

    def _firm_description(self, products: Sequence[str], employee_count: int, founded: int) -> str:
        rng = self.rng
        capacity = max(1, employee_count * rng.randrange(8, 20) // 100)
        unit = "万件" if products[0] in PIECE_GOODS else "万副"  # cases and parts are not counted in pairs
        sentences = [
            rng.choice(
                (
                    f"主营{_products_zh(products)}，年产能约{capacity}{unit}。",
                    f"{founded}年成立，专业生产{_products_zh(products)}。",
                    f"以{_products_zh(products)}为主，现有员工{employee_count}人。",
                )
            ),
            rng.choice(
                (
                    "产品主要出口欧美和东南亚市场。",
                    "以国内电商和批发渠道为主。",
                    "为国内外品牌提供ODM/OEM代工。",
                    "正在推进自动化改造和数字化车间建设。",
                    "通过“互聘共享”引入外部专家攻关工艺难题。",
                    "",
                )
            ),
        ]
        return "".join(sentences)

    def build_institutions(self) -> None:
        institution_tables = tables.institutions()
        rng = self.rng
        index = 0
        for kind, per_scale in institution_tables.counts_per_scale.items():
            remaining = per_scale * self.scale
            if kind is OrganisationKind.UNIVERSITY:
                for university in institution_tables.real_universities[:remaining]:
                    index += 1
                    self._add_institution(
                        index,
                        kind,
                        name=university.name,
                        short_name=university.name,
                        region_name=university.region,
                        region_code=university.region_code,
                        address=university.address,
                        uscc_kind=("1", "2"),
                        fields=university.fields,
                    )
                remaining -= min(remaining, len(institution_tables.real_universities))
            for _ in range(remaining):
                index += 1
                template = rng.choice(institution_tables.templates[kind])
                while True:
                    city = rng.choice(institution_tables.cities)
                    parts = {
                        "city": city,
                        "brand": self._brand() if "{brand}" in template.pattern else "",
                        "segment": rng.choice(institution_tables.segments),
                    }
                    name = template.pattern.format(**parts)
                    if name not in self.registry.organisation_names:
                        break
                region = tables.places().region(CITY_REGIONS[city])
                self._add_institution(
                    index,
                    kind,
                    name=name,
                    short_name=template.short_pattern.format(**parts),
                    region_name=region.name,
                    region_code=region.code,
                    address=_address(rng, region.name),
                    uscc_kind=(template.uscc_authority, template.uscc_category),
                    fields=template.fields,
                )

    def _add_institution(
        self,
        index: int,
        kind: OrganisationKind,
        *,
        name: str,
        short_name: str,
        region_name: str,
        region_code: str,
        address: str,
        uscc_kind: tuple[str, str],
        fields: Sequence[str],
    ) -> None:
        domains = {domain.code: domain.name_zh for domain in self.taxonomy.domains}
        field_names = "、".join(domains[code] for code in fields if code in domains)
        purpose = {
            OrganisationKind.UNIVERSITY: f"在{field_names}方向与杜桥眼镜企业开展产学研合作和人才培养。",
            OrganisationKind.TESTING_LAB: f"提供{field_names}服务，出具检测报告。",
            OrganisationKind.SERVICE_AGENCY: f"为眼镜企业提供{field_names}方面的专业服务。",
            OrganisationKind.ASSOCIATION: f"组织会员企业在{field_names}方面开展交流合作。",
        }[kind]
        contact_name, contact_mobile = self._contact()
        self._add_organisation(
            Organisation(
                key=f"inst-{index:04d}",
                name=name,
                short_name=short_name,
                kind=kind,
                uscc=self.registry.uscc(self.rng, region_code, *uscc_kind, None),
                address=address,
                region=region_name,
                region_code=region_code,
                size=None,
                employee_count=None,
                main_products=(),
                main_products_zh="",
                founded_year=None,
                description=purpose,
                contact_name=contact_name,
                contact_mobile=contact_mobile,
                is_alliance_member=False,
                is_public=False,
            ),
            fields,
        )

    # -- talents -------------------------------------------------------------------------------

    def _home_organisation(self, kind: TalentKind, age: int) -> Organisation | None:
        """Pick where a talent works; retirees and some professors are independent."""
        rng = self.rng
        by_kind = self._organisations_by_kind()
        if kind is TalentKind.STUDENT:
            return rng.choice(self._teaching_institutions())
        retired = age >= 60
        if kind is TalentKind.EXPERT:
            if (retired and rng.random() < 0.6) or rng.random() < 0.08:
                return None
            home_kind = _weighted(rng, list(EXPERT_HOME_KINDS), list(EXPERT_HOME_KINDS.values()))
            return rng.choice(by_kind[home_kind])
        if (retired and rng.random() < 0.5) or rng.random() < 0.04:
            return None
        if kind is TalentKind.TECHNICIAN and rng.random() < 0.06:
            return rng.choice(
                by_kind[OrganisationKind.TESTING_LAB] + by_kind[OrganisationKind.SERVICE_AGENCY]
            )
        return rng.choice(by_kind[OrganisationKind.FIRM])

    def _teaching_institutions(self) -> list[Organisation]:
        """Universities, colleges and schools (not research institutes or hospitals) take students."""
        return [
            o
            for o in self._organisations_by_kind()[OrganisationKind.UNIVERSITY]
            if o.name.endswith(TEACHING_SUFFIXES)
        ]

    def _organisations_by_kind(self) -> dict[OrganisationKind, list[Organisation]]:
        if self._by_kind is None:
            self._by_kind = {}
            for organisation in self.organisations:
                self._by_kind.setdefault(organisation.kind, []).append(organisation)
        return self._by_kind

    def _skill_pools(self, kind: TalentKind, home: Organisation | None) -> tuple[list[str], list[str]]:
        """Primary skills (the person's field) and secondary ones (what people in that field add)."""
        rng = self.rng
        if home is not None and home.kind is OrganisationKind.FIRM:
            primary = list(dict.fromkeys(self.firm_skills[home.key]))
            hands_on = kind in (TalentKind.CRAFTSMAN, TalentKind.TECHNICIAN)
            if hands_on:
                production = [
                    code
                    for code in primary
                    if code in self.active_skills and self.active_skills[code].domain_code in HANDS_ON_DOMAINS
                ]
                primary = production or primary
            secondary = list(FIRM_SHOP_FLOOR_SKILLS if hands_on else FIRM_OFFICE_SKILLS)
        else:
            domains = self.institution_domains[home.key] if home is not None else INDEPENDENT_FIELDS[kind]
            domains = domains or INDEPENDENT_FIELDS[kind]
            field = rng.choice(domains)
            primary = [skill.code for skill in self.taxonomy.skills() if skill.domain_code == field]
            secondary = [
                skill.code
                for skill in self.taxonomy.skills()
                if skill.domain_code in domains and skill.domain_code != field
            ] or list(FIRM_SHOP_FLOOR_SKILLS)
        primary = [code for code in primary if code in self.active_skills]
        secondary = [code for code in secondary if code in self.active_skills and code not in primary]
        return primary, secondary

    def _skills(
        self, kind: TalentKind, spec: LevelSpec, home: Organisation | None
    ) -> tuple[TalentSkill, ...]:
        rng = self.rng
        primary, secondary = self._skill_pools(kind, home)
        total = rng.randint(2, 3) if kind is TalentKind.STUDENT else rng.randint(2, 5)
        from_primary = min(len(primary), max(1, total - rng.randint(0, 2)))
        codes = rng.sample(primary, from_primary)
        codes += rng.sample(secondary, min(len(secondary), total - from_primary))
        skills = []
        for position, code in enumerate(codes):
            drop = 0 if position == 0 else rng.choice((0, 1, 1, 2))
            level = max(
                1,
                min(
                    5,
                    spec.skill_level - drop + (1 if kind is TalentKind.STUDENT and rng.random() < 0.2 else 0),
                ),
            )
            skills.append(TalentSkill(code=code, level=level))
        return tuple(skills)

    def _description(
        self, kind: TalentKind, skills: Sequence[TalentSkill], home: Organisation | None, years: int
    ) -> str:
        rng = self.rng
        texts = tables.profiles()
        names = [self.active_skills[skill.code].name_zh for skill in skills]
        # Practitioners' words come from the person's main skill only, so a frame maker is never
        # described by the alias of a side skill such as ERP.
        main_aliases = [
            alias
            for alias in self.active_skills[skills[0].code].aliases
            if _USABLE_ALIAS.search(alias) and alias not in names
        ]
        main_aliases = list(dict.fromkeys(main_aliases))
        if len(main_aliases) >= 2:
            alias, alias2 = rng.sample(main_aliases, 2)
        elif main_aliases:
            alias, alias2 = main_aliases[0], names[1]
        else:
            alias, alias2 = names[0], names[-1]
        product_names = {entry.product.code: entry.product.name_zh for entry in tables.products()}
        products = (
            [product_names[code] for code in home.main_products]
            if home and home.main_products
            else ["镜架", "镜片", "太阳镜"]
        )
        values = {
            "skill": names[0],
            "skill2": names[1] if len(names) > 1 else names[0],
            "skill3": names[-1],
            "alias": alias,
            "alias2": alias2,
            "years": years,
            "org": home.short_name if home else "",
            "n": rng.randint(2, 6),
            "n2": rng.randint(3, 20),
            "pct": rng.choice((8, 10, 12, 15, 18, 20, 25, 30)),
            "product": rng.choice(products),
        }
        openings = [text for text in texts.openings[kind.value] if home is not None or "{org}" not in text]
        sentences = [rng.choice(openings)]
        sentences += rng.sample(texts.achievements[kind.value], rng.choice((0, 1, 1, 2)))
        return "".join(sentence.format(**values) for sentence in sentences)

    def _talent(
        self,
        key: str,
        kind: TalentKind,
        spec: LevelSpec,
        *,
        name: str | None = None,
        gender: Gender | None = None,
        age: int | None = None,
        home: Organisation | bool | None = True,
        region: str | None = None,
        username: str | None = None,
        title: str | None = None,
    ) -> Talent:
        """One talent; keyword arguments pin fields for the personas, the rest is drawn.

        ``home`` is ``True`` to draw a home organisation, ``None`` for an independent talent, or
        the organisation itself.
        """
        rng = self.rng
        gender = gender or rng.choice(list(Gender))
        age = age if age is not None else rng.randint(*spec.ages)
        birth_date = _birth_date_for_age(rng, age)
        home_organisation = self._home_organisation(kind, age) if home is True else (home or None)
        name = name or self.registry.names.draw(rng, gender, birth_date.year)
        skills = self._skills(kind, spec, home_organisation)
        years = max(1, age - rng.randint(20, 24)) if kind is not TalentKind.STUDENT else 1
        if region is None and home_organisation is not None:
            region = home_organisation.region or "临海市区"
        elif region is None:
            regions = tables.places().regions
            region = _weighted(rng, regions, [r.talent_weight for r in regions]).name
        places = tables.places()
        birthplace = _weighted(rng, places.birthplace_codes, places.birthplace_weights)
        shares = rng.random() < SHARING_CHANCE[kind]
        if not shares:
            hours = 0
        elif rng.random() < 0.12:
            hours = 0  # fully booked this month
        elif kind is TalentKind.STUDENT:
            hours = rng.choice((16, 24, 32, 40, 60, 80))
        else:
            hours = rng.choice((4, 8, 12, 16, 20, 24, 32, 40))
        low, high = spec.hourly_rate
        return Talent(
            key=key,
            name=name,
            gender=gender,
            birth_date=birth_date,
            age=age_on(birth_date, REFERENCE_DATE),
            kind=kind,
            title=title or self._title(spec, age, home_organisation),
            level=spec.level,
            home_organisation_key=home_organisation.key if home_organisation else None,
            skills=skills,
            description=self._description(kind, skills, home_organisation, years),
            region=region,
            mobile=self.registry.mobile(rng),
            resident_id=self.registry.resident_id(rng, birthplace, birth_date, gender),
            email=self.registry.email(rng, name),
            hourly_rate=Decimal(rng.randrange(low, high + 1, 10)).quantize(Decimal("0.01")),
            monthly_hours=hours,
            shares_talent=shares,
            think_tank=rng.random()
            < THINK_TANK_CHANCE.get(spec.level, 0.15 if kind is not TalentKind.STUDENT else 0.0),
            hired_at_launch=False,
            username=username,
        )

    def _title(self, spec: LevelSpec, age: int, home: Organisation | None) -> str:
        titles: Sequence[str] = spec.titles
        if home is not None and home.name.endswith("医院") and spec.level in ("教授", "博士"):
            titles = HOSPITAL_TITLES
        fitting = [title for title in titles if age >= TITLE_MINIMUM_AGE.get(title, 0)]
        return self.rng.choice(fitting or [spec.titles[-1]])

    def build_talents(self) -> list[Talent]:
        expert_spec = next(spec for spec in LEVELS[TalentKind.EXPERT] if spec.level == "工程师")
        persona = next(spec for spec in PERSONAS if spec.role is PersonaRole.EXPERT)
        expert = self._talent(
            EXPERT_PERSONA_TALENT_KEY,
            TalentKind.EXPERT,
            expert_spec,
            name=persona.name,
            gender=persona.gender,
            age=61,
            home=None,
            region="临海市区",
            username=persona.username,
            title="正高级工程师",
        )
        # The demo expert must be bookable and show the coating field she is introduced with.
        expert = dataclasses.replace(
            expert,
            skills=(
                TalentSkill("ar_coating", 5),
                TalentSkill("hard_coating", 5),
                TalentSkill("coating_adhesion", 4),
                TalentSkill("vacuum_coating", 4),
            ),
            description="退休前长期在镜片企业负责镀膜车间，熟悉AR膜、加硬和膜层附着力问题。作为共享专家已服务杜桥眼镜企业6家。",
            shares_talent=True,
            think_tank=True,
            monthly_hours=24,
        )
        talents = [expert]
        kinds = list(KIND_WEIGHTS)
        for index in range(1, TALENTS_PER_SCALE * self.scale):
            kind = _weighted(self.rng, kinds, list(KIND_WEIGHTS.values()))
            specs = LEVELS[kind]
            spec = _weighted(self.rng, specs, [s.weight for s in specs])
            talents.append(self._talent(f"talent-{index:04d}", kind, spec))
        # The six talents hired at the launch ceremony: sharing, top-level people (the expert persona first).
        candidates = [
            t.key
            for t in talents[1:]
            if t.shares_talent and t.level in ("大国工匠", "浙江工匠", "教授", "台州工匠")
        ]
        launch = {
            EXPERT_PERSONA_TALENT_KEY,
            *self.rng.sample(candidates, min(len(candidates), HIRED_AT_LAUNCH - 1)),
        }
        return [dataclasses.replace(t, hired_at_launch=t.key in launch) for t in talents]

    # -- personas ------------------------------------------------------------------------------

    def build_personas(self) -> list[Persona]:
        first_generated_firm = next(
            o for o in self.organisations if o.kind is OrganisationKind.FIRM and not o.is_public
        )
        personas = []
        for spec in PERSONAS:
            if spec.role is PersonaRole.EXPERT:
                organisation_key, talent_key = None, EXPERT_PERSONA_TALENT_KEY
            else:
                organisation_key, talent_key = spec.organisation_key or first_generated_firm.key, None
            personas.append(
                Persona(
                    username=spec.username,
                    name=spec.name,
                    role=spec.role,
                    organisation_key=organisation_key,
                    talent_key=talent_key,
                    job_title=spec.job_title,
                    mobile=self.registry.mobile(self.rng),
                    email=f"{spec.username}@example.com",
                )
            )
        return personas


def generate_cluster(seed: int = DEFAULT_SEED, scale: int = 1) -> Cluster:
    """Build the whole demo cluster for ``seed``; ``scale`` multiplies firms, institutions and talents.

    The public organisations and the personas are the same at every scale; only generated records
    grow, and every name, USCC, ID number, mobile number and e-mail stays unique.
    """
    builder = _ClusterBuilder(seed, scale)
    builder.build_public_organisations()
    builder.build_firms()
    builder.build_institutions()
    talents = builder.build_talents()
    personas = builder.build_personas()
    return Cluster(
        seed=seed,
        scale=scale,
        reference_date=REFERENCE_DATE,
        organisations=tuple(builder.organisations),
        talents=tuple(talents),
        personas=tuple(personas),
        products=tuple(entry.product for entry in tables.products()),
    )
