"""Record sources of 互聘共享 for the insights indicators (see insights/registry.py)."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy

from jingxiang.insights.registry import Column, Count, RecordSource, Sum, register_source
from jingxiang.sharing.models import Agreement, Outcome, Timesheet, TimesheetStatus


def _agreement_url(outcome: Outcome) -> str:
    return reverse("sharing:agreement_detail", args=[outcome.agreement_id])


register_source(
    RecordSource(
        key="sharing.patents",
        label=gettext_lazy("专利成果"),
        queryset=lambda: Outcome.objects.exclude(patent_number=""),
        date_field="created_at",
        organisation_field="agreement__host",
        visible=lambda user: Outcome.objects.visible_to(user),
        url=_agreement_url,
        measure=Count(),
        columns=[
            Column(gettext_lazy("专利申请号"), lambda o: o.patent_number),
            Column(gettext_lazy("协议编号"), lambda o: o.agreement.number),
        ],
        select_related=("agreement__host",),
    )
)
register_source(
    RecordSource(
        key="sharing.cost_saved",
        label=gettext_lazy("节约成本"),
        queryset=lambda: Outcome.objects.filter(cost_saved__gt=0),
        date_field="created_at",
        organisation_field="agreement__host",
        visible=lambda user: Outcome.objects.visible_to(user),
        url=_agreement_url,
        measure=Sum("cost_saved"),
        columns=[
            Column(gettext_lazy("节约成本(元)"), lambda o: o.cost_saved),
            Column(gettext_lazy("协议编号"), lambda o: o.agreement.number),
        ],
        select_related=("agreement__host",),
    )
)
register_source(
    RecordSource(
        key="sharing.engagements",
        label=gettext_lazy("共享用工协议"),
        # An amendment is a new version of the same engagement: count the first version once.
        queryset=lambda: Agreement.objects.filter(version=1, activated_at__isnull=False),
        date_field="activated_at",
        organisation_field="host",
        visible=lambda user: Agreement.objects.visible_to(user),
        url=lambda a: reverse("sharing:agreement_detail", args=[a.pk]),
        columns=[
            Column(gettext_lazy("协议编号"), lambda a: a.number),
            Column(gettext_lazy("协议类型"), lambda a: a.get_kind_display()),
        ],
        select_related=("host",),
    )
)
register_source(
    RecordSource(
        key="sharing.hours",
        label=gettext_lazy("共享工时"),
        queryset=lambda: Timesheet.objects.filter(
            Q(status=TimesheetStatus.APPROVED) | Q(status=TimesheetStatus.RESOLVED)
        ),
        date_field="created_at",
        organisation_field="booking__agreement__host",
        visible=lambda user: Timesheet.objects.visible_to(user),
        url=lambda t: reverse("sharing:agreement_detail", args=[t.booking.agreement_id]),
        # A disputed sheet counts the hours the operator settled on, an approved one the hours logged.
        measure=Sum(Coalesce("approved_hours", "hours")),
        columns=[
            Column(
                gettext_lazy("确认工时"),
                lambda t: t.approved_hours if t.approved_hours is not None else t.hours,
            ),
            Column(gettext_lazy("协议编号"), lambda t: t.booking.agreement.number),
        ],
        select_related=("booking__agreement__host",),
    )
)
