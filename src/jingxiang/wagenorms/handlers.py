"""Background work of 权益链: checking an uploaded wage file (thin: ids in, the import spec does the work)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.core.imports import errors_in_every_language, run_import
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler
from jingxiang.wagenorms import texts
from jingxiang.wagenorms.imports import WageImport


# All-or-nothing in one transaction: a run cut short saved nothing, so it may simply run again.
@register_handler("wagenorms_report", retryable=True)
def check_wage_file(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    spec = WageImport(firm_id=int(job.params["firm_id"]))
    with job.input_file.open("rb") as handle:
        data = handle.read()
    result = run_import(spec, data, job.created_by, progress)
    if not result.ok:
        outcome = result.as_dict()
        outcome["errors_by_language"] = errors_in_every_language(spec, data, job.created_by, result)
        raise JobFailed(texts.REPORT_REFUSED(n=len(result.errors)), outcome)
    job.result_url = reverse("wagenorms:report", args=[spec.report.pk])
    job.save(update_fields=["result_url"])
    outcome = result.as_dict()
    outcome["message"] = texts.REPORT_DONE(rows=spec.report.rows, failed=spec.report.failed)
    return outcome
