"""The fund never goes below zero when fund managers approve at the same moment: awards racing for the
last of the money, and tranches of different awards released together (the fund row is locked while
counting; the CHECK constraints are the backstop)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from jingxiang.fund import selectors, services
from jingxiang.fund.models import AppStatus, AwardKind, Fund, FundApplication, LedgerEntry
from jingxiang.fund.tests.conftest import approve_many, draft, pdf
from jingxiang.organisations.models import Role
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _row_locks_need_a_server_database():  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks across connections)")


def race(tasks: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException], list[BaseException]]:
    start = threading.Barrier(len(tasks))
    done: list[Any] = []
    refused: list[BaseException] = []
    errors: list[BaseException] = []

    def run(task: Callable[[], Any]) -> None:
        try:
            start.wait()
            done.append(task())
        except ValidationError as error:
            refused.append(error)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, refused, errors


def approved_applications(cast: Any, setup: Any, n: int) -> list[FundApplication]:
    apps = [setup.application]
    for i in range(n - 1):
        firm = OrganisationFactory(name=f"临海市第{i}眼镜有限公司")
        admin = UserFactory(username=f"race_admin_{i}")
        MembershipFactory(user=admin, organisation=firm, role=Role.ORG_ADMIN)
        apps.append(draft(cast, setup.call, organisation=firm, actor=admin))
    return approve_many(cast, setup, apps)


def test_concurrent_awards_never_overspend_the_fund(cast, setup):
    Fund.objects.filter(pk=setup.fund.pk).update(capital=Decimal("2000000"))
    LedgerEntry.objects.filter(fund=setup.fund).update(amount=Decimal("2000000"))
    apps = approved_applications(cast, setup, 4)  # 4 × 800,000 asked, 2,000,000 in the fund
    done, refused, errors = race(
        [
            (
                lambda a=a: services.award_make(
                    actor=cast.operator,
                    application=a,
                    data={"kind": AwardKind.GRANT, "amount": Decimal("800000")},
                )
            )
            for a in apps
        ]
    )
    assert not errors, errors
    assert (len(done), len(refused)) == (2, 2)
    fund = Fund.objects.get(pk=setup.fund.pk)
    assert fund.committed == Decimal("1600000") and fund.available == Decimal("400000")
    assert FundApplication.objects.filter(status=AppStatus.AWARDED).count() == 2
    assert selectors.ledger_from_entries(fund)["committed"] == fund.committed


def test_concurrent_tranche_releases_keep_the_ledger_exact(cast, setup):
    apps = approved_applications(cast, setup, 3)
    due = timezone.localdate() + dt.timedelta(days=30)
    tranches = []
    for a in apps:
        award = services.award_make(
            actor=cast.operator, application=a, data={"kind": AwardKind.GRANT, "amount": Decimal("800000")}
        )
        tranche = services.tranche_add(
            actor=cast.operator, award=award, milestone="样品", amount=Decimal("300000"), due_on=due
        )
        services.evidence_submit(actor=a.created_by, tranche=tranche, upload=pdf("e.pdf"), note="完成")
        tranches.append(tranche)
    # Each tranche released twice at once: exactly one release per tranche goes through.
    done, refused, errors = race(
        [
            (lambda t=t: services.evidence_review(actor=cast.operator, tranche=t, approve=True))
            for t in tranches + tranches
        ]
    )
    assert not errors, errors
    assert (len(done), len(refused)) == (3, 3)
    fund = Fund.objects.get(pk=setup.fund.pk)
    assert fund.disbursed == Decimal("900000")
    assert fund.committed == Decimal("1500000")
    assert selectors.ledger_from_entries(fund) == {
        "capital": fund.capital,
        "committed": fund.committed,
        "disbursed": fund.disbursed,
        "recovered": fund.recovered,
    }
