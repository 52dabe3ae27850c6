"""Certificate serials move to the shared sequences (core.numbering), values kept."""

from django.db import migrations


def move_sequences(apps, schema_editor):
    CertificateSequence = apps.get_model("academy", "CertificateSequence")
    NumberSequence = apps.get_model("core", "NumberSequence")
    for sequence in CertificateSequence.objects.all():
        NumberSequence.objects.update_or_create(
            scope="academy-certificate", year=sequence.year, defaults={"value": sequence.last_serial}
        )


class Migration(migrations.Migration):
    dependencies = [("academy", "0002_field_labels"), ("core", "0002_numbering_and_time_rules")]

    operations = [
        migrations.RunPython(move_sequences, migrations.RunPython.noop),
        migrations.DeleteModel(name="CertificateSequence"),
    ]
