from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jingxiang.jobs"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        from jingxiang.jobs import handlers  # noqa: F401  (registers the built-in handlers)
