from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "jingxiang.conversations"
    verbose_name = _("对话")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.conversations.models import Attachment, Message, Thread
        from jingxiang.conversations.subjects import register_existing_apps
        from jingxiang.core import navigation
        from jingxiang.core.navigation import NavItem

        def register(model: Any, *extra: str) -> None:
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=[*reverse, *extra])

        # Read marks and the copied parties are indexes, not business data: not audited.
        register(Thread, "last_message_at")
        register(Message)
        register(Attachment)
        register_existing_apps()
        navigation.register(
            NavItem(_("我的对话"), "conversations:inbox", _("常用"), order=9, icon="chat"),
        )
