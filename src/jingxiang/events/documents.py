"""The printed agenda of a participant (PDF with a QR code) and its public verification page, which shows
only the event, the participant's name and the meeting count."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument
from jingxiang.events import selectors
from jingxiang.events.models import Participant, RequestStatus


def agenda_pdf(participant: Participant) -> bytes:
    event = participant.event
    document = PdfDocument(
        title=_("洽谈日程"),
        subtitle=event.title,
        number=participant.agenda_code,
        issuer=_("镜享 · 需求对接会"),
        facts=[
            (_("参会者"), participant.name),
            (_("日期"), event.event_date),
            (_("地点"), event.venue),
        ],
        verify_kind="event-agenda",
        verify_code=participant.agenda_code,
    )
    rows = [
        (str(m.slot), m.table.name, m.other_party(participant).name, m.get_priority_display())
        for m in selectors.agenda(participant)
    ]
    document.add_table(_("洽谈安排"), [_("时段"), _("洽谈桌"), _("洽谈对象"), _("优先级")], rows)
    return document.render()


def agenda_lookup(code: str) -> dict[str, Any] | None:
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
