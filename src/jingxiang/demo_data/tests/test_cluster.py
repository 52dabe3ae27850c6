"""The demo cluster at scale 1: determinism, counts, uniqueness, valid identifiers, coherent skills."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest

from jingxiang.demo_data import (
    REFERENCE_DATE,
    Cluster,
    FirmSize,
    Gender,
    OrganisationKind,
    PersonaRole,
    TalentKind,
    generate_cluster,
)
from jingxiang.demo_data.generator import FIRMS_PER_SCALE, TALENTS_PER_SCALE
from jingxiang.demo_data.tables import products
from jingxiang.identifiers import Sex, validate_mobile, validate_resident_id, validate_uscc
from jingxiang.taxonomy import load_taxonomy

# Public organisations the brief and the press coverage name, with the kind each must have.
PUBLIC_ORGANISATIONS = {
    "临海市康波眼镜有限公司": OrganisationKind.FIRM,
    "盈昌集团": OrganisationKind.FIRM,
    "大光明眼镜": OrganisationKind.FIRM,
    "亚妮眼镜": OrganisationKind.FIRM,
    "浙江省光学学会": OrganisationKind.ASSOCIATION,
    "温州医科大学附属眼视光医院": OrganisationKind.UNIVERSITY,
    "东华大学检测实验室": OrganisationKind.TESTING_LAB,
    "国家眼镜玻璃搪瓷制品质检中心": OrganisationKind.TESTING_LAB,
    "天津职业大学眼视光工程学院": OrganisationKind.UNIVERSITY,
    "台州市眼镜商会": OrganisationKind.ASSOCIATION,
    "临海市眼镜协会": OrganisationKind.ASSOCIATION,
    "上海长江创服": OrganisationKind.SERVICE_AGENCY,
    "浙江大学": OrganisationKind.UNIVERSITY,
    "天津医科大学眼视光学院": OrganisationKind.UNIVERSITY,
    "杜桥镇人民政府": OrganisationKind.GOVERNMENT,
    "临海市总工会": OrganisationKind.UNION,
    "台州眼镜产业创新联盟秘书处": OrganisationKind.ASSOCIATION,
    "中国·杜桥眼镜城": OrganisationKind.GOVERNMENT,
}
INSTITUTION_KINDS = {
    OrganisationKind.UNIVERSITY,
    OrganisationKind.TESTING_LAB,
    OrganisationKind.SERVICE_AGENCY,
    OrganisationKind.ASSOCIATION,
}
# Chinese SME classification for industry by head count.
EMPLOYEES_BY_SIZE = {
    FirmSize.MICRO: (1, 19),
    FirmSize.SMALL: (20, 299),
    FirmSize.MEDIUM: (300, 999),
    FirmSize.LARGE: (1000, 100_000),
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_same_seed_gives_identical_cluster(cluster: Cluster) -> None:
    assert generate_cluster() == cluster
    assert generate_cluster(seed=20250620, scale=1) == cluster


def test_different_seed_gives_different_cluster(cluster: Cluster) -> None:
    other = generate_cluster(seed=1)
    assert [t.name for t in other.talents] != [t.name for t in cluster.talents]
    # The public organisations and personas stay; only invented records change.
    assert [o.name for o in other.organisations if o.is_public] == [
        o.name for o in cluster.organisations if o.is_public
    ]
    assert [p.username for p in other.personas] == [p.username for p in cluster.personas]


def test_counts(cluster: Cluster) -> None:
    generated = [o for o in cluster.organisations if not o.is_public]
    assert sum(o.kind is OrganisationKind.FIRM for o in generated) == FIRMS_PER_SCALE
    assert sum(o.kind in INSTITUTION_KINDS for o in generated) == 40
    assert len(cluster.talents) == TALENTS_PER_SCALE
    assert len(cluster.personas) == 8
    kinds = Counter(t.kind for t in cluster.talents)
    assert all(kinds[kind] >= 50 for kind in TalentKind), kinds
    assert Counter(t.gender for t in cluster.talents)[Gender.FEMALE] >= 150


def test_public_organisations_present_with_their_kinds(cluster: Cluster) -> None:
    by_name = {o.name: o for o in cluster.organisations}
    for name, kind in PUBLIC_ORGANISATIONS.items():
        assert by_name[name].kind is kind, name
        assert by_name[name].is_public
    assert {o.name for o in cluster.organisations if o.is_alliance_member} == {
        "浙江省光学学会",
        "温州医科大学附属眼视光医院",
        "东华大学检测实验室",
    }


def test_every_organisation_kind_is_present(cluster: Cluster) -> None:
    assert {o.kind for o in cluster.organisations} == set(OrganisationKind)


@pytest.mark.parametrize(
    "field",
    ["key", "name", "short_name", "uscc", "contact_mobile"],
    ids=lambda field: f"organisation.{field}",
)
def test_organisation_fields_unique(cluster: Cluster, field: str) -> None:
    values = [getattr(o, field) for o in cluster.organisations]
    assert len(values) == len(set(values))


def test_people_identifiers_unique(cluster: Cluster) -> None:
    talent_names = [t.name for t in cluster.talents]
    assert len(talent_names) == len(set(talent_names))
    for field in ("key", "resident_id", "email"):
        values = [getattr(t, field) for t in cluster.talents]
        assert len(values) == len(set(values)), field
    mobiles = (
        [t.mobile for t in cluster.talents]
        + [o.contact_mobile for o in cluster.organisations]
        + [p.mobile for p in cluster.personas]
    )
    assert len(mobiles) == len(set(mobiles))
    usernames = [p.username for p in cluster.personas] + [t.username for t in cluster.talents if t.username]
    assert sorted(set(usernames)) == sorted(
        [
            "firm_admin",
            "talent_officer",
            "member",
            "expert",
            "lab_staff",
            "operator",
            "union_staff",
            "secretariat",
        ]
    )
    # Only the expert persona is also a talent; contacts and personas are otherwise distinct people.
    persona_names = {p.name for p in cluster.personas}
    assert persona_names & set(talent_names) == {
        next(p.name for p in cluster.personas if p.username == "expert")
    }
    contacts = [o.contact_name for o in cluster.organisations]
    assert not set(contacts) & set(talent_names)
    assert len(contacts) == len(set(contacts))


def test_usccs_validate_and_match_the_organisation(cluster: Cluster) -> None:
    for organisation in cluster.organisations:
        result = validate_uscc(organisation.uscc)
        assert result.region_code == organisation.region_code
        if organisation.kind is OrganisationKind.FIRM:
            assert (result.registration_authority, result.category) == ("9", "1")
    generated_firms = [
        o for o in cluster.organisations if o.kind is OrganisationKind.FIRM and not o.is_public
    ]
    linhai = [o for o in generated_firms if o.uscc[2:8] == "331082"]
    assert len(linhai) > len(generated_firms) * 0.6


def test_resident_ids_validate_and_match_the_person(cluster: Cluster) -> None:
    for talent in cluster.talents:
        result = validate_resident_id(talent.resident_id, today=REFERENCE_DATE)
        assert result.birth_date == talent.birth_date
        assert result.sex is (Sex.MALE if talent.gender is Gender.MALE else Sex.FEMALE)
        assert result.region_code[:2] in {"33", "36", "41", "42", "51"}
    zhejiang = sum(t.resident_id.startswith("33") for t in cluster.talents)
    assert zhejiang > 0.9 * len(cluster.talents)


def test_ages_match_birth_dates_and_kinds(cluster: Cluster) -> None:
    for talent in cluster.talents:
        birthday_passed = (REFERENCE_DATE.month, REFERENCE_DATE.day) >= (
            talent.birth_date.month,
            talent.birth_date.day,
        )
        assert talent.age == REFERENCE_DATE.year - talent.birth_date.year - (0 if birthday_passed else 1)
        if talent.kind is TalentKind.STUDENT:
            assert 18 <= talent.age <= 30
        else:
            assert 23 <= talent.age <= 72


def test_mobiles_validate(cluster: Cluster) -> None:
    numbers = [t.mobile for t in cluster.talents] + [p.mobile for p in cluster.personas]
    numbers += [o.contact_mobile for o in cluster.organisations]
    for number in numbers:
        assert validate_mobile(number) == number


def test_emails_use_reserved_domains(cluster: Cluster) -> None:
    for email in [t.email for t in cluster.talents] + [p.email for p in cluster.personas]:
        local, domain = email.split("@")
        assert re.fullmatch(r"[a-z0-9._]+", local), email
        assert domain in {"example.com", "example.net", "example.org"}


def test_skills_exist_in_taxonomy_with_valid_levels(cluster: Cluster) -> None:
    active = {skill.code for skill in load_taxonomy().skills() if not skill.retired}
    for talent in cluster.talents:
        codes = [skill.code for skill in talent.skills]
        assert 2 <= len(codes) <= 5, talent
        assert len(codes) == len(set(codes))
        assert set(codes) <= active
        assert all(1 <= skill.level <= 5 for skill in talent.skills)
    for product in cluster.products:
        assert set(product.skill_codes) <= active, product.code


def test_firm_talents_main_skill_fits_the_firm_products(cluster: Cluster) -> None:
    skills_of_product = {entry.product.code: set(entry.product.skill_codes) for entry in products()}
    checked = 0
    for talent in cluster.talents:
        if talent.home_organisation_key is None or talent.kind not in (
            TalentKind.CRAFTSMAN,
            TalentKind.TECHNICIAN,
        ):
            continue
        home = cluster.organisation(talent.home_organisation_key)
        if home.kind is not OrganisationKind.FIRM:
            continue
        firm_skills = set().union(*(skills_of_product[code] for code in home.main_products))
        assert talent.skills[0].code in firm_skills, (talent.name, home.name)
        checked += 1
    assert checked > 200


def test_home_organisations_fit_the_kind(cluster: Cluster) -> None:
    for talent in cluster.talents:
        if talent.kind is TalentKind.STUDENT:
            assert talent.home_organisation_key is not None
            school = cluster.organisation(talent.home_organisation_key)
            assert school.kind is OrganisationKind.UNIVERSITY
            assert school.name.endswith(("大学", "学院", "学校")), school.name  # not an institute or hospital
        elif talent.home_organisation_key is not None:
            cluster.organisation(talent.home_organisation_key)  # exists
    independents = [t for t in cluster.talents if t.home_organisation_key is None]
    assert independents and any(t.age >= 60 for t in independents)


def test_levels_titles_and_rates(cluster: Cluster) -> None:
    allowed_levels = {
        "大国工匠", "浙江工匠", "台州工匠", "首席技师", "高级技师", "技师",
        "教授", "博士", "硕士", "工程师", "学生",
    }  # fmt: skip
    assert {t.level for t in cluster.talents} == allowed_levels
    rates: dict[str, list[Decimal]] = {}
    for talent in cluster.talents:
        assert isinstance(talent.hourly_rate, Decimal)
        assert talent.hourly_rate == talent.hourly_rate.quantize(Decimal("0.01")) > 0
        rates.setdefault(talent.level, []).append(talent.hourly_rate)
        assert talent.title
    assert min(rates["教授"]) > max(rates["学生"])
    assert min(rates["大国工匠"]) > max(rates["技师"])


def test_senior_titles_are_not_given_to_young_people(cluster: Cluster) -> None:
    minimum_age = {"正高级工程师": 45, "教授": 40, "高级工程师": 32, "副教授": 32}
    for talent in cluster.talents:
        assert talent.age >= minimum_age.get(talent.title, 0), (talent.name, talent.title, talent.age)


def test_sharing_hours_and_flags(cluster: Cluster) -> None:
    for talent in cluster.talents:
        assert 0 <= talent.monthly_hours <= 400
        if not talent.shares_talent:
            assert talent.monthly_hours == 0
    sharing = [t for t in cluster.talents if t.shares_talent]
    assert any(t.monthly_hours == 0 for t in sharing), "some shared talents are fully booked"
    assert any(t.monthly_hours > 0 for t in sharing)
    assert 20 < sum(t.think_tank for t in cluster.talents) < 300
    assert not any(t.think_tank for t in cluster.talents if t.kind is TalentKind.STUDENT)
    assert sum(t.hired_at_launch for t in cluster.talents) == 6


def test_descriptions_read_like_profiles(cluster: Cluster) -> None:
    descriptions = [t.description for t in cluster.talents]
    for description in descriptions:
        assert 1 <= description.count("。") <= 3, description
        assert description.endswith("。")
        assert "{" not in description and "}" not in description
        assert CJK.search(description)
    assert len(set(descriptions)) > 0.95 * len(descriptions)


def test_firms_look_like_the_cluster(cluster: Cluster) -> None:
    firms = [o for o in cluster.organisations if o.kind is OrganisationKind.FIRM and not o.is_public]
    assert Counter(o.region for o in firms).most_common(1)[0][0] == "杜桥镇"
    assert {o.size for o in firms} == set(FirmSize)
    for firm in firms:
        assert firm.name.endswith("公司")
        assert firm.short_name in firm.name
        assert firm.address.startswith("浙江省台州市")
        assert 1 <= len(firm.main_products) <= 3
        assert firm.main_products_zh.count("、") == len(firm.main_products) - 1
        assert 1985 <= (firm.founded_year or 0) <= REFERENCE_DATE.year
        assert firm.employee_count
        low, high = EMPLOYEES_BY_SIZE[firm.size]
        assert low <= firm.employee_count <= high
    assert any("小微眼镜创业园" in o.address for o in firms)
    assert any("眼镜城" in o.address for o in firms)


def test_text_fits_the_database_columns(cluster: Cluster) -> None:
    # Column sizes of organisations.Organisation and talents.Talent (the loader copies these fields).
    for organisation in cluster.organisations:
        assert len(organisation.name) <= 100 and len(organisation.short_name) <= 30
        assert len(organisation.address) <= 200 and len(organisation.main_products_zh) <= 200
        assert len(organisation.region) <= 50 and len(organisation.contact_name) <= 50
    for talent in cluster.talents:
        assert len(talent.name) <= 50 and len(talent.title) <= 50 and len(talent.level) <= 50


def test_personas(cluster: Cluster) -> None:
    personas = {p.username: p for p in cluster.personas}
    expected = {
        "firm_admin": (PersonaRole.ORG_ADMIN, "临海市康波眼镜有限公司"),
        "talent_officer": (PersonaRole.TALENT_OFFICER, "临海市康波眼镜有限公司"),
        "lab_staff": (PersonaRole.LAB_STAFF, "东华大学检测实验室"),
        "union_staff": (PersonaRole.UNION_STAFF, "临海市总工会"),
        "secretariat": (PersonaRole.SECRETARIAT, "台州眼镜产业创新联盟秘书处"),
    }
    for username, (role, organisation_name) in expected.items():
        persona = personas[username]
        assert persona.role is role
        assert persona.organisation_key is not None
        assert cluster.organisation(persona.organisation_key).name == organisation_name
    operator_home = cluster.organisation(personas["operator"].organisation_key or "")
    assert operator_home.kind is OrganisationKind.GOVERNMENT
    member_home = cluster.organisation(personas["member"].organisation_key or "")
    assert member_home.kind is OrganisationKind.FIRM and not member_home.is_public
    expert = cluster.talent(personas["expert"].talent_key or "")
    assert expert.username == "expert" and expert.name == personas["expert"].name
    assert expert.shares_talent and expert.monthly_hours > 0 and expert.hired_at_launch
