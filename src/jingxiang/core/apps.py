from typing import Any

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


def _build_search_index(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Fill an empty search index after ``migrate`` (a new database, or one that predates the index),
    so pinyin search works without a manual ``search_reindex``."""
    from jingxiang.core.models import SearchEntry
    from jingxiang.core.search import reindex

    if using == "default" and not SearchEntry.objects.exists():
        reindex()


class CoreConfig(AppConfig):
    name = "jingxiang.core"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from jingxiang.core import navigation
        from jingxiang.core.models import Notification, TimeRuleOverride

        auditlog.register(Notification, include_fields=["read_at", "archived_at"])
        auditlog.register(TimeRuleOverride)
        navigation.register_core_items()
        # Every app's texts.py declares its messages; stored ids render only once all are registered.
        autodiscover_modules("texts")
        post_migrate.connect(_build_search_index, sender=self, dispatch_uid="core-search-index")
