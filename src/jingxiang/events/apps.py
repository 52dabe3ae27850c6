from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "jingxiang.events"
    verbose_name = _("需求对接会")
