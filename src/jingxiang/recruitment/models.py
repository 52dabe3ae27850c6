"""校园招聘 and 人才引进: joint campus recruitment fairs, jobs, students, applications and interview slots."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingxiang.academy.models import Ladder
from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped
from jingxiang.identifiers import mask_mobile, mask_name, mask_resident_id


class FairStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("已结束")


class Degree(models.TextChoices):
    SECONDARY = "secondary", _("中专/技校")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")


#: Degree order for "at least a master's degree" (高层次人才 counts from the records).
DEGREE_RANK = {d.value: i for i, d in enumerate(Degree)}


class TalentTier(models.TextChoices):
    """Taizhou's high-level talent catalogue by name (policy-rules.md §6.1); tier 4 is not confirmed."""

    NONE = "", _("未认定")
    TOP = "top", _("顶尖人才")
    LEADING = "leading", _("领军人才")
    HIGH_END = "high_end", _("高端人才")
    SPECIAL = "special", _("特优人才(第四类,名称待确认)")
    SENIOR = "senior", _("高级人才")


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("已投递")
    SCREENED = "screened", _("已筛选")
    INTERVIEW = "interview", _("面试")
    OFFER = "offer", _("已发录用通知")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")
    HIRED = "hired", _("已入职")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    OFFER_REVOKED = "revoked", _("录用通知已撤销")


#: Statuses whose offer counts against the job's headcount.
HOLDS_PLACE = (ApplicationStatus.OFFER, ApplicationStatus.ACCEPTED, ApplicationStatus.HIRED)


class FairQuerySet(ArchivableQuerySet):
    def visible_to(self, user: object) -> FairQuerySet:
        """Operators see every fair; people acting for an approved organisation see fairs past preparation."""
        from jingxiang.organisations.permissions import is_approved_member, is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        if is_approved_member(user):
            return self.filter(archived_at__isnull=True).exclude(status=FairStatus.DRAFT)
        return self.none()


class Fair(TimeStamped, Archivable):
    title = models.CharField(_("名称"), max_length=100)
    university = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="recruitment_fairs",
        verbose_name=_("高校"),
    )
    fair_date = models.DateField(_("日期"))
    venue = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("简介"), blank=True)
    booths = models.PositiveSmallIntegerField(_("展位数"), validators=[MinValueValidator(1)])
    interviews_from = models.TimeField(_("面试开始"))
    interviews_until = models.TimeField(_("面试结束"))
    slot_minutes = models.PositiveSmallIntegerField(_("每场面试分钟数"), default=20)
    region = models.CharField(_("工作地区(工资标准)"), max_length=50, default="临海市")
    status = models.CharField(
        _("状态"), max_length=10, choices=FairStatus.choices, default=FairStatus.DRAFT, db_index=True
    )
    public_code = models.CharField(_("公开码"), max_length=24, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    objects = FairQuerySet.as_manager()

    class Meta:
        ordering = ["-fair_date", "-pk"]
        verbose_name = _("校园招聘会")
        verbose_name_plural = _("校园招聘会")

    def __str__(self) -> str:
        return self.title

    @property
    def tone_key(self) -> str:
        return "active" if self.status == FairStatus.OPEN else str(self.status)


class FairFirmStatus(models.TextChoices):
    INVITED = "invited", _("已邀请")
    JOINED = "joined", _("已报名")


class FairFirm(TimeStamped):
    """A firm invited to a fair; once it signs up it gets a booth and may post jobs."""

    fair = models.ForeignKey(Fair, on_delete=models.PROTECT, related_name="firms", verbose_name=_("招聘会"))
    firm = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=FairFirmStatus.choices, default=FairFirmStatus.INVITED
    )
    booth = models.PositiveSmallIntegerField(_("展位号"), null=True, blank=True)

    class Meta:
        ordering = ["booth", "pk"]
        verbose_name = _("参会企业")
        verbose_name_plural = _("参会企业")
        constraints = [
            models.UniqueConstraint(fields=["fair", "firm"], name="recruit_unique_fair_firm"),
            models.UniqueConstraint(fields=["fair", "booth"], name="recruit_unique_booth"),
        ]

    def __str__(self) -> str:
        return f"{self.firm} · {self.fair}"


class Job(TimeStamped, Archivable):
    fair_firm = models.ForeignKey(
        FairFirm, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("参会企业")
    )
    post = models.CharField(_("岗位"), max_length=50)
    skill_level = models.CharField(_("技能等级"), max_length=30, choices=Ladder.choices)
    degree = models.CharField(_("学历要求"), max_length=10, choices=Degree.choices)
    headcount = models.PositiveSmallIntegerField(_("招聘人数"), validators=[MinValueValidator(1)])
    salary_min = models.DecimalField(_("月薪下限(元)"), max_digits=9, decimal_places=2)
    salary_max = models.DecimalField(_("月薪上限(元)"), max_digits=9, decimal_places=2)
    location = models.CharField(_("工作地点"), max_length=100)
    description = models.TextField(_("岗位描述"), blank=True)
    wage_floor = models.DecimalField(_("工资标准"), max_digits=9, decimal_places=2, default=0)
    wage_basis = models.CharField(_("工资标准依据"), max_length=200, blank=True)
    below_norm = models.BooleanField(_("低于工资标准"), default=False)

    class Meta:
        ordering = ["fair_firm__booth", "pk"]
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")

    def __str__(self) -> str:
        return f"{self.post} · {self.fair_firm.firm}"


class Student(TimeStamped):
    """A student who registered on a fair page with a mobile number and a one-time code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recruit_student"
    )
    name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=11, unique=True)
    resident_id = models.CharField(_("身份证号"), max_length=18, blank=True)
    school = models.CharField(_("学校"), max_length=100)
    major = models.CharField(_("专业"), max_length=100, blank=True)
    degree = models.CharField(_("学历"), max_length=10, choices=Degree.choices)
    graduation_year = models.PositiveSmallIntegerField(_("毕业年份"))
    cv = models.FileField(_("简历"), upload_to="recruitment/cv/%Y/", blank=True)
    order_enrolment = models.ForeignKey(
        "academy.Enrolment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("订单培养学员"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("学生")
        verbose_name_plural = _("学生")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def masked_resident_id(self) -> str:
        return mask_resident_id(self.resident_id) if self.resident_id else ""

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def is_order_student(self) -> bool:
        return self.order_enrolment_id is not None


class ClassTime(models.Model):
    """A class the student must attend on a fair day: no interview is scheduled then."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="classes")
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("上课开始"))
    ends_at = models.DateTimeField(_("上课结束"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("课程时间")
        verbose_name_plural = _("课程时间")

    def __str__(self) -> str:
        return f"{self.student} · {self.starts_at:%H:%M}"


class InterviewSlot(models.Model):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("面试时段")
        verbose_name_plural = _("面试时段")
        constraints = [models.UniqueConstraint(fields=["fair", "starts_at"], name="recruit_unique_slot")]

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{timezone.localtime(self.starts_at):%H:%M}–{timezone.localtime(self.ends_at):%H:%M}"


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user: object) -> ApplicationQuerySet:
        """Operators see all; a firm's managers only applications to their own firm's jobs; a student their own."""
        from jingxiang.organisations.permissions import is_operator, managed_firm_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        own = models.Q(student__user=user)
        firms = managed_firm_ids(user)
        if firms:
            own |= models.Q(job__fair_firm__firm_id__in=firms)
        return self.filter(own)


class Application(TimeStamped):
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="applications", verbose_name=_("学生")
    )
    job = models.ForeignKey(
        Job, on_delete=models.PROTECT, related_name="applications", verbose_name=_("岗位")
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
        db_index=True,
    )
    note = models.TextField(_("备注"), blank=True)
    reject_reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    slot = models.ForeignKey(
        InterviewSlot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
        verbose_name=_("面试时段"),
    )
    offer_salary = models.DecimalField(
        _("录用月薪(元)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    offer_number = models.CharField(_("录用通知编号"), max_length=20, blank=True)
    offer_code = models.CharField(_("验证码"), max_length=24, blank=True, db_index=True)
    offered_at = models.DateTimeField(_("发出录用通知"), null=True, blank=True)
    decided_at = models.DateTimeField(_("学生答复时间"), null=True, blank=True)
    offer_revoked_at = models.DateTimeField(_("撤销录用通知时间"), null=True, blank=True)
    offer_revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)
    talent = models.ForeignKey(
        "talents.Talent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("人才"),
    )
    talent_tier = models.CharField(
        _("台州人才层次"), max_length=10, choices=TalentTier.choices, blank=True, default=""
    )
    high_level = models.BooleanField(_("高层次人才"), default=False)
    retention_6m_reminded = models.DateField(_("6 个月回访提醒"), null=True, blank=True)
    retention_12m_reminded = models.DateField(_("12 个月回访提醒"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("求职申请")
        verbose_name_plural = _("求职申请")
        constraints = [
            models.UniqueConstraint(fields=["student", "job"], name="recruit_one_application_per_job"),
            # One student cannot be in two interviews at once; a firm's booth neither (checked in services).
            models.UniqueConstraint(
                fields=["student", "slot"],
                condition=models.Q(slot__isnull=False),
                name="recruit_student_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.job}"

    @property
    def tone_key(self) -> str:
        return {
            "hired": "approved",
            "accepted": "active",
            "offer": "pending",
            "rejected": "rejected",
            "declined": "closed",
            "withdrawn": "closed",
            "revoked": "rejected",
        }.get(self.status, "draft")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ScheduleRun(TimeStamped):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    scheduled = models.PositiveIntegerField(default=0)
    unscheduled = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
