"""Login accounts. Who a person *is* in the cluster (talent profile, memberships) lives elsewhere.

Besides the user this app keeps what proves a person holds a mobile number or mailbox: one-time codes
(stored only as password hashes), an append-only log of what happened to them, and the invitations
that let a talent already on the platform take a login.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.models import TimeStamped
from jingxiang.identifiers import mask_mobile


class User(AbstractUser):
    """A login. People sign in with their mobile number or their username."""

    mobile = models.CharField(_("手机号"), max_length=11, unique=True, null=True, blank=True)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # The values a one-time code proved, not a flag: when an operator changes the mobile or e-mail the
    # new value is unverified without anyone having to remember to clear a flag.
    verified_mobile = models.CharField(_("已验证的手机号"), max_length=11, blank=True, editable=False)
    verified_email = models.EmailField(_("已验证的电子邮箱"), blank=True, editable=False)
    # What the platform writes to this person later (e-mails, notifications) is rendered in this
    # language; set by the language switch.
    language = models.CharField(
        _("界面语言"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects: ClassVar[UserManager[Self]] = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile or "")

    @property
    def has_verified_mobile(self) -> bool:
        return bool(self.mobile) and self.verified_mobile == self.mobile

    @property
    def has_verified_email(self) -> bool:
        return bool(self.email) and self.verified_email.lower() == self.email.lower()


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class CodePurpose(models.TextChoices):
    """What a code is for; a code issued for one purpose never verifies another.

    Other apps add their own purposes as plain strings (e.g. a campus registration); these are the
    ones this app issues.
    """

    TALENT_CLAIM = "talent_claim", _("认领人才档案、开通账号")
    PASSWORD_RESET = "password_reset", _("找回密码")
    CONTACT_VERIFY = "contact_verify", _("验证手机号或邮箱")


class OneTimeCodeQuerySet(models.QuerySet["OneTimeCode"]):
    def live(self) -> OneTimeCodeQuerySet:
        """Codes that may still be entered: not used, not replaced or locked, not expired."""
        return self.filter(used_at__isnull=True, invalidated_at__isnull=True, expires_at__gt=timezone.now())


class OneTimeCode(models.Model):
    """A short code sent to a mobile number or mailbox, kept as a password hash and never in clear.

    The destination is stored as a keyed digest (for lookups and rate limits) and masked (for people
    reading the log), so the table holds no phone numbers.
    """

    purpose = models.CharField(_("用途"), max_length=40, db_index=True)
    channel = models.CharField(_("发送方式"), max_length=10, choices=Channel.choices)
    destination_digest = models.CharField(max_length=64, db_index=True, editable=False)
    destination_masked = models.CharField(_("发送至"), max_length=120)
    code_hash = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True, editable=False)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("最多尝试次数"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("请求来源 IP"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )

    objects = OneTimeCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("一次性验证码")
        verbose_name_plural = _("一次性验证码")
        indexes = [models.Index(fields=["purpose", "destination_digest", "created_at"], name="otp_lookup")]

    def __str__(self) -> str:
        return f"{self.purpose} · {self.destination_masked}"

    @property
    def attempts_left(self) -> int:
        return max(self.max_attempts - self.attempts, 0)


class SecurityEventKind(models.TextChoices):
    CODE_REQUESTED = "code_requested", _("申请验证码")
    CODE_SENT = "code_sent", _("已发送验证码")
    CODE_SEND_FAILED = "code_send_failed", _("验证码发送失败")
    CODE_THROTTLED = "code_throttled", _("验证码请求过于频繁,已拒绝")
    CODE_VERIFIED = "code_verified", _("验证码校验通过")
    CODE_FAILED = "code_failed", _("验证码校验失败")
    CODE_LOCKED = "code_locked", _("验证码错误次数过多,已作废")
    PASSWORD_RESET = "password_reset", _("通过验证码重设密码")
    CONTACT_VERIFIED = "contact_verified", _("手机号或邮箱已验证")
    LOGIN_INVITED = "login_invited", _("邀请人才开通账号")
    LOGIN_CLAIMED = "login_claimed", _("人才认领档案并开通账号")


class SecurityEvent(models.Model):
    """Append-only record of what happened to codes and accounts (nothing here is ever edited).

    django-auditlog records field changes; these are events without a field to change (a refused
    request, a wrong code), which is what someone investigating an account takeover needs to see.
    """

    kind = models.CharField(_("事件"), max_length=30, choices=SecurityEventKind.choices, db_index=True)
    purpose = models.CharField(_("用途"), max_length=40, blank=True)
    destination_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    destination_masked = models.CharField(_("手机号或邮箱"), max_length=120, blank=True)
    code = models.ForeignKey(
        OneTimeCode, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="security_events",
        verbose_name=_("账号"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    ip_address = models.GenericIPAddressField(_("来源 IP"), null=True, blank=True, db_index=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("账号安全事件")
        verbose_name_plural = _("账号安全事件")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.destination_masked}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("待认领")
    CLAIMED = "claimed", _("已认领")
    REVOKED = "revoked", _("已作废")


_CLAIM_SALT = "jingxiang.accounts.claim"


class LoginInvitation(TimeStamped):
    """An invitation for a talent already on the platform to take a login and claim the profile.

    The link carries a signed token naming the invitation and its random nonce; the link alone does
    not open the account: the person must also enter the code sent to the talent's own mobile or
    mailbox, so whoever forwards the link (the inviter) cannot claim the profile themselves.
    """

    talent = models.ForeignKey(
        "talents.Talent", on_delete=models.PROTECT, related_name="login_invitations", verbose_name=_("人才")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("邀请人")
    )
    channel = models.CharField(_("验证码发送方式"), max_length=10, choices=Channel.choices)
    destination_masked = models.CharField(_("发送至"), max_length=120)
    nonce = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    expires_at = models.DateTimeField(_("有效期至"))
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("开通的账号"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("开通账号邀请")
        verbose_name_plural = _("开通账号邀请")

    def __str__(self) -> str:
        return f"{self.talent} · {self.get_status_display()}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def token(self) -> str:
        """The signed token in the link; deterministic, so the inviter can be shown the link again."""
        return signing.Signer(salt=_CLAIM_SALT).sign_object({"i": self.pk, "n": self.nonce})

    @classmethod
    def from_token(cls, token: str) -> LoginInvitation | None:
        """The invitation a token names, or None for a forged, altered or unknown token."""
        try:
            payload: Any = signing.Signer(salt=_CLAIM_SALT).unsign_object(token)
        except (signing.BadSignature, ValueError, TypeError):
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
            return None
        return (
            cls.objects.select_related("talent__home_organisation", "invited_by")
            .filter(pk=payload["i"], nonce=str(payload.get("n", "")))
            .first()
        )


class ConsentSource(models.TextChoices):
    REGISTRATION = "registration", _("注册时")
    LOGIN = "login", _("登录时")
    CLAIM = "claim", _("开通账号时")


class PrivacyConsent(models.Model):
    """One person's agreement to one version of the privacy policy (``accounts/privacy.yaml``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="privacy_consents",
        verbose_name=_("用户"),
    )
    version = models.CharField(_("政策版本"), max_length=20)
    consented_at = models.DateTimeField(_("同意时间"), default=timezone.now)
    source = models.CharField(_("同意场景"), max_length=20, choices=ConsentSource.choices)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        ordering = ["-consented_at", "pk"]
        verbose_name = _("隐私政策同意记录")
        verbose_name_plural = _("隐私政策同意记录")
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="one_consent_per_version")]

    def __str__(self) -> str:
        return f"{self.user} · {self.version}"
