"""Demo content: today's 需求对接会 with a published schedule, and a fair-side event open for registration.

The operator's steps (event, sessions, tables, scheduling, publishing) go through the real services,
so the schedule comes from the solver and passes the validator. Registrations of demo firms without
logins and their requests are created directly. Deterministic for a given cluster (dates follow today).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from jingxiang.events import services
from jingxiang.events.models import (
    Event,
    Meeting,
    Participant,
    ParticipantKind,
    RequestPriority,
    RequestStatus,
    ScheduleRun,
)
from jingxiang.organisations.models import OrganisationKind

SEED = 5_2026
DECLINE_REASONS = ("当天档期已满", "方向与本单位业务不符", "已在其他渠道对接")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


#: Today's demo event is already under way when the demo loads: the operator enters it with this reason.
BACKDATE = "演示数据:当天已开始的对接会"


def _event(operator: Any, title: str, day: dt.date, deadline: dt.datetime, tables: int) -> Event:
    event = services.event_create(
        actor=operator,
        data={
            "title": title,
            "venue": "中国·杜桥眼镜城 会展中心二楼",
            "description": "企业技术需求与专家、高校院所、检测机构一对一洽谈,每场 20 分钟。",
            "event_date": day,
            "max_meetings_cap": 8,
            "request_cap_firm": 8,
            "request_cap_expert": 6,
            "request_cap_institution": 6,
            "requests_expire_at": deadline,
            "backdate_reason": BACKDATE,
            # The testing lab's staff register the lab themselves at this event (a rule of the event).
            "registrant_roles": {
                "firm": ["org_admin", "talent_officer"],
                "institution": ["org_admin", "lab_staff"],
            },
        },
    )
    services.session_add(
        actor=operator,
        event=event,
        name="上午场",
        starts_at=_at(day, 9),
        ends_at=_at(day, 11, 40),
        slot_minutes=20,
        backdate_reason=BACKDATE,
    )
    services.session_add(
        actor=operator,
        event=event,
        name="下午场",
        starts_at=_at(day, 14),
        ends_at=_at(day, 16),
        slot_minutes=20,
        backdate_reason=BACKDATE,
    )
    services.tables_add(actor=operator, event=event, count=tables, capacity=2)
    return services.event_open(actor=operator, event=event)


def _participant(
    event: Event, kind: str, profile: Any, by: Any, needs: str, slots: list[Any], cap: int
) -> Participant:
    participant = Participant.objects.create(
        event=event,
        kind=kind,
        organisation=None if kind == ParticipantKind.EXPERT else profile,
        talent=profile if kind == ParticipantKind.EXPERT else None,
        name=profile.name,
        contact_name=str(by),
        needs=needs,
        # Firms come to find help; experts and institutions say what they offer.
        seeks=needs if kind == ParticipantKind.FIRM else "",
        offers="" if kind == ParticipantKind.FIRM else needs,
        max_meetings=cap,
        registered_by=by,
    )
    participant.slots.set(slots)
    return participant


def load(context: Any) -> None:
    rng = random.Random(SEED)
    users = context.users
    operator = users["operator"]
    organisations = list(context.organisations.values())
    kangbo = context.organisations["kangbo"]
    lab = context.organisations["donghua_lab"]
    expert_talent = next(t for t in context.talents.values() if t.user_id == users["expert"].pk)
    member_firm = next(
        o
        for o in organisations
        if o.pk in set(users["member"].memberships.values_list("organisation_id", flat=True))
    )
    firms = [
        o
        for o in organisations
        if o.kind == OrganisationKind.FIRM and o.pk not in {kangbo.pk, member_firm.pk}
    ]
    institutions = [
        o
        for o in organisations
        if o.kind in {OrganisationKind.UNIVERSITY, OrganisationKind.TESTING_LAB} and o.pk != lab.pk
    ]
    experts = [t for t in context.talents.values() if t.kind == "expert" and t.pk != expert_talent.pk]
    today = timezone.localdate()
    # The day under way: its first meetings have been held. Loaded before they could have been (early
    # in the morning), the demo shows yesterday's event instead: attendance never precedes the meeting.
    day = today if timezone.localtime().hour >= 10 else today - dt.timedelta(days=1)

    # Today's event: registrations, requests, a solved and published schedule, the day under way.
    event = _event(operator, "2026 杜桥眼镜产业需求对接会", day, _at(day, 8, 30) - dt.timedelta(days=1), 12)
    slots = list(event.slots.all())

    def presence() -> list[Any]:
        start = rng.randrange(0, 4)
        return slots[start : start + rng.randrange(6, len(slots) - start + 1)] or slots

    needs = [
        "树脂镜片镀膜附着力不足,寻找镀膜工艺专家",
        "钛架焊接返修率高,需要焊接工艺诊断",
        "太阳镜透射比检测送检,希望缩短周期",
        "儿童镜架材料安全认证",
        "板材镜架抛光自动化改造",
        "跨境电商品牌升级咨询",
    ]
    demand_side = [
        _participant(event, ParticipantKind.FIRM, kangbo, users["talent_officer"], needs[0], slots, 8),
        _participant(event, ParticipantKind.FIRM, member_firm, operator, needs[1], presence(), 6),
    ]
    demand_side += [
        _participant(
            event, ParticipantKind.FIRM, firm, operator, rng.choice(needs), presence(), rng.choice([4, 6])
        )
        for firm in firms[:14]
    ]
    supply_side = [
        _participant(
            event,
            ParticipantKind.EXPERT,
            expert_talent,
            users["expert"],
            "镜片镀膜工艺、膜层附着力诊断",
            slots,
            8,
        ),
        _participant(
            event, ParticipantKind.INSTITUTION, lab, users["lab_staff"], "眼镜产品检测、送检咨询", slots, 8
        ),
    ]
    supply_side += [
        _participant(
            event, ParticipantKind.EXPERT, talent, operator, talent.title or "技术咨询", presence(), 6
        )
        for talent in experts[:10]
    ]
    supply_side += [
        _participant(event, ParticipantKind.INSTITUTION, org, operator, "产学研合作", presence(), 6)
        for org in institutions[:3]
    ]

    now = timezone.now()
    meetings: list[Meeting] = []
    pairs = [
        (demand_side[0], supply_side[0], RequestPriority.MUST),
        (demand_side[0], supply_side[1], RequestPriority.NICE),
    ]
    for firm in demand_side[1:]:
        for supplier in rng.sample(supply_side, 3):
            pairs.append((firm, supplier, rng.choice([RequestPriority.MUST, RequestPriority.NICE])))
    for index, (requester, recipient, priority) in enumerate(pairs):
        roll = rng.random() if index > 1 else 0.0
        status = (
            RequestStatus.ACCEPTED
            if roll < 0.75
            else RequestStatus.DECLINED
            if roll < 0.87
            else RequestStatus.EXPIRED
        )
        meetings.append(
            Meeting(
                event=event,
                requester=requester,
                recipient=recipient,
                priority=priority,
                status=status,
                decline_reason=rng.choice(DECLINE_REASONS) if status == RequestStatus.DECLINED else "",
                responded_at=now if status != RequestStatus.EXPIRED else None,
            )
        )
    Meeting.objects.bulk_create(meetings)

    run = ScheduleRun.objects.create(event=event, created_by=operator, time_limit=3)
    services.schedule_compute(run_id=run.pk, progress=lambda _percent, _message: None)
    services.schedule_publish(actor=operator, run=run)

    for participant in [*demand_side[:8], *supply_side[:6]]:
        services.participant_check_in(actor=operator, participant=participant)
    # The solver decides which slots are used (and under a time limit not always the same way), so the
    # meetings "already held" are those of the first two slots that have meetings, not fixed slots.
    scheduled = list(
        Meeting.objects.filter(event=event, slot__isnull=False)
        .select_related("requester", "recipient", "slot")
        .order_by("slot__starts_at", "pk")
    )
    first_slots = list(dict.fromkeys(meeting.slot_id for meeting in scheduled))[:2]
    done = [meeting for meeting in scheduled if meeting.slot_id in first_slots]
    for position, meeting in enumerate(done):
        if position == 3:
            services.meeting_attendance_mark(
                actor=operator, meeting=meeting, held=False, no_show=meeting.recipient
            )
            continue
        services.meeting_attendance_mark(actor=operator, meeting=meeting, held=True)
        if position % 2 == 0:
            services.meeting_feedback_record(
                actor=operator,
                meeting=meeting,
                participant=meeting.requester,
                wants_cooperation=True,
                follow_up_kind=rng.choice(["demand", "sharing", "challenge"]),
                note="会后一周内安排上门诊断",
            )

    # The fair's side event two weeks out, open for registration: the demo logins can register.
    fair_day = today + dt.timedelta(days=14)
    fair = _event(
        operator,
        "台州(杜桥)国际眼镜展 · 配套需求对接会",
        fair_day,
        _at(fair_day, 12) - dt.timedelta(days=2),
        20,
    )
    fair_slots = list(fair.slots.all())
    for firm in firms[14:22]:
        _participant(fair, ParticipantKind.FIRM, firm, operator, rng.choice(needs), fair_slots, 6)
    for talent in experts[10:16]:
        _participant(
            fair, ParticipantKind.EXPERT, talent, operator, talent.title or "技术咨询", fair_slots, 6
        )
