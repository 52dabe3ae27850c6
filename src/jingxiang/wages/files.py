"""Loading from files: the one place that touches the file system, so the rest stays pure."""

from __future__ import annotations

from pathlib import Path

from jingxiang.wages.agreement import Agreement, load_agreement_text, validate_agreement_text
from jingxiang.wages.engine import Report, check_rows
from jingxiang.wages.model import (
    AgreementInvalidError,
    MinimumWageTableInvalidError,
    Problem,
    RowsRejectedError,
)
from jingxiang.wages.rows import parse_rows
from jingxiang.wages.sheets import SheetError, read_table
from jingxiang.wages.statutory import StatutoryTable, load_statutory_text


def read_text(path: str | Path, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AgreementInvalidError([Problem(str(path), f"cannot read the {what}: {error}", "io")]) from error


def load_statutory_file(path: str | Path) -> StatutoryTable:
    try:
        return load_statutory_text(read_text(path, "minimum-wage table"), str(path))
    except MinimumWageTableInvalidError as error:
        raise AgreementInvalidError(
            [Problem(f"{path}:{problem.path}", problem.message, problem.code) for problem in error.problems]
        ) from error


def load_agreement_file(path: str | Path, statutory_path: str | Path | None = None) -> Agreement:
    statutory = None if statutory_path is None else load_statutory_file(statutory_path)
    return load_agreement_text(read_text(path, "agreement"), str(path), statutory)


def validate_agreement_file(path: str | Path, statutory_path: str | Path | None = None) -> list[Problem]:
    statutory = None if statutory_path is None else load_statutory_file(statutory_path)
    return validate_agreement_text(read_text(path, "agreement"), str(path), statutory)


def check_file(agreement: Agreement, path: str | Path) -> Report:
    """Read, validate and check a whole wage file; :class:`RowsRejectedError` if any row is bad."""
    try:
        rows, warnings = parse_rows(agreement, read_table(path))
    except SheetError as error:
        raise RowsRejectedError([Problem(str(path), str(error), "file")]) from error
    return check_rows(agreement, rows, warnings, str(path))
