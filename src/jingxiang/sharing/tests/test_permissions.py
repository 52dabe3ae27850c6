"""Every route of the sharing app, visited as every persona and anonymously; plus list visibility."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingxiang.sharing import services
from jingxiang.sharing.models import Agreement, SharingRequest, Statement, SubsidyPolicy
from jingxiang.sharing.tests.builders import book_slot, make_agreement, request_data
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, TalentFactory, UserFactory
from jingxiang.testing.matrix import ALL_LOGGED_IN, APPROVED, RouteCase, check_matrix

pytestmark = pytest.mark.django_db

STATION = frozenset({"operator"})
HOST_OFFICERS = frozenset({"firm_admin", "talent_officer"})
MANAGERS = STATION | HOST_OFFICERS
PARTIES = MANAGERS | {"member", "other_firm_admin", "expert"}  # host firm, home employer, the talent, station
TALENT = frozenset({"expert"})


@pytest.fixture
def world(cast, settings, tmp_path):
    """One of everything, hung on the cast so that route URLs can name it."""
    settings.MEDIA_ROOT = tmp_path
    sharing = make_agreement(cast)
    day = timezone.localdate() - dt.timedelta(days=1)
    booking = book_slot(cast, sharing.agreement, day, 9, 12)
    approved = services.timesheet_log(
        actor=cast.expert_user, booking=booking, hours=Decimal("2"), description="x"
    )
    services.timesheet_review(actor=cast.talent_officer, timesheet=approved, approve=True)
    submitted = services.timesheet_log(
        actor=cast.expert_user, booking=booking, hours=Decimal("1"), description="y"
    )
    statement = services.statement_generate(actor=cast.operator, agreement=sharing.agreement, month=day)
    outcome = services.outcome_record(
        actor=cast.talent_officer,
        agreement=sharing.agreement,
        data={"rating": 4, "cost_saved": Decimal("1000")},
        evidence=SimpleUploadedFile("evidence.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    policy = SubsidyPolicy.objects.create(
        name="补贴",
        percentage=Decimal("50"),
        eligible_sizes=["small"],
        cap_per_firm_year=Decimal("1000"),
        annual_budget=Decimal("10000"),
        valid_from=day.replace(month=1, day=1),
        valid_to=day.replace(month=12, day=31),
    )
    cast.sharing = sharing
    cast.booking = booking
    cast.timesheet = submitted
    cast.statement = statement
    cast.outcome = outcome
    cast.policy = policy
    return cast


def a(c):
    return c.sharing.agreement.pk


CASES = [
    RouteCase("sharing:home", "/sharing/", ALL_LOGGED_IN, ok_status=(302,)),
    RouteCase("sharing:pool", "/sharing/pool/", ALL_LOGGED_IN),
    RouteCase("sharing:profile", lambda c: f"/sharing/pool/{c.expert.pk}/", APPROVED),
    RouteCase(
        "sharing:profile_edit",
        lambda c: f"/sharing/pool/{c.expert.pk}/edit/",
        frozenset({"operator", "other_firm_admin", "expert"}),
    ),
    RouteCase("sharing:requests", "/sharing/requests/", ALL_LOGGED_IN),
    RouteCase("sharing:request_create", "/sharing/requests/new/", HOST_OFFICERS | {"other_firm_admin"}),
    RouteCase(
        "sharing:request_detail",
        lambda c: f"/sharing/requests/{c.sharing.request.pk}/",
        MANAGERS | {"member", "expert"},
    ),
    RouteCase(
        "sharing:invite",
        lambda c: f"/sharing/requests/{c.sharing.request.pk}/invite/",
        MANAGERS,
        method="post",
        data=lambda c: {"talents": [c.expert.pk]},
        ok_status=(302,),
    ),
    RouteCase("sharing:me", "/sharing/me/", TALENT),
    RouteCase(
        "sharing:invitation_respond",
        lambda c: f"/sharing/invitations/{c.sharing.invitation.pk}/respond/",
        TALENT,
        method="post",
        data={"decision": "accept"},
        ok_status=(302,),
    ),
    RouteCase(
        "sharing:agreement_create",
        lambda c: f"/sharing/invitations/{c.sharing.invitation.pk}/agreement/",
        MANAGERS,
    ),
    RouteCase("sharing:agreements", "/sharing/agreements/", ALL_LOGGED_IN),
    RouteCase("sharing:agreement_detail", lambda c: f"/sharing/agreements/{a(c)}/", PARTIES),
    RouteCase(
        "sharing:agreement_sign",
        lambda c: f"/sharing/agreements/{a(c)}/sign/",
        PARTIES,
        method="post",
        data={"party": "host"},
        ok_status=(302,),
    ),
    RouteCase("sharing:agreement_amend", lambda c: f"/sharing/agreements/{a(c)}/amend/", MANAGERS),
    RouteCase("sharing:agreement_pdf", lambda c: f"/sharing/agreements/{a(c)}/pdf/", PARTIES),
    # The station opens the booking form too: it enters bookings that took place, with a reason (issue 10).
    RouteCase("sharing:booking_create", lambda c: f"/sharing/agreements/{a(c)}/book/", MANAGERS),
    # The free-slot picker alone answers HTMX; a plain visit goes to the booking page (test_slots).
    RouteCase(
        "sharing:booking_slots", lambda c: f"/sharing/agreements/{a(c)}/slots/", MANAGERS, ok_status=(302,)
    ),
    RouteCase("sharing:outcome_create", lambda c: f"/sharing/agreements/{a(c)}/outcome/", HOST_OFFICERS),
    RouteCase("sharing:bookings", "/sharing/bookings/", ALL_LOGGED_IN),
    RouteCase("sharing:timesheet_create", lambda c: f"/sharing/bookings/{c.booking.pk}/log/", TALENT),
    RouteCase(
        "sharing:booking_cancel",
        lambda c: f"/sharing/bookings/{c.booking.pk}/cancel/",
        PARTIES,
        method="post",
        ok_status=(302,),
    ),
    RouteCase("sharing:timesheets", "/sharing/timesheets/", ALL_LOGGED_IN),
    RouteCase(
        "sharing:timesheet_review",
        lambda c: f"/sharing/timesheets/{c.timesheet.pk}/review/",
        MANAGERS,
        method="post",
        data={"decision": "dispute", "reason": "时间不符"},
        ok_status=(302,),
    ),
    RouteCase(
        "sharing:timesheet_resolve",
        lambda c: f"/sharing/timesheets/{c.timesheet.pk}/resolve/",
        STATION,
        method="post",
        data={"approved_hours": "1", "note": "核实"},
        ok_status=(302,),
    ),
    RouteCase("sharing:statements", "/sharing/statements/", ALL_LOGGED_IN),
    RouteCase("sharing:statements_generate", "/sharing/statements/generate/", STATION),
    RouteCase("sharing:statement_detail", lambda c: f"/sharing/statements/{c.statement.pk}/", PARTIES),
    RouteCase("sharing:statement_pdf", lambda c: f"/sharing/statements/{c.statement.pk}/pdf/", PARTIES),
    RouteCase(
        "sharing:statement_issue",
        lambda c: f"/sharing/statements/{c.statement.pk}/issue/",
        STATION,
        method="post",
        ok_status=(302,),
    ),
    RouteCase("sharing:statement_adjust", lambda c: f"/sharing/statements/{c.statement.pk}/adjust/", STATION),
    RouteCase("sharing:subsidies", "/sharing/subsidies/", STATION),
    RouteCase("sharing:subsidy_create", "/sharing/subsidies/new/", STATION),
    RouteCase("sharing:subsidy_edit", lambda c: f"/sharing/subsidies/{c.policy.pk}/edit/", STATION),
    RouteCase("sharing:outcomes", "/sharing/outcomes/", ALL_LOGGED_IN),
    RouteCase("sharing:outcome_evidence", lambda c: f"/sharing/outcomes/{c.outcome.pk}/evidence/", PARTIES),
    RouteCase("sharing:dashboard", "/sharing/dashboard/", STATION),
    # State-changing routes that end things go last.
    RouteCase(
        "sharing:request_close",
        lambda c: f"/sharing/requests/{c.sharing.request.pk}/close/",
        MANAGERS,
        method="post",
        ok_status=(302,),
    ),
    RouteCase(
        "sharing:agreement_end",
        lambda c: f"/sharing/agreements/{a(c)}/end/",
        MANAGERS,
        method="post",
        ok_status=(302,),
    ),
]


def test_role_matrix(world):
    assert check_matrix(world, CASES) == []


def test_matrix_covers_every_route():
    from jingxiang.sharing.urls import urlpatterns

    covered = {case.name.split(" ")[0] for case in CASES}
    assert {f"sharing:{p.name}" for p in urlpatterns} <= covered


def test_a_firm_sees_only_its_own_requests_agreements_and_statements(world, client):
    cast = world
    stranger_firm = OrganisationFactory(name="临海市他山眼镜有限公司")
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, organisation=stranger_firm, role="org_admin")
    theirs = services.request_file(actor=stranger, firm=stranger_firm, data=request_data(title="他山的需求"))
    assert list(SharingRequest.objects.visible_to(cast.firm_admin)) == [cast.sharing.request]
    assert theirs in SharingRequest.objects.visible_to(stranger)
    assert not Agreement.objects.visible_to(stranger).exists()
    assert not Statement.objects.visible_to(stranger).exists()
    assert set(SharingRequest.objects.visible_to(cast.operator)) == {cast.sharing.request, theirs}
    client.force_login(cast.firm_admin)
    assert "他山的需求" not in client.get("/sharing/requests/").content.decode()
    # The home employer sees the agreement of its own person, but not the host's requests.
    assert cast.sharing.agreement in Agreement.objects.visible_to(cast.other_firm_admin)
    assert not SharingRequest.objects.visible_to(cast.other_firm_admin).exists()


def test_a_talent_sees_only_their_own(world, cast):
    colleague = TalentFactory(home_organisation=cast.other_firm, user=UserFactory(username="colleague"))
    other = make_agreement(cast, colleague, sign=False)
    assert set(Agreement.objects.visible_to(cast.expert_user)) == {cast.sharing.agreement}
    assert other.agreement in Agreement.objects.visible_to(other.agreement.talent.user)
    assert cast.sharing.agreement not in Agreement.objects.visible_to(other.agreement.talent.user)
