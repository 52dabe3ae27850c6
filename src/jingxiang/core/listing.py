"""Shared behaviour of list pages: filters kept in the URL, sorting, pagination, Excel export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from jingxiang.core.excel import export_response


@dataclass(frozen=True)
class ExportColumn:
    header: str | Promise
    value: Callable[[Any], Any]


def apply_sort(
    request: HttpRequest, queryset: QuerySet, allowed: Sequence[str], default: str
) -> tuple[QuerySet, str]:
    """Sort by the ``sort`` parameter when it names an allowed column (optionally with '-')."""
    sort = request.GET.get("sort", default)
    if sort.removeprefix("-") not in allowed:
        sort = default
    return queryset.order_by(sort, "pk"), sort


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = 25) -> Any:
    try:
        size = int(request.GET.get("per_page", per_page))
    except ValueError:
        size = per_page
    size = max(10, min(size, 100))
    paginator = Paginator(queryset, size)
    return paginator.get_page(request.GET.get("page"))


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"


def export_queryset(filename: str, queryset: QuerySet, columns: Sequence[ExportColumn]) -> HttpResponse:
    headers = [str(column.header) for column in columns]
    rows = ([column.value(obj) for column in columns] for obj in queryset.iterator(chunk_size=500))
    return export_response(filename, headers, rows)


def query_without(request: HttpRequest, *keys: str) -> str:
    """The current query string minus ``keys`` (for pagination and sort links that keep filters)."""
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()
