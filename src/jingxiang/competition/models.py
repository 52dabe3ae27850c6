"""全国眼镜产业人才创业创新大赛: editions, tracks, team entries, stages reviewed through the review block,
awards with verifiable certificates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped


class Edition(TimeStamped, Archivable):
    name = models.CharField(_("届次名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"))
    slug = models.SlugField(_("网址代码"), max_length=40, unique=True)
    description = models.TextField(_("大赛简介"), blank=True)
    registration_opens = models.DateTimeField(_("报名开始"))
    registration_closes = models.DateTimeField(_("报名截止"))
    results_published_at = models.DateTimeField(_("结果公布时间"), null=True, blank=True)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("大赛届次")
        verbose_name_plural = _("大赛届次")
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes__gt=models.F("registration_opens")),
                name="competition_reg_window",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def registration_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return bool(self.registration_opens <= now < self.registration_closes and not self.is_archived)


class Organiser(TimeStamped):
    """A person who runs an edition (the organising committee's staff); operators run every edition."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="organisers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("大赛组委会成员")
        verbose_name_plural = _("大赛组委会成员")
        constraints = [models.UniqueConstraint(fields=["edition", "user"], name="competition_organiser_once")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.edition}"


class Track(TimeStamped):
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="tracks")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("赛道"), max_length=60)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("开放报名"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("赛道")
        verbose_name_plural = _("赛道")
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="competition_track_code")]

    def __str__(self) -> str:
        return self.name


class EntryStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    IN_PROGRESS = "in_progress", _("晋级中")
    ELIMINATED = "eliminated", _("未晋级")
    FINALIST = "finalist", _("决赛")
    AWARDED = "awarded", _("获奖")
    WITHDRAWN = "withdrawn", _("已退赛")


class EntryQuerySet(models.QuerySet["Entry"]):
    def visible_to(self, user: Any) -> EntryQuerySet:
        """A team sees its own entries; organisers and operators see the edition's (permissions.py)."""
        from jingxiang.competition.permissions import managed_edition_ids
        from jingxiang.organisations.permissions import is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(Q(leader=user) | Q(edition_id__in=managed_edition_ids(user)))


class Entry(TimeStamped):
    """A team's project in one edition (参赛项目)."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="entries")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="entries", verbose_name=_("赛道"))
    number = models.CharField(_("报名编号"), max_length=20, unique=True)
    title = models.CharField(_("项目名称"), max_length=80)
    summary = models.TextField(_("项目简介"))
    team_name = models.CharField(_("团队名称"), max_length=60)
    team_key = models.CharField(max_length=60, editable=False)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="competition_entries",
        verbose_name=_("负责人账号"),
    )
    leader_name = models.CharField(_("负责人姓名"), max_length=50)
    leader_mobile = models.CharField(_("负责人手机号"), max_length=11)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属企业(平台)"),
    )
    organisation_name = models.CharField(_("所属企业或单位"), max_length=100, blank=True)
    # [{"name": "李明", "role": "技术负责人", "share": 30}] — share in per cent when known.
    members = models.JSONField(_("团队成员"), default=list)
    tags = models.JSONField(_("领域标签"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.REGISTERED
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("参赛项目")
        verbose_name_plural = _("参赛项目")
        constraints = [
            models.UniqueConstraint(fields=["edition", "team_key"], name="competition_team_once"),
            models.UniqueConstraint(fields=["edition", "leader"], name="competition_leader_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_review_url(self) -> str:
        from django.urls import reverse

        return reverse("competition:entry", args=[self.pk])


class Attachment(TimeStamped):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("材料类型"), max_length=20, default="plan")
    file = models.FileField(_("文件"), upload_to="competition/%Y/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小(字节)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("参赛材料")
        verbose_name_plural = _("参赛材料")

    def __str__(self) -> str:
        return self.name


class StageKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("初赛")
    SEMIFINAL = "semifinal", _("复赛")
    FINAL = "final", _("决赛")


class Stage(TimeStamped):
    """One round of the competition; its scores live in a review round (``jingxiang.reviewing``)."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="stages")
    kind = models.CharField(_("赛段"), max_length=12, choices=StageKind.choices)
    name = models.CharField(_("名称"), max_length=60)
    order = models.PositiveSmallIntegerField(_("顺序"))
    advance_count = models.PositiveSmallIntegerField(_("晋级名额"), default=0, help_text=_("决赛填 0"))
    round = models.OneToOneField(
        "reviewing.Round",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("评审轮次"),
    )
    # Live scoring of the final: the entry now on stage, shown on the judges' phones and the hall board.
    current_entry = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("当前路演项目"),
    )
    decided_at = models.DateTimeField(_("结果确定时间"), null=True, blank=True)

    class Meta:
        ordering = ["edition", "order"]
        verbose_name = _("赛段")
        verbose_name_plural = _("赛段")
        constraints = [models.UniqueConstraint(fields=["edition", "kind"], name="competition_stage_kind")]

    def __str__(self) -> str:
        return f"{self.edition} · {self.name}"


class StageEntry(TimeStamped):
    """An entry taking part in a stage, and how it came out (rank from the normalised ranking)."""

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="stage_entries")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="stage_entries")
    submission = models.ForeignKey(
        "reviewing.Submission", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    score = models.DecimalField(_("标准化得分"), max_digits=9, decimal_places=2, null=True, blank=True)
    raw_score = models.DecimalField(_("原始平均分"), max_digits=9, decimal_places=2, null=True, blank=True)
    advanced = models.BooleanField(_("晋级"), default=False)

    class Meta:
        ordering = ["stage", "rank", "entry__number"]
        verbose_name = _("赛段参赛项目")
        verbose_name_plural = _("赛段参赛项目")
        constraints = [
            models.UniqueConstraint(fields=["stage", "entry"], name="competition_stage_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.stage}: {self.entry}"


class Award(TimeStamped):
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="awards")
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="award")
    level = models.CharField(_("奖项代码"), max_length=20)
    name = models.CharField(_("奖项"), max_length=40)
    rank = models.PositiveIntegerField(_("决赛名次"))
    verification_code = models.CharField(max_length=32, unique=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["edition", "rank"]
        verbose_name = _("获奖")
        verbose_name_plural = _("获奖")

    def __str__(self) -> str:
        return f"{self.name}: {self.entry.title}"
