from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingxiang.talents.models import Talent, TalentSkill
from jingxiang.talents.services import skills_sync
from jingxiang.testing.factories import OrganisationFactory, TalentFactory

pytestmark = pytest.mark.django_db


def _queries_for(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_list_pages_use_a_fixed_number_of_queries(cast, client):
    skills_sync()
    from jingxiang.talents.models import Skill

    skill = Skill.objects.first()
    client.force_login(cast.operator)
    few = {url: _queries_for(client, url) for url in ("/talents/", "/organisations/", "/")}
    for _ in range(30):
        talent = TalentFactory(home_organisation=OrganisationFactory())
        TalentSkill.objects.create(talent=talent, skill=skill, level=3)
    many = {url: _queries_for(client, url) for url in ("/talents/", "/organisations/", "/")}
    assert many == few


def test_firm_admin_adds_a_talent_with_skills(cast, client):
    skills_sync()
    from jingxiang.talents.models import Skill

    skill = Skill.objects.get(code="ar_coating")
    client.force_login(cast.firm_admin)
    response = client.post(
        "/talents/new/",
        {
            "name": "陈师傅",
            "kind": "craftsman",
            "home_organisation": cast.firm.pk,
            "mobile": "138 1234 5678",
            "skills": [skill.pk],
            "monthly_hours": 10,
            "hourly_rate": "200",
        },
    )
    assert response.status_code == 302, response.content.decode()
    talent = Talent.objects.get(name="陈师傅")
    assert talent.mobile == "13812345678"
    assert talent.home_organisation == cast.firm
    assert list(talent.skills.all()) == [skill]


def test_firm_admin_cannot_place_a_talent_in_another_firm(cast, client):
    client.force_login(cast.firm_admin)
    response = client.post(
        "/talents/new/", {"name": "外人", "kind": "expert", "home_organisation": cast.other_firm.pk}
    )
    assert response.status_code == 200
    assert not Talent.objects.filter(name="外人").exists()


def test_bad_identifiers_get_messages_and_keep_input(cast, client):
    client.force_login(cast.firm_admin)
    response = client.post(
        "/talents/new/",
        {
            "name": "张三",
            "kind": "expert",
            "home_organisation": cast.firm.pk,
            "resident_id": "331082199001011234",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="张三"' in page
    assert "校验" in page or "check" in page.lower()


def test_archive_instead_of_delete(cast, client):
    client.force_login(cast.other_firm_admin)
    response = client.post(f"/talents/{cast.expert.pk}/archive/")
    assert response.status_code == 302
    cast.expert.refresh_from_db()
    assert cast.expert.is_archived
    client.force_login(cast.firm_admin)
    assert client.get(f"/talents/{cast.expert.pk}/").status_code == 404
