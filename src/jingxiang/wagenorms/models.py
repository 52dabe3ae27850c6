"""权益链: industry skill-level wage agreements (negotiated, voted, filed) and firms' wage reports checked
against them by the ``jingxiang.wages`` engine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import TimeStamped


class AgreementStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("协商中")
    PASSED = "passed", _("职代会已通过")
    REJECTED = "rejected", _("表决未通过")
    FILED = "filed", _("已报送审查")
    EFFECTIVE = "effective", _("已生效")
    OBJECTED = "objected", _("审查有异议")


class AgreementQuerySet(models.QuerySet["WageAgreement"]):
    def in_force_on(self, day: dt.date) -> AgreementQuerySet:
        return self.filter(status=AgreementStatus.EFFECTIVE, effective_from__lte=day, expires_on__gte=day)


class WageAgreement(TimeStamped):
    """One industry agreement through its whole procedure; its text lives in numbered versions."""

    number = models.CharField(_("协议编号"), max_length=30, unique=True)
    title = models.CharField(_("协议名称"), max_length=200)
    union = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会")
    )
    employers = models.CharField(_("企业方"), max_length=200)
    employer_association = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("行业协会(企业方代表)"),
        help_text=_("代表企业方协商的行业协会;它确认每轮协商纪要,并看到本协议的合规与统计汇总。"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.NEGOTIATING
    )
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    expires_on = models.DateField(_("到期日期"), null=True, blank=True)
    filed_on = models.DateField(_("报送日期"), null=True, blank=True)
    authority = models.CharField(_("审查机关"), max_length=100, blank=True)
    review_due = models.DateField(_("审查期满"), null=True, blank=True)
    review_note = models.CharField(_("审查意见"), max_length=500, blank=True)
    renewal_reminded_for = models.DateField(_("已提醒续签(到期日)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("能级工资协议")
        verbose_name_plural = _("能级工资协议")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def current_version(self) -> AgreementVersion | None:
        return self.versions.order_by("-number").first()

    @property
    def voted_version(self) -> AgreementVersion | None:
        vote = self.votes.filter(passed=True).order_by("-pk").first()
        return vote.version if vote else None


class AgreementVersion(TimeStamped):
    """One text of the agreement (engine YAML), validated when saved; versions are never changed."""

    agreement = models.ForeignKey(WageAgreement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    text = models.TextField(_("协议数据(YAML)"))
    note = models.CharField(_("修改说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="wagenorms_version_unique")
        ]
        verbose_name = _("协议版本")
        verbose_name_plural = _("协议版本")

    def __str__(self) -> str:
        return f"{self.agreement.number} v{self.number}"


class NegotiationRound(TimeStamped):
    agreement = models.ForeignKey(WageAgreement, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveIntegerField(_("轮次"))
    held_on = models.DateField(_("协商日期"))
    union_proposal = models.TextField(_("职工方要约"))
    employer_proposal = models.TextField(_("企业方回应"))
    minutes = models.TextField(_("会议纪要"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    employer_confirmed_at = models.DateTimeField(_("企业方确认纪要时间"), null=True, blank=True)
    employer_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("企业方确认人"),
    )
    employer_remark = models.CharField(_("企业方意见"), max_length=500, blank=True)

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("协商轮次")
        verbose_name_plural = _("协商轮次")

    def __str__(self) -> str:
        return f"{self.agreement.number} #{self.number}"


class RepresentativeVote(TimeStamped):
    """The employee representatives' vote: valid with ≥ 2/3 present, passed with > 1/2 of those present."""

    agreement = models.ForeignKey(WageAgreement, on_delete=models.PROTECT, related_name="votes")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="votes")
    held_on = models.DateField(_("表决日期"))
    representatives = models.PositiveIntegerField(_("职工代表总数"))
    present = models.PositiveIntegerField(_("到会人数"))
    approve = models.PositiveIntegerField(_("赞成"))
    against = models.PositiveIntegerField(_("反对"))
    abstain = models.PositiveIntegerField(_("弃权"))
    quorum_met = models.BooleanField(_("到会达三分之二"))
    passed = models.BooleanField(_("通过"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("职工代表表决")
        verbose_name_plural = _("职工代表表决")

    def __str__(self) -> str:
        return f"{self.agreement.number} {self.held_on}"


class WageReport(TimeStamped):
    """One upload (Excel or API) of a firm's wage rows; all rows checked, stored only if the file was clean."""

    firm = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    source = models.CharField(_("来源"), max_length=10, default="excel")
    rows = models.PositiveIntegerField(_("行数"), default=0)
    failed = models.PositiveIntegerField(_("不达标行数"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("工资报表")
        verbose_name_plural = _("工资报表")

    def __str__(self) -> str:
        return f"{self.firm} #{self.pk}"


class LineStatus(models.TextChoices):
    PASSED = "passed", _("达标")
    FAILED = "failed", _("不达标")
    EXPLAINED = "explained", _("企业已说明")
    FIXED = "fixed", _("企业已补发")


class WageLineQuerySet(models.QuerySet["WageLine"]):
    def visible_to(self, user: Any) -> WageLineQuerySet:
        from jingxiang.wagenorms.permissions import line_filter

        return self.filter(line_filter(user))


class WageLine(TimeStamped):
    """One worker-month as the engine judged it; the wage figures are personal data (masked)."""

    report = models.ForeignKey(WageReport, on_delete=models.PROTECT, related_name="lines")
    firm = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    agreement = models.ForeignKey(
        WageAgreement, on_delete=models.PROTECT, related_name="lines", verbose_name=_("适用协议")
    )
    row = models.PositiveIntegerField(_("行号"))
    worker_id = models.CharField(_("工号"), max_length=50)
    talent = models.ForeignKey(
        "talents.Talent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("人才"),
    )
    month = models.DateField(_("月份"))
    post = models.CharField(_("岗位"), max_length=50)
    post_class = models.CharField(_("岗位类别"), max_length=20)
    level = models.CharField(_("认定等级"), max_length=20)
    level_source = models.CharField(_("等级来源"), max_length=20)
    total_pay = models.DecimalField(_("应计工资"), max_digits=14, decimal_places=2)
    norm = models.DecimalField(_("能级工资标准"), max_digits=14, decimal_places=2)
    shortfall = models.DecimalField(_("差额"), max_digits=14, decimal_places=2, default=Decimal("0"))
    status = models.CharField(_("结果"), max_length=10, choices=LineStatus.choices)
    failures = models.JSONField(_("不达标原因"), default=list)
    explanation = models.CharField(_("企业说明"), max_length=500, blank=True)

    objects = WageLineQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "firm", "row"]
        indexes = [models.Index(fields=["firm", "month"]), models.Index(fields=["post", "level"])]
        verbose_name = _("工资行")
        verbose_name_plural = _("工资行")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.month:%Y-%m}"

    @property
    def passed(self) -> bool:
        return self.status == LineStatus.PASSED
