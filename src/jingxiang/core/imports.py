"""Whole-file-first Excel imports.

An import reads the entire workbook, validates every row with a Django form (so messages come in the
user's language), runs cross-row checks, and only if nothing is wrong saves all rows in one
transaction. Every bad row is reported with its Excel row number, column header and reason.
"""

from __future__ import annotations

import io
import logging
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from jingxiang.core import texts
from jingxiang.core.excel import build_workbook
from jingxiang.core.texts import Text, msgid_of

logger = logging.getLogger(__name__)
ProgressCallback = Callable[[int, Text], None]
_MAX_COLUMNS = 100
_MAX_UNPACKED_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: str | Promise
    header_en: str
    required: bool = False
    example: str = ""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "created": self.created,
            "errors": [error.as_dict() for error in self.errors],
        }


@dataclass
class ValidRow:
    row: int
    cleaned: dict[str, Any]


class ImportSpec(ABC):
    """What one kind of import expects and how it saves. Subclasses set columns and form_class."""

    name: str = ""
    title: str | Promise = ""
    columns: tuple[ImportColumn, ...] = ()
    form_class: type[forms.Form]

    def prepare(self, actor: Any) -> None:  # noqa: B027 - optional hook, most specs need no lookups
        """Load lookups once per import run (called before any row is validated)."""

    def form_kwargs(self, actor: Any) -> dict[str, Any]:
        return {}

    def check_rows(self, rows: list[ValidRow], actor: Any) -> list[RowError]:
        """Checks that need the whole file (duplicates inside the file, against the database)."""
        return []

    @abstractmethod
    def save(self, rows: list[ValidRow], actor: Any, progress: ProgressCallback) -> int:
        """Create the records of an already fully validated file; return how many were created."""

    def header_for(self, key: str) -> str:
        for column in self.columns:
            if column.key == key:
                return str(column.header)
        return key

    def template(self) -> bytes:
        headers = [f"{column.header}{'*' if column.required else ''}" for column in self.columns]
        return build_workbook(headers, [[column.example for column in self.columns]], sheet_title=self.name)


def choice_value(raw: str, choices: list[tuple[str, Any]], what: str) -> str:
    """Accept a choice written as its code, its Chinese label or its English label (case-insensitive)."""
    wanted = raw.strip().lower()
    for value, label in choices:
        if wanted in {str(value).lower(), str(label).lower()}:
            return str(value)
    names = _("、").join(str(label) for _value, label in choices)
    raise forms.ValidationError(
        _("无法识别的%(what)s“%(raw)s”,可选:%(names)s。") % {"what": what, "raw": raw, "names": names}
    )


_specs: dict[str, ImportSpec] = {}


def register_spec(spec: ImportSpec) -> None:
    _specs[spec.name] = spec


def get_spec(name: str) -> ImportSpec:
    return _specs[name]


def _normalise_header(text: Any) -> str:
    return str(text or "").strip().rstrip("*＊").strip().lower()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def read_rows(spec: ImportSpec, data: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """Parse the workbook into (row number, values by column key), or say why the file is unusable."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
        return [], [RowError(0, "", _("文件太大:最大 %(mb)s MB。") % {"mb": limit})]
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [], [RowError(0, "", _("不是 Excel 文件(.xlsx)。请用模板另存为 .xlsx 后再上传。"))]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        unpacked = None
    if unpacked is None or unpacked > _MAX_UNPACKED_BYTES:
        # A small file that unpacks to hundreds of megabytes is a zip bomb, not a spreadsheet.
        return [], [RowError(0, "", _("文件已损坏或不是 Excel 工作簿,无法读取。"))]
    try:
        return _parse_rows(spec, data)
    except Exception:
        logger.info("unreadable workbook uploaded for %s", spec.name, exc_info=True)
        return [], [RowError(0, "", _("文件已损坏或不是 Excel 工作簿,无法读取。"))]


def _parse_rows(spec: ImportSpec, data: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    errors: list[RowError] = []
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    header_row = next(sheet.iter_rows(min_row=1, max_row=1, max_col=_MAX_COLUMNS, values_only=True), None)
    if not header_row or all(_cell_text(v) == "" for v in header_row):
        return [], [RowError(1, "", _("第 1 行应为表头,但文件是空的。"))]
    by_header: dict[str, str] = {}
    for column in spec.columns:
        # The Chinese header is accepted whatever the reader's language, so the same file reads the
        # same for everyone (the row errors of a refused file are rendered once per language).
        by_header[_normalise_header(msgid_of(column.header))] = column.key
        by_header[_normalise_header(column.header)] = column.key
        by_header[_normalise_header(column.header_en)] = column.key
    positions: dict[int, str] = {}
    for index, header in enumerate(header_row):
        key = by_header.get(_normalise_header(header))
        if key is None:
            continue
        if key in positions.values():
            errors.append(RowError(1, str(header), _("表头“%(col)s”出现了不止一次。") % {"col": header}))
        positions[index] = key
    present = set(positions.values())
    for column in spec.columns:
        if column.required and column.key not in present:
            errors.append(
                RowError(1, str(column.header), _("缺少必填列“%(col)s”。") % {"col": column.header})
            )
    if errors:
        return [], errors
    parsed: list[tuple[int, dict[str, str]]] = []
    width = min(len(header_row), _MAX_COLUMNS)
    limit = settings.IMPORT_MAX_ROWS
    # Bounded reading: a sheet that declares a million empty rows is read no further than the limit.
    rows = sheet.iter_rows(min_row=2, max_row=limit + 2, max_col=width, values_only=True)
    for row_number, values in enumerate(rows, start=2):
        if row_number > limit + 1:
            return [], [RowError(row_number, "", _("行数超过上限 %(n)s 行,请拆分文件。") % {"n": limit})]
        if values is None or all(_cell_text(v) == "" for v in values):
            continue
        record = dict.fromkeys(present, "")
        for index, key in positions.items():
            if index < len(values):
                record[key] = _cell_text(values[index])
        parsed.append((row_number, record))
    workbook.close()
    if not parsed:
        errors.append(RowError(2, "", _("文件中没有数据行。")))
    return parsed, errors


def validate(spec: ImportSpec, data: bytes, actor: Any) -> tuple[list[ValidRow], ImportResult]:
    result = ImportResult()
    parsed, file_errors = read_rows(spec, data)
    result.rows = len(parsed)
    if file_errors:
        result.errors = file_errors
        return [], result
    spec.prepare(actor)
    valid: list[ValidRow] = []
    for row_number, record in parsed:
        form = spec.form_class(data=record, **spec.form_kwargs(actor))
        if form.is_valid():
            valid.append(ValidRow(row_number, form.cleaned_data))
            continue
        for key, messages in form.errors.items():
            column = spec.header_for(key) if key != "__all__" else ""
            for message in messages:
                result.errors.append(RowError(row_number, column, str(message)))
    if not result.errors:
        result.errors.extend(spec.check_rows(valid, actor))
    result.errors.sort(key=lambda error: (error.row, error.column))
    return valid, result


def run_import(
    spec: ImportSpec, source: BinaryIO | bytes, actor: Any, progress: ProgressCallback
) -> ImportResult:
    """Validate everything, then save everything or nothing."""
    data = source if isinstance(source, bytes) else source.read()
    progress(5, texts.IMPORT_CHECKING())
    valid, result = validate(spec, data, actor)
    if not result.ok:
        progress(100, texts.IMPORT_CHECK_FAILED())
        return result
    progress(40, texts.IMPORT_SAVING())
    with transaction.atomic():
        result.created = spec.save(valid, actor, progress)
    progress(100, texts.IMPORT_FINISHED())
    return result


def errors_in_every_language(
    spec: ImportSpec, data: bytes, actor: Any, result: ImportResult
) -> dict[str, list[dict[str, Any]]]:
    """A refused file's row errors in each interface language, for whoever reads the job later.

    Row reasons come from form validation, which renders them as it runs; validating the (unchanged)
    file once more per other language is cheap next to the upload and is the only way to give an
    operator reading in English the reasons of a file checked in Chinese. Only refused files pay for it.
    """
    current = translation.get_language()
    by_language = {current: [error.as_dict() for error in result.errors]}
    for code, _name in settings.LANGUAGES:
        if code in by_language:
            continue
        with translation.override(code):
            _valid, again = validate(spec, data, actor)
        by_language[code] = [error.as_dict() for error in again.errors]
    return by_language
