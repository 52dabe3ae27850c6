"""List pages and the dashboard run a fixed number of queries however much data there is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jingxiang.sharing import services
from jingxiang.sharing.tests.builders import book_slot, make_agreement
from jingxiang.testing.factories import TalentFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    ("operator", "/sharing/pool/"),
    ("operator", "/sharing/requests/"),
    ("operator", "/sharing/agreements/"),
    ("operator", "/sharing/bookings/"),
    ("operator", "/sharing/timesheets/"),
    ("operator", "/sharing/statements/"),
    ("operator", "/sharing/outcomes/"),
    ("operator", "/sharing/dashboard/"),
    ("talent_officer", "/sharing/requests/"),
    ("talent_officer", "/sharing/timesheets/"),
    ("talent_officer", "/sharing/statements/"),
    ("expert_user", "/sharing/me/"),
]


def engagement(cast, talent):
    agreement = make_agreement(cast, talent).agreement
    day = timezone.localdate() - dt.timedelta(days=1)
    booking = book_slot(cast, agreement, day, 9, 11)
    timesheet = services.timesheet_log(
        actor=talent.user, booking=booking, hours=Decimal("1"), description="x"
    )
    services.timesheet_review(actor=cast.talent_officer, timesheet=timesheet, approve=True)
    services.timesheet_log(actor=talent.user, booking=booking, hours=Decimal("1"), description="y")
    services.statement_generate(actor=cast.operator, agreement=agreement, month=day)
    services.outcome_record(
        actor=cast.talent_officer,
        agreement=agreement,
        data={"rating": 4, "patent_number": "CN202510123456.7"},
    )


def count(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_counts_do_not_grow_with_data(cast, client):
    engagement(cast, cast.expert)
    small = {(who, url): count(client, getattr(cast, who), url) for who, url in PAGES}
    for n in range(4):
        talent = TalentFactory(home_organisation=cast.other_firm, user=UserFactory(username=f"more{n}"))
        engagement(cast, talent)
    # The expert's own page grows only with their own records, so give them more too.
    book_slot(cast, cast.expert.sharing_agreements.get(), timezone.localdate() - dt.timedelta(days=2), 9, 10)
    large = {(who, url): count(client, getattr(cast, who), url) for who, url in PAGES}
    assert large == small
    assert max(large.values()) <= 30


def test_dashboard_within_budget(cast, client, django_assert_max_num_queries):
    engagement(cast, cast.expert)
    client.force_login(cast.operator)
    with django_assert_max_num_queries(20):
        assert client.get("/sharing/dashboard/").status_code == 200
