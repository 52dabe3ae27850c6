from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "jingxiang.calendars"
    label = "calendars"
    verbose_name = _("日历")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.calendars import models, permissions, providers, registry
        from jingxiang.core import navigation
        from jingxiang.core.navigation import NavItem

        # The token is the feed's secret: the audit log records that a feed was issued or revoked, not it.
        auditlog.register(models.CalendarFeed, exclude_fields=["updated_at", "token", "last_fetched_at"])
        # The apps written before this one; new apps register their own provider in their ready().
        for key, provider in providers.BUILT_IN.items():
            registry.register_provider(key, provider)
        registry.register_actions("sharing.book", providers.sharing_actions)
        navigation.register(
            NavItem(
                _("我的日历"),
                "calendars:calendar",
                _("常用"),
                order=2,
                visible=permissions.uses_calendar,
                icon="calendar",
            )
        )
