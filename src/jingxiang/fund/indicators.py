"""Record sources of the talent fund for the insights indicators (see insights/registry.py).

An award counts for the applying firm in the month it was made; money counts when a tranche was released.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from jingxiang.fund.models import Award, Tranche, TrancheStatus
from jingxiang.insights.registry import Column, RecordSource, Sum, register_source

register_source(
    RecordSource(
        key="fund.awards",
        label=gettext_lazy("人才基金资助协议"),
        queryset=lambda: Award.objects.all(),
        date_field="created_at",
        organisation_field="application__organisation",
        visible=lambda user: Award.objects.visible_to(user),
        url=lambda a: reverse("fund:award", args=[a.pk]),
        columns=[
            Column(gettext_lazy("编号"), lambda a: a.number),
            Column(gettext_lazy("金额(元)"), lambda a: a.amount),
        ],
        select_related=("application__organisation",),
    )
)
register_source(
    RecordSource(
        key="fund.tranches_released",
        label=gettext_lazy("人才基金已拨付期次"),
        queryset=lambda: Tranche.objects.filter(status=TrancheStatus.RELEASED, released_at__isnull=False),
        date_field="released_at",
        organisation_field="award__application__organisation",
        visible=lambda user: Tranche.objects.filter(award__in=Award.objects.visible_to(user)),
        url=lambda t: reverse("fund:award", args=[t.award_id]),
        measure=Sum("amount"),
        columns=[
            Column(gettext_lazy("协议"), lambda t: t.award.number),
            Column(gettext_lazy("拨付金额(元)"), lambda t: t.amount),
        ],
        select_related=("award__application__organisation",),
    )
)
