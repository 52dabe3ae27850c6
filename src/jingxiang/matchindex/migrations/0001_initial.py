from django.db import migrations, models

SOURCES = ("suppliers", "demands", "feedback", "knowledge")


def create_rows(apps, schema_editor):  # type: ignore[no-untyped-def]
    SourceVersion = apps.get_model("matchindex", "SourceVersion")
    SourceVersion.objects.bulk_create([SourceVersion(name=name, value=0) for name in SOURCES])


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="SourceVersion",
            fields=[
                (
                    "name",
                    models.CharField(max_length=20, primary_key=True, serialize=False, verbose_name="来源"),
                ),
                ("value", models.BigIntegerField(default=0, verbose_name="版本")),
            ],
            options={"verbose_name": "匹配索引来源版本", "verbose_name_plural": "匹配索引来源版本"},
        ),
        migrations.RunPython(create_rows, migrations.RunPython.noop),
    ]
