"""The fair's services: booths on the plan, applications and allocation, buyers and badges, meetings
through the events app, leads and the exhibitor report."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook

from jingxiang.core.imports import run_import
from jingxiang.events import services as events
from jingxiang.events.models import Attendance, Meeting, Participant, RequestStatus
from jingxiang.fairs import documents, selectors, services
from jingxiang.fairs.imports import BoothImport
from jingxiang.fairs.models import (
    Allocation,
    ApplicationStatus,
    Booth,
    BoothState,
    ExhibitorApplication,
    Lead,
)
from jingxiang.fairs.tests.conftest import fair_is_on, make_fair, register_buyer

pytestmark = pytest.mark.django_db


def apply(cast, fair_setup, *codes, organisation=None, actor=None):
    return services.application_submit(
        actor=actor or cast.firm_admin,
        fair=fair_setup.fair,
        organisation=organisation or cast.firm,
        booth_ids=[fair_setup.booths[c].pk for c in codes],
        products="TR90 光学镜架、钛架",
        contact_name="王经理",
    )


def noop(percent, text):  # type: ignore[no-untyped-def]
    return None


def test_fair_creates_its_meeting_event_through_the_events_app(cast, fair_setup):
    event = fair_setup.fair.event
    assert event.status == "open"
    assert event.sessions.count() == 2  # one morning session per fair day
    assert event.slots.count() == 10  # 09:30–12:00 in 30-minute slots, two days
    assert event.tables.count() == 3
    assert not event.allow_experts


def test_a_fair_in_the_past_needs_an_operators_reason(cast):
    with pytest.raises(ValidationError) as error:
        make_fair(cast.operator, code="OLD", days_ahead=-3)
    assert "starts_on" in error.value.message_dict


def test_booths_must_stand_inside_the_hall_and_not_overlap(cast, fair_setup):
    base = {"actor": cast.operator, "hall": fair_setup.hall, "width_m": Decimal("3"), "depth_m": Decimal("3")}
    with pytest.raises(ValidationError, match="重叠"):
        services.booth_add(**base, code="X1", x_m=Decimal("3"), y_m=Decimal("3"), price=Decimal("1"))
    with pytest.raises(ValidationError, match="超出展馆"):
        services.booth_add(**base, code="X2", x_m=Decimal("28"), y_m=Decimal("2"), price=Decimal("1"))
    with pytest.raises(ValidationError):
        services.booth_add(**base, code="1a01", x_m=Decimal("20"), y_m=Decimal("8"), price=Decimal("1"))
    assert Booth.objects.filter(fair=fair_setup.fair).count() == 4


def test_only_operators_set_up_booths(cast, fair_setup):
    with pytest.raises(PermissionDenied):
        services.hall_add(
            actor=cast.firm_admin,
            fair=fair_setup.fair,
            code="2",
            name="2",
            width_m=Decimal(9),
            depth_m=Decimal(9),
        )


def _workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["展馆代码", "展位号", "宽(米)", "深(米)", "横坐标(米)", "纵坐标(米)", "价格(元)"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_booth_import_refuses_the_whole_file_with_each_bad_row(cast, fair_setup):
    data = _workbook(
        [
            ["1", "1B01", 3, 3, 2, 7, 8800],
            ["1", "1B01", 3, 3, 6, 7, 8800],  # twice in the file
            ["9", "9A01", 3, 3, 2, 2, 8800],  # no such hall
            ["1", "1B03", 3, 3, 2, 2, 8800],  # on top of 1A01
            ["1", "1B04", 3, 3, 29, 7, 8800],  # sticks out of the hall
        ]
    )
    result = run_import(BoothImport(fair_setup.fair), data, cast.operator, noop)
    assert not result.ok
    assert sorted({e.row for e in result.errors}) == [3, 4, 5, 6]
    assert "与第 2 行重复" in result.errors[0].message
    not_a_number = _workbook([["1", "1B05", "宽", 3, 20, 7, 8800], ["1", "1B06", 3, 3, 20, 7, 8800]])
    result = run_import(BoothImport(fair_setup.fair), not_a_number, cast.operator, noop)
    assert [(e.row, e.column) for e in result.errors] == [(2, "宽(米)")]
    assert Booth.objects.filter(fair=fair_setup.fair).count() == 4


def test_booth_import_saves_a_clean_file(cast, fair_setup):
    data = _workbook([["1", "1B01", 3, 3, 2, 7, 8800], ["1", "1b02", 6, 3, 6, 7, 15800]])
    result = run_import(BoothImport(fair_setup.fair), data, cast.operator, noop)
    assert result.ok and result.created == 2
    assert Booth.objects.get(fair=fair_setup.fair, code="1B02").price == Decimal("15800")


def test_application_registers_the_exhibitor_for_meetings(cast, fair_setup):
    application = apply(cast, fair_setup, "1A01", "1A02")
    assert application.participant.organisation == cast.firm
    assert application.participant.event == fair_setup.fair.event
    assert [p.booth.code for p in application.preferences.all()] == ["1A01", "1A02"]
    with pytest.raises(ValidationError, match="已申请过"):
        apply(cast, fair_setup, "1A03")


def test_a_member_cannot_apply_for_the_firm(cast, fair_setup):
    with pytest.raises(PermissionDenied):
        apply(cast, fair_setup, "1A01", actor=cast.member)


def test_allocation_run_honours_preferences_in_order_of_application(cast, fair_setup):
    first = apply(cast, fair_setup, "1A01", "1A02")
    second = apply(
        cast, fair_setup, "1A01", "1A03", organisation=cast.other_firm, actor=cast.other_firm_admin
    )
    services.booth_set_state(
        actor=cast.operator, booth=fair_setup.booths["1A03"], state="held", note="赞助商"
    )
    allocated, unplaced = services.allocation_run(actor=cast.operator, fair=fair_setup.fair, progress=noop)
    assert (allocated, unplaced) == (1, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ApplicationStatus.ALLOCATED and first.booth.code == "1A01"
    assert first.allocations.get().preference_rank == 1
    assert second.status == ApplicationStatus.SUBMITTED
    assert "1A01、1A03" in second.unplaced_reason
    # The operator gives the held booth by hand.
    services.booth_allocate(actor=cast.operator, application=second, booth=fair_setup.booths["1A03"])
    assert Booth.objects.get(pk=fair_setup.booths["1A03"].pk).state == BoothState.ALLOCATED


def test_a_booth_is_never_given_twice(cast, fair_setup):
    first = apply(cast, fair_setup, "1A01")
    second = apply(cast, fair_setup, "1A02", organisation=cast.other_firm, actor=cast.other_firm_admin)
    services.booth_allocate(actor=cast.operator, application=first, booth=fair_setup.booths["1A01"])
    with pytest.raises(ValidationError, match="已分配给 临海市康波眼镜有限公司") as error:
        services.booth_allocate(actor=cast.operator, application=second, booth=fair_setup.booths["1A01"])
    assert error.value.code == "booth_taken"
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED
    assert Allocation.objects.filter(booth=fair_setup.booths["1A01"], released_at__isnull=True).count() == 1
    with pytest.raises(ValidationError, match="已分配"):
        services.booth_set_state(
            actor=cast.operator, booth=fair_setup.booths["1A01"], state="blocked", note="x"
        )


def test_moving_and_releasing_a_booth(cast, fair_setup):
    application = apply(cast, fair_setup, "1A01")
    services.booth_allocate(actor=cast.operator, application=application, booth=fair_setup.booths["1A01"])
    services.booth_allocate(actor=cast.operator, application=application, booth=fair_setup.booths["1A02"])
    states = dict(Booth.objects.filter(fair=fair_setup.fair).values_list("code", "state"))
    assert states["1A01"] == "free" and states["1A02"] == "allocated"
    with pytest.raises(ValidationError, match="原因"):
        services.booth_release(actor=cast.operator, application=application, reason=" ")
    services.booth_release(actor=cast.operator, application=application, reason="企业未缴费")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.booth is None
    assert Allocation.objects.filter(application=application).count() == 2  # history kept


def test_withdrawing_frees_the_booth_and_the_meeting_registration(cast, fair_setup):
    application = apply(cast, fair_setup, "1A01")
    services.booth_allocate(actor=cast.operator, application=application, booth=fair_setup.booths["1A01"])
    services.application_withdraw(actor=cast.firm_admin, application=application)
    assert Booth.objects.get(pk=fair_setup.booths["1A01"].pk).state == BoothState.FREE
    assert Participant.objects.get(pk=application.participant_id).archived_at is not None


def test_buyer_registration_without_login_gets_a_badge(cast, fair_setup):
    from django.contrib.auth.models import AnonymousUser

    buyer = services.buyer_register(
        actor=AnonymousUser(),
        fair=fair_setup.fair,
        name="Marco Rossi",
        company="Ottica Rossi",
        country="IT",
        kind="retailer",
        mobile="+39 333 123 4567",
    )
    assert buyer.badge_number == "TZ2027-00001"
    # Without a login nor an organisation: a guest registration of the meetings, used by her link.
    assert buyer.user_id is None and buyer.participant.organisation_id is None
    assert buyer.participant.registered_by == fair_setup.fair.created_by
    assert buyer.mobile == "+393331234567"
    assert documents.badge_lookup(buyer.badge_code)["status"] == "valid"
    assert documents.badge_lookup("NOPE") is None
    assert documents.badge_pdf(buyer).startswith(b"%PDF")
    with pytest.raises(ValidationError) as error:
        services.buyer_register(
            actor=AnonymousUser(),
            fair=fair_setup.fair,
            name="M. Rossi",
            company="Ottica Rossi",
            country="IT",
            kind="retailer",
            mobile="+393331234567",
        )
    assert "mobile" in error.value.message_dict


def test_an_exhibitor_cannot_register_as_its_own_buyer(cast, fair_setup):
    apply(cast, fair_setup, "1A01")
    with pytest.raises(ValidationError, match="参展商"):
        register_buyer(
            fair_setup.fair, cast.firm_admin, cast.firm, name="王", country="CN", mobile="13800000001"
        )


def _exhibit(cast, fair_setup):
    application = apply(cast, fair_setup, "1A01")
    services.booth_allocate(actor=cast.operator, application=application, booth=fair_setup.booths["1A01"])
    application.refresh_from_db()
    a = register_buyer(
        fair_setup.fair,
        fair_setup.buyer_a,
        fair_setup.buyer_firm_a,
        name="Giulia",
        country="IT",
        mobile="+390000001",
    )
    b = register_buyer(
        fair_setup.fair,
        fair_setup.buyer_b,
        fair_setup.buyer_firm_b,
        name="陈老板",
        country="CN",
        mobile="13900000002",
    )
    return application, a, b


def test_meetings_go_through_the_events_request_flow_and_scheduler(
    cast, fair_setup, django_capture_on_commit_callbacks
):
    application, a, b = _exhibit(cast, fair_setup)
    for buyer, user in ((a, fair_setup.buyer_a), (b, fair_setup.buyer_b)):
        meeting = services.meeting_request(actor=user, buyer=buyer, application=application, priority="must")
        events.meeting_request_respond(actor=cast.firm_admin, meeting=meeting, accept=True)
    with pytest.raises(ValidationError, match="已有待答复或已接受"):
        services.meeting_request(actor=fair_setup.buyer_a, buyer=a, application=application, priority="nice")
    with pytest.raises(PermissionDenied):
        services.meeting_request(actor=fair_setup.buyer_b, buyer=a, application=application, priority="nice")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_start(actor=cast.operator, fair=fair_setup.fair, time_limit=2)
    run.refresh_from_db()
    assert run.status == "ready", run.violations
    events.schedule_publish(actor=cast.operator, run=run)
    meetings = list(Meeting.objects.filter(event=fair_setup.fair.event, status=RequestStatus.ACCEPTED))
    assert len(meetings) == 2 and all(m.slot_id and m.announced for m in meetings)
    assert meetings[0].slot_id != meetings[1].slot_id  # the exhibitor meets one buyer at a time
    report = selectors.exhibitor_report(application)
    assert report.scheduled == 2 and report.held == 0 and report.buyers == 0


def test_buyer_with_a_login_but_no_organisation_books_as_a_guest(cast, fair_setup):
    application, _a, _b = _exhibit(cast, fair_setup)
    walk_in = services.buyer_register(
        actor=cast.outsider,
        fair=fair_setup.fair,
        name="Li",
        company="散客",
        country="CN",
        kind="other",
        mobile="13700000003",
    )
    meeting = services.meeting_request(
        actor=cast.outsider, buyer=walk_in, application=application, priority="nice"
    )
    assert meeting.requester_id == walk_in.participant_id and meeting.requester.organisation_id is None
    with pytest.raises(PermissionDenied):
        services.meeting_request(actor=cast.member, buyer=walk_in, application=application, priority="nice")


def test_lead_capture_refuses_a_second_scan_and_keeps_the_first(cast, fair_setup):
    application, a, b = _exhibit(cast, fair_setup)
    fair_is_on(fair_setup.fair)
    first = services.lead_capture(
        actor=cast.member, application=application, code=a.badge_number.lower(), note="要样品"
    )
    url = f"https://jingxiang.example/verify/fair-badge/{a.badge_code}/"
    with pytest.raises(ValidationError) as error:
        services.lead_capture(actor=cast.talent_officer, application=application, code=url, method="scan")
    assert error.value.error_dict["code"][0].code == "duplicate"
    assert "无需重复扫码" in error.value.message_dict["code"][0]
    assert list(Lead.objects.filter(application=application)) == [first]
    assert Lead.objects.get().note == "要样品"
    services.lead_capture(
        actor=cast.member, application=application, code=url.replace(a.badge_code, b.badge_code)
    )
    with pytest.raises(ValidationError, match="没有找到胸卡"):
        services.lead_capture(actor=cast.member, application=application, code="TZ2027-99999")
    with pytest.raises(PermissionDenied):
        services.lead_capture(actor=cast.other_firm_admin, application=application, code=a.badge_number)


def test_report_counts_each_buyer_once_and_splits_by_country_and_kind(
    cast, fair_setup, django_capture_on_commit_callbacks
):
    application, a, b = _exhibit(cast, fair_setup)
    meeting = services.meeting_request(
        actor=fair_setup.buyer_a, buyer=a, application=application, priority="must"
    )
    events.meeting_request_respond(actor=cast.firm_admin, meeting=meeting, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_start(actor=cast.operator, fair=fair_setup.fair, time_limit=2)
    run.refresh_from_db()
    events.schedule_publish(actor=cast.operator, run=run)
    Meeting.objects.filter(pk=meeting.pk).update(attendance=Attendance.HELD)
    fair_is_on(fair_setup.fair)
    services.lead_capture(actor=cast.member, application=application, code=a.badge_number)
    services.lead_capture(actor=cast.member, application=application, code=b.badge_number)
    report = selectors.exhibitor_report(application)
    assert (len(report.leads), report.scheduled, report.held, report.buyers) == (2, 1, 1, 2)
    assert dict(report.by_country) == {"意大利": 1, "中国大陆": 1}
    assert dict(report.by_kind) == {"批发商": 2}
    issue = services.report_issue(actor=cast.member, application=application)
    assert (issue.figures["leads"], issue.figures["scheduled"], issue.figures["buyers"]) == (2, 1, 2)
    assert documents.report_pdf(issue).startswith(b"%PDF")


def test_hall_map_shows_state_in_colour_and_words(cast, fair_setup):
    application = apply(cast, fair_setup, "1A02")
    services.booth_allocate(actor=cast.operator, application=application, booth=fair_setup.booths["1A02"])
    services.booth_set_state(
        actor=cast.operator, booth=fair_setup.booths["1A04"], state="blocked", note="消防通道"
    )
    plan = selectors.hall_map(fair_setup.hall, show_holders=True)
    by_code = {b.booth.code: b for b in plan.booths}
    assert by_code["1A02"].state_label == "已分配" and by_code["1A02"].holder == cast.firm.name
    assert by_code["1A04"].state_label == "不可用"
    assert by_code["1A01"].fill != by_code["1A02"].fill != by_code["1A04"].fill
    assert plan.counts == {"free": 2, "held": 0, "allocated": 1, "blocked": 1}


def test_fair_dates_are_refused_out_of_order(cast):
    start = timezone.localdate() + dt.timedelta(days=5)
    with pytest.raises(ValidationError) as error:
        services.fair_create(
            actor=cast.operator,
            code="BAD",
            title="x",
            city="x",
            venue="x",
            starts_on=start,
            ends_on=start - dt.timedelta(days=1),
        )
    assert "ends_on" in error.value.message_dict
    assert not ExhibitorApplication.objects.exists()
