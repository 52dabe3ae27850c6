"""Capacity holds when several firms enrol at the same moment (the cohort row is locked while enrolling)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jingxiang.academy import services
from jingxiang.academy.models import Enrolment, EnrolmentStatus
from jingxiang.talents.models import TalentKind
from jingxiang.testing.factories import TalentFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _row_locks_need_a_server_database():  # type: ignore[no-untyped-def]
    # SQLite's in-memory test database cannot share one database between threads; the
    # PostgreSQL run (make test-postgres) exercises SELECT … FOR UPDATE for real.
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks across connections)")


def test_concurrent_enrolments_never_exceed_capacity(cast, academy):
    people = [
        TalentFactory(name=f"并发{i}", kind=TalentKind.CRAFTSMAN, home_organisation=cast.firm)
        for i in range(6)
    ]
    start = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def enrol(talent):  # type: ignore[no-untyped-def]
        try:
            start.wait()
            services.enrolment_create(
                actor=cast.firm_admin, cohort=academy.cohort, talents=[talent], sponsor=cast.firm
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(talent,)) for talent in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = list(Enrolment.objects.filter(cohort=academy.cohort).values_list("status", flat=True))
    assert statuses.count(EnrolmentStatus.ENROLLED) == academy.cohort.capacity == 2
    assert statuses.count(EnrolmentStatus.WAITLISTED) == 4
