"""Background work of the lab: the batch import of results (thin: read the file, call the import)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.core.imports import errors_in_every_language, run_import
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler
from jingxiang.lab import texts
from jingxiang.lab.imports import ResultBatchImport, csv_to_workbook


# All-or-nothing like every import: a run cut short saved nothing and may run again.
@register_handler("lab_results_batch", retryable=True)
def results_batch(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    """Job handler (thin): read the file, run the whole-file-first import."""
    with job.input_file.open("rb") as handle:
        data = handle.read()
    if job.input_file.name.lower().endswith(".csv"):
        data = csv_to_workbook(data)
    spec = ResultBatchImport(submit=bool(job.params.get("submit")))
    result = run_import(spec, data, job.created_by, progress)
    if not result.ok:
        outcome = result.as_dict()
        outcome["errors_by_language"] = errors_in_every_language(spec, data, job.created_by, result)
        raise JobFailed(texts.BATCH_REFUSED(n=len(result.errors)), outcome)
    job.result_url = reverse("lab:sample_list") + (
        "?status=awaiting_review" if job.params.get("submit") else ""
    )
    job.save(update_fields=["result_url"])
    outcome = result.as_dict()
    outcome["message"] = texts.BATCH_DONE(n=result.created)
    return outcome
