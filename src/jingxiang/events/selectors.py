"""Reads for events: the scheduler instance, suggestions, reasons in Chinese, agendas and the report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.core.pages import NextStep, first_step
from jingxiang.events.models import (
    Attendance,
    Event,
    EventStatus,
    FollowUpKind,
    Meeting,
    Participant,
    ParticipantKind,
    RequestStatus,
    TimeSlot,
)


def users_acting_for(participant: Participant) -> list[Any]:
    """Logins that act for a registration (who gets its notifications)."""
    users = get_user_model().objects.filter(is_active=True)
    if participant.kind == ParticipantKind.EXPERT:
        return list(users.filter(talent__pk=participant.talent_id))
    if participant.organisation_id is None:
        return []  # a guest without a login (told by the app that registered them)
    roles = (participant.event.registrant_roles or {}).get(participant.kind) or []
    return list(
        users.filter(
            memberships__organisation_id=participant.organisation_id,
            memberships__role__in=roles,
            memberships__is_active=True,
        ).distinct()
    )


def published_demands(organisation: Any) -> list[Any]:
    """The firm's published demands, offered when it registers (empty while the demands app is absent)."""
    try:
        demand_model = apps.get_model("demands", "Demand")
    except LookupError:
        return []
    if organisation is None:
        return []
    return list(demand_model.objects.open().filter(organisation=organisation).order_by("-pk")[:20])


# Suggestions -----------------------------------------------------------------------------------------


def suggestions_for(participant: Participant, top: int = 10) -> list[tuple[Participant, Decimal, str]]:
    """Registrations of the same event that the matching engine suggests for ``participant``'s demand
    (or stated needs): (participant, score in [0, 1], why). Empty when the participant has nothing to
    match on."""
    if participant.kind != ParticipantKind.FIRM:
        return []  # suggestions answer a firm's demand; experts and institutions are the supply side
    from jingxiang.matchindex.selectors import suggest_suppliers

    demand = participant.demand if participant.demand_object_id else None
    title = getattr(demand, "title", "") or participant.needs[:60]
    if not title:
        return []
    others = list(
        Participant.objects.filter(event_id=participant.event_id, archived_at__isnull=True).exclude(
            pk=participant.pk
        )
    )
    by_talent = {p.talent_id: p for p in others if p.talent_id}
    by_organisation = {p.organisation_id: p for p in others if p.organisation_id}
    suggestions = suggest_suppliers(
        title=title,
        description=getattr(demand, "description", "") or participant.needs,
        category=getattr(demand, "category", "") or "",
        region=getattr(demand, "region", "") or "",
        hours_needed=getattr(demand, "hours_needed", 0) or 0,
        kinds=None,
        exclude_talent_ids=[],
        exclude_organisation_ids=[participant.organisation_id] if participant.organisation_id else [],
        top=200,
    )
    found: list[tuple[Participant, Decimal, str]] = []
    for suggestion in suggestions:
        table = by_talent if suggestion.kind == "talent" else by_organisation
        match = table.get(suggestion.object_id)
        if match is not None and all(match.pk != f.pk for f, _s, _w in found):
            score = min(Decimal("1"), max(Decimal("0"), Decimal(str(round(float(suggestion.score), 4)))))
            why = suggestion.why if isinstance(suggestion.why, str) else ";".join(suggestion.why)
            found.append((match, score, why))
        if len(found) >= top:
            break
    return found


def suggestion_score(requester: Participant, recipient: Participant) -> Decimal:
    """The engine's fit between the two (either side's demand), added to the meeting's weight."""
    for source, target in ((requester, recipient), (recipient, requester)):
        for participant, score, _why in suggestions_for(source, top=50):
            if participant.pk == target.pk:
                return score
    return Decimal("0")


# Scheduling -------------------------------------------------------------------------------------------


def schedule_instance(event: Event) -> dict[str, Any]:
    """The scheduler's instance JSON for the event's accepted requests.

    Weights: must = 3, nice = 1, plus the suggestion score. Operator locks become ``locked``; meetings
    already on published agendas become ``announced`` so a re-run keeps them where they are.
    """
    meetings = list(
        event.meetings.filter(
            status=RequestStatus.ACCEPTED,
            requester__archived_at__isnull=True,
            recipient__archived_at__isnull=True,
        ).order_by("pk")
    )
    involved = {m.requester_id for m in meetings} | {m.recipient_id for m in meetings}
    presence: dict[int, list[int]] = defaultdict(list)
    slot_order = list(event.slots.order_by("starts_at", "pk").values_list("pk", flat=True))
    position = {pk: i for i, pk in enumerate(slot_order)}
    through = Participant.slots.through.objects.filter(
        participant_id__in=involved, timeslot__removed_at__isnull=True
    )
    for participant_id, slot_id in through.values_list("participant_id", "timeslot_id"):
        presence[participant_id].append(slot_id)
    participants = (
        Participant.objects.filter(pk__in=involved).order_by("pk").values_list("pk", "max_meetings")
    )
    data: dict[str, Any] = {
        "slots": [{"id": pk} for pk in slot_order],
        "tables": [{"id": pk, "capacity": cap} for pk, cap in event.tables.values_list("pk", "capacity")],
        "participants": [
            {"id": pk, "available_slots": sorted(presence[pk], key=position.__getitem__), "max_meetings": cap}
            for pk, cap in participants
        ],
        "meetings": [
            {
                "id": m.pk,
                "participants": [m.requester_id, m.recipient_id],
                "weight": float(m.weight),
                "locked": {"slot": m.slot_id, "table": m.table_id} if m.locked and m.slot_id else None,
            }
            for m in meetings
        ],
    }
    announced = [
        {"meeting_id": m.pk, "slot": m.slot_id, "table": m.table_id}
        for m in meetings
        if m.announced and not m.locked and m.slot_id and m.table_id
    ]
    if announced:
        data["announced"] = announced
    return data


_REASONS = (
    ("table capacity too small", gettext_lazy("洽谈桌座位不足")),
    ("participant(s)", gettext_lazy("有一方不接受洽谈(洽谈上限为 0)")),
    ("no common available slot", gettext_lazy("双方没有共同的在场时段")),
    ("no table seating", gettext_lazy("共同在场的时段里没有足够大的洽谈桌")),
    ("participant ", gettext_lazy("有一方已达洽谈上限,已排入优先级更高的洽谈")),
    ("displaced by higher-weight", gettext_lazy("共同在场时段被优先级更高的洽谈占用")),
    ("displaced by locked or announced", gettext_lazy("共同在场时段被锁定或已公布的洽谈占用")),
    ("every slot where all participants", gettext_lazy("共同在场时段均已排满")),
    ("weight 0", gettext_lazy("权重为 0,排入不增加价值")),
    ("not placed before the time limit", gettext_lazy("计算时限内未排入,可延长计算时限或手动安排")),
    ("left out although", gettext_lazy("有空位,但排入后总价值不变")),
    ("this locked meeting breaks", gettext_lazy("该锁定洽谈违反排程规则,请先调整")),
    ("not scheduled: the locked", gettext_lazy("锁定的洽谈互相冲突,请先调整锁定")),
    ("the meeting is no longer", gettext_lazy("预约已撤回或被婉拒")),
    ("the operator locked", gettext_lazy("运营人员已将其锁定到新位置")),
)


def reason_label(reason: str) -> str:
    """A short Chinese explanation of the scheduler's reason (the engine's text stays as the detail)."""
    if not reason:
        return ""
    if any("\u4e00" <= ch <= "\u9fff" for ch in reason):
        return reason  # an operator's own words (a removed slot or table), shown as written
    for prefix, label in _REASONS:
        if reason.startswith(prefix):
            return str(label)
    if "no longer present" in reason or "now has a cap" in reason or "no longer exists" in reason:
        return _("报名信息变更后,原公布的位置无法保留")
    if "is taken in that slot" in reason or " is in " in reason:
        return _("原公布的位置与锁定或更重要的洽谈冲突")
    return _("未能排入")


# Agendas and the report ----------------------------------------------------------------------------


def agenda(participant: Participant) -> list[Meeting]:
    """The participant's scheduled meetings, in time order."""
    return list(
        Meeting.objects.filter(
            Q(requester=participant) | Q(recipient=participant),
            status=RequestStatus.ACCEPTED,
            slot__isnull=False,
        )
        .select_related("slot", "table", "requester", "recipient")
        .order_by("slot__starts_at", "pk")
    )


def event_report(event: Event) -> dict[str, Any]:
    """Figures for the event report: registrations, requests, meetings held, no-shows, follow-ups."""
    participants = event.participants.filter(archived_at__isnull=True).aggregate(
        total=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False))
    )
    meetings = event.meetings.aggregate(
        requests=Count("pk"),
        accepted=Count("pk", filter=Q(status=RequestStatus.ACCEPTED)),
        declined=Count("pk", filter=Q(status=RequestStatus.DECLINED)),
        expired=Count("pk", filter=Q(status=RequestStatus.EXPIRED)),
        pending=Count("pk", filter=Q(status=RequestStatus.PENDING)),
        scheduled=Count("pk", filter=Q(status=RequestStatus.ACCEPTED, slot__isnull=False)),
        held=Count("pk", filter=Q(attendance=Attendance.HELD)),
        no_shows=Count("pk", filter=Q(attendance=Attendance.NO_SHOW)),
    )
    follow_ups = event.follow_ups.filter(archived_at__isnull=True).aggregate(
        total=Count("pk"),
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in FollowUpKind.values},
    )
    return {"participants": participants, "meetings": meetings, "follow_ups": follow_ups}


def event_next_step(event: Event) -> NextStep:
    """Who acts next on an event (UI rule: every workflow object says it)."""
    return first_step(
        (event.status == EventStatus.DRAFT, NextStep(_("等待 平台运营人员 添加场次、洽谈桌并开放报名"))),
        (event.status == EventStatus.OPEN, NextStep(_("报名与预约进行中;等待 平台运营人员 排程并发布日程"))),
        (
            event.status == EventStatus.PUBLISHED,
            NextStep(_("日程已发布;当天由 平台运营人员 签到并登记洽谈情况")),
        ),
        (True, NextStep(_("已结束,可查看对接成果报告"))),
    ) or NextStep("")


def meeting_next_step(meeting: Meeting, given: set[int]) -> NextStep | None:
    """Who acts next on a meeting request, given the sides that have recorded their intention."""
    scheduled = meeting.status == RequestStatus.ACCEPTED and meeting.slot_id is not None
    missing = [p.name for p in (meeting.requester, meeting.recipient) if p.pk not in given]
    # Translators: separator between the names of the parties still to record their intention.
    separator = _("、")
    return first_step(
        (
            meeting.status == RequestStatus.PENDING,
            NextStep(_("等待 %(n)s 答复") % {"n": meeting.recipient.name}),
        ),
        (
            meeting.status == RequestStatus.ACCEPTED and not scheduled,
            NextStep(_("等待 平台运营人员 排程并发布日程")),
        ),
        (
            scheduled and meeting.attendance == Attendance.PLANNED,
            NextStep(_("等待洽谈进行,之后双方登记合作意向")),
        ),
        (
            scheduled and meeting.attendance == Attendance.HELD and bool(missing),
            NextStep(_("等待 %(n)s 登记合作意向") % {"n": separator.join(missing)}),
        ),
    )


def open_requests_by_party(acting: Participant | None) -> dict[int, Meeting]:
    """The acting registration's pending or accepted requests, by the other party's id."""
    if acting is None:
        return {}
    requested: dict[int, Meeting] = {}
    for meeting in Meeting.objects.filter(
        Q(requester=acting) | Q(recipient=acting), status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED]
    ):
        # Ids only: loading the other party would cost one query per meeting.
        other_id = meeting.recipient_id if meeting.requester_id == acting.pk else meeting.requester_id
        requested[other_id] = meeting
    return requested


def request_counts(event: Event) -> dict[str, int]:
    """Accepted, pending and operator-locked requests of an event (the scheduling page), one query."""
    return event.meetings.aggregate(
        accepted=Count("pk", filter=Q(status=RequestStatus.ACCEPTED)),
        pending=Count("pk", filter=Q(status=RequestStatus.PENDING)),
        locked=Count("pk", filter=Q(status=RequestStatus.ACCEPTED, locked=True)),
    )


def check_in_counts(event: Event) -> dict[str, int]:
    """Registrations and check-ins so far (the door and the live board), one query."""
    return event.participants.filter(archived_at__isnull=True).aggregate(
        total=Count("pk"), checked=Count("pk", filter=Q(checked_in_at__isnull=False))
    )


def checkin_code_of(text: str) -> str:
    """The personal check-in code in what was scanned or typed: the code itself, or the URL of a
    participant's QR (…/events/checkin/<code>/)."""
    text = (text or "").strip()
    if "/checkin/" in text:
        text = text.rstrip("/").rsplit("/", 1)[-1]
    return text.upper()[:32]


def participant_by_code(event: Event, text: str) -> Participant | None:
    """The event's current registration whose check-in code was scanned or typed, or None."""
    code = checkin_code_of(text)
    if not code:
        return None
    return event.participants.filter(archived_at__isnull=True, checkin_code=code).first()


def participants_matching(event: Event, query: str) -> Any:
    """Registrations found at the door by name, contact or personal code (a scanned check-in URL too)."""
    found = event.participants.filter(archived_at__isnull=True)
    if not query:
        return found
    code = query.rsplit("/", 2)[-2] if query.endswith("/") and "/checkin/" in query else query
    return found.filter(
        Q(name__icontains=query) | Q(contact_name__icontains=query) | Q(checkin_code=code.upper())
    )


# Changing the layout (sessions, slots, tables) -----------------------------------------------------------


@dataclass
class LayoutImpact:
    """What a change of sessions, slots or tables does, shown before the operator confirms it.

    ``moved``: open meetings that keep going but change (lose their place and wait for the next
    scheduling run, or change time or table), with a line saying how; ``dropped``: meetings whose two
    parties no longer share a time slot, cancelled with the reason; ``presence``: registrations that
    lose time slots they said they are present for; ``told``: everyone notified.
    """

    moved: list[tuple[Meeting, str]] = field(default_factory=list)
    dropped: list[Meeting] = field(default_factory=list)
    presence: list[Participant] = field(default_factory=list)

    @property
    def told(self) -> list[Participant]:
        people: dict[int, Participant] = {}
        for meeting in [m for m, _why in self.moved] + self.dropped:
            people.setdefault(meeting.requester_id, meeting.requester)
            people.setdefault(meeting.recipient_id, meeting.recipient)
        for participant in self.presence:
            people.setdefault(participant.pk, participant)
        return sorted(people.values(), key=lambda p: (p.name, p.pk))

    @property
    def quiet(self) -> bool:
        return not (self.moved or self.dropped or self.presence)


def _open_meetings(event: Event) -> list[Meeting]:
    return list(
        event.meetings.filter(status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED])
        .select_related("requester", "recipient", "slot", "table")
        .order_by("pk")
    )


def _presence(event: Event) -> dict[int, set[int]]:
    through = Participant.slots.through.objects.filter(
        participant__event=event, participant__archived_at__isnull=True, timeslot__removed_at__isnull=True
    )
    presence: dict[int, set[int]] = defaultdict(set)
    for participant_id, slot_id in through.values_list("participant_id", "timeslot_id"):
        presence[participant_id].add(slot_id)
    return presence


def removal_impact(
    event: Event, *, slot_ids: frozenset[int] = frozenset(), table_ids: frozenset[int] = frozenset()
) -> LayoutImpact:
    """Removing time slots and/or tables: placed meetings there lose their place (re-scheduled later);
    meetings whose parties then share no slot are dropped; registrations present in a removed slot lose
    it."""
    impact = LayoutImpact()
    presence = _presence(event)
    remaining = {pk: slots - set(slot_ids) for pk, slots in presence.items()}
    for meeting in _open_meetings(event):
        common = remaining.get(meeting.requester_id, set()) & remaining.get(meeting.recipient_id, set())
        if not common:
            impact.dropped.append(meeting)
        elif meeting.slot_id in slot_ids or (meeting.table_id is not None and meeting.table_id in table_ids):
            impact.moved.append(
                (meeting, _("失去原定位置(%(place)s),等待重新排程") % {"place": _place(meeting)})
            )
    losing = [pk for pk, slots in presence.items() if slots & set(slot_ids)]
    impact.presence = list(Participant.objects.filter(pk__in=losing).order_by("name", "pk"))
    return impact


def shift_impact(event: Event, *, slot_ids: frozenset[int], delta: dt.timedelta) -> LayoutImpact:
    """Moving a session's slots in time: their placed meetings move with them; present people are told."""
    impact = LayoutImpact()
    if not delta:
        return impact
    for meeting in _open_meetings(event):
        if meeting.slot_id in slot_ids and meeting.slot is not None:
            start = timezone.localtime(meeting.slot.starts_at + delta)
            impact.moved.append((meeting, _("改到 %(time)s") % {"time": f"{start:%m-%d %H:%M}"}))
    presence = _presence(event)
    impact.presence = list(
        Participant.objects.filter(pk__in=[pk for pk, s in presence.items() if s & slot_ids]).order_by(
            "name", "pk"
        )
    )
    return impact


def slot_change_impact(
    event: Event, *, slot: TimeSlot, starts_at: dt.datetime, ends_at: dt.datetime
) -> LayoutImpact:
    """Moving or resizing one time slot: the meetings placed in it keep it and change time; the people
    present in it are told (they said they are there then, and "then" changed)."""
    impact = LayoutImpact()
    if slot.starts_at == starts_at and slot.ends_at == ends_at:
        return impact
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    change = _("改到 %(time)s") % {"time": f"{start:%m-%d %H:%M}–{end:%H:%M}"}
    for meeting in _open_meetings(event):
        if meeting.slot_id == slot.pk:
            impact.moved.append((meeting, change))
    presence = _presence(event)
    impact.presence = list(
        Participant.objects.filter(pk__in=[pk for pk, s in presence.items() if slot.pk in s]).order_by(
            "name", "pk"
        )
    )
    return impact


def table_change_impact(event: Event, *, table_id: int, name: str) -> LayoutImpact:
    """Renaming a table: meetings placed at it are told where they now meet."""
    impact = LayoutImpact()
    for meeting in _open_meetings(event):
        placed = meeting.table_id == table_id and meeting.slot_id is not None and meeting.table is not None
        if placed and meeting.table.name != name:  # type: ignore[union-attr]
            impact.moved.append((meeting, _("改在 %(table)s") % {"table": name}))
    return impact


def _place(meeting: Meeting) -> str:
    if meeting.slot is None:
        return _("未排入")
    return f"{meeting.slot} · {meeting.table or ''}".strip(" ·")


def role_rules(event: Event) -> list[tuple[str, list[str]]]:
    """The event's registration rule in words: per admitted kind, the member roles that may register."""
    from jingxiang.organisations.models import Role

    rules = event.registrant_roles or {}
    shown = []
    for kind in (ParticipantKind.FIRM, ParticipantKind.INSTITUTION):
        if event.allows(kind):
            roles = [str(Role(r).label) for r in rules.get(kind, []) if r in Role.values]
            shown.append((str(kind.label), roles))
    if event.allow_experts:
        shown.append((str(ParticipantKind.EXPERT.label), [_("本人")]))
    return shown
