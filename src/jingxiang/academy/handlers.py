"""Background work of the academy: issuing a whole cohort's certificates with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jingxiang.academy import services, texts
from jingxiang.academy.models import Cohort, EnrolmentStatus
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler

CERTIFY_COHORT = "academy_certify_cohort"


# Issued trainees leave the "passed, enrolled" set, so a run cut short continues where it stopped.
@register_handler(CERTIFY_COHORT, retryable=True)
def certify_cohort(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    """Issue certificates to every trainee of the cohort who passed; each one in its own transaction,
    so one ineligible trainee never blocks the others (they are listed with the reason)."""
    cohort = Cohort.objects.get(pk=job.params["cohort_id"])
    job.result_url = reverse("academy:cohort_detail", args=[cohort.pk])
    job.save(update_fields=["result_url"])
    candidates = list(
        cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED, assessment__passed=True)
        .select_related("talent")
        .order_by("created_at", "pk")
    )
    issued: list[str] = []
    skipped: list[dict[str, str]] = []
    for index, enrolment in enumerate(candidates, start=1):
        try:
            issued.append(services.certificate_issue(actor=job.created_by, enrolment=enrolment).number)
        except ValidationError as error:
            skipped.append({"name": enrolment.talent.name, "reason": " ".join(error.messages)})
        except PermissionDenied as error:
            raise JobFailed(texts.CERTIFY_FORBIDDEN(), {"issued": issued}) from error
        progress(index * 100 // len(candidates), texts.CERTIFY_PROGRESS(i=index, n=len(candidates)))
    return {
        "message": texts.CERTIFY_DONE(n=len(issued), m=len(skipped)),
        "issued": issued,
        "skipped": skipped,
    }
