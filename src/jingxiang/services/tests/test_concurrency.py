"""Two acceptances spending one programme's last budget at the same moment: exactly one wins, the
budget is never overspent (real threads on PostgreSQL)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from jingxiang.services import services
from jingxiang.services.models import OrderStatus, VoucherProgramme
from jingxiang.services.tests.builders import agency, approved_voucher, delivered_order, programme, service
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_never_overspend_the_budget(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT … FOR UPDATE); run with DATABASE_URL=postgres://…")
    org, staff = agency()
    prog = programme(budget=Decimal("4000"))  # room for one 3000 voucher part, not two
    svc = service(org)
    second_firm = OrganisationFactory(name="临海市明光眼镜有限公司", size="small")
    second_admin = UserFactory(username="mingguang")
    MembershipFactory(user=second_admin, organisation=second_firm, role="org_admin")
    first = delivered_order(cast, svc, staff, voucher=approved_voucher(cast, prog))
    second = delivered_order(
        cast,
        svc,
        staff,
        voucher=approved_voucher(cast, prog, firm=second_firm, actor=second_admin),
        firm=second_firm,
        actor=second_admin,
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(actor, order):
        try:
            barrier.wait(timeout=10)
            services.order_accept(actor=actor, order=order)
            outcomes.append("won")
        except ValidationError as error:
            outcomes.append(error.code or "refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(cast.firm_admin, first)),
        threading.Thread(target=attempt, args=(second_admin, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["over_budget", "won"]
    prog = VoucherProgramme.objects.get(pk=prog.pk)
    assert prog.committed == Decimal("3000.00") <= prog.budget
    first.refresh_from_db()
    second.refresh_from_db()
    assert sorted([first.status, second.status]) == sorted([OrderStatus.ACCEPTED, OrderStatus.DELIVERED])
