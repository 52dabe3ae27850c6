"""Built-in job kinds: Excel imports."""

from __future__ import annotations

from typing import Any

from jingxiang.core.imports import errors_in_every_language, get_spec, run_import
from jingxiang.jobs import texts
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler


# All-or-nothing in one transaction: a run cut short saved nothing, so it may simply run again.
@register_handler("import", retryable=True)
def import_workbook(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    spec = get_spec(job.params["spec"])
    with job.input_file.open("rb") as handle:
        data = handle.read()
    result = run_import(spec, data, job.created_by, progress)
    if not result.ok:
        outcome = result.as_dict()
        outcome["errors_by_language"] = errors_in_every_language(spec, data, job.created_by, result)
        raise JobFailed(texts.IMPORT_REFUSED(n=len(result.errors)), outcome)
    outcome = result.as_dict()
    outcome["message"] = texts.IMPORT_DONE(n=result.created)
    return outcome
