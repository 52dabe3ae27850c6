"""The side menu's answers are cached per person and set of memberships (issue 13: the menu's
predicates cost several queries on every page), and a change of roles shows on the next page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings

from jingxiang.core import navigation
from jingxiang.core.navigation import NavItem
from jingxiang.organisations.permissions import forget_roles
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch: Any) -> dict[str, int]:
    calls = {"n": 0}

    def visible(user: Any) -> bool:
        calls["n"] += 1
        return True

    item = NavItem("测试项", "core:home", "测试", order=999, visible=visible)
    monkeypatch.setattr(navigation, "_items", [*navigation._items, item])
    cache.clear()
    return calls


def _labels(user: Any) -> list[str]:
    return [str(item.label) for item in navigation.visible_items(user)]


@override_settings(NAV_CACHE_SECONDS=60)
def test_the_menu_is_asked_once_then_served_from_the_cache(counted: dict[str, int]) -> None:
    user = UserFactory()
    first = _labels(user)
    assert "测试项" in first and counted["n"] == 1
    assert _labels(user) == first and counted["n"] == 1
    assert _labels(UserFactory()) and counted["n"] == 2  # another person has their own answers


@override_settings(NAV_CACHE_SECONDS=60)
def test_a_new_membership_changes_the_menu_on_the_next_page(counted: dict[str, int]) -> None:
    user = UserFactory()
    assert "本机构" not in _labels(user)
    MembershipFactory(user=user, organisation=OrganisationFactory())
    forget_roles(user)  # the next request reads the roles afresh
    assert "本机构" in _labels(user)
    assert counted["n"] == 2


@override_settings(NAV_CACHE_SECONDS=0)
def test_zero_seconds_asks_every_time(counted: dict[str, int]) -> None:
    user = UserFactory()
    _labels(user)
    _labels(user)
    assert counted["n"] == 2


@override_settings(NAV_CACHE_SECONDS=60)
def test_the_cached_menu_costs_no_queries_beyond_the_roles(
    counted: dict[str, int], django_assert_max_num_queries: Any
) -> None:
    user = UserFactory()
    navigation.items_for(user, "/")
    forget_roles(user)
    with django_assert_max_num_queries(1):  # the memberships, read once per request anyway
        navigation.items_for(user, "/")
