"""Cross-cutting records: notifications, the e-mail outbox and the log of personal-data reveals."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.signals import rows_changed
from jingxiang.core.texts import Text


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
    """An in-app message to one user, kept as a message id with parameters (``core.texts``) and rendered
    in the reader's language when shown; e-mail goes out through the outbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("消息"), max_length=100)
    params = models.JSONField(_("参数"), default=dict, blank=True)
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

    @property
    def text(self) -> Text:
        return Text(self.message, self.params)

    @property
    def title(self) -> str:
        """The title in the active language (the reader's, on a page)."""
        return self.text.title

    @property
    def body(self) -> str:
        return self.text.body


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboxMessage(models.Model):
    """One e-mail waiting to be sent by the task queue, never from inside a request.

    Written in the same transaction as what it announces, so a rolled-back action sends nothing; a
    sender claims rows with a conditional UPDATE (``core.services.outbox_deliver``), renders them in the
    recipient's language at that moment, and retries with backoff until it gives up with the error.
    """

    #: Empty for mail to someone without a login (a fair's buyer who registered by e-mail): ``language``
    #: then says which language it is written in.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="mails"
    )
    to_address = models.EmailField(_("收件地址"))
    language = models.CharField(_("语言"), max_length=10, blank=True)
    message = models.CharField(_("消息"), max_length=100)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_outbox_due")]
        verbose_name = _("待发邮件")
        verbose_name_plural = _("待发邮件")

    def __str__(self) -> str:
        return f"{self.to_address} · {self.message}"

    @property
    def text(self) -> Text:
        return Text(self.message, self.params)


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


class NumberSequence(models.Model):
    """The last number taken in one numbering series (a scope such as a lab's reports) for one year.

    Taken under a row lock inside the caller's transaction (``core.numbering.next_number``): a rolled-back
    registration gives its number back, so yearly series stay gap-free.
    """

    scope = models.CharField(_("编号序列"), max_length=60)
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        constraints = [models.UniqueConstraint(fields=["scope", "year"], name="core_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.scope}/{self.year}={self.value}"


class TimeRuleOverride(models.Model):
    """An operator's audited exception to a time rule (back-dating a record, with the reason)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    rule = models.CharField(_("规则"), max_length=80)
    field_name = models.CharField(_("字段"), max_length=80)
    value = models.CharField(_("填写的时间"), max_length=40)
    reason = models.TextField(_("原因"))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("时间规则例外")
        verbose_name_plural = _("时间规则例外")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.rule}: {self.field_name}={self.value}"


class SearchEntry(models.Model):
    """The pinyin and initials of one record's titles, so "kbjs" finds 康波技术 in any app.

    Kept up to date by ``core.search`` when a registered record is saved; ``manage.py search_reindex``
    rebuilds it (after an import that bypassed ``save()``, or on a database that predates the index).
    One table instead of a column per model: apps register what is searchable without a migration.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    keys = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("搜索索引")
        verbose_name_plural = _("搜索索引")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="unique_search_entry")
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"
