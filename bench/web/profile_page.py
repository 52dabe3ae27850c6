"""Profile one page in-process: where a request's time goes, how many queries and templates it costs.

Usage (against the benchmark database, or any database with the demo cluster loaded):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jingxiang_bench \\
      .venv/bin/python bench/web/profile_page.py operator /talents/ [--runs 20] [--top 30]

It logs the persona in with the test client (no password needed), warms the page once, then renders it
``--runs`` times under cProfile and prints: mean time per request, queries and their SQL time, the
number of templates rendered (each ``{% include %}`` is one), the HTML size, and the functions with the
most cumulative and own time. Finding the cost with a profiler, not by guessing, is what issue 13 asks.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("JINGXIANG_ENV", "development")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("username")
    parser.add_argument("path")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sql", action="store_true", help="print every query of one request")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.template.base import Template
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jingxiang.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    if args.username != "-":
        client.force_login(User.objects.get(username=args.username))
    response = client.get(args.path)
    assert response.status_code == 200, (response.status_code, args.path)

    renders = 0
    original = Template.render

    def counting_render(self, context):  # type: ignore[no-untyped-def]
        nonlocal renders
        renders += 1
        return original(self, context)

    Template.render = counting_render  # type: ignore[method-assign]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(args.path)
    Template.render = original  # type: ignore[method-assign]
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(
        f"{args.path}: {len(response.content) / 1024:.1f} KB HTML, {len(queries)} queries ({sql_ms:.1f} ms SQL), "
        f"{renders} template renders"
    )
    if args.sql:
        for q in queries.captured_queries:
            print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:300]}")

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.runs):
        client.get(args.path)
    profiler.disable()
    print(
        f"mean {1000 * (time.perf_counter() - started) / args.runs:.1f} ms per request (under the profiler)"
    )
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:12000])


if __name__ == "__main__":
    main()
