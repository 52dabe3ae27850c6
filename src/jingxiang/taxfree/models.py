"""离境退税 at the Duqiao eyewear city: filed stores, their goods and staff, refund forms and customs checks.

The rules themselves live in the pure engine ``jingxiang.taxrefund``; these records are what the
counter, the refund agency and the tax office act on. A passport is never stored: only a keyed hash
(to find the same visitor's other purchases that day) and a masked number for the printed form.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import TimeStamped


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待税务机关审核")
    FILED = "filed", _("已备案")
    REJECTED = "rejected", _("未通过")


class CreditRating(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    M = "M", "M"
    C = "C", "C"
    D = "D", "D"


class Region(models.TextChoices):
    ZHEJIANG = "zhejiang", _("浙江省")
    SHANGHAI = "shanghai", _("上海市")


class RefundAgency(TimeStamped):
    """退税代理机构: pays refunds at the port, pre-finances 即买即退 advances, recovers them."""

    name = models.CharField(_("名称"), max_length=120, unique=True)
    region = models.CharField(_("地区"), max_length=20, choices=Region.choices, default=Region.ZHEJIANG)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="refund_agencies", blank=True)

    class Meta:
        verbose_name = _("退税代理机构")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxOffice(TimeStamped):
    """主管税务机关: reviews filings within 5 working days; reads everything else."""

    name = models.CharField(_("名称"), max_length=120, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="tax_offices", blank=True)

    class Meta:
        verbose_name = _("主管税务机关")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Store(TimeStamped):
    """A shop in the eyewear city that files (备案) as a 退税商店."""

    code = models.CharField(_("门店编号"), max_length=20, unique=True)
    name = models.CharField(_("门店名称"), max_length=120)
    firm = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="taxfree_stores",
        verbose_name=_("企业"),
    )
    region = models.CharField(_("地区"), max_length=20, choices=Region.choices, default=Region.ZHEJIANG)
    credit_rating = models.CharField(_("纳税信用级别"), max_length=1, choices=CreditRating.choices)
    general_taxpayer = models.BooleanField(_("增值税一般纳税人"), default=True)
    separate_ledger = models.BooleanField(_("单独设置退税物品销售明细账"), default=False)
    uses_refund_system = models.BooleanField(_("同意使用离境退税管理系统"), default=False)
    instant_refund = models.BooleanField(_("提供即买即退"), default=False)
    agency = models.ForeignKey(
        RefundAgency, on_delete=models.PROTECT, related_name="stores", verbose_name=_("退税代理机构")
    )
    tax_office = models.ForeignKey(
        TaxOffice, on_delete=models.PROTECT, related_name="stores", verbose_name=_("主管税务机关")
    )
    status = models.CharField(
        _("备案状态"), max_length=12, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    submitted_on = models.DateField(_("材料齐全日"), null=True, blank=True)
    review_due = models.DateField(_("审核截止日"), null=True, blank=True)
    filed_on = models.DateField(_("备案日"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    sign_number = models.CharField(_("Tax Free 标识编号"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("退税商店")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StoreStaff(TimeStamped):
    """Who works a store's counter (and, as manager, its filing and goods)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="taxfree_staff")
    manager = models.BooleanField(_("门店负责人"), default=False)

    class Meta:
        verbose_name = _("门店员工")
        constraints = [models.UniqueConstraint(fields=["store", "user"], name="taxfree_staff_once")]


class StoreDocument(TimeStamped):
    """One filing document (business licence, credit rating certificate, …)."""

    class Kind(models.TextChoices):
        LICENCE = "licence", _("营业执照")
        TAXPAYER = "taxpayer", _("一般纳税人资格证明")
        CREDIT = "credit", _("纳税信用级别证明")
        AGREEMENT = "agreement", _("与退税代理机构的协议")
        OTHER = "other", _("其他材料")

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类型"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to="taxfree/filings/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("备案材料")


class VatRate(models.TextChoices):
    R13 = "13", "13%"
    R9 = "9", "9%"
    EXEMPT = "exempt", _("免税")


class LineKind(models.TextChoices):
    GOODS = "goods", _("货物")
    SERVICE = "service", _("服务")


class Good(TimeStamped):
    """An item of the store's catalogue, with its VAT rate and the engine's goods category."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="goods")
    name = models.CharField(_("品名"), max_length=120)
    name_en = models.CharField(_("英文品名"), max_length=120, blank=True)
    category = models.CharField(_("商品类别"), max_length=40)
    kind = models.CharField(_("货物/服务"), max_length=8, choices=LineKind.choices, default=LineKind.GOODS)
    vat_rate = models.CharField(_("增值税税率"), max_length=8, choices=VatRate.choices, default=VatRate.R13)
    price = models.DecimalField(_("含税单价"), max_digits=12, decimal_places=2)
    active = models.BooleanField(_("在售"), default=True)

    class Meta:
        verbose_name = _("商品")
        ordering = ["store", "name"]

    def __str__(self) -> str:
        return self.name


class VisitorDay(models.Model):
    """One visitor at one store on one day: the row every issuing counter locks first.

    The threshold is per traveller, store and day, so two counters serving the same visitor must
    see each other's basket: the lock serialises them and the form is one per visitor-store-day.
    """

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="visitor_days")
    passport_key = models.CharField(max_length=64)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "passport_key", "day"], name="taxfree_visitor_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.store_id}/{self.day}"


class FormStatus(models.TextChoices):
    ISSUED = "issued", _("已开单")
    PAID_OUT = "paid_out", _("已预付,待离境")
    VERIFIED = "verified", _("海关已验核")
    RELEASED = "released", _("预授权已解除")
    NOT_VERIFIED = "not_verified", _("海关未验核")
    RECOVERED = "recovered", _("预付金已追回")
    VOIDED = "voided", _("已作废")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao_permit", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan_permit", _("台湾居民来往大陆通行证")
    OTHER = "other", _("其他证件")


class TravellerCategory(models.TextChoices):
    FOREIGNER = "foreigner", _("外国人")
    HONG_KONG_MACAO = "hong_kong_macao", _("港澳同胞")
    TAIWAN = "taiwan", _("台湾同胞")
    OVERSEAS_CHINESE = "overseas_chinese", _("华侨(中国护照)")
    MAINLAND = "mainland_resident", _("内地居民")


class RefundFormQuerySet(models.QuerySet["RefundForm"]):
    def active(self) -> RefundFormQuerySet:
        return self.exclude(status=FormStatus.VOIDED)


class RefundForm(TimeStamped):
    """境外旅客购物离境退税申请单, as issued at the counter."""

    number = models.CharField(_("申请单号"), max_length=30, unique=True)
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="forms", verbose_name=_("门店"))
    visitor_day = models.ForeignKey(VisitorDay, on_delete=models.PROTECT, related_name="forms")
    purchase_date = models.DateField(_("购买日期"))
    traveller_name = models.CharField(_("旅客姓名"), max_length=120)
    traveller_category = models.CharField(_("旅客身份"), max_length=20, choices=TravellerCategory.choices)
    document_type = models.CharField(_("证件类型"), max_length=20, choices=DocumentType.choices)
    nationality = models.CharField(_("国籍"), max_length=3)
    document_masked = models.CharField(_("证件号码"), max_length=40)
    last_entry_date = models.DateField(_("最后入境日期"))
    invoice_number = models.CharField(_("发票号码"), max_length=30)
    goods_amount = models.DecimalField(_("退税物品金额"), max_digits=14, decimal_places=2)
    refund = models.DecimalField(_("应退税额"), max_digits=14, decimal_places=2)
    agency_fee = models.DecimalField(_("代理机构手续费"), max_digits=14, decimal_places=2)
    net_refund = models.DecimalField(_("实退金额"), max_digits=14, decimal_places=2)
    cash_allowed = models.BooleanField(_("可退现金"), default=True)
    instant = models.BooleanField(_("即买即退"), default=False)
    promised_departure_date = models.DateField(_("承诺离境日"), null=True, blank=True)
    promised_port = models.CharField(_("承诺离境口岸"), max_length=10, blank=True)
    consent_signed = models.BooleanField(_("已签协议书"), default=False)
    preauth_reference = models.CharField(_("信用卡预授权号"), max_length=40, blank=True)
    preauth_amount = models.DecimalField(
        _("预授权金额"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    advance = models.DecimalField(_("预付金"), max_digits=14, decimal_places=2, default=Decimal("0"))
    paid_out_at = models.DateTimeField(_("预付时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=14, choices=FormStatus.choices, default=FormStatus.ISSUED)
    verified_on = models.DateField(_("海关验核日"), null=True, blank=True)
    customs_port = models.CharField(_("验核口岸"), max_length=10, blank=True)
    released_at = models.DateTimeField(_("预授权解除时间"), null=True, blank=True)
    recovery_amount = models.DecimalField(
        _("追回金额"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    recovery_due = models.DateField(_("最迟追回日"), null=True, blank=True)
    recovered_at = models.DateTimeField(_("追回时间"), null=True, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    verification_code = models.CharField(max_length=40, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RefundFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("退税申请单")
        ordering = ["-purchase_date", "-pk"]

    def __str__(self) -> str:
        return self.number


class FormLine(models.Model):
    form = models.ForeignKey(RefundForm, on_delete=models.CASCADE, related_name="lines")
    good = models.ForeignKey(Good, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("品名"), max_length=120)
    category = models.CharField(_("商品类别"), max_length=40)
    kind = models.CharField(_("货物/服务"), max_length=8, choices=LineKind.choices)
    vat_rate = models.CharField(_("增值税税率"), max_length=8, choices=VatRate.choices)
    quantity = models.PositiveIntegerField(_("数量"))
    amount = models.DecimalField(_("含税金额"), max_digits=14, decimal_places=2)
    refundable = models.BooleanField(_("可退税"))
    refund = models.DecimalField(_("应退税额"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class Verification(TimeStamped):
    """One row of a customs verification file, matched to its form."""

    form = models.OneToOneField(RefundForm, on_delete=models.PROTECT, related_name="verification")
    verified = models.BooleanField(_("已验核"))
    verified_on = models.DateField(_("验核日"), null=True, blank=True)
    port = models.CharField(_("口岸"), max_length=10, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("海关验核记录")
