"""Insights speed benchmark (issue 20 item 6): warm timings and query counts of every insights page.

In-process, through Django's test ``Client`` (no web server, no network): for each role's dashboard,
the open-data page and the drill-down list of every indicator, one warm-up request, then ``--repeat``
timed requests; p50/p95 wall-clock and the process CPU time per request, and the number of queries
of one request. The database is its own (``BENCH_DATABASE_URL``, default ``jingxiang_bench_insights``),
migrated and loaded with ``load_demo --scale N`` by this script. Writes a table
(``RESULTS-scale<N>.md``) with the machine load (``uptime``) before and after.

Usage: ``python bench/insights/run.py [--scale 1] [--repeat 20] [--no-load]``; writes ``RESULTS-scale<N>.md``.

Not yet here: the 1,000,000-record generator (``generator.py``); until it exists the figures are at
demo scale (``--scale``) only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

DB_NAME = "jingxiang_bench_insights"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
ROLES = ("operator", "union_staff", "firm_admin", "talent_officer")
DASHBOARD_TARGET_MS = 300.0
LIST_TARGET_MS = 200.0


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def prepare(scale: int) -> None:
    name = DATABASE_URL.rsplit("/", 1)[1]
    base = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", base, "-c", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", base, "-c", f"CREATE DATABASE {name}"], check=True)
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "PYTHONPATH": str(ROOT / "src")}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], check=True, env=env)
    subprocess.run([*manage, "load_demo", "--scale", str(scale)], check=True, env=env)


def measure(client: Any, url: str, repeat: int) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)  # now: the context reads the connection's log lazily
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    walls.sort()
    return {
        "queries": queries,
        "p50": statistics.median(walls),
        "p95": walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))],
        "cpu": statistics.median(cpus),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-load", action="store_true", help="use the database as it is")
    args = parser.parse_args()
    before = uptime()
    if not args.no_load:
        prepare(args.scale)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingxiang.config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from jingxiang.accounts.privacy import current_policy
    from jingxiang.accounts.services import privacy_consent_record
    from jingxiang.insights.definitions import indicators

    setup_test_environment()  # lets the test Client run against this database
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    for user in users.values():  # the demo's people have not yet agreed to the privacy policy
        privacy_consent_record(user=user, version=current_policy().version, source="login")
    rows: list[tuple[str, str, str, dict[str, float], float]] = []
    for role in ROLES:
        if role not in users:
            continue
        client = Client()
        client.force_login(users[role])
        rows.append(
            (role, "dashboard", "/insights/", measure(client, "/insights/", args.repeat), DASHBOARD_TARGET_MS)
        )
        for code in indicators():
            url = f"/insights/i/{code}/records/"
            rows.append((role, f"records {code}", url, measure(client, url, args.repeat), LIST_TARGET_MS))
    anonymous = Client()
    page = "/insights/open-data/"
    rows.append(("anonymous", "open data", page, measure(anonymous, page, args.repeat), DASHBOARD_TARGET_MS))
    after = uptime()
    lines = [
        "# Insights speed benchmark",
        "",
        f"Scale: `load_demo --scale {args.scale}`; {args.repeat} warm requests per page, in-process through",
        "Django's test Client (no web server). Wall-clock p50/p95 and median CPU time of this process.",
        "",
        f"- uptime before: `{before}`",
        f"- uptime after: `{after}`",
        "",
        "| role | page | queries | p50 ms | p95 ms | CPU ms | target ms | met |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for role, label, _url, m, target in rows:
        met = "yes" if m["p95"] < target else "**no**"
        lines.append(
            f"| {role} | {label} | {m['queries']:.0f} | {m['p50']:.1f} | {m['p95']:.1f} | {m['cpu']:.1f} | {target:.0f} | {met} |"
        )
    out = HERE / f"RESULTS-scale{args.scale}.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
