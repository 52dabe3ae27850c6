"""工匠学院: occupations and levels, courses, cohorts, attendance, assessments, certificates and 订单培养."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped

ZERO = Decimal("0")


class Ladder(models.TextChoices):
    """The eight-level ladder (新八级工, 人社部发〔2022〕14号)."""

    APPRENTICE = "apprentice", _("学徒工")
    JUNIOR = "junior", _("初级工")
    INTERMEDIATE = "intermediate", _("中级工")
    SENIOR = "senior", _("高级工")
    TECHNICIAN = "technician", _("技师")
    SENIOR_TECHNICIAN = "senior_technician", _("高级技师")
    PRINCIPAL_TECHNICIAN = "principal_technician", _("特级技师")
    CHIEF_TECHNICIAN = "chief_technician", _("首席技师")


class Occupation(TimeStamped):
    code = models.CharField(_("职业编码"), max_length=20, unique=True)
    name = models.CharField(_("职业名称"), max_length=50)
    skill = models.ForeignKey(
        "talents.Skill", on_delete=models.PROTECT, related_name="occupations", verbose_name=_("对应技能")
    )
    description = models.TextField(_("职业定义"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("职业")
        verbose_name_plural = _("职业")

    def __str__(self) -> str:
        return f"{self.name} {self.code}"


class OccupationLevel(TimeStamped):
    """One national level of an occupation with its pass and eligibility rules (data, not code)."""

    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="levels", verbose_name=_("职业")
    )
    rank = models.PositiveSmallIntegerField(
        _("等级"), validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("5 为五级/初级工")
    )
    name = models.CharField(_("等级名称"), max_length=30)
    ladder = models.CharField(_("八级工序列"), max_length=30, choices=Ladder.choices)
    skill_level = models.PositiveSmallIntegerField(
        _("对应技能熟练程度"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    theory_pass = models.DecimalField(_("理论合格线"), max_digits=5, decimal_places=1, default=Decimal("60"))
    practical_pass = models.DecimalField(
        _("实操合格线"), max_digits=5, decimal_places=1, default=Decimal("60")
    )
    eligibility = models.JSONField(
        _("申报条件"), default=list, blank=True, help_text=_("可选路径列表,满足任一路径的全部条件即可申报")
    )

    class Meta:
        ordering = ["occupation__code", "-rank"]
        verbose_name = _("职业等级")
        verbose_name_plural = _("职业等级")
        constraints = [models.UniqueConstraint(fields=["occupation", "rank"], name="unique_occupation_rank")]

    def __str__(self) -> str:
        return f"{self.occupation.name} · {self.name}"


class SubsidyOn(models.TextChoices):
    CERTIFICATE = "certificate", _("取得证书后")
    COMPLETION = "completion", _("结业后")


class SubsidyRule(TimeStamped):
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    rate = models.DecimalField(_("补贴比例"), max_digits=4, decimal_places=2, default=ZERO)
    cap = models.DecimalField(_("每人上限(元)"), max_digits=10, decimal_places=2, default=ZERO)
    earned_on = models.CharField(_("发放条件"), max_length=20, choices=SubsidyOn.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("补贴规则")
        verbose_name_plural = _("补贴规则")

    def __str__(self) -> str:
        return self.name

    def amount_for(self, fee: Decimal) -> Decimal:
        return min((fee * self.rate).quantize(Decimal("0.01")), self.cap)


class CourseQuerySet(ArchivableQuerySet):
    def visible_to(self, user: object) -> CourseQuerySet:
        """The catalogue is open to everyone acting for an approved organisation and to talents with a
        login; archived courses only to the academy that runs them."""
        from jingxiang.academy.permissions import academy_org_ids, may_browse
        from jingxiang.organisations.permissions import is_operator

        if not may_browse(user):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(
            models.Q(archived_at__isnull=True) | models.Q(provider_id__in=academy_org_ids(user))
        )


class Course(TimeStamped, Archivable):
    code = models.CharField(_("课程编号"), max_length=30, unique=True)
    title = models.CharField(_("课程名称"), max_length=100)
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("承办机构"),
    )
    skill = models.ForeignKey(
        "talents.Skill", on_delete=models.PROTECT, related_name="courses", verbose_name=_("技能")
    )
    occupation_level = models.ForeignKey(
        OccupationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("职业等级"),
    )
    skill_level = models.PositiveSmallIntegerField(
        _("培养目标熟练程度"), validators=[MinValueValidator(1), MaxValueValidator(5)], default=2
    )
    theory_hours = models.PositiveSmallIntegerField(_("理论学时"), default=0)
    practice_hours = models.PositiveSmallIntegerField(_("实操学时"), default=0)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="followed_by", verbose_name=_("先修课程")
    )
    trainers = models.ManyToManyField(
        "talents.Talent", blank=True, related_name="courses_taught", verbose_name=_("授课师资")
    )
    fee = models.DecimalField(_("培训费(元/人)"), max_digits=10, decimal_places=2, default=ZERO)
    subsidy_rule = models.ForeignKey(
        SubsidyRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("适用补贴"),
    )
    needs_approval = models.BooleanField(_("报名需审核"), default=False)
    min_attendance = models.DecimalField(
        _("考核所需出勤率"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("1"))],
    )
    description = models.TextField(_("课程简介"), blank=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("课程")
        verbose_name_plural = _("课程")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def total_hours(self) -> int:
        return self.theory_hours + self.practice_hours

    @property
    def subsidy_amount(self) -> Decimal:
        return self.subsidy_rule.amount_for(self.fee) if self.subsidy_rule else ZERO


class CohortStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    RUNNING = "running", _("开课中")
    COMPLETED = "completed", _("已结业")
    CANCELLED = "cancelled", _("已取消")


#: The statuses a cohort may move to, each from the statuses it may be reached from.
COHORT_MOVES: dict[str, set[str]] = {
    CohortStatus.RUNNING: {CohortStatus.OPEN},
    CohortStatus.COMPLETED: {CohortStatus.RUNNING, CohortStatus.OPEN},
    CohortStatus.CANCELLED: {CohortStatus.OPEN, CohortStatus.RUNNING},
}


class CohortQuerySet(ArchivableQuerySet):
    def visible_to(self, user: object) -> CohortQuerySet:
        return self.filter(course__in=Course.objects.visible_to(user))


class Cohort(TimeStamped, Archivable):
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("课程")
    )
    name = models.CharField(_("班级名称"), max_length=100)
    venue = models.CharField(_("上课地点"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("名额"), validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))
    lead_trainer = models.ForeignKey(
        "talents.Talent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts_led",
        verbose_name=_("主讲师资"),
    )
    order = models.ForeignKey(
        "TrainingOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("订单培养订单"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=CohortStatus.choices, default=CohortStatus.OPEN, db_index=True
    )

    objects = CohortQuerySet.as_manager()

    _BADGES = {"open": "pending", "running": "active", "completed": "completed", "cancelled": "archived"}

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="cohort_dates"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def badge_key(self) -> str:
        """The house badge tone for the status (amber waiting, green active, grey finished)."""
        return self._BADGES.get(self.status, "draft")


class SessionKind(models.TextChoices):
    THEORY = "theory", _("理论")
    PRACTICE = "practice", _("实操")


def new_checkin_code() -> str:
    return secrets.token_urlsafe(12)


class Session(TimeStamped):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("班级")
    )
    topic = models.CharField(_("内容"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=SessionKind.choices, default=SessionKind.THEORY)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    checkin_code = models.CharField(
        _("签到码"), max_length=32, unique=True, default=new_checkin_code, editable=False
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("课次")
        verbose_name_plural = _("课次")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_times"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.topic}"

    @property
    def hours(self) -> Decimal:
        seconds = Decimal((self.ends_at - self.starts_at).total_seconds())
        return (seconds / Decimal(3600)).quantize(Decimal("0.1"))


def new_card_code() -> str:
    """The trainee card's code: unguessable, upper-case hex so it can be typed from the printed card."""
    from jingxiang.core.documents import new_verification_code

    return new_verification_code()


class EnrolmentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ENROLLED = "enrolled", _("已录取")
    WAITLISTED = "waitlisted", _("候补")
    WITHDRAWN = "withdrawn", _("已退出")
    REJECTED = "rejected", pgettext_lazy("报名状态", "未通过")
    GRADUATED = "graduated", _("已结业")


#: Statuses that hold one of the cohort's places.
OCCUPYING = (EnrolmentStatus.PENDING, EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED)
#: Enrolments that may still be withdrawn from.
WITHDRAWABLE = (EnrolmentStatus.PENDING, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED)


class Education(models.TextChoices):
    SECONDARY = "secondary", _("高中/中职及以下")
    COLLEGE = "college", _("大专/高职")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")


MASTERS_OR_HIGHER = (Education.MASTER, Education.DOCTOR)


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def visible_to(self, user: object) -> EnrolmentQuerySet:
        """Academy staff see the enrolments of their cohorts; a firm's admins and 共享人才官 see only
        their own workers (home organisation or sponsor) and the trainees of orders they placed; a
        person sees their own."""
        from jingxiang.academy.permissions import academy_org_ids
        from jingxiang.organisations.permissions import is_operator, managed_firm_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        firms = managed_firm_ids(user)
        # Firms that placed an order see the trainees of its cohorts (they offer and hire from them).
        ordering_firms = OrderParticipant.objects.filter(firm_id__in=firms).values("order_id")
        return self.filter(
            models.Q(cohort__course__provider_id__in=academy_org_ids(user))
            | models.Q(talent__home_organisation_id__in=firms)
            | models.Q(sponsor_id__in=firms)
            | models.Q(cohort__order_id__in=ordering_firms)
            | models.Q(talent__user=user)
        )

    def occupying(self) -> EnrolmentQuerySet:
        return self.filter(status__in=OCCUPYING)


class Enrolment(TimeStamped):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("班级")
    )
    talent = models.ForeignKey(
        "talents.Talent", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("学员")
    )
    sponsor = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsored_enrolments",
        verbose_name=_("报名企业"),
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("报名人")
    )
    status = models.CharField(_("状态"), max_length=20, choices=EnrolmentStatus.choices, db_index=True)
    years_experience = models.DecimalField(
        _("从业年限"), max_digits=4, decimal_places=1, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decision_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    graduated_at = models.DateTimeField(_("结业时间"), null=True, blank=True)
    subsidy_amount = models.DecimalField(_("补贴金额"), max_digits=10, decimal_places=2, default=ZERO)
    # 订单培养 pipeline: offer, hire, retention.
    offer_firm = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发出录用意向的企业"),
    )
    offered_at = models.DateTimeField(_("录用意向时间"), null=True, blank=True)
    hired_by = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="academy_hires",
        verbose_name=_("录用企业"),
    )
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)
    employed_6m = models.BooleanField(_("6 个月在岗"), null=True, blank=True)
    employed_12m = models.BooleanField(_("12 个月在岗"), null=True, blank=True)
    #: The code on the trainee's card (学员码): the trainer scans it to check in a trainee without a login.
    card_code = models.CharField(
        _("学员码"), max_length=32, unique=True, default=new_card_code, editable=False
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "talent"],
                condition=~models.Q(status__in=["withdrawn", "rejected"]),
                name="one_live_enrolment_per_cohort",
            )
        ]

    def __str__(self) -> str:
        return f"{self.talent} @ {self.cohort}"

    _BADGES = {
        "pending": "pending",
        "waitlisted": "queued",
        "enrolled": "active",
        "graduated": "completed",
        "withdrawn": "archived",
        "rejected": "rejected",
    }

    @property
    def badge_key(self) -> str:
        return self._BADGES.get(self.status, "draft")

    @property
    def stage_label(self) -> str:
        """Where the trainee is in the 订单培养 pipeline."""
        if self.employed_12m:
            return str(_("在岗满 12 个月"))
        if self.employed_6m:
            return str(_("在岗满 6 个月"))
        if self.hired_by_id:
            return str(_("已入职"))
        if self.offer_firm_id:
            return str(_("已发录用意向"))
        return self.get_status_display()


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    MANUAL = "manual", _("人工登记")
    CARD = "card", _("讲师扫学员码")


class Attendance(TimeStamped):
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("课次")
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("报名")
    )
    method = models.CharField(_("方式"), max_length=10, choices=AttendanceMethod.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    class Meta:
        ordering = ["session__starts_at", "pk"]
        verbose_name = _("出勤")
        verbose_name_plural = _("出勤")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="unique_attendance")]

    def __str__(self) -> str:
        return f"{self.enrolment.talent} · {self.session}"


class Assessment(TimeStamped):
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="assessment", verbose_name=_("报名")
    )
    theory_score = models.DecimalField(
        _("理论成绩"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(ZERO), MaxValueValidator(100)],
    )
    practical_score = models.DecimalField(
        _("实操成绩"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(ZERO), MaxValueValidator(100)],
    )
    passed = models.BooleanField(_("考核通过"))
    attendance_rate = models.DecimalField(_("出勤率"), max_digits=4, decimal_places=3)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("考核人")
    )

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = _("考核")

    def __str__(self) -> str:
        return f"{self.enrolment} {self.theory_score}/{self.practical_score}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def visible_to(self, user: object) -> CertificateQuerySet:
        return self.filter(enrolment__in=Enrolment.objects.visible_to(user))


class Certificate(TimeStamped):
    number = models.CharField(_("证书编号"), max_length=30, unique=True)
    year = models.PositiveSmallIntegerField(_("年份"))
    serial = models.PositiveIntegerField(_("序号"))
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("报名")
    )
    talent = models.ForeignKey(
        "talents.Talent",
        on_delete=models.PROTECT,
        related_name="academy_certificates",
        verbose_name=_("人才"),
    )
    holder_name = models.CharField(_("持证人"), max_length=50)
    occupation_level = models.ForeignKey(
        OccupationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("职业等级"),
    )
    skill = models.ForeignKey(
        "talents.Skill", on_delete=models.PROTECT, related_name="+", verbose_name=_("技能")
    )
    skill_level = models.PositiveSmallIntegerField(_("技能熟练程度"))
    issued_at = models.DateTimeField(_("发证时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发证人")
    )
    verify_code = models.CharField(_("核验码"), max_length=32, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )
    revoke_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "pk"]
        verbose_name = pgettext_lazy("模型名称", "证书")
        verbose_name_plural = _("证书")
        constraints = [models.UniqueConstraint(fields=["year", "serial"], name="unique_certificate_serial")]

    def __str__(self) -> str:
        return self.number

    @property
    def level_label(self) -> str:
        if self.occupation_level_id:
            return str(self.occupation_level)
        return f"{self.skill} · {self.skill_level}"


class OrderStatus(models.TextChoices):
    OPEN = "open", _("待学校接单")
    ACCEPTED = "accepted", _("培养中")
    CLOSED = "closed", _("已结束")


class TrainingOrderQuerySet(ArchivableQuerySet):
    def visible_to(self, user: object) -> TrainingOrderQuerySet:
        """Orders hold no personal data: open ones are shown to firms (to join) and schools (to accept);
        accepted ones only to the firms in them and the school that took them."""
        from jingxiang.academy.permissions import academy_org_ids, school_ids
        from jingxiang.organisations.permissions import is_operator, managed_firm_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        firms = managed_firm_ids(user)
        schools = school_ids(user) | academy_org_ids(user)
        own = models.Q(participants__firm_id__in=firms) | models.Q(school_id__in=schools)
        if firms or schools:
            own |= models.Q(status=OrderStatus.OPEN, archived_at__isnull=True)
        return self.filter(own).distinct()


class TrainingOrder(TimeStamped, Archivable):
    title = models.CharField(_("订单名称"), max_length=100)
    headcount = models.PositiveSmallIntegerField(_("培养人数"), validators=[MinValueValidator(1)])
    skills = models.ManyToManyField(
        "talents.Skill", related_name="training_orders", verbose_name=_("所需技能")
    )
    due_on = models.DateField(_("期望完成日期"))
    requirements = models.TextField(_("培养要求"), blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("下单人")
    )
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accepted_orders",
        verbose_name=_("承接学校"),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接单人"),
    )
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN, db_index=True
    )

    objects = TrainingOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("订单培养订单")
        verbose_name_plural = _("订单培养订单")

    def __str__(self) -> str:
        return self.title

    @property
    def badge_key(self) -> str:
        return {"open": "pending", "accepted": "active", "closed": "closed"}.get(self.status, "draft")

    @property
    def hires_committed(self) -> int:
        return sum(p.hires_committed for p in self.participants.all())


class OrderParticipant(TimeStamped):
    """A firm in an order and how many trainees it commits to hire."""

    order = models.ForeignKey(
        TrainingOrder, on_delete=models.PROTECT, related_name="participants", verbose_name=_("订单")
    )
    firm = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    hires_committed = models.PositiveSmallIntegerField(_("承诺录用人数"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("订单参与企业")
        verbose_name_plural = _("订单参与企业")
        constraints = [models.UniqueConstraint(fields=["order", "firm"], name="unique_order_firm")]

    def __str__(self) -> str:
        return f"{self.firm} · {self.order}"


class FeedbackRole(models.TextChoices):
    TRAINEE = "trainee", _("学员")
    TRAINER = "trainer", _("师资")


class Feedback(TimeStamped):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("班级")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("评价人")
    )
    role = models.CharField(_("身份"), max_length=10, choices=FeedbackRole.choices)
    rating = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1–5 分")
    )
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [models.UniqueConstraint(fields=["cohort", "author"], name="one_feedback_per_cohort")]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.rating}"


# Course materials and quizzes (issue 21) ----------------------------------------------------------


class MaterialKind(models.TextChoices):
    FILE = "file", _("文件")
    LINK = "link", _("链接")
    VIDEO = "video", _("视频链接")


class Material(TimeStamped, Archivable):
    """A file, link or video link for one session, seen by the cohort's trainees, trainers and staff."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="materials", verbose_name=_("课次")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=MaterialKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    file = models.FileField(_("文件"), upload_to="academy/materials/%Y/%m/", blank=True)
    file_type = models.CharField(_("文件格式"), max_length=10, blank=True)
    size = models.PositiveIntegerField(_("大小(字节)"), default=0)
    url = models.URLField(_("链接地址"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )

    class Meta:
        ordering = ["session__starts_at", "created_at", "pk"]
        verbose_name = _("课程资料")
        verbose_name_plural = _("课程资料")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "true_false", _("判断题")


class Question(TimeStamped, Archivable):
    """One question of a course's bank; ``answer`` holds the indexes of the correct options."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="questions", verbose_name=_("课程")
    )
    kind = models.CharField(_("题型"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("题目"))
    options = models.JSONField(_("选项"), default=list)
    answer = models.JSONField(_("正确答案"), default=list)
    topic = models.CharField(_("知识点"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("出题人")
    )

    class Meta:
        ordering = ["course", "pk"]
        verbose_name = _("题目")
        verbose_name_plural = _("题库")

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def answer_letters(self) -> str:
        return "".join(chr(ord("A") + index) for index in self.answer)


class Quiz(TimeStamped, Archivable):
    """An online quiz drawn from the course's bank: for the whole course or for one session's cohort."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="quizzes", verbose_name=_("课程")
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quizzes",
        verbose_name=_("课次"),
        help_text=_("留空则本课程各班学员都可参加"),
    )
    title = models.CharField(_("测验名称"), max_length=100)
    question_count = models.PositiveSmallIntegerField(
        _("抽题数量"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("及格分"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("百分制"),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("允许作答次数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    opens_at = models.DateTimeField(_("开放时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("在线测验")
        verbose_name_plural = _("在线测验")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="quiz_window")
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.opens_at <= moment < self.closes_at


class QuizAttempt(TimeStamped):
    """One sitting of a quiz: the drawn questions, the answers given and the automatic mark."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("测验"))
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="quiz_attempts", verbose_name=_("报名")
    )
    number = models.PositiveSmallIntegerField(_("第几次"))
    question_ids = models.JSONField(_("抽到的题目"), default=list)
    answers = models.JSONField(_("作答"), default=dict, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    correct = models.PositiveSmallIntegerField(_("答对题数"), default=0)
    total = models.PositiveSmallIntegerField(_("题目总数"), default=0)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("及格"), null=True, blank=True)

    class Meta:
        ordering = ["quiz", "enrolment", "number"]
        verbose_name = _("测验作答")
        verbose_name_plural = _("测验作答")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "enrolment", "number"], name="unique_quiz_attempt")
        ]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.enrolment.talent} #{self.number}"
