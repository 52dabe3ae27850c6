from typing import Any

from django.contrib import admin

from jingxiang.conversations.models import Attachment, Message, Thread


class ReadOnly(admin.ModelAdmin[Any]):
    """Conversations are read in the admin, never edited or deleted there."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Thread)
class ThreadAdmin(ReadOnly):
    list_display = ("title", "kind", "object_id", "last_message_at")
    list_filter = ("kind",)


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = ("thread", "author_side", "created_at", "withdrawn_at")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnly):
    list_display = ("name", "size", "message")
