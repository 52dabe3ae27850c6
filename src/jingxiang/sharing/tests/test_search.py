"""Sharing agreements in the global search: by number, the talent's or the host's name in pinyin."""

from __future__ import annotations

import pytest

from jingxiang.sharing.tests.builders import make_agreement
from jingxiang.testing.factories import TalentFactory, UserFactory
from jingxiang.testing.search import found, query_count

pytestmark = pytest.mark.django_db


def test_agreements_for_the_three_parties_and_the_station(cast, sharing):
    agreement = sharing.agreement
    title = f"{agreement.number} v{agreement.version}"
    for user in (cast.talent_officer, cast.other_firm_admin, cast.expert_user, cast.operator):
        assert found(user, "lingong")["sharing.agreement"] == [title]
        assert found(user, agreement.number)["sharing.agreement"] == [title]
    assert found(cast.expert_user, "kangbo")["sharing.agreement"] == [title]
    for user in (cast.lab_staff, cast.union_staff, cast.outsider):
        assert "sharing.agreement" not in found(user, "lingong")


def test_agreement_search_costs_the_same_for_more_matches(cast, sharing):
    few = query_count(cast.operator, "kangbo")
    for n in range(3):
        talent = TalentFactory(
            name=f"共享师傅{n}", home_organisation=cast.other_firm, user=UserFactory(username=f"shared{n}")
        )
        make_agreement(cast, talent)
    assert query_count(cast.operator, "kangbo") == few
