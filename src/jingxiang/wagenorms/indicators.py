"""Record sources of the wage agreement for the insights indicators (see insights/registry.py).

A worker-month counts in its own month for the firm that reported it. The drill-down shows the post, the
level and the result, never a wage figure (wages are personal information).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from jingxiang.insights.registry import Column, Count, Ratio, RecordSource, register_source
from jingxiang.wagenorms.models import LineStatus, WageLine

_COLUMNS = [
    Column(gettext_lazy("岗位"), lambda line: line.post),
    Column(gettext_lazy("认定等级"), lambda line: line.level),
    Column(gettext_lazy("结果"), lambda line: line.get_status_display()),
]

for key, label, measure in (
    ("wagenorms.lines_checked", gettext_lazy("核对的工资记录"), Count()),
    ("wagenorms.compliance", gettext_lazy("工资记录(达标率)"), Ratio(Q(status=LineStatus.PASSED))),
):
    register_source(
        RecordSource(
            key=key,
            label=label,
            queryset=lambda: WageLine.objects.all(),
            date_field="month",
            organisation_field="firm",
            visible=lambda user: WageLine.objects.visible_to(user),
            url=lambda line: reverse("wagenorms:report", args=[line.report_id]),
            measure=measure,
            columns=_COLUMNS,
            select_related=("firm",),
        )
    )
