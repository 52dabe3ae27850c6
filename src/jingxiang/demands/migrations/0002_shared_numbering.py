"""Demand numbers are stored and come from the shared yearly sequence (core.numbering).

Existing demands keep the number they were shown with (XQ<year><pk>); each year's sequence starts
after the highest of them so that new numbers never collide with old ones.
"""

from django.db import migrations, models
from django.utils import timezone


def keep_existing_numbers(apps, schema_editor):
    Demand = apps.get_model("demands", "Demand")
    NumberSequence = apps.get_model("core", "NumberSequence")
    highest: dict[int, int] = {}
    for demand in Demand.objects.order_by("pk").only("pk", "created_at"):
        year = timezone.localtime(demand.created_at).year
        Demand.objects.filter(pk=demand.pk).update(number=f"XQ{year}{demand.pk:05d}")
        highest[year] = max(highest.get(year, 0), demand.pk)
    for year, value in highest.items():
        NumberSequence.objects.update_or_create(scope="demand", year=year, defaults={"value": value})


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial"), ("core", "0002_numbering_and_time_rules")]

    operations = [
        migrations.AddField(
            model_name="demand",
            name="number",
            field=models.CharField(default="", editable=False, max_length=20, verbose_name="需求编号"),
            preserve_default=False,
        ),
        migrations.RunPython(keep_existing_numbers, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="demand",
            name="number",
            field=models.CharField(editable=False, max_length=20, unique=True, verbose_name="需求编号"),
        ),
    ]
