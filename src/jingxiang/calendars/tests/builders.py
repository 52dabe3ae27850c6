"""One calendar world: a record of every kind, each belonging to someone, so the tests can check that
each person sees their own entries and nobody else's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jingxiang.sharing.tests.builders import book_slot, make_agreement
from jingxiang.testing.factories import OrganisationFactory, TalentFactory, UserFactory


@dataclass
class World:
    cast: Any
    agreement: Any
    booking: Any
    booking_day: dt.date
    trainee: Any
    session: Any
    meeting: Any
    demand: Any
    application: Any
    student_user: Any


def next_weekday(days_ahead: int = 7) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def build_world(cast: Any) -> World:
    from jingxiang.academy.models import Cohort, Course, Enrolment, EnrolmentStatus, Session
    from jingxiang.demands.models import Demand, DemandStatus
    from jingxiang.events.models import (
        Event,
        EventStatus,
        EventTable,
        Meeting,
        Participant,
        ParticipantKind,
        RequestStatus,
        TimeSlot,
    )
    from jingxiang.events.models import Session as EventSession
    from jingxiang.recruitment.models import Application, Fair, FairFirm, InterviewSlot, Job, Student
    from jingxiang.talents.models import Skill, SkillDomain

    day = next_weekday()
    sharing = make_agreement(cast)
    booking = book_slot(cast, sharing.agreement, day, 9, 11)

    # Academy: 林工 teaches the cohort; a trainee of the firm attends it.
    school = OrganisationFactory(name="工匠学院", kind="university", uscc=None)
    domain = SkillDomain.objects.create(code="test-domain", name_zh="测试", name_en="Test")
    skill = Skill.objects.create(domain=domain, code="test-fitting", name_zh="定配", name_en="Fitting")
    course = Course.objects.create(code="CAL-1", title="定配工(五级)", provider=school, skill=skill)
    cohort = Cohort.objects.create(
        course=course,
        name="定配工冬季班",
        venue="驿站 2 楼",
        capacity=10,
        starts_on=day,
        ends_on=day + dt.timedelta(days=10),
        lead_trainer=cast.expert,
    )
    session = Session.objects.create(
        cohort=cohort, topic="镜架整形", starts_at=at(day, 14), ends_at=at(day, 16)
    )
    trainee_user = UserFactory(username="trainee")
    trainee = TalentFactory(name="陈学员", user=trainee_user, home_organisation=cast.firm)
    Enrolment.objects.create(
        cohort=cohort, talent=trainee, status=EnrolmentStatus.ENROLLED, enrolled_by=cast.firm_admin
    )

    # Events: the firm (康波) meets the other firm (远方) on a published agenda.
    event = Event.objects.create(
        title="杜桥眼镜供需对接会",
        venue="眼镜城会展中心",
        event_date=day + dt.timedelta(days=1),
        status=EventStatus.PUBLISHED,
        requests_expire_at=timezone.now() + dt.timedelta(days=1),
        created_by=cast.operator,
    )
    event_day = day + dt.timedelta(days=1)
    ev_session = EventSession.objects.create(
        event=event, name="上午场", starts_at=at(event_day, 9), ends_at=at(event_day, 12)
    )
    slot = TimeSlot.objects.create(
        event=event, session=ev_session, starts_at=at(event_day, 9), ends_at=at(event_day, 9, 30)
    )
    table = EventTable.objects.create(event=event, name="A1")
    kangbo = Participant.objects.create(
        event=event,
        kind=ParticipantKind.FIRM,
        organisation=cast.firm,
        name=cast.firm.name,
        registered_by=cast.firm_admin,
    )
    yuanfang = Participant.objects.create(
        event=event,
        kind=ParticipantKind.FIRM,
        organisation=cast.other_firm,
        name=cast.other_firm.name,
        registered_by=cast.other_firm_admin,
    )
    meeting = Meeting.objects.create(
        event=event,
        requester=kangbo,
        recipient=yuanfang,
        priority="must",
        status=RequestStatus.ACCEPTED,
        slot=slot,
        table=table,
    )

    # Demand board: the firm's open demand is due in two weeks.
    demand = Demand.objects.create(
        organisation=cast.firm,
        created_by=cast.firm_admin,
        number="XQ-CAL-0001",
        title="镀膜脱膜攻关",
        category="research",
        description="镀膜后脱膜,需要专家。",
        budget=Decimal("10000"),
        deadline=day + dt.timedelta(days=2),
        status=DemandStatus.PUBLISHED,
    )

    # Recruitment: a student interviews at the firm's booth.
    fair = Fair.objects.create(
        title="台州学院春季招聘会",
        university=school,
        fair_date=day + dt.timedelta(days=3),
        venue="台州学院体育馆",
        booths=10,
        interviews_from=dt.time(13),
        interviews_until=dt.time(17),
        public_code="CALFAIR",
        created_by=cast.operator,
    )
    fair_firm = FairFirm.objects.create(fair=fair, firm=cast.firm, status="joined", booth=3)
    job = Job.objects.create(
        fair_firm=fair_firm,
        post="质检员",
        skill_level="junior",
        degree="college",
        headcount=2,
        salary_min=Decimal("5000"),
        salary_max=Decimal("7000"),
        location="杜桥",
    )
    student_user = UserFactory(username="student")
    student = Student.objects.create(
        user=student_user,
        name="王同学",
        mobile="13800001111",
        school="台州学院",
        degree="college",
        graduation_year=2027,
    )
    interview = InterviewSlot.objects.create(
        fair=fair, starts_at=at(fair.fair_date, 13), ends_at=at(fair.fair_date, 13, 20)
    )
    application = Application.objects.create(student=student, job=job, status="interview", slot=interview)
    return World(
        cast=cast,
        agreement=sharing.agreement,
        booking=booking,
        booking_day=day,
        trainee=trainee_user,
        session=session,
        meeting=meeting,
        demand=demand,
        application=application,
        student_user=student_user,
    )
