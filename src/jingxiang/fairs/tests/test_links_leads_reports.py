"""The review's three gaps, per role: a buyer without a login books meetings through a personal,
revocable link (the events' request flow, rate limited); leads are captured only while the fair is on,
with an operator's audited override; the exhibitor report PDF carries a QR whose URL verifies."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from jingxiang.core.models import Notification, OutboxMessage, TimeRuleOverride
from jingxiang.events import services as events
from jingxiang.events.models import Meeting, RequestStatus
from jingxiang.fairs import services
from jingxiang.fairs.models import BuyerLink, Lead, ReportIssue
from jingxiang.fairs.tests.conftest import fair_is_on, fair_is_over

pytestmark = pytest.mark.django_db


def _exhibitor(cast, fair_setup, code="1A01", organisation=None, actor=None):  # type: ignore[no-untyped-def]
    application = services.application_submit(
        actor=actor or cast.firm_admin,
        fair=fair_setup.fair,
        organisation=organisation or cast.firm,
        booth_ids=[fair_setup.booths[code].pk],
        products="TR90 光学镜架",
        contact_name="王经理",
    )
    services.booth_allocate(actor=cast.operator, application=application, booth=fair_setup.booths[code])
    application.refresh_from_db()
    return application


def _walk_in(fair, *, mobile="+393331112233", email="marco@ottica.example"):  # type: ignore[no-untyped-def]
    return services.buyer_register(
        actor=AnonymousUser(),
        fair=fair,
        name="Marco Bianchi",
        company="Ottica Bianchi",
        country="IT",
        kind="retailer",
        mobile=mobile,
        email=email,
    )


def _live(buyer):  # type: ignore[no-untyped-def]
    return BuyerLink.objects.get(buyer=buyer, revoked_at__isnull=True)


# Personal links ----------------------------------------------------------------------------------------


def test_a_walk_in_buyer_gets_a_guest_registration_and_a_link_mailed_to_her(cast, fair_setup):
    buyer = _walk_in(fair_setup.fair)
    link = _live(buyer)
    assert buyer.participant.event_id == fair_setup.fair.event_id
    assert buyer.participant.organisation_id is None and buyer.participant.name == "Ottica Bianchi"
    mail = OutboxMessage.objects.get(to_address="marco@ottica.example")
    assert mail.recipient is None and mail.message == "fairs.buyer_link"
    assert mail.url.endswith(f"/fairs/my/{link.token}/")
    no_mail = _walk_in(fair_setup.fair, mobile="13700000009", email="")
    assert _live(no_mail) and OutboxMessage.objects.count() == 1


def test_link_buyer_requests_through_the_events_flow_and_the_exhibitor_answers(cast, fair_setup):
    application = _exhibitor(cast, fair_setup)
    buyer = _walk_in(fair_setup.fair)
    meeting = services.meeting_request(
        actor=AnonymousUser(), buyer=buyer, application=application, priority="must", link=_live(buyer)
    )
    assert (meeting.requester_id, meeting.recipient_id) == (buyer.participant_id, application.participant_id)
    # The events app's own checks and notification: a duplicate is refused, the exhibitor is told.
    with pytest.raises(ValidationError, match="不能重复预约"):
        services.meeting_request(
            actor=AnonymousUser(), buyer=buyer, application=application, priority="nice", link=_live(buyer)
        )
    assert Notification.objects.filter(recipient=cast.firm_admin, message="events.meeting_requested").exists()
    events.meeting_request_respond(actor=cast.firm_admin, meeting=meeting, accept=True)
    assert Meeting.objects.get(pk=meeting.pk).status == RequestStatus.ACCEPTED


def test_a_link_acts_only_for_its_own_buyer_and_not_once_revoked(cast, fair_setup):
    application = _exhibitor(cast, fair_setup)
    marco = _walk_in(fair_setup.fair)
    anna = _walk_in(fair_setup.fair, mobile="+491701234567", email="")
    with pytest.raises(PermissionDenied):
        services.meeting_request(
            actor=AnonymousUser(), buyer=anna, application=application, priority="nice", link=_live(marco)
        )
    old = _live(marco)
    services.buyer_link_revoke(actor=cast.operator, buyer=marco)
    with pytest.raises(PermissionDenied):
        services.meeting_request(
            actor=AnonymousUser(), buyer=marco, application=application, priority="nice", link=old
        )
    # Without a link nobody acts for a walk-in: not anonymous, not the exhibitor, not another firm.
    for actor in (AnonymousUser(), cast.firm_admin, cast.other_firm_admin):
        with pytest.raises(PermissionDenied):
            services.meeting_request(actor=actor, buyer=marco, application=application, priority="nice")
    assert not Meeting.objects.exists()


def test_who_may_renew_or_stop_a_link(cast, fair_setup):
    marco = _walk_in(fair_setup.fair)
    first = _live(marco)
    for actor in (cast.firm_admin, cast.member, cast.other_firm_admin, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.buyer_link_renew(actor=actor, buyer=marco)
        with pytest.raises(PermissionDenied):
            services.buyer_link_revoke(actor=actor, buyer=marco)
    second = services.buyer_link_renew(actor=cast.operator, buyer=marco)
    first.refresh_from_db()
    assert first.revoked_at is not None and first.revoked_by == cast.operator and second.token != first.token
    # The holder of the live link may renew it a few times a day (a stale one may not).
    with pytest.raises(PermissionDenied):
        services.buyer_link_renew(actor=AnonymousUser(), buyer=marco, link=first)
    link = second
    for _ in range(services.LINK_RENEWALS_PER_DAY - 2):
        link = services.buyer_link_renew(actor=AnonymousUser(), buyer=marco, link=link)
    with pytest.raises(ValidationError, match="最多换发"):
        services.buyer_link_renew(actor=AnonymousUser(), buyer=marco, link=link)
    assert BuyerLink.objects.filter(buyer=marco, revoked_at__isnull=True).count() == 1
    # A buyer with a login manages her own link.
    own = services.buyer_register(
        actor=cast.outsider,
        fair=fair_setup.fair,
        name="Li",
        company="散客",
        country="CN",
        kind="other",
        mobile="13700000003",
    )
    assert services.buyer_link_renew(actor=cast.outsider, buyer=own).buyer_id == own.pk


def test_link_requests_are_rate_limited(cast, fair_setup, monkeypatch):
    first = _exhibitor(cast, fair_setup)
    second = _exhibitor(cast, fair_setup, "1A02", organisation=cast.other_firm, actor=cast.other_firm_admin)
    monkeypatch.setattr(services, "LINK_REQUESTS_PER_HOUR", 1)
    marco = _walk_in(fair_setup.fair)
    services.meeting_request(
        actor=AnonymousUser(), buyer=marco, application=first, priority="nice", link=_live(marco)
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_request(
            actor=AnonymousUser(), buyer=marco, application=second, priority="nice", link=_live(marco)
        )
    assert error.value.code == "throttled" and "一小时内最多" in error.value.messages[0]
    assert Meeting.objects.count() == 1


def test_personal_page_by_link_and_the_badge_shows_it_only_to_its_holder(cast, fair_setup, client):
    application = _exhibitor(cast, fair_setup)
    response = client.post(
        f"/fairs/{fair_setup.fair.pk}/register/",
        {
            "name": "Marco",
            "company": "Ottica",
            "country": "IT",
            "kind": "retailer",
            "mobile": "+39 333 1234567",
        },
    )
    buyer = application.fair.buyers.get()
    token = _live(buyer).token
    badge = client.get(response["Location"]).content.decode()
    assert f"/fairs/my/{token}/" in badge  # the confirmation shows the link to the browser that registered
    from django.test import Client

    scanner = Client()
    scanner.force_login(cast.member)  # an exhibitor who scanned the QR opens the same badge page
    assert token not in scanner.get(f"/fairs/badges/{buyer.badge_code}/").content.decode()
    stranger = Client()
    page = stranger.get(f"/fairs/my/{token}/").content.decode()
    assert application.organisation.name in page and "预约洽谈" in page
    reply = stranger.post(f"/fairs/my/{token}/exhibitors/{application.pk}/meet/", {"priority": "must"})
    assert reply.status_code == 302 and reply["Location"] == f"/fairs/my/{token}/"
    meeting = Meeting.objects.get()
    assert meeting.requester_id == buyer.participant_id
    assert "待答复" in stranger.get(f"/fairs/my/{token}/").content.decode()
    pdf = stranger.get(f"/fairs/my/{token}/badge.pdf").content
    assert token in _pdf_text(pdf)
    assert token not in _pdf_text(stranger.get(f"/fairs/badges/{buyer.badge_code}/badge.pdf").content)
    renewed = stranger.post(f"/fairs/my/{token}/renew/")
    new = _live(buyer).token
    assert renewed["Location"] == f"/fairs/my/{new}/" and new != token
    assert stranger.get(f"/fairs/my/{token}/").status_code == 404
    assert stranger.get(f"/fairs/my/{token}/exhibitors/{application.pk}/meet/").status_code == 404


# Lead capture is a time rule --------------------------------------------------------------------------


def test_leads_are_refused_before_and_after_the_fair(cast, fair_setup):
    application = _exhibitor(cast, fair_setup)
    marco = _walk_in(fair_setup.fair)
    with pytest.raises(ValidationError, match="展会尚未开幕") as error:
        services.lead_capture(actor=cast.member, application=application, code=marco.badge_number)
    assert error.value.code == "outside_fair" and "联系平台运营人员补录" in error.value.messages[0]
    # Not even with a reason: only an operator may record outside the fair's dates.
    with pytest.raises(ValidationError, match="展会尚未开幕"):
        services.lead_capture(
            actor=cast.firm_admin, application=application, code=marco.badge_number, backdate_reason="x"
        )
    fair_is_over(fair_setup.fair)
    with pytest.raises(ValidationError, match="展会已闭幕"):
        services.lead_capture(actor=cast.member, application=application, code=marco.badge_number)
    assert not Lead.objects.exists() and not TimeRuleOverride.objects.exists()
    fair_is_on(fair_setup.fair)
    assert services.lead_capture(actor=cast.member, application=application, code=marco.badge_number)


def test_an_operator_records_a_late_lead_with_a_reason_and_it_is_audited(cast, fair_setup):
    application = _exhibitor(cast, fair_setup)
    marco = _walk_in(fair_setup.fair)
    fair_is_over(fair_setup.fair)
    with pytest.raises(ValidationError, match="请填写补录原因"):
        services.lead_capture(actor=cast.operator, application=application, code=marco.badge_number)
    lead = services.lead_capture(
        actor=cast.operator,
        application=application,
        code=marco.badge_number,
        backdate_reason="展商闭幕后交来的纸质名单",
    )
    override = TimeRuleOverride.objects.get()
    assert override.subject == lead and override.actor == cast.operator
    assert override.reason == "展商闭幕后交来的纸质名单" and override.rule == "not_before:ends_on:scanned_on"
    # Another firm cannot record for this exhibitor, late or not.
    with pytest.raises(PermissionDenied):
        services.lead_capture(
            actor=cast.other_firm_admin, application=application, code=marco.badge_number, backdate_reason="x"
        )


def test_the_fair_day_is_the_day_in_shanghai(cast, fair_setup, monkeypatch):
    application = _exhibitor(cast, fair_setup)
    marco = _walk_in(fair_setup.fair)
    opening = fair_setup.fair.starts_on
    # 17:00 UTC the day before the opening is already 01:00 on the opening day in Shanghai.
    late_evening_utc = dt.datetime.combine(opening - dt.timedelta(days=1), dt.time(17, 0), tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_evening_utc)
    assert services.lead_capture(actor=cast.member, application=application, code=marco.badge_number)
    monkeypatch.setattr(timezone, "now", lambda: late_evening_utc - dt.timedelta(hours=2))
    anna = _walk_in(fair_setup.fair, mobile="+491701234567", email="")
    with pytest.raises(ValidationError, match="展会尚未开幕"):
        services.lead_capture(actor=cast.member, application=application, code=anna.badge_number)


def test_lead_desk_offers_operators_the_reason_and_tells_exhibitors_why(cast, fair_setup, client):
    application = _exhibitor(cast, fair_setup)
    marco = _walk_in(fair_setup.fair)
    fair_is_over(fair_setup.fair)
    url = f"/fairs/applications/{application.pk}/leads/"
    client.force_login(cast.member)
    page = client.post(url, {"code": marco.badge_number}).content.decode()
    assert "展会已闭幕" in page and "backdate_reason" not in page and not Lead.objects.exists()
    client.force_login(cast.operator)
    assert 'name="backdate_reason"' in client.get(url).content.decode()
    done = client.post(url, {"code": marco.badge_number, "backdate_reason": "纸质名单补录"})
    assert done.status_code == 302 and Lead.objects.get().captured_by == cast.operator
    assert "展期外补录" in client.get(url).content.decode()


# The exhibitor report's QR verification ---------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", "")


@override_settings(PUBLIC_BASE_URL="https://jingxiang.example")
def test_report_pdf_has_a_qr_whose_url_verifies_only_public_facts(cast, fair_setup, client, monkeypatch):
    from jingxiang.core import documents as core_documents

    application = _exhibitor(cast, fair_setup)
    marco = _walk_in(fair_setup.fair)
    fair_is_on(fair_setup.fair)
    services.lead_capture(actor=cast.member, application=application, code=marco.badge_number, note="要样品")
    encoded: list[str] = []
    real_qr = core_documents.qr_png
    monkeypatch.setattr(
        core_documents, "qr_png", lambda data, **kw: encoded.append(data) or real_qr(data, **kw)
    )
    client.force_login(cast.member)
    issued = client.post(f"/fairs/applications/{application.pk}/report/issue/")
    issue = ReportIssue.objects.get()
    assert issued["Location"] == f"/fairs/reports/{issue.pk}.pdf"
    pdf = client.get(issued["Location"]).content
    url = f"https://jingxiang.example/verify/fair-report/{issue.verify_code}/"
    assert encoded == [url] and url in _pdf_text(pdf) and "Marco Bianchi" in _pdf_text(pdf)
    path = re.sub(r"^https://jingxiang\.example", "", url)
    from django.test import Client

    public = Client().get(path).content.decode()
    assert "有效" in public and application.organisation.name in public and "1A01" in public
    assert "Marco" not in public and "+39" not in public and "要样品" not in public
    # More leads later: the old paper still verifies its own figures, and says a newer one exists.
    anna = _walk_in(fair_setup.fair, mobile="+491701234567", email="")
    services.lead_capture(actor=cast.member, application=application, code=anna.badge_number)
    services.report_issue(actor=cast.member, application=application)
    again = Client().get(path).content.decode()
    assert "已有更新的报告" in again
    assert ReportIssue.objects.get(pk=issue.pk).figures["leads"] == 1


def test_who_may_issue_a_report(cast, fair_setup):
    application = _exhibitor(cast, fair_setup)
    for actor in (cast.other_firm_admin, AnonymousUser(), cast.outsider):
        with pytest.raises(PermissionDenied):
            services.report_issue(actor=actor, application=application)
    assert services.report_issue(actor=cast.operator, application=application)
    assert services.report_issue(actor=cast.member, application=application)
    services.application_withdraw(actor=cast.firm_admin, application=application)
    issue = ReportIssue.objects.first()
    from jingxiang.fairs.documents import report_lookup

    assert report_lookup(issue.verify_code)["status"] == "revoked"


def test_link_buyer_answers_an_exhibitors_request_on_her_page(cast, fair_setup, client):
    application = _exhibitor(cast, fair_setup)
    marco = _walk_in(fair_setup.fair)
    anna = _walk_in(fair_setup.fair, mobile="+491701234567", email="")
    asked = events.meeting_request_create(
        actor=cast.firm_admin,
        requester=application.participant,
        recipient_id=marco.participant_id,
        priority="must",
    )
    page = client.get(f"/fairs/my/{_live(marco).token}/").content.decode()
    assert f"/meetings/{asked.pk}/respond/" in page
    # Another buyer's link cannot answer it; a decline needs a reason (the events app's rule).
    assert (
        client.post(
            f"/fairs/my/{_live(anna).token}/meetings/{asked.pk}/respond/", {"decision": "accept"}
        ).status_code
        == 404
    )
    client.post(f"/fairs/my/{_live(marco).token}/meetings/{asked.pk}/respond/", {"decision": "decline"})
    assert Meeting.objects.get(pk=asked.pk).status == RequestStatus.PENDING
    done = client.post(f"/fairs/my/{_live(marco).token}/meetings/{asked.pk}/respond/", {"decision": "accept"})
    assert done.status_code == 302 and Meeting.objects.get(pk=asked.pk).status == RequestStatus.ACCEPTED
    assert Notification.objects.filter(recipient=cast.firm_admin, message="events.meeting_accepted").exists()
    services.buyer_link_revoke(actor=cast.operator, buyer=marco)
    with pytest.raises(PermissionDenied):
        services.meeting_respond_by_link(
            link=BuyerLink.objects.get(buyer=marco), meeting=asked, accept=False, reason="x"
        )
