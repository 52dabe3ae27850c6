"""Organisations of the cluster and people's roles in them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import Archivable, ArchivableQuerySet, TimeStamped
from jingxiang.core.search import search_key, searchable_text
from jingxiang.identifiers import mask_mobile

if TYPE_CHECKING:  # talents imports this module: the model is looked up at run time
    from jingxiang.talents.models import Talent


class OrganisationKind(models.TextChoices):
    FIRM = "firm", _("企业")
    UNIVERSITY = "university", _("高校/科研院所")
    TESTING_LAB = "testing_lab", _("检测机构")
    SERVICE_AGENCY = "service_agency", _("服务机构")
    GOVERNMENT = "government", _("政府/园区运营方")
    UNION = "union", _("工会")
    ASSOCIATION = "association", _("行业协会/联盟秘书处")


class OrganisationSize(models.TextChoices):
    MICRO = "micro", _("微型")
    SMALL = "small", _("小型")
    MEDIUM = "medium", _("中型")
    LARGE = "large", _("大型")


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已入驻")
    REJECTED = "rejected", _("未通过")


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("机构管理员")
    MEMBER = "member", _("成员")
    TALENT_OFFICER = "talent_officer", _("共享人才官")
    LAB_STAFF = "lab_staff", _("检测人员")
    OPERATOR = "operator", _("平台运营")
    UNION_STAFF = "union_staff", _("工会工作人员")


_OWN_TALENT_ATTR = "_jingxiang_own_talent"


def own_talent_profile(user: Any) -> Talent | None:
    """The user's own (unarchived) Talent with its home organisation, or None; one query per request.

    Menus and permission checks of several apps ask for it on every page (academy, demands, events,
    sharing), so it is read once and kept on the user object (``forget_roles`` drops it).
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _OWN_TALENT_ATTR):
        talent = (
            apps.get_model("talents", "Talent")
            .objects.filter(user=user, archived_at__isnull=True)
            .select_related("home_organisation")
            .order_by("pk")
            .first()
        )
        setattr(user, _OWN_TALENT_ATTR, talent)
    profile: Talent | None = getattr(user, _OWN_TALENT_ATTR)
    return profile


def _has_talent_profile(user: object) -> bool:
    """Experts with a login but no organisation role still use the directories."""
    return own_talent_profile(user) is not None


class OrganisationQuerySet(ArchivableQuerySet):
    def approved(self) -> OrganisationQuerySet:
        return self.filter(status=OrganisationStatus.APPROVED, archived_at__isnull=True)

    def firms(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.FIRM)

    def search(self, query: str) -> OrganisationQuerySet:
        """Match name, pinyin or initials ("kangbo" and "kb" both find 康波)."""
        needle = search_key(query)
        if not needle:
            return self
        return self.filter(search_text__contains=needle)

    def visible_to(self, user: object) -> OrganisationQuerySet:
        """Approved organisations are the public directory; pending and rejected ones are seen by
        operators and by their own members only."""
        from jingxiang.organisations.permissions import is_approved_member, is_operator, organisation_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        own = models.Q(pk__in=organisation_ids(user))
        if is_approved_member(user) or _has_talent_profile(user):
            return self.filter(models.Q(status=OrganisationStatus.APPROVED, archived_at__isnull=True) | own)
        return self.filter(own)


class Organisation(TimeStamped, Archivable):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationKind.choices, db_index=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    region = models.CharField(_("区域"), max_length=50, blank=True, db_index=True)
    size = models.CharField(_("规模"), max_length=10, choices=OrganisationSize.choices, blank=True)
    employee_count = models.PositiveIntegerField(_("员工人数"), null=True, blank=True)
    main_products = models.CharField(_("主营产品"), max_length=200, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("成立年份"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("联系电话"), max_length=11, blank=True)
    is_alliance_member = models.BooleanField(_("创新联盟成员"), default=False)
    status = models.CharField(
        _("入驻状态"),
        max_length=10,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.PENDING,
        db_index=True,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="firm") | models.Q(uscc__isnull=False),
                name="firm_has_uscc",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_search_text(self) -> None:
        self.search_text = searchable_text(self.name, self.short_name)

    @property
    def masked_contact_mobile(self) -> str:
        return mask_mobile(self.contact_mobile)

    @property
    def is_firm(self) -> bool:
        return self.kind == OrganisationKind.FIRM


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)


class Membership(TimeStamped):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("成员身份")
        verbose_name_plural = _("成员身份")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"
