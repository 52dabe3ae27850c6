"""Background work of the parks: the lease-expiry reminder run (thin: call the service)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.jobs.registry import ProgressCallback, register_handler
from jingxiang.parks import texts
from jingxiang.parks.services import lease_reminders_send


# Each lease is marked reminded in its own transaction: a run cut short may run again.
@register_handler("parks_lease_reminders", retryable=True)
def lease_reminders(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    sent = lease_reminders_send(progress=progress)
    job.result_url = reverse("parks:leases")
    job.save(update_fields=["result_url"])
    return {"sent": sent, "message": texts.REMINDERS_DONE(n=sent)}
