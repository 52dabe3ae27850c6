"""Firms' needs (需求), the invitations and proposals that answer them, 揭榜挂帅 challenges, and the
operators' copy of the matching engine's knowledge tables."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import Archivable, ArchivableQuerySet, ChangeSignallingQuerySet, TimeStamped
from jingxiang.core.numbering import next_number


class Category(models.TextChoices):
    RESEARCH = "research", _("技术研发")
    TRAINING = "training", _("技能培训")
    TESTING = "testing", _("质量检测")
    BRAND = "brand", _("品牌升级")
    MARKET = "market", _("市场拓展")
    RECRUITMENT = "recruitment", _("人才招聘")
    DIGITAL = "digital", _("数字化")


# The engine's category names are the Chinese words of the issue, independent of the UI language.
ENGINE_CATEGORY = {
    Category.RESEARCH: "技术研发",
    Category.TRAINING: "技能培训",
    Category.TESTING: "质量检测",
    Category.BRAND: "品牌升级",
    Category.MARKET: "市场拓展",
    Category.RECRUITMENT: "人才招聘",
    Category.DIGITAL: "数字化",
}


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公开")
    ALLIANCE = "alliance", _("仅创新联盟成员")
    OPERATORS = "operators", _("仅平台运营")


class DemandStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SCREENING = "screening", _("待审核")
    PUBLISHED = "published", _("已发布")
    IN_TALKS = "in_talks", _("洽谈中")
    MATCHED = "matched", _("已对接")
    CLOSED = "closed", _("已关闭")
    MERGED = "merged", _("已合并")


OPEN_STATUSES = (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS)
"""Demands suppliers can still answer."""
SHOWN_STATUSES = (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS, DemandStatus.MATCHED, DemandStatus.CLOSED)
"""Statuses other organisations may see (never draft, screening or merged)."""

STATUS_TONE = {
    DemandStatus.DRAFT: "grey",
    DemandStatus.SCREENING: "waiting",
    DemandStatus.PUBLISHED: "ok",
    DemandStatus.IN_TALKS: "waiting",
    DemandStatus.MATCHED: "ok",
    DemandStatus.CLOSED: "grey",
    DemandStatus.MERGED: "grey",
}


def _user_alliance_ids(user: Any) -> set[int]:
    """Approved organisations of the user (and the home organisation of their talent profile) that are
    members of the innovation alliance. Cached per request object like the role lookups."""
    cached = getattr(user, "_jingxiang_alliance_ids", None)
    if cached is None:
        from jingxiang.organisations.models import Organisation
        from jingxiang.organisations.permissions import approved_organisation_ids

        ids = set(approved_organisation_ids(user))
        home = (
            Organisation.objects.filter(talents__user=user, talents__archived_at__isnull=True)
            .values_list("pk", flat=True)
            .first()
        )
        if home:
            ids.add(home)
        cached = (
            set(
                Organisation.objects.filter(
                    pk__in=ids, is_alliance_member=True, archived_at__isnull=True
                ).values_list("pk", flat=True)
            )
            if ids
            else set()
        )
        user._jingxiang_alliance_ids = cached  # type: ignore[attr-defined]
    return cached


class DemandQuerySet(ArchivableQuerySet):
    def open(self) -> DemandQuerySet:
        return self.filter(status__in=OPEN_STATUSES, archived_at__isnull=True)

    def visible_to(self, user: Any) -> DemandQuerySet:
        """Own firm: every demand. Operators: everything. Others: shown statuses only, and only the
        visibility they qualify for (public; alliance-only for alliance members); invited or proposing
        suppliers also see the demand they were brought into."""
        from jingxiang.organisations.models import _has_talent_profile
        from jingxiang.organisations.permissions import is_approved_member, is_operator, organisation_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        own_orgs = organisation_ids(user)
        own = models.Q(organisation_id__in=own_orgs)
        if not (is_approved_member(user) or _has_talent_profile(user)):
            return self.filter(own)
        audience = models.Q(visibility=Visibility.PUBLIC)
        if _user_alliance_ids(user):
            audience |= models.Q(visibility=Visibility.ALLIANCE)
        involved = models.Q(
            pk__in=Invitation.objects.filter(
                models.Q(talent__user=user) | models.Q(organisation_id__in=own_orgs)
            ).values("demand_id")
        ) | models.Q(
            pk__in=Proposal.objects.filter(
                models.Q(talent__user=user) | models.Q(organisation_id__in=own_orgs)
            ).values("demand_id")
        )
        shown = models.Q(status__in=SHOWN_STATUSES, archived_at__isnull=True)
        return self.filter(own | (shown & (audience | involved)))


class Demand(TimeStamped, Archivable):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="demands", verbose_name=_("企业")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人")
    )
    number = models.CharField(_("需求编号"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("标题"), max_length=80)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, db_index=True)
    description = models.TextField(_("需求描述"))
    budget = models.DecimalField(
        _("预算(元)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    deadline = models.DateField(_("期望完成日期"), null=True, blank=True)
    hours_needed = models.PositiveIntegerField(_("预计工时(小时)"), default=0)
    region = models.CharField(_("区域"), max_length=50, blank=True)
    visibility = models.CharField(
        _("可见范围"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=DemandStatus.choices, default=DemandStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("疑似重复"),
    )
    duplicate_score = models.FloatField(_("相似度"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("合并到"),
    )
    matched_proposal = models.ForeignKey(
        "Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("达成方案"),
    )
    matched_at = models.DateTimeField(_("对接时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    solved = models.BooleanField(_("问题已解决"), null=True, blank=True)
    outcome_notes = models.TextField(_("结果说明"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("评价"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    ranking = models.JSONField(_("最近匹配结果"), default=list, blank=True)
    ranked_at = models.DateTimeField(_("最近匹配时间"), null=True, blank=True)

    objects = DemandQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("需求")
        verbose_name_plural = _("需求")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.number:
            # The shared yearly sequence (core.numbering): XQ2026 00001, never reused.
            year = timezone.localtime(self.created_at).year
            self.number = f"XQ{year}{next_number('demand', year):05d}"
        super().save(*args, **kwargs)

    @property
    def tone(self) -> str:
        return STATUS_TONE.get(self.status, "grey")

    @property
    def engine_id(self) -> str:
        return f"D-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and self.archived_at is None

    @property
    def age_days(self) -> int:
        start = self.submitted_at or self.created_at
        return max(0, (timezone.now() - start).days)


class DemandAttachment(TimeStamped):
    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="demands/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("需求附件")
        verbose_name_plural = _("需求附件")

    def __str__(self) -> str:
        return self.name


ONE_SUPPLIER = models.Q(talent__isnull=False, organisation__isnull=True) | models.Q(
    talent__isnull=True, organisation__isnull=False
)


class SupplierRef(models.Model):
    """A talent or a (non-firm) organisation answering a demand or a challenge."""

    talent = models.ForeignKey(
        "talents.Talent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("人才"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("机构"),
    )

    class Meta:
        abstract = True

    @property
    def supplier(self) -> Any:
        return self.talent if self.talent_id else self.organisation

    @property
    def supplier_name(self) -> str:
        return str(self.supplier)

    @property
    def supplier_key(self) -> str:
        return f"T-{self.talent_id}" if self.talent_id else f"O-{self.organisation_id}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("待回复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")


class Invitation(TimeStamped, SupplierRef):
    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.CharField(_("邀请留言"), max_length=300, blank=True)
    score = models.FloatField(_("匹配度"), null=True, blank=True)
    why = models.JSONField(_("推荐理由"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    decline_reason = models.CharField(_("婉拒原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("对接邀请")
        verbose_name_plural = _("对接邀请")
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "talent"],
                condition=models.Q(talent__isnull=False),
                name="unique_invite_talent",
            ),
            models.UniqueConstraint(
                fields=["demand", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="unique_invite_organisation",
            ),
            models.CheckConstraint(
                condition=ONE_SUPPLIER,
                name="invitation_one_supplier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand.number} → {self.supplier_name}"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待企业决定")
    ACCEPTED = "accepted", _("已采纳")
    DECLINED = "declined", _("未采纳")


class Proposal(TimeStamped, SupplierRef):
    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="proposals")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("方案简述"))
    price = models.DecimalField(
        _("报价(元)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    hours = models.PositiveIntegerField(_("预计工时(小时)"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_reason = models.CharField(_("决定说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("对接方案")
        verbose_name_plural = _("对接方案")
        constraints = [
            models.CheckConstraint(
                condition=ONE_SUPPLIER,
                name="proposal_one_supplier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand.number} ← {self.supplier_name}"


class FeedbackKind(models.TextChoices):
    ACCEPTED = "accepted", _("接受邀请")
    DECLINED = "declined", _("婉拒邀请")
    RATED = "rated", _("合作评价")


class MatchFeedback(models.Model):
    """What happened after a suggestion, in the engine's terms; the warm index learns from these rows."""

    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="feedback")
    supplier_key = models.CharField(_("供给方"), max_length=20, db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=FeedbackKind.choices)
    rating = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    objects = ChangeSignallingQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("匹配反馈")
        verbose_name_plural = _("匹配反馈")

    def __str__(self) -> str:
        return f"{self.demand_id}/{self.supplier_key}: {self.kind}"


class KnowledgeDocument(models.TextChoices):
    LEXICON = "lexicon", _("行业词库")
    SYNONYMS = "synonyms", _("同义词与缩写")
    SYMPTOMS = "symptoms", _("症状→领域对照表")
    DOMAINS = "domains", _("领域与歧义词")
    TRADITIONAL = "traditional", _("繁简对照")


class KnowledgeVersionStatus(models.TextChoices):
    PENDING = "pending", _("待生效(重建索引中)")
    ACTIVE = "active", _("生效中")
    SUPERSEDED = "superseded", _("已被替换")
    FAILED = "failed", _("重建失败")


class KnowledgeVersion(TimeStamped):
    """One saved version of one of the engine's knowledge tables, edited by operators in the UI.

    Versions are never edited in place: a change is a new version, activated when the index rebuild
    with it succeeds, so the previous version stays available to compare and to restore.
    """

    document = models.CharField(_("文档"), max_length=20, choices=KnowledgeDocument.choices, db_index=True)
    version = models.PositiveIntegerField(_("版本"))
    content = models.TextField(_("内容(YAML)"))
    note = models.CharField(_("修改说明"), max_length=200)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=KnowledgeVersionStatus.choices,
        default=KnowledgeVersionStatus.PENDING,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    activated_at = models.DateTimeField(_("生效时间"), null=True, blank=True)

    objects = ChangeSignallingQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-version"]
        verbose_name = _("匹配知识表版本")
        verbose_name_plural = _("匹配知识表版本")
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="unique_knowledge_version")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.version}"

    @property
    def tone(self) -> str:
        return {"active": "ok", "pending": "waiting", "failed": "bad"}.get(self.status, "grey")


# -- 揭榜挂帅 challenges -----------------------------------------------------------------------------


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("揭榜中")
    REVIEWING = "reviewing", _("评审中")
    AWARDED = "awarded", _("已选定揭榜方")
    CLOSED = "closed", _("已结项")


CHALLENGE_TONE = {"open": "ok", "reviewing": "waiting", "awarded": "waiting", "closed": "grey"}


class ChallengeQuerySet(ArchivableQuerySet):
    def public(self) -> ChallengeQuerySet:
        """What anyone may see without logging in: published challenges of public demands."""
        return self.filter(archived_at__isnull=True, demand__visibility=Visibility.PUBLIC)

    def visible_to(self, user: Any) -> ChallengeQuerySet:
        """Anyone (signed in or not) sees the public challenges; signed-in users also those of demands
        they may see and those they review; operators everything."""
        from jingxiang.organisations.permissions import is_operator

        if not getattr(user, "is_authenticated", False):
            return self.public()
        if is_operator(user):
            return self
        return self.filter(
            models.Q(pk__in=self.public().values("pk"))
            | models.Q(demand__in=Demand.objects.visible_to(user))
            | models.Q(reviewers__user=user)
        ).distinct()


class Challenge(TimeStamped, Archivable):
    demand = models.OneToOneField(Demand, on_delete=models.PROTECT, related_name="challenge")
    title = models.CharField(_("榜单名称"), max_length=80)
    award_amount = models.DecimalField(
        _("榜额(元)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    deadline = models.DateField(_("揭榜截止日期"))
    ip_terms = models.TextField(_("知识产权约定"))
    deliverables = models.TextField(_("交付成果要求"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    winner = models.ForeignKey(
        "ChallengeApplication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    winner_reason = models.CharField(_("选定说明"), max_length=300, blank=True)
    selected_at = models.DateTimeField(_("选定时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结项时间"), null=True, blank=True)
    outcome_notes = models.TextField(_("结项说明"), blank=True)
    verify_code = models.CharField(_("验证码"), max_length=24, blank=True, db_index=True)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("揭榜挂帅榜单")
        verbose_name_plural = _("揭榜挂帅榜单")

    def __str__(self) -> str:
        return self.title

    @property
    def tone(self) -> str:
        return CHALLENGE_TONE.get(self.status, "grey")


class ChallengeCriterion(models.Model):
    """One line of the weighted scorecard; weights are data, kept per challenge."""

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="criteria")
    name = models.CharField(_("评分项"), max_length=50)
    weight = models.PositiveSmallIntegerField(_("权重(%)"), validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已揭榜")
    WINNER = "winner", _("中榜")
    NOT_SELECTED = "not_selected", _("未中榜")


class ChallengeApplication(TimeStamped, SupplierRef):
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="applications")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.CharField(_("团队成员"), max_length=300)
    proposal = models.TextField(_("揭榜方案"))
    status = models.CharField(
        _("状态"), max_length=15, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("揭榜申请")
        verbose_name_plural = _("揭榜申请")

    def __str__(self) -> str:
        return f"{self.challenge} ← {self.supplier_name}"

    def conflict_organisation_ids(self) -> set[int]:
        """Organisations whose people may not review this application."""
        if self.organisation_id:
            return {self.organisation_id}
        if self.talent_id and self.talent.home_organisation_id:
            return {self.talent.home_organisation_id}
        return set()


class ChallengeReviewer(TimeStamped):
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="unique_challenge_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.user}"


class ChallengeScore(TimeStamped):
    application = models.ForeignKey(ChallengeApplication, on_delete=models.PROTECT, related_name="scores")
    reviewer = models.ForeignKey(ChallengeReviewer, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(ChallengeCriterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("得分(0–10)"), validators=[MaxValueValidator(10)])

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "criterion"], name="unique_challenge_score"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.reviewer_id}/{self.criterion_id}: {self.score}"


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("进行中")
    ACCEPTED = "accepted", _("已验收")


class ChallengeMilestone(TimeStamped):
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(_("里程碑"), max_length=80)
    due_date = models.DateField(_("计划完成日期"))
    order = models.PositiveSmallIntegerField(default=0)
    payment = models.DecimalField(
        _("验收后支付(元)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    acceptance_note = models.CharField(_("验收意见"), max_length=300, blank=True)
    paid_at = models.DateTimeField(_("付款时间"), null=True, blank=True)
    payment_reference = models.CharField(_("付款凭证号"), max_length=60, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("里程碑与付款")
        verbose_name_plural = _("里程碑与付款")

    def __str__(self) -> str:
        return self.title
