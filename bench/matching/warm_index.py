"""What one rank call through the web application's warm index costs: queries, time, exclusive lock.

    .venv/bin/python bench/matching/warm_index.py            # PostgreSQL, demo cluster at scale 5
    BENCH_DATABASE_URL=postgres://…/other .venv/bin/python bench/matching/warm_index.py --scale 2 --no-write

It creates the database ``jingxiang_bench_warm`` (dropped first), loads the demo cluster at the given
scale, then measures ``matchindex.selectors.suggest_suppliers`` on a warm index: the queries of one call,
latency over 200 calls, the time the exclusive side of the index lock is held per call (catch-ups only),
the same after a profile change (one catch-up), and 200 calls from 1 and from 4 threads.
Results go to the "warm index" section of bench/matching/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_file import machine_details, write_section

ROOT = Path(__file__).resolve().parents[2]
DB_NAME = "jingxiang_bench_warm"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
NEED = {"title": "镜片膜层起皱", "description": "镜片戴一段时间膜层起皱脱落,想找专家分析原因", "top": 10}


def prepare(scale: int) -> None:
    name = DATABASE_URL.rsplit("/", 1)[-1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    for command in (["migrate", "--no-input", "-v", "0"], ["load_demo", "--scale", str(scale)]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=environment(),
            check=True,
            stdout=subprocess.DEVNULL,
        )


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "JINGXIANG_ENV": "development",
        "LOG_LEVEL": "WARNING",
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only, keep RESULTS.md")
    parser.add_argument("--keep-database", action="store_true", help="reuse the database as it is")
    args = parser.parse_args()
    if not args.keep_database:
        prepare(args.scale)
    os.environ.update(environment())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingxiang.config.settings")
    import django

    django.setup()
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    from jingxiang.matchindex import warm
    from jingxiang.matchindex.selectors import suggest_suppliers
    from jingxiang.matchindex.suppliers import supplier_organisations, supplier_talents

    held: list[float] = []
    writing = warm.ReadWriteLock.writing

    @contextmanager
    def timed_writing(self: warm.ReadWriteLock):  # type: ignore[no-untyped-def]
        with writing(self):
            started = time.perf_counter()
            try:
                yield
            finally:
                held.append(time.perf_counter() - started)

    warm.ReadWriteLock.writing = timed_writing  # type: ignore[method-assign]

    talents, organisations = supplier_talents().count(), supplier_organisations().count()
    started = time.perf_counter()
    suggest_suppliers(**NEED)
    cold = time.perf_counter() - started
    with CaptureQueriesContext(connection) as queries:
        suggest_suppliers(**NEED)
    held.clear()
    latencies = []
    for _ in range(200):
        started = time.perf_counter()
        suggest_suppliers(**NEED)
        latencies.append(time.perf_counter() - started)
    exclusive_per_call = sum(held) / len(latencies) * 1000

    talent = supplier_talents().order_by("pk").first()
    assert talent is not None
    talent.description += " 加硬"
    talent.save()
    held.clear()
    started = time.perf_counter()
    suggest_suppliers(**NEED)
    after_change = time.perf_counter() - started
    catch_up = sum(held) * 1000

    def worker(calls: int) -> None:
        for _ in range(calls):
            suggest_suppliers(**NEED)
        connections.close_all()

    throughput = {}
    for threads in (1, 4):
        pool = [threading.Thread(target=worker, args=(200 // threads,)) for _ in range(threads)]
        started = time.perf_counter()
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        throughput[threads] = 200 / (time.perf_counter() - started)

    load = os.getloadavg()[0]
    body = "\n".join(
        [
            "## Warm index in the web application (PostgreSQL)",
            "",
            f"`python bench/matching/warm_index.py --scale {args.scale}`: demo cluster at scale {args.scale} "
            f"({talents} supplier talents, {organisations} institutions). Machine: {machine_details()}; "
            f"1-minute load average {load:.1f}.",
            "",
            "| measure | value |",
            "|---|---:|",
            f"| first call (builds the index) | {cold:.1f} s |",
            f"| queries per call on a fresh index | {len(queries)} |",
            f"| call latency p50 / p95 | {percentile(latencies, 0.5):.1f} / {percentile(latencies, 0.95):.1f} ms |",
            f"| exclusive lock held per call, fresh index | {exclusive_per_call:.3f} ms |",
            f"| first call after a profile change (one catch-up) | {after_change * 1000:.0f} ms, "
            f"exclusive lock {catch_up:.0f} ms |",
            f"| calls per second, 1 thread / 4 threads | {throughput[1]:.0f} / {throughput[4]:.0f} |",
            "",
            "Queries of one call on a fresh index:",
            "",
            *[f"- `{query['sql'][:110]}…`" for query in queries.captured_queries],
        ]
    )
    print(body)
    if not args.no_write:
        write_section("warm index", body)


if __name__ == "__main__":
    main()
