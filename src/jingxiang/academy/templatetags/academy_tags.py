"""Template helpers of the academy's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from jingxiang.core.listing import ExportColumn

register = template.Library()


@register.filter
def column_cell(obj: Any, column: ExportColumn) -> Any:
    """One cell of a table whose columns are its Excel export's (the report drill-downs, where the
    columns depend on the measure and on whether the reader may see names)."""
    value = column.value(obj)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "—" if value in (None, "") else value
