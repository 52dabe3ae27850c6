"""Cross-cutting writes: notifications, the e-mail outbox, language preference and logged reveals."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.links import absolute_url
from jingxiang.core.models import Notification, OutboxMessage, OutboxStatus, PersonalDataAccess
from jingxiang.core.texts import Text

logger = logging.getLogger(__name__)


def notification_send(
    *, recipient: Any, message: Text, url: str = "", kind: str = "", email: bool = True
) -> Notification:
    """Store an in-app notification as a message id with parameters; queue its e-mail in the outbox.

    ``message`` is a bound message from an app's ``texts.py`` (``REPORT_ISSUED(number=...)``), never a
    rendered sentence: each reader sees it in their own language. The e-mail row is written in the same
    transaction, so nothing is sent for an action that rolls back, and nothing is sent from the request.
    """
    if not isinstance(message, Text):
        raise TypeError("notification_send needs a bound message from an app's texts.py")
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient, message=message.id, params=message.params, url=url, kind=kind
        )
        if email and getattr(recipient, "email", ""):
            mail_enqueue(recipient=recipient, message=message, url=url, notification=notification)
    return notification


def mail_enqueue(
    *, recipient: Any, message: Text, url: str = "", notification: Notification | None = None
) -> OutboxMessage | None:
    """Queue one e-mail to a user; the task queue sends it after commit, in the recipient's language."""
    return _queue_mail(
        getattr(recipient, "email", ""), message, url, recipient=recipient, notification=notification
    )


def mail_to_address(*, address: str, language: str, message: Text, url: str = "") -> OutboxMessage | None:
    """Queue one e-mail to someone without a login (only an address, e.g. a buyer who pre-registered for
    a fair): written in ``language``, sent by the same outbox with the same retries."""
    if not isinstance(message, Text):
        raise TypeError("mail_to_address needs a bound message from an app's texts.py")
    known = language in dict(settings.LANGUAGES)
    return _queue_mail(address, message, url, language=language if known else settings.LANGUAGE_CODE)


def _queue_mail(
    address: str,
    message: Text,
    url: str,
    *,
    recipient: Any = None,
    notification: Notification | None = None,
    language: str = "",
) -> OutboxMessage | None:
    address = (address or "").strip()
    if not address:
        return None
    mail = OutboxMessage.objects.create(
        recipient=recipient,
        notification=notification,
        to_address=address,
        language=language,
        message=message.id,
        params=message.params,
        # Made absolute now: in development the address this request came to, which the worker that
        # sends the mail later cannot know.
        url=absolute_url(url),
    )
    _kick_outbox_after_commit()
    return mail


def _kick_outbox_after_commit() -> None:
    # One delivery task per transaction is enough: it sends every due row, not only its own.
    pending = getattr(connection, "run_on_commit", None) or []
    if connection.in_atomic_block and any(entry[1] is _kick_outbox for entry in pending):
        return
    transaction.on_commit(_kick_outbox)


def _kick_outbox() -> None:
    from jingxiang.core.tasks import deliver_outbox

    deliver_outbox.enqueue()


def _deliver_later(when: dt.datetime) -> None:
    """Queue a delivery run for the next retry, on queues that can defer (the worker's database queue);
    elsewhere the worker's maintenance pass and ``manage.py jobs_sweep`` send due retries."""
    from jingxiang.core.tasks import deliver_outbox

    if deliver_outbox.get_backend().supports_defer:
        deliver_outbox.using(run_after=when).enqueue()


def reader_language(user: Any) -> str:
    """The language a user reads what the platform writes to them later (e-mail); zh-hans by default."""
    language = getattr(user, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def user_language_set(*, user: Any, language: str) -> None:
    """Remember the language a user switched to, for what is rendered without their request."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("不支持的语言。"), code="language")
    if getattr(user, "language", None) != language:
        get_user_model().objects.filter(pk=user.pk).update(language=language)
        user.language = language


@dataclass(frozen=True)
class OutboxRun:
    sent: int
    retrying: int
    failed: int


def _due_mail(now: Any) -> Q:
    stale_claim = now - dt.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    # A row claimed by a sender that died before finishing is claimed again (at-least-once delivery).
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_at__lt=stale_claim
    )


def outbox_claim(*, limit: int = 50, now: Any = None) -> list[OutboxMessage]:
    """Claim up to ``limit`` due e-mails for this sender; two senders never get the same row.

    On PostgreSQL rows are picked with ``SELECT … FOR UPDATE SKIP LOCKED`` so concurrent senders take
    different rows without waiting. Everywhere the claim itself is a conditional UPDATE (only rows still
    due change), so on SQLite, whose writers are serialised, a row another sender took is simply not
    updated again; each sender then reads back the rows carrying its own token.
    """
    now = now or timezone.now()
    token = secrets.token_hex(16)
    due = OutboxMessage.objects.filter(_due_mail(now)).order_by("next_attempt_at", "pk")
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        OutboxMessage.objects.filter(_due_mail(now), pk__in=ids).update(
            status=OutboxStatus.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(
        OutboxMessage.objects.filter(claim_token=token, status=OutboxStatus.SENDING).select_related(
            "recipient"
        )
    )


def _retry_delay(attempts: int) -> dt.timedelta:
    base = settings.OUTBOX_RETRY_SECONDS
    return dt.timedelta(seconds=min(base * 2 ** max(0, attempts - 1), 3600))


def outbox_deliver(*, limit: int = 50) -> OutboxRun:
    """Send the due e-mails once each: sent, rescheduled with backoff, or failed for good with the error.

    Run by the task queue (``core.tasks.deliver_outbox``) after the writing transaction commits, again
    at the next retry time, and by the worker's periodic maintenance pass; never inside a request.
    """
    sent = retrying = failed = 0
    next_retry: dt.datetime | None = None
    for mail in outbox_claim(limit=limit):
        language = mail.language or reader_language(mail.recipient)
        title, body = mail.text.in_language(language)
        link = absolute_url(mail.url)
        mine = OutboxMessage.objects.filter(
            pk=mail.pk, claim_token=mail.claim_token, status=OutboxStatus.SENDING
        )
        try:
            send_mail(title, f"{body}\n\n{link}".strip(), None, [mail.to_address], fail_silently=False)
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"[:2000]
            if mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                mine.update(status=OutboxStatus.FAILED, last_error=reason, claim_token="")
                logger.error("e-mail %s to %s failed for good: %s", mail.pk, mail.to_address, reason)
                failed += 1
            else:
                retry_at = timezone.now() + _retry_delay(mail.attempts)
                mine.update(
                    status=OutboxStatus.PENDING, last_error=reason, claim_token="", next_attempt_at=retry_at
                )
                next_retry = min(next_retry or retry_at, retry_at)
                logger.warning("e-mail %s to %s will be retried: %s", mail.pk, mail.to_address, reason)
                retrying += 1
        else:
            mine.update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", claim_token="")
            sent += 1
    if next_retry is not None:
        _deliver_later(next_retry)
    return OutboxRun(sent=sent, retrying=retrying, failed=failed)


def notifications_mark_read(*, user: Any, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of the user's unread notifications as read."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=notification_ids)
    return queryset.update(read_at=timezone.now())


@dataclass(frozen=True)
class RevealPolicy:
    """Who may see the full value of one personal field, and how to read it."""

    model: type[models.Model]
    field_name: str
    may_reveal: Callable[[Any, Any], bool]
    read: Callable[[Any], str]


_policies: dict[tuple[str, str], RevealPolicy] = {}


def register_reveal_policy(policy: RevealPolicy) -> None:
    """Declare who may reveal one personal field of a model (called from AppConfig.ready)."""
    _policies[(policy.model._meta.label_lower, policy.field_name)] = policy


def reveal_policy(model_label: str, field_name: str) -> RevealPolicy | None:
    """The reveal policy for a model label and field, or None when the field may not be revealed."""
    return _policies.get((model_label, field_name))


def personal_data_reveal(
    *, user: Any, model_label: str, object_id: str, field_name: str, ip_address: str | None, reason: str = ""
) -> str:
    """Return one full personal value if the user's role allows it, and log that they saw it.

    Refusals raise PermissionDenied whether the record is missing or merely off-limits, so the
    response does not reveal which records exist.
    """
    policy = reveal_policy(model_label, field_name)
    if policy is None or not user.is_authenticated or not str(object_id).isdigit():
        raise PermissionDenied
    instance = policy.model._default_manager.filter(pk=object_id).first()
    if instance is None or not policy.may_reveal(user, instance):
        raise PermissionDenied
    PersonalDataAccess.objects.create(
        accessed_by=user,
        content_type=ContentType.objects.get_for_model(policy.model),
        object_id=str(instance.pk),
        field_name=field_name,
        reason=reason[:200],
        ip_address=ip_address,
    )
    return policy.read(instance)
