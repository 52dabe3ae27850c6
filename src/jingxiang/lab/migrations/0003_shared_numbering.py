"""The lab's own counters move to the shared sequences (core.numbering), values kept."""

from django.db import migrations


def move_counters(apps, schema_editor):
    Counter = apps.get_model("lab", "Counter")
    NumberSequence = apps.get_model("core", "NumberSequence")
    for counter in Counter.objects.all():
        NumberSequence.objects.update_or_create(
            scope=counter.scope, year=counter.year, defaults={"value": counter.value}
        )


class Migration(migrations.Migration):
    dependencies = [("lab", "0002_field_labels"), ("core", "0002_numbering_and_time_rules")]

    operations = [
        migrations.RunPython(move_counters, migrations.RunPython.noop),
        migrations.DeleteModel(name="Counter"),
    ]
