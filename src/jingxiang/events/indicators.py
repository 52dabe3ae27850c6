"""Record sources of the matchmaking events for the insights indicators (see insights/registry.py).

A meeting has two sides; it counts for the organisation that asked for it (the requester), so that a
firm's own figure and the cluster's total add up without counting a meeting twice.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from jingxiang.events.models import Attendance, FollowUp, Meeting
from jingxiang.insights.registry import Column, RecordSource, register_source

register_source(
    RecordSource(
        key="events.meetings_held",
        label=gettext_lazy("已洽谈的对接"),
        queryset=lambda: Meeting.objects.filter(attendance=Attendance.HELD),
        date_field="event__event_date",
        organisation_field="requester__organisation",
        visible=lambda user: Meeting.objects.visible_to(user),
        url=lambda m: reverse("events:meeting", args=[m.pk]),
        columns=[
            Column(gettext_lazy("对接会"), lambda m: m.event.title),
            Column(gettext_lazy("被邀请方"), lambda m: str(m.recipient)),
        ],
        select_related=("event", "requester__organisation", "recipient"),
    )
)
register_source(
    RecordSource(
        key="events.follow_ups",
        label=gettext_lazy("对接会后续跟进"),
        queryset=lambda: FollowUp.objects.filter(archived_at__isnull=True),
        date_field="created_at",
        organisation_field="meeting__requester__organisation",
        visible=lambda user: FollowUp.objects.filter(meeting__in=Meeting.objects.visible_to(user)),
        url=lambda f: reverse("events:meeting", args=[f.meeting_id]) if f.meeting_id else None,
        columns=[
            Column(gettext_lazy("跟进类型"), lambda f: f.get_kind_display()),
            Column(gettext_lazy("状态"), lambda f: f.get_status_display()),
        ],
        select_related=("meeting__requester__organisation",),
    )
)
