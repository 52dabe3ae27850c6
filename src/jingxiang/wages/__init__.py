"""镜享 skill-level wage engine (权益链): industry wage agreements as data, and worker-months checked against them.

Plain Python (no Django), so the union's web app, the firms' upload, the public self-check page
and the command line share one judge.

Public API::

    from jingxiang.wages import (
        load_agreement_text, validate_agreement_text, load_statutory_text,
        parse_rows, check_rows, check_row, check_values, read_table, check_file, load_agreement_file,
        AgreementInvalidError, RowsRejectedError, NormUnavailableError, find_level,
    )

    agreement = load_agreement_text(yaml_text)        # raises AgreementInvalidError(.problems)
    agreement.warnings                                # problems that do not block use
    validate_agreement_text(yaml_text)                -> [Problem]   (errors and warnings)
    agreement.norm(post, level, month)                -> Norm        (.amount, .to_dict())
    rows, warnings = parse_rows(agreement, read_table(path))   # RowsRejectedError names row + field
    report = check_rows(agreement, rows, warnings)    -> Report      (.failed, .summary(), .to_dict())
    check_values(agreement, {"post": "抛光", "level": "中级工", "month": "2026-03", "base_wage": "2700"})
                                                      -> RowResult   (the self-check form; nothing stored)

Rules, formats and rounding: ``docs/wages.md``.
"""

from jingxiang.wages.agreement import (
    Agreement,
    Norm,
    Post,
    Process,
    Term,
    load_agreement_text,
    validate_agreement_text,
)
from jingxiang.wages.engine import RULES, Finding, Report, RowResult, check_row, check_rows, check_values
from jingxiang.wages.files import check_file, load_agreement_file, load_statutory_file
from jingxiang.wages.model import (
    AgreementInvalidError,
    MinimumWageTableInvalidError,
    NormUnavailableError,
    Problem,
    RowsRejectedError,
)
from jingxiang.wages.reference import Level, PostClass, find_level, find_post_class, reference
from jingxiang.wages.rows import COLUMNS, WageRow, header_text, parse_rows
from jingxiang.wages.sheets import read_csv_bytes, read_table
from jingxiang.wages.statutory import StatutoryTable, builtin_statutory, load_statutory_text

__all__ = [
    "COLUMNS",
    "RULES",
    "Agreement",
    "AgreementInvalidError",
    "Finding",
    "Level",
    "MinimumWageTableInvalidError",
    "Norm",
    "NormUnavailableError",
    "Post",
    "PostClass",
    "Problem",
    "Process",
    "Report",
    "RowResult",
    "RowsRejectedError",
    "StatutoryTable",
    "Term",
    "WageRow",
    "builtin_statutory",
    "check_file",
    "check_row",
    "check_rows",
    "check_values",
    "find_level",
    "find_post_class",
    "header_text",
    "load_agreement_file",
    "load_agreement_text",
    "load_statutory_file",
    "load_statutory_text",
    "parse_rows",
    "read_csv_bytes",
    "read_table",
    "reference",
    "validate_agreement_text",
]
