"""Who may read and write a conversation; default deny, "not found" and "forbidden" both 404.

The parties of the subject read and write. Operators read (never write) only the kinds whose rule in
``rules.yaml`` says so. Nobody else: not another firm, not a colleague without the acting role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from jingxiang.conversations.models import Attachment, Message, Thread
from jingxiang.conversations.registry import Side, SubjectKind, kind, kind_of
from jingxiang.conversations.rules import read_rule
from jingxiang.organisations.permissions import is_operator


@dataclass
class Conversation:
    """A subject as one viewer sees its conversation."""

    kind: SubjectKind
    subject: Any
    sides: list[Side]
    side: Side | None  # the viewer's side; None for an operator reading under the rules
    thread: Thread | None

    @property
    def may_post(self) -> bool:
        return self.side is not None

    @property
    def others(self) -> list[Side]:
        return [s for s in self.sides if s is not self.side]

    @property
    def title(self) -> str:
        return self.kind.title(self.subject)

    @property
    def subject_url(self) -> str:
        return self.kind.url(self.subject)

    @property
    def key(self) -> str:
        return self.kind.key

    @property
    def pk(self) -> int:
        return int(self.subject.pk)


def side_of(user: Any, sides: list[Side]) -> Side | None:
    return next((side for side in sides if side.includes(user)), None)


def may_read_as_operator(user: Any, subject_kind: SubjectKind) -> bool:
    return read_rule(subject_kind.key).operators_read and is_operator(user)


def conversation_of(
    user: Any, subject_kind: SubjectKind, subject: Any, *, write: bool = False, with_thread: bool = True
) -> Conversation | None:
    """The conversation on ``subject`` if the user may read it (write it, with ``write``); else None.
    ``with_thread=False`` leaves the thread for the caller to fetch in bulk (a page listing many)."""
    if not getattr(user, "is_authenticated", False) or subject is None:
        return None
    sides = subject_kind.parties(subject)
    side = side_of(user, sides)
    if side is None and (write or not may_read_as_operator(user, subject_kind)):
        return None
    thread = (
        Thread.objects.filter(kind=subject_kind.key, object_id=subject.pk).first() if with_thread else None
    )
    return Conversation(subject_kind, subject, sides, side, thread)


def access_conversation(user: Any, kind_key: str, pk: int, *, write: bool = False) -> Conversation:
    """A subject's conversation by kind and id: its parties, and operators where the rules let them read."""
    subject_kind = kind(kind_key)
    conversation = conversation_of(user, subject_kind, subject_kind.load(pk), write=write)
    if conversation is None:
        raise Http404
    return conversation


def access_subject_conversation(user: Any, subject: Any) -> Conversation | None:
    """The conversation on an object shown on another app's page (None when it has none for the user)."""
    subject_kind = kind_of(subject)
    return conversation_of(user, subject_kind, subject) if subject_kind is not None else None


def access_message(user: Any, pk: int) -> tuple[Conversation, Message]:
    """A message its author may withdraw: the author, while still a party of the subject."""
    message = Message.objects.select_related("thread").filter(pk=pk).first()
    if message is None or message.author_id != getattr(user, "pk", None):
        raise Http404
    conversation = access_conversation(user, message.thread.kind, message.thread.object_id, write=True)
    return conversation, message


def access_attachment(user: Any, pk: int) -> Attachment:
    """An attachment of a message not withdrawn, for whoever may read the conversation."""
    attachment = Attachment.objects.select_related("message__thread").filter(pk=pk).first()
    if attachment is None or attachment.message.withdrawn:
        raise Http404
    thread = attachment.message.thread
    access_conversation(user, thread.kind, thread.object_id)
    return attachment
