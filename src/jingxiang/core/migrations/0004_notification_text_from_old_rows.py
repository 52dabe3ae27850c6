from django.db import migrations


def keep_old_sentences(apps, schema_editor):
    """Rows written before message ids keep the sentence they were written with (``core.legacy``)."""
    Notification = apps.get_model("core", "Notification")
    for notification in (
        Notification.objects.filter(message="core.legacy").only("pk", "title", "body").iterator()
    ):
        Notification.objects.filter(pk=notification.pk).update(
            params={"title": notification.title, "body": notification.body}
        )


def back_to_sentences(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    for notification in Notification.objects.only("pk", "message", "params").iterator():
        params = notification.params or {}
        if notification.message != "core.legacy":
            # A newer row keeps at least its message id going back.
            params = {"title": notification.message, "body": ""}
        Notification.objects.filter(pk=notification.pk).update(
            title=str(params.get("title", ""))[:200], body=str(params.get("body", ""))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_notification_message_and_outbox"),
    ]

    operations = [migrations.RunPython(keep_old_sentences, back_to_sentences)]
