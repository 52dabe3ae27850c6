"""Each insights page asks the database a fixed number of queries, whatever the amount of data.

Every dashboard per role, the open-data page and the drill-down list of an indicator are rendered
through the test client with a little data and again with more (records in several months and
organisations, a frozen month); the query counts must not change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jingxiang.demands.tests.conftest import make_demand
from jingxiang.insights import services
from jingxiang.insights.selectors import month_start

pytestmark = pytest.mark.django_db

ROLES = ("operator", "union_staff", "firm_admin", "talent_officer", "other_firm_admin")
PAGES = (
    "/insights/",
    "/insights/?first={first}&last={last}",
    "/insights/i/demands_posted/records/",
    "/insights/i/demands_posted/records/?first={first}&last={last}",
)


def months_ago(n: int) -> dt.date:
    month = month_start(timezone.localdate())
    for _ in range(n):
        month = month_start(month - dt.timedelta(days=1))
    return month


def publish(cast: Any, organisation: Any, month: dt.date, **fields: Any) -> None:
    demand = make_demand(cast, organisation=organisation, **fields)
    when = timezone.make_aware(dt.datetime.combine(month.replace(day=10), dt.time(10)))
    type(demand).objects.filter(pk=demand.pk).update(published_at=when)


def counts(cast: Any) -> dict[tuple[str, str], int]:
    first, last = months_ago(5).strftime("%Y-%m"), months_ago(0).strftime("%Y-%m")
    found: dict[tuple[str, str], int] = {}
    clients: dict[str, Client] = {}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(getattr(cast, role))
    clients["anonymous"] = Client()
    for role, client in clients.items():
        pages = ("/insights/open-data/",) if role == "anonymous" else (*PAGES, "/insights/open-data/")
        for page in pages:
            url = page.format(first=first, last=last)
            client.get(url)  # warm: session, caches
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            found[(role, url)] = len(captured)
    return found


def test_every_insights_page_asks_the_same_number_of_queries_with_more_data(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # A frozen month in both cases: reading the frozen months costs the same for one or many.
    # Each organisation has a record in the small case too: an empty list skips its related look-ups.
    publish(cast, cast.firm, months_ago(1))
    publish(cast, cast.other_firm, months_ago(2), created_by=cast.other_firm_admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_run_start(actor=cast.operator, month=months_ago(3))
    small = counts(cast)
    for n in range(12):
        if n % 2:
            publish(cast, cast.other_firm, months_ago(n % 5), created_by=cast.other_firm_admin)
        else:
            publish(cast, cast.firm, months_ago(n % 5))
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_run_start(actor=cast.operator, month=months_ago(4))
    larger = counts(cast)
    grown = {key: (small[key], larger[key]) for key in small if small[key] != larger[key]}
    assert grown == {}
    assert len(small) == len(ROLES) * (len(PAGES) + 1) + 1
