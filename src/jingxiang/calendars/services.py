"""Writes: issue, regenerate and revoke a person's calendar feed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.calendars.models import CalendarFeed


def _lock_live(actor: Any) -> list[CalendarFeed]:
    return list(CalendarFeed.objects.select_for_update(of=("self",)).live().filter(user=actor))


@transaction.atomic
def feed_issue(*, actor: Any) -> CalendarFeed:
    """Give the person a new private feed URL; the one they had (if any) stops working at once.

    The person's live feeds are locked first, so two clicks at the same moment leave one live feed."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    now = timezone.now()
    for feed in _lock_live(actor):
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at", "updated_at"])
    return CalendarFeed.objects.create(user=actor)


@transaction.atomic
def feed_revoke(*, actor: Any) -> CalendarFeed:
    """Stop the person's feed URL: calendars subscribed to it get nothing more from then on."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    live = _lock_live(actor)
    if not live:
        raise ValidationError(_("您没有正在使用的订阅链接。"), code="no_feed")
    now = timezone.now()
    for feed in live:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at", "updated_at"])
    return live[0]


def feed_fetched(*, feed: CalendarFeed) -> None:
    """Note when the phone last synchronised (shown to the owner); not business data, not audited."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
