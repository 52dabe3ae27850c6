"""Filter fields shared by list pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose empty choice reads "全部" (all), not "unknown"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
        )
        super().__init__(*args, **kwargs)
