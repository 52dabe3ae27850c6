"""Loading the deterministic demo cluster into the database.

The generator (``jingxiang.demo_data``) is plain Python; this module turns its records into rows. Apps
that own more demo content expose ``demo.load(context)`` in their own package; the loader calls them
in INSTALLED_APPS order after the foundation data, so no shared file grows with every app.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jingxiang.core.search import searchable_text
from jingxiang.demo_data import generate_cluster
from jingxiang.demo_data.records import Cluster, PersonaRole

# Published in the README: demo logins only exist in a demo database.
DEMO_PASSWORD = "jingxiang2026"  # noqa: S105


@dataclass
class DemoContext:
    cluster: Cluster
    organisations: dict[str, Any] = field(default_factory=dict)
    talents: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    # Lines for load_demo to print after the logins (e.g. a login invitation to try the claim with).
    notes: list[str] = field(default_factory=list)


def demo_loaded() -> bool:
    from jingxiang.organisations.models import Organisation

    return Organisation.objects.filter(name="临海市康波眼镜有限公司").exists()


@transaction.atomic
def load_demo(*, seed: int = 20250620, scale: int = 1, password: str = DEMO_PASSWORD) -> DemoContext:
    from jingxiang.organisations.models import Membership, Organisation, OrganisationStatus, Role
    from jingxiang.talents.models import Skill, Talent, TalentSkill
    from jingxiang.talents.services import skills_sync

    skills_sync()
    cluster = generate_cluster(seed=seed, scale=scale)
    context = DemoContext(cluster=cluster)
    now = timezone.now()

    organisations = [
        Organisation(
            name=record.name,
            short_name=record.short_name,
            kind=str(record.kind),
            uscc=record.uscc or None,
            address=record.address,
            region=record.region,
            size=str(record.size) if record.size else "",
            employee_count=record.employee_count,
            main_products=record.main_products_zh,
            founded_year=record.founded_year,
            description=record.description,
            contact_name=record.contact_name,
            contact_mobile=record.contact_mobile,
            is_alliance_member=record.is_alliance_member,
            status=OrganisationStatus.APPROVED,
            reviewed_at=now,
            search_text=searchable_text(record.name, record.short_name),
        )
        for record in cluster.organisations
    ]
    Organisation.objects.bulk_create(organisations, batch_size=500)
    by_name = {org.name: org for org in Organisation.objects.all()}
    context.organisations = {record.key: by_name[record.name] for record in cluster.organisations}

    skills = {skill.code: skill for skill in Skill.objects.all()}
    talents = [
        Talent(
            name=record.name,
            gender=str(record.gender),
            kind=str(record.kind),
            title=record.title,
            level=record.level,
            home_organisation=context.organisations.get(record.home_organisation_key or ""),
            region=record.region,
            mobile=record.mobile,
            resident_id=record.resident_id,
            email=record.email,
            description=record.description,
            hourly_rate=record.hourly_rate,
            monthly_hours=record.monthly_hours,
            shares_talent=record.shares_talent,
            think_tank=record.think_tank,
            search_text=searchable_text(record.name, record.title, record.level),
        )
        for record in cluster.talents
    ]
    Talent.objects.bulk_create(talents, batch_size=500)
    by_id = {talent.resident_id: talent for talent in Talent.objects.all()}
    context.talents = {record.key: by_id[record.resident_id] for record in cluster.talents}
    links = [
        TalentSkill(
            talent=context.talents[record.key], skill=skills[skill.code], level=skill.level, source="demo"
        )
        for record in cluster.talents
        for skill in record.skills
        if skill.code in skills
    ]
    TalentSkill.objects.bulk_create(links, batch_size=1000)

    user_model = get_user_model()
    role_map = {
        PersonaRole.ORG_ADMIN: Role.ORG_ADMIN,
        PersonaRole.TALENT_OFFICER: Role.TALENT_OFFICER,
        PersonaRole.MEMBER: Role.MEMBER,
        PersonaRole.LAB_STAFF: Role.LAB_STAFF,
        PersonaRole.OPERATOR: Role.OPERATOR,
        PersonaRole.UNION_STAFF: Role.UNION_STAFF,
        PersonaRole.SECRETARIAT: Role.OPERATOR,
    }
    for persona in cluster.personas:
        user = user_model(
            username=persona.username,
            display_name=persona.name,
            mobile=persona.mobile,
            email=persona.email,
            is_staff=persona.role in {PersonaRole.OPERATOR, PersonaRole.SECRETARIAT},
            is_superuser=persona.role == PersonaRole.OPERATOR,
        )
        user.set_password(password)
        user.save()
        context.users[persona.username] = user
        organisation = context.organisations.get(persona.organisation_key or "")
        if persona.role in role_map and organisation is not None:
            Membership.objects.create(user=user, organisation=organisation, role=role_map[persona.role])
        if persona.talent_key:
            talent = context.talents[persona.talent_key]
            talent.user = user
            talent.save(update_fields=["user"])
        where = organisation.name if organisation is not None else ""
        context.logins.append((persona.username, str(persona.role), f"{persona.name} {where}".strip()))

    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("jingxiang.") or app_config.name == "jingxiang.core":
            continue
        try:
            module = importlib.import_module(f"{app_config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.demo":
                raise
            continue
        module.load(context)
    return context
