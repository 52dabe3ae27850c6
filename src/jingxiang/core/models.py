"""Cross-cutting records: notifications and the log of personal-data reveals."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.signals import rows_changed


class ChangeSignallingQuerySet(models.QuerySet):
    """Reports bulk writes through ``core.signals.rows_changed`` (Django's post_save does not see them)."""

    def update(self, **kwargs: Any) -> int:
        count = super().update(**kwargs)
        if count:
            rows_changed.send(sender=self.model, fields=frozenset(kwargs))
        return count

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            rows_changed.send(sender=self.model, fields=None)
        return created


class ArchivableQuerySet(ChangeSignallingQuerySet):
    def active(self) -> ArchivableQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> ArchivableQuerySet:
        return self.filter(archived_at__isnull=False)


class Archivable(models.Model):
    """Business records are archived, never hard-deleted by users: history and references must survive."""

    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True, archived_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one user; e-mail is sent alongside when the user has an address."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    kind = models.CharField(_("类别"), max_length=50, blank=True, db_index=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return self.title


class PersonalDataAccess(models.Model):
    """One reveal of a full personal value (PIPL): who saw which field of whom, when, from where."""

    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="personal_data_accesses"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    field_name = models.CharField(_("字段"), max_length=50)
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    accessed_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")

    def __str__(self) -> str:
        return f"{self.accessed_by} → {self.content_type.model}:{self.object_id}.{self.field_name}"
