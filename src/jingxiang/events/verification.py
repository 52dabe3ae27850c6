"""Public verification of a printed agenda: only the event, the participant's name and the meeting count."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jingxiang.events.models import Participant, RequestStatus


def lookup_agenda(code: str) -> dict[str, Any] | None:
    participant = (
        Participant.objects.select_related("event").filter(agenda_code=code, archived_at__isnull=True).first()
    )
    if participant is None:
        return None
    event = participant.event
    count = (
        participant.requests_sent.filter(status=RequestStatus.ACCEPTED, slot__isnull=False).count()
        + participant.requests_received.filter(status=RequestStatus.ACCEPTED, slot__isnull=False).count()
    )
    return {
        "status": "valid",
        "status_label": _("有效"),
        "title": _("%(event)s · 洽谈日程") % {"event": event.title},
        "facts": [
            (_("对接会"), event.title),
            (_("日期"), event.event_date.strftime("%Y-%m-%d")),
            (_("参会者"), participant.name),
            (_("已排洽谈"), count),
        ],
        "note": _("本页只显示公开信息;洽谈对象请以参会者本人的日程为准。"),
    }
