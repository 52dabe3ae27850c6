"""Login accounts. Who a person *is* in the cluster (talent profile, memberships) lives elsewhere."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingxiang.identifiers import mask_mobile


class User(AbstractUser):
    """A login. People sign in with their mobile number or their username."""

    mobile = models.CharField(_("手机号"), max_length=11, unique=True, null=True, blank=True)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # What the platform writes to this person later (e-mails, notifications) is rendered in this
    # language; set by the language switch.
    language = models.CharField(
        _("界面语言"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile or "")
