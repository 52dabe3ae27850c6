"""Think-tank consultations on the sharing app's calendar: one hour, confirmed by the expert."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.services import services
from jingxiang.services.models import Consultation, ConsultationStatus, FollowUp
from jingxiang.sharing.models import AvailabilityException
from jingxiang.sharing.tests.builders import book_slot, make_agreement, open_all_week, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert(cast):
    cast.expert.think_tank = True
    cast.expert.save()
    open_all_week(cast.expert)
    return cast.expert


def at(days: int, hour: int) -> dt.datetime:
    return slot(timezone.localdate() + dt.timedelta(days=days), hour, hour + 1)[0]


def test_book_confirm_and_record_advice(cast, expert):
    c = services.consultation_book(
        actor=cast.firm_admin, talent=expert, firm=cast.firm, starts_at=at(3, 10), topic="镀膜脱膜"
    )
    assert c.status == ConsultationStatus.REQUESTED and c.ends_at - c.starts_at == dt.timedelta(hours=1)
    with pytest.raises(PermissionDenied):
        services.consultation_answer(actor=cast.firm_admin, consultation=c, confirm=True)
    c = services.consultation_answer(actor=cast.expert_user, consultation=c, confirm=True)
    assert c.status == ConsultationStatus.CONFIRMED
    with pytest.raises(ValidationError, match="尚未开始"):
        services.consultation_record(
            actor=cast.expert_user, consultation=c, advice="x", follow_up=FollowUp.DEMAND
        )
    Consultation.objects.filter(pk=c.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    c.refresh_from_db()
    c = services.consultation_record(
        actor=cast.expert_user, consultation=c, advice="调整加硬液固化温度", follow_up=FollowUp.SHARING
    )
    assert c.status == ConsultationStatus.HELD and c.follow_up == FollowUp.SHARING
    with pytest.raises(PermissionDenied):
        services.consultation_record(
            actor=cast.other_firm_admin, consultation=c, advice="x", follow_up="none"
        )


def test_only_think_tank_members_in_their_free_time(cast, expert):
    expert.think_tank = False
    expert.save()
    with pytest.raises(ValidationError, match="智库成员"):
        services.consultation_book(
            actor=cast.firm_admin, talent=expert, firm=cast.firm, starts_at=at(3, 10), topic="x"
        )
    expert.think_tank = True
    expert.save()
    with pytest.raises(ValidationError, match="可用时间"):
        services.consultation_book(
            actor=cast.firm_admin, talent=expert, firm=cast.firm, starts_at=at(3, 22), topic="x"
        )
    AvailabilityException.objects.create(profile=expert.sharing_profile, date=at(4, 9).date(), note="出差")
    with pytest.raises(ValidationError, match="出差"):
        services.consultation_book(
            actor=cast.firm_admin, talent=expert, firm=cast.firm, starts_at=at(4, 9), topic="x"
        )
    with pytest.raises(ValidationError):
        services.consultation_book(
            actor=cast.firm_admin, talent=expert, firm=cast.firm, starts_at=at(-1, 10), topic="x"
        )
    assert not Consultation.objects.exists()


def test_one_calendar_sharing_bookings_and_consultations_exclude_each_other(cast, expert):
    agreement = make_agreement(cast).agreement
    day = timezone.localdate() + dt.timedelta(days=5)
    book_slot(cast, agreement, day, 9, 12)
    with pytest.raises(ValidationError, match="已有安排"):
        services.consultation_book(
            actor=cast.firm_admin, talent=expert, firm=cast.firm, starts_at=slot(day, 10, 11)[0], topic="x"
        )
    services.consultation_book(
        actor=cast.firm_admin, talent=expert, firm=cast.firm, starts_at=slot(day, 14, 15)[0], topic="x"
    )
    with pytest.raises(ValidationError, match="已有安排"):
        services.consultation_book(
            actor=cast.other_firm_admin,
            talent=expert,
            firm=cast.other_firm,
            starts_at=slot(day, 14, 15)[0],
            topic="y",
        )
    with pytest.raises(PermissionDenied):
        services.consultation_book(
            actor=cast.member, talent=expert, firm=cast.firm, starts_at=at(6, 10), topic="x"
        )
