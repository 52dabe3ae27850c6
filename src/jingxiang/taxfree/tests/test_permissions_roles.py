"""The 离境退税 role questions: right answers, one query per request however many are asked."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingxiang.accounts.models import User
from jingxiang.taxfree import permissions
from jingxiang.taxfree.models import StoreStaff
from jingxiang.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_role_is_answered_from_one_read(tf: Any) -> None:
    person = UserFactory(username="many_hats")
    StoreStaff.objects.create(store=tf.store, user=person, manager=True)
    StoreStaff.objects.create(store=tf.other, user=person)
    tf.agency.members.add(person)
    tf.office.members.add(person)
    person = User.objects.get(pk=person.pk)  # nothing held from the set-up
    with CaptureQueriesContext(connection) as captured:
        assert permissions.staff_store_ids(person) == {tf.store.pk, tf.other.pk}
        assert permissions.managed_store_ids(person) == {tf.store.pk}
        assert permissions.agency_ids(person) == {tf.agency.pk}
        assert permissions.tax_office_ids(person) == {tf.office.pk}
        assert permissions.sees_reports(person) and permissions.is_store_staff(person)
    link_reads = [q for q in captured.captured_queries if "taxfree_" in q["sql"]]
    assert len(link_reads) == 1


def test_each_person_sees_only_their_own_role(tf: Any) -> None:
    clerk, agent, officer = (User.objects.get(pk=u.pk) for u in (tf.clerk, tf.agent, tf.officer))
    assert (permissions.staff_store_ids(clerk), permissions.managed_store_ids(clerk)) == (
        {tf.store.pk},
        set(),
    )
    assert not permissions.is_agency(clerk) and not permissions.is_tax_office(clerk)
    assert permissions.agency_ids(agent) == {tf.agency.pk} and not permissions.is_store_staff(agent)
    assert permissions.tax_office_ids(officer) == {tf.office.pk} and not permissions.is_agency(officer)
    nobody = User.objects.get(pk=UserFactory(username="nobody").pk)
    assert not permissions.uses_taxfree(nobody)
