"""Masking by default, deliberate reveal for the roles that need it, and every reveal logged."""

from __future__ import annotations

import pytest

from jingxiang.core.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def test_detail_page_shows_masked_numbers(cast, client):
    client.force_login(cast.firm_admin)
    page = client.get(f"/talents/{cast.expert.pk}/").content.decode()
    assert cast.expert.mobile not in page
    assert cast.expert.mobile[:3] + "****" + cast.expert.mobile[-4:] in page
    assert cast.expert.resident_id not in page
    # firm_admin is not the expert's home organisation: no reveal button
    assert "查看完整号码" not in page


def test_list_export_and_api_never_carry_full_numbers(cast, client):
    client.force_login(cast.operator)
    export = client.get("/talents/?export=xlsx")
    assert export.status_code == 200
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    values = {str(cell.value) for row in sheet.iter_rows() for cell in row}
    assert cast.expert.mobile not in values
    api = client.get("/api/v1/talents/").content.decode()
    assert cast.expert.mobile not in api


@pytest.mark.parametrize("who", ["operator", "other_firm_admin", "expert"])
def test_allowed_roles_can_reveal_and_it_is_logged(cast, client, who):
    user = cast.by_role()[who]
    client.force_login(user)
    response = client.post(
        "/reveal/", {"model": "talents.talent", "pk": cast.expert.pk, "field": "resident_id"}
    )
    assert response.status_code == 200
    assert cast.expert.resident_id in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.accessed_by == user
    assert access.field_name == "resident_id"


@pytest.mark.parametrize(
    "who", ["firm_admin", "member", "talent_officer", "lab_staff", "union_staff", "outsider"]
)
def test_other_roles_cannot_reveal_and_nothing_is_logged(cast, client, who):
    client.force_login(cast.by_role()[who])
    response = client.post("/reveal/", {"model": "talents.talent", "pk": cast.expert.pk, "field": "mobile"})
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_unknown_fields_cannot_be_revealed(cast, client):
    client.force_login(cast.operator)
    response = client.post(
        "/reveal/", {"model": "talents.talent", "pk": cast.expert.pk, "field": "description"}
    )
    assert response.status_code == 404


def test_audit_log_masks_personal_numbers(cast, client):
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(cast.expert).first()
    assert entry is not None
    assert cast.expert.mobile not in str(entry.changes)
