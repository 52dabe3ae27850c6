"""Conversations: one thread per subject (an invitation, a proposal, a request…), between its parties.

A thread names its subject by the registered kind (``registry``) and the subject's primary key; the
parties are copied onto the thread (``ThreadParty``) when someone writes, so "my conversations" is one
query without loading every subject. Messages are never deleted: a withdrawn message keeps its row and
shows "消息已撤回".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ThreadQuerySet(models.QuerySet["Thread"]):
    def visible_to(self, user: Any) -> ThreadQuerySet:
        """Threads where the user is one of the parties (in person, for an organisation, or as the station).

        Operators' reading rights on others' threads are a per-kind rule checked on the subject page,
        not a listing: "my conversations" lists only the user's own.
        """
        from jingxiang.conversations.registry import role_pairs
        from jingxiang.organisations.permissions import is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        condition = Q(user_id=user.pk)
        for organisation_id, role in role_pairs(user):
            condition |= Q(organisation_id=organisation_id, roles__contains=f",{role},")
        if is_operator(user):
            condition |= Q(operators=True)
        return self.filter(pk__in=ThreadParty.objects.filter(condition).values("thread_id"))


class Thread(models.Model):
    kind = models.CharField(_("类别"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    title = models.CharField(_("主题"), max_length=200)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_message_at = models.DateTimeField(_("最后消息时间"), null=True, blank=True, db_index=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("对话")
        verbose_name_plural = _("对话")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="unique_thread_subject")]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        from jingxiang.conversations.registry import kind_or_none

        kind = kind_or_none(self.kind)
        return str(kind.label) if kind is not None else self.kind


class ThreadParty(models.Model):
    """One side of a thread: a person, the people of an organisation with given roles, or the station."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="parties")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("名称"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The roles that act for the organisation, written ",org_admin,talent_officer," for a plain lookup.
    roles = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    operators = models.BooleanField(default=False)

    class Meta:
        ordering = ["thread", "position"]
        verbose_name = _("对话方")
        verbose_name_plural = _("对话方")

    def __str__(self) -> str:
        return self.label


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_side = models.CharField(_("代表"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("对话消息")
        verbose_name_plural = _("对话消息")

    def __str__(self) -> str:
        return f"{self.thread} · {self.author_side}"

    @property
    def side_label(self) -> str:
        """The side the author wrote for; the station's name in the reader's language."""
        from jingxiang.conversations.registry import STATION
        from jingxiang.core.texts import msgid_of

        return str(STATION) if self.author_side == msgid_of(STATION) else self.author_side

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="conversations/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小(字节)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("对话附件")
        verbose_name_plural = _("对话附件")

    def __str__(self) -> str:
        return self.name


class ReadMark(models.Model):
    """How far one participant has read a thread: messages after ``last_read_id`` are unread for them."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="read_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("已读标记")
        verbose_name_plural = _("已读标记")
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="unique_read_mark")]

    def __str__(self) -> str:
        return f"{self.thread_id}:{self.user_id}@{self.last_read_id}"
