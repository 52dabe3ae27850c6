from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_otp_invitations_verified_contacts"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                choices=[("zh-hans", "简体中文"), ("en", "English")],
                default="zh-hans",
                max_length=10,
                verbose_name="界面语言",
            ),
        ),
    ]
