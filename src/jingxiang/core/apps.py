from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jingxiang.core"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jingxiang.core import navigation
        from jingxiang.core.models import Notification, TimeRuleOverride

        auditlog.register(Notification, include_fields=["read_at", "archived_at"])
        auditlog.register(TimeRuleOverride)
        navigation.register_core_items()
        # Every app's texts.py declares its messages; stored ids render only once all are registered.
        autodiscover_modules("texts")
