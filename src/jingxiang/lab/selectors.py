"""Reads beyond one filter: the cluster's quality picture, in a fixed number of aggregate queries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from jingxiang.lab.models import PRODUCT_TYPE_LABELS, Overall, Report, ReportItem

# The national spot checks keep failing these; rule ids of every edition map onto them.
SPOT_CHECK_GROUPS: tuple[tuple[str, str], ...] = (
    ("oc_distance", r"^(A-OCH|R-OC|R99-OC|P-OC)$"),
    ("single_side", r"^(A-OCS|R-OCS)$"),
    ("power", r"(PWR|SPH|R-DIF|ADD)"),
    ("transmittance", r"(CAT|DECL|CLASS|TV)"),
    ("uva", r"UV-?A"),
    ("labelling", r"(NODRIVE|DRV-1|DRV-5|MARK|LABEL)"),
)


def spot_check_labels() -> dict[str, str]:
    return {
        "oc_distance": _("光学中心水平距离"),
        "single_side": _("光学中心单侧水平距离"),
        "power": _("顶焦度"),
        "transmittance": _("光透射比及分类"),
        "uva": _("紫外A透射比"),
        "labelling": _("标志/标注"),
    }


def spot_check_group(rule_id: str) -> str | None:
    for group, pattern in SPOT_CHECK_GROUPS:
        if re.search(pattern, rule_id):
            return group
    return None


def _rate(passed: int, total: int) -> Decimal | None:
    return None if not total else Decimal(passed) / Decimal(total)


@dataclass
class QualityPicture:
    total: int
    passed: int
    by_type: list[dict[str, Any]]
    by_month: list[dict[str, Any]]
    items: list[dict[str, Any]]
    spot_checks: list[dict[str, Any]]
    by_firm: list[dict[str, Any]]

    @property
    def pass_rate(self) -> Decimal | None:
        return _rate(self.passed, self.total)


def quality_picture(
    reports: QuerySet[Report], *, with_firms: bool = False, product_type: str = "", year: int | None = None
) -> QualityPicture:
    """Pass rates by product type, month and item over current report versions.

    Three aggregate queries (four with the per-firm table), whatever the amount of data.
    """
    reports = reports.filter(status="valid")
    if product_type:
        reports = reports.filter(product_type=product_type)
    if year:
        reports = reports.filter(test_date__year=year)
    passed = Count("pk", filter=Q(overall=Overall.PASS))
    by_type = [
        {
            **row,
            "label": PRODUCT_TYPE_LABELS.get(row["product_type"], row["product_type"]),
            "rate": _rate(row["passed"], row["total"]),
        }
        for row in reports.values("product_type")
        .annotate(total=Count("pk"), passed=passed)
        .order_by("product_type")
    ]
    by_month = [
        {**row, "rate": _rate(row["passed"], row["total"])}
        for row in reports.annotate(month=TruncMonth("test_date"))
        .values("month")
        .annotate(total=Count("pk"), passed=passed)
        .order_by("month")
    ]
    item_rows = (
        ReportItem.objects.filter(report__in=reports, indicative=False, status__in=["pass", "fail"])
        .values("rule_id")
        .annotate(
            label=Max("label"),
            assessed=Count("report", distinct=True),
            failed=Count("report", distinct=True, filter=Q(status="fail")),
        )
        .order_by("-failed", "rule_id")
    )
    items = [
        {**row, "fail_rate": _rate(row["failed"], row["assessed"]), "group": spot_check_group(row["rule_id"])}
        for row in item_rows
    ]
    groups: dict[str, dict[str, Any]] = {}
    labels = spot_check_labels()
    for row in items:
        if row["group"] is None:
            continue
        entry = groups.setdefault(
            row["group"], {"group": row["group"], "label": labels[row["group"]], "assessed": 0, "failed": 0}
        )
        entry["assessed"] += row["assessed"]
        entry["failed"] += row["failed"]
    spot_checks = sorted(
        ({**entry, "fail_rate": _rate(entry["failed"], entry["assessed"])} for entry in groups.values()),
        key=lambda entry: (-entry["failed"], entry["group"]),
    )
    by_firm: list[dict[str, Any]] = []
    if with_firms:
        by_firm = [
            {**row, "rate": _rate(row["passed"], row["total"])}
            for row in reports.values("firm_id", "firm__name")
            .annotate(total=Count("pk"), passed=passed)
            .order_by("-total", "firm__name")
        ]
    total = sum(row["total"] for row in by_type)
    return QualityPicture(
        total=total,
        passed=sum(row["passed"] for row in by_type),
        by_type=by_type,
        by_month=by_month,
        items=[row for row in items if row["failed"]][:10],
        spot_checks=spot_checks,
        by_firm=by_firm,
    )
