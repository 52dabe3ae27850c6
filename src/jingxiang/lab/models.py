"""The testing-lab service (LIMS): requests, samples, custody, results, reports, the regional brand.

Conformance itself is decided by the pure engine ``jingxiang.quality``; this app stores what was
asked, what was measured, who did what, and the issued (versioned, verifiable) reports.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped
from jingxiang.quality import instrument_type_labels
from jingxiang.quality import product_types as engine_product_types


def _product_type_label(label_zh: str, label_en: str) -> str:
    """The engine's label of a product type in the active language (Chinese unless English is active)."""
    return label_en if (get_language() or "").startswith("en") else label_zh


_localised_product_type = lazy(_product_type_label, str)
PRODUCT_TYPE_CHOICES = [
    (entry["id"], _localised_product_type(entry["label_zh"], entry["label_en"]))
    for entry in engine_product_types()
]
PRODUCT_TYPE_LABELS = dict(PRODUCT_TYPE_CHOICES)
HIGH_ALTITUDE = "high_altitude_goggles"

_localised_pair = lazy(_product_type_label, str)
INSTRUMENT_KIND_CHOICES = [
    (kind, _localised_pair(label_zh, label_en))
    for kind, (label_zh, label_en) in instrument_type_labels().items()
]
INSTRUMENT_KIND_LABELS = dict(INSTRUMENT_KIND_CHOICES)


def _firm_and_lab_filter(user: Any, firm_path: str, lab_path: str) -> models.Q | None:
    """Q for rows a user may read: own firm's, or addressed to the user's lab. None = everything."""
    from jingxiang.organisations.models import Role
    from jingxiang.organisations.permissions import approved_organisation_ids, firm_ids, is_operator

    if is_operator(user):
        return None
    return models.Q(**{f"{firm_path}__in": firm_ids(user)}) | models.Q(
        **{f"{lab_path}__in": approved_organisation_ids(user, Role.LAB_STAFF)}
    )


class LabProfile(TimeStamped):
    """What a testing lab prints on labels and reports."""

    lab = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="lab_profile",
        verbose_name=_("实验室"),
    )
    code_prefix = models.CharField(_("编号前缀"), max_length=8)
    accreditation = models.CharField(_("资质(CMA/CNAS)编号"), max_length=60, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("实验室资料")
        verbose_name_plural = _("实验室资料")

    def __str__(self) -> str:
        return f"{self.lab} ({self.code_prefix})"


class InstrumentQuerySet(ArchivableQuerySet):
    def visible_to(self, user: Any) -> InstrumentQuerySet:
        from jingxiang.organisations.models import Role
        from jingxiang.organisations.permissions import approved_organisation_ids, is_operator

        if is_operator(user):
            return self
        return self.filter(lab_id__in=approved_organisation_ids(user, Role.LAB_STAFF))

    def usable_on(self, day: datetime.date) -> InstrumentQuerySet:
        return self.filter(archived_at__isnull=True, calibration_due__gte=day)


class Instrument(TimeStamped, Archivable):
    lab = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="instruments",
        verbose_name=_("实验室"),
    )
    name = models.CharField(_("仪器名称"), max_length=100)
    model_number = models.CharField(_("型号"), max_length=60, blank=True)
    serial = models.CharField(_("出厂编号"), max_length=60)
    # One of the engine's instrument types (quality/instruments.yaml); blank = not yet classified,
    # which fits no test item.
    kind = models.CharField(_("仪器类型"), max_length=40, blank=True, choices=INSTRUMENT_KIND_CHOICES)
    calibration_due = models.DateField(_("校准有效期至"))

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["name", "serial"]
        verbose_name = _("仪器")
        verbose_name_plural = _("仪器")
        constraints = [models.UniqueConstraint(fields=["lab", "serial"], name="lab_instrument_serial_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.serial})"

    def calibrated_on(self, day: datetime.date) -> bool:
        """Usable up to and including the due date."""
        return self.calibration_due >= day and self.archived_at is None


class RulesFile(TimeStamped, Archivable):
    """A standard edition uploaded by an operator: passed to the engine's registry as extra data."""

    designation = models.CharField(_("标准编号"), max_length=60, unique=True)
    series = models.CharField(_("标准系列"), max_length=60)
    title = models.CharField(_("标准名称"), max_length=200, blank=True)
    filename = models.CharField(_("文件名"), max_length=120)
    text = models.TextField(_("规则文件内容"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["designation"]
        verbose_name = _("标准规则文件")
        verbose_name_plural = _("标准规则文件")

    def __str__(self) -> str:
        return self.designation


class RuleConfirmation(TimeStamped, Archivable):
    """An operator checked a U (unverified) rule against the purchased standard text.

    Confirmed rules decide verdicts like V/S rules (the engine's ``confirmed_rules``) for every
    later judgement against that edition; withdrawing a confirmation archives the row.
    """

    designation = models.CharField(_("标准版本"), max_length=60)
    rule_id = models.CharField(_("规则"), max_length=40)
    note = models.CharField(_("核对依据"), max_length=300)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("确认人")
    )

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["designation", "rule_id"]
        verbose_name = _("参考性规则确认")
        verbose_name_plural = _("参考性规则确认")
        constraints = [
            models.UniqueConstraint(
                fields=["designation", "rule_id"],
                condition=models.Q(archived_at__isnull=True),
                name="lab_rule_confirmation_active_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.designation} {self.rule_id}"


class ProductLineQuerySet(ArchivableQuerySet):
    def visible_to(self, user: Any) -> ProductLineQuerySet:
        from jingxiang.organisations.models import Role
        from jingxiang.organisations.permissions import approved_organisation_ids, firm_ids, is_operator

        if is_operator(user):
            return self
        labs = approved_organisation_ids(user, Role.LAB_STAFF)
        return self.filter(
            models.Q(firm_id__in=firm_ids(user)) | models.Q(test_requests__lab_id__in=labs)
        ).distinct()


class ProductLine(TimeStamped, Archivable):
    """A firm's product line: what brand authorisations, reports and field tests are about."""

    firm = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="product_lines"
    )
    name = models.CharField(_("产品线"), max_length=100)
    product_type = models.CharField(_("产品类型"), max_length=40, choices=PRODUCT_TYPE_CHOICES)
    description = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ProductLineQuerySet.as_manager()

    class Meta:
        ordering = ["firm__name", "name"]
        verbose_name = _("产品线")
        verbose_name_plural = _("产品线")
        constraints = [models.UniqueConstraint(fields=["firm", "name"], name="lab_product_line_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_high_altitude(self) -> bool:
        return self.product_type == HIGH_ALTITUDE


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待收样")
    IN_PROGRESS = "in_progress", _("检测中")
    COMPLETED = "completed", _("已出报告")
    CANCELLED = "cancelled", _("已撤回")


class TestRequestQuerySet(ArchivableQuerySet):
    def visible_to(self, user: Any) -> TestRequestQuerySet:
        condition = _firm_and_lab_filter(user, "firm_id", "lab_id")
        return self if condition is None else self.filter(condition)


class TestRequest(TimeStamped, Archivable):
    """A firm's request to a lab: which product, against which standard, which items, how many."""

    __test__ = False  # not a pytest test class despite the name

    number = models.CharField(_("委托编号"), max_length=30, unique=True)
    firm = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="test_requests",
        verbose_name=_("委托企业"),
    )
    lab = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="lab_requests",
        verbose_name=_("检测机构"),
    )
    product_line = models.ForeignKey(
        ProductLine, on_delete=models.PROTECT, related_name="test_requests", verbose_name=_("产品线")
    )
    product_type = models.CharField(_("产品类型"), max_length=40, choices=PRODUCT_TYPE_CHOICES, db_index=True)
    product_name = models.CharField(_("产品名称/型号"), max_length=100)
    # A designation ("GB 39552.1-2020") or a series ("GB 39552.1") = the edition in force on the test date.
    standard = models.CharField(_("检测依据"), max_length=60)
    item_ids = models.JSONField(_("检测项目"), default=list, blank=True)
    quantity = models.PositiveSmallIntegerField(_("样品数量"))
    # 委托方指定标准: the client named an edition in the contract that is not the one in force.
    client_named = models.BooleanField(_("委托方指定标准"), default=False)
    contract_reference = models.CharField(_("合同/委托书编号"), max_length=100, blank=True)
    # Editions in force without rules, as found when the request was made (engine's EditionGap dicts).
    edition_notice = models.JSONField(_("标准版本提示"), default=list, blank=True)
    # Waiting for the rules file of this edition (the operator's upload) before testing.
    awaiting_edition = models.CharField(_("等待上传的标准版本"), max_length=60, blank=True)
    nominal_note = models.CharField(_("标称值说明"), max_length=300, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )

    objects = TestRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("检测委托")
        verbose_name_plural = _("检测委托")

    def __str__(self) -> str:
        return self.number

    @property
    def product_type_label(self) -> str:
        return str(PRODUCT_TYPE_LABELS.get(self.product_type, self.product_type))


class SampleStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    IN_TEST = "in_test", _("检测中")
    AWAITING_REVIEW = "awaiting_review", _("待审核")
    APPROVED = "approved", _("已出报告")
    CORRECTION = "correction", _("更正中")


#: The states in which a sample's results may be entered or changed.
ENTRY_STATUSES = frozenset({SampleStatus.REGISTERED, SampleStatus.IN_TEST, SampleStatus.CORRECTION})


class CustodyKind(models.TextChoices):
    RECEIVED = "received", _("已接收")
    STORED = "stored", _("入库保存")
    IN_TEST = "in_test", _("检测中")
    RETURNED = "returned", _("已退还")
    DISPOSED = "disposed", _("已处置")


class SampleQuerySet(ArchivableQuerySet):
    def visible_to(self, user: Any) -> SampleQuerySet:
        condition = _firm_and_lab_filter(user, "request__firm_id", "request__lab_id")
        return self if condition is None else self.filter(condition)


class Sample(TimeStamped, Archivable):
    request = models.ForeignKey(
        TestRequest, on_delete=models.PROTECT, related_name="samples", verbose_name=_("委托")
    )
    code = models.CharField(_("样品编号"), max_length=30, unique=True)
    # A sub-sample split off for a destructive test: its own code and chain of custody.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("母样"),
    )
    description = models.CharField(_("样品描述"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=SampleStatus.choices, default=SampleStatus.REGISTERED, db_index=True
    )
    custody_state = models.CharField(
        _("流转状态"), max_length=20, choices=CustodyKind.choices, default=CustodyKind.RECEIVED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("检测人员"),
    )
    # Results as entered (the engine's case mapping parts) and the verdict the engine returned.
    test_date = models.DateField(_("检测日期"), null=True, blank=True)
    nominal = models.JSONField(_("标称值"), default=dict, blank=True)
    measured = models.JSONField(_("实测值"), default=dict, blank=True)
    units = models.JSONField(_("单位"), default=dict, blank=True)
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("仪器")
    )
    # Further instruments of the same measurement (a focimeter and a spectrophotometer, say).
    instruments = models.ManyToManyField(Instrument, related_name="+", blank=True, verbose_name=_("其他仪器"))
    designation = models.CharField(_("标准版本"), max_length=60, blank=True)
    verdict = models.JSONField(default=dict, blank=True)
    overall = models.CharField(_("结论"), max_length=20, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    entered_at = models.DateTimeField(_("录入时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    correction_reason = models.CharField(_("更正原因"), max_length=300, blank=True)

    objects = SampleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("样品")
        verbose_name_plural = _("样品")

    def __str__(self) -> str:
        return self.code


class Measurement(models.Model):
    """One submitted measurement of a sample. A retest adds a row with its reason; none is overwritten."""

    sample = models.ForeignKey(
        Sample, on_delete=models.PROTECT, related_name="measurements", verbose_name=_("样品")
    )
    sequence = models.PositiveSmallIntegerField(_("次序"))
    test_date = models.DateField(_("检测日期"))
    nominal = models.JSONField(_("标称值"), default=dict)
    measured = models.JSONField(_("实测值"), default=dict)
    units = models.JSONField(_("单位"), default=dict)
    instruments = models.CharField(_("仪器"), max_length=300, blank=True)
    overall = models.CharField(_("自动判定"), max_length=20)
    retest_reason = models.CharField(_("复测原因"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        ordering = ["sample", "sequence"]
        verbose_name = _("测量记录")
        verbose_name_plural = _("测量记录")
        constraints = [
            models.UniqueConstraint(fields=["sample", "sequence"], name="lab_measurement_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sample_id} #{self.sequence}"

    @property
    def is_retest(self) -> bool:
        return self.sequence > 1


class CustodyEvent(models.Model):
    """Chain of custody: append-only, written only by ``custody_record`` and sample registration."""

    sample = models.ForeignKey(
        Sample, on_delete=models.PROTECT, related_name="custody_events", verbose_name=_("样品")
    )
    kind = models.CharField(_("环节"), max_length=20, choices=CustodyKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("样品流转记录")
        verbose_name_plural = _("样品流转记录")

    def __str__(self) -> str:
        return f"{self.sample_id} {self.kind}"


class ReportStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUPERSEDED = "superseded", _("已被新版本取代")


class Overall(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    INCOMPLETE = "incomplete", _("未完成判定")
    # A row fails on an indicative limit and the reviewer has not decided it yet (never on a report).
    UNDECIDED = "undecided", _("待审核人判定")


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: Any) -> ReportQuerySet:
        condition = _firm_and_lab_filter(user, "firm_id", "lab_id")
        return self if condition is None else self.filter(condition)

    def current(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.VALID)


class Report(TimeStamped):
    """An issued test report version. Corrections add a version; old versions stay verifiable."""

    sample = models.ForeignKey(
        Sample, on_delete=models.PROTECT, related_name="reports", verbose_name=_("样品")
    )
    number = models.CharField(_("报告编号"), max_length=30, db_index=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    verify_code = models.CharField(_("核验码"), max_length=32, unique=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.VALID, db_index=True
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("取代它的版本"),
    )
    # Denormalised for the quality picture (aggregate queries without joins through the workflow).
    firm = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("委托企业")
    )
    lab = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("检测机构")
    )
    product_line = models.ForeignKey(
        ProductLine, on_delete=models.PROTECT, related_name="reports", verbose_name=_("产品线")
    )
    product_type = models.CharField(_("产品类型"), max_length=40, choices=PRODUCT_TYPE_CHOICES, db_index=True)
    product_name = models.CharField(_("产品名称/型号"), max_length=100)
    designation = models.CharField(_("标准版本"), max_length=60)
    test_date = models.DateField(_("检测日期"))
    overall = models.CharField(_("结论"), max_length=20, choices=Overall.choices, db_index=True)
    verdict = models.JSONField(default=dict)
    instrument_label = models.CharField(_("仪器"), max_length=200, blank=True)
    confirmed_rules = models.JSONField(_("确认计入的参考性规则"), default=list, blank=True)
    # Items the reviewer left out of the conclusion: rule id -> written reason (printed on the report).
    excluded_rules = models.JSONField(_("排除的参考性项目"), default=dict, blank=True)
    # 委托方指定标准: printed with a note that it is not the edition in force.
    client_named_note = models.CharField(_("委托方指定标准说明"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("检测人")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("批准人")
    )
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now, db_index=True)
    correction_reason = models.CharField(_("更正原因"), max_length=300, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("检测报告")
        verbose_name_plural = _("检测报告")
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="lab_report_version_unique")
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return self.number if self.version == 1 else f"{self.number}-V{self.version}"

    @property
    def product_type_label(self) -> str:
        return str(PRODUCT_TYPE_LABELS.get(self.product_type, self.product_type))


class ReportItem(models.Model):
    """One judged item of a report, kept as rows so the quality picture can aggregate failures."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="result_items", verbose_name=_("报告")
    )
    result_id = models.CharField(max_length=80)
    rule_id = models.CharField(_("规则"), max_length=40, db_index=True)
    label = models.CharField(_("项目"), max_length=200)
    side = models.CharField(max_length=10, blank=True)
    status = models.CharField(_("结果"), max_length=20, db_index=True)
    measured = models.CharField(max_length=40, blank=True)
    nominal = models.CharField(max_length=40, blank=True)
    deviation = models.CharField(max_length=40, blank=True)
    tolerance = models.CharField(max_length=60, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    clause = models.CharField(max_length=100, blank=True)
    certainty = models.CharField(max_length=1, blank=True)
    mandatory = models.BooleanField(default=False)
    indicative = models.BooleanField(default=False)
    # For rows judged on an indicative limit: "confirmed", "excluded" or "" (a passing row).
    decision = models.CharField(_("审核决定"), max_length=20, blank=True)
    decision_reason = models.CharField(_("排除理由"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.result_id


class BrandStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    ACTIVE = "active", _("有效")
    REJECTED = "rejected", _("未通过")
    SUSPENDED = "suspended", _("已暂停")


class BrandQuerySet(ArchivableQuerySet):
    def visible_to(self, user: Any) -> BrandQuerySet:
        from jingxiang.organisations.permissions import firm_ids, is_operator

        if is_operator(user):
            return self
        return self.filter(firm_id__in=firm_ids(user))


class BrandAuthorisation(TimeStamped, Archivable):
    """Use of the regional public brand 杜桥眼镜 on one product line."""

    number = models.CharField(_("授权编号"), max_length=30, unique=True, null=True, blank=True)
    verify_code = models.CharField(_("核验码"), max_length=32, unique=True, null=True, blank=True)
    firm = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    product_line = models.ForeignKey(
        ProductLine, on_delete=models.PROTECT, related_name="brand_authorisations", verbose_name=_("产品线")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=BrandStatus.choices, default=BrandStatus.PENDING, db_index=True
    )
    note = models.CharField(_("申请说明"), max_length=300, blank=True)
    evidence = models.ManyToManyField(Report, related_name="+", blank=True, verbose_name=_("合格报告"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    reviewed_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    review_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    suspended_by_report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导致暂停的报告"),
    )
    suspension_reason = models.CharField(_("暂停原因"), max_length=300, blank=True)

    objects = BrandQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("区域品牌授权")
        verbose_name_plural = _("区域品牌授权")

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def latest_report(self) -> Report | None:
        """The newest current report behind the authorisation (prefetched by the directory)."""
        reports = getattr(self, "current_evidence", None)
        if reports is None:
            reports = list(self.evidence.filter(status=ReportStatus.VALID).order_by("-issued_at")[:1])
        return reports[0] if reports else None

    @property
    def public_status(self) -> str:
        if self.status == BrandStatus.ACTIVE and self.valid_until and self.valid_until < timezone.localdate():
            return "expired"
        return self.status


class FieldTestQuerySet(ArchivableQuerySet):
    def visible_to(self, user: Any) -> FieldTestQuerySet:
        return self.filter(product_line__in=ProductLine.objects.visible_to(user))


class FieldTest(TimeStamped, Archivable):
    """A plateau field test of a high-altitude product line (e.g. at the Lhasa base)."""

    product_line = models.ForeignKey(
        ProductLine, on_delete=models.PROTECT, related_name="field_tests", verbose_name=_("产品线")
    )
    site = models.CharField(_("测试地点"), max_length=100)
    altitude_m = models.PositiveIntegerField(_("海拔(米)"))
    test_date = models.DateField(_("测试日期"))
    conditions = models.CharField(_("环境条件"), max_length=300)
    uv_index = models.DecimalField(_("紫外线指数"), max_digits=4, decimal_places=1, null=True, blank=True)
    wearers = models.PositiveSmallIntegerField(_("佩戴人数"))
    rating = models.PositiveSmallIntegerField(_("综合评分(1–5)"))
    feedback = models.TextField(_("佩戴反馈"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    # Corrections keep the earlier values in the change log (auditlog) and state why.
    correction_reason = models.CharField(_("更正原因"), max_length=300, blank=True)
    corrected_at = models.DateTimeField(_("更正时间"), null=True, blank=True)

    objects = FieldTestQuerySet.as_manager()

    class Meta:
        ordering = ["-test_date", "-pk"]
        verbose_name = _("高原实地测试")
        verbose_name_plural = _("高原实地测试")

    def __str__(self) -> str:
        return f"{self.product_line} @ {self.site} {self.test_date}"
