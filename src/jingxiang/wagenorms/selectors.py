"""Reads of 权益链: compliance tallies, anonymised distributions, version comparison."""

from __future__ import annotations

import datetime as dt
import difflib
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from jingxiang.wagenorms.models import LineStatus, WageLine

MIN_GROUP = 5  # a distribution is shown only for groups of at least this many distinct workers
_OPEN = Q(status=LineStatus.FAILED)
_FAILED = Q(status__in=[LineStatus.FAILED, LineStatus.EXPLAINED, LineStatus.FIXED])


def compliance(lines: QuerySet[WageLine], by: str) -> list[dict[str, Any]]:
    """Rows, failed rows (still open / answered), shortfall and distinct workers per firm, post or level."""
    field = {"firm": "firm__name", "post": "post", "level": "level"}[by]
    rows = (
        lines.values(field)
        .annotate(
            rows=Count("pk"),
            failed=Count("pk", filter=_FAILED),
            open=Count("pk", filter=_OPEN),
            shortfall=Sum("shortfall", filter=_FAILED),
        )
        .order_by(field)
    )
    workers = dict(
        lines.order_by().values(field).annotate(n=Count("worker_id", distinct=True)).values_list(field, "n")
    )
    # Workers are counted per firm (a staff number is the firm's own): distinct (firm, worker id) pairs.
    if by != "firm":
        workers = {}
        for key, _firm, _worker in lines.order_by().values_list(field, "firm_id", "worker_id").distinct():
            workers[key] = workers.get(key, 0) + 1
    return [
        {
            "key": row[field],
            "rows": row["rows"],
            "failed": row["failed"],
            "open": row["open"],
            "shortfall": row["shortfall"] or Decimal("0"),
            "workers": workers.get(row[field], 0),
        }
        for row in rows
    ]


def workers_covered(lines: QuerySet[WageLine]) -> int:
    """Distinct workers in the reports (a firm's staff number identifies a worker within that firm)."""
    return lines.order_by().values("firm_id", "worker_id").distinct().count()


def _quantile(sorted_values: list[Decimal], q: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (the 'inclusive' method), exact in Decimal."""
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    value = sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction
    return value.quantize(Decimal("0.01"))


def distribution(lines: QuerySet[WageLine], minimum: int = MIN_GROUP) -> list[dict[str, Any]]:
    """Per post and level: workers, lower quartile, median, upper quartile of monthly pay, or suppressed.

    A worker reported in several months counts once (their months' median), so a group's size is people.
    """
    per_worker: dict[tuple[str, str], dict[tuple[int, str], list[Decimal]]] = {}
    for post, level, firm, worker, pay in lines.values_list(
        "post", "level", "firm_id", "worker_id", "total_pay"
    ):
        per_worker.setdefault((post, level), {}).setdefault((firm, worker), []).append(pay)
    result = []
    for (post, level), workers in sorted(per_worker.items()):
        n = len(workers)
        row: dict[str, Any] = {"post": post, "level": level, "workers": n, "suppressed": n < minimum}
        if n >= minimum:
            pays = sorted(_quantile(sorted(values), Decimal("0.5")) for values in workers.values())
            row.update(
                q1=_quantile(pays, Decimal("0.25")),
                median=_quantile(pays, Decimal("0.5")),
                q3=_quantile(pays, Decimal("0.75")),
            )
        result.append(row)
    return result


def version_diff(old_text: str, new_text: str) -> list[tuple[str, str, str]]:
    """Side by side: (kind, left line, right line) with kind equal / changed / added / removed."""
    left, right = old_text.splitlines(), new_text.splitlines()
    rows: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=left, b=right, autojunk=False).get_opcodes():
        if tag == "equal":
            rows.extend(("equal", a, b) for a, b in zip(left[i1:i2], right[j1:j2], strict=True))
            continue
        a_part, b_part = left[i1:i2], right[j1:j2]
        for k in range(max(len(a_part), len(b_part))):
            a = a_part[k] if k < len(a_part) else ""
            b = b_part[k] if k < len(b_part) else ""
            kind = "changed" if a and b else ("removed" if a else "added")
            rows.append((kind, a, b))
    return rows


def latest_month(lines: QuerySet[WageLine]) -> dt.date | None:
    return lines.order_by("-month").values_list("month", flat=True).first()
