"""临海市人才科创基金: the fund and its ledger, calls with dated eligibility rules, applications, due
diligence, expert review and defence, decisions with an appeal window, awards, tranches, progress reports
and recoveries.

Eligibility values (talent tiers, 500精英计划 grades and their support, founder equity, registration in the
town) are rows operators edit, each valid from / to a date; nothing of them is in code.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped
from jingxiang.identifiers import mask_name

ZERO = Decimal("0")


class Dated(models.Model):
    """A value that holds from ``valid_from`` until ``valid_to`` (inclusive; open when blank)."""

    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        abstract = True

    def valid_on(self, day: Any) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class TalentTier(TimeStamped, Archivable, Dated):
    """A tier of the Taizhou high-level talent catalogue (顶尖/领军/高端/高级)."""

    code = models.SlugField(_("代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=50)
    rank = models.PositiveSmallIntegerField(_("层次序号"), help_text=_("1 为最高"))
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["rank", "valid_from"]
        verbose_name = _("人才层次")
        verbose_name_plural = _("人才层次")

    def __str__(self) -> str:
        return self.name


class EliteGrade(TimeStamped, Archivable, Dated):
    """A grade of 市"500精英计划" with the support the fund gives a project of that grade."""

    code = models.SlugField(_("代码"), max_length=10)
    name = models.CharField(_("名称"), max_length=50)
    support = models.DecimalField(
        _("资助金额(元)"), validators=[MinValueValidator(ZERO)], max_digits=14, decimal_places=2
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["code", "valid_from"]
        verbose_name = _("500精英计划等级")
        verbose_name_plural = _("500精英计划等级")

    def __str__(self) -> str:
        return self.name


class Fund(TimeStamped, Archivable):
    """The fund and its ledger: what is committed to awards, paid out, recovered, and still available.

    ``available = capital + recovered − committed − disbursed`` and the database refuses any row where it
    (or any of the parts) is below zero, so two approvals racing cannot overspend it.
    """

    name = models.CharField(_("名称"), max_length=100)
    manager = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("管理机构")
    )
    capital = models.DecimalField(
        _("基金规模(元)"), validators=[MinValueValidator(ZERO)], max_digits=14, decimal_places=2
    )
    committed = models.DecimalField(_("已承诺未拨付(元)"), default=ZERO, max_digits=14, decimal_places=2)
    disbursed = models.DecimalField(_("已拨付(元)"), default=ZERO, max_digits=14, decimal_places=2)
    recovered = models.DecimalField(_("已收回(元)"), default=ZERO, max_digits=14, decimal_places=2)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("基金")
        verbose_name_plural = _("基金")
        constraints = [
            models.CheckConstraint(
                condition=Q(capital__gte=0) & Q(committed__gte=0) & Q(disbursed__gte=0) & Q(recovered__gte=0),
                name="fund_parts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(capital__gte=F("committed") + F("disbursed") - F("recovered")),
                name="fund_available_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(recovered__lte=F("disbursed")), name="fund_recovered_le_disbursed"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def available(self) -> Decimal:
        return self.capital + self.recovered - self.committed - self.disbursed


class EntryKind(models.TextChoices):
    CAPITAL = "capital", _("注资")
    COMMIT = "commit", _("承诺")
    DISBURSE = "disburse", _("拨付")
    RELEASE = "release", _("释放承诺")
    RECOVER = "recover", _("收回")


class LedgerEntry(models.Model):
    """One movement of the fund; the fund's totals are the sum of its entries (tested)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("基金"))
    award = models.ForeignKey(
        "fund.Award", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=EntryKind.choices)
    amount = models.DecimalField(
        _("金额(元)"), validators=[MinValueValidator(ZERO)], max_digits=14, decimal_places=2
    )
    available_after = models.DecimalField(_("变动后可用(元)"), max_digits=14, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("基金台账")
        verbose_name_plural = _("基金台账")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fund_entry_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("申报中")
    CLOSED = "closed", _("已截止")


class CallQuerySet(ArchivableQuerySet):
    def visible_to(self, user: Any) -> CallQuerySet:
        """Operators see every call; anyone acting for an approved organisation sees calls past preparation."""
        from jingxiang.organisations.permissions import is_approved_member, is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        public = self.filter(archived_at__isnull=True).exclude(status=CallStatus.DRAFT)
        if is_approved_member(user):
            return public
        return public.filter(reviewers__user=user, reviewers__archived_at__isnull=True).distinct()


class FundCall(TimeStamped, Archivable):
    """A call for applications (申报通知) of a fund."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="calls", verbose_name=_("基金"))
    number = models.CharField(_("编号"), max_length=30, unique=True, editable=False)
    title = models.CharField(_("名称"), max_length=120)
    description = models.TextField(_("申报说明"), blank=True)
    opens_on = models.DateField(_("申报开始"))
    closes_on = models.DateField(_("申报截止"))
    appeal_days = models.PositiveSmallIntegerField(
        _("申诉期(天)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("每个项目评审专家数"), default=2, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    exit_premium_team_share = models.DecimalField(
        _("退出时团队分享溢价比例(%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    review_days = models.PositiveSmallIntegerField(
        _("每轮评分期(天)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    scale_max = models.DecimalField(
        _("评分满分"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("申报通知")
        verbose_name_plural = _("申报通知")

    def __str__(self) -> str:
        return self.title

    @property
    def tone_key(self) -> str:
        return "active" if self.status == CallStatus.OPEN else str(self.status)


class RuleKind(models.TextChoices):
    TIERS = "tiers", _("人才层次")
    ELITE = "elite", _("500精英计划等级")
    FOUNDER_EQUITY = "founder_equity", _("创始人最低持股比例(%)")
    TOWN = "town", _("注册地")
    REGISTRATION_DAYS = "registration_days", _("截止后完成注册天数")
    MAX_AWARD = "max_award", _("单个项目资助上限(元)")


class CallRule(TimeStamped, Archivable, Dated):
    """One eligibility rule of a call, valid for a period; its value depends on its kind.

    ``tiers``/``elite``: codes separated by commas; ``founder_equity``: a percentage; ``town``: a town
    name; ``registration_days``: days after the call closes; ``max_award``: an amount in yuan.
    """

    call = models.ForeignKey(
        FundCall, on_delete=models.PROTECT, related_name="rules", verbose_name=_("申报通知")
    )
    kind = models.CharField(_("规则"), max_length=20, choices=RuleKind.choices)
    value = models.CharField(_("取值"), max_length=200)

    class Meta:
        ordering = ["kind", "valid_from", "pk"]
        verbose_name = _("申报条件")
        verbose_name_plural = _("申报条件")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def codes(self) -> list[str]:
        return [part.strip() for part in self.value.replace(",", ",").split(",") if part.strip()]


class Stage(models.TextChoices):
    EXPERT = "expert", _("专家评审")
    DEFENCE = "defence", _("路演答辩")


class ReviewCriterion(TimeStamped):
    call = models.ForeignKey(
        FundCall, on_delete=models.PROTECT, related_name="criteria", verbose_name=_("申报通知")
    )
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    name = models.CharField(_("评分项"), max_length=60)
    weight = models.DecimalField(
        _("权重"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        ordering = ["stage", "pk"]
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")

    def __str__(self) -> str:
        return self.name


class FundReviewer(TimeStamped, Archivable):
    """An expert in a call's reviewer pool."""

    call = models.ForeignKey(
        FundCall, on_delete=models.PROTECT, related_name="reviewers", verbose_name=_("申报通知")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="fund_reviews",
        verbose_name=_("专家"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在单位"),
    )
    expertise = models.CharField(_("专长标签"), max_length=200, blank=True)
    max_load = models.PositiveSmallIntegerField(
        _("最多评审项目数"), default=10, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    conflicts = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+", verbose_name=_("申报回避单位")
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="fund_unique_reviewer")]

    def __str__(self) -> str:
        return str(getattr(self.user, "display_name", "") or self.user)

    @property
    def tags(self) -> list[str]:
        return [t.strip() for t in self.expertise.replace(",", ",").split(",") if t.strip()]


class AppStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    DILIGENCE = "diligence", _("尽职调查")
    REVIEW = "review", _("专家评审")
    DEFENCE = "defence", _("路演答辩")
    APPROVED = "approved", _("拟资助")
    REJECTED = "rejected", _("未通过")
    AWARDED = "awarded", _("已签约")
    WITHDRAWN = "withdrawn", _("已撤回")


class ApplicationQuerySet(ArchivableQuerySet):
    def visible_to(self, user: Any) -> ApplicationQuerySet:
        """Operators see all; a firm's managers see their own firm's; a reviewer sees what is assigned to them."""
        from jingxiang.organisations.permissions import is_operator, managed_firm_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        from jingxiang.fund.review import reviewed_application_ids

        return self.filter(
            Q(organisation_id__in=managed_firm_ids(user)) | Q(pk__in=reviewed_application_ids(user))
        )


class FundApplication(TimeStamped, Archivable):
    call = models.ForeignKey(
        FundCall, on_delete=models.PROTECT, related_name="applications", verbose_name=_("申报通知")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("申报单位")
    )
    number = models.CharField(_("编号"), max_length=30, unique=True, editable=False)
    project_title = models.CharField(_("项目名称"), max_length=120)
    summary = models.TextField(_("项目简介"))
    talent_name = models.CharField(_("领衔人才"), max_length=50)
    talent_tier = models.ForeignKey(
        TalentTier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("人才层次"),
    )
    elite_grade = models.ForeignKey(
        EliteGrade,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("500精英计划等级"),
    )
    founder_equity = models.DecimalField(
        _("创始人持股比例(%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    registered_town = models.CharField(_("注册地(镇/街道)"), max_length=50, blank=True)
    registration_date = models.DateField(_("注册日期(已注册或计划)"), null=True, blank=True)
    requested_amount = models.DecimalField(
        _("申请资助(元)"), validators=[MinValueValidator(Decimal("0.01"))], max_digits=14, decimal_places=2
    )
    ip_summary = models.TextField(_("知识产权说明"), blank=True)
    tags = models.CharField(
        _("领域标签"), max_length=200, blank=True, help_text=_("用逗号分隔,用于匹配评审专家")
    )
    revenue_last_year = models.DecimalField(
        _("上年营业收入(元)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    investment_raised = models.DecimalField(
        _("已获融资(元)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    employees = models.PositiveIntegerField(_("员工人数"), null=True, blank=True)
    carried_from = models.CharField(_("数据来源"), max_length=200, blank=True)
    carried_url = models.CharField(_("来源链接"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=AppStatus.choices, default=AppStatus.DRAFT, db_index=True
    )
    precheck_reasons = models.JSONField(_("资格预审未通过原因"), default=list, blank=True)
    prechecked_at = models.DateTimeField(_("预审时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decision_reasons = models.TextField(_("决定理由"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    appeal_until = models.DateTimeField(_("申诉截止"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("基金申请")
        verbose_name_plural = _("基金申请")

    def __str__(self) -> str:
        return f"{self.number} {self.project_title}"

    @property
    def tone_key(self) -> str:
        tones = {
            "approved": "approved",
            "awarded": "completed",
            "rejected": "failed",
            "withdrawn": "archived",
        }
        return tones.get(str(self.status), "pending")

    def get_review_url(self) -> str:
        """Where an expert's score sheet links to (the review block's "查看项目材料")."""
        from django.urls import reverse

        return reverse("fund:application", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.replace(",", ",").split(",") if t.strip()]

    @property
    def masked_talent(self) -> str:
        return mask_name(self.talent_name)


class TeamMember(TimeStamped):
    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="team", verbose_name=_("申请")
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("职务"), max_length=50)
    share = models.DecimalField(
        _("持股比例(%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")

    def __str__(self) -> str:
        return f"{self.name}({self.role})"


class IPKind(models.TextChoices):
    INVENTION = "invention", _("发明专利")
    UTILITY = "utility", _("实用新型")
    DESIGN = "design", _("外观设计")
    SOFTWARE = "software", _("软件著作权")
    TRADEMARK = "trademark", _("商标")


class IPItem(TimeStamped):
    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="ip_items", verbose_name=_("申请")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=IPKind.choices)
    title = models.CharField(_("名称"), max_length=120)
    number = models.CharField(_("号码"), max_length=40, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("知识产权")
        verbose_name_plural = _("知识产权")

    def __str__(self) -> str:
        return self.title


def _attachment_path(instance: Any, filename: str) -> str:
    return f"fund/{instance.application_id}/{filename}"


class Attachment(TimeStamped, Archivable):
    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("申请")
    )
    kind = models.CharField(_("类型"), max_length=20)
    file = models.FileField(_("文件"), upload_to=_attachment_path)
    name = models.CharField(_("文件名"), max_length=120)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class DiligenceItem(TimeStamped):
    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="diligence", verbose_name=_("申请")
    )
    title = models.CharField(_("核查事项"), max_length=100)
    done = models.BooleanField(_("已核查"), default=False)
    finding = models.CharField(_("核查意见"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核查人"),
    )
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("尽调事项")
        verbose_name_plural = _("尽调事项")

    def __str__(self) -> str:
        return self.title


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("申诉成立,重新答辩")
    DISMISSED = "dismissed", _("申诉驳回")


class Appeal(TimeStamped):
    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("申请")
    )
    grounds = models.TextField(_("申诉理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    reply = models.TextField(_("答复"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")


class AwardKind(models.TextChoices):
    GRANT = "grant", _("无偿资助")
    EQUITY = "equity", _("股权投资")


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("执行中")
    COMPLETED = "completed", _("已拨付完毕")
    RECOVERED = "recovered", _("已终止收回")


class AwardQuerySet(ArchivableQuerySet):
    def visible_to(self, user: Any) -> AwardQuerySet:
        from jingxiang.organisations.permissions import is_operator, managed_firm_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(application__organisation_id__in=managed_firm_ids(user))


class Award(TimeStamped, Archivable):
    application = models.OneToOneField(
        FundApplication, on_delete=models.PROTECT, related_name="award", verbose_name=_("申请")
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="awards", verbose_name=_("基金"))
    number = models.CharField(_("编号"), max_length=30, unique=True, editable=False)
    kind = models.CharField(_("方式"), max_length=10, choices=AwardKind.choices)
    amount = models.DecimalField(
        _("资助/投资金额(元)"),
        validators=[MinValueValidator(Decimal("0.01"))],
        max_digits=14,
        decimal_places=2,
    )
    stake = models.DecimalField(
        _("基金持股比例(%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    team_premium_share = models.DecimalField(
        _("退出时团队分享溢价比例(%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    terms = models.TextField(_("其他条款"), blank=True)
    disbursed = models.DecimalField(_("已拨付(元)"), default=ZERO, max_digits=14, decimal_places=2)
    recovered = models.DecimalField(_("已收回(元)"), default=ZERO, max_digits=14, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )
    verify_code = models.CharField(_("核验码"), max_length=24, unique=True, editable=False)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("资助协议")
        verbose_name_plural = _("资助协议")
        constraints = [
            models.CheckConstraint(
                condition=Q(disbursed__gte=0) & Q(disbursed__lte=F("amount")),
                name="fund_award_disbursed_le_amount",
            ),
            models.CheckConstraint(
                condition=Q(recovered__gte=0) & Q(recovered__lte=F("disbursed")),
                name="fund_award_recovered_le_paid",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def undisbursed(self) -> Decimal:
        return self.amount - self.disbursed


class TrancheStatus(models.TextChoices):
    PLANNED = "planned", _("待提交佐证")
    EVIDENCE = "evidence", _("佐证待审核")
    RELEASED = "released", _("已拨付")
    FAILED = "failed", _("未达成")


class Tranche(TimeStamped):
    award = models.ForeignKey(
        Award, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("协议")
    )
    seq = models.PositiveSmallIntegerField(_("期次"))
    milestone = models.CharField(_("里程碑"), max_length=200)
    amount = models.DecimalField(
        _("金额(元)"), validators=[MinValueValidator(Decimal("0.01"))], max_digits=14, decimal_places=2
    )
    due_on = models.DateField(_("应达成日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=TrancheStatus.choices, default=TrancheStatus.PLANNED
    )
    evidence = models.ForeignKey(
        Attachment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("佐证材料"),
    )
    evidence_note = models.TextField(_("佐证说明"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(_("拨付时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("拨付期次")
        verbose_name_plural = _("拨付期次")
        constraints = [models.UniqueConstraint(fields=["award", "seq"], name="fund_unique_tranche_seq")]

    def __str__(self) -> str:
        return f"{self.award} #{self.seq}"


class ProgressReport(TimeStamped):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="reports", verbose_name=_("协议"))
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    progress = models.TextField(_("年度进展"))
    revenue = models.DecimalField(
        _("年度营业收入(元)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    employees = models.PositiveIntegerField(_("年末员工人数"), null=True, blank=True)
    still_in_town = models.BooleanField(_("仍在本镇注册经营"), default=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度进展报告")
        verbose_name_plural = _("年度进展报告")
        constraints = [models.UniqueConstraint(fields=["award", "year"], name="fund_unique_report_year")]


class RecoveryCause(models.TextChoices):
    MILESTONE = "milestone", _("里程碑未达成")
    LEFT = "left", _("企业迁离本镇")
    OTHER = "other", _("其他违约")


class Recovery(TimeStamped):
    award = models.ForeignKey(
        Award, on_delete=models.PROTECT, related_name="recoveries", verbose_name=_("协议")
    )
    cause = models.CharField(_("原因"), max_length=10, choices=RecoveryCause.choices)
    amount = models.DecimalField(
        _("收回金额(元)"), validators=[MinValueValidator(ZERO)], max_digits=14, decimal_places=2
    )
    released = models.DecimalField(_("释放未拨付承诺(元)"), default=ZERO, max_digits=14, decimal_places=2)
    note = models.TextField(_("说明"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("收回")
        verbose_name_plural = _("收回")
