"""Writes of insights: freezing and recomputing a month, targets, subscriptions, the monthly report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.documents import new_verification_code
from jingxiang.core.numbering import next_number
from jingxiang.core.services import notification_send
from jingxiang.insights import texts
from jingxiang.insights.definitions import check_target, get_indicator, indicators
from jingxiang.insights.models import (
    IndicatorTarget,
    MonthlyReport,
    ReportSubscription,
    RunKind,
    RunStatus,
    Snapshot,
    SnapshotRun,
)
from jingxiang.insights.permissions import may_manage
from jingxiang.insights.registry import get_source
from jingxiang.insights.selectors import Period, Scope, live_by_organisation, month_start
from jingxiang.jobs.registry import ProgressCallback
from jingxiang.jobs.services import job_enqueue


def _closed_month(month: dt.date) -> dt.date:
    month = month_start(month)
    if month >= month_start(timezone.localdate()):
        raise ValidationError({"month": _("只能冻结或重算已经结束的月份。")})
    return month


def snapshot_run_start(*, actor: Any, month: dt.date, reason: str = "") -> SnapshotRun:
    """Claim a month for a freeze (first time) or a recompute (with a reason); queue the computation.

    Only one run per month may be under way (a unique constraint on running runs): a second request
    while one runs is refused, so no partial snapshot is ever mixed from two runs.
    """
    if actor is not None and not may_manage(actor):
        raise PermissionDenied(_("只有平台运营人员可以计算指标快照。"))
    month = _closed_month(month)
    done_before = SnapshotRun.objects.filter(month=month, status=RunStatus.DONE).exists()
    kind = RunKind.RECOMPUTE if done_before else RunKind.FREEZE
    if kind == RunKind.RECOMPUTE and not reason.strip():
        raise ValidationError({"reason": _("重新计算已冻结的月份须说明原因。")})
    try:
        with transaction.atomic():
            run = SnapshotRun.objects.create(month=month, kind=kind, reason=reason.strip(), started_by=actor)
    except IntegrityError:
        raise ValidationError(
            _("%(month)s 的指标正在计算中,请等它完成后再试。") % {"month": f"{month:%Y-%m}"}
        ) from None
    title = (texts.RECOMPUTE_TITLE if kind == RunKind.RECOMPUTE else texts.FREEZE_TITLE)(
        month=f"{month:%Y-%m}"
    )
    job_enqueue(kind="insights_snapshot", title=title, created_by=actor, params={"run": run.pk})
    return run


def snapshot_run_compute(*, run_id: int, progress: ProgressCallback | None = None) -> SnapshotRun:
    """Compute every indicator of the run's month and replace its snapshots in one transaction."""
    run = SnapshotRun.objects.get(pk=run_id)
    if run.status != RunStatus.RUNNING:
        return run
    period = Period(run.month, run.month)
    all_indicators = list(indicators().values())
    try:
        with transaction.atomic():
            old = {
                code: str(total) for code, total in _totals(Snapshot.objects.filter(month=run.month)).items()
            }
            Snapshot.objects.filter(month=run.month).delete()
            new_rows: list[Snapshot] = []
            for index, indicator in enumerate(all_indicators):
                if progress is not None:
                    progress(
                        int(index * 100 / len(all_indicators)),
                        texts.SNAPSHOT_PROGRESS(name=indicator.names["zh"]),
                    )
                source = get_source(indicator.source)
                for org, tally in live_by_organisation(source, period, Scope()).items():
                    new_rows.append(
                        Snapshot(
                            indicator=indicator.code,
                            month=run.month,
                            organisation_id=org,
                            amount=tally.amount,
                            base=tally.base,
                            run=run,
                        )
                    )
            Snapshot.objects.bulk_create(new_rows)
            new = {
                code: str(total) for code, total in _totals(Snapshot.objects.filter(month=run.month)).items()
            }
            run.changes = {
                code: {"before": old.get(code), "after": new.get(code)}
                for code in sorted(set(old) | set(new))
                if old.get(code) != new.get(code)
            }
            run.status = RunStatus.DONE
            run.finished_at = timezone.now()
            run.save(update_fields=["changes", "status", "finished_at", "updated_at"])
    except Exception:
        SnapshotRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=timezone.now())
        raise
    return run


def _totals(queryset: Any) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for code, amount in queryset.values_list("indicator", "amount"):
        totals[code] = totals.get(code, Decimal("0")) + amount
    return totals


def target_set(*, actor: Any, indicator: str, year: int, value: Any) -> IndicatorTarget:
    """Set an indicator's yearly target, checked against its unit (whole counts, 0–100 per cent)."""
    if not may_manage(actor):
        raise PermissionDenied(_("只有平台运营人员可以设定指标目标。"))
    found = get_indicator(indicator)
    if found is None:
        raise ValidationError({"indicator": _("没有这个指标。")})
    try:
        number = check_target(found.unit, value)
    except ValueError:
        messages = {
            "count": _("“%(name)s”按件数计,目标须为不小于 0 的整数。"),
            "percent": _("“%(name)s”是百分比,目标须在 0 到 100 之间。"),
        }
        raise ValidationError(
            {
                "value": messages.get(found.unit, _("“%(name)s”的目标须为不小于 0 的数,最多两位小数。"))
                % {"name": found.name}
            }
        ) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度须在 2000 到 2100 之间。")})
    target, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator, year=year, defaults={"value": number, "set_by": actor}
    )
    return target


def subscription_set(*, actor: Any, active: bool) -> ReportSubscription:
    subscription, _created = ReportSubscription.objects.update_or_create(
        user=actor, defaults={"active": active}
    )
    return subscription


def report_request(*, actor: Any, month: dt.date) -> Any:
    """Queue the monthly report of a month that is over (operators, or the monthly duty with no actor)."""
    if actor is not None and not may_manage(actor):
        raise PermissionDenied(_("只有平台运营人员可以生成月度报告。"))
    month = _closed_month(month)
    return job_enqueue(
        kind="insights_report",
        title=texts.REPORT_TITLE(month=f"{month:%Y-%m}"),
        created_by=actor,
        params={"month": month.isoformat()},
    )


def report_generate(
    *, month: dt.date, actor: Any = None, progress: ProgressCallback | None = None
) -> MonthlyReport:
    """Render the month's report (figures, changes against last month and target) and e-mail subscribers.

    The figures come from the month's snapshots when frozen (the usual case: the monthly duty freezes
    the month first), otherwise from the records now; the PDF states which.
    """
    from jingxiang.insights.documents import monthly_report_figures, monthly_report_pdf

    if progress is not None:
        progress(10, texts.REPORT_PROGRESS())
    figures = monthly_report_figures(month)
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().filter(month=month).first()
        if report is None:
            number = f"JXYB{month:%Y%m}-{next_number('insights.report', month.year):03d}"
            report = MonthlyReport(month=month, number=number, verification_code=new_verification_code())
        report.figures = figures
        report.generated_by = actor
        pdf = monthly_report_pdf(report)
        report.pdf.save(f"{report.number}.pdf", ContentFile(pdf), save=False)
        report.save()
        from django.urls import reverse

        url = reverse("insights:report", args=[report.pk])
        for subscription in ReportSubscription.objects.filter(active=True).select_related("user"):
            notification_send(
                recipient=subscription.user,
                message=texts.REPORT_READY(month=f"{month:%Y-%m}", number=report.number),
                url=url,
                kind="insights_report",
            )
    return report
