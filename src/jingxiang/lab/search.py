"""What people find of the lab app in the global search: issued test reports."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import pgettext_lazy

from jingxiang.core.search import SearchKind, register_search_kind
from jingxiang.lab.models import Report


def _detail(report: Report) -> str:
    issued = formats.date_format(report.test_date, "DATE_FORMAT")
    return f"{report.firm.name} · {report.get_overall_display()} · {issued}"


def register_search() -> None:
    register_search_kind(
        SearchKind(
            key="lab.report",
            label=pgettext_lazy("搜索结果分组", "检测报告"),
            model=Report,
            visible=lambda user: Report.objects.visible_to(user),
            url=lambda report: reverse("lab:report_detail", args=[report.pk]),
            title=lambda report: f"{report.number} {report.product_name}".strip(),
            detail=_detail,
            fields=("number", "product_name", "product_line__name"),
            key_fields=("firm__search_text",),
            indexed=lambda report: (report.product_name, report.product_line.name),
            index_fields=("product_name", "product_line", "product_line_id"),
            select_related=("firm", "product_line"),
            order=50,
        )
    )
