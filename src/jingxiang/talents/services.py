"""Writes for talents and the skills taxonomy."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.accounts.actors import Actor
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import is_operator
from jingxiang.talents.models import Skill, SkillDomain, Talent, TalentSkill
from jingxiang.talents.permissions import may_create_for, may_edit
from jingxiang.taxonomy import Taxonomy, load_taxonomy

TALENT_FIELDS = (
    "name",
    "gender",
    "kind",
    "title",
    "level",
    "home_organisation",
    "region",
    "mobile",
    "resident_id",
    "email",
    "description",
    "hourly_rate",
    "monthly_hours",
    "shares_talent",
    "think_tank",
)
"""The profile's fields, as the form and the services name them."""


def is_typed_in(link: TalentSkill) -> bool:
    """Whether a skill link was typed in or imported (the profile form may change or drop it), as
    opposed to proven by a certificate or retired from the taxonomy (kept whatever the form says)."""
    return link.skill.is_active and link.source in {"", _("录入"), _("导入"), "demo"}


def _set_skills(talent: Talent, skill_levels: dict[Skill, int], source: str = "") -> None:
    current = {link.skill_id: link for link in talent.talent_skills.select_related("skill")}
    for skill, level in skill_levels.items():
        link = current.pop(skill.pk, None)
        if link is None:
            TalentSkill.objects.create(talent=talent, skill=skill, level=level, source=source)
        elif link.level != level:
            link.level = level
            link.save(update_fields=["level"])
    for link in current.values():
        # The form only offers active skills and cannot show certified levels: keep those links.
        if is_typed_in(link):
            link.delete()


@transaction.atomic
def talent_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    home_organisation: Organisation | None = None,
    gender: str = "",
    title: str = "",
    level: str = "",
    region: str = "",
    mobile: str = "",
    resident_id: str = "",
    email: str = "",
    description: str = "",
    hourly_rate: Decimal | None = None,
    monthly_hours: int | None = None,
    shares_talent: bool = False,
    think_tank: bool = False,
    skill_levels: dict[Skill, int] | None = None,
) -> Talent:
    """Add a talent profile: operators for anyone, organisation admins for their own people.

    An empty rate or number of hours is 0.
    """
    if not may_create_for(actor, home_organisation.pk if home_organisation else None):
        raise ValidationError({"home_organisation": _("只能为您管理的机构添加人才。")})
    talent = Talent(
        name=name,
        gender=gender,
        kind=kind,
        title=title,
        level=level,
        home_organisation=home_organisation,
        region=region,
        mobile=mobile,
        resident_id=resident_id,
        email=email,
        description=description,
        hourly_rate=hourly_rate or Decimal(0),
        monthly_hours=monthly_hours or 0,
        shares_talent=shares_talent,
        think_tank=think_tank,
    )
    talent.refresh_search_text()
    talent.full_clean(exclude=["search_text", "user"])
    talent.save()
    _set_skills(talent, skill_levels or {}, source=_("录入"))
    return talent


@transaction.atomic
def talent_update(
    *,
    actor: Actor,
    talent: Talent,
    name: str,
    kind: str,
    home_organisation: Organisation | None,
    gender: str,
    title: str,
    level: str,
    region: str,
    email: str,
    description: str,
    hourly_rate: Decimal | None,
    monthly_hours: int | None,
    shares_talent: bool,
    think_tank: bool,
    mobile: str | None = None,
    resident_id: str | None = None,
    skill_levels: dict[Skill, int] | None = None,
) -> Talent:
    """Change a talent profile (operators, the talent, or their home organisation's admins).

    ``mobile`` and ``resident_id`` left as ``None`` keep what is stored (the form never shows them in
    full); ``skill_levels`` left as ``None`` keeps the skills.
    """
    if not may_edit(actor, talent):
        raise PermissionDenied
    talent = Talent.objects.select_for_update(of=("self",)).get(pk=talent.pk)
    if (home_organisation.pk if home_organisation else None) != talent.home_organisation_id and not (
        may_create_for(actor, home_organisation.pk if home_organisation else None)
    ):
        raise ValidationError(_("只能把人才归属到您管理的机构。"), code="home_organisation")
    talent.name, talent.kind, talent.home_organisation = name, kind, home_organisation
    talent.gender, talent.title, talent.level, talent.region = gender, title, level, region
    talent.email, talent.description = email, description
    talent.hourly_rate, talent.monthly_hours = hourly_rate or Decimal(0), monthly_hours or 0
    talent.shares_talent, talent.think_tank = shares_talent, think_tank
    if mobile is not None:
        talent.mobile = mobile
    if resident_id is not None:
        talent.resident_id = resident_id
    talent.refresh_search_text()
    talent.full_clean(exclude=["search_text", "user"])
    talent.save()
    if skill_levels is not None:
        _set_skills(talent, skill_levels)
    return talent


@transaction.atomic
def talent_archive(*, actor: Actor, talent: Talent) -> Talent:
    """Archive a talent profile; it leaves the directory and its history stays."""
    if not may_edit(actor, talent):
        raise PermissionDenied
    talent.archived_at = timezone.now()
    talent.save(update_fields=["archived_at", "updated_at"])
    return talent


@transaction.atomic
def talent_skill_raise(*, talent: Talent, skill: Skill, level: int, source: str) -> TalentSkill:
    """Record a proven skill level (e.g. from a certificate); a level is only ever raised this way.

    Called by other services (the academy's certification) after their own authorisation.
    """
    link: TalentSkill
    link, created = TalentSkill.objects.select_for_update(of=("self",)).get_or_create(
        talent=talent, skill=skill, defaults={"level": level, "source": source}
    )
    if not created and link.level < level:
        link.level = level
        link.source = source
        link.save(update_fields=["level", "source"])
    return link


@transaction.atomic
def skills_sync(*, taxonomy: Taxonomy | None = None, overwrite: bool = False) -> tuple[int, int]:
    """Add the domains and skills of the repository file that the database does not have yet.

    Rows that exist are left as operators edited them unless ``overwrite`` is given; nothing is ever
    deleted (a skill retired in the file is switched off only when overwriting). Returns how many
    domains and skills were created.
    """
    taxonomy = taxonomy or load_taxonomy()
    domains = skills = 0
    for order, domain in enumerate(taxonomy.domains):
        domain_defaults = {"name_zh": domain.name_zh, "name_en": domain.name_en, "sort_order": order}
        if overwrite:
            domain_row, created = SkillDomain.objects.update_or_create(
                code=domain.code, defaults=domain_defaults
            )
        else:
            domain_row, created = SkillDomain.objects.get_or_create(
                code=domain.code, defaults=domain_defaults
            )
        domains += int(created)
        for skill in domain.skills:
            skill_defaults = {
                "domain": domain_row,
                "name_zh": skill.name_zh,
                "name_en": skill.name_en,
                "aliases": list(skill.aliases),
                "is_active": not skill.retired,
            }
            if overwrite:
                _row, created = Skill.objects.update_or_create(code=skill.code, defaults=skill_defaults)
            else:
                _row, created = Skill.objects.get_or_create(code=skill.code, defaults=skill_defaults)
            skills += int(created)
    return domains, skills


@transaction.atomic
def skill_update(
    *,
    actor: Actor,
    skill: Skill,
    name_zh: str | None = None,
    name_en: str | None = None,
    aliases: list[str] | None = None,
    is_active: bool | None = None,
) -> Skill:
    """Operators rename a skill, edit its aliases or switch it off (skills are never deleted).

    What is left as ``None`` stays as it is.
    """
    if not is_operator(actor):
        raise PermissionDenied
    if name_zh is not None:
        skill.name_zh = name_zh
    if name_en is not None:
        skill.name_en = name_en
    if aliases is not None:
        skill.aliases = aliases
    if is_active is not None:
        skill.is_active = is_active
    skill.full_clean()
    skill.save()
    return skill
