"""Reads beyond one filter: the cluster's quality picture (a fixed number of aggregate queries), who
acts next on each workflow object, the editions and their items, and a product line's brand evidence."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.pages import NextStep, first_step
from jingxiang.lab import conformance
from jingxiang.lab.models import (
    ENTRY_STATUSES,
    PRODUCT_TYPE_LABELS,
    BrandAuthorisation,
    BrandStatus,
    Overall,
    ProductLine,
    Report,
    ReportItem,
    ReportStatus,
    RequestStatus,
    RuleConfirmation,
    RulesFile,
    Sample,
    SampleStatus,
    TestRequest,
)

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
    by_type: list[dict[str, Any]] = [
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
    items: list[dict[str, Any]] = [
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


# Who acts next ----------------------------------------------------------------------------------


def request_next_step(request: TestRequest) -> NextStep | None:
    """Who acts next on a test request: the lab receives the samples, then tests and reports."""
    lab = request.lab.name
    return first_step(
        (request.status == RequestStatus.SUBMITTED, NextStep(_("等待 %(lab)s 收样登记。") % {"lab": lab})),
        (
            request.status == RequestStatus.IN_PROGRESS,
            NextStep(_("等待 %(lab)s 检测并审核出具报告。") % {"lab": lab}),
        ),
    )


def sample_next_step(sample: Sample) -> NextStep | None:
    """Who acts next on a sample: its technician enters results, another technician reviews them."""
    lab = sample.request.lab.name
    return first_step(
        (
            sample.status == SampleStatus.AWAITING_REVIEW,
            NextStep(
                _("等待 %(lab)s 另一位检测人员审核(录入人:%(who)s)") % {"lab": lab, "who": sample.entered_by}
            ),
        ),
        (
            sample.status in ENTRY_STATUSES,
            NextStep(
                _("等待 %(lab)s %(who)s 录入检测结果")
                % {"lab": lab, "who": sample.technician or _("待分派的检测人员")}
            ),
        ),
    )


def report_next_step(report: Report) -> NextStep | None:
    """A current report under correction waits for its lab to re-enter and re-approve the results."""
    return first_step(
        (
            report.status == ReportStatus.VALID and report.sample.status == SampleStatus.CORRECTION,
            NextStep(_("更正中:等待 %(lab)s 重新录入并审核,批准后签发新版本。") % {"lab": report.lab.name}),
        ),
    )


def brand_next_step(brand: BrandAuthorisation) -> NextStep | None:
    """A brand application waits for an operator's decision."""
    return first_step((brand.status == BrandStatus.PENDING, NextStep(_("等待 平台运营人员 审批。"))))


# Reports and results ----------------------------------------------------------------------------


def report_versions(report: Report) -> QuerySet[Report]:
    """Every version issued for the report's sample, newest first."""
    return Report.objects.filter(sample_id=report.sample_id).order_by("-version")


def sample_edition(sample: Sample, day: datetime.date) -> str | ValidationError:
    """The edition the sample's results are judged against on ``day``, or why none applies (the
    test date decides the edition in force for a "current edition" request)."""
    return conformance.find_designation(sample.request.product_type, sample.request.standard, day)


# Standard editions ------------------------------------------------------------------------------


def edition_notices_for(product_type: str, today: datetime.date) -> list[dict[str, Any]]:
    """For the request form: per series of the product type, what must be said about its edition in
    force today, with the upload status of the missing edition."""
    reg = conformance.registry()
    notices = []
    for value, _label in conformance.standard_choices(product_type, reg):
        if not value.startswith(conformance.SERIES_PREFIX):
            continue
        notice = conformance.edition_notice(product_type, value, today, reg)
        if notice.messages:
            notices.append(
                {
                    "series": value.removeprefix(conformance.SERIES_PREFIX),
                    "notice": notice,
                    "blocking": notice.blocking,
                }
            )
    return notices


def awaiting_upload(request: TestRequest) -> dict[str, Any] | None:
    """A request waiting for an edition's rules file: which one, and whether it is uploaded yet."""
    if not request.awaiting_edition:
        return None
    designation = request.awaiting_edition
    upload = RulesFile.objects.active().filter(Q(designation=designation) | Q(series=designation)).first()
    in_force = conformance.find_designation(request.product_type, request.standard, timezone.localdate())
    return {
        "designation": designation,
        "upload": upload,
        "ready": not isinstance(in_force, ValidationError),
    }


def editions(today: datetime.date) -> list[dict[str, Any]]:
    """Every edition the engine knows (built in or uploaded), with whether it is in force today."""
    uploads = {f.designation: f for f in RulesFile.objects.active()}
    return [
        {
            "designation": d.designation,
            "title": conformance.document_title(d),
            "period": conformance.period_zh(d),
            "in_force": d.in_force_on(today),
            "mandatory": d.mandatory,
            "types": [PRODUCT_TYPE_LABELS.get(p.value, p.value) for p in sorted(d.product_types)],
            "items": len(d.items),
            "upload": uploads.get(d.designation),
        }
        for d in sorted(conformance.registry().documents, key=lambda d: d.designation)
    ]


def edition_items(document: Any) -> list[dict[str, Any]]:
    """One edition's items, with how sure each value is and the operators' confirmations of U rules."""
    confirmations = {
        c.rule_id: c
        for c in RuleConfirmation.objects.active()
        .filter(designation=document.designation)
        .select_related("confirmed_by")
    }
    return [
        {
            "id": item.id,
            "label": item.label_zh,
            "clause": item.clause,
            "certainty": item.certainty.value,
            "mandatory": item.mandatory,
            "types": [PRODUCT_TYPE_LABELS.get(p.value, p.value) for p in sorted(item.product_types)],
            "confirmation": confirmations.get(item.id),
            "note": item.note,
        }
        for item in document.items
    ]


# Regional brand ---------------------------------------------------------------------------------


def brand_directory() -> QuerySet[BrandAuthorisation]:
    """Authorisations in force today (active, not expired), each with its latest evidence report
    as ``latest_report`` (one extra query for the page, whatever its length)."""
    from django.db.models import Prefetch

    today = timezone.localdate()
    return (
        BrandAuthorisation.objects.filter(status=BrandStatus.ACTIVE, archived_at__isnull=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("firm", "product_line")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Report.objects.filter(status=ReportStatus.VALID).order_by("-issued_at"),
                to_attr="current_evidence",
            )
        )
    )


def brand_evidence_months() -> int:
    return int(getattr(settings, "LAB_BRAND_EVIDENCE_MONTHS", 12))


def brand_evidence(line: ProductLine) -> tuple[list[Report], str | None]:
    """Passing current reports of the line within the evidence period, or why there are none."""
    since = timezone.now() - datetime.timedelta(days=round(brand_evidence_months() * 30.44))
    reports = list(
        Report.objects.current().filter(product_line=line, issued_at__gte=since).order_by("-issued_at", "-pk")
    )
    months = brand_evidence_months()
    if not reports:
        return [], _("申请区域品牌需要该产品线近 %(m)s 个月内的合格检测报告,目前没有。") % {"m": months}
    if reports[0].overall != Overall.PASS:
        return [], _(
            "该产品线最近一份检测报告(%(n)s)结论为“%(o)s”,须有合格报告后才能申请或保持区域品牌授权。"
        ) % {
            "n": reports[0].display_number,
            "o": reports[0].get_overall_display(),
        }
    return [report for report in reports if report.overall == Overall.PASS], None
