from django.db import migrations, models


class Migration(migrations.Migration):
    """A job's title and status line become message ids with parameters; running jobs get a heartbeat."""

    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="title_text",
            field=models.JSONField(default=dict, verbose_name="标题"),
        ),
        migrations.AddField(
            model_name="job",
            name="message_text",
            field=models.JSONField(blank=True, default=dict, verbose_name="说明"),
        ),
        migrations.AddField(
            model_name="job",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最近心跳"),
        ),
    ]
