"""Two firms booking the same slot at the same moment: exactly one wins (real threads on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from jingxiang.sharing import services
from jingxiang.sharing.models import Booking
from jingxiang.sharing.tests.builders import make_agreement, second_host_agreement, slot
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory


def second_host(cast):
    firm = OrganisationFactory(name="临海市明光眼镜有限公司")
    officer = UserFactory(username="mingguang")
    MembershipFactory(user=officer, organisation=firm, role="talent_officer")
    return officer, second_host_agreement(cast, firm, officer)


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_the_same_slot_exactly_one_wins(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT … FOR UPDATE); run with DATABASE_URL=postgres://…")
    first = make_agreement(cast).agreement
    officer, second = second_host(cast)
    day = timezone.localdate() + dt.timedelta(days=3)
    starts, ends = slot(day, 9, 12)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(actor, agreement):
        try:
            barrier.wait(timeout=10)
            services.booking_create(actor=actor, agreement=agreement, starts_at=starts, ends_at=ends)
            outcomes.append("won")
        except ValidationError as error:
            outcomes.append(error.code or "refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(cast.talent_officer, first)),
        threading.Thread(target=attempt, args=(officer, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["overlap", "won"]
    assert Booking.objects.filter(talent=cast.expert).count() == 1
