"""Checking a firm's wage rows: the agreement in force on each row's month, the worker's certified level
from academy certificates, then the engine over the whole file. Shared by the Excel import and the API.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jingxiang.academy.models import Certificate, CertificateStatus, Ladder
from jingxiang.talents.models import Talent
from jingxiang.wagenorms.engine import agreement_of, column_label, problem_text
from jingxiang.wagenorms.models import LineStatus, WageAgreement
from jingxiang.wages import COLUMNS, RowsRejectedError, check_rows, parse_rows

# The engine's columns, in its order; the platform adds the worker's mobile (to find them on the platform).
ENGINE_COLUMNS = [column.name for column in COLUMNS]
MOBILE = "mobile"
_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:月|[-/.]\d{1,2}(?:\s.*)?)?\s*$")
_LADDER_ORDER = [value for value, _label in Ladder.choices]


def parse_month(text: str) -> dt.date | None:
    match = _MONTH.match(str(text or ""))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        return None
    return dt.date(year, month, 1)


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str


def certified_levels(firm_id: int, mobiles: set[str]) -> dict[str, tuple[int, str | None]]:
    """mobile → (talent id, highest valid certified ladder level or None), for the firm's people on the platform."""
    if not mobiles:
        return {}
    talents = {
        talent.mobile: talent.pk
        for talent in Talent.objects.filter(mobile__in=mobiles, home_organisation_id=firm_id).only(
            "pk", "mobile"
        )
    }
    best: dict[int, str] = {}
    certificates = Certificate.objects.filter(
        talent_id__in=talents.values(), status=CertificateStatus.VALID, occupation_level__isnull=False
    ).values_list("talent_id", "occupation_level__ladder")
    for talent_id, ladder in certificates:
        if talent_id not in best or _LADDER_ORDER.index(ladder) > _LADDER_ORDER.index(best[talent_id]):
            best[talent_id] = ladder
    return {mobile: (pk, best.get(pk)) for mobile, pk in talents.items()}


def check_firm_rows(
    firm_id: int, rows: list[tuple[int, dict[str, Any]]]
) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    """Every row judged, or every problem found: (line values, []) or ([], problems)."""
    problems: list[RowProblem] = []
    by_agreement: dict[int, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    in_force = list(WageAgreement.objects.filter(status="effective").order_by("effective_from"))
    for number, values in rows:
        month = values.get("month")
        if not isinstance(month, dt.date):
            month = parse_month(str(month or ""))
        if month is None:
            problems.append(RowProblem(number, column_label("month"), _("不是有效月份(如 2026-03)。")))
            continue
        agreement = next(
            (
                a
                for a in in_force
                if a.effective_from and a.expires_on and a.effective_from <= month <= a.expires_on
            ),
            None,
        )
        if agreement is None:
            problems.append(
                RowProblem(
                    number,
                    column_label("month"),
                    _("%(month)s 不在任何已生效协议的协议期内。") % {"month": f"{month:%Y-%m}"},
                )
            )
            continue
        by_agreement[agreement.pk].append((number, {**values, "month": f"{month:%Y-%m}"}))
    mobiles = {str(values.get(MOBILE) or "").strip() for _n, values in rows} - {""}
    certified = certified_levels(firm_id, mobiles)
    checked: list[dict[str, Any]] = []
    agreements = {a.pk: a for a in in_force}
    for agreement_pk, group in by_agreement.items():
        agreement = agreements[agreement_pk]
        version = agreement.voted_version
        engine_agreement = agreement_of(version)
        table: list[tuple[int, tuple[Any, ...]]] = [(1, tuple(ENGINE_COLUMNS))]
        sources: dict[int, tuple[int | None, str]] = {}
        for number, values in group:
            found = certified.get(str(values.get(MOBILE) or "").strip())
            cells = dict(values)
            source = "firm"
            talent_id = None
            if found:
                talent_id, ladder = found
                if ladder:
                    cells["level"] = ladder
                    source = "certificate"
                else:
                    # On the platform without a certificate: 学徒工 is the certified level.
                    cells["level"] = Ladder.APPRENTICE.value
                    source = "no_certificate"
            sources[number] = (talent_id, source)
            table.append(
                (number, tuple("" if cells.get(name) is None else cells.get(name) for name in ENGINE_COLUMNS))
            )
        try:
            parsed, _warnings = parse_rows(engine_agreement, table)
        except RowsRejectedError as error:
            problems.extend(
                RowProblem(problem.row or 0, column_label(problem.field), problem_text(problem))
                for problem in error.problems
                if problem.is_error
            )
            continue
        report = check_rows(engine_agreement, parsed)
        for result in report.results:
            row = result.row
            talent_id, source = sources[row.row]
            failures = [finding.to_dict() for finding in result.failures]
            shortfall = sum((finding.shortfall for finding in result.failures), Decimal("0"))
            total = row.base_wage + row.piece_pay + row.skill_allowance + row.other_pay
            checked.append(
                {
                    "agreement_id": agreement.pk,
                    "row": row.row,
                    "worker_id": row.worker_id,
                    "talent_id": talent_id,
                    "month": row.month,
                    "post": row.post.name_zh,
                    "post_class": row.post.post_class.name_zh,
                    "level": row.level.name_zh,
                    "level_source": source,
                    "total_pay": total,
                    "norm": result.norm.amount,
                    "shortfall": shortfall,
                    "status": LineStatus.PASSED if result.passed else LineStatus.FAILED,
                    "failures": failures,
                }
            )
    if problems:
        problems.sort(key=lambda problem: (problem.row, problem.column))
        return [], problems
    checked.sort(key=lambda values: values["row"])
    return checked, []
