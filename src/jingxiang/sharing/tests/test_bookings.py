"""Bookings and timesheets: no double booking, caps, periods, availability, conflicts, unbooked time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.core.models import Notification
from jingxiang.sharing import services
from jingxiang.sharing.models import AvailabilityException, AvailabilityWindow, BookingStatus, TimesheetStatus
from jingxiang.sharing.tests.builders import make_agreement, slot
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def in_month(days_back: int = 0) -> dt.date:
    """A past day of the current month (the 1st when the month has just begun)."""
    today = timezone.localdate()
    return max(today.replace(day=1), today - dt.timedelta(days=days_back))


def book(cast, agreement, day, start, end, actor=None):
    starts, ends = slot(day, start, end)
    return services.booking_create(
        actor=actor or cast.talent_officer, agreement=agreement, starts_at=starts, ends_at=ends
    )


def test_host_books_hours_and_the_talent_is_told(cast, sharing):
    booking = book(cast, sharing.agreement, in_month(), 9, 12)
    assert booking.hours == Decimal("3.00")
    assert booking.talent == cast.expert
    assert Notification.objects.filter(recipient=cast.expert_user, kind="sharing_booking").exists()


@pytest.mark.parametrize("who", ["member", "other_firm_admin", "operator", "expert_user"])
def test_only_the_hosts_officers_book(cast, sharing, who):
    with pytest.raises(PermissionDenied):
        book(cast, sharing.agreement, in_month(), 9, 12, actor=getattr(cast, who))


def test_overlap_is_refused_even_for_another_host(cast, sharing):
    book(cast, sharing.agreement, in_month(), 9, 12)
    with pytest.raises(ValidationError, match="重叠") as error:
        book(cast, sharing.agreement, in_month(), 11, 13)
    assert error.value.code == "overlap"
    # A second host firm, with its own agreement for the same talent, cannot take the same slot.
    second = OrganisationFactory(name="临海市明光眼镜有限公司")
    officer = UserFactory(username="mingguang")
    MembershipFactory(user=officer, organisation=second, role="talent_officer")
    other = make_agreement_for(cast, second, officer)
    starts, ends = slot(in_month(), 10, 11)
    with pytest.raises(ValidationError, match="重叠"):
        services.booking_create(actor=officer, agreement=other, starts_at=starts, ends_at=ends)
    # Back-to-back is fine.
    starts, ends = slot(in_month(), 12, 14)
    services.booking_create(actor=officer, agreement=other, starts_at=starts, ends_at=ends)


def make_agreement_for(cast, firm, officer):
    from jingxiang.sharing.tests.builders import request_data, terms

    request = services.request_file(actor=officer, firm=firm, data=request_data())
    (invitation,) = services.invitation_send(actor=cast.operator, request=request, talents=[cast.expert])
    services.invitation_respond(actor=cast.expert_user, invitation=invitation, accept=True)
    agreement = services.agreement_create(
        actor=officer, invitation=invitation, data=terms(monthly_hour_cap=10)
    )
    services.agreement_sign(actor=cast.other_firm_admin, agreement=agreement, party="home")
    services.agreement_sign(actor=officer, agreement=agreement, party="host")
    services.agreement_sign(actor=cast.expert_user, agreement=agreement, party="talent", consent=True)
    agreement.refresh_from_db()
    return agreement


def test_cancelled_booking_frees_the_slot(cast, sharing):
    booking = book(cast, sharing.agreement, in_month(), 9, 12)
    services.booking_cancel(actor=cast.firm_admin, booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    book(cast, sharing.agreement, in_month(), 9, 12)


def test_monthly_cap_is_enforced(cast, sharing):
    day = timezone.localdate().replace(day=1)
    book(cast, sharing.agreement, day, 7, 22)  # 15 h of the 20 h cap
    with pytest.raises(ValidationError, match="超出协议每月工时上限") as error:
        book(cast, sharing.agreement, day + dt.timedelta(days=1), 9, 15)
    assert error.value.code == "over_cap"
    book(cast, sharing.agreement, day + dt.timedelta(days=1), 9, 14)  # exactly 20 h


def test_cap_applies_across_versions_of_the_agreement(cast, sharing):
    from jingxiang.sharing.tests.builders import terms

    day = timezone.localdate().replace(day=1)
    book(cast, sharing.agreement, day, 7, 22)
    amended = services.agreement_amend(actor=cast.talent_officer, agreement=sharing.agreement, data=terms())
    services.agreement_sign(actor=cast.other_firm_admin, agreement=amended, party="home")
    services.agreement_sign(actor=cast.talent_officer, agreement=amended, party="host")
    services.agreement_sign(actor=cast.expert_user, agreement=amended, party="talent", consent=True)
    amended.refresh_from_db()
    with pytest.raises(ValidationError, match="每月工时上限"):
        book(cast, amended, day + dt.timedelta(days=1), 9, 15)


def test_talents_own_monthly_offer_is_the_ceiling_across_hosts(cast, sharing):
    second = OrganisationFactory(name="临海市亮视眼镜有限公司")
    officer = UserFactory(username="liangshi")
    MembershipFactory(user=officer, organisation=second, role="org_admin")
    other = make_agreement_for(cast, second, officer)
    day = timezone.localdate().replace(day=1)
    book(cast, sharing.agreement, day, 7, 22)  # 15 of the talent's 20 h
    starts, ends = slot(day + dt.timedelta(days=1), 9, 15)  # within the second agreement's 10 h
    with pytest.raises(ValidationError, match="每月可共享的 20 小时") as error:
        services.booking_create(actor=officer, agreement=other, starts_at=starts, ends_at=ends)
    assert error.value.code == "over_talent_cap"


def test_outside_the_agreement_period_is_refused(cast, sharing):
    with pytest.raises(ValidationError, match="不在协议期限内"):
        book(cast, sharing.agreement, sharing.agreement.period_end + dt.timedelta(days=1), 9, 12)


def test_outside_availability_is_refused(cast, sharing):
    profile = cast.expert.sharing_profile
    profile.windows.all().delete()
    day = in_month()
    AvailabilityWindow.objects.create(
        profile=profile, weekday=day.weekday(), start_time=dt.time(9), end_time=dt.time(12)
    )
    with pytest.raises(ValidationError, match="不在该人才的可用时间内") as error:
        book(cast, sharing.agreement, day, 11, 14)
    assert error.value.code == "outside_availability"
    book(cast, sharing.agreement, day, 9, 12)


def test_unavailable_date_is_refused(cast, sharing):
    day = in_month()
    AvailabilityException.objects.create(profile=cast.expert.sharing_profile, date=day, note="出差")
    with pytest.raises(ValidationError, match="出差"):
        book(cast, sharing.agreement, day, 9, 12)


def test_conflict_list_blocks_bookings_on_an_existing_agreement(cast, sharing):
    cast.expert.sharing_profile.conflict_firms.add(cast.firm)
    with pytest.raises(ValidationError, match="回避名单"):
        book(cast, sharing.agreement, in_month(), 9, 12)


def test_booking_needs_an_active_agreement_and_a_sane_slot(cast):
    pending = make_agreement(cast, sign=False).agreement
    with pytest.raises(ValidationError, match="尚未生效"):
        book(cast, pending, in_month(), 9, 12)


def test_booking_order_and_single_day(cast, sharing):
    with pytest.raises(ValidationError, match="结束时间必须晚于开始时间"):
        book(cast, sharing.agreement, in_month(), 12, 9)
    starts, _ends = slot(in_month(), 20, 21)
    with pytest.raises(ValidationError, match="不能跨天"):
        services.booking_create(
            actor=cast.talent_officer,
            agreement=sharing.agreement,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=6),
        )


# Timesheets ---------------------------------------------------------------------------------------


@pytest.fixture
def booking(cast, sharing):
    """Yesterday morning: already over, so the talent may log it."""
    return book(cast, sharing.agreement, timezone.localdate() - dt.timedelta(days=1), 9, 12)


def test_talent_logs_hours_against_a_booking(cast, booking):
    timesheet = services.timesheet_log(
        actor=cast.expert_user, booking=booking, hours=Decimal("3"), description="调整镀膜温度曲线"
    )
    assert timesheet.status == TimesheetStatus.SUBMITTED
    assert Notification.objects.filter(recipient=cast.talent_officer, kind="sharing_timesheet").exists()


def test_unbooked_time_cannot_be_logged(cast, booking):
    with pytest.raises(ValidationError, match="超出预约时长") as error:
        services.timesheet_log(
            actor=cast.expert_user, booking=booking, hours=Decimal("3.5"), description="加班"
        )
    assert error.value.code == "beyond_booking"
    services.timesheet_log(actor=cast.expert_user, booking=booking, hours=Decimal("2"), description="上午")
    with pytest.raises(ValidationError, match=r"已登记 2\.00 小时"):
        services.timesheet_log(
            actor=cast.expert_user, booking=booking, hours=Decimal("1.5"), description="下午"
        )


def test_cancelled_or_future_bookings_take_no_hours(cast, sharing):
    future = book(cast, sharing.agreement, timezone.localdate() + dt.timedelta(days=2), 9, 10)
    with pytest.raises(ValidationError, match="尚未开始"):
        services.timesheet_log(actor=cast.expert_user, booking=future, hours=Decimal("1"), description="x")
    services.booking_cancel(actor=cast.talent_officer, booking=future)
    with pytest.raises(ValidationError, match="未预约或已取消"):
        services.timesheet_log(actor=cast.expert_user, booking=future, hours=Decimal("1"), description="x")


@pytest.mark.parametrize("who", ["talent_officer", "operator", "other_firm_admin"])
def test_only_the_talent_logs_hours(cast, booking, who):
    with pytest.raises(PermissionDenied):
        services.timesheet_log(actor=getattr(cast, who), booking=booking, hours=Decimal("1"), description="x")


def test_zero_hours_and_empty_description_are_refused(cast, booking):
    with pytest.raises(ValidationError, match="大于 0"):
        services.timesheet_log(actor=cast.expert_user, booking=booking, hours=Decimal("0"), description="x")
    with pytest.raises(ValidationError, match="工作内容"):
        services.timesheet_log(actor=cast.expert_user, booking=booking, hours=Decimal("1"), description="  ")


def test_booking_with_hours_cannot_be_cancelled(cast, booking):
    services.timesheet_log(actor=cast.expert_user, booking=booking, hours=Decimal("1"), description="x")
    with pytest.raises(ValidationError, match="已登记工时"):
        services.booking_cancel(actor=cast.talent_officer, booking=booking)


def test_host_approves(cast, booking):
    timesheet = services.timesheet_log(
        actor=cast.expert_user, booking=booking, hours=Decimal("3"), description="x"
    )
    services.timesheet_review(actor=cast.talent_officer, timesheet=timesheet, approve=True)
    timesheet.refresh_from_db()
    assert timesheet.status == TimesheetStatus.APPROVED and timesheet.approved_hours == Decimal("3")
    with pytest.raises(ValidationError, match="已处理过"):
        services.timesheet_review(actor=cast.talent_officer, timesheet=timesheet, approve=True)


@pytest.mark.parametrize("who", ["member", "other_firm_admin", "expert_user", "operator"])
def test_only_the_host_reviews(cast, booking, who):
    timesheet = services.timesheet_log(
        actor=cast.expert_user, booking=booking, hours=Decimal("3"), description="x"
    )
    with pytest.raises(PermissionDenied):
        services.timesheet_review(actor=getattr(cast, who), timesheet=timesheet, approve=True)


def test_dispute_needs_a_reason_and_goes_to_the_station(cast, booking):
    timesheet = services.timesheet_log(
        actor=cast.expert_user, booking=booking, hours=Decimal("3"), description="x"
    )
    with pytest.raises(ValidationError, match="写明理由"):
        services.timesheet_review(actor=cast.talent_officer, timesheet=timesheet, approve=False, reason="")
    services.timesheet_review(
        actor=cast.talent_officer, timesheet=timesheet, approve=False, reason="当天 11 点已离厂"
    )
    assert Notification.objects.filter(recipient=cast.operator, kind="sharing_dispute").exists()
    with pytest.raises(PermissionDenied):
        services.timesheet_resolve(
            actor=cast.talent_officer, timesheet=timesheet, approved_hours=Decimal("2"), note="x"
        )
    with pytest.raises(ValidationError, match=r"0 到登记的 3\.00 小时"):
        services.timesheet_resolve(
            actor=cast.operator, timesheet=timesheet, approved_hours=Decimal("4"), note="x"
        )
    with pytest.raises(ValidationError, match="裁定意见"):
        services.timesheet_resolve(
            actor=cast.operator, timesheet=timesheet, approved_hours=Decimal("2"), note=" "
        )
    services.timesheet_resolve(
        actor=cast.operator, timesheet=timesheet, approved_hours=Decimal("2"), note="门禁记录为 11:02"
    )
    timesheet.refresh_from_db()
    assert timesheet.status == TimesheetStatus.RESOLVED and timesheet.approved_hours == Decimal("2.00")
    assert Notification.objects.filter(
        recipient=cast.expert_user, message="sharing.dispute_resolved"
    ).exists()
    with pytest.raises(ValidationError, match="只有有异议的工时"):
        services.timesheet_resolve(
            actor=cast.operator, timesheet=timesheet, approved_hours=Decimal("2"), note="x"
        )
