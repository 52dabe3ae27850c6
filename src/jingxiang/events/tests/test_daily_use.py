"""Issue 21 (events): operators register on behalf, change the layout with its consequences shown,
participant profiles with photos, registrant roles as data on the event, check-in by code, follow-ups
linked to what they name."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jingxiang.core.models import Notification
from jingxiang.events import selectors, services
from jingxiang.events.models import (
    EventTable,
    FollowUp,
    Meeting,
    Participant,
    RequestStatus,
    TimeSlot,
)
from jingxiang.events.photos import clean_photo, sniff
from jingxiang.events.tests.conftest import make_event, png_upload, register

pytestmark = pytest.mark.django_db


def _accepted(cast, setup, requester, recipient, actor_req, actor_rec):  # type: ignore[no-untyped-def]
    meeting = services.meeting_request_create(
        actor=actor_req, requester=requester, recipient_id=recipient.pk, priority="must"
    )
    return services.meeting_request_respond(actor=actor_rec, meeting=meeting, accept=True)


# Operators register on behalf ------------------------------------------------------------------------


def test_operator_registers_a_firm_on_its_behalf_and_the_firm_is_told(cast):
    event = make_event(cast.operator)
    before = Notification.objects.filter(recipient=cast.talent_officer).count()
    participant = services.participant_register(
        actor=cast.operator,
        event=event,
        kind="firm",
        profile_id=cast.firm.pk,
        slot_ids=list(event.slots.values_list("pk", flat=True)),
        max_meetings=3,
        offers="树脂镜片来料加工",
        seeks="镀膜工艺",
    )
    assert participant.registered_by == cast.operator and participant.organisation == cast.firm
    assert participant.contact_name == "" and participant.offers == "树脂镜片来料加工"
    # The firm's people act for the registration made for them and were told.
    assert Participant.objects.acting_for(cast.talent_officer).filter(pk=participant.pk).exists()
    assert Notification.objects.filter(recipient=cast.talent_officer).count() == before + 1
    # The audit log names the operator.
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(participant).first()
    assert entry is not None and entry.changes_dict["registered_by"][1] == str(cast.operator.pk)
    # A duplicate and a wrong kind are refused.
    with pytest.raises(ValidationError):
        services.participant_register(
            actor=cast.operator,
            event=event,
            kind="firm",
            profile_id=cast.firm.pk,
            slot_ids=[event.slots.first().pk],
            max_meetings=2,
        )
    with pytest.raises(ValidationError):
        services.participant_register(
            actor=cast.operator,
            event=event,
            kind="institution",
            profile_id=cast.other_firm.pk,
            slot_ids=[event.slots.first().pk],
            max_meetings=2,
        )


def test_operator_registers_an_expert_but_members_cannot_register_others(cast):
    event = make_event(cast.operator)
    slots = [event.slots.first().pk]
    expert = services.participant_register(
        actor=cast.operator,
        event=event,
        kind="expert",
        profile_id=cast.expert.pk,
        slot_ids=slots,
        max_meetings=2,
    )
    assert expert.talent == cast.expert and expert.registered_by == cast.operator
    for actor, profile in (
        (cast.firm_admin, cast.other_firm),
        (cast.member, cast.firm),
        (cast.outsider, cast.firm),
    ):
        with pytest.raises(PermissionDenied):
            services.participant_register(
                actor=actor, event=event, kind="firm", profile_id=profile.pk, slot_ids=slots, max_meetings=2
            )


# Registrant roles are data on the event ---------------------------------------------------------------


def test_the_events_rules_decide_which_member_roles_register(cast):
    event = make_event(cast.operator)
    slots = [event.slots.first().pk]
    # By default a plain member of a firm may not register it ...
    with pytest.raises(PermissionDenied):
        services.participant_register(
            actor=cast.member,
            event=event,
            kind="firm",
            profile_id=cast.firm.pk,
            slot_ids=slots,
            max_meetings=2,
        )
    # ... an event whose rules admit members lets them, and they then act for the registration.
    data = {"registrant_roles": {"firm": ["org_admin", "member"], "institution": ["org_admin", "lab_staff"]}}
    event = services.event_update(actor=cast.operator, event=event, data=data)
    firm = services.participant_register(
        actor=cast.member, event=event, kind="firm", profile_id=cast.firm.pk, slot_ids=slots, max_meetings=2
    )
    lab = services.participant_register(
        actor=cast.lab_staff,
        event=event,
        kind="institution",
        profile_id=cast.lab.pk,
        slot_ids=slots,
        max_meetings=2,
    )
    assert Participant.objects.acting_for(cast.member).filter(pk=firm.pk).exists()
    assert Participant.objects.acting_for(cast.lab_staff).filter(pk=lab.pk).exists()
    # The talent officer is no longer admitted for this event: they do not act for the firm's registration.
    assert not Participant.objects.acting_for(cast.talent_officer).filter(pk=firm.pk).exists()
    assert {u.username for u in selectors.users_acting_for(firm)} >= {"member"}
    # Unknown roles or kinds are refused.
    for bad in ({"firm": ["owner"]}, {"robot": ["member"]}, {"firm": "member"}):
        with pytest.raises(ValidationError):
            services.event_update(actor=cast.operator, event=event, data={"registrant_roles": bad})


# Layout changes: consequences shown first, meetings never deleted -----------------------------------


def test_removing_a_slot_moves_or_drops_meetings_and_tells_those_affected(cast, setup):
    event = setup.event
    slots = list(event.slots.order_by("starts_at"))
    # The lab is only present in the first slot; the firm in all; the expert in all.
    services.participant_update(
        actor=setup.lab_admin, participant=setup.lab, slot_ids=[slots[0].pk], max_meetings=3, needs=""
    )
    with_expert = _accepted(cast, setup, setup.firm, setup.expert, cast.talent_officer, cast.expert_user)
    with_lab = _accepted(cast, setup, setup.firm, setup.lab, cast.talent_officer, setup.lab_admin)
    services.meeting_place(
        actor=cast.operator, meeting=with_expert, slot=slots[0], table=event.tables.first()
    )

    impact = selectors.removal_impact(event, slot_ids=frozenset({slots[0].pk}))
    assert [m.pk for m, _why in impact.moved] == [with_expert.pk]
    assert [m.pk for m in impact.dropped] == [with_lab.pk]
    assert {p.pk for p in impact.told} == {setup.firm.pk, setup.expert.pk, setup.lab.pk}
    before = Notification.objects.count()

    with pytest.raises(ValidationError):
        services.slot_remove(actor=cast.operator, slot=slots[0], reason="  ")
    with pytest.raises(PermissionDenied):
        services.slot_remove(actor=cast.talent_officer, slot=slots[0], reason="场地调整")
    done = services.slot_remove(actor=cast.operator, slot=slots[0], reason="场地调整")
    assert len(done.moved) == 1 and len(done.dropped) == 1

    with_expert.refresh_from_db()
    with_lab.refresh_from_db()
    assert with_expert.status == RequestStatus.ACCEPTED and with_expert.slot_id is None
    assert not with_expert.locked and with_expert.unscheduled_reason == "场地调整"
    assert with_lab.status == RequestStatus.CANCELLED and with_lab.cancel_reason == "场地调整"
    assert Meeting.objects.filter(pk__in=[with_expert.pk, with_lab.pk]).count() == 2  # never deleted
    assert not TimeSlot.objects.filter(pk=slots[0].pk).exists()
    assert TimeSlot.all_objects.get(pk=slots[0].pk).removed_at is not None
    assert Notification.objects.count() > before
    # The removed slot is no longer offered nor part of anyone's presence in the scheduler's instance.
    instance = selectors.schedule_instance(event)
    assert slots[0].pk not in [s["id"] for s in instance["slots"]]
    assert all(slots[0].pk not in p["available_slots"] for p in instance["participants"])
    # A slot cannot be removed twice.
    with pytest.raises(ValidationError):
        services.slot_remove(actor=cast.operator, slot=slots[0], reason="再次")


def test_session_shift_and_table_changes(cast, setup):
    event = setup.event
    session = event.sessions.get()
    meeting = _accepted(cast, setup, setup.firm, setup.expert, cast.talent_officer, cast.expert_user)
    table = event.tables.first()
    services.meeting_place(actor=cast.operator, meeting=meeting, slot=event.slots.first(), table=table)
    start = session.starts_at
    shifted = start.replace(hour=start.hour) + __import__("datetime").timedelta(hours=2)
    impact = services.session_update(
        actor=cast.operator, session=session, name="上午场(改)", starts_at=shifted, backdate_reason="测试"
    )
    assert [m.pk for m, _c in impact.moved] == [meeting.pk]
    meeting.refresh_from_db()
    assert meeting.slot.starts_at == shifted and meeting.slot_id is not None  # moved with its slot
    # Renaming a table tells the parties placed there; fewer than two seats is refused.
    impact = services.table_update(actor=cast.operator, table=table, name="A 区 1 号", capacity=4)
    assert [m.pk for m, _c in impact.moved] == [meeting.pk]
    with pytest.raises(ValidationError):
        services.table_update(actor=cast.operator, table=table, name="A 区 1 号", capacity=1)
    # Removing the table sends the meeting back for re-scheduling; the last table cannot go.
    services.table_remove(actor=cast.operator, table=table, reason="桌子损坏")
    meeting.refresh_from_db()
    assert meeting.table_id is None and meeting.status == RequestStatus.ACCEPTED
    assert EventTable.all_objects.get(pk=table.pk).removed_at is not None
    with pytest.raises(ValidationError):
        services.table_remove(actor=cast.operator, table=event.tables.get(), reason="最后一张")
    # Removing the only session of an open event is refused.
    with pytest.raises(ValidationError):
        services.session_remove(actor=cast.operator, session=session, reason="取消")


def test_one_slot_moves_or_grows_inside_its_session_and_those_placed_are_told(cast, setup, client):
    import datetime as dt

    from jingxiang.core.models import TimeRuleOverride

    event = setup.event
    session = event.sessions.get()
    slots = list(event.slots.order_by("starts_at"))
    last = slots[-1]
    meeting = _accepted(cast, setup, setup.firm, setup.expert, cast.talent_officer, cast.expert_user)
    services.meeting_place(actor=cast.operator, meeting=meeting, slot=last, table=event.tables.first())
    told_before = Notification.objects.filter(recipient=cast.expert_user).count()
    # Shrinking the last slot by five minutes at its end: the meeting keeps its slot and the parties are told.
    new_end = last.ends_at - dt.timedelta(minutes=5)
    preview = selectors.slot_change_impact(event, slot=last, starts_at=last.starts_at, ends_at=new_end)
    assert [m.pk for m, _c in preview.moved] == [meeting.pk]
    impact = services.slot_update(actor=cast.operator, slot=last, starts_at=last.starts_at, ends_at=new_end)
    assert [m.pk for m, _c in impact.moved] == [meeting.pk]
    meeting.refresh_from_db()
    assert meeting.slot_id == last.pk and meeting.slot.ends_at == new_end
    assert Notification.objects.filter(recipient=cast.expert_user).count() > told_before
    # Nothing changes: nothing is told.
    assert services.slot_update(
        actor=cast.operator, slot=last, starts_at=last.starts_at, ends_at=new_end
    ).quiet
    # Outside the session's hours, over the previous slot, ending before it starts, by a firm: refused.
    refusals = [
        (last.starts_at, session.ends_at + dt.timedelta(minutes=10), "outside_session"),
        (slots[-2].starts_at, new_end, "overlap"),
        (last.starts_at, last.starts_at - dt.timedelta(minutes=1), None),
    ]
    waivers_before = TimeRuleOverride.objects.count()
    for starts_at, ends_at, code in refusals:
        with pytest.raises(ValidationError) as error:
            services.slot_update(
                actor=cast.operator, slot=last, starts_at=starts_at, ends_at=ends_at, backdate_reason="补录"
            )
        if code:
            assert error.value.message_dict.keys() == {"starts"}, error.value
            assert error.value.error_dict["starts"][0].code == code
    with pytest.raises(PermissionDenied):
        services.slot_update(
            actor=cast.talent_officer,
            slot=last,
            starts_at=last.starts_at,
            ends_at=last.ends_at - dt.timedelta(minutes=1),
        )
    # Moving a start into the past needs an operator's reason, recorded.
    past = timezone.now() - dt.timedelta(days=1)
    last.refresh_from_db()
    with pytest.raises(ValidationError):
        services.slot_update(
            actor=cast.operator, slot=last, starts_at=past, ends_at=past + dt.timedelta(minutes=10)
        )
    # The page: the form previews the consequence, then saves on confirm.
    client.force_login(cast.operator)
    url = f"/events/slots/{last.pk}/edit/"
    start = timezone.localtime(last.starts_at)
    end = timezone.localtime(new_end - dt.timedelta(minutes=5))
    page = client.post(url, {"starts": f"{start:%H:%M}", "ends": f"{end:%H:%M}"})
    assert page.status_code == 200 and setup.expert.name in page.content.decode()
    last.refresh_from_db()
    assert last.ends_at == new_end  # not saved before confirming
    done = client.post(url, {"starts": f"{start:%H:%M}", "ends": f"{end:%H:%M}", "confirm": "1"})
    assert done.status_code == 302
    last.refresh_from_db()
    assert timezone.localtime(last.ends_at).strftime("%H:%M") == f"{end:%H:%M}"
    bad = client.post(url, {"starts": f"{end:%H:%M}", "ends": f"{start:%H:%M}"})
    assert bad.status_code == 200 and "结束时间" in bad.content.decode()
    # The refused changes recorded no waiver (the reason given with them rolled back with the change).
    assert TimeRuleOverride.objects.count() == waivers_before


# Profiles and photos ---------------------------------------------------------------------------------


def test_photos_are_checked_by_their_first_bytes_and_re_encoded(cast, setup):
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "png" and sniff(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp" and sniff(b"<svg") is None
    stored = clean_photo(png_upload((1200, 800)))
    with Image.open(io.BytesIO(stored.read())) as image:
        assert image.format == "JPEG" and max(image.size) == 480
    # A script named .png, a PNG named .jpg with a JPEG header and a truncated file are refused.
    for bad in (
        SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png"),
        SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + b"\x00" * 50, content_type="image/jpeg"),
        SimpleUploadedFile("x.png", png_upload().read()[:60], content_type="image/png"),
    ):
        with pytest.raises(ValidationError):
            clean_photo(bad)
    participant = services.participant_profile_update(
        actor=cast.talent_officer,
        participant=setup.firm,
        offers="偏光镜片",
        seeks="检测认证",
        contact_name="李工",
        photo=png_upload(),
    )
    assert participant.photo.name.endswith(".jpg") and participant.seeks == "检测认证"
    with pytest.raises(PermissionDenied):
        services.participant_profile_update(
            actor=cast.other_firm_admin, participant=setup.firm, offers="", seeks="", contact_name=""
        )
    participant = services.participant_profile_update(
        actor=cast.operator, participant=participant, offers="", seeks="", contact_name="", remove_photo=True
    )
    assert not participant.photo


def test_photo_is_shown_only_to_the_directory(client, cast, setup):
    services.participant_profile_update(
        actor=cast.talent_officer,
        participant=setup.firm,
        offers="",
        seeks="",
        contact_name="",
        photo=png_upload(),
    )
    url = f"/events/participants/{setup.firm.pk}/photo/"
    client.force_login(cast.expert_user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    client.force_login(cast.other_firm_admin)
    assert client.get(url).status_code == 404
    client.force_login(cast.expert_user)
    page = client.get(f"/events/{setup.event.pk}/participants/")
    assert url.encode() in page.content


# Check-in by code (what the camera reads, or typed) ---------------------------------------------------


def test_check_in_by_scanned_url_or_typed_code(client, cast, setup):
    from django.urls import reverse

    from jingxiang.core.links import absolute_url

    client.force_login(cast.operator)
    page = f"/events/{setup.event.pk}/checkin/"
    response = client.get(page)
    assert b'data-qr-target="checkin-code"' in response.content and b"vendor/jsqr/jsQR.js" in response.content
    scanned = absolute_url(reverse("events:checkin_code", args=[setup.firm.checkin_code]))
    client.post(page, {"code": scanned})
    setup.firm.refresh_from_db()
    assert setup.firm.checked_in_at is not None and setup.firm.checked_in_by == cast.operator
    client.post(page, {"code": setup.expert.checkin_code.lower()})
    setup.expert.refresh_from_db()
    assert setup.expert.checked_in_at is not None
    response = client.post(page, {"code": "NOT-A-CODE"}, follow=True)
    assert "没有找到该签到码" in response.content.decode()
    setup.lab.refresh_from_db()
    assert setup.lab.checked_in_at is None
    # Another event's code does not check anyone in here.
    other = make_event(cast.operator, title="另一场")
    stranger = register(cast.talent_officer, other, "firm", cast.firm)
    client.post(page, {"code": stranger.checkin_code})
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None
    assert selectors.checkin_code_of(" https://x/events/checkin/ab12/ ") == "AB12"


# Follow-ups link to what they name ---------------------------------------------------------------------


def test_follow_up_links_only_to_visible_records_of_its_kind(cast, setup):
    from jingxiang.events.tests.test_edges import published_demand

    meeting = _accepted(cast, setup, setup.firm, setup.expert, cast.talent_officer, cast.expert_user)
    follow_up = FollowUp.objects.create(
        event=setup.event, meeting=meeting, kind="demand", created_by=cast.operator
    )
    own = published_demand(cast)
    private = published_demand(cast)
    private.organisation, private.created_by, private.visibility = (
        cast.other_firm,
        cast.other_firm_admin,
        "operators",
    )
    private.save()
    linked = services.follow_up_link(actor=cast.talent_officer, follow_up=follow_up, target=own)
    assert linked.target == own
    from jingxiang.events.targets import shown_target

    shown = shown_target(linked, cast.talent_officer)
    assert shown and shown["visible"] and shown["url"] == f"/demands/{own.pk}/"
    with pytest.raises(ValidationError):
        services.follow_up_link(actor=cast.talent_officer, follow_up=follow_up, target=private)
    with pytest.raises(ValidationError):
        services.follow_up_link(actor=cast.talent_officer, follow_up=follow_up, target=setup.lab)
    with pytest.raises(PermissionDenied):
        services.follow_up_link(actor=cast.other_firm_admin, follow_up=follow_up, target=own)


# The pages: consequences shown before confirming ------------------------------------------------------


def test_layout_pages_show_consequences_then_apply(client, cast, setup):
    event = setup.event
    meeting = _accepted(cast, setup, setup.firm, setup.expert, cast.talent_officer, cast.expert_user)
    slot = event.slots.order_by("starts_at").first()
    services.meeting_place(actor=cast.operator, meeting=meeting, slot=slot, table=event.tables.first())
    client.force_login(cast.operator)
    page = client.get(f"/events/slots/{slot.pk}/remove/").content.decode()
    assert "这项调整的影响" in page and setup.firm.name in page and setup.expert.name in page
    meeting.refresh_from_db()
    assert meeting.slot_id == slot.pk  # looking changes nothing
    response = client.post(f"/events/slots/{slot.pk}/remove/", {"reason": "场地调整"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.slot_id is None and meeting.unscheduled_reason == "场地调整"

    # An edit is previewed first (values kept in hidden fields), then confirmed.
    session = event.sessions.get()
    services.meeting_place(
        actor=cast.operator,
        meeting=meeting,
        slot=event.slots.order_by("starts_at").first(),
        table=event.tables.first(),
    )
    url = f"/events/sessions/{session.pk}/edit/"
    data = {"name": "下午场", "starts": "14:00", "backdate_reason": "测试"}
    preview = client.post(url, data).content.decode()
    assert "确认调整" in preview and "改到" in preview
    session.refresh_from_db()
    assert session.name == "上午场"
    assert client.post(url, {**data, "confirm": "1"}).status_code == 302
    session.refresh_from_db()
    assert session.name == "下午场" and timezone.localtime(session.starts_at).hour == 14
    # Not for other roles.
    client.force_login(cast.talent_officer)
    assert client.get(url).status_code == 404
    assert client.get(f"/events/{event.pk}/register-for/").status_code == 404


def test_operator_registers_through_the_page_with_pickers(client, cast):
    event = make_event(cast.operator)
    client.force_login(cast.operator)
    url = f"/events/{event.pk}/register-for/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "firm", "slots": [event.slots.first().pk], "max_meetings": "2"})
    assert "请选择要报名的机构" in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "firm",
            "organisation": str(cast.firm.pk),
            "slots": [event.slots.first().pk],
            "max_meetings": "2",
            "offers": "镜架电镀",
            "photo": png_upload(),
        },
    )
    assert response.status_code == 302
    participant = Participant.objects.get(event=event, organisation=cast.firm)
    assert participant.registered_by == cast.operator and participant.photo


def test_members_register_with_a_profile_and_photo(client, cast):
    event = make_event(cast.operator)
    client.force_login(cast.talent_officer)
    response = client.post(
        f"/events/{event.pk}/register/",
        {
            "profile": f"firm:{cast.firm.pk}",
            "slots": [event.slots.first().pk],
            "max_meetings": "2",
            "offers": "板材镜架",
            "seeks": "抛光自动化",
            "photo": SimpleUploadedFile("me.gif", b"GIF89a" + b"\x00" * 40, content_type="image/gif"),
        },
    )
    assert "照片须为 JPEG、PNG 或 WebP 图片" in response.content.decode()
    assert not Participant.objects.filter(event=event).exists()
    response = client.post(
        f"/events/{event.pk}/register/",
        {
            "profile": f"firm:{cast.firm.pk}",
            "slots": [event.slots.first().pk],
            "max_meetings": "2",
            "offers": "板材镜架",
            "seeks": "抛光自动化",
            "photo": png_upload(),
        },
    )
    assert response.status_code == 302
    participant = Participant.objects.get(event=event)
    assert participant.seeks == "抛光自动化" and participant.photo.name.endswith(".jpg")
    # The directory shows the profile to the other registrations.
    register(cast.expert_user, event, "expert", cast.expert)
    client.force_login(cast.expert_user)
    page = client.get(f"/events/{event.pk}/participants/").content.decode()
    assert "抛光自动化" in page and f"/events/participants/{participant.pk}/photo/" in page
