"""The firms' wage file as a core.imports.ImportSpec: whole file validated (forms, then the engine), every
bad row named, nothing stored on error. One spec instance per run, bound to the reporting firm."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from jingxiang.core.excel import build_workbook
from jingxiang.core.imports import ImportColumn, ImportSpec, ProgressCallback, RowError, ValidRow
from jingxiang.wagenorms import texts
from jingxiang.wagenorms.checking import MOBILE, check_firm_rows
from jingxiang.wagenorms.engine import agreement_of
from jingxiang.wages import COLUMNS

_EXAMPLES = {"worker_id": "A0001", "month": "2026-03", "level": "中级工", "base_wage": "2900"}


def _columns() -> tuple[ImportColumn, ...]:
    columns = [
        ImportColumn(c.name, c.label_zh, c.name, required=c.required, example=_EXAMPLES.get(c.name, ""))
        for c in COLUMNS
        if c.name != "firm"
    ]
    columns.insert(1, ImportColumn(MOBILE, gettext_lazy("手机号"), "mobile", example=""))
    return tuple(columns)


class WageRowForm(forms.Form):
    """Only presence and length here: the engine judges numbers, months, posts and levels with the agreement."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for column in _columns():
            self.fields[column.key] = forms.CharField(required=column.required, max_length=200)


class WageImport(ImportSpec):
    name = "wagenorms"
    title = gettext_lazy("工资报表")
    columns = _columns()
    form_class = WageRowForm

    def __init__(self, firm_id: int) -> None:
        self.firm_id = firm_id
        self.checked: list[dict[str, Any]] = []
        self.report: Any = None

    def check_rows(self, rows: list[ValidRow], actor: Any) -> list[RowError]:
        checked, problems = check_firm_rows(self.firm_id, [(row.row, row.cleaned) for row in rows])
        self.checked = checked
        return [RowError(problem.row, problem.column, problem.message) for problem in problems]

    def save(self, rows: list[ValidRow], actor: Any, progress: ProgressCallback) -> int:
        from jingxiang.wagenorms.services import report_save

        def step(done: int, total: int) -> None:
            progress(40 + 60 * done // max(total, 1), texts.REPORT_SAVING(i=done, n=total))

        self.report = report_save(
            actor=actor, firm_id=self.firm_id, source="excel", checked=self.checked, progress=step
        )
        return int(self.report.rows)


def firm_template(agreement: Any) -> bytes:
    """The template with one example row per post of the agreement in force (the firm's posts)."""
    spec = WageImport(firm_id=0)
    headers = [f"{column.header}{'*' if column.required else ''}" for column in spec.columns]
    rows = []
    posts = agreement_of(agreement.voted_version).posts if agreement else ()
    for post in posts or [None]:
        values = dict(_EXAMPLES)
        values["post"] = post.name_zh if post else ""
        rows.append([values.get(column.key, "") for column in spec.columns])
    return build_workbook(headers, rows, sheet_title="wages")
