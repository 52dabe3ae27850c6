"""Background job kind of the alliance: the obligations' reminder sweep (thin: calls the service)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.alliance import texts
from jingxiang.jobs.models import Job
from jingxiang.jobs.registry import ProgressCallback, register_handler


# Each obligation is reminded at most once per kind (the sweep marks it), so a sweep cut short may rerun.
@register_handler("alliance_reminders", retryable=True)
def run_reminders(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.alliance.services import obligation_reminders_send

    alliance_id = job.params.get("alliance_id")
    url = reverse("alliance:obligations", args=[alliance_id]) if alliance_id else reverse("alliance:home")
    Job.objects.filter(pk=job.pk).update(result_url=url)
    progress(10, texts.REMINDERS_PROGRESS())
    counts = obligation_reminders_send()
    return {**counts, "message": texts.REMINDERS_DONE(due=counts["due_soon"], overdue=counts["overdue"])}
