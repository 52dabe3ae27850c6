"""Each main page stays within its recorded budget of queries and HTML (issue 13).

The demo cluster is loaded once and every page is opened as the persona who uses it. A page's query
count may not exceed its budget (the existing per-app tests check that counts do not grow with the
data), and its HTML may not exceed its recorded size by more than 20 % nor 50 KB for a page of 25 rows.
When a page legitimately changes, measure it with ``JINGXIANG_RECORD_BUDGETS=1 pytest -s`` on this file
and update ``BUDGETS`` in the same commit, saying why.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

#: (persona, path): (queries, HTML bytes), as recorded on the demo cluster (scale 1).
BUDGETS: dict[tuple[str, str], tuple[int, int]] = {
    ("operator", "/"): (16, 12_000),
    ("firm_admin", "/"): (14, 10_000),
    ("talent_officer", "/"): (14, 10_000),
    ("member", "/"): (10, 8_000),
    ("expert", "/"): (12, 8_000),
    ("lab_staff", "/"): (11, 9_000),
    ("union_staff", "/"): (10, 8_000),
    ("secretariat", "/"): (16, 12_000),
    ("operator", "/organisations/"): (9, 25_000),
    ("firm_admin", "/talents/"): (12, 31_000),
    ("operator", "/demands/"): (9, 14_000),
    ("operator", "/demands/board/"): (10, 20_000),
    ("expert", "/demands/for-me/"): (10, 20_000),
    ("operator", "/demands/challenges/"): (9, 14_000),
    ("operator", "/sharing/pool/"): (12, 30_000),
    ("talent_officer", "/sharing/requests/"): (10, 20_000),
    ("operator", "/sharing/agreements/"): (10, 20_000),
    ("operator", "/sharing/statements/"): (10, 20_000),
    ("expert", "/sharing/me/"): (14, 20_000),
    ("firm_admin", "/events/"): (10, 20_000),
    ("operator", "/academy/courses/"): (12, 27_000),
    ("operator", "/academy/cohorts/"): (12, 25_000),
    ("operator", "/academy/enrolments/"): (12, 25_000),
    ("lab_staff", "/lab/"): (12, 25_000),
    ("lab_staff", "/lab/samples/"): (12, 25_000),
    ("lab_staff", "/lab/reports/"): (12, 25_000),
    ("operator", "/jobs/"): (9, 12_000),
    ("firm_admin", "/notifications/"): (9, 22_000),
}
MAX_BYTES = 50 * 1024
SLACK = 1.2

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_main_pages_within_their_budgets():
    from jingxiang.core.demo import load_demo

    context = load_demo()
    record = bool(os.environ.get("JINGXIANG_RECORD_BUDGETS"))
    over = []
    measured = {}
    clients: dict[str, Client] = {}
    for (persona, path), (max_queries, recorded_bytes) in BUDGETS.items():
        if persona not in clients:
            clients[persona] = Client()
            clients[persona].force_login(context.users[persona])
        client = clients[persona]
        client.get(path)  # first request of a persona warms caches that every later page shares
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (persona, path, response.status_code)
        size = len(response.content)
        measured[(persona, path)] = (len(queries), size)
        if len(queries) > max_queries:
            over.append(f"{persona} {path}: {len(queries)} queries, budget {max_queries}")
        if size > min(MAX_BYTES, recorded_bytes * SLACK):
            over.append(f"{persona} {path}: {size} bytes of HTML, budget {min(MAX_BYTES, recorded_bytes * SLACK):.0f}")
    if record:
        for key, (queries, size) in measured.items():
            print(f"    {key!r}: ({queries}, {round(size, -3) + 1000:_}),")
    assert not over, "\n".join(over)
