from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabConfig(AppConfig):
    name = "jingxiang.lab"
    verbose_name = _("质量检测")
