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


def test_a_link_buyer_racing_past_the_hourly_limit_is_refused_once(postgres, cast, monkeypatch):
    from django.contrib.auth.models import AnonymousUser

    from jingxiang.events.models import Meeting
    from jingxiang.fairs.models import BuyerLink

    fair, _hall, booths = make_fair(cast.operator)
    exhibitors = []
    for code, firm, admin in (
        ("1A01", cast.firm, cast.firm_admin),
        ("1A02", cast.other_firm, cast.other_firm_admin),
    ):
        application = services.application_submit(
            actor=admin,
            fair=fair,
            organisation=firm,
            booth_ids=[booths[code].pk],
            products="镜架",
            contact_name="王",
        )
        services.booth_allocate(actor=cast.operator, application=application, booth=booths[code])
        exhibitors.append(application)
    buyer = services.buyer_register(
        actor=AnonymousUser(),
        fair=fair,
        name="Anna",
        company="Brillenhaus",
        country="DE",
        kind="chain",
        mobile="+491701234567",
    )
    link = BuyerLink.objects.get(buyer=buyer)
    monkeypatch.setattr(services, "LINK_REQUESTS_PER_HOUR", 1)
    outcomes = race(
        *(
            (
                lambda a=a: services.meeting_request(
                    actor=AnonymousUser(), buyer=buyer, application=a, priority="nice", link=link
                )
            )
            for a in exhibitors
        )
    )
    assert outcomes == ["throttled", "won"]
    assert Meeting.objects.filter(requester_id=buyer.participant_id).count() == 1
