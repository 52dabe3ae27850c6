"""Races on PostgreSQL: two operators giving one booth to two exhibitors at the same moment, and two
staff scanning the same badge at once. Exactly one wins each; the other gets a clear refusal."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from jingxiang.fairs import services
from jingxiang.fairs.models import Allocation, Booth, Lead
from jingxiang.fairs.tests.conftest import fair_is_on, make_fair, register_buyer

pytestmark = pytest.mark.django_db(transaction=True)


def race(*attempts: Callable[[], object]) -> list[str]:
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []

    def run(attempt: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            attempt()
            outcomes.append("won")
        except ValidationError as error:
            codes = [e.code for errors in getattr(error, "error_dict", {}).values() for e in errors]
            outcomes.append((codes[0] if codes else error.code) or "refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.fixture
def postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT … FOR UPDATE); run with DATABASE_URL=postgres://…")


def test_one_booth_is_never_given_twice_under_concurrency(postgres, cast):
    fair, _hall, booths = make_fair(cast.operator)
    booth = booths["1A01"]
    mine = services.application_submit(
        actor=cast.firm_admin,
        fair=fair,
        organisation=cast.firm,
        booth_ids=[booth.pk],
        products="镜架",
        contact_name="王",
    )
    theirs = services.application_submit(
        actor=cast.other_firm_admin,
        fair=fair,
        organisation=cast.other_firm,
        booth_ids=[booth.pk],
        products="太阳镜",
        contact_name="李",
    )
    outcomes = race(
        lambda: services.booth_allocate(actor=cast.operator, application=mine, booth=booth),
        lambda: services.booth_allocate(actor=cast.operator, application=theirs, booth=booth),
    )
    assert outcomes == ["booth_taken", "won"]
    assert Allocation.objects.filter(booth=booth, released_at__isnull=True).count() == 1
    assert Booth.objects.get(pk=booth.pk).state == "allocated"


def test_a_badge_scanned_twice_at_once_is_one_lead(postgres, cast):
    fair, _hall, booths = make_fair(cast.operator)
    application = services.application_submit(
        actor=cast.firm_admin,
        fair=fair,
        organisation=cast.firm,
        booth_ids=[booths["1A01"].pk],
        products="镜架",
        contact_name="王",
    )
    services.booth_allocate(actor=cast.operator, application=application, booth=booths["1A01"])
    buyer = register_buyer(fair, cast.outsider, None, name="Marco", country="IT", mobile="+393330000000")
    fair_is_on(fair)
    outcomes = race(
        lambda: services.lead_capture(actor=cast.member, application=application, code=buyer.badge_number),
        lambda: services.lead_capture(
            actor=cast.talent_officer, application=application, code=buyer.badge_number
        ),
    )
    assert outcomes == ["duplicate", "won"]
    assert Lead.objects.filter(application=application).count() == 1
