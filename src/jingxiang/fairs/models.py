"""眼镜展: fairs (台州(杜桥)国际眼镜展, the 杜桥眼镜 zone at the Shanghai optical fair), their halls and
booth plans, exhibitor applications and booth allocations, pre-registered buyers with badges, and the
leads exhibitors capture by scanning badges.

Meetings between buyers and exhibitors are not modelled here: each fair links to an ``events.Event``
and its exhibitors and buyers are that event's participants, so requests, answers and the schedule
are the events app's own records.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jingxiang.core.documents import new_verification_code
from jingxiang.core.links import new_link_token
from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped
from jingxiang.identifiers import mask_mobile


class FairStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("招展中")
    CLOSED = "closed", _("已闭幕")


class FairQuerySet(ArchivableQuerySet):
    def visible_to(self, user: object) -> FairQuerySet:
        """Operators see every fair; anyone else (also without a login: buyers pre-register publicly)
        sees the fairs that are no longer in preparation."""
        from jingxiang.organisations.permissions import is_operator

        if is_operator(user):
            return self
        return self.filter(archived_at__isnull=True).exclude(status=FairStatus.DRAFT)


class Fair(TimeStamped, Archivable):
    code = models.CharField(_("展会代码"), max_length=20, unique=True)
    title = models.CharField(_("名称"), max_length=100)
    city = models.CharField(_("城市"), max_length=30)
    venue = models.CharField(_("展馆地点"), max_length=200)
    starts_on = models.DateField(_("开幕日期"))
    ends_on = models.DateField(_("闭幕日期"))
    description = models.TextField(_("简介"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=FairStatus.choices, default=FairStatus.DRAFT, db_index=True
    )
    event = models.OneToOneField(
        "events.Event", on_delete=models.PROTECT, related_name="fair", verbose_name=_("采购洽谈会")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    objects = FairQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("眼镜展")
        verbose_name_plural = _("眼镜展")

    def __str__(self) -> str:
        return self.title

    @property
    def tone_key(self) -> str:
        return "pending" if self.status == FairStatus.OPEN else str(self.status)


class Hall(TimeStamped):
    fair = models.ForeignKey(Fair, on_delete=models.PROTECT, related_name="halls", verbose_name=_("展会"))
    code = models.CharField(_("展馆代码"), max_length=10)
    name = models.CharField(_("展馆"), max_length=50)
    width_m = models.DecimalField(_("宽(米)"), max_digits=6, decimal_places=1)
    depth_m = models.DecimalField(_("深(米)"), max_digits=6, decimal_places=1)

    class Meta:
        ordering = ["fair", "code"]
        verbose_name = _("展馆")
        verbose_name_plural = _("展馆")
        constraints = [models.UniqueConstraint(fields=["fair", "code"], name="unique_fair_hall_code")]

    def __str__(self) -> str:
        return self.name


class BoothState(models.TextChoices):
    FREE = "free", _("空闲")
    HELD = "held", _("预留")
    ALLOCATED = "allocated", _("已分配")
    BLOCKED = "blocked", _("不可用")


class Booth(TimeStamped):
    """One stand on the hall plan: its number, size, position (metres from the hall's top-left corner)
    and price. ``state`` is kept in step with the allocations by the services."""

    fair = models.ForeignKey(Fair, on_delete=models.PROTECT, related_name="booths", verbose_name=_("展会"))
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="booths", verbose_name=_("展馆"))
    code = models.CharField(_("展位号"), max_length=20)
    width_m = models.DecimalField(_("宽(米)"), max_digits=5, decimal_places=1)
    depth_m = models.DecimalField(_("深(米)"), max_digits=5, decimal_places=1)
    x_m = models.DecimalField(_("横坐标(米)"), max_digits=6, decimal_places=1)
    y_m = models.DecimalField(_("纵坐标(米)"), max_digits=6, decimal_places=1)
    price = models.DecimalField(_("价格(元)"), max_digits=10, decimal_places=2)
    state = models.CharField(
        _("状态"), max_length=10, choices=BoothState.choices, default=BoothState.FREE, db_index=True
    )
    state_note = models.CharField(_("预留/不可用原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["hall", "code"]
        verbose_name = _("展位")
        verbose_name_plural = _("展位")
        constraints = [models.UniqueConstraint(fields=["fair", "code"], name="unique_fair_booth_code")]

    def __str__(self) -> str:
        return self.code

    @property
    def area(self) -> Any:
        return self.width_m * self.depth_m

    @property
    def tone_key(self) -> str:
        return {
            BoothState.FREE: "approved",
            BoothState.HELD: "pending",
            BoothState.ALLOCATED: "completed",
            BoothState.BLOCKED: "archived",
        }[BoothState(self.state)]


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待分配")
    ALLOCATED = "allocated", _("已分配展位")
    WITHDRAWN = "withdrawn", _("已撤回")
    REJECTED = "rejected", _("未通过")


class ApplicationQuerySet(ArchivableQuerySet):
    def visible_to(self, user: object) -> ApplicationQuerySet:
        """Operators see every application; a firm's people see their own firm's."""
        from jingxiang.organisations.permissions import FIRM_PEOPLE, firm_ids, is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(organisation_id__in=firm_ids(user, *FIRM_PEOPLE))


class ExhibitorApplication(TimeStamped, Archivable):
    """A firm's application to exhibit, with up to three preferred booths in order."""

    fair = models.ForeignKey(
        Fair, on_delete=models.PROTECT, related_name="applications", verbose_name=_("展会")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("参展企业")
    )
    products = models.CharField(_("展品"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=50)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    unplaced_reason = models.CharField(_("未分配原因"), max_length=300, blank=True)
    participant = models.ForeignKey(
        "events.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("洽谈会报名"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("参展申请")
        verbose_name_plural = _("参展申请")
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "organisation"],
                condition=models.Q(status__in=["submitted", "allocated"]),
                name="unique_open_fair_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.fair}"

    @property
    def tone_key(self) -> str:
        return {
            ApplicationStatus.SUBMITTED: "pending",
            ApplicationStatus.ALLOCATED: "approved",
            ApplicationStatus.WITHDRAWN: "archived",
            ApplicationStatus.REJECTED: "rejected",
        }[ApplicationStatus(self.status)]

    @property
    def booth(self) -> Booth | None:
        allocation = self.allocations.filter(released_at__isnull=True).select_related("booth").first()
        return allocation.booth if allocation else None


class BoothPreference(models.Model):
    application = models.ForeignKey(
        ExhibitorApplication, on_delete=models.PROTECT, related_name="preferences", verbose_name=_("参展申请")
    )
    booth = models.ForeignKey(Booth, on_delete=models.PROTECT, related_name="+", verbose_name=_("展位"))
    rank = models.PositiveSmallIntegerField(_("志愿顺序"))

    class Meta:
        ordering = ["application", "rank"]
        verbose_name = _("展位志愿")
        verbose_name_plural = _("展位志愿")
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="unique_preference_rank"),
            models.UniqueConstraint(fields=["application", "booth"], name="unique_preference_booth"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.booth}"


class AllocationMethod(models.TextChoices):
    RUN = "run", _("按志愿自动分配")
    MANUAL = "manual", _("运营人员指定")


class Allocation(TimeStamped):
    """A booth given to an application. At most one current allocation per booth and per application
    (unique constraints, so even a race the locks missed cannot give one booth twice)."""

    fair = models.ForeignKey(
        Fair, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("展会")
    )
    booth = models.ForeignKey(
        Booth, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("展位")
    )
    application = models.ForeignKey(
        ExhibitorApplication, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("参展申请")
    )
    method = models.CharField(_("分配方式"), max_length=10, choices=AllocationMethod.choices)
    preference_rank = models.PositiveSmallIntegerField(_("命中志愿"), null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("分配人")
    )
    released_at = models.DateTimeField(_("释放时间"), null=True, blank=True)
    release_reason = models.CharField(_("释放原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("展位分配")
        verbose_name_plural = _("展位分配")
        constraints = [
            models.UniqueConstraint(
                fields=["booth"], condition=models.Q(released_at__isnull=True), name="unique_current_booth"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(released_at__isnull=True),
                name="unique_current_application_booth",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booth} → {self.application.organisation}"


class BuyerKind(models.TextChoices):
    WHOLESALER = "wholesaler", _("批发商")
    RETAILER = "retailer", _("眼镜店/零售")
    CHAIN = "chain", _("连锁店")
    BRAND = "brand", _("品牌商")
    ECOMMERCE = "ecommerce", _("电商")
    TRADER = "trader", _("外贸公司")
    OTHER = "other", _("其他")


@cache
def _countries() -> tuple[dict[str, str], ...]:
    path = Path(__file__).with_name("data") / "countries.yaml"
    return tuple(yaml.safe_load(path.read_text(encoding="utf-8")))


def country_choices() -> list[tuple[str, str]]:
    """(code, name) in the current interface language, in the order of the data file."""
    english = (translation.get_language() or "").startswith("en")
    return [(row["code"], row["en"] if english else row["zh"]) for row in _countries()]


def country_name(code: str) -> str:
    return dict(country_choices()).get(code, code)


class BuyerQuerySet(ArchivableQuerySet):
    def visible_to(self, user: object) -> BuyerQuerySet:
        """The buyer list is the operators'; a buyer with a login sees their own registrations."""
        from jingxiang.organisations.permissions import is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(user=user)


class Buyer(TimeStamped, Archivable):
    """A pre-registered trade visitor and their badge."""

    fair = models.ForeignKey(Fair, on_delete=models.PROTECT, related_name="buyers", verbose_name=_("展会"))
    name = models.CharField(_("姓名"), max_length=50)
    company = models.CharField(_("公司"), max_length=100)
    country = models.CharField(_("国家/地区"), max_length=2)
    kind = models.CharField(_("采购商类型"), max_length=12, choices=BuyerKind.choices)
    mobile = models.CharField(_("手机号"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)
    interests = models.CharField(_("采购意向"), max_length=200, blank=True)
    badge_number = models.CharField(_("胸卡号"), max_length=20, unique=True)
    badge_code = models.CharField(
        _("胸卡验证码"), max_length=32, unique=True, default=new_verification_code, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登录账号"),
    )
    participant = models.ForeignKey(
        "events.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("洽谈会报名"),
    )

    objects = BuyerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("采购商")
        verbose_name_plural = _("采购商")
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "mobile"],
                condition=models.Q(archived_at__isnull=True),
                name="unique_fair_buyer_mobile",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.company})"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile) or self.mobile[:3] + "****"

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class BuyerLinkQuerySet(models.QuerySet["BuyerLink"]):
    def live(self) -> BuyerLinkQuerySet:
        return self.filter(revoked_at__isnull=True)


class BuyerLink(TimeStamped):
    """A buyer's personal page, for those without a login: the exhibitors and their meeting requests.

    The token in the URL is the key (the calendar feed's mechanism, ``core.links.new_link_token``). A
    new link revokes the live one; a revoked link is a 404 from then on. Rows are kept for the audit."""

    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="links", verbose_name=_("采购商"))
    token = models.CharField(
        _("链接令牌"), max_length=64, unique=True, default=new_link_token, editable=False
    )
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("停用人"),
    )
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)

    objects = BuyerLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("采购商专属链接")
        verbose_name_plural = _("采购商专属链接")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer"], condition=models.Q(revoked_at__isnull=True), name="one_live_buyer_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.buyer} · {self.created_at:%Y-%m-%d}"


class LeadMethod(models.TextChoices):
    SCAN = "scan", _("扫码")
    TYPED = "typed", _("手工输入")


class LeadQuerySet(models.QuerySet["Lead"]):
    def visible_to(self, user: object) -> LeadQuerySet:
        """An exhibitor's leads are its own people's; operators see every lead."""
        from jingxiang.organisations.permissions import is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(application__in=ExhibitorApplication.objects.visible_to(user).values("pk"))


class Lead(TimeStamped):
    """A buyer met at an exhibitor's booth, captured once (a second scan is refused; the first is kept)."""

    fair = models.ForeignKey(Fair, on_delete=models.PROTECT, related_name="leads", verbose_name=_("展会"))
    application = models.ForeignKey(
        ExhibitorApplication, on_delete=models.PROTECT, related_name="leads", verbose_name=_("参展商")
    )
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="leads", verbose_name=_("采购商"))
    method = models.CharField(_("录入方式"), max_length=6, choices=LeadMethod.choices)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("客户线索")
        verbose_name_plural = _("客户线索")
        constraints = [
            models.UniqueConstraint(fields=["application", "buyer"], name="unique_lead_per_exhibitor")
        ]

    def __str__(self) -> str:
        return f"{self.buyer} @ {self.application.organisation}"


class ReportIssue(models.Model):
    """One issued exhibitor report PDF: its figures as printed, under the code its QR verifies, so the
    public page says what the paper says even after more leads come in."""

    application = models.ForeignKey(
        ExhibitorApplication, on_delete=models.PROTECT, related_name="report_issues", verbose_name=_("参展商")
    )
    verify_code = models.CharField(
        _("核验码"), max_length=32, unique=True, default=new_verification_code, editable=False
    )
    figures = models.JSONField(_("报告数据"), default=dict)
    issued_at = models.DateTimeField(_("出具时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("出具人")
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("参展商报告")
        verbose_name_plural = _("参展商报告")

    def __str__(self) -> str:
        return f"{self.application} · {self.verify_code}"
