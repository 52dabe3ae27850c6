"""需求对接会: matchmaking events, their registrations, meeting requests, schedules and follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.documents import new_verification_code
from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("报名中")
    PUBLISHED = "published", _("日程已发布")
    CLOSED = "closed", _("已结束")


class ParticipantKind(models.TextChoices):
    FIRM = "firm", _("企业")
    EXPERT = "expert", _("专家")
    INSTITUTION = "institution", _("高校/机构")


#: Who may register an organisation for an event, by the kind of registration: membership roles in that
#: organisation. The platform's long-standing rule (a firm through its admin or 共享人才官, an institution
#: through its admin); each event keeps its own copy, which operators widen or narrow.
DEFAULT_REGISTRANT_ROLES: dict[str, list[str]] = {
    "firm": ["org_admin", "talent_officer"],
    "institution": ["org_admin"],
}
#: The membership roles an event's rules may admit as registrants.
REGISTRANT_ROLE_CHOICES = ("org_admin", "talent_officer", "member", "lab_staff")


def default_registrant_roles() -> dict[str, list[str]]:
    return {kind: list(roles) for kind, roles in DEFAULT_REGISTRANT_ROLES.items()}


class EventQuerySet(ArchivableQuerySet):
    def visible_to(self, user: object) -> EventQuerySet:
        """Operators see every event; everyone acting for an approved organisation and every expert with
        a login sees the events that are no longer in preparation."""
        from jingxiang.organisations.models import _has_talent_profile
        from jingxiang.organisations.permissions import is_approved_member, is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        if is_approved_member(user) or _has_talent_profile(user):
            return self.filter(archived_at__isnull=True).exclude(status=EventStatus.DRAFT)
        return self.none()


class Event(TimeStamped, Archivable):
    title = models.CharField(_("名称"), max_length=100)
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    description = models.TextField(_("简介"), blank=True)
    event_date = models.DateField(_("日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    allow_firms = models.BooleanField(_("企业可报名"), default=True)
    allow_experts = models.BooleanField(_("专家可报名"), default=True)
    allow_institutions = models.BooleanField(_("高校/机构可报名"), default=True)
    max_meetings_cap = models.PositiveSmallIntegerField(_("每位参会者洽谈上限"), default=8)
    request_cap_firm = models.PositiveSmallIntegerField(_("企业可发起的预约数上限"), default=10)
    request_cap_expert = models.PositiveSmallIntegerField(_("专家可发起的预约数上限"), default=10)
    request_cap_institution = models.PositiveSmallIntegerField(_("机构可发起的预约数上限"), default=10)
    requests_expire_at = models.DateTimeField(_("未答复预约失效时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    published_at = models.DateTimeField(_("日程发布时间"), null=True, blank=True)
    registrant_roles = models.JSONField(
        _("可代表机构报名的成员角色"), default=default_registrant_roles, blank=True
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-event_date", "-pk"]
        verbose_name = _("对接会")
        verbose_name_plural = _("对接会")

    def __str__(self) -> str:
        return self.title

    def allows(self, kind: str) -> bool:
        return {
            ParticipantKind.FIRM: self.allow_firms,
            ParticipantKind.EXPERT: self.allow_experts,
            ParticipantKind.INSTITUTION: self.allow_institutions,
        }.get(kind, False)

    def request_cap(self, kind: str) -> int:
        return {
            ParticipantKind.FIRM: self.request_cap_firm,
            ParticipantKind.EXPERT: self.request_cap_expert,
            ParticipantKind.INSTITUTION: self.request_cap_institution,
        }.get(kind, 0)

    def admits_role(self, kind: str, role: str) -> bool:
        """Whether a member with ``role`` may register their organisation as a ``kind`` participant."""
        roles = (self.registrant_roles or {}).get(str(kind), [])
        return isinstance(roles, list) and str(role) in roles

    @property
    def tone_key(self) -> str:
        """The status word the house badge colours by (amber while registration is open)."""
        return {EventStatus.OPEN: "pending"}.get(self.status, self.status)

    @property
    def is_published(self) -> bool:
        return self.status in {EventStatus.PUBLISHED, EventStatus.CLOSED}


class CurrentManager(models.Manager):
    """Sessions, slots and tables an operator has not removed (removed ones stay for the meetings'
    history: ``meeting.slot`` still reads them through the base manager)."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(removed_at__isnull=True)


class Session(TimeStamped):
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("对接会")
    )
    name = models.CharField(_("场次"), max_length=50)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    removed_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    all_objects = models.Manager()
    objects = CurrentManager()

    class Meta:
        base_manager_name = "all_objects"
        default_manager_name = "objects"
        ordering = ["starts_at", "pk"]
        verbose_name = _("场次")
        verbose_name_plural = _("场次")

    def __str__(self) -> str:
        return self.name


class TimeSlot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="slots", verbose_name=_("对接会"))
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="slots", verbose_name=_("场次")
    )
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    removed_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    all_objects = models.Manager()
    objects = CurrentManager()

    class Meta:
        base_manager_name = "all_objects"
        default_manager_name = "objects"
        ordering = ["starts_at", "pk"]
        verbose_name = _("时段")
        verbose_name_plural = _("时段")

    def __str__(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%H:%M}–{end:%H:%M}"


class EventTable(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="tables", verbose_name=_("对接会")
    )
    name = models.CharField(_("桌号/房间"), max_length=30)
    capacity = models.PositiveSmallIntegerField(_("座位数"), default=2)
    removed_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    all_objects = models.Manager()
    objects = CurrentManager()

    class Meta:
        base_manager_name = "all_objects"
        default_manager_name = "objects"
        ordering = ["pk"]
        verbose_name = _("洽谈桌")
        verbose_name_plural = _("洽谈桌")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                condition=models.Q(removed_at__isnull=True),
                name="unique_current_event_table_name",
            )
        ]

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class ParticipantKey:
    """The holder of one registration's private link, acting without a login (a fair's buyer who
    pre-registered on the public form): acts for that registration and nothing else. Never signed in,
    never an operator; the app that issued the link resolves it (and checks it is not revoked) before
    handing this to the events' services as their ``actor``."""

    participant_id: int
    is_authenticated: ClassVar[bool] = False
    pk: ClassVar[None] = None

    def __str__(self) -> str:
        return f"participant-link:{self.participant_id}"


class ParticipantQuerySet(ArchivableQuerySet):
    def acting_for(self, user: object) -> ParticipantQuerySet:
        """Registrations the user acts for: an organisation's where their role in it is one the event's
        rules admit (by default a firm's admin or 共享人才官, an institution's admin), or their own as an
        expert; for the holder of a private link (``ParticipantKey``), that one registration."""
        from jingxiang.organisations.permissions import approved_organisation_ids

        if isinstance(user, ParticipantKey):
            return self.filter(pk=user.participant_id)
        if not getattr(user, "is_authenticated", False):
            return self.none()
        held: dict[int, set[str]] = {}
        for role in REGISTRANT_ROLE_CHOICES:
            for organisation in approved_organisation_ids(user, role):
                held.setdefault(organisation, set()).add(role)
        mine = models.Q(kind=ParticipantKind.EXPERT, talent__user=user)
        # The event's rule is read in SQL (no extra query, so this stays a lazy subquery): the role's
        # quoted name inside the JSON list of the registration's kind, the same text on SQLite and
        # PostgreSQL. No role name is part of another's.
        for kind in (ParticipantKind.FIRM, ParticipantKind.INSTITUTION):
            for role in REGISTRANT_ROLE_CHOICES:
                organisations = [org for org, roles in held.items() if role in roles]
                if organisations:
                    mine |= models.Q(
                        kind=kind,
                        organisation_id__in=organisations,
                        **{f"event__registrant_roles__{kind.value}__icontains": f'"{role}"'},
                    )
        return self.filter(mine)


class Participant(TimeStamped, Archivable):
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="participants", verbose_name=_("对接会")
    )
    kind = models.CharField(_("类别"), max_length=12, choices=ParticipantKind.choices, db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("机构"),
    )
    talent = models.ForeignKey(
        "talents.Talent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("人才"),
    )
    name = models.CharField(_("名称"), max_length=100)
    contact_name = models.CharField(_("参会人"), max_length=50, blank=True)
    needs = models.TextField(_("洽谈需求/可提供的服务"), blank=True)
    offers = models.TextField(_("可提供"), blank=True)
    seeks = models.TextField(_("寻求"), blank=True)
    photo = models.FileField(_("照片"), upload_to="events/photos/%Y/%m/", blank=True)
    demand_content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关联需求类型"),
    )
    demand_object_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("关联需求编号"))
    demand = GenericForeignKey("demand_content_type", "demand_object_id")
    max_meetings = models.PositiveSmallIntegerField(_("洽谈上限"), default=6)
    slots = models.ManyToManyField(TimeSlot, related_name="participants", verbose_name=_("在场时段"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("报名人")
    )
    checkin_code = models.CharField(
        max_length=32, unique=True, default=new_verification_code, editable=False, verbose_name=_("签到码")
    )
    agenda_code = models.CharField(
        max_length=32, unique=True, default=new_verification_code, editable=False, verbose_name=_("日程编号")
    )
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签到经办人"),
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("参会者")
        verbose_name_plural = _("参会者")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"],
                condition=models.Q(organisation__isnull=False, archived_at__isnull=True),
                name="unique_event_organisation",
            ),
            models.UniqueConstraint(
                fields=["event", "talent"],
                condition=models.Q(talent__isnull=False, archived_at__isnull=True),
                name="unique_event_talent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RequestPriority(models.TextChoices):
    MUST = "must", _("必须见")
    NICE = "nice", _("希望见")


PRIORITY_WEIGHT = {RequestPriority.MUST: Decimal("3"), RequestPriority.NICE: Decimal("1")}


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待答复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")
    EXPIRED = "expired", _("已过期")
    WITHDRAWN = "withdrawn", _("已撤回")
    CANCELLED = "cancelled", _("已取消")


class Attendance(models.TextChoices):
    PLANNED = "planned", _("待进行")
    HELD = "held", _("已洽谈")
    NO_SHOW = "no_show", _("缺席")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> MeetingQuerySet:
        """Operators see every request; others only those where a registration they act for is a party."""
        from jingxiang.organisations.permissions import is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        mine = Participant.objects.acting_for(user).values("pk")
        return self.filter(models.Q(requester__in=mine) | models.Q(recipient__in=mine))


class Meeting(TimeStamped):
    """A meeting request between two registrations and, once accepted and scheduled, the meeting."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("对接会")
    )
    requester = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="requests_sent", verbose_name=_("发起方")
    )
    recipient = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="requests_received", verbose_name=_("被邀请方")
    )
    priority = models.CharField(_("优先级"), max_length=4, choices=RequestPriority.choices)
    message = models.CharField(_("留言"), max_length=300, blank=True)
    suggestion_score = models.DecimalField(_("匹配度"), max_digits=6, decimal_places=4, default=Decimal("0"))
    status = models.CharField(
        _("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING, db_index=True
    )
    decline_reason = models.CharField(_("婉拒原因"), max_length=300, blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("答复人"),
    )
    slot = models.ForeignKey(
        TimeSlot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("时段"),
    )
    table = models.ForeignKey(
        EventTable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("洽谈桌"),
    )
    locked = models.BooleanField(_("锁定位置"), default=False)
    announced = models.BooleanField(_("已公布"), default=False)
    unscheduled_reason = models.CharField(_("未排入原因"), max_length=500, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    attendance = models.CharField(
        _("洽谈情况"), max_length=10, choices=Attendance.choices, default=Attendance.PLANNED
    )
    no_show_participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("缺席方"),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        verbose_name = _("洽谈预约")
        verbose_name_plural = _("洽谈预约")
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=models.Q(status__in=["pending", "accepted"]),
                name="unique_open_meeting_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester} ↔ {self.recipient}"

    @property
    def tone_key(self) -> str:
        return {
            RequestStatus.ACCEPTED: "approved",
            RequestStatus.DECLINED: "rejected",
            RequestStatus.EXPIRED: "archived",
            RequestStatus.WITHDRAWN: "archived",
            RequestStatus.CANCELLED: "archived",
        }.get(self.status, self.status)

    @property
    def attendance_tone(self) -> str:
        return {Attendance.PLANNED: "pending", Attendance.HELD: "completed", Attendance.NO_SHOW: "failed"}[
            Attendance(self.attendance)
        ]

    @property
    def weight(self) -> Decimal:
        return PRIORITY_WEIGHT[RequestPriority(self.priority)] + self.suggestion_score

    def other_party(self, participant: Participant) -> Participant:
        return self.recipient if participant.pk == self.requester_id else self.requester


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    READY = "ready", _("待发布")
    INVALID = "invalid", _("校验未通过")
    INFEASIBLE = "infeasible", _("无可行方案")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被替代")
    FAILED = "failed", _("失败")


class ScheduleRun(TimeStamped):
    """One run of the scheduler for an event: the instance it saw, what it returned and what the
    independent validator said about it."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="runs", verbose_name=_("对接会"))
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("后台任务"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True
    )
    time_limit = models.PositiveSmallIntegerField(_("计算时限(秒)"), default=20)
    solver_status = models.CharField(_("求解状态"), max_length=12, blank=True)
    instance = models.JSONField(default=dict, blank=True, verbose_name=_("排程数据"))
    result = models.JSONField(default=dict, blank=True, verbose_name=_("排程结果"))
    violations = models.JSONField(default=list, blank=True, verbose_name=_("校验问题"))
    scheduled_weight = models.DecimalField(_("排入权重"), max_digits=12, decimal_places=4, default=0)
    upper_bound = models.DecimalField(_("理论上界"), max_digits=12, decimal_places=4, null=True, blank=True)
    idle_gaps = models.PositiveIntegerField(_("空档数"), default=0)
    scheduled_count = models.PositiveIntegerField(_("排入场数"), default=0)
    unscheduled_count = models.PositiveIntegerField(_("未排入场数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("排程")
        verbose_name_plural = _("排程")

    def __str__(self) -> str:
        return f"{self.event} #{self.pk}"

    @property
    def tone_key(self) -> str:
        return {
            RunStatus.READY: "pending",
            RunStatus.INVALID: "failed",
            RunStatus.INFEASIBLE: "failed",
            RunStatus.SUPERSEDED: "archived",
        }.get(self.status, self.status)

    @property
    def gap(self) -> Decimal | None:
        """Relative distance to the proven bound (0 = provably optimal weight)."""
        if self.upper_bound is None or self.upper_bound <= 0:
            return None
        return (self.upper_bound - self.scheduled_weight) / self.upper_bound


class Feedback(TimeStamped):
    """One side's view after a meeting: should it lead to cooperation?"""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("洽谈")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="+", verbose_name=_("参会者")
    )
    wants_cooperation = models.BooleanField(_("希望继续合作"))
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("洽谈反馈")
        verbose_name_plural = _("洽谈反馈")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="unique_feedback_per_side")
        ]


class FollowUpKind(models.TextChoices):
    DEMAND = "demand", _("对接需求")
    SHARING = "sharing", _("人才共享申请")
    CHALLENGE = "challenge", _("技术攻关")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("跟进中")
    DONE = "done", _("已完成")


class FollowUp(TimeStamped, Archivable):
    """Cooperation that a meeting should lead to, linked to a demand, a sharing request or a challenge.

    The target lives in apps that evolve separately, so it is a generic link plus ``kind``.
    """

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("对接会")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("洽谈")
    )
    kind = models.CharField(_("跟进类型"), max_length=10, choices=FollowUpKind.choices)
    target_content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("跟进对象类型"),
    )
    target_object_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("跟进对象编号"))
    target = GenericForeignKey("target_content_type", "target_object_id")
    note = models.CharField(_("说明"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=6, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("后续跟进")
        verbose_name_plural = _("后续跟进")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}:{self.meeting}"
