"""Reads of the fairs: the hall map, the fair's figures and the per-exhibitor report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from jingxiang.events.models import Attendance, Meeting, RequestStatus
from jingxiang.fairs.models import (
    Allocation,
    ApplicationStatus,
    Booth,
    BoothState,
    Buyer,
    BuyerKind,
    ExhibitorApplication,
    Fair,
    Hall,
    Lead,
    country_name,
)

#: Pixels per metre on the hall map, and the fill and outline of each booth state. The state is also
#: written inside every booth and in the legend: colour is never the only sign.
SCALE = 14
STATE_STYLE = {
    BoothState.FREE: ("#e3f2e6", "#2e7d32"),
    BoothState.HELD: ("#fff1cc", "#a15c00"),
    BoothState.ALLOCATED: ("#dce8f8", "#1f4e9c"),
    BoothState.BLOCKED: ("#e6e6e6", "#616161"),
}


@dataclass
class MapBooth:
    booth: Booth
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str
    state_label: str
    holder: str
    url: str


@dataclass
class HallMap:
    hall: Hall
    width: float
    height: float
    booths: list[MapBooth]
    counts: dict[str, int]


def hall_map(hall: Hall, *, show_holders: bool) -> HallMap:
    """The booths of a hall placed on an SVG plan, coloured and labelled by state. ``show_holders``
    names the exhibitor of each allocated booth (a fair's exhibitor list is public at the fair)."""
    booths = list(Booth.objects.filter(hall=hall).order_by("code"))
    holders: dict[int, str] = {}
    if show_holders:
        holders = dict(
            Allocation.objects.filter(booth__hall=hall, released_at__isnull=True).values_list(
                "booth_id", "application__organisation__name"
            )
        )
    placed = []
    counts: Counter[str] = Counter()
    for booth in booths:
        fill, stroke = STATE_STYLE[BoothState(booth.state)]
        counts[booth.state] += 1
        placed.append(
            MapBooth(
                booth=booth,
                x=float(booth.x_m) * SCALE,
                y=float(booth.y_m) * SCALE,
                w=float(booth.width_m) * SCALE,
                h=float(booth.depth_m) * SCALE,
                fill=fill,
                stroke=stroke,
                state_label=str(booth.get_state_display()),
                holder=holders.get(booth.pk, ""),
                url=reverse("fairs:booth", args=[booth.pk]),
            )
        )
    return HallMap(
        hall=hall,
        width=float(hall.width_m) * SCALE,
        height=float(hall.depth_m) * SCALE,
        booths=placed,
        counts={state: counts.get(state, 0) for state in BoothState.values},
    )


def legend() -> list[tuple[str, str, str, str]]:
    return [(state, str(label), *STATE_STYLE[BoothState(state)]) for state, label in BoothState.choices]


def fair_figures(fair: Fair) -> dict[str, Any]:
    booths = fair.booths.aggregate(
        total=Count("pk"),
        free=Count("pk", filter=Q(state=BoothState.FREE)),
        allocated=Count("pk", filter=Q(state=BoothState.ALLOCATED)),
    )
    applications = fair.applications.aggregate(
        submitted=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
        allocated=Count("pk", filter=Q(status=ApplicationStatus.ALLOCATED)),
    )
    return {
        "booths": booths["total"],
        "free": booths["free"],
        "allocated": booths["allocated"],
        "waiting": applications["submitted"],
        "exhibitors": applications["allocated"],
        "buyers": fair.buyers.filter(archived_at__isnull=True).count(),
        "meetings": Meeting.objects.filter(event_id=fair.event_id, status=RequestStatus.ACCEPTED).count(),
    }


def exhibitors(fair: Fair) -> list[tuple[ExhibitorApplication, Booth | None]]:
    """The fair's exhibitors (allocated applications) with their booths, by booth number."""
    allocations = (
        Allocation.objects.filter(fair=fair, released_at__isnull=True)
        .select_related("booth__hall", "application__organisation")
        .order_by("booth__code")
    )
    return [
        (a.application, a.booth) for a in allocations if a.application.status == ApplicationStatus.ALLOCATED
    ]


@dataclass
class ExhibitorReport:
    application: ExhibitorApplication
    booth: Booth | None
    leads: list[Lead]
    meetings: list[tuple[Meeting, Buyer | None]]
    scheduled: int
    held: int
    no_show: int
    buyers: int
    by_country: list[tuple[str, int]] = field(default_factory=list)
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    booth_price: Decimal | None = None


def exhibitor_report(application: ExhibitorApplication) -> ExhibitorReport:
    """Leads, meetings (scheduled, held, no-show) and the buyers met, by country and kind. A buyer met
    both at a meeting and at the booth counts once."""
    leads = list(application.leads.select_related("buyer", "captured_by").order_by("created_at", "pk"))
    meetings: list[Meeting] = []
    if application.participant_id is not None:
        meetings = list(
            Meeting.objects.filter(
                Q(requester_id=application.participant_id) | Q(recipient_id=application.participant_id),
                status=RequestStatus.ACCEPTED,
            )
            .select_related("slot", "table", "requester", "recipient")
            .order_by("slot__starts_at", "pk")
        )
    others = {
        m.recipient_id if m.requester_id == application.participant_id else m.requester_id for m in meetings
    }
    buyers_by_participant = {
        b.participant_id: b
        for b in Buyer.objects.filter(fair_id=application.fair_id, participant_id__in=others)
    }
    paired = []
    for meeting in meetings:
        other = (
            meeting.recipient_id
            if meeting.requester_id == application.participant_id
            else meeting.requester_id
        )
        paired.append((meeting, buyers_by_participant.get(other)))
    met: dict[int, Buyer] = {lead.buyer.pk: lead.buyer for lead in leads}
    for meeting, buyer in paired:
        if buyer is not None and meeting.attendance == Attendance.HELD:
            met.setdefault(buyer.pk, buyer)
    countries = Counter(country_name(b.country) for b in met.values())
    kinds = Counter(str(BuyerKind(b.kind).label) for b in met.values())
    booth = application.booth
    return ExhibitorReport(
        application=application,
        booth=booth,
        leads=leads,
        meetings=paired,
        scheduled=sum(1 for m, _b in paired if m.slot_id is not None),
        held=sum(1 for m, _b in paired if m.attendance == Attendance.HELD),
        no_show=sum(1 for m, _b in paired if m.attendance == Attendance.NO_SHOW),
        buyers=len(met),
        by_country=countries.most_common(),
        by_kind=kinds.most_common(),
        booth_price=booth.price if booth else None,
    )


def report_snapshot(report: ExhibitorReport) -> dict[str, Any]:
    """The report as JSON, in the current language (the service issues it in Chinese), for an issued
    PDF (``ReportIssue.figures``)."""
    from django.utils import timezone, translation
    from django.utils.translation import gettext as _

    application = report.application
    participant = application.participant
    return {
        "language": translation.get_language() or "zh-hans",
        "fair": application.fair.title,
        "period": f"{application.fair.starts_on:%Y-%m-%d} – {application.fair.ends_on:%Y-%m-%d}",
        "organisation": application.organisation.name,
        "booth": report.booth.code if report.booth else "",
        "leads": len(report.leads),
        "scheduled": report.scheduled,
        "held": report.held,
        "no_show": report.no_show,
        "buyers": report.buyers,
        "lead_rows": [
            [
                timezone.localtime(lead.created_at).strftime("%m-%d %H:%M"),
                lead.buyer.name,
                lead.buyer.company,
                lead.buyer.country_name,
                lead.buyer.get_kind_display(),
                lead.note,
            ]
            for lead in report.leads
        ],
        "meeting_rows": [
            [
                f"{timezone.localtime(m.slot.starts_at):%m-%d} {m.slot}" if m.slot else _("未排入"),
                m.table.name if m.table else "—",
                m.other_party(participant).name if participant else "—",
                m.get_attendance_display(),
            ]
            for m, _buyer in report.meetings
        ],
        "by_country": [[name, n] for name, n in report.by_country],
        "by_kind": [[name, n] for name, n in report.by_kind],
    }


def late_lead_ids(application: ExhibitorApplication) -> set[int]:
    """Leads an operator recorded outside the fair's dates (with a reason: a time-rule override)."""
    from django.contrib.contenttypes.models import ContentType

    from jingxiang.core.models import TimeRuleOverride

    ids = [str(pk) for pk in application.leads.values_list("pk", flat=True)]
    if not ids:
        return set()
    rows = TimeRuleOverride.objects.filter(
        content_type=ContentType.objects.get_for_model(Lead), object_id__in=ids
    ).values_list("object_id", flat=True)
    return {int(pk) for pk in rows}


def buyer_meetings(buyer: Buyer) -> list[Meeting]:
    """The buyer's meeting requests, asked or received, in schedule order."""
    if buyer.participant_id is None:
        return []
    return list(
        Meeting.objects.filter(Q(requester_id=buyer.participant_id) | Q(recipient_id=buyer.participant_id))
        .select_related("requester", "recipient", "slot", "table")
        .order_by("slot__starts_at", "-created_at")
    )


def open_partners(buyer: Buyer, meetings: list[Meeting]) -> set[int]:
    """The registrations the buyer already has an open request with, whichever side asked: no second
    request is offered to them."""
    return {
        m.recipient_id if m.requester_id == buyer.participant_id else m.requester_id
        for m in meetings
        if m.status in {RequestStatus.PENDING, RequestStatus.ACCEPTED}
    }
