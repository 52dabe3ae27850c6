"""Who may see and do what around matchmaking events.

Operators run events (create, schedule, check in, mark attendance). A firm registers through its org
admin or talent officer, an institution through its org admin, an expert through their own login.
A registration's requests, agenda and feedback are seen only by those acting for it and by operators;
"not found" and "forbidden" both raise Http404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.events.models import (
    DEFAULT_REGISTRANT_ROLES,
    REGISTRANT_ROLE_CHOICES,
    Attendance,
    Event,
    EventStatus,
    EventTable,
    FollowUp,
    Meeting,
    Participant,
    ParticipantKind,
    RequestStatus,
    ScheduleRun,
    Session,
    TimeSlot,
)
from jingxiang.organisations.models import OrganisationKind
from jingxiang.organisations.permissions import approved_organisation_ids, is_operator

INSTITUTION_KINDS = frozenset(
    {
        OrganisationKind.UNIVERSITY,
        OrganisationKind.TESTING_LAB,
        OrganisationKind.SERVICE_AGENCY,
        OrganisationKind.ASSOCIATION,
    }
)


def participant_kind_of(organisation: Any) -> str | None:
    """The kind of registration an organisation makes (a firm, an institution) or None (not admitted)."""
    if organisation.kind == OrganisationKind.FIRM:
        return ParticipantKind.FIRM
    if organisation.kind in INSTITUTION_KINDS:
        return ParticipantKind.INSTITUTION
    return None


def _admitted_roles(kind: str, event: Event | None) -> set[str]:
    rules = event.registrant_roles if event is not None else DEFAULT_REGISTRANT_ROLES
    return set((rules or {}).get(kind) or [])


def registrable_profiles(user: Any, event: Event | None = None) -> list[tuple[str, Any]]:
    """(kind, profile) pairs the user may register: organisations where they hold a role the rules admit
    (the event's rules, or the platform default without an event), and their own talent profile.

    Without an event the answer is cached on the user for the request: the menu asks on every page.
    """
    from jingxiang.organisations.models import Organisation, own_talent_profile

    profiles: list[tuple[str, Any]] = []
    if not getattr(user, "is_authenticated", False):
        return profiles
    cached = getattr(user, "_jingxiang_event_profiles", None) if event is None else None
    if cached is not None:
        return list(cached)
    # Only roles some kind admits are looked at, so a plain member costs no query where nobody admits them.
    wanted = _admitted_roles(ParticipantKind.FIRM, event) | _admitted_roles(
        ParticipantKind.INSTITUTION, event
    )
    held: dict[int, set[str]] = {}
    for role in wanted & set(REGISTRANT_ROLE_CHOICES):
        for organisation_id in approved_organisation_ids(user, role):
            held.setdefault(organisation_id, set()).add(role)
    if held:
        for organisation in Organisation.objects.filter(pk__in=held).order_by("name"):
            kind = participant_kind_of(organisation)
            if kind is not None and held[organisation.pk] & _admitted_roles(kind, event):
                profiles.append((kind, organisation))
    talent = own_talent_profile(user)
    if talent is not None:
        profiles.append((ParticipantKind.EXPERT, talent))
    if event is None:
        user._jingxiang_event_profiles = tuple(profiles)
    return profiles


def may_register(user: Any) -> bool:
    return bool(registrable_profiles(user))


def access_event(user: Any, pk: int, *, write: bool = False) -> Event:
    """The event if the user may see it (operators: also change it with ``write``); 404 otherwise."""
    event = Event.objects.visible_to(user).filter(pk=pk).first()
    if event is None or (write and not is_operator(user)):
        raise Http404
    return event


def my_participants(user: Any, event: Event) -> list[Participant]:
    return list(Participant.objects.acting_for(user).filter(event=event, archived_at__isnull=True))


def access_participant(user: Any, pk: int, *, write: bool = False) -> Participant:
    """A registration: operators and those acting for it; with ``write`` the same (presence, caps)."""
    participant = Participant.objects.select_related("event").filter(pk=pk, archived_at__isnull=True).first()
    if participant is None:
        raise Http404
    if is_operator(user):
        return participant
    if not Participant.objects.acting_for(user).filter(pk=participant.pk).exists():
        raise Http404
    return participant


def access_participant_by_code(user: Any, code: str) -> Participant:
    """The registration behind a personal check-in code: for operators (staff at the door) only."""
    participant = (
        Participant.objects.select_related("event").filter(checkin_code=code.upper()).first()
        if is_operator(user)
        else None
    )
    if participant is None:
        raise Http404
    return participant


def may_browse_participants(user: Any, event: Event) -> bool:
    """The participant directory of an event is for operators and the event's own registrations."""
    return is_operator(user) or bool(my_participants(user, event))


def access_meeting(user: Any, pk: int, *, write: bool = False) -> Meeting:
    """A meeting request: operators and the two parties. Writing (answering, feedback) is the same set;
    the services check which side may do what."""
    meeting = (
        Meeting.objects.visible_to(user)
        .select_related("event", "requester", "recipient", "slot", "table")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def access_run(user: Any, pk: int) -> ScheduleRun:
    """A scheduling run: operators only."""
    run = (
        ScheduleRun.objects.select_related("event", "job").filter(pk=pk).first()
        if is_operator(user)
        else None
    )
    if run is None:
        raise Http404
    return run


def may_register_for(user: Any, event: Event) -> bool:
    """Registration is open and the user acts for a profile the event admits that is not registered yet."""
    if event.status != EventStatus.OPEN:
        return False
    registered = {(p.kind, p.organisation_id or p.talent_id) for p in my_participants(user, event)}
    return any(
        (kind, profile.pk) not in registered and event.allows(kind)
        for kind, profile in registrable_profiles(user, event)
    )


def may_register_others(user: Any, event: Event) -> bool:
    """Operators register organisations and experts on their behalf (at the desk, by phone) while the
    event takes registrations or its schedule is published (late arrivals)."""
    return is_operator(user) and event.status in {EventStatus.OPEN, EventStatus.PUBLISHED}


def may_change_layout(user: Any, event: Event) -> bool:
    """Operators edit or remove sessions, slots and tables until the event has ended."""
    return is_operator(user) and event.status != EventStatus.CLOSED


def may_request_meetings(acting: Participant | None, event: Event) -> bool:
    """A registration may ask others for meetings while the event is open or its schedule published."""
    return acting is not None and event.status in {EventStatus.OPEN, EventStatus.PUBLISHED}


def may_respond(side: Participant | None, meeting: Meeting) -> bool:
    """Only the recipient answers, and only a pending request."""
    return side is not None and side.pk == meeting.recipient_id and meeting.status == RequestStatus.PENDING


def may_withdraw(side: Participant | None, meeting: Meeting) -> bool:
    """The requester withdraws a pending or accepted request that is not yet on anyone's agenda."""
    return (
        side is not None
        and side.pk == meeting.requester_id
        and meeting.status in {RequestStatus.PENDING, RequestStatus.ACCEPTED}
        and not meeting.announced
    )


def feedback_sides(user: Any, meeting: Meeting, given: set[int]) -> list[Participant]:
    """The sides the user may still record a cooperation intention for (operators: either side)."""
    scheduled = meeting.status == RequestStatus.ACCEPTED and meeting.slot_id is not None
    if not scheduled or meeting.attendance == Attendance.NO_SHOW:
        return []
    mine = {p.pk for p in my_participants(user, meeting.event)}
    return [
        p
        for p in (meeting.requester, meeting.recipient)
        if p.pk not in given and (is_operator(user) or p.pk in mine)
    ]


def attention_cards(user: Any) -> list[dict[str, Any]]:
    """Requests waiting for the user's answer; for operators, events whose registration is open."""
    cards: list[dict[str, Any]] = []
    if not getattr(user, "is_authenticated", False):
        return cards
    if is_operator(user):
        counts = Event.objects.filter(archived_at__isnull=True).aggregate(
            open=Count("pk", filter=Q(status=EventStatus.OPEN))
        )
        if counts["open"]:
            cards.append(
                {
                    "title": _("报名中的对接会"),
                    "count": counts["open"],
                    "url": reverse("events:list") + "?status=open",
                    "tone": "waiting",
                }
            )
        return cards
    mine = Participant.objects.acting_for(user).filter(archived_at__isnull=True).values("pk")
    waiting = Meeting.objects.filter(
        recipient__in=mine, status=RequestStatus.PENDING, event__archived_at__isnull=True
    ).count()
    if waiting:
        cards.append(
            {
                "title": _("等待您答复的洽谈预约"),
                "count": waiting,
                "url": reverse("events:requests") + "?box=incoming&status=pending",
                "tone": "waiting",
            }
        )
    return cards


def access_participant_photo(user: Any, pk: int) -> Participant:
    """A registration's photo: for those who may browse the event's directory (its registrations and
    operators), where it is shown next to the name."""
    participant = Participant.objects.select_related("event").filter(pk=pk, archived_at__isnull=True).first()
    if participant is None or not participant.photo or not may_browse_participants(user, participant.event):
        raise Http404
    return participant


def _layout_part(user: Any, queryset: Any, pk: int) -> Any:
    part = queryset.filter(pk=pk).first() if is_operator(user) else None
    if part is None or not may_change_layout(user, part.event):
        raise Http404
    return part


def access_session(user: Any, pk: int) -> Session:
    """A current session, for an operator changing the layout of an event not yet ended; 404 otherwise."""
    session: Session = _layout_part(user, Session.objects.select_related("event"), pk)
    return session


def access_slot(user: Any, pk: int) -> TimeSlot:
    """A current time slot, on the same terms as ``access_session``."""
    slot: TimeSlot = _layout_part(user, TimeSlot.objects.select_related("event", "session"), pk)
    return slot


def access_table(user: Any, pk: int) -> EventTable:
    """A current table or room, on the same terms as ``access_session``."""
    table: EventTable = _layout_part(user, EventTable.objects.select_related("event"), pk)
    return table


def access_follow_up(user: Any, pk: int) -> FollowUp:
    """A follow-up: operators and those acting for either party of its meeting."""
    follow_up = (
        FollowUp.objects.select_related("meeting", "event").filter(pk=pk, archived_at__isnull=True).first()
    )
    if follow_up is None or not Meeting.objects.visible_to(user).filter(pk=follow_up.meeting_id).exists():
        raise Http404
    return follow_up
