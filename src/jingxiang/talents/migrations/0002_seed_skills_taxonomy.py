"""Seed the skills taxonomy from taxonomy/skills.yaml, so every new database has it (not only the demo)."""

from django.db import migrations


def seed(apps, schema_editor):
    from jingxiang.taxonomy import load_taxonomy

    SkillDomain = apps.get_model("talents", "SkillDomain")
    Skill = apps.get_model("talents", "Skill")
    for order, domain in enumerate(load_taxonomy().domains):
        domain_row, _ = SkillDomain.objects.get_or_create(
            code=domain.code,
            defaults={"name_zh": domain.name_zh, "name_en": domain.name_en, "sort_order": order},
        )
        for skill in domain.skills:
            Skill.objects.get_or_create(
                code=skill.code,
                defaults={
                    "domain": domain_row,
                    "name_zh": skill.name_zh,
                    "name_en": skill.name_en,
                    "aliases": list(skill.aliases),
                    "is_active": not skill.retired,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("talents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
