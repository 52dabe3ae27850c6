"""创新联盟 and 战略合作: alliances, their member units and domain work groups, the annual work plans'
tasks and the outputs that link to records elsewhere on the platform, meetings, and the registry of
strategic agreements with their obligations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped
from jingxiang.identifiers import mask_mobile

#: The five domains the 台州眼镜产业创新联盟 works on; a new alliance starts with them (data, editable).
STANDARD_DOMAINS = (
    ("rd", "技术研发"),
    ("training", "技能培训"),
    ("testing", "质量检测"),
    ("brand", "品牌升级"),
    ("market", "市场拓展"),
)


class AllianceKind(models.TextChoices):
    INNOVATION = "innovation", _("产业创新联盟")
    REFORM = "reform", _("产业链产改联盟")
    OTHER = "other", _("其他联盟")


class AllianceQuerySet(ArchivableQuerySet):
    def visible_to(self, user: Any) -> AllianceQuerySet:
        """Operators (the town, the secretariats) see every alliance; the people of a member unit (also
        one that has applied or is leaving) see their alliances; everyone else only the public page."""
        from jingxiang.organisations.permissions import approved_organisation_ids, is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        orgs = approved_organisation_ids(user)
        if not orgs:
            return self.none()
        return self.filter(
            Q(secretariat_id__in=orgs)
            | Q(
                pk__in=Member.objects.filter(organisation_id__in=orgs)
                .exclude(status=MemberStatus.REJECTED)
                .values("alliance_id")
            )
        ).filter(archived_at__isnull=True)

    def public(self) -> AllianceQuerySet:
        return self.filter(is_public=True, archived_at__isnull=True)


class Alliance(TimeStamped, Archivable):
    name = models.CharField(_("联盟名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(
        _("类型"), max_length=20, choices=AllianceKind.choices, default=AllianceKind.INNOVATION
    )
    secretariat = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="alliances_run",
        verbose_name=_("秘书处单位"),
    )
    founded_on = models.DateField(_("成立日期"))
    charter = models.TextField(_("联盟章程"), blank=True)
    description = models.TextField(_("简介"), blank=True)
    is_public = models.BooleanField(_("对外公开"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    objects = AllianceQuerySet.as_manager()

    class Meta:
        ordering = ["founded_on", "pk"]
        verbose_name = _("联盟")
        verbose_name_plural = _("联盟")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("理事长单位")
    VICE_CHAIR = "vice_chair", _("副理事长单位")
    MEMBER = "member", _("成员单位")


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("入盟待审核")
    ACTIVE = "active", _("在盟")
    LEAVING = "leaving", _("退盟待审核")
    LEFT = "left", _("已退盟")
    REJECTED = "rejected", _("未通过")


#: Statuses in which a unit is (or is about to be) part of the alliance: its period is taken.
HOLDING = (MemberStatus.PENDING, MemberStatus.ACTIVE, MemberStatus.LEAVING)


class MemberQuerySet(models.QuerySet["Member"]):
    def current(self) -> MemberQuerySet:
        return self.filter(status__in=[MemberStatus.ACTIVE, MemberStatus.LEAVING])


class Member(TimeStamped):
    """One membership period of an organisation in an alliance (a unit that leaves and rejoins has two)."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="members", verbose_name=_("联盟")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="alliance_memberships",
        verbose_name=_("成员单位"),
    )
    role = models.CharField(
        _("联盟职务"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.PENDING, db_index=True
    )
    joined_on = models.DateField(_("入盟日期"))
    left_on = models.DateField(_("退盟日期"), null=True, blank=True)
    contact_name = models.CharField(_("联络人"), max_length=40, blank=True)
    contact_mobile = models.CharField(_("联络人手机"), max_length=20, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    leave_reason = models.CharField(_("退盟原因"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["alliance", "role", "joined_on", "pk"]
        verbose_name = _("成员单位")
        verbose_name_plural = _("成员单位")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.contact_mobile) if self.contact_mobile else ""

    @property
    def is_current(self) -> bool:
        return self.status in (MemberStatus.ACTIVE, MemberStatus.LEAVING)

    @property
    def tone(self) -> str:
        tones: dict[str, str] = {
            MemberStatus.PENDING: "pending",
            MemberStatus.ACTIVE: "active",
            MemberStatus.LEAVING: "pending",
            MemberStatus.LEFT: "closed",
            MemberStatus.REJECTED: "rejected",
        }
        return tones.get(self.status, "closed")


class Domain(TimeStamped, Archivable):
    """A domain of the alliance's work and its work group (lead unit and members)."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="domains", verbose_name=_("联盟")
    )
    code = models.SlugField(_("代码"), max_length=20)
    name = models.CharField(_("领域"), max_length=40)
    description = models.TextField(_("工作目标"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    lead = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="domains_led",
        verbose_name=_("牵头单位"),
    )
    members = models.ManyToManyField(Member, related_name="domains", blank=True, verbose_name=_("工作组成员"))

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["alliance", "order", "pk"]
        verbose_name = _("工作领域")
        verbose_name_plural = _("工作领域")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "code"], name="alliance_domain_code_unique"),
            models.UniqueConstraint(fields=["alliance", "name"], name="alliance_domain_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


OPEN_TASK = (TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)


class TaskQuerySet(models.QuerySet["Task"]):
    def overdue(self, today: dt.date | None = None) -> TaskQuerySet:
        return self.filter(status__in=OPEN_TASK, due_on__lt=today or timezone.localdate())


class Task(TimeStamped):
    """One line of a domain's annual work plan."""

    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("领域"))
    year = models.PositiveSmallIntegerField(_("计划年度"), validators=[MinValueValidator(2000)])
    title = models.CharField(_("任务"), max_length=120)
    description = models.TextField(_("内容"), blank=True)
    owner = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("责任单位")
    )
    due_on = models.DateField(_("完成期限"))
    expected_output = models.CharField(_("预期成果"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PLANNED, db_index=True
    )
    decision = models.ForeignKey(
        "Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("来源决议"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_TASK and self.due_on < timezone.localdate()

    @property
    def tone(self) -> str:
        if self.is_overdue:
            return "rejected"
        return {"planned": "closed", "in_progress": "pending", "done": "active", "cancelled": "closed"}[
            self.status
        ]


class TaskNote(models.Model):
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="notes", verbose_name=_("任务"))
    text = models.TextField(_("进展"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填写人")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("任务进展")
        verbose_name_plural = _("任务进展")

    def __str__(self) -> str:
        return self.text[:40]


class DeclaredKind(models.TextChoices):
    STANDARD = "standard", _("标准")
    PAPER = "paper", _("论文")
    OTHER = "other", _("其他成果")


class OutputQuerySet(models.QuerySet["Output"]):
    def public(self) -> OutputQuerySet:
        return self.filter(confidential=False, archived_at__isnull=True)


class Output(TimeStamped):
    """What a task produced: a link to a record the platform already holds (counted from it), or a
    declared result with an attachment (marked declared, not verified)."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="outputs", verbose_name=_("联盟")
    )
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="outputs", verbose_name=_("任务"))
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="outputs", verbose_name=_("成员单位")
    )
    #: One of the allow-listed link kinds (``outputs.LINK_KINDS``) or ``declared``.
    kind = models.CharField(_("成果类型"), max_length=20, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    declared_kind = models.CharField(_("申报类型"), max_length=20, choices=DeclaredKind.choices, blank=True)
    title = models.CharField(_("成果名称"), max_length=200, blank=True)
    attachment = models.FileField(_("附件"), upload_to="alliance/outputs/%Y/%m/", blank=True)
    confidential = models.BooleanField(_("不对外公开"), default=False)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = OutputQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("联盟成果")
        verbose_name_plural = _("联盟成果")
        constraints = [
            # A record counts once per alliance, whatever task it is linked to.
            models.UniqueConstraint(
                fields=["alliance", "content_type", "object_id"],
                condition=Q(object_id__isnull=False, archived_at__isnull=True),
                name="alliance_output_record_once",
            ),
            models.CheckConstraint(
                condition=Q(kind="declared", object_id__isnull=True)
                | (~Q(kind="declared") & Q(object_id__isnull=False)),
                name="alliance_output_linked_or_declared",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.kind} #{self.object_id}"

    @property
    def is_declared(self) -> bool:
        return self.kind == "declared"

    @property
    def kind_label(self) -> str:
        from jingxiang.alliance.outputs import kind_label

        if self.is_declared and self.declared_kind:
            return f"{kind_label(self.kind)} · {self.get_declared_kind_display()}"
        return kind_label(self.kind)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已安排")
    HELD = "held", _("已召开")


class Meeting(TimeStamped):
    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("联盟")
    )
    domain = models.ForeignKey(
        Domain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("工作组"),
        help_text=_("不选则为联盟全体会议。"),
    )
    title = models.CharField(_("会议名称"), max_length=120)
    starts_at = models.DateTimeField(_("时间"))
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    agenda = models.TextField(_("议程"))
    minutes = models.TextField(_("会议纪要"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    attendees = models.ManyToManyField(
        Member, related_name="meetings_attended", blank=True, verbose_name=_("出席单位")
    )
    verify_code = models.CharField(_("核验码"), max_length=32, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("联盟会议")
        verbose_name_plural = _("联盟会议")

    def __str__(self) -> str:
        return self.title


class Decision(TimeStamped):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("会议")
    )
    text = models.CharField(_("决议"), max_length=300)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("会议决议")
        verbose_name_plural = _("会议决议")

    def __str__(self) -> str:
        return self.text


# Strategic agreements -------------------------------------------------------------------------------


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", _("履行中")
    COMPLETED = "completed", _("已履行完毕")
    TERMINATED = "terminated", _("已终止")


class AgreementQuerySet(ArchivableQuerySet):
    def visible_to(self, user: Any) -> AgreementQuerySet:
        """Operators see the registry; within an alliance its members see the agreements that are not
        confidential, and each party's people see their own."""
        from jingxiang.organisations.permissions import approved_organisation_ids, is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        orgs = approved_organisation_ids(user)
        if not orgs:
            return self.none()
        return (
            self.filter(
                Q(parties__organisation_id__in=orgs)
                | Q(confidential=False, alliance__in=Alliance.objects.visible_to(user))
            )
            .filter(archived_at__isnull=True)
            .distinct()
        )


class Agreement(TimeStamped, Archivable):
    """A strategic cooperation agreement (战略合作签约) between two or more parties."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("联盟")
    )
    number = models.CharField(_("登记编号"), max_length=30, unique=True)
    title = models.CharField(_("协议名称"), max_length=120)
    scope = models.TextField(_("合作内容"))
    signed_on = models.DateField(_("签约日期"))
    term_start = models.DateField(_("有效期自"))
    term_end = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    text_file = models.FileField(_("协议文本"), upload_to="alliance/agreements/%Y/", blank=True)
    confidential = models.BooleanField(_("不对外公开"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("战略合作协议")
        verbose_name_plural = _("战略合作协议")

    def __str__(self) -> str:
        return self.title


class AgreementParty(models.Model):
    """A party: an organisation on the platform, or an outside one entered by name and USCC."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="parties", verbose_name=_("协议")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("平台单位"),
    )
    name = models.CharField(_("单位名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("协议方")
        verbose_name_plural = _("协议方")

    def __str__(self) -> str:
        return self.name


class ObligationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("履行中")
    DELIVERED = "delivered", _("已交付")
    OVERDUE = "overdue", _("已逾期")
    WAIVED = "waived", _("已豁免")


OPEN_OBLIGATION = (ObligationStatus.NOT_STARTED, ObligationStatus.IN_PROGRESS, ObligationStatus.OVERDUE)


class Obligation(TimeStamped):
    """Who owes what by when under an agreement, measurable where possible."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("协议")
    )
    party = models.ForeignKey(
        AgreementParty, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("履约方")
    )
    description = models.CharField(_("义务内容"), max_length=200)
    target = models.DecimalField(
        _("目标值"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    achieved = models.DecimalField(
        _("完成值"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    due_on = models.DateField(_("完成期限"))
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ObligationStatus.choices,
        default=ObligationStatus.NOT_STARTED,
        db_index=True,
    )
    evidence = models.FileField(_("佐证材料"), upload_to="alliance/evidence/%Y/%m/", blank=True)
    evidence_note = models.CharField(_("履约说明"), max_length=300, blank=True)
    waive_reason = models.CharField(_("豁免原因"), max_length=300, blank=True)
    delivered_on = models.DateField(_("交付日期"), null=True, blank=True)
    reminded_due_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("履约义务")
        verbose_name_plural = _("履约义务")

    def __str__(self) -> str:
        return self.description

    @property
    def tone(self) -> str:
        return {
            "not_started": "closed",
            "in_progress": "pending",
            "delivered": "active",
            "overdue": "rejected",
            "waived": "closed",
        }[self.status]


class AnnualReport(models.Model):
    """One issued yearly report: its figures as printed, so the QR code verifies what the paper says."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="reports", verbose_name=_("联盟")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    verify_code = models.CharField(_("核验码"), max_length=32, unique=True)
    figures = models.JSONField(_("年报数据"), default=dict)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("出具人")
    )
    issued_at = models.DateTimeField(_("出具时间"), default=timezone.now)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("联盟年度报告")
        verbose_name_plural = _("联盟年度报告")

    def __str__(self) -> str:
        return f"{self.alliance} {self.year}"
