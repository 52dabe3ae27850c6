"""一城多园: sites (the eyewear city, the start-up park, the platform), buildings, units and tenants with
leases, incubation of start-up park tenants, and tenants' service requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped


class SiteKind(models.TextChoices):
    MARKET = "market", _("眼镜城(市场)")
    STARTUP_PARK = "startup_park", _("创业园")
    PLATFORM = "platform", _("平台园区")


class Site(TimeStamped, Archivable):
    name = models.CharField(_("园区名称"), max_length=100, unique=True)
    kind = models.CharField(_("园区类型"), max_length=20, choices=SiteKind.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("园区")
        verbose_name_plural = _("园区")

    def __str__(self) -> str:
        return self.name


class ParkManager(TimeStamped):
    """A person who manages a site (the platform's organisation roles stay as they are)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="managers", verbose_name=_("园区"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("园区管理员")
        verbose_name_plural = _("园区管理员")
        constraints = [models.UniqueConstraint(fields=["site", "user"], name="parks_manager_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.site_id}"


class Building(TimeStamped):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("园区"))
    name = models.CharField(_("楼栋"), max_length=50)

    class Meta:
        ordering = ["site", "name"]
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="parks_building_unique")]

    def __str__(self) -> str:
        return self.name


class Unit(TimeStamped):
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="units", verbose_name=_("楼栋")
    )
    code = models.CharField(_("房号"), max_length=20)
    floor = models.SmallIntegerField(_("楼层"))
    area = models.DecimalField(_("面积(㎡)"), max_digits=9, decimal_places=2)
    monthly_rent = models.DecimalField(_("月租金(元)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["building", "floor", "code"]
        verbose_name = _("单元")
        verbose_name_plural = _("单元")
        constraints = [models.UniqueConstraint(fields=["building", "code"], name="parks_unit_unique")]

    def __str__(self) -> str:
        return f"{self.building.name}-{self.code}"


class LeaseQuerySet(models.QuerySet["Lease"]):
    def live(self) -> LeaseQuerySet:
        return self.exclude(status=LeaseStatus.TERMINATED)

    def on(self, day: dt.date) -> LeaseQuerySet:
        return self.live().filter(starts_on__lte=day, ends_on__gte=day)

    def visible_to(self, user: Any) -> LeaseQuerySet:
        """Park managers see their sites' leases, tenants their own, operators all."""
        from jingxiang.organisations.permissions import is_operator, managed_firm_ids
        from jingxiang.parks.permissions import managed_site_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(
            Q(unit__building__site_id__in=managed_site_ids(user)) | Q(tenant_id__in=managed_firm_ids(user))
        )


class LeaseStatus(models.TextChoices):
    SIGNED = "signed", _("已签约")
    TERMINATED = "terminated", _("已解除")


class Lease(TimeStamped):
    number = models.CharField(_("租约编号"), max_length=30, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="leases", verbose_name=_("单元"))
    tenant = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("租户")
    )
    starts_on = models.DateField(_("起租日期"))
    ends_on = models.DateField(_("到期日期"))
    monthly_rent = models.DecimalField(_("月租金(元)"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=20, choices=LeaseStatus.choices, default=LeaseStatus.SIGNED
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("签约人")
    )
    reminded_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)

    objects = LeaseQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("租约")
        verbose_name_plural = _("租约")

    def __str__(self) -> str:
        return self.number


class Stage(models.TextChoices):
    APPLIED = "applied", _("待入园评审")
    INCUBATING = "incubating", _("孵化中")
    GRADUATED = "graduated", _("已毕业")
    EXITED = "exited", _("已退出")
    REFUSED = "refused", _("未通过入园评审")


class ReviewKind(models.TextChoices):
    ENTRY = "entry", _("入园评审")
    YEARLY = "yearly", _("年度评审")
    GRADUATION = "graduation", _("毕业")
    EXIT = "exit", _("退出")


class IncubationQuerySet(models.QuerySet["Incubation"]):
    def visible_to(self, user: Any) -> IncubationQuerySet:
        from jingxiang.organisations.permissions import is_operator, managed_firm_ids
        from jingxiang.parks.permissions import managed_site_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(Q(site_id__in=managed_site_ids(user)) | Q(tenant_id__in=managed_firm_ids(user)))


class Incubation(TimeStamped):
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="incubations", verbose_name=_("园区")
    )
    tenant = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("租户")
    )
    stage = models.CharField(_("孵化阶段"), max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    entered_on = models.DateField(_("入园日期"), null=True, blank=True)
    left_on = models.DateField(_("离园日期"), null=True, blank=True)

    objects = IncubationQuerySet.as_manager()

    class Meta:
        ordering = ["site", "tenant"]
        verbose_name = _("孵化")
        verbose_name_plural = _("孵化")
        constraints = [models.UniqueConstraint(fields=["site", "tenant"], name="parks_incubation_unique")]

    def __str__(self) -> str:
        return f"{self.tenant_id} @ {self.site_id}"


class IncubationReview(TimeStamped):
    incubation = models.ForeignKey(
        Incubation, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("孵化")
    )
    kind = models.CharField(_("评审类型"), max_length=20, choices=ReviewKind.choices)
    passed = models.BooleanField(_("通过"), default=True)
    reason = models.CharField(_("意见/原因"), max_length=300)
    reviewed_on = models.DateField(_("评审日期"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("评审人")
    )

    class Meta:
        ordering = ["reviewed_on", "pk"]
        verbose_name = _("孵化评审")
        verbose_name_plural = _("孵化评审")

    def __str__(self) -> str:
        return f"{self.kind} {self.reviewed_on}"


class RequestKind(models.TextChoices):
    REPAIR = "repair", _("报修")
    REGISTRATION = "registration", _("工商注册协助")
    OTHER = "other", _("其他")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DONE = "done", _("已办结")


class ServiceRequestQuerySet(models.QuerySet["ServiceRequest"]):
    def visible_to(self, user: Any) -> ServiceRequestQuerySet:
        from jingxiang.organisations.permissions import firm_ids, is_operator
        from jingxiang.parks.permissions import managed_site_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(Q(site_id__in=managed_site_ids(user)) | Q(tenant_id__in=firm_ids(user)))


class ServiceRequest(TimeStamped):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="requests", verbose_name=_("园区"))
    tenant = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("租户")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=RequestKind.choices)
    description = models.CharField(_("说明"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )
    resolution = models.CharField(_("办理结果"), max_length=300, blank=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("园区服务请求")
        verbose_name_plural = _("园区服务请求")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"
