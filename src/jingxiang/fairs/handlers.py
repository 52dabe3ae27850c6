"""Background jobs of the fairs (thin: take the ids, call the service)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.core.imports import errors_in_every_language, run_import
from jingxiang.fairs import texts
from jingxiang.fairs.imports import BoothImport
from jingxiang.fairs.models import Fair
from jingxiang.jobs import texts as job_texts
from jingxiang.jobs.models import Job
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler


# Each allocation is its own transaction and the run only takes applications still waiting: a run cut
# short may simply run again.
@register_handler("fairs_allocate", retryable=True)
def allocate_booths(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    from jingxiang.fairs.services import allocation_run

    fair = Fair.objects.get(pk=int(job.params["fair_id"]))
    Job.objects.filter(pk=job.pk).update(result_url=reverse("fairs:applications", args=[fair.pk]))
    allocated, unplaced = allocation_run(actor=job.created_by, fair=fair, progress=progress)
    return {
        "allocated": allocated,
        "unplaced": unplaced,
        "message": texts.ALLOCATION_DONE(a=allocated, u=unplaced),
    }


# All or nothing in one transaction (core.imports): a run cut short saved nothing.
@register_handler("fairs_booth_import", retryable=True)
def import_booths(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    fair = Fair.objects.get(pk=int(job.params["fair_id"]))
    Job.objects.filter(pk=job.pk).update(result_url=reverse("fairs:detail", args=[fair.pk]))
    spec = BoothImport(fair)
    with job.input_file.open("rb") as handle:
        data = handle.read()
    result = run_import(spec, data, job.created_by, progress)
    if not result.ok:
        outcome = result.as_dict()
        outcome["errors_by_language"] = errors_in_every_language(spec, data, job.created_by, result)
        raise JobFailed(job_texts.IMPORT_REFUSED(n=len(result.errors)), outcome)
    outcome = result.as_dict()
    outcome["message"] = job_texts.IMPORT_DONE(n=result.created)
    return outcome
