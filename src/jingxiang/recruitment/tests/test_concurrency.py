"""Offers never exceed a job's headcount and booths are never given twice when firms act at the same moment
(the job row, and the fair row, are locked while counting)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jingxiang.recruitment import services
from jingxiang.recruitment.models import Application, ApplicationStatus
from jingxiang.recruitment.tests.conftest import register

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _row_locks_need_a_server_database():  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks across connections)")


def test_concurrent_offers_never_exceed_the_headcount(cast, otp_outbox, setup):
    apps = []
    for i in range(4):
        student = register(otp_outbox, f"1380000090{i}")
        apps += services.apply(actor=student.user, jobs=[setup.job])
    services.applications_move(actor=cast.firm_admin, applications=apps, status=ApplicationStatus.SCREENED)
    start = threading.Barrier(len(apps))
    refused: list[BaseException] = []
    errors: list[BaseException] = []

    def offer(app):  # type: ignore[no-untyped-def]
        try:
            start.wait()
            services.offer_make(actor=cast.firm_admin, application=app, salary=Decimal("3800"))
        except ValidationError as error:
            refused.append(error)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=offer, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert (
        Application.objects.filter(job=setup.job, status=ApplicationStatus.OFFER).count()
        == setup.job.headcount
        == 1
    )
    assert len(refused) == 3
