from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "jingxiang.academy"
    verbose_name = _("工匠学院")
