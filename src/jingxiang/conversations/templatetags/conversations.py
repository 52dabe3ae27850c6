"""``{% conversation_panel subject %}``: the conversation of a subject, on another app's detail page."""

from __future__ import annotations

from typing import Any

from django import template

from jingxiang.conversations import forms, selectors
from jingxiang.conversations.registry import host_of, kind_of
from jingxiang.conversations.rules import read_rule

register = template.Library()


@register.inclusion_tag("conversations/_subject.html", takes_context=True)
def conversation_panel(context: template.Context, subject: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or subject is None or (kind_of(subject) is None and host_of(subject) is None):
        return {"show": False}
    panel = selectors.panel_for(user, subject)
    conversation = panel["conversation"]
    return {
        "show": bool(panel["related"]) or conversation is not None,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "related": panel["related"],
        "conversation": conversation,
        "messages_list": panel.get("messages", []),
        "form": forms.MessageForm(),
        "reading_rule": read_rule(conversation.key) if conversation and conversation.side is None else None,
        "next": request.get_full_path() if request is not None else "",
        "unread": selectors.unread_for(user, conversation) if conversation else 0,
    }


@register.simple_tag(takes_context=True)
def counterparts(context: template.Context, thread: Any) -> str:
    request = context.get("request")
    return selectors.counterparts(thread, getattr(request, "user", None))
