"""Built-in job kinds: Excel imports."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jingxiang.core.imports import get_spec, run_import
from jingxiang.jobs.registry import JobFailed, ProgressCallback, register_handler


@register_handler("import")
def import_workbook(job: Any, progress: ProgressCallback) -> dict[str, Any]:
    spec = get_spec(job.params["spec"])
    with job.input_file.open("rb") as handle:
        data = handle.read()
    result = run_import(spec, data, job.created_by, progress)
    if not result.ok:
        raise JobFailed(
            _("文件中有 %(n)s 处错误,未导入任何数据。请修改后重新上传。") % {"n": len(result.errors)},
            result.as_dict(),
        )
    outcome = result.as_dict()
    outcome["message"] = _("已导入 %(n)s 条记录。") % {"n": result.created}
    return outcome
