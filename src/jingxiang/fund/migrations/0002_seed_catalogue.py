"""Seed the talent tiers and 500精英计划 grades from catalogue.yaml (operators edit them afterwards)."""

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from jingxiang.fund.catalogue import seed as seed_catalogue

    seed_catalogue(apps.get_model("fund", "TalentTier"), apps.get_model("fund", "EliteGrade"))


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
