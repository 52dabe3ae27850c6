"""Batch entry of results: many samples from one Excel sheet or an instrument's CSV export.

One row per value ("long" format, which is how instruments export): sample code, field, value,
optional unit, instrument serial and test date. The whole file is validated first — every row
form, then every sample's values through the engine — and nothing is saved if anything is wrong.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from jingxiang.core.forms import refusal_message
from jingxiang.core.imports import (
    ImportColumn,
    ImportSpec,
    ProgressCallback,
    RowError,
    ValidRow,
)
from jingxiang.core.timerules import time_rule_violations
from jingxiang.lab import conformance, texts
from jingxiang.lab.models import Instrument, Sample
from jingxiang.lab.permissions import lab_ids, results_entry_refusal
from jingxiang.lab.rules import RESULT_RULES
from jingxiang.lab.services import sample_received_on
from jingxiang.quality import CaseRejectedError, judge

TRUE_WORDS = {"是", "yes", "true", "y", "1", "有"}
FALSE_WORDS = {"否", "no", "false", "n", "0", "无"}
FIELD_HELP = "measured.luminous_transmittance / measured.right.sphere / nominal.declared_category"


class ResultRowForm(forms.Form):
    sample = forms.CharField(label=gettext_lazy("样品编号"), max_length=30)
    field = forms.RegexField(
        label=gettext_lazy("字段"),
        regex=r"^(nominal|measured)\.((right|left|lens)\.)?[a-z_0-9]+$",
        error_messages={
            "invalid": gettext_lazy("字段写法应为 %(example)s 这样的形式。") % {"example": FIELD_HELP}
        },
    )
    value = forms.CharField(label=gettext_lazy("数值"), max_length=30)
    unit = forms.CharField(label=gettext_lazy("单位"), max_length=20, required=False)
    instrument = forms.CharField(label=gettext_lazy("仪器编号"), max_length=60)
    test_date = forms.DateField(label=gettext_lazy("检测日期"), input_formats=["%Y-%m-%d", "%Y/%m/%d"])

    def clean_sample(self) -> str:
        return str(self.cleaned_data["sample"]).strip().upper()


class ResultBatchImport(ImportSpec):
    name = "lab_results"
    title = gettext_lazy("检测结果")
    columns = (
        ImportColumn("sample", gettext_lazy("样品编号"), "Sample", required=True, example="DHU-2026-00001"),
        ImportColumn(
            "field", gettext_lazy("字段"), "Field", required=True, example="measured.luminous_transmittance"
        ),
        ImportColumn("value", gettext_lazy("数值"), "Value", required=True, example="5.2"),
        ImportColumn("unit", gettext_lazy("单位"), "Unit", example="%"),
        ImportColumn(
            "instrument", gettext_lazy("仪器编号"), "Instrument", required=True, example="TM-2024-017"
        ),
        ImportColumn("test_date", gettext_lazy("检测日期"), "Test date", required=True, example="2026-11-20"),
    )
    form_class = ResultRowForm

    def __init__(self, *, submit: bool = False) -> None:
        self.submit = submit
        self.samples: dict[str, Sample] = {}
        self.instruments: dict[tuple[int, str], Instrument] = {}
        self.prepared: dict[str, dict[str, Any]] = {}

    def prepare(self, actor: Any) -> None:
        labs = lab_ids(actor)
        self.samples = {
            sample.code: sample
            for sample in Sample.objects.filter(request__lab_id__in=labs).select_related("request")
        }
        self.instruments = {
            (instrument.lab_id, instrument.serial.upper()): instrument
            for instrument in Instrument.objects.filter(lab_id__in=labs, archived_at__isnull=True)
        }

    def check_rows(self, rows: list[ValidRow], actor: Any) -> list[RowError]:
        errors: list[RowError] = []
        by_sample: dict[str, list[ValidRow]] = defaultdict(list)
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            data = row.cleaned
            sample = self.samples.get(data["sample"])
            if sample is None:
                errors.append(RowError(row.row, self.header_for("sample"), _("本实验室没有这个样品编号。")))
                continue
            refusal = results_entry_refusal(actor, sample)
            if refusal is not None:
                errors.append(RowError(row.row, self.header_for("sample"), refusal_message(refusal)))
                continue
            key = (data["sample"], data["field"])
            if key in seen:
                errors.append(
                    RowError(row.row, self.header_for("field"), _("与第 %(r)s 行重复。") % {"r": seen[key]})
                )
                continue
            seen[key] = row.row
            by_sample[data["sample"]].append(row)
        for code, sample_rows in by_sample.items():
            errors.extend(self._check_sample(self.samples[code], sample_rows))
        return errors

    def _check_sample(self, sample: Sample, rows: list[ValidRow]) -> list[RowError]:
        first = rows[0]
        dates = {row.cleaned["test_date"] for row in rows}
        serials = {row.cleaned["instrument"].strip().upper() for row in rows}
        if len(dates) > 1 or len(serials) > 1:
            return [
                RowError(
                    row.row, self.header_for("test_date"), _("同一样品的各行须使用同一检测日期和同一仪器。")
                )
                for row in rows
            ]
        test_date = first.cleaned["test_date"]
        instrument = self.instruments.get((sample.request.lab_id, serials.pop()))
        if instrument is None:
            return [
                RowError(first.row, self.header_for("instrument"), _("本实验室仪器台账中没有这个仪器编号。"))
            ]
        received_on = sample_received_on(sample)
        for _rule, message in time_rule_violations(
            RESULT_RULES, {"test_date": test_date, "received_on": received_on}
        ):
            return [RowError(first.row, self.header_for("test_date"), message)]
        if not instrument.calibrated_on(test_date):
            return [
                RowError(
                    first.row,
                    self.header_for("instrument"),
                    _("仪器 %(i)s 的校准已于 %(d)s 到期,不能用于检测。")
                    % {"i": instrument, "d": instrument.calibration_due.isoformat()},
                )
            ]
        designation = conformance.find_designation(
            sample.request.product_type, sample.request.standard, test_date
        )
        if isinstance(designation, ValidationError):
            return [RowError(first.row, self.header_for("sample"), " ".join(designation.messages))]
        _items, fields = conformance.catalogue(sample.request.product_type, designation)
        known = {f"{f.role}.{f.side + '.' if f.side else ''}{f.name}": f for f in fields}
        nominal = {**(sample.nominal or {})}
        measured = {**(sample.measured or {})}
        errors: list[RowError] = []
        row_of_path: dict[str, int] = {}
        for row in rows:
            field_name = row.cleaned["field"]
            entry = known.get(field_name)
            if entry is None:
                errors.append(
                    RowError(
                        row.row,
                        self.header_for("field"),
                        _("字段 %(f)s 不在 %(d)s 对该产品的检测项目中。")
                        % {"f": field_name, "d": designation},
                    )
                )
                continue
            value = _value(entry, row.cleaned["value"], row.cleaned.get("unit", ""))
            if value is None:
                errors.append(RowError(row.row, self.header_for("value"), _("应填写 是/否。")))
                continue
            target = nominal if entry.role == "nominal" else measured
            if entry.side:
                target = target.setdefault(entry.side, {})
            target[entry.name] = value
            row_of_path["/" + field_name.replace(".", "/")] = row.row
        if errors:
            return errors
        case = {
            "case_id": sample.code,
            "product_type": sample.request.product_type,
            "standard": designation,
            "test_date": test_date.isoformat(),
            "units": sample.units or {},
            "nominal": nominal,
            "measured": measured,
        }
        reg = conformance.registry()
        try:
            judge(case, registry=reg)
        except CaseRejectedError as rejected:
            labels = conformance.field_labels(designation, reg)
            for problem in rejected.problems:
                path = problem.path.split("/value")[0]
                message = conformance.problem_message(problem, labels)
                errors.append(RowError(row_of_path.get(path, first.row), self.header_for("value"), message))
            return errors
        self.prepared[sample.code] = {
            "test_date": test_date,
            "instrument": instrument,
            "nominal": nominal,
            "measured": measured,
        }
        return []

    def save(self, rows: list[ValidRow], actor: Any, progress: ProgressCallback) -> int:
        from jingxiang.lab.services import results_enter

        total = len(self.prepared)
        for index, (code, prepared) in enumerate(sorted(self.prepared.items()), start=1):
            results_enter(
                actor=actor,
                sample=self.samples[code],
                units=self.samples[code].units or {},
                submit=self.submit,
                **prepared,
            )
            progress(40 + int(60 * index / max(total, 1)), texts.BATCH_SAMPLES_SAVED(n=index))
        return total


def _value(entry: conformance.EntryField, raw: str, unit: str) -> Any:
    text = raw.strip()
    if entry.is_boolean:
        lowered = text.lower()
        if lowered in TRUE_WORDS:
            return True
        if lowered in FALSE_WORDS:
            return False
        return None
    unit = unit.strip()
    if unit in {"%", "％"}:
        unit = "percent"
    if unit and entry.quantity in {"length", "transmittance"}:
        return {"value": text, "unit": unit}
    return text


def csv_to_workbook(data: bytes) -> bytes:
    """An instrument's CSV export (UTF-8, UTF-8 with BOM or GBK) as a workbook for the import."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", errors="replace")
    # Cells are written as text on purpose: the export's "-1.25" must stay a number string, not be
    # neutralised the way core.excel neutralises formula-like text in exports.
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its one worksheet
    for row in csv.reader(io.StringIO(text)):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
