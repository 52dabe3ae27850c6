"""Writes for matchmaking events. Each validates, authorises and runs in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.services import notification_send
from jingxiang.core.texts import Text
from jingxiang.core.timerules import REASON_FIELD, enforce_time_rules
from jingxiang.events import selectors, texts
from jingxiang.events.models import (
    REGISTRANT_ROLE_CHOICES,
    Attendance,
    Event,
    EventStatus,
    EventTable,
    Feedback,
    FollowUp,
    FollowUpKind,
    Meeting,
    Participant,
    ParticipantKind,
    RequestPriority,
    RequestStatus,
    RunStatus,
    ScheduleRun,
    Session,
    TimeSlot,
)
from jingxiang.events.permissions import participant_kind_of, registrable_profiles
from jingxiang.events.photos import clean_photo
from jingxiang.events.rules import ATTENDANCE_RULES, CHECK_IN_RULES, EVENT_RULES, SESSION_RULES, SLOT_RULES
from jingxiang.organisations.permissions import is_operator

EVENT_FIELDS = (
    "title",
    "venue",
    "description",
    "event_date",
    "allow_firms",
    "allow_experts",
    "allow_institutions",
    "max_meetings_cap",
    "request_cap_firm",
    "request_cap_expert",
    "request_cap_institution",
    "requests_expire_at",
    "registrant_roles",
)
MAX_SLOTS_PER_SESSION = 48
MAX_TABLES = 500
SCHEDULE_JOB_KIND = "events_schedule"


def _require_operator(actor: Any) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以管理对接会。"))


def _check_event_rules(event: Event) -> None:
    if not (event.allow_firms or event.allow_experts or event.allow_institutions):
        raise ValidationError(_("至少允许一类参会者报名(企业、专家或高校/机构)。"), code="no_kinds")
    if event.max_meetings_cap < 1:
        raise ValidationError(_("每位参会者的洽谈上限至少为 1 场。"), code="cap")
    rules = event.registrant_roles
    if not isinstance(rules, dict) or set(rules) - {"firm", "institution"}:
        raise ValidationError(_("报名角色规则有误。"), code="roles")
    for roles in rules.values():
        if not isinstance(roles, list) or set(roles) - set(REGISTRANT_ROLE_CHOICES):
            raise ValidationError(_("报名角色规则有误。"), code="roles")
    if event.allow_firms and not rules.get("firm"):
        raise ValidationError(_("企业可报名时,请至少选择一种可代表企业报名的角色。"), code="roles")
    if event.allow_institutions and not rules.get("institution"):
        raise ValidationError(_("高校/机构可报名时,请至少选择一种可代表机构报名的角色。"), code="roles")


@transaction.atomic
def event_create(*, actor: Any, data: dict[str, Any]) -> Event:
    """An operator sets up an event (in preparation until registration is opened)."""
    _require_operator(actor)
    check = enforce_time_rules(EVENT_RULES, data, actor=actor, reason=data.get(REASON_FIELD, ""))
    event = Event(created_by=actor, status=EventStatus.DRAFT)
    for field in EVENT_FIELDS:
        if field in data:
            setattr(event, field, data[field])
    _check_event_rules(event)
    event.full_clean()
    event.save()
    check.record(event)
    return event


@transaction.atomic
def event_update(*, actor: Any, event: Event, data: dict[str, Any]) -> Event:
    """Change an event's details and registration rules (not once it has ended)."""
    _require_operator(actor)
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status == EventStatus.CLOSED:
        raise ValidationError(_("对接会已结束,不能再修改。"), code="closed")
    # Only a date being moved is checked: a past event's description can still be corrected.
    moved = {
        k: v for k, v in data.items() if k in ("event_date", "requests_expire_at") and v != getattr(event, k)
    }
    check = enforce_time_rules(EVENT_RULES, moved, actor=actor, reason=data.get(REASON_FIELD, ""))
    for field in EVENT_FIELDS:
        if field in data:
            setattr(event, field, data[field])
    _check_event_rules(event)
    event.full_clean()
    event.save()
    check.record(event)
    return event


@transaction.atomic
def session_add(
    *,
    actor: Any,
    event: Event,
    name: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    slot_minutes: int,
    backdate_reason: str = "",
) -> Session:
    """Add a session and cut it into time slots of ``slot_minutes`` (a trailing remainder is dropped)."""
    _require_operator(actor)
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status == EventStatus.CLOSED:
        raise ValidationError(_("对接会已结束,不能再增加场次。"), code="closed")
    check = enforce_time_rules(
        SESSION_RULES, {"starts_at": starts_at, "ends_at": ends_at}, actor=actor, reason=backdate_reason
    )
    if not 5 <= slot_minutes <= 240:
        raise ValidationError(_("每个时段的长度须在 5 到 240 分钟之间。"), code="slot_length")
    count = int((ends_at - starts_at).total_seconds() // (slot_minutes * 60))
    if count < 1:
        raise ValidationError(_("场次时长不足一个时段。"), code="too_short")
    if count > MAX_SLOTS_PER_SESSION:
        raise ValidationError(
            _("一个场次最多 %(n)s 个时段,请加长每个时段或拆分场次。") % {"n": MAX_SLOTS_PER_SESSION},
            code="too_many_slots",
        )
    if Session.objects.filter(event=event, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationError(_("与已有场次的时间重叠。"), code="overlap")
    session = Session.objects.create(event=event, name=name, starts_at=starts_at, ends_at=ends_at)
    check.record(session)
    step = dt.timedelta(minutes=slot_minutes)
    TimeSlot.objects.bulk_create(
        TimeSlot(
            event=event, session=session, starts_at=starts_at + i * step, ends_at=starts_at + (i + 1) * step
        )
        for i in range(count)
    )
    return session


@transaction.atomic
def tables_add(*, actor: Any, event: Event, count: int, capacity: int, prefix: str = "") -> list[EventTable]:
    """Add ``count`` tables (or rooms) seating ``capacity`` each, numbered after the existing ones."""
    _require_operator(actor)
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status == EventStatus.CLOSED:
        raise ValidationError(_("对接会已结束,不能再增加洽谈桌。"), code="closed")
    if count < 1 or capacity < 2:
        raise ValidationError(_("至少增加 1 张桌,每张桌至少 2 个座位。"), code="bad_tables")
    existing = EventTable.objects.filter(event=event).count()
    if existing + count > MAX_TABLES:
        raise ValidationError(_("一场对接会最多 %(n)s 张洽谈桌。") % {"n": MAX_TABLES}, code="too_many")
    label = prefix or _("洽谈桌")
    tables = [
        EventTable(event=event, name=f"{label} {existing + i + 1}", capacity=capacity) for i in range(count)
    ]
    if EventTable.objects.filter(event=event, name__in=[t.name for t in tables]).exists():
        raise ValidationError(_("桌号与已有洽谈桌重名,请换一个前缀。"), code="duplicate_name")
    return EventTable.objects.bulk_create(tables)


# Changing sessions, slots and tables --------------------------------------------------------------------


def _layout_event(actor: Any, event_id: int) -> Event:
    _require_operator(actor)
    event = Event.objects.select_for_update(of=("self",)).get(pk=event_id)
    if event.status == EventStatus.CLOSED:
        raise ValidationError(_("对接会已结束,不能再调整场次、时段或洽谈桌。"), code="closed")
    return event


def _current(queryset: Any) -> Any:
    found = queryset.first()
    if found is None:
        raise ValidationError(_("该场次、时段或洽谈桌已被取消。"), code="removed")
    return found


def _need_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请写明调整原因,受影响的参会者会看到。"), code="reason_required")
    return reason[:300]


def _apply_impact(
    event: Event, impact: selectors.LayoutImpact, reason: str, *, unplace: bool, tell_presence: bool = True
) -> None:
    """Carry out what the preview showed: moved meetings lose their place (when ``unplace``), dropped
    ones are cancelled with the reason (never deleted), and everyone affected is told."""
    for meeting, change in impact.moved:
        if unplace:
            meeting.slot = meeting.table = None
            meeting.announced = meeting.locked = False
            meeting.unscheduled_reason = reason[:500]
            meeting.save(
                update_fields=["slot", "table", "announced", "locked", "unscheduled_reason", "updated_at"]
            )
        for side in (meeting.requester, meeting.recipient):
            _notify(
                side,
                texts.LAYOUT_MOVED(event=event.title, other=meeting.other_party(side).name, change=change),
                reverse("events:meeting", args=[meeting.pk]),
            )
    for meeting in impact.dropped:
        meeting.status = RequestStatus.CANCELLED
        meeting.cancel_reason = reason
        meeting.slot = meeting.table = None
        meeting.announced = meeting.locked = False
        meeting.save(
            update_fields=["status", "cancel_reason", "slot", "table", "announced", "locked", "updated_at"]
        )
        for side in (meeting.requester, meeting.recipient):
            _notify(
                side,
                texts.LAYOUT_DROPPED(event=event.title, other=meeting.other_party(side).name, reason=reason),
                reverse("events:meeting", args=[meeting.pk]),
            )
    in_meetings = {p.pk for m, _c in impact.moved for p in (m.requester, m.recipient)}
    in_meetings |= {p.pk for m in impact.dropped for p in (m.requester, m.recipient)}
    for participant in impact.presence if tell_presence else []:
        if participant.pk not in in_meetings:
            _notify(
                participant,
                texts.LAYOUT_PRESENCE(event=event.title, reason=reason),
                reverse("events:participant_edit", args=[participant.pk]),
            )


def _remove_slots(
    event: Event, slot_ids: set[int], table_ids: set[int], reason: str
) -> selectors.LayoutImpact:
    impact = selectors.removal_impact(event, slot_ids=frozenset(slot_ids), table_ids=frozenset(table_ids))
    _apply_impact(event, impact, reason, unplace=True)
    now = timezone.now()
    if slot_ids:
        TimeSlot.objects.filter(pk__in=slot_ids).update(removed_at=now)
    if table_ids:
        EventTable.objects.filter(pk__in=table_ids).update(removed_at=now)
    return impact


@transaction.atomic
def slot_remove(*, actor: Any, slot: TimeSlot, reason: str) -> selectors.LayoutImpact:
    """Remove one time slot (kept, marked removed): its meetings wait for re-scheduling, meetings left
    without a common slot are cancelled, and those affected are told."""
    event = _layout_event(actor, slot.event_id)
    reason = _need_reason(reason)
    slot = _current(TimeSlot.objects.select_for_update().filter(pk=slot.pk, event=event))
    if not TimeSlot.objects.filter(session_id=slot.session_id).exclude(pk=slot.pk).exists():
        raise ValidationError(_("这是该场次的最后一个时段,请改为取消整个场次。"), code="last_slot")
    return _remove_slots(event, {slot.pk}, set(), reason)


@transaction.atomic
def session_remove(*, actor: Any, session: Session, reason: str) -> selectors.LayoutImpact:
    """Remove a session with all its time slots (kept, marked removed); consequences as for slots."""
    event = _layout_event(actor, session.event_id)
    reason = _need_reason(reason)
    session = _current(Session.objects.select_for_update().filter(pk=session.pk, event=event))
    slot_ids = set(TimeSlot.objects.filter(session=session).values_list("pk", flat=True))
    if (
        not TimeSlot.objects.filter(event=event).exclude(pk__in=slot_ids).exists()
        and event.status != EventStatus.DRAFT
    ):
        raise ValidationError(_("对接会至少要保留一个场次。"), code="last_session")
    impact = _remove_slots(event, slot_ids, set(), reason)
    session.removed_at = timezone.now()
    session.save(update_fields=["removed_at", "updated_at"])
    return impact


@transaction.atomic
def table_remove(*, actor: Any, table: EventTable, reason: str) -> selectors.LayoutImpact:
    """Remove a table or room (kept, marked removed): the meetings placed there wait for re-scheduling."""
    event = _layout_event(actor, table.event_id)
    reason = _need_reason(reason)
    table = _current(EventTable.objects.select_for_update().filter(pk=table.pk, event=event))
    if (
        not EventTable.objects.filter(event=event).exclude(pk=table.pk).exists()
        and event.status != EventStatus.DRAFT
    ):
        raise ValidationError(_("对接会至少要保留一张洽谈桌。"), code="last_table")
    impact = _remove_slots(event, set(), {table.pk}, reason)
    table.removed_at = timezone.now()
    table.save(update_fields=["removed_at"])
    return impact


@transaction.atomic
def table_update(*, actor: Any, table: EventTable, name: str, capacity: int) -> selectors.LayoutImpact:
    """Rename a table or change its seats (at least 2: a meeting seats two); meetings placed there are told."""
    event = _layout_event(actor, table.event_id)
    table = _current(EventTable.objects.select_for_update().filter(pk=table.pk, event=event))
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写桌号/房间。"), code="name")
    if capacity < 2:
        raise ValidationError(_("每张桌至少 2 个座位。"), code="capacity")
    if EventTable.objects.filter(event=event, name=name).exclude(pk=table.pk).exists():
        raise ValidationError(_("已有同名的洽谈桌。"), code="duplicate_name")
    impact = selectors.table_change_impact(event, table_id=table.pk, name=name)
    table.name, table.capacity = name, capacity
    table.save(update_fields=["name", "capacity"])
    _apply_impact(event, impact, "", unplace=False)
    return impact


@transaction.atomic
def session_update(
    *, actor: Any, session: Session, name: str, starts_at: dt.datetime, backdate_reason: str = ""
) -> selectors.LayoutImpact:
    """Rename a session or move it to another start time: its slots move with it, keeping their length,
    and so do the meetings placed in them; those present are told."""
    event = _layout_event(actor, session.event_id)
    session = _current(Session.objects.select_for_update().filter(pk=session.pk, event=event))
    delta = starts_at - session.starts_at
    ends_at = session.ends_at + delta
    if delta:
        enforce_time_rules(
            SESSION_RULES, {"starts_at": starts_at, "ends_at": ends_at}, actor=actor, reason=backdate_reason
        ).record(session)
        if (
            Session.objects.filter(event=event, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .exclude(pk=session.pk)
            .exists()
        ):
            raise ValidationError(_("与已有场次的时间重叠。"), code="overlap")
    slot_ids = frozenset(TimeSlot.objects.filter(session=session).values_list("pk", flat=True))
    impact = selectors.shift_impact(event, slot_ids=slot_ids, delta=delta)
    session.name = name.strip() or session.name
    session.starts_at, session.ends_at = starts_at, ends_at
    session.save(update_fields=["name", "starts_at", "ends_at", "updated_at"])
    if delta:
        for slot in TimeSlot.objects.select_for_update().filter(pk__in=slot_ids):
            slot.starts_at += delta
            slot.ends_at += delta
            slot.save(update_fields=["starts_at", "ends_at"])
        _apply_impact(event, impact, "", unplace=False, tell_presence=False)
        _tell_present_of_new_time(event, impact, session.name)
    return impact


@transaction.atomic
def slot_update(
    *, actor: Any, slot: TimeSlot, starts_at: dt.datetime, ends_at: dt.datetime, backdate_reason: str = ""
) -> selectors.LayoutImpact:
    """Move or resize one time slot inside its session (a late start, a longer break): the meetings
    placed in it keep it and change time, and those placed or present there are told. A slot never
    leaves its session's hours nor overlaps another slot — the session is moved as a whole instead."""
    event = _layout_event(actor, slot.event_id)
    slot = _current(TimeSlot.objects.select_for_update().filter(pk=slot.pk, event=event))
    session = slot.session
    if (starts_at, ends_at) == (slot.starts_at, slot.ends_at):
        return selectors.LayoutImpact()
    moved_to = starts_at if starts_at != slot.starts_at else None
    enforce_time_rules(
        SLOT_RULES,
        {"moved_to": moved_to, "starts_at": starts_at, "ends_at": ends_at},
        actor=actor,
        reason=backdate_reason,
    ).record(slot)
    if starts_at < session.starts_at or ends_at > session.ends_at:
        window = f"{timezone.localtime(session.starts_at):%H:%M}–{timezone.localtime(session.ends_at):%H:%M}"
        message = _("时段须在场次时间(%(window)s)之内;如需更长,请先调整场次。") % {"window": window}
        raise ValidationError({"starts": ValidationError(message, code="outside_session")})
    if (
        TimeSlot.objects.filter(event=event, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(pk=slot.pk)
        .exists()
    ):
        raise ValidationError({"starts": ValidationError(_("与本场的其他时段重叠。"), code="overlap")})
    impact = selectors.slot_change_impact(event, slot=slot, starts_at=starts_at, ends_at=ends_at)
    slot.starts_at, slot.ends_at = starts_at, ends_at
    slot.save(update_fields=["starts_at", "ends_at"])
    _apply_impact(event, impact, "", unplace=False, tell_presence=False)
    _tell_present_of_new_time(event, impact, session.name)
    return impact


def _tell_present_of_new_time(event: Event, impact: selectors.LayoutImpact, session_name: str) -> None:
    """Those present in moved time slots who have no placed meeting there (the parties of the moved
    meetings were told about their meeting already)."""
    placed = {pk for m, _c in impact.moved for pk in (m.requester_id, m.recipient_id)}
    for participant in impact.presence:
        if participant.pk not in placed:
            _notify(
                participant,
                texts.LAYOUT_MOVED(event=event.title, other=session_name, change=_("时间已调整")),
                reverse("events:participant_edit", args=[participant.pk]),
            )


@transaction.atomic
def event_open(*, actor: Any, event: Event) -> Event:
    """Open registration: the event needs time slots and tables first."""
    _require_operator(actor)
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status != EventStatus.DRAFT:
        raise ValidationError(_("只有筹备中的对接会可以开放报名。"), code="not_draft")
    if not event.slots.exists():
        raise ValidationError(_("请先添加场次和时段,再开放报名。"), code="no_slots")
    if not event.tables.exists():
        raise ValidationError(_("请先添加洽谈桌,再开放报名。"), code="no_tables")
    event.status = EventStatus.OPEN
    event.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def event_close(*, actor: Any, event: Event) -> Event:
    """End the event; the report stays available."""
    _require_operator(actor)
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status == EventStatus.CLOSED:
        raise ValidationError(_("对接会已经结束。"), code="closed")
    event.status = EventStatus.CLOSED
    event.save(update_fields=["status", "updated_at"])
    return event


# Registrations -----------------------------------------------------------------------------------


def _slots_of(event: Event, slot_ids: Iterable[int]) -> list[TimeSlot]:
    wanted = {int(pk) for pk in slot_ids}
    if not wanted:
        raise ValidationError(_("请至少选择一个在场时段。"), code="no_slots")
    slots = list(TimeSlot.objects.filter(event=event, pk__in=wanted))
    if len(slots) != len(wanted):
        raise ValidationError(_("所选时段不属于本场对接会。"), code="foreign_slot")
    return slots


def _check_cap(event: Event, max_meetings: int) -> None:
    if not 1 <= max_meetings <= event.max_meetings_cap:
        raise ValidationError(
            _("洽谈上限须在 1 到 %(n)s 场之间(本场对接会的规定)。") % {"n": event.max_meetings_cap},
            code="cap",
        )


@transaction.atomic
def participant_register(
    *,
    actor: Any,
    event: Event,
    kind: str,
    profile_id: int,
    slot_ids: Iterable[int],
    max_meetings: int,
    needs: str = "",
    contact_name: str = "",
    demand: Any = None,
    offers: str = "",
    seeks: str = "",
    photo: Any = None,
) -> Participant:
    """Register a firm, an institution or an expert for an open event, with the slots they are present
    for and a cap on meetings.

    Members register the organisations where the event's rules admit their role (by default a firm's
    admin or 共享人才官, an institution's admin); experts register themselves. An operator registers
    anyone on their behalf (also after the schedule is published, for late arrivals): the registration
    records the operator as the one who registered, the audit log says so, and the party is told.
    """
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    on_behalf = is_operator(actor) and not any(
        k == kind and p.pk == int(profile_id) for k, p in registrable_profiles(actor, event)
    )
    if on_behalf:
        profile = _profile_for_operator(kind, int(profile_id))
        allowed = {EventStatus.OPEN, EventStatus.PUBLISHED}
    else:
        profile = next(
            (p for k, p in registrable_profiles(actor, event) if k == kind and p.pk == int(profile_id)), None
        )
        allowed = {EventStatus.OPEN}
    if profile is None:
        raise PermissionDenied(_("您不能代表该机构或人才报名。"))
    if event.status not in allowed:
        raise ValidationError(_("本场对接会当前不接受报名。"), code="not_open")
    if not event.allows(kind):
        raise ValidationError(
            _("本场对接会不接受%(kind)s报名。") % {"kind": ParticipantKind(kind).label},
            code="kind_not_allowed",
        )
    _check_cap(event, max_meetings)
    slots = _slots_of(event, slot_ids)
    registered = Participant.objects.filter(event=event, archived_at__isnull=True)
    is_talent = kind == ParticipantKind.EXPERT
    if registered.filter(**({"talent": profile} if is_talent else {"organisation": profile})).exists():
        raise ValidationError(_("已经报名过本场对接会,可在“我的报名”中修改。"), code="duplicate")
    participant = Participant(
        event=event,
        kind=kind,
        organisation=None if is_talent else profile,
        talent=profile if is_talent else None,
        name=profile.name,
        contact_name=contact_name or ("" if on_behalf else str(actor)),
        needs=needs,
        offers=offers,
        seeks=seeks,
        max_meetings=max_meetings,
        registered_by=actor,
    )
    if demand is not None:
        participant.demand_content_type = ContentType.objects.get_for_model(demand)
        participant.demand_object_id = demand.pk
    if photo is not None:
        participant.photo.save("photo.jpg", clean_photo(photo), save=False)
    participant.save()
    participant.slots.set(slots)
    if on_behalf:
        _notify(
            participant,
            texts.REGISTERED_BY_OPERATOR(name=participant.name, event=event.title),
            reverse("events:participant_edit", args=[participant.pk]),
        )
    return participant


@transaction.atomic
def guest_register(
    *, event: Event, name: str, contact_name: str, needs: str = "", registered_by: Any
) -> Participant:
    """Register a guest who is not on the platform (no organisation, no talent, no login: a fair's buyer
    from the public pre-registration) as a firm, present for every slot, with the event's meeting cap.

    Called by the app that admitted the guest, after its own checks; ``registered_by`` is the login
    recorded as having registered them (the event's organiser when the guest has none). The guest acts
    through a private link (``ParticipantKey``); requests, answers and scheduling are the same as for
    every other registration.
    """
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status not in {EventStatus.OPEN, EventStatus.PUBLISHED}:
        raise ValidationError(_("本场对接会当前不接受报名。"), code="not_open")
    if not event.allows(ParticipantKind.FIRM):
        raise ValidationError(
            _("本场对接会不接受%(kind)s报名。") % {"kind": ParticipantKind.FIRM.label},
            code="kind_not_allowed",
        )
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写参会单位名称。"), code="name")
    participant = Participant(
        event=event,
        kind=ParticipantKind.FIRM,
        name=name[:100],
        contact_name=contact_name.strip()[:50],
        needs=needs,
        max_meetings=event.max_meetings_cap,
        registered_by=registered_by,
    )
    participant.full_clean()
    participant.save()
    participant.slots.set(list(TimeSlot.objects.filter(event=event)))
    return participant


def _profile_for_operator(kind: str, profile_id: int) -> Any:
    """The organisation or talent an operator registers: approved and of a kind the form offers."""
    from jingxiang.organisations.models import Organisation, OrganisationStatus
    from jingxiang.talents.models import Talent

    if kind == ParticipantKind.EXPERT:
        return Talent.objects.filter(pk=profile_id, archived_at__isnull=True).first()
    organisation = Organisation.objects.filter(
        pk=profile_id, status=OrganisationStatus.APPROVED, archived_at__isnull=True
    ).first()
    if organisation is None or participant_kind_of(organisation) != kind:
        raise ValidationError(
            _("所选机构不能以该类别报名(企业以企业报名,高校/机构以机构报名)。"), code="kind"
        )
    return organisation


@transaction.atomic
def participant_profile_update(
    *,
    actor: Any,
    participant: Participant,
    offers: str,
    seeks: str,
    contact_name: str,
    photo: Any = None,
    remove_photo: bool = False,
) -> Participant:
    """The profile others see in the directory and on meeting requests: photo, contact person, what the
    registration offers and what it seeks. Changed by those acting for it and by operators."""
    participant = (
        Participant.objects.select_for_update(of=("self",)).select_related("event").get(pk=participant.pk)
    )
    if not (is_operator(actor) or Participant.objects.acting_for(actor).filter(pk=participant.pk).exists()):
        raise PermissionDenied(_("您不能修改这份报名。"))
    if participant.archived_at is not None:
        raise ValidationError(_("该报名已取消。"), code="withdrawn")
    if participant.event.status == EventStatus.CLOSED:
        raise ValidationError(_("对接会已结束,不能再修改报名。"), code="closed")
    participant.offers = offers.strip()
    participant.seeks = seeks.strip()
    participant.contact_name = contact_name.strip()
    if photo is not None:
        participant.photo.save("photo.jpg", clean_photo(photo), save=False)
    elif remove_photo:
        # The old file stays in storage (history); the registration no longer shows it.
        participant.photo = ""
    participant.save(update_fields=["offers", "seeks", "contact_name", "photo", "updated_at"])
    return participant


@transaction.atomic
def participant_update(
    *, actor: Any, participant: Participant, slot_ids: Iterable[int], max_meetings: int, needs: str
) -> Participant:
    """Change presence, cap or needs. After publication this is a late change: the operator re-schedules
    and meetings that no longer fit are released with a reason."""
    participant = (
        Participant.objects.select_for_update(of=("self",)).select_related("event").get(pk=participant.pk)
    )
    if not (is_operator(actor) or Participant.objects.acting_for(actor).filter(pk=participant.pk).exists()):
        raise PermissionDenied(_("您不能修改这份报名。"))
    if participant.event.status == EventStatus.CLOSED:
        raise ValidationError(_("对接会已结束,不能再修改报名。"), code="closed")
    _check_cap(participant.event, max_meetings)
    slots = _slots_of(participant.event, slot_ids)
    participant.max_meetings = max_meetings
    participant.needs = needs
    participant.save(update_fields=["max_meetings", "needs", "updated_at"])
    participant.slots.set(slots)
    return participant


@transaction.atomic
def participant_withdraw(*, actor: Any, participant: Participant) -> Participant:
    """Cancel a registration (archived, never deleted). Its open requests are withdrawn and taken off
    the agendas; the other parties are told, and the operator re-schedules if a schedule was published."""
    participant = (
        Participant.objects.select_for_update(of=("self",)).select_related("event").get(pk=participant.pk)
    )
    if not (is_operator(actor) or Participant.objects.acting_for(actor).filter(pk=participant.pk).exists()):
        raise PermissionDenied(_("您不能取消这份报名。"))
    if participant.archived_at is not None:
        raise ValidationError(_("该报名已取消。"), code="withdrawn")
    if participant.event.status == EventStatus.CLOSED:
        raise ValidationError(_("对接会已结束,不能取消报名。"), code="closed")
    participant.archived_at = timezone.now()
    participant.save(update_fields=["archived_at", "updated_at"])
    open_meetings = list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(Q(requester=participant) | Q(recipient=participant))
        .filter(status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED])
        .select_related("requester", "recipient")
    )
    for meeting in open_meetings:
        meeting.status = RequestStatus.WITHDRAWN
        meeting.slot = meeting.table = None
        meeting.announced = meeting.locked = False
        meeting.unscheduled_reason = ""
        meeting.save(
            update_fields=[
                "status",
                "slot",
                "table",
                "announced",
                "locked",
                "unscheduled_reason",
                "updated_at",
            ]
        )
        _notify(
            meeting.other_party(participant),
            texts.PARTICIPANT_WITHDREW(name=participant.name, event=participant.event.title),
            reverse("events:meeting", args=[meeting.pk]),
        )
    return participant


def _notify(participant: Participant, message: Text, url: str, kind: str = "events") -> None:
    for user in selectors.users_acting_for(participant):
        notification_send(recipient=user, message=message, url=url, kind=kind)


# Meeting requests ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_request_create(
    *,
    actor: Any,
    requester: Participant,
    recipient_id: int,
    priority: str,
    message: str = "",
) -> Meeting:
    """Ask another registration of the same event for a one-to-one meeting.

    Refused with a reason: unknown or unregistered recipients, oneself, duplicates (in either direction),
    no common presence slot, the per-role cap on requests, and requests after the answer deadline.
    """
    requester = (
        Participant.objects.select_for_update(of=("self",)).select_related("event").get(pk=requester.pk)
    )
    event = requester.event
    if not Participant.objects.acting_for(actor).filter(pk=requester.pk).exists():
        raise PermissionDenied(_("您不能代表该参会者发起预约。"))
    if requester.archived_at is not None:
        raise ValidationError(_("该报名已取消。"), code="withdrawn")
    if event.status not in {EventStatus.OPEN, EventStatus.PUBLISHED}:
        raise ValidationError(_("本场对接会当前不接受洽谈预约。"), code="not_open")
    if timezone.now() >= event.requests_expire_at:
        raise ValidationError(_("预约答复截止时间已过,不能再发起新的预约。"), code="deadline")
    if priority not in RequestPriority.values:
        raise ValidationError(_("请选择优先级:必须见或希望见。"), code="priority")
    recipient = Participant.objects.filter(pk=recipient_id, event=event, archived_at__isnull=True).first()
    if recipient is None:
        raise ValidationError(_("对方没有报名本场对接会。"), code="unknown_recipient")
    if recipient.pk == requester.pk:
        raise ValidationError(_("不能向自己发起预约。"), code="self")
    open_statuses = [RequestStatus.PENDING, RequestStatus.ACCEPTED]
    if Meeting.objects.filter(
        Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester),
        status__in=open_statuses,
    ).exists():
        raise ValidationError(_("你们之间已有待答复或已接受的预约,不能重复预约。"), code="duplicate")
    if not requester.slots.filter(pk__in=recipient.slots.values("pk")).exists():
        raise ValidationError(
            _("双方没有共同的在场时段,无法安排洽谈。请先调整在场时段。"), code="no_common_slot"
        )
    cap = event.request_cap(requester.kind)
    sent = (
        Meeting.objects.filter(requester=requester)
        .exclude(status__in=[RequestStatus.WITHDRAWN, RequestStatus.CANCELLED])
        .count()
    )
    if sent >= cap:
        raise ValidationError(
            _("%(kind)s在本场对接会最多发起 %(n)s 个预约,已达上限。")
            % {"kind": ParticipantKind(requester.kind).label, "n": cap},
            code="request_cap",
        )
    meeting = Meeting.objects.create(
        event=event,
        requester=requester,
        recipient=recipient,
        priority=priority,
        message=message,
        suggestion_score=selectors.suggestion_score(requester, recipient),
    )
    _notify(
        recipient,
        texts.MEETING_REQUESTED(name=requester.name, event=event.title),
        reverse("events:meeting", args=[meeting.pk]),
    )
    return meeting


@transaction.atomic
def meeting_request_respond(*, actor: Any, meeting: Meeting, accept: bool, reason: str = "") -> Meeting:
    """The recipient accepts or declines (with a reason) a pending request before the deadline."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "recipient")
        .get(pk=meeting.pk)
    )
    if not Participant.objects.acting_for(actor).filter(pk=meeting.recipient_id).exists():
        raise PermissionDenied(_("只有被邀请方可以答复预约。"))
    if meeting.status != RequestStatus.PENDING:
        raise ValidationError(
            _("该预约已是“%(status)s”状态,不能再答复。") % {"status": meeting.get_status_display()},
            code="not_pending",
        )
    if timezone.now() >= meeting.event.requests_expire_at:
        raise ValidationError(_("预约答复截止时间已过,该预约已失效。"), code="deadline")
    if not accept and not reason.strip():
        raise ValidationError(_("婉拒时请写明原因,对方会看到。"), code="reason_required")
    meeting.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    meeting.decline_reason = "" if accept else reason.strip()
    meeting.responded_at = timezone.now()
    # A guest answering through their private link (``ParticipantKey``) has no login to record.
    meeting.responded_by = actor if getattr(actor, "is_authenticated", False) else None
    meeting.save(update_fields=["status", "decline_reason", "responded_at", "responded_by", "updated_at"])
    answer = (texts.MEETING_ACCEPTED if accept else texts.MEETING_DECLINED)(name=meeting.recipient.name)
    _notify(meeting.requester, answer, reverse("events:meeting", args=[meeting.pk]))
    return meeting


@transaction.atomic
def meeting_request_withdraw(*, actor: Any, meeting: Meeting) -> Meeting:
    """The requester withdraws a pending or accepted request that has not been announced on agendas."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if not Participant.objects.acting_for(actor).filter(pk=meeting.requester_id).exists():
        raise PermissionDenied(_("只有发起方可以撤回预约。"))
    if meeting.status not in {RequestStatus.PENDING, RequestStatus.ACCEPTED}:
        raise ValidationError(_("该预约已结束,不能撤回。"), code="not_open")
    if meeting.announced:
        raise ValidationError(_("该洽谈已公布在日程中,请联系平台运营人员调整。"), code="announced")
    meeting.status = RequestStatus.WITHDRAWN
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


def requests_expire(now: dt.datetime | None = None) -> int:
    """Mark every pending request whose event's answer deadline has passed as expired; returns the count.

    Run by the scheduler job before it builds an instance and by ``manage.py expire_meeting_requests``.
    """
    moment = now or timezone.now()
    with transaction.atomic():
        return Meeting.objects.filter(
            status=RequestStatus.PENDING, event__requests_expire_at__lte=moment
        ).update(status=RequestStatus.EXPIRED, updated_at=moment)


# Scheduling ------------------------------------------------------------------------------------------


@transaction.atomic
def schedule_start(*, actor: Any, event: Event, time_limit: int = 20) -> ScheduleRun:
    """Queue a scheduler run as a background job (one at a time per event)."""
    from jingxiang.jobs.services import job_enqueue

    _require_operator(actor)
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status not in {EventStatus.OPEN, EventStatus.PUBLISHED}:
        raise ValidationError(_("只有报名中或已发布日程的对接会可以排程。"), code="not_open")
    if not 1 <= time_limit <= 300:
        raise ValidationError(_("计算时限须在 1 到 300 秒之间。"), code="time_limit")
    # A run lost with its worker (a killed process) must not block the event forever.
    recent = timezone.now() - dt.timedelta(minutes=15)
    if event.runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING], created_at__gt=recent).exists():
        raise ValidationError(_("已有排程任务在进行,请等待完成。"), code="running")
    if not event.meetings.filter(status=RequestStatus.ACCEPTED).exists():
        raise ValidationError(_("还没有已接受的洽谈预约,无需排程。"), code="nothing")
    run = ScheduleRun.objects.create(event=event, created_by=actor, time_limit=time_limit)
    job = job_enqueue(
        kind=SCHEDULE_JOB_KIND,
        title=texts.SCHEDULE_TITLE(event=event.title),
        created_by=actor,
        params={"run_id": run.pk},
    )
    run.job = job
    run.save(update_fields=["job", "updated_at"])
    return run


def schedule_compute(*, run_id: int, progress: Callable[[int, Text], None]) -> ScheduleRun:
    """Build the instance from accepted requests, solve it, and check the result with the independent
    validator. Only a clean, feasible result becomes publishable (status "ready")."""
    from jingxiang.scheduling import InstanceError, instance_from_json, schedule_to_json, solve, validate

    run = ScheduleRun.objects.select_related("event").get(pk=run_id)
    expired = requests_expire()
    progress(5, texts.SCHEDULE_EXPIRED(n=expired))
    instance_data = selectors.schedule_instance(run.event)
    ScheduleRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, instance=instance_data)
    try:
        instance = instance_from_json(instance_data)
    except InstanceError as error:
        ScheduleRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, violations=error.errors)
        raise
    progress(10, texts.SCHEDULE_SOLVING(m=len(instance.meetings)))

    def on_progress(report: Any) -> None:
        share = min(1.0, report.elapsed_seconds / max(1, run.time_limit))
        progress(
            10 + int(80 * share),
            texts.SCHEDULE_PHASE(
                phase=report.phase, w=round(report.scheduled_weight, 2), b=round(report.upper_bound, 2)
            ),
        )

    schedule = solve(instance, time_limit_seconds=run.time_limit, on_progress=on_progress)
    result = schedule_to_json(schedule)
    progress(92, texts.SCHEDULE_VALIDATING())
    violations = [{"kind": v.kind, "message": v.message} for v in validate(instance_data, result)]
    if schedule.status == "infeasible":
        status = RunStatus.INFEASIBLE
    elif violations:
        status = RunStatus.INVALID
    else:
        status = RunStatus.READY
    ScheduleRun.objects.filter(pk=run.pk).update(
        status=status,
        solver_status=schedule.status,
        result=result,
        violations=violations,
        scheduled_weight=Decimal(str(round(schedule.scheduled_weight, 4))),
        upper_bound=None if schedule.upper_bound is None else Decimal(str(round(schedule.upper_bound, 4))),
        idle_gaps=schedule.idle_gaps,
        scheduled_count=len(schedule.assignments),
        unscheduled_count=len(schedule.unscheduled),
        updated_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


@transaction.atomic
def schedule_publish(*, actor: Any, run: ScheduleRun) -> ScheduleRun:
    """Publish a validated run: placements go onto agendas and are announced (kept on re-scheduling).

    Refused when the validator found problems, when the run is not the latest, or when registrations or
    requests changed after the run (the schedule would no longer match reality).
    """
    from jingxiang.scheduling import validate

    _require_operator(actor)
    run = ScheduleRun.objects.select_for_update(of=("self",)).select_related("event").get(pk=run.pk)
    event = Event.objects.select_for_update(of=("self",)).get(pk=run.event_id)
    if run.status != RunStatus.READY:
        raise ValidationError(
            _("只有校验通过、待发布的排程可以发布(当前:%(s)s)。") % {"s": run.get_status_display()},
            code="not_ready",
        )
    if event.runs.exclude(pk=run.pk).filter(created_at__gt=run.created_at).exists():
        raise ValidationError(_("已有更新的排程,请发布最新的一次。"), code="stale_run")
    if validate(run.instance, run.result):
        raise ValidationError(_("独立校验未通过,不能发布。"), code="invalid")
    if selectors.schedule_instance(event) != run.instance:
        raise ValidationError(_("排程之后报名或预约有变化,请重新排程后再发布。"), code="changed")
    placements = {a["meeting_id"]: (a["slot"], a["table"]) for a in run.result.get("assignments", [])}
    reasons = {u["meeting_id"]: u["reason"] for u in run.result.get("unscheduled", [])}
    reasons.update({r["meeting_id"]: r["reason"] for r in run.result.get("released", [])})
    meetings = list(event.meetings.select_for_update(of=("self",)).filter(status=RequestStatus.ACCEPTED))
    for meeting in meetings:
        if meeting.pk in placements:
            meeting.slot_id, meeting.table_id = placements[meeting.pk]
            meeting.announced = True
            meeting.unscheduled_reason = ""
        else:
            meeting.slot_id = meeting.table_id = None
            meeting.announced = False
            meeting.unscheduled_reason = reasons.get(meeting.pk, "")[:500]
    Meeting.objects.bulk_update(meetings, ["slot", "table", "announced", "unscheduled_reason", "updated_at"])
    event.runs.filter(status=RunStatus.PUBLISHED).update(status=RunStatus.SUPERSEDED)
    run.status = RunStatus.PUBLISHED
    run.published_at = timezone.now()
    run.save(update_fields=["status", "published_at", "updated_at"])
    event.status = EventStatus.PUBLISHED
    event.published_at = run.published_at
    event.save(update_fields=["status", "published_at", "updated_at"])
    for participant in event.participants.filter(archived_at__isnull=True):
        _notify(
            participant,
            texts.AGENDA_PUBLISHED(event=event.title),
            reverse("events:agenda", args=[participant.pk]),
        )
    return run


@transaction.atomic
def meeting_place(*, actor: Any, meeting: Meeting, slot: TimeSlot, table: EventTable) -> Meeting:
    """An operator locks an accepted meeting to a slot and table; re-scheduling keeps it there.

    Conflicts are refused with the rule they break: presence, double booking, a taken or small table,
    or a party whose fixed meetings already reach their cap.
    """
    _require_operator(actor)
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("requester", "recipient")
        .get(pk=meeting.pk)
    )
    if meeting.status != RequestStatus.ACCEPTED:
        raise ValidationError(_("只有已接受的预约可以安排位置。"), code="not_accepted")
    if slot.event_id != meeting.event_id or table.event_id != meeting.event_id:
        raise ValidationError(_("时段或洽谈桌不属于本场对接会。"), code="foreign")
    parties = (meeting.requester, meeting.recipient)
    for party in parties:
        if not party.slots.filter(pk=slot.pk).exists():
            raise ValidationError(_("%(name)s 在该时段不在场。") % {"name": party.name}, code="not_present")
    if table.capacity < len(parties):
        raise ValidationError(_("该洽谈桌座位不足。"), code="capacity")
    others = Meeting.objects.filter(
        event_id=meeting.event_id, slot=slot, status=RequestStatus.ACCEPTED
    ).exclude(pk=meeting.pk)
    if others.filter(table=table).exists():
        raise ValidationError(_("该洽谈桌在这个时段已被占用。"), code="table_taken")
    for party in parties:
        if others.filter(Q(requester=party) | Q(recipient=party)).exists():
            raise ValidationError(
                _("%(name)s 在该时段已有其他洽谈。") % {"name": party.name}, code="double_booked"
            )
    # Fixed meetings (locked or announced) must fit each party's cap, or every later run is infeasible.
    fixed = (
        Meeting.objects.filter(event_id=meeting.event_id, status=RequestStatus.ACCEPTED)
        .filter(Q(locked=True) | Q(announced=True))
        .exclude(pk=meeting.pk)
    )
    for party in parties:
        if fixed.filter(Q(requester=party) | Q(recipient=party)).count() >= party.max_meetings:
            raise ValidationError(
                _("%(name)s 已固定的洽谈已达上限(%(cap)s 场)。")
                % {"name": party.name, "cap": party.max_meetings},
                code="cap",
            )
    meeting.slot, meeting.table, meeting.locked = slot, table, True
    meeting.unscheduled_reason = ""
    meeting.save(update_fields=["slot", "table", "locked", "unscheduled_reason", "updated_at"])
    return meeting


@transaction.atomic
def meeting_unlock(*, actor: Any, meeting: Meeting) -> Meeting:
    """Release an operator's lock; the next run may move the meeting (unless it was announced)."""
    _require_operator(actor)
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    meeting.locked = False
    meeting.save(update_fields=["locked", "updated_at"])
    return meeting


# On the day -------------------------------------------------------------------------------------------


@transaction.atomic
def participant_check_in(*, actor: Any, participant: Participant) -> Participant:
    """Staff at the door check a participant in (scanned personal QR code or search by name)."""
    _require_operator(actor)
    participant = (
        Participant.objects.select_for_update(of=("self",)).select_related("event").get(pk=participant.pk)
    )
    if participant.archived_at is not None:
        raise ValidationError(_("该报名已取消,不能签到。"), code="withdrawn")
    if participant.event.status not in {EventStatus.OPEN, EventStatus.PUBLISHED}:
        raise ValidationError(_("本场对接会当前不在签到阶段。"), code="not_open")
    now = timezone.now()
    enforce_time_rules(
        CHECK_IN_RULES, {"checked_in_at": now, "event_date": participant.event.event_date}, actor=actor
    )
    if participant.checked_in_at is not None:
        raise ValidationError(
            _("%(name)s 已于 %(time)s 签到,无需重复签到。")
            % {
                "name": participant.name,
                "time": timezone.localtime(participant.checked_in_at).strftime("%H:%M"),
            },
            code="already",
        )
    participant.checked_in_at = now
    participant.checked_in_by = actor
    participant.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    return participant


@transaction.atomic
def meeting_attendance_mark(
    *, actor: Any, meeting: Meeting, held: bool, no_show: Participant | None = None
) -> Meeting:
    """Record whether a scheduled meeting took place; a no-show names the side that did not come."""
    _require_operator(actor)
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("slot").get(pk=meeting.pk)
    if meeting.slot_id is None or meeting.status != RequestStatus.ACCEPTED:
        raise ValidationError(_("只有已排入日程的洽谈可以登记到场情况。"), code="not_scheduled")
    if not held and (no_show is None or no_show.pk not in {meeting.requester_id, meeting.recipient_id}):
        raise ValidationError(_("请选择缺席的一方。"), code="no_show_party")
    enforce_time_rules(
        ATTENDANCE_RULES, {"marked_at": timezone.now(), "slot_starts_at": meeting.slot.starts_at}, actor=actor
    )
    meeting.attendance = Attendance.HELD if held else Attendance.NO_SHOW
    meeting.no_show_participant = None if held else no_show
    meeting.save(update_fields=["attendance", "no_show_participant", "updated_at"])
    return meeting


@transaction.atomic
def meeting_feedback_record(
    *,
    actor: Any,
    meeting: Meeting,
    participant: Participant,
    wants_cooperation: bool,
    follow_up_kind: str = "",
    note: str = "",
) -> Feedback:
    """One side says whether the meeting should lead to cooperation; a "yes" creates a follow-up linked
    to the demand (when the firm registered one), a sharing request or a challenge."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("slot", "requester", "recipient")
        .get(pk=meeting.pk)
    )
    if participant.pk not in {meeting.requester_id, meeting.recipient_id}:
        raise ValidationError(_("只有洽谈双方可以登记结果。"), code="not_party")
    if not (is_operator(actor) or Participant.objects.acting_for(actor).filter(pk=participant.pk).exists()):
        raise PermissionDenied(_("您不能代表该参会者登记结果。"))
    if meeting.slot_id is None or meeting.status != RequestStatus.ACCEPTED:
        raise ValidationError(_("该洽谈未排入日程,无法登记结果。"), code="not_scheduled")
    if meeting.attendance == Attendance.NO_SHOW:
        raise ValidationError(_("该洽谈登记为缺席,无法登记合作意向。"), code="no_show")
    if meeting.attendance != Attendance.HELD and meeting.slot.starts_at > timezone.now():
        raise ValidationError(_("洽谈开始后才能登记结果。"), code="too_early")
    if Feedback.objects.filter(meeting=meeting, participant=participant).exists():
        raise ValidationError(_("您已登记过本场洽谈的结果。"), code="duplicate")
    if wants_cooperation and follow_up_kind not in FollowUpKind.values:
        raise ValidationError(_("希望继续合作时,请选择跟进方式(对接需求、人才共享或技术攻关)。"), code="kind")
    feedback = Feedback.objects.create(
        meeting=meeting,
        participant=participant,
        wants_cooperation=wants_cooperation,
        note=note,
        recorded_by=actor,
    )
    if meeting.attendance == Attendance.PLANNED:
        meeting.attendance = Attendance.HELD
        meeting.save(update_fields=["attendance", "updated_at"])
    if wants_cooperation and not meeting.follow_ups.filter(kind=follow_up_kind).exists():
        follow_up = FollowUp(
            event_id=meeting.event_id, meeting=meeting, kind=follow_up_kind, note=note, created_by=actor
        )
        if follow_up_kind == FollowUpKind.DEMAND:
            holder = next(
                (p for p in (meeting.requester, meeting.recipient) if p.demand_object_id is not None), None
            )
            if holder is not None:
                follow_up.target_content_type_id = holder.demand_content_type_id
                follow_up.target_object_id = holder.demand_object_id
        follow_up.save()
        other = meeting.other_party(participant)
        _notify(
            other,
            texts.FOLLOW_UP_WISHED(name=participant.name),
            reverse("events:meeting", args=[meeting.pk]),
        )
    return feedback


@transaction.atomic
def follow_up_link(*, actor: Any, follow_up: FollowUp, target: Any) -> FollowUp:
    """Link a follow-up to the demand, sharing request or challenge it names. Only the meeting's parties
    and operators link, and only to a record of the follow-up's kind that they may see themselves."""
    from jingxiang.events.targets import target_choices, target_model

    follow_up = (
        FollowUp.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=follow_up.pk)
    )
    meeting = follow_up.meeting
    parties = [meeting.requester_id, meeting.recipient_id]
    if not (is_operator(actor) or Participant.objects.acting_for(actor).filter(pk__in=parties).exists()):
        raise PermissionDenied(_("只有洽谈双方和平台运营人员可以关联跟进对象。"))
    if follow_up.archived_at is not None:
        raise ValidationError(_("该跟进已归档。"), code="archived")
    model = target_model(follow_up.kind)
    if model is None or not isinstance(target, model):
        raise ValidationError(_("所选对象与跟进类型不符。"), code="wrong_kind")
    if not target_choices(follow_up.kind, actor).filter(pk=target.pk).exists():
        raise ValidationError(_("没有找到该对象,或您无权查看它。"), code="not_visible")
    follow_up.target_content_type = ContentType.objects.get_for_model(model)
    follow_up.target_object_id = target.pk
    follow_up.save(update_fields=["target_content_type", "target_object_id", "updated_at"])
    return follow_up
