"""Typed records of the demo cluster: plain frozen dataclasses, no database.

Field names follow the Django models (``organisations.Organisation``, ``talents.Talent``) so the
loader can copy them across; references between records use stable string ``key`` values instead of
database ids, because the generator runs before anything is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class OrganisationKind(StrEnum):
    FIRM = "firm"
    UNIVERSITY = "university"  # 高校/科研院所 (and training institutions)
    TESTING_LAB = "testing_lab"  # 检测机构
    SERVICE_AGENCY = "service_agency"  # 服务机构
    GOVERNMENT = "government"  # 政府/园区运营方
    UNION = "union"  # 工会
    ASSOCIATION = "association"  # 行业协会/联盟秘书处


class FirmSize(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class TalentKind(StrEnum):
    EXPERT = "expert"
    CRAFTSMAN = "craftsman"
    TECHNICIAN = "technician"
    STUDENT = "student"


class Gender(StrEnum):
    """Same values as ``talents.models.Gender``."""

    FEMALE = "F"
    MALE = "M"


class PersonaRole(StrEnum):
    """Roles of the demo logins; all but ``expert`` are membership roles of ``organisations.Role``."""

    ORG_ADMIN = "org_admin"
    TALENT_OFFICER = "talent_officer"
    MEMBER = "member"
    EXPERT = "expert"  # a talent with a login, no organisation role
    LAB_STAFF = "lab_staff"
    OPERATOR = "operator"
    UNION_STAFF = "union_staff"
    SECRETARIAT = "secretariat"  # member of the alliance secretariat (an association)


@dataclass(frozen=True)
class Product:
    code: str
    name_zh: str
    name_en: str
    skill_codes: tuple[str, ...]


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    short_name: str
    kind: OrganisationKind
    uscc: str
    address: str
    region: str
    region_code: str
    size: FirmSize | None
    employee_count: int | None
    main_products: tuple[str, ...]  # product codes, see ``products_zh``
    main_products_zh: str  # "光学镜架、太阳镜": the display form the model's CharField stores
    founded_year: int | None
    description: str
    contact_name: str
    contact_mobile: str
    is_alliance_member: bool
    is_public: bool  # named in public reports (real name); otherwise invented


@dataclass(frozen=True)
class TalentSkill:
    code: str  # taxonomy skill code
    level: int  # 1 (basic) .. 5 (master)


@dataclass(frozen=True)
class Talent:
    key: str
    name: str
    gender: Gender
    birth_date: dt.date
    age: int  # on ``REFERENCE_DATE``
    kind: TalentKind
    title: str
    level: str
    home_organisation_key: str | None  # None: independent (retirees, freelance professors)
    skills: tuple[TalentSkill, ...]
    description: str
    region: str
    mobile: str
    resident_id: str
    email: str
    hourly_rate: Decimal
    monthly_hours: int  # 0: fully booked this month
    shares_talent: bool
    think_tank: bool
    hired_at_launch: bool  # one of the six talents hired at the 2025-06-20 互聘共享 ceremony
    username: str | None  # set for talents who log in (the ``expert`` persona)


@dataclass(frozen=True)
class Persona:
    """A demo login; the loader creates the user and its membership (or talent link) from it."""

    username: str
    name: str
    role: PersonaRole
    organisation_key: str | None
    talent_key: str | None
    job_title: str
    mobile: str
    email: str


@dataclass(frozen=True)
class Cluster:
    seed: int
    scale: int
    reference_date: dt.date
    organisations: tuple[Organisation, ...]
    talents: tuple[Talent, ...]
    personas: tuple[Persona, ...]
    products: tuple[Product, ...]

    def organisation(self, key: str) -> Organisation:
        for organisation in self.organisations:
            if organisation.key == key:
                return organisation
        raise KeyError(key)

    def talent(self, key: str) -> Talent:
        for talent in self.talents:
            if talent.key == key:
                return talent
        raise KeyError(key)

    def organisations_of_kind(self, kind: OrganisationKind) -> tuple[Organisation, ...]:
        return tuple(organisation for organisation in self.organisations if organisation.kind is kind)
