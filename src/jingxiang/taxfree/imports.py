"""Customs verification files (CSV or Excel): one row per refund form, validated as a whole.

An unknown form number, a form of a store the agency does not serve, a form listed twice in the
file or already verified: the whole file is refused with every bad row, nothing is recorded.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from jingxiang.core.imports import (
    ImportColumn,
    ImportSpec,
    ProgressCallback,
    RowError,
    ValidRow,
    choice_value,
)
from jingxiang.taxfree import services
from jingxiang.taxfree.models import FormStatus, RefundForm
from jingxiang.taxfree.permissions import agency_forms

RESULTS = [("verified", gettext_lazy("已验核")), ("not_verified", gettext_lazy("未验核"))]


class VerificationRowForm(forms.Form):
    form_number = forms.CharField(label=gettext_lazy("申请单号"), max_length=30)
    result = forms.CharField(label=gettext_lazy("验核结果"), max_length=20)
    verified_on = forms.DateField(
        label=gettext_lazy("验核日期"), required=False, input_formats=["%Y-%m-%d", "%Y/%m/%d"]
    )
    port = forms.CharField(label=gettext_lazy("口岸"), max_length=10, required=False)

    def clean_form_number(self) -> str:
        return str(self.cleaned_data["form_number"]).strip().upper()

    def clean_result(self) -> str:
        return str(choice_value(self.cleaned_data["result"], RESULTS, _("验核结果")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("result") == "verified" and not data.get("verified_on"):
            self.add_error("verified_on", _("已验核的申请单须有验核日期。"))
        return data


class VerificationImport(ImportSpec):
    name = "taxfree_verifications"
    title = gettext_lazy("海关验核文件")
    columns = (
        ImportColumn(
            "form_number", gettext_lazy("申请单号"), "Form number", required=True, example="DQTR2026-000001"
        ),
        ImportColumn("result", gettext_lazy("验核结果"), "Result", required=True, example="已验核"),
        ImportColumn("verified_on", gettext_lazy("验核日期"), "Verified on", example="2026-12-10"),
        ImportColumn("port", gettext_lazy("口岸"), "Port", example="HGH"),
    )
    form_class = VerificationRowForm

    def __init__(self) -> None:
        self.forms: dict[str, RefundForm] = {}

    def prepare(self, actor: Any) -> None:
        self.forms = {
            form.number: form
            for form in agency_forms(actor).select_related("store").prefetch_related("verification")
        }

    def check_rows(self, rows: list[ValidRow], actor: Any) -> list[RowError]:
        errors: list[RowError] = []
        seen: dict[str, int] = {}
        column = self.header_for("form_number")
        for row in rows:
            number = row.cleaned["form_number"]
            form = self.forms.get(number)
            if form is None:
                errors.append(RowError(row.row, column, _("没有这张申请单:%(n)s。") % {"n": number}))
            elif number in seen:
                errors.append(RowError(row.row, column, _("与第 %(r)s 行重复。") % {"r": seen[number]}))
            elif hasattr(form, "verification"):
                errors.append(RowError(row.row, column, _("申请单 %(n)s 已有海关验核记录。") % {"n": number}))
            elif form.status == FormStatus.VOIDED:
                errors.append(RowError(row.row, column, _("申请单 %(n)s 已作废。") % {"n": number}))
            seen.setdefault(number, row.row)
        return errors

    def save(self, rows: list[ValidRow], actor: Any, progress: ProgressCallback) -> int:
        for row in rows:
            services.verification_record(
                actor=actor,
                form=self.forms[row.cleaned["form_number"]],
                verified=row.cleaned["result"] == "verified",
                verified_on=row.cleaned.get("verified_on"),
                port=row.cleaned.get("port") or "",
            )
        return len(rows)


def as_workbook(data: bytes) -> bytes:
    """Customs files come as CSV (UTF-8, with BOM or GBK) or Excel; the import reads workbooks."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        return data
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", errors="replace")
    workbook = Workbook()
    sheet: Any = workbook.active
    for row in csv.reader(io.StringIO(text)):
        # Written as text cells: a form number must stay as typed.
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
