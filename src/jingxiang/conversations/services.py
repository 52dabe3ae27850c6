"""Writes of conversations: post a message, withdraw it, mark a thread read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.conversations import texts
from jingxiang.conversations.models import Attachment, Message, ReadMark, Thread, ThreadParty
from jingxiang.conversations.permissions import Conversation, conversation_of
from jingxiang.conversations.registry import Side, kind_of, kind_or_none
from jingxiang.conversations.rules import ATTACHMENTS_MAX, BODY_MAX
from jingxiang.core.services import notification_send
from jingxiang.core.texts import msgid_of
from jingxiang.core.validators import reject_markup
from jingxiang.demands.validation import check_attachment


def thread_url(thread: Thread) -> str:
    return reverse("conversations:thread", args=[thread.kind, thread.object_id])


def _thread_for(conversation: Conversation) -> Thread:
    """The subject's thread, created on the first message; its parties and title follow the subject."""
    created, _new = Thread.objects.get_or_create(
        kind=conversation.key, object_id=conversation.pk, defaults={"title": conversation.title[:200]}
    )
    thread: Thread = Thread.objects.select_for_update(of=("self",)).get(pk=created.pk)
    stored = [
        (p.label, p.organisation_id, p.roles, p.user_id, p.operators)
        for p in thread.parties.order_by("position")
    ]
    wanted = [
        (msgid_of(s.label)[:200], s.organisation_id, s.roles_text, s.user_id, s.operators)
        for s in conversation.sides
    ]
    if stored != wanted:
        # Parties of a subject do not change in these apps; should one (a talent's login claimed later),
        # the copy is rewritten as a whole. Party rows are an index, not business data.
        ThreadParty.objects.filter(thread=thread).delete()
        ThreadParty.objects.bulk_create(
            ThreadParty(
                thread=thread,
                position=index,
                label=label,
                organisation_id=organisation_id,
                roles=roles,
                user_id=user_id,
                operators=operators,
            )
            for index, (label, organisation_id, roles, user_id, operators) in enumerate(wanted)
        )
    return thread


def _clean_body(body: str, files: Sequence[Any]) -> str:
    text = (body or "").strip()
    if not text and not files:
        raise ValidationError({"body": _("请写下消息内容,或附上文件。")}, code="empty")
    if len(text) > BODY_MAX:
        raise ValidationError(
            {
                "body": _("消息最多 %(max)s 字,现在有 %(n)s 字,请分开发送。")
                % {"max": BODY_MAX, "n": len(text)}
            },
            code="too_long",
        )
    if text:
        try:
            reject_markup(text)
        except ValidationError as error:
            raise ValidationError({"body": error.messages}, code="markup") from error
    if len(files) > ATTACHMENTS_MAX:
        raise ValidationError(
            {"attachments": _("一条消息最多附 %(max)s 个文件。") % {"max": ATTACHMENTS_MAX}},
            code="too_many_files",
        )
    problems = []
    for upload in files:
        try:
            check_attachment(upload)
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError({"attachments": problems}, code="attachment")
    return text


def recipients(sides: Sequence[Side], *, exclude: Side | None, author_id: int) -> list[Any]:
    """The people behind the other sides: the person, the organisation's acting roles, or the operators."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from jingxiang.organisations.models import Membership, OrganisationKind, OrganisationStatus, Role

    condition = Q(pk__in=[])
    memberships = Q(pk__in=[])
    for side in sides:
        if side is exclude:
            continue
        if side.user_id is not None:
            condition |= Q(pk=side.user_id)
        if side.organisation_id is not None:
            memberships |= Q(organisation_id=side.organisation_id, role__in=list(side.roles))
        if side.operators:
            memberships |= Q(
                role=Role.OPERATOR,
                organisation__kind__in=[OrganisationKind.GOVERNMENT, OrganisationKind.ASSOCIATION],
            )
    people = (
        Membership.objects.active()
        .filter(
            memberships,
            organisation__status=OrganisationStatus.APPROVED,
            organisation__archived_at__isnull=True,
        )
        .values("user_id")
    )
    return list(
        get_user_model().objects.filter(condition | Q(pk__in=people), is_active=True).exclude(pk=author_id)
    )


def _notify(message_id: int) -> None:
    """Tell the other parties; one unread notification per thread and person is enough."""
    from jingxiang.core.models import Notification

    message = Message.objects.select_related("thread", "author").get(pk=message_id)
    thread = message.thread
    subject_kind = kind_or_none(thread.kind)
    if subject_kind is None:
        return
    subject = subject_kind.load(thread.object_id)
    if subject is None:
        return
    sides = subject_kind.parties(subject)
    author_side = next((s for s in sides if s.includes(message.author)), None)
    url = thread_url(thread)
    waiting = set(
        Notification.objects.unread()
        .filter(url=url, kind="conversation")
        .values_list("recipient_id", flat=True)
    )
    for person in recipients(sides, exclude=author_side, author_id=message.author_id):
        if person.pk in waiting:
            continue
        notification_send(
            recipient=person,
            message=texts.NEW_MESSAGE(author=message.author_side, subject=thread.title),
            url=url,
            kind="conversation",
        )


def message_post(
    *,
    actor: Any,
    subject: Any,
    body: str,
    files: Sequence[Any] = (),
    notify: bool = True,
) -> Message:
    """Post a message (with up to three checked attachments) on a subject's conversation.

    Only a party writes; an operator who may read under the rules may not. The thread is created with
    the first message; the author's own message counts as read for them; the other parties are told
    after commit.
    """
    subject_kind = kind_of(subject)
    conversation = conversation_of(actor, subject_kind, subject, write=True) if subject_kind else None
    if conversation is None or conversation.side is None:
        raise PermissionDenied(_("只有对话双方可以发消息。"))
    files = list(files)
    text = _clean_body(body, files)
    with transaction.atomic():
        thread = _thread_for(conversation)
        message = Message.objects.create(
            thread=thread, author=actor, author_side=msgid_of(conversation.side.label)[:200], body=text
        )
        for upload in files:
            Attachment.objects.create(
                message=message, file=upload, name=str(upload.name)[:200], size=int(upload.size)
            )
        thread.last_message_at = message.created_at
        thread.title = conversation.title[:200]
        thread.save(update_fields=["last_message_at", "title"])
        ReadMark.objects.update_or_create(
            thread=thread, user=actor, defaults={"last_read_id": message.pk, "read_at": timezone.now()}
        )
        if notify:
            transaction.on_commit(lambda: _notify(message.pk))
    return message


def message_withdraw(*, actor: Any, message: Message) -> Message:
    """The author withdraws a message: it stays, shown as "消息已撤回", its files no longer served."""
    with transaction.atomic():
        message = Message.objects.select_for_update(of=("self",)).select_related("thread").get(pk=message.pk)
        if message.author_id != actor.pk:
            raise PermissionDenied(_("只能撤回自己发的消息。"))
        if message.withdrawn:
            raise ValidationError(_("这条消息已经撤回了。"), code="already_withdrawn")
        message.withdrawn_at = timezone.now()
        message.save(update_fields=["withdrawn_at"])
    return message


def thread_mark_read(*, user: Any, conversation: Conversation) -> None:
    """A party has seen the thread up to its latest message (operators reading leave no mark)."""
    thread = conversation.thread
    if thread is None or conversation.side is None:
        return
    latest = thread.messages.order_by("-pk").values_list("pk", flat=True).first() or 0
    updated = ReadMark.objects.filter(thread=thread, user=user, last_read_id__lt=latest).update(
        last_read_id=latest, read_at=timezone.now()
    )
    if not updated:
        ReadMark.objects.get_or_create(thread=thread, user=user, defaults={"last_read_id": latest})


def invitation_note_post(*, actor: Any, invitation: Any, note: str) -> Message | None:
    """The personal note sent with an invitation becomes the first message of its conversation.

    Called by the inviting service inside its transaction; the invitation's own notification already
    tells the invitee, so no second one is sent.
    """
    if not (note or "").strip():
        return None
    return message_post(actor=actor, subject=invitation, body=note, notify=False)
