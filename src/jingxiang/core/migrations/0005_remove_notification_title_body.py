from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_notification_text_from_old_rows"),
    ]

    operations = [
        migrations.RemoveField(model_name="notification", name="title"),
        migrations.RemoveField(model_name="notification", name="body"),
    ]
