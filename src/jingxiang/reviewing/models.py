"""The review block every reviewing app builds on: rounds, submissions, reviewers, assignments, scores.

An owning app (the competition, the talent fund) creates a :class:`Round` for one of its own objects
(``scope`` names the app's kind of object, ``object_id`` the object), puts its entries in as
:class:`Submission` rows (a generic reference to the entry), adds :class:`Reviewer` rows, and lets the
engine (``jingxiang.review``) assign them in a background job. Reviewers score their assignments per
criterion; the ranking comes from ``jingxiang.review.scoring.score``. See docs/reviewing.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped


class RoundMode(models.TextChoices):
    ASSIGNED = "assigned", _("引擎分配(每份若干位专家)")
    PANEL = "panel", _("全体评委(每位无回避的评委都评)")


class Round(TimeStamped, Archivable):
    """One review of a set of submissions on one scale with weighted criteria, open for a time window."""

    scope = models.CharField(_("所属业务"), max_length=60, db_index=True)
    object_id = models.PositiveBigIntegerField(_("所属对象"), null=True, blank=True)
    title = models.CharField(_("评审轮次"), max_length=120)
    mode = models.CharField(
        _("分配方式"), max_length=10, choices=RoundMode.choices, default=RoundMode.ASSIGNED
    )
    scale_min = models.DecimalField(_("最低分"), max_digits=7, decimal_places=2, default=Decimal("0"))
    scale_max = models.DecimalField(_("最高分"), max_digits=7, decimal_places=2, default=Decimal("10"))
    scale_step = models.DecimalField(
        _("分值步长"), max_digits=7, decimal_places=2, null=True, blank=True, help_text=_("留空:任意分值")
    )
    opens_at = models.DateTimeField(_("开始评分时间"))
    closes_at = models.DateTimeField(_("截止评分时间"))
    reviewers_needed = models.PositiveSmallIntegerField(
        _("每份所需专家数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    lookback_years = models.PositiveSmallIntegerField(
        _("回避年限"),
        default=3,
        validators=[MaxValueValidator(50)],
        help_text=_("近 N 年内的合作视为利益冲突"),
    )
    closed_at = models.DateTimeField(_("提前截止时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("评审轮次")
        verbose_name_plural = _("评审轮次")
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="reviewing_scale"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="reviewing_window"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def effective_close(self) -> Any:
        return min(self.closes_at, self.closed_at) if self.closed_at else self.closes_at

    def is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return bool(self.opens_at <= now < self.effective_close and not self.is_archived)

    def is_closed(self, now: Any = None) -> bool:
        return bool((now or timezone.now()) >= self.effective_close)


class Criterion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("评分项"), max_length=60)
    weight = models.DecimalField(
        _("权重"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    guidance = models.CharField(_("评分说明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="reviewing_criterion_code")]

    def __str__(self) -> str:
        return self.name


class Submission(TimeStamped):
    """An entry under review: a generic reference to the owning app's record plus what conflicts need."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="submissions")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("名称"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_submissions",
        verbose_name=_("申报单位"),
    )
    # Person keys (docs/reviewing.md): "user:<pk>" for platform users, any other stable string otherwise.
    team = models.JSONField(_("团队成员"), default=list, blank=True)
    tags = models.JSONField(_("领域标签"), default=list, blank=True)
    withdrawn = models.BooleanField(_("已撤回"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("评审对象")
        verbose_name_plural = _("评审对象")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "content_type", "object_id"], name="reviewing_submission_once"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Reviewer(TimeStamped):
    """An expert in a round's pool: a platform user (often a talent), with expertise and a load limit."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_roles",
        verbose_name=_("专家账号"),
    )
    talent = models.ForeignKey(
        "talents.Talent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("人才"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在单位"),
    )
    expertise = models.JSONField(_("专业领域"), default=list, blank=True)
    max_load = models.PositiveSmallIntegerField(
        _("最多评审份数"), default=10, validators=[MaxValueValidator(500)]
    )
    conflict_organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+", verbose_name=_("申明回避单位")
    )
    conflict_people = models.JSONField(_("申明回避人员"), default=list, blank=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="reviewing_reviewer_once")]

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已分配")
    FAILED = "failed", _("失败")


class AssignmentRun(TimeStamped):
    """One background assignment: the engine's status, figures and every uncovered submission's reason."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="runs")
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    solver_status = models.CharField(_("求解状态"), max_length=12, blank=True)
    method = models.CharField(_("方法"), max_length=40, blank=True)
    summary = models.JSONField(_("概要"), default=dict, blank=True)
    # [{"submission": pk, "title": ..., "cause": ..., "reason": ...}]
    uncovered = models.JSONField(_("未覆盖"), default=list, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("分配运行")
        verbose_name_plural = _("分配运行")

    def __str__(self) -> str:
        return f"{self.round} #{self.pk}"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def visible_to(self, user: Any) -> AssignmentQuerySet:
        """A reviewer sees only their own assignments (managers read through selectors)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(reviewer__user=user, reviewer__active=True, withdrawn=False)


class Assignment(TimeStamped):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assignments")
    run = models.ForeignKey(AssignmentRun, on_delete=models.PROTECT, related_name="assignments")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="assignments")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.PROTECT, related_name="assignments")
    fit = models.PositiveSmallIntegerField(_("匹配度"), default=0)
    submitted_at = models.DateTimeField(_("提交评分时间"), null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    withdrawn = models.BooleanField(_("已撤销"), default=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["submission_id", "reviewer_id"]
        verbose_name = _("评审任务")
        verbose_name_plural = _("评审任务")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"],
                condition=Q(withdrawn=False),
                name="reviewing_assignment_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.submission}"


class Score(TimeStamped):
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("分值"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["criterion__order", "pk"]
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="reviewing_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
