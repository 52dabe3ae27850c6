"""Reads of conversations: my threads with unread counts, a thread's messages, a page's panel."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from jingxiang.conversations.models import Message, ReadMark, Thread
from jingxiang.conversations.permissions import Conversation, conversation_of
from jingxiang.conversations.registry import host_of, kind, kind_of, role_pairs


def with_unread(queryset: QuerySet[Thread], user: Any) -> QuerySet[Thread]:
    """Annotate ``unread``: messages by others after the user's read mark (withdrawn ones do not count)."""
    last_read = ReadMark.objects.filter(thread=OuterRef("pk"), user=user).values("last_read_id")[:1]
    unread = (
        Message.objects.filter(thread=OuterRef("pk"), pk__gt=OuterRef("last_read"), withdrawn_at__isnull=True)
        .exclude(author=user)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        last_read=Coalesce(Subquery(last_read, output_field=IntegerField()), Value(0)),
    ).annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))


def inbox(user: Any) -> QuerySet[Thread]:
    """The user's own threads (as a party), newest first, with unread counts and the parties."""
    return with_unread(Thread.objects.visible_to(user).filter(last_message_at__isnull=False), user)


def counterparts(thread: Thread, user: Any) -> str:
    """The other parties' names, from the parties copied onto the thread (prefetched)."""
    pairs = role_pairs(user)
    names = []
    for party in thread.parties.all():
        roles = [r for r in party.roles.split(",") if r]
        mine = party.user_id == user.pk or any((party.organisation_id, r) in pairs for r in roles)
        if not mine and not (party.operators and _is_operator(user)):
            names.append(gettext(party.label) if party.operators else party.label)
    return "、".join(names)


def _is_operator(user: Any) -> bool:
    from jingxiang.organisations.permissions import is_operator

    return is_operator(user)


def messages_of(thread: Thread | None) -> list[Message]:
    if thread is None:
        return []
    return list(thread.messages.select_related("author").prefetch_related("attachments"))


def unread_for(user: Any, conversation: Conversation) -> int:
    thread = conversation.thread
    if thread is None or conversation.side is None:
        return 0
    mark = (
        ReadMark.objects.filter(thread=thread, user=user).values_list("last_read_id", flat=True).first() or 0
    )
    return thread.messages.filter(pk__gt=mark, withdrawn_at__isnull=True).exclude(author=user).count()


def related_conversations(user: Any, host_object: Any) -> list[dict[str, Any]]:
    """The conversations on a page's sub-subjects that the user may read, with unread counts."""
    host = host_of(host_object)
    if host is None:
        return []
    rows = []
    for key, subject in host.related(host_object):
        conversation = conversation_of(user, kind(key), subject, with_thread=False)  # fetched below, at once
        if conversation is not None:
            rows.append(conversation)
    if not rows:
        return []
    condition = Q(pk__in=[])
    for c in rows:
        condition |= Q(kind=c.key, object_id=c.pk)
    threads = {(t.kind, t.object_id): t for t in with_unread(Thread.objects.filter(condition), user)}
    result = []
    for c in rows:
        thread = threads.get((c.key, c.pk))
        c.thread = thread
        result.append(
            {
                "conversation": c,
                "unread": getattr(thread, "unread", 0) if c.side is not None else 0,
            }
        )
    return result


def panel_for(user: Any, subject: Any) -> dict[str, Any]:
    """What the panel include shows for a subject: its own conversation, or its sub-subjects' list."""
    subject_kind = kind_of(subject)
    conversation = conversation_of(user, subject_kind, subject) if subject_kind is not None else None
    if host_of(subject) is not None:
        return {"related": related_conversations(user, subject), "conversation": None}
    return {
        "conversation": conversation,
        "related": [],
        "messages": messages_of(conversation.thread) if conversation else [],
    }
