"""专业服务 and 创新券: providers' services, orders with milestones, think-tank consultations and the
innovation-voucher programmes that pay part of a small firm's bill."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped
from jingxiang.core.search import search_key, searchable_text

ZERO = Decimal("0.00")


class ServiceCategory(models.TextChoices):
    TESTING = "testing", _("检验检测")
    DESIGN = "design", _("设计")
    IP = "ip", _("知识产权")
    CONSULTING = "consulting", _("咨询")
    TRAINING = "training", _("培训")
    REGISTRATION = "registration", _("注册与认证")
    OTHER = "other", _("其他")


class ProviderStaff(TimeStamped):
    """A person who acts for a service provider (an agency, lab, university or studio) in the
    marketplace: the platform's organisation roles stay as they are."""

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("服务机构")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("服务机构人员")
        verbose_name_plural = _("服务机构人员")
        constraints = [models.UniqueConstraint(fields=["provider", "user"], name="services_staff_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider_id}"


class ServiceStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已下架")


class ServiceQuerySet(ArchivableQuerySet):
    def published(self) -> ServiceQuerySet:
        return self.filter(status=ServiceStatus.PUBLISHED, archived_at__isnull=True)

    def search(self, query: str) -> ServiceQuerySet:
        needle = search_key(query)
        if not needle:
            return self
        return self.filter(Q(search_text__contains=needle) | Q(provider__search_text__contains=needle))

    def visible_to(self, user: Any) -> ServiceQuerySet:
        """Services are a directory for every signed-in user; a withdrawn one stays readable by its
        link (so whoever had it open learns why it can no longer be ordered)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(archived_at__isnull=True)

    def on_market_for(self, user: Any) -> ServiceQuerySet:
        """The marketplace list: published services, plus the viewer's own withdrawn ones (providers)
        or all of them (operators)."""
        from jingxiang.organisations.permissions import is_operator
        from jingxiang.services.permissions import provider_ids

        visible = self.visible_to(user)
        if is_operator(user):
            return visible
        return visible.filter(Q(status=ServiceStatus.PUBLISHED) | Q(provider_id__in=provider_ids(user)))


class Service(TimeStamped, Archivable):
    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("服务机构")
    )
    title = models.CharField(_("服务名称"), max_length=100)
    category = models.CharField(_("服务类别"), max_length=20, choices=ServiceCategory.choices, db_index=True)
    description = models.TextField(_("服务说明"))
    # None = the price is quoted per request.
    price = models.DecimalField(_("价格(元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("周期(天)"))
    deliverables = models.CharField(_("交付成果"), max_length=300)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ServiceStatus.choices,
        default=ServiceStatus.PUBLISHED,
        db_index=True,
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("服务")
        verbose_name_plural = _("服务")

    def __str__(self) -> str:
        return self.title

    @property
    def quote_only(self) -> bool:
        return self.price is None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = searchable_text(
            self.title, self.get_category_display() and str(self.get_category_display())
        )
        super().save(*args, **kwargs)


class OrderStatus(models.TextChoices):
    QUOTE_REQUESTED = "quote_requested", _("待报价")
    QUOTED = "quoted", _("已报价")
    ORDERED = "ordered", _("已下单")
    DELIVERED = "delivered", _("已交付待验收")
    ACCEPTED = "accepted", _("已验收")
    DISPUTED = "disputed", _("有异议")
    CANCELLED = "cancelled", _("已取消")


class OrderQuerySet(models.QuerySet["Order"]):
    def visible_to(self, user: Any) -> OrderQuerySet:
        """The ordering firm's managers, the provider's staff and the operators; nobody else."""
        from jingxiang.organisations.permissions import is_operator, managed_firm_ids
        from jingxiang.services.permissions import provider_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(Q(firm_id__in=managed_firm_ids(user)) | Q(provider_id__in=provider_ids(user)))


class Order(TimeStamped):
    number = models.CharField(_("订单编号"), max_length=30, unique=True)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="orders", verbose_name=_("服务")
    )
    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("服务机构")
    )
    firm = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("委托企业")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )
    brief = models.TextField(_("需求说明"))
    status = models.CharField(_("状态"), max_length=20, choices=OrderStatus.choices, db_index=True)
    price = models.DecimalField(_("价格(元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    quote_note = models.CharField(_("报价说明"), max_length=300, blank=True)
    quoted_at = models.DateTimeField(_("报价时间"), null=True, blank=True)
    ordered_at = models.DateTimeField(_("下单时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("交付时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    voucher = models.ForeignKey(
        "Voucher",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("创新券"),
    )
    voucher_amount = models.DecimalField(_("创新券抵扣(元)"), max_digits=12, decimal_places=2, default=ZERO)
    dispute_reason = models.CharField(_("异议理由"), max_length=300, blank=True)
    rating = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    rating_note = models.CharField(_("评价"), max_length=300, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("服务订单")
        verbose_name_plural = _("服务订单")

    def __str__(self) -> str:
        return self.number

    @property
    def firm_pays(self) -> Decimal | None:
        return None if self.price is None else self.price - self.voucher_amount


class Milestone(TimeStamped):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("订单")
    )
    title = models.CharField(_("节点"), max_length=100)
    due_date = models.DateField(_("计划日期"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("交付节点")
        verbose_name_plural = _("交付节点")

    def __str__(self) -> str:
        return self.title


class ConsultationStatus(models.TextChoices):
    REQUESTED = "requested", _("待专家确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("专家婉拒")
    HELD = "held", _("已咨询")


class FollowUp(models.TextChoices):
    NONE = "none", _("暂无后续")
    DEMAND = "demand", _("发布了技术需求")
    SHARING = "sharing", _("提出了共享用工需求")


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def live(self) -> ConsultationQuerySet:
        return self.filter(
            status__in=[ConsultationStatus.REQUESTED, ConsultationStatus.CONFIRMED, ConsultationStatus.HELD]
        )

    def visible_to(self, user: Any) -> ConsultationQuerySet:
        from jingxiang.organisations.permissions import is_operator, managed_firm_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(Q(firm_id__in=managed_firm_ids(user)) | Q(talent__user=user))


class Consultation(TimeStamped):
    """An hour of a think-tank member's free time booked by a firm. The time is checked against the
    sharing app's availability and bookings: there is one calendar per talent."""

    talent = models.ForeignKey(
        "talents.Talent", on_delete=models.PROTECT, related_name="+", verbose_name=_("智库专家")
    )
    firm = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )
    topic = models.CharField(_("咨询问题"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ConsultationStatus.choices, default=ConsultationStatus.REQUESTED
    )
    advice = models.TextField(_("咨询意见"), blank=True)
    follow_up = models.CharField(_("后续"), max_length=20, choices=FollowUp.choices, default=FollowUp.NONE)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("智库咨询")
        verbose_name_plural = _("智库咨询")

    def __str__(self) -> str:
        return f"{self.talent_id} {self.starts_at:%Y-%m-%d %H:%M}"


# Innovation vouchers -------------------------------------------------------------------------------


class ProgrammeQuerySet(ArchivableQuerySet):
    def open_on(self, day: dt.date) -> ProgrammeQuerySet:
        return self.filter(valid_from__lte=day, valid_to__gte=day, archived_at__isnull=True)


class VoucherProgramme(TimeStamped, Archivable):
    """A voucher programme as data: who may apply, for which services, how much it pays."""

    name = models.CharField(_("项目名称"), max_length=100)
    eligible_sizes = models.JSONField(_("适用企业规模"), default=list)
    # Empty = every region.
    eligible_regions = models.JSONField(_("适用区域"), default=list, blank=True)
    categories = models.JSONField(_("适用服务类别"), default=list)
    share = models.DecimalField(_("抵扣比例(%)"), max_digits=5, decimal_places=2)
    cap_per_firm_year = models.DecimalField(_("每家企业每年上限(元)"), max_digits=12, decimal_places=2)
    budget = models.DecimalField(_("总预算(元)"), max_digits=14, decimal_places=2)
    # Running totals, changed only under a row lock on this programme.
    committed = models.DecimalField(_("已使用(元)"), max_digits=14, decimal_places=2, default=ZERO)
    paid = models.DecimalField(_("已兑付(元)"), max_digits=14, decimal_places=2, default=ZERO)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"))

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "name"]
        verbose_name = _("创新券项目")
        verbose_name_plural = _("创新券项目")
        constraints = [
            models.CheckConstraint(
                condition=Q(committed__lte=models.F("budget")), name="services_budget_not_overspent"
            ),
            models.CheckConstraint(condition=Q(committed__gte=0), name="services_committed_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed


class VoucherStatus(models.TextChoices):
    APPLIED = "applied", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class VoucherQuerySet(models.QuerySet["Voucher"]):
    def visible_to(self, user: Any) -> VoucherQuerySet:
        from jingxiang.organisations.permissions import is_operator, managed_firm_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(firm_id__in=managed_firm_ids(user))


class Voucher(TimeStamped):
    number = models.CharField(_("券号"), max_length=30, unique=True)
    programme = models.ForeignKey(
        VoucherProgramme, on_delete=models.PROTECT, related_name="vouchers", verbose_name=_("创新券项目")
    )
    firm = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    purpose = models.CharField(_("用途"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=20, choices=VoucherStatus.choices, default=VoucherStatus.APPLIED
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)

    objects = VoucherQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("创新券")
        verbose_name_plural = _("创新券")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "firm", "year"], name="services_one_voucher_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.number


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", _("待兑付")
    PAID = "paid", _("已兑付")


class ClaimQuerySet(models.QuerySet["VoucherClaim"]):
    def visible_to(self, user: Any) -> ClaimQuerySet:
        from jingxiang.organisations.permissions import is_operator
        from jingxiang.services.permissions import provider_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(order__provider_id__in=provider_ids(user))


class VoucherClaim(TimeStamped):
    """The provider's claim for the voucher part of an accepted order, paid out by the operator."""

    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="claim", verbose_name=_("订单")
    )
    amount = models.DecimalField(_("兑付金额(元)"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.CLAIMED
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("兑付人"),
    )
    paid_at = models.DateTimeField(_("兑付时间"), null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("创新券兑付")
        verbose_name_plural = _("创新券兑付")

    def __str__(self) -> str:
        return str(self.order_id)
