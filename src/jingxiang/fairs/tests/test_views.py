"""Pages with bad input: a clear message in the user's language, nothing lost or half-saved."""

from __future__ import annotations

import pytest

from jingxiang.fairs import services
from jingxiang.fairs.models import Allocation, Buyer, Lead
from jingxiang.fairs.tests.conftest import fair_is_on, register_buyer

pytestmark = pytest.mark.django_db


def _allocated(cast, fair_setup):  # type: ignore[no-untyped-def]
    application = services.application_submit(
        actor=cast.firm_admin,
        fair=fair_setup.fair,
        organisation=cast.firm,
        booth_ids=[fair_setup.booths["1A01"].pk],
        products="镜架",
        contact_name="王",
    )
    services.booth_allocate(actor=cast.operator, application=application, booth=fair_setup.booths["1A01"])
    return application


def test_double_allocation_by_hand_is_refused_with_a_message(cast, fair_setup, client):
    _allocated(cast, fair_setup)
    other = services.application_submit(
        actor=cast.other_firm_admin,
        fair=fair_setup.fair,
        organisation=cast.other_firm,
        booth_ids=[fair_setup.booths["1A02"].pk],
        products="太阳镜",
        contact_name="李",
    )
    client.force_login(cast.operator)
    response = client.post(
        f"/fairs/applications/{other.pk}/allocate/", {"booth": fair_setup.booths["1A01"].pk}, follow=True
    )
    assert "不能重复分配" in response.content.decode()
    assert Allocation.objects.filter(booth=fair_setup.booths["1A01"]).count() == 1
    assert not Allocation.objects.filter(application=other).exists()


def test_scanning_a_badge_twice_shows_the_first_capture(cast, fair_setup, client):
    application = _allocated(cast, fair_setup)
    buyer = register_buyer(
        fair_setup.fair, cast.outsider, None, name="Marco", country="IT", mobile="+393330000000"
    )
    fair_is_on(fair_setup.fair)
    client.force_login(cast.member)
    url = f"/fairs/applications/{application.pk}/leads/"
    assert client.post(url, {"code": buyer.badge_number, "note": "要样品"}).status_code == 302
    response = client.post(url, {"code": buyer.badge_number, "note": "第二次"})
    page = response.content.decode()
    assert response.status_code == 200 and "无需重复扫码" in page and 'id="id_code"' in page
    assert list(Lead.objects.values_list("note", flat=True)) == ["要样品"]
    export = client.get(url + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_public_registration_form_and_hall_map_page(cast, fair_setup, client):
    page = client.get(f"/fairs/{fair_setup.fair.pk}/").content.decode()
    assert 'data-testid="booth-1A01"' in page and "空闲" in page
    response = client.post(
        f"/fairs/{fair_setup.fair.pk}/register/",
        {"name": "", "company": "Ottica", "country": "XX", "kind": "retailer", "mobile": "abc"},
    )
    assert response.status_code == 200 and not Buyer.objects.exists()
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
    buyer = Buyer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/fairs/badges/{buyer.badge_code}/"
    badge = client.get(response["Location"]).content.decode()
    assert buyer.badge_number in badge and "+39" not in badge  # the phone is never shown on the badge
    assert client.get(f"/fairs/badges/{buyer.badge_code}/badge.pdf").content.startswith(b"%PDF")
    assert "有效" in client.get(f"/verify/fair-badge/{buyer.badge_code}/").content.decode()


def test_signed_in_buyer_registers_for_her_firm_and_joins_the_meetings(cast, fair_setup, client):
    client.force_login(fair_setup.buyer_a)
    form = client.get(f"/fairs/{fair_setup.fair.pk}/register/").content.decode()
    assert fair_setup.buyer_firm_a.name in form
    response = client.post(
        f"/fairs/{fair_setup.fair.pk}/register/",
        {
            "name": "Giulia",
            "company": fair_setup.buyer_firm_a.name,
            "country": "IT",
            "kind": "trader",
            "mobile": "+39 333 7654321",
            "organisation": fair_setup.buyer_firm_a.pk,
        },
    )
    assert response.status_code == 302
    buyer = Buyer.objects.get()
    assert buyer.user == fair_setup.buyer_a
    assert buyer.participant.organisation == fair_setup.buyer_firm_a
    assert buyer.participant.event == fair_setup.fair.event


def test_operator_creates_a_fair_with_its_meeting_event(cast, client):
    import datetime as dt

    from django.utils import timezone

    from jingxiang.fairs.models import Fair

    client.force_login(cast.operator)
    start = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "code": "sh2027",
        "title": "2027 上海国际眼镜展 · 杜桥眼镜专区",
        "city": "上海",
        "venue": "上海世博展览馆",
        "starts_on": start.isoformat(),
        "ends_on": (start - dt.timedelta(days=1)).isoformat(),
        "slot_minutes": 30,
        "meeting_tables": 4,
    }
    response = client.post("/fairs/new/", data)
    assert response.status_code == 200 and not Fair.objects.exists()
    data["ends_on"] = (start + dt.timedelta(days=2)).isoformat()
    response = client.post("/fairs/new/", data)
    fair = Fair.objects.get(code="SH2027")
    assert response["Location"] == f"/fairs/{fair.pk}/"
    assert fair.event.sessions.count() == 3 and fair.event.tables.count() == 4
