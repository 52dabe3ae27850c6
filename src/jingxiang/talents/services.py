"""Writes for talents and the skills taxonomy."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _apply(talent: Talent, data: dict[str, Any]) -> None:
    for field in TALENT_FIELDS:
        if field in data:
            value = data[field]
            if value is None and field not in {"home_organisation"}:
                value = "" if field not in {"hourly_rate", "monthly_hours"} else 0
            setattr(talent, field, value)
    talent.refresh_search_text()


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
        if link.skill.is_active and link.source in {"", _("录入"), _("导入"), "demo"}:
            link.delete()


@transaction.atomic
def talent_create(
    *, actor: Any, data: dict[str, Any], skill_levels: dict[Skill, int] | None = None
) -> Talent:
    """Add a talent profile: operators for anyone, organisation admins for their own people."""
    organisation = data.get("home_organisation")
    if not may_create_for(actor, organisation.pk if organisation else None):
        raise ValidationError({"home_organisation": _("只能为您管理的机构添加人才。")})
    talent = Talent()
    _apply(talent, data)
    talent.full_clean(exclude=["search_text", "user"])
    talent.save()
    _set_skills(talent, skill_levels or {}, source=_("录入"))
    return talent


@transaction.atomic
def talent_update(
    *, actor: Any, talent: Talent, data: dict[str, Any], skill_levels: dict[Skill, int] | None = None
) -> Talent:
    """Change a talent profile (operators, the talent, or their home organisation's admins)."""
    if not may_edit(actor, talent):
        raise PermissionDenied
    talent = Talent.objects.select_for_update(of=("self",)).get(pk=talent.pk)
    new_home = data.get("home_organisation", talent.home_organisation)
    if (new_home.pk if new_home else None) != talent.home_organisation_id and not may_create_for(
        actor, new_home.pk if new_home else None
    ):
        raise ValidationError(_("只能把人才归属到您管理的机构。"), code="home_organisation")
    _apply(talent, data)
    talent.full_clean(exclude=["search_text", "user"])
    talent.save()
    if skill_levels is not None:
        _set_skills(talent, skill_levels)
    return talent


@transaction.atomic
def talent_archive(*, actor: Any, talent: Talent) -> Talent:
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
def skill_update(*, actor: Any, skill: Skill, data: dict[str, Any]) -> Skill:
    """Operators rename a skill, edit its aliases or switch it off (skills are never deleted)."""
    if not is_operator(actor):
        raise PermissionDenied
    for field in ("name_zh", "name_en", "aliases", "is_active"):
        if field in data:
            setattr(skill, field, data[field])
    skill.full_clean()
    skill.save()
    return skill
