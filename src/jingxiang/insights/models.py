"""Frozen figures (snapshots by month), their recomputes, targets, and the monthly report.

A month's figures are frozen once the month is over (the monthly duty, or the demo): later edits of
the records do not change what was reported for that month, unless an operator recomputes it on
purpose, with a reason, which is recorded with the old and new totals. Snapshots keep one row per
indicator, month and organisation (``organisation`` null for records with none), so the region, size
and per-firm views of a past month come from the same frozen rows as its total.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import TimeStamped


class RunKind(models.TextChoices):
    FREEZE = "freeze", _("月末冻结")
    RECOMPUTE = "recompute", _("重新计算")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class SnapshotRun(TimeStamped):
    """One freeze or recompute of a month: who, why, and what changed."""

    month = models.DateField(_("月份"), db_index=True)
    kind = models.CharField(_("类型"), max_length=12, choices=RunKind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    changes = models.JSONField(_("变动"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["month"], condition=Q(status="running"), name="insights_one_running_run_per_month"
            )
        ]
        verbose_name = _("指标快照计算")
        verbose_name_plural = _("指标快照计算")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_kind_display()}"


class Snapshot(models.Model):
    """An indicator's frozen figure for one month and one organisation."""

    indicator = models.CharField(_("指标"), max_length=60)
    month = models.DateField(_("月份"))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("机构"),
    )
    amount = models.DecimalField(_("数值"), max_digits=16, decimal_places=2, default=Decimal("0"))
    base = models.PositiveIntegerField(_("记录数"), default=0)
    run = models.ForeignKey(
        SnapshotRun, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("计算")
    )

    class Meta:
        ordering = ["indicator", "month"]
        indexes = [models.Index(fields=["month", "indicator"], name="insights_snapshot_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "month", "organisation"],
                name="insights_snapshot_once",
                condition=Q(organisation__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["indicator", "month"],
                name="insights_snapshot_once_unowned",
                condition=Q(organisation__isnull=True),
            ),
        ]
        verbose_name = _("指标快照")
        verbose_name_plural = _("指标快照")

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m}"


class IndicatorTarget(TimeStamped):
    """An operator's yearly target for an indicator, replacing the one in ``indicators.yaml``."""

    indicator = models.CharField(_("指标"), max_length=60)
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("目标值"), max_digits=16, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("设定人")
    )

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="insights_target_once")]
        verbose_name = _("指标目标")
        verbose_name_plural = _("指标目标")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"


class MonthlyReport(TimeStamped):
    """The monthly figures as a PDF, verifiable by its QR code."""

    month = models.DateField(_("月份"), unique=True)
    number = models.CharField(_("编号"), max_length=30, unique=True)
    verification_code = models.CharField(_("核验码"), max_length=32, unique=True)
    pdf = models.FileField(_("PDF"), upload_to="insights/reports/%Y/")
    figures = models.JSONField(_("指标数值"), default=list)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("生成人"),
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = _("月度报告")
        verbose_name_plural = _("月度报告")

    def __str__(self) -> str:
        return self.number


class ReportSubscription(TimeStamped):
    """A user who receives the monthly report by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="insights_subscription",
        verbose_name=_("用户"),
    )
    active = models.BooleanField(_("订阅中"), default=True)

    class Meta:
        verbose_name = _("月报订阅")
        verbose_name_plural = _("月报订阅")

    def __str__(self) -> str:
        return str(self.user)
