"""Record sources of the testing labs for the insights indicators (see insights/registry.py).

Only the report in force counts (a corrected report replaces its earlier version), so a re-issued
report is one report, and the pass rate is the share of those reports whose conclusion is 合格.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from jingxiang.insights.registry import Column, Ratio, RecordSource, register_source
from jingxiang.lab.models import BrandAuthorisation, BrandStatus, Overall, Report, ReportStatus

_REPORT_COLUMNS = [
    Column(gettext_lazy("报告编号"), lambda r: r.number),
    Column(gettext_lazy("产品名称/型号"), lambda r: r.product_name),
    Column(gettext_lazy("结论"), lambda r: r.get_overall_display()),
]

register_source(
    RecordSource(
        key="lab.reports",
        label=gettext_lazy("检测报告"),
        queryset=lambda: Report.objects.filter(status=ReportStatus.VALID),
        date_field="issued_at",
        organisation_field="firm",
        visible=lambda user: Report.objects.visible_to(user),
        url=lambda r: reverse("lab:report_detail", args=[r.pk]),
        columns=_REPORT_COLUMNS,
        select_related=("firm",),
    )
)
register_source(
    RecordSource(
        key="lab.pass_rate",
        label=gettext_lazy("检测报告(合格率)"),
        queryset=lambda: Report.objects.filter(status=ReportStatus.VALID),
        date_field="issued_at",
        organisation_field="firm",
        visible=lambda user: Report.objects.visible_to(user),
        url=lambda r: reverse("lab:report_detail", args=[r.pk]),
        measure=Ratio(Q(overall=Overall.PASS)),
        columns=_REPORT_COLUMNS,
        select_related=("firm",),
    )
)
register_source(
    RecordSource(
        key="lab.brand_authorisations",
        label=gettext_lazy("品牌授权"),
        # Approved at some point: a later suspension does not undo that the authorisation was granted.
        queryset=lambda: BrandAuthorisation.objects.filter(
            reviewed_at__isnull=False, status__in=[BrandStatus.ACTIVE, BrandStatus.SUSPENDED]
        ),
        date_field="reviewed_at",
        organisation_field="firm",
        visible=lambda user: BrandAuthorisation.objects.visible_to(user),
        url=lambda b: reverse("lab:brand_detail", args=[b.pk]),
        columns=[
            Column(gettext_lazy("授权编号"), lambda b: b.number or "—"),
            Column(gettext_lazy("状态"), lambda b: b.get_status_display()),
        ],
        select_related=("firm",),
    )
)
