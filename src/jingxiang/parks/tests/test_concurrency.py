"""Two managers leasing one unit for overlapping terms at the same moment: exactly one wins."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from jingxiang.parks import services
from jingxiang.parks.models import Lease


@pytest.mark.django_db(transaction=True)
def test_concurrent_leases_of_one_unit_exactly_one_wins(cast, park):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT … FOR UPDATE); run with DATABASE_URL=postgres://…")
    today = timezone.localdate()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(actor, tenant):
        try:
            barrier.wait(timeout=10)
            services.lease_sign(
                actor=actor,
                unit=park.a101,
                tenant=tenant,
                starts_on=today,
                ends_on=today + dt.timedelta(days=365),
            )
            outcomes.append("won")
        except ValidationError as error:
            outcomes.append(error.code or "refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(park.manager, cast.firm)),
        threading.Thread(target=attempt, args=(cast.operator, cast.other_firm)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["lease_overlap", "won"]
    assert Lease.objects.filter(unit=park.a101).count() == 1
