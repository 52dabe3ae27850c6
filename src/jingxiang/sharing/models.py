"""互聘共享: the shared-talent pool, requests, sharing agreements, bookings, timesheets and settlement.

One record ties the talent, the home employer (原用人单位) and the host firm together. Money flows the
lawful way (人社厅发〔2020〕98号): the host pays the home employer, never the talent directly where a home
employer exists; independent experts sign a two-party service agreement and are paid themselves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped

ZERO = Decimal("0")


def text_hash(text: str) -> str:
    """SHA-256 of the exact agreement text (UTF-8), the fingerprint every signature is bound to."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month of ``day`` as local moments: its first midnight and the next month's (half-open).

    Hours count to the month their booking starts in, for caps, free hours and statements alike.
    """
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(month_start(day), dt.time.min, tzinfo=tz),
        dt.datetime.combine(next_month(day), dt.time.min, tzinfo=tz),
    )


class ServiceMode(models.TextChoices):
    ONSITE = "onsite", _("驻厂")
    REMOTE = "remote", _("远程")
    CONSULTATION = "consultation", _("智库咨询")


# Pool ---------------------------------------------------------------------------------------------


class SharingProfile(TimeStamped):
    """What the pool needs beyond the talent profile: service modes, conflicts, contract end, calendar."""

    talent = models.OneToOneField(
        "talents.Talent", on_delete=models.PROTECT, related_name="sharing_profile", verbose_name=_("人才")
    )
    offers_onsite = models.BooleanField(_("可驻厂服务"), default=True)
    offers_remote = models.BooleanField(_("可远程服务"), default=True)
    offers_consultation = models.BooleanField(_("可智库咨询"), default=False)
    conflict_firms = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("回避企业"),
        help_text=_("因利益冲突或竞业限制不提供服务的企业"),
    )
    labour_contract_end = models.DateField(
        _("劳动合同到期日"),
        null=True,
        blank=True,
        help_text=_("有原用人单位时填写;共享期限不得超过劳动合同剩余期限"),
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("共享人才档案")
        verbose_name_plural = _("共享人才档案")

    def __str__(self) -> str:
        return str(self.talent)

    @property
    def modes(self) -> list[str]:
        chosen = []
        if self.offers_onsite:
            chosen.append(ServiceMode.ONSITE)
        if self.offers_remote:
            chosen.append(ServiceMode.REMOTE)
        if self.offers_consultation:
            chosen.append(ServiceMode.CONSULTATION)
        return chosen

    def offers(self, mode: str) -> bool:
        return mode in self.modes


class Weekday(models.IntegerChoices):
    MON = 0, _("周一")
    TUE = 1, _("周二")
    WED = 2, _("周三")
    THU = 3, _("周四")
    FRI = 4, _("周五")
    SAT = 5, _("周六")
    SUN = 6, _("周日")


class AvailabilityWindow(models.Model):
    """A weekly window in which the talent can be booked (local time, Asia/Shanghai)."""

    profile = models.ForeignKey(
        SharingProfile, on_delete=models.CASCADE, related_name="windows", verbose_name=_("共享档案")
    )
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    start_time = models.TimeField(_("开始"))
    end_time = models.TimeField(_("结束"))

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = _("每周可用时段")
        verbose_name_plural = _("每周可用时段")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="window_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class AvailabilityException(models.Model):
    """A date on which the talent is not available, whatever the weekly windows say."""

    profile = models.ForeignKey(
        SharingProfile, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("共享档案")
    )
    date = models.DateField(_("日期"))
    note = models.CharField(_("原因"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("不可用日期")
        verbose_name_plural = _("不可用日期")
        constraints = [models.UniqueConstraint(fields=["profile", "date"], name="unique_exception_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


# Requests and invitations -------------------------------------------------------------------------


class RequestStatus(models.TextChoices):
    OPEN = "open", _("待匹配")
    INVITED = "invited", _("已邀请")
    MATCHED = "matched", _("已签约")
    CLOSED = "closed", _("已关闭")


class SharingRequestQuerySet(ArchivableQuerySet):
    def visible_to(self, user: object) -> SharingRequestQuerySet:
        """The station sees all; a firm sees its own requests; a talent sees requests they are invited to."""
        from jingxiang.organisations.permissions import firm_ids, is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(Q(firm_id__in=firm_ids(user)) | Q(invitations__talent__user=user)).distinct()

    def open(self) -> SharingRequestQuerySet:
        return self.filter(status__in=[RequestStatus.OPEN, RequestStatus.INVITED], archived_at__isnull=True)


class SharingRequest(TimeStamped, Archivable):
    """A firm's request for shared talent, filed through the sharing station (人才共享驿站)."""

    firm = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="sharing_requests",
        verbose_name=_("需求企业"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    title = models.CharField(_("需求标题"), max_length=100)
    problem = models.TextField(_("问题描述"))
    skills = models.ManyToManyField("talents.Skill", blank=True, related_name="+", verbose_name=_("所需技能"))
    hours_needed = models.PositiveSmallIntegerField(
        _("每月需要小时"), validators=[MinValueValidator(1), MaxValueValidator(400)]
    )
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    mode = models.CharField(_("服务方式"), max_length=20, choices=ServiceMode.choices)
    budget = models.DecimalField(
        _("预算(元)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN, db_index=True
    )

    objects = SharingRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("共享需求")
        verbose_name_plural = _("共享需求")

    def __str__(self) -> str:
        return self.title

    @property
    def age_days(self) -> int:
        return (timezone.now() - self.created_at).days


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("待回复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")


class Invitation(TimeStamped):
    request = models.ForeignKey(
        SharingRequest, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("共享需求")
    )
    talent = models.ForeignKey(
        "talents.Talent", on_delete=models.PROTECT, related_name="sharing_invitations", verbose_name=_("人才")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("邀请人")
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
        db_index=True,
    )
    response_note = models.CharField(_("回复说明"), max_length=300, blank=True)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("共享邀请")
        verbose_name_plural = _("共享邀请")
        constraints = [models.UniqueConstraint(fields=["request", "talent"], name="unique_invitation")]

    def __str__(self) -> str:
        return f"{self.request} → {self.talent}"


# Agreements ---------------------------------------------------------------------------------------


class AgreementKind(models.TextChoices):
    THREE_PARTY = "three_party", _("三方共享用工协议")
    TWO_PARTY = "two_party", _("两方服务协议")


class AgreementStatus(models.TextChoices):
    PENDING = "pending", _("待签署")
    ACTIVE = "active", _("生效中")
    SUPERSEDED = "superseded", _("已被新版本取代")
    ENDED = "ended", _("已结束")


class Party(models.TextChoices):
    HOME = "home", _("原用人单位(甲方)")
    HOST = "host", _("用工单位(乙方)")
    TALENT = "talent", _("共享人才(丙方)")


class AgreementQuerySet(ArchivableQuerySet):
    def visible_to(self, user: object) -> AgreementQuerySet:
        """The station sees all; the host firm and the home employer see theirs; a talent sees their own."""
        from jingxiang.organisations.permissions import approved_organisation_ids, firm_ids, is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(
            Q(host_id__in=firm_ids(user))
            | Q(home_id__in=approved_organisation_ids(user))
            | Q(talent__user=user)
        )


class Agreement(TimeStamped, Archivable):
    """A versioned sharing agreement. Each version has its own text, hash and signatures."""

    kind = models.CharField(_("协议类型"), max_length=20, choices=AgreementKind.choices)
    number = models.CharField(_("协议编号"), max_length=30, unique=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("上一版本"),
    )
    request = models.ForeignKey(
        SharingRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("共享需求"),
    )
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("邀请"),
    )
    talent = models.ForeignKey(
        "talents.Talent",
        on_delete=models.PROTECT,
        related_name="sharing_agreements",
        verbose_name=_("共享人才"),
    )
    host = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="hosted_agreements",
        verbose_name=_("用工单位"),
    )
    home = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lent_agreements",
        verbose_name=_("原用人单位"),
    )
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    monthly_hour_cap = models.PositiveSmallIntegerField(
        _("每月工时上限"), validators=[MinValueValidator(1), MaxValueValidator(400)]
    )
    tasks = models.TextField(_("工作内容"))
    hourly_rate = models.DecimalField(
        _("服务费率(元/小时)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    mode = models.CharField(_("服务方式"), max_length=20, choices=ServiceMode.choices)
    confidentiality = models.TextField(_("保密与知识产权条款"))
    supplementary_insurance = models.CharField(
        _("补充商业保险"), max_length=200, blank=True, help_text=_("可选:用工单位投保的补充保险")
    )
    text = models.TextField(_("协议文本"))
    text_sha256 = models.CharField(_("文本哈希(SHA-256)"), max_length=64)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=AgreementStatus.choices,
        default=AgreementStatus.PENDING,
        db_index=True,
    )
    activated_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    verification_code = models.CharField(max_length=32, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("共享协议")
        verbose_name_plural = _("共享协议")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="agreement_period"
            ),
            models.CheckConstraint(
                condition=Q(kind="two_party", home__isnull=True) | Q(kind="three_party", home__isnull=False),
                name="agreement_kind_matches_home",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"

    @property
    def parties(self) -> list[str]:
        if self.kind == AgreementKind.THREE_PARTY:
            return [Party.HOME, Party.HOST, Party.TALENT]
        return [Party.HOST, Party.TALENT]

    @property
    def payee_name(self) -> str:
        """Who the host pays: the home employer where there is one, otherwise the independent talent."""
        return self.home.name if self.home_id else self.talent.name

    def covers(self, day: dt.date) -> bool:
        return self.period_start <= day <= self.period_end


class AgreementSignature(models.Model):
    """One party's signature: who signed, for which party, when, and the hash of the exact text."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("协议")
    )
    party = models.CharField(_("签署方"), max_length=10, choices=Party.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签署单位"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("签署人")
    )
    signed_at = models.DateTimeField(_("签署时间"), default=timezone.now)
    text_sha256 = models.CharField(_("签署文本哈希"), max_length=64)
    consent = models.BooleanField(_("本人明确同意"), default=False)

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("协议签署")
        verbose_name_plural = _("协议签署")
        constraints = [models.UniqueConstraint(fields=["agreement", "party"], name="one_signature_per_party")]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.get_party_display()}"


# Bookings and timesheets --------------------------------------------------------------------------


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> BookingQuerySet:
        return self.filter(agreement__in=Agreement.objects.visible_to(user))

    def live(self) -> BookingQuerySet:
        return self.filter(status=BookingStatus.BOOKED)


class Booking(TimeStamped):
    """A block of the talent's time for one host, under one agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("协议")
    )
    talent = models.ForeignKey(
        "talents.Talent", on_delete=models.PROTECT, related_name="sharing_bookings", verbose_name=_("人才")
    )
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    hours = models.DecimalField(_("小时"), max_digits=6, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED, db_index=True
    )
    note = models.CharField(_("安排说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("工时预约")
        verbose_name_plural = _("工时预约")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="booking_positive")
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.talent} {start:%Y-%m-%d %H:%M}–{timezone.localtime(self.ends_at):%H:%M}"

    @property
    def local_date(self) -> dt.date:
        return timezone.localtime(self.starts_at).date()


class TimesheetStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已确认")
    DISPUTED = "disputed", _("有异议")
    RESOLVED = "resolved", _("已裁定")


class TimesheetQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> TimesheetQuerySet:
        return self.filter(booking__agreement__in=Agreement.objects.visible_to(user))

    def billable(self) -> TimesheetQuerySet:
        return self.filter(status__in=[TimesheetStatus.APPROVED, TimesheetStatus.RESOLVED])


class Timesheet(TimeStamped):
    """Work the talent logged against a booking; the host approves or disputes it."""

    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, related_name="timesheets", verbose_name=_("预约")
    )
    hours = models.DecimalField(_("工时"), max_digits=6, decimal_places=2)
    description = models.TextField(_("工作内容"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=TimesheetStatus.choices,
        default=TimesheetStatus.SUBMITTED,
        db_index=True,
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    dispute_reason = models.CharField(_("异议理由"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("裁定人"),
    )
    resolved_at = models.DateTimeField(_("裁定时间"), null=True, blank=True)
    resolution_note = models.CharField(_("裁定意见"), max_length=300, blank=True)
    approved_hours = models.DecimalField(_("确认工时"), max_digits=6, decimal_places=2, null=True, blank=True)

    objects = TimesheetQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("工时记录")
        verbose_name_plural = _("工时记录")

    def __str__(self) -> str:
        return f"{self.booking} · {self.hours}h"


# Settlement ---------------------------------------------------------------------------------------


class SubsidyPolicy(TimeStamped, Archivable):
    """A subsidy rule kept as data: the fund pays a share of the bill for eligible firms, within caps."""

    name = models.CharField(_("政策名称"), max_length=100)
    percentage = models.DecimalField(
        _("补贴比例(%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    eligible_sizes = models.JSONField(_("适用企业规模"), default=list)
    cap_per_firm_year = models.DecimalField(
        _("每家企业每年上限(元)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    annual_budget = models.DecimalField(
        _("年度预算(元)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"))

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "pk"]
        verbose_name = _("补贴政策")
        verbose_name_plural = _("补贴政策")
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="policy_validity")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def eligible_size_labels(self) -> list[str]:
        from jingxiang.organisations.models import OrganisationSize

        labels = dict(OrganisationSize.choices)
        return [str(labels.get(size, size)) for size in self.eligible_sizes]

    def applies_to(self, size: str, day: dt.date) -> bool:
        return (
            self.archived_at is None
            and self.valid_from <= day <= self.valid_to
            and size in self.eligible_sizes
        )


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已出具")


class StatementQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> StatementQuerySet:
        return self.filter(agreement__in=Agreement.objects.visible_to(user))

    def issued(self) -> StatementQuerySet:
        return self.filter(status=StatementStatus.ISSUED)


class Statement(TimeStamped):
    """The monthly statement of one agreement: approved hours × rate, split between host and subsidy."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="statements", verbose_name=_("协议")
    )
    host = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("用工单位")
    )
    talent = models.ForeignKey(
        "talents.Talent", on_delete=models.PROTECT, related_name="+", verbose_name=_("人才")
    )
    month = models.DateField(_("月份"), db_index=True)
    number = models.CharField(_("结算单号"), max_length=30, unique=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=StatementStatus.choices,
        default=StatementStatus.DRAFT,
        db_index=True,
    )
    hours = models.DecimalField(_("工时"), max_digits=8, decimal_places=2, default=ZERO)
    gross = models.DecimalField(_("应结金额"), max_digits=12, decimal_places=2, default=ZERO)
    subsidy = models.DecimalField(_("补贴金额"), max_digits=12, decimal_places=2, default=ZERO)
    host_pays = models.DecimalField(_("企业应付"), max_digits=12, decimal_places=2, default=ZERO)
    policy = models.ForeignKey(
        SubsidyPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("补贴政策"),
    )
    payee = models.CharField(_("收款方"), max_length=100)
    issued_at = models.DateTimeField(_("出具时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("出具人"),
    )
    verification_code = models.CharField(max_length=32, unique=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("月度结算单")
        verbose_name_plural = _("月度结算单")
        constraints = [models.UniqueConstraint(fields=["agreement", "month"], name="one_statement_per_month")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_issued(self) -> bool:
        return self.status == StatementStatus.ISSUED


class StatementLine(models.Model):
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="lines", verbose_name=_("结算单")
    )
    description = models.CharField(_("摘要"), max_length=200)
    hours = models.DecimalField(_("工时"), max_digits=8, decimal_places=2, default=ZERO)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    timesheet = models.ForeignKey(
        Timesheet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("工时记录"),
    )
    adjustment = models.ForeignKey(
        "StatementAdjustment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("调整项"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("结算明细")
        verbose_name_plural = _("结算明细")

    def __str__(self) -> str:
        return self.description


class StatementAdjustment(TimeStamped):
    """A correction to an issued statement, carried as a line on the agreement's next statement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("协议")
    )
    corrects = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("更正的结算单")
    )
    hours = models.DecimalField(_("调整工时"), max_digits=8, decimal_places=2, default=ZERO)
    amount = models.DecimalField(_("调整金额"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("调整原因"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    applied_to = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applied_adjustments",
        verbose_name=_("计入结算单"),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("结算调整")
        verbose_name_plural = _("结算调整")

    def __str__(self) -> str:
        return self.reason


# Outcomes -----------------------------------------------------------------------------------------


class OutcomeQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> OutcomeQuerySet:
        return self.filter(agreement__in=Agreement.objects.visible_to(user))


class Outcome(TimeStamped):
    """What an engagement achieved, as recorded by the host: the source of the cluster's KPIs."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("协议")
    )
    rating = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    problem_solved = models.BooleanField(_("问题已解决"), default=False)
    patent_number = models.CharField(_("专利申请号"), max_length=40, blank=True)
    cost_saved = models.DecimalField(
        _("节约成本(元)"), max_digits=12, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    products_improved = models.CharField(_("改进的产品"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="sharing/evidence/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("共享成效")
        verbose_name_plural = _("共享成效")

    def __str__(self) -> str:
        return f"{self.agreement} · {self.rating}"
