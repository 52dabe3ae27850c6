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
    ("operator", "/"): (14, 13_000),
    ("firm_admin", "/"): (15, 11_000),
    ("talent_officer", "/"): (13, 11_000),
    ("member", "/"): (10, 9_000),
    ("expert", "/"): (9, 9_000),
    ("lab_staff", "/"): (10, 9_000),
    ("union_staff", "/"): (7, 8_000),
    ("secretariat", "/"): (14, 13_000),
    ("operator", "/organisations/"): (7, 25_000),
    ("firm_admin", "/talents/"): (13, 31_000),
    ("operator", "/demands/"): (7, 14_000),
    ("operator", "/demands/board/"): (9, 19_000),
    ("expert", "/demands/for-me/"): (10, 10_000),
    ("operator", "/demands/challenges/"): (7, 13_000),
    ("operator", "/sharing/pool/"): (10, 31_000),
    ("talent_officer", "/sharing/requests/"): (8, 13_000),
    ("operator", "/sharing/agreements/"): (7, 13_000),
    ("operator", "/sharing/statements/"): (10, 14_000),
    ("expert", "/sharing/me/"): (10, 12_000),
    ("firm_admin", "/events/"): (10, 12_000),
    ("operator", "/academy/courses/"): (10, 20_000),
    ("operator", "/academy/cohorts/"): (8, 16_000),
    ("operator", "/academy/enrolments/"): (10, 20_000),
    ("lab_staff", "/lab/"): (8, 25_000),
    ("lab_staff", "/lab/samples/"): (8, 24_000),
    ("lab_staff", "/lab/reports/"): (8, 26_000),
    ("operator", "/jobs/"): (6, 11_000),
    ("firm_admin", "/notifications/"): (10, 23_000),
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
            over.append(
                f"{persona} {path}: {size} bytes of HTML, budget {min(MAX_BYTES, recorded_bytes * SLACK):.0f}"
            )
    if record:
        for key, (queries, size) in measured.items():
            print(f"    {key!r}: ({queries}, {round(size, -3) + 1000:_}),")
    assert not over, "\n".join(over)
