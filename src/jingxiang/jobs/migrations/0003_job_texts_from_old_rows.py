from django.db import migrations


def keep_old_sentences(apps, schema_editor):
    """Jobs recorded before message ids keep their title and status line as written (``core.legacy``)."""
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.only("pk", "title", "message").iterator():
        Job.objects.filter(pk=job.pk).update(
            title_text={"id": "core.legacy", "params": {"title": job.title, "body": ""}},
            message_text={"id": "core.legacy", "params": {"title": job.message, "body": ""}}
            if job.message
            else {},
        )


def _sentence(text):
    # Going back, a legacy row regains its sentence; a newer one keeps at least its message id.
    text = text or {}
    if text.get("id") == "core.legacy":
        return str((text.get("params") or {}).get("title", ""))
    return str(text.get("id", ""))


def back_to_sentences(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.only("pk", "title_text", "message_text").iterator():
        Job.objects.filter(pk=job.pk).update(
            title=_sentence(job.title_text)[:200], message=_sentence(job.message_text)[:300]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0002_job_texts_and_heartbeat"),
    ]

    operations = [migrations.RunPython(keep_old_sentences, back_to_sentences)]
