"""Cross-cutting writes: notifications and logged reveals of personal data."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from jingxiang.core.links import absolute_url
from jingxiang.core.models import Notification, PersonalDataAccess

logger = logging.getLogger(__name__)


def notification_send(
    *, recipient: Any, title: str, body: str = "", url: str = "", kind: str = "", email: bool = True
) -> Notification:
    """Store an in-app notification and, after commit, e-mail it when the user has an address."""
    notification = Notification.objects.create(
        recipient=recipient, title=title, body=body, url=url, kind=kind
    )
    if email and getattr(recipient, "email", ""):

        def deliver() -> None:
            try:
                link = absolute_url(url)
                send_mail(title, f"{body}\n\n{link}".strip(), None, [recipient.email], fail_silently=False)
            except OSError:
                # The in-app notification is the record; a mail server outage must not fail the action.
                logger.warning("could not e-mail notification %s", notification.pk, exc_info=True)

        transaction.on_commit(deliver)
    return notification


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
