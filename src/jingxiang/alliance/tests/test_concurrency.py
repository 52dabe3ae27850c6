"""Two secretariat staff admitting the same unit at the same moment (PostgreSQL row locks on the
alliance): one membership period, and the other gets the overlap message."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from jingxiang.alliance.models import Member
from jingxiang.alliance.tests.conftest import add_member
from jingxiang.testing.factories import OrganisationFactory


def _race(*attempts: Callable[[], Any]) -> list[str]:
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []

    def run(attempt: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            attempt()
            outcomes.append("won")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_the_same_unit_admitted_twice_at_once_gets_one_membership(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT … FOR UPDATE); run with DATABASE_URL=postgres://…")
    newcomer = OrganisationFactory(name="临海市新加入光学有限公司")
    admit = lambda: add_member(world.secretariat, world.alliance, newcomer)  # noqa: E731
    assert _race(admit, admit) == ["refused", "won"]
    assert Member.objects.filter(alliance=world.alliance, organisation=newcomer).count() == 1
