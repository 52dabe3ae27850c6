"""What conversations tell people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

NEW_MESSAGE = message(
    "conversations.new_message", gettext_lazy("%(author)s 在对话“%(subject)s”中给您发了消息")
)
