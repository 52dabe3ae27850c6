"""Talent profiles (experts, craftsmen, technicians, students) and the skills taxonomy."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import Archivable, ArchivableQuerySet, ChangeSignallingQuerySet, TimeStamped
from jingxiang.core.search import search_key, searchable_text
from jingxiang.identifiers import mask_mobile, mask_resident_id


class SkillDomain(models.Model):
    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("技能领域")
        verbose_name_plural = _("技能领域")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class Skill(models.Model):
    domain = models.ForeignKey(SkillDomain, on_delete=models.PROTECT, related_name="skills")
    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["domain__sort_order", "code"]
        verbose_name = _("技能")
        verbose_name_plural = _("技能")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class TalentKind(models.TextChoices):
    EXPERT = "expert", _("专家")
    CRAFTSMAN = "craftsman", _("工匠")
    TECHNICIAN = "technician", _("技术人员")
    STUDENT = "student", _("学生")


class Gender(models.TextChoices):
    FEMALE = "F", _("女")
    MALE = "M", _("男")


class TalentQuerySet(ArchivableQuerySet):
    def search(self, query: str) -> TalentQuerySet:
        needle = search_key(query)
        if not needle:
            return self
        return self.filter(search_text__contains=needle)

    def visible_to(self, user: object) -> TalentQuerySet:
        """Profiles are a directory for everyone acting for an approved organisation; talents see
        their own profile; archived ones only operators and the home organisation."""
        from jingxiang.organisations.permissions import is_approved_member, is_operator, organisation_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        from jingxiang.organisations.models import _has_talent_profile

        own = models.Q(user=user) | models.Q(home_organisation_id__in=organisation_ids(user))
        if is_approved_member(user) or _has_talent_profile(user):
            return self.filter(models.Q(archived_at__isnull=True) | own)
        return self.filter(own)


class Talent(TimeStamped, Archivable):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="talent"
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    kind = models.CharField(_("人才类别"), max_length=20, choices=TalentKind.choices, db_index=True)
    title = models.CharField(_("职称/职务"), max_length=50, blank=True)
    level = models.CharField(_("层级/荣誉"), max_length=50, blank=True, db_index=True)
    home_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talents",
        verbose_name=_("所在单位"),
    )
    region = models.CharField(_("区域"), max_length=50, blank=True, db_index=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    resident_id = models.CharField(_("身份证号"), max_length=18, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    description = models.TextField(_("简介"), blank=True)
    hourly_rate = models.DecimalField(
        _("服务费率(元/小时)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    monthly_hours = models.PositiveSmallIntegerField(
        _("每月可共享小时"), default=0, validators=[MaxValueValidator(400)]
    )
    shares_talent = models.BooleanField(_("参与互聘共享"), default=False, db_index=True)
    think_tank = models.BooleanField(_("共享人才智库成员"), default=False)
    skills = models.ManyToManyField(Skill, through="TalentSkill", related_name="talents")
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = TalentQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        # The directory's default order: lets a page be read from the index instead of sorting every row.
        indexes = [models.Index(fields=["name", "id"], name="talent_name_order")]
        verbose_name = _("人才")
        verbose_name_plural = _("人才")
        constraints = [
            models.UniqueConstraint(
                fields=["resident_id"], condition=~models.Q(resident_id=""), name="unique_talent_resident_id"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_search_text(self) -> None:
        self.search_text = searchable_text(self.name, self.title, self.level)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def masked_resident_id(self) -> str:
        return mask_resident_id(self.resident_id)

    @property
    def is_independent(self) -> bool:
        return self.home_organisation_id is None


class TalentSkill(models.Model):
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="talent_skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="talent_skills")
    level = models.PositiveSmallIntegerField(
        _("熟练程度"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    source = models.CharField(_("来源"), max_length=50, blank=True, help_text=_("如:自填、证书编号"))

    objects = ChangeSignallingQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才技能")
        verbose_name_plural = _("人才技能")
        constraints = [models.UniqueConstraint(fields=["talent", "skill"], name="unique_talent_skill")]

    def __str__(self) -> str:
        return f"{self.talent} · {self.skill} ({self.level})"
