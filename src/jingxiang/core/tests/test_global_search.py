"""The global search: a registry of kinds from every app, the viewer's permissions, pinyin, fixed cost."""

from __future__ import annotations

import pathlib

import pytest

from jingxiang.core.models import SearchEntry
from jingxiang.core.search import reindex, search_kinds
from jingxiang.organisations.models import OrganisationStatus
from jingxiang.testing.factories import OrganisationFactory, TalentFactory
from jingxiang.testing.search import found, query_count

pytestmark = pytest.mark.django_db


def test_every_app_registers_its_main_records():
    keys = {kind.key for kind in search_kinds()}
    assert keys >= {
        "demands.demand",
        "demands.challenge",
        "events.event",
        "academy.course",
        "academy.cohort",
        "lab.report",
        "sharing.agreement",
        "talents.talent",
        "organisations.organisation",
    }


def test_core_does_not_import_the_apps():
    import jingxiang.core.search as search_module
    import jingxiang.core.views as views_module

    for module in (search_module, views_module):
        source = pathlib.Path(module.__file__).read_text(encoding="utf-8")
        for app in ("demands", "events", "academy", "lab", "sharing", "talents", "organisations"):
            assert f"jingxiang.{app}" not in source, (module.__name__, app)


@pytest.mark.parametrize("query", ["kangbo", "kb", "康波", "KangBo"])
def test_organisations_by_pinyin(cast, query):
    assert "临海市康波眼镜有限公司" in found(cast.expert_user, query)["organisations.organisation"]


def test_pending_organisations_and_their_talents_only_for_their_own(cast):
    pending = OrganisationFactory(name="临海市康宁眼镜有限公司", status=OrganisationStatus.PENDING)
    TalentFactory(name="康宁师傅", home_organisation=pending)
    assert pending.name not in found(cast.firm_admin, "kangning").get("organisations.organisation", [])
    assert pending.name in found(cast.operator, "kangning")["organisations.organisation"]
    assert found(cast.outsider, "kangbo") == {}


def test_talents_by_initials(cast):
    TalentFactory(name="何师傅", home_organisation=cast.firm)
    assert found(cast.other_firm_admin, "hsf")["talents.talent"] == ["何师傅"]


def test_search_page_groups_results_by_kind(cast, client):
    TalentFactory(name="康师傅", home_organisation=cast.firm)
    client.force_login(cast.expert_user)
    body = client.get("/search/", {"q": "kang"}).content.decode()
    talents = body.index('id="search-talentstalent"')
    organisations = body.index('id="search-organisationsorganisation"')
    assert talents < body.index("康师傅") < organisations
    assert "临海市康波眼镜有限公司</a>" in body[organisations:]
    assert "没有找到" in client.get("/search/", {"q": "zzzzqqq"}).content.decode()
    assert client.get("/search/", {"q": "<script>" * 30}).status_code == 200


def test_query_count_does_not_grow_with_matches(cast):
    TalentFactory(name="康师傅", home_organisation=cast.firm)
    few = query_count(cast.firm_admin, "kang")
    for n in range(12):
        TalentFactory(name=f"康师傅{n}", home_organisation=cast.firm)
        OrganisationFactory(name=f"临海市康波第{n}眼镜有限公司")
    assert query_count(cast.firm_admin, "kang") == few


def test_index_is_rebuilt_and_skips_untouched_saves(cast):
    from jingxiang.events.tests.conftest import make_event

    event = make_event(cast.operator, title="秋季镀膜技术对接会")
    entry = SearchEntry.objects.get(object_id=event.pk, content_type__model="event")
    assert "qjdm" in entry.keys
    SearchEntry.objects.all().delete()
    assert reindex() >= 1
    assert "dumo" in SearchEntry.objects.get(object_id=event.pk, content_type__model="event").keys


def test_more_matches_of_one_kind_are_paged(cast, client):
    for n in range(12):
        TalentFactory(name=f"康师傅{n:02d}", home_organisation=cast.firm)
    client.force_login(cast.firm_admin)
    body = client.get("/search/", {"q": "ksf"}).content.decode()
    assert body.count("康师傅") == 8 and "kind=talents.talent" in body
    body = client.get("/search/", {"q": "ksf", "kind": "talents.talent"}).content.decode()
    assert body.count(">康师傅") == 12 and "共 12 条" in body
    # An unknown kind falls back to the grouped results.
    assert client.get("/search/", {"q": "ksf", "kind": "nope"}).status_code == 200
