"""Record sources of the demand board for the insights indicators (see insights/registry.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from jingxiang.demands.models import Challenge, Demand
from jingxiang.insights.registry import Column, RecordSource, register_source

_DEMAND_COLUMNS = [
    Column(gettext_lazy("需求编号"), lambda d: d.number),
    Column(gettext_lazy("标题"), lambda d: d.title),
    Column(gettext_lazy("状态"), lambda d: d.get_status_display()),
]

register_source(
    RecordSource(
        key="demands.published",
        label=gettext_lazy("发布的需求"),
        queryset=lambda: Demand.objects.filter(published_at__isnull=False, archived_at__isnull=True),
        date_field="published_at",
        organisation_field="organisation",
        visible=lambda user: Demand.objects.visible_to(user),
        url=lambda d: reverse("demands:detail", args=[d.pk]),
        columns=_DEMAND_COLUMNS,
        select_related=("organisation",),
    )
)
register_source(
    RecordSource(
        key="demands.matched",
        label=gettext_lazy("对接成功的需求"),
        queryset=lambda: Demand.objects.filter(matched_at__isnull=False, archived_at__isnull=True),
        date_field="matched_at",
        organisation_field="organisation",
        visible=lambda user: Demand.objects.visible_to(user),
        url=lambda d: reverse("demands:detail", args=[d.pk]),
        columns=_DEMAND_COLUMNS,
        select_related=("organisation",),
    )
)
register_source(
    RecordSource(
        key="demands.challenges_awarded",
        label=gettext_lazy("选定揭榜团队的榜单"),
        queryset=lambda: Challenge.objects.filter(selected_at__isnull=False, archived_at__isnull=True),
        date_field="selected_at",
        organisation_field="demand__organisation",
        visible=lambda user: Challenge.objects.visible_to(user),
        url=lambda c: reverse("demands:challenge_detail", args=[c.pk]),
        columns=[
            Column(gettext_lazy("榜单名称"), lambda c: c.title),
            Column(gettext_lazy("奖励金额(元)"), lambda c: c.award_amount),
        ],
        select_related=("demand__organisation",),
    )
)
