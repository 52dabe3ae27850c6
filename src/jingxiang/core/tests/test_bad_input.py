"""Junk input never produces a 500, and personal numbers never leak through side doors."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client

from jingxiang.core.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/organisations/?sort=--name",
        "/organisations/?sort=--name&export=xlsx",
        "/talents/?sort=-password&page=abc&per_page=-5&kind=nonsense&domain=notanint&available=maybe",
        "/talents/?org=xyz",
        "/search/?q=%00%01",
    ],
)
def test_junk_query_parameters(cast, url):
    client = Client(raise_request_exception=True)
    client.force_login(cast.operator)
    assert client.get(url).status_code in (200, 400)


@pytest.mark.parametrize("pk", ["abc", "", "1.5", "-1"])
def test_reveal_with_junk_ids_is_not_found(cast, client, pk):
    client.force_login(cast.operator)
    response = client.post("/reveal/", {"model": "talents.talent", "pk": pk, "field": "mobile"})
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_control_characters_are_refused_and_export_survives_stored_ones(cast, client):
    client.force_login(cast.other_firm_admin)
    response = client.post(
        f"/talents/{cast.expert.pk}/edit/",
        {"name": "林工", "kind": "expert", "title": "a\x0bb", "home_organisation": cast.other_firm.pk},
    )
    assert response.status_code == 200
    assert "控制字符" in response.content.decode()
    cast.expert.title = "a\x0bb"
    cast.expert.save()
    assert client.get("/talents/?export=xlsx").status_code == 200


def test_edit_form_never_carries_full_numbers(cast, client):
    client.force_login(cast.other_firm_admin)
    page = client.get(f"/talents/{cast.expert.pk}/edit/").content.decode()
    assert cast.expert.mobile not in page
    assert cast.expert.resident_id not in page
    response = client.post(
        f"/talents/{cast.expert.pk}/edit/",
        {"name": "林工", "kind": "expert", "title": "总工", "home_organisation": cast.other_firm.pk},
    )
    assert response.status_code == 302
    cast.expert.refresh_from_db()
    assert cast.expert.mobile and cast.expert.resident_id  # blank fields kept the stored numbers


def test_audit_log_uses_the_house_masks(cast, client):
    client.force_login(cast.firm_admin)
    client.post(
        f"/organisations/{cast.firm.pk}/edit/",
        {"name": cast.firm.name, "kind": "firm", "uscc": cast.firm.uscc, "contact_mobile": "13912345678"},
    )
    entry = LogEntry.objects.get_for_object(cast.firm).latest("timestamp")
    assert "13912345678" not in str(entry.changes)
    assert "345678" not in str(entry.changes)
    assert "139****5678" in str(entry.changes)


def test_archived_talent_loses_the_directory(cast, client):
    from django.utils import timezone

    cast.expert.archived_at = timezone.now()
    cast.expert.save()
    client.force_login(cast.expert_user)
    assert client.get("/organisations/").context["page"].paginator.count == 0


def test_lockout_counts_every_spelling_of_one_account(cast, settings):
    cast.firm_admin.mobile = "15057612345"
    cast.firm_admin.save()
    client = Client(REMOTE_ADDR="10.0.0.7")
    spellings = ["15057612345", "150 5761 2345", "+86 150-5761-2345", "firm_admin", "8615057612345"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        client.post("/accounts/login/", {"username": spelling, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "firm_admin", "password": "correct-horse-9"})
    assert response.status_code == 429
