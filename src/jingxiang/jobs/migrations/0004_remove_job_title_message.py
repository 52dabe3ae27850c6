from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0003_job_texts_from_old_rows"),
    ]

    operations = [
        migrations.RemoveField(model_name="job", name="title"),
        migrations.RemoveField(model_name="job", name="message"),
    ]
