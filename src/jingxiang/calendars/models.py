"""A person's private calendar feed: a random token in a URL their phone's calendar subscribes to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jingxiang.core.links import new_link_token
from jingxiang.core.models import TimeStamped


def new_feed_token() -> str:
    # Kept by name: the initial migration refers to it.
    return new_link_token()


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def visible_to(self, user: object) -> CalendarFeedQuerySet:
        """A feed is its owner's alone: nobody else, operators included, sees its token."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(user=user))

    def live(self) -> CalendarFeedQuerySet:
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(TimeStamped):
    """One subscription URL. Regenerating revokes the live one and issues a new token; a revoked
    token's URL is a 404 from then on. Rows are kept (revoked, never deleted) for the audit trail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="calendar_feeds",
        verbose_name=_("用户"),
    )
    token = models.CharField(
        _("订阅令牌"), max_length=64, unique=True, default=new_feed_token, editable=False
    )
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    last_fetched_at = models.DateTimeField(_("最近同步时间"), null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_calendar_feed"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
