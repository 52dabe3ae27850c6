"""Speed and memory of the matching engine on synthetic data (100,000 suppliers by default).

    .venv/bin/python bench/matching/speed.py            # full run, rewrites the "speed" section
    .venv/bin/python bench/matching/speed.py --suppliers 5000 --demands 500 --no-write   # smoke run

Targets (issue 4): build < 30 s, one rank < 50 ms at p95, 10,000 re-ranks < 2 min, < 2 GB, on 2 cores.
Peak memory is the high-water mark of resident memory (``ru_maxrss``) of this process and, separately,
of the largest worker process; workers are forked and share the index pages copy-on-write, so the sum
is an upper bound of the real footprint.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from jingxiang.matching import MatchingIndex

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_file import machine_details, write_section
from synthetic import generate_demands, generate_suppliers


def peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds() -> tuple[float, float]:
    """(this process, finished children) user + system CPU seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--demands", type=int, default=10_000)
    parser.add_argument("--latency-samples", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()

    suppliers = list(generate_suppliers(args.suppliers))
    demands = list(generate_demands(args.demands))
    baseline = peak_mib(resource.RUSAGE_SELF)

    started = time.perf_counter()
    cpu_before = cpu_seconds()
    index = MatchingIndex.build(suppliers, workers=args.workers)
    build_seconds = time.perf_counter() - started
    cpu_after = cpu_seconds()
    build_cpu = (cpu_after[0] - cpu_before[0], cpu_after[1] - cpu_before[1])
    # The main process's own work (splitting, merging, indexing) is serial; the workers' is parallel.
    build_idle = build_cpu[0] + build_cpu[1] / args.workers

    latencies, latencies_cpu = [], []
    for demand in demands[: args.latency_samples]:
        tick, tick_cpu = time.perf_counter(), time.process_time()
        index.rank(demand, 20)
        latencies.append((time.perf_counter() - tick) * 1000)
        latencies_cpu.append((time.process_time() - tick_cpu) * 1000)

    upserts = []
    for supplier in suppliers[: min(1000, len(suppliers))]:
        edited = replace(supplier, hours_per_month=supplier.hours_per_month + 1)
        tick = time.perf_counter()
        index.upsert(edited)
        upserts.append((time.perf_counter() - tick) * 1000)

    started = time.perf_counter()
    cpu_before = cpu_seconds()
    rankings = index.rank_many(demands, 20, workers=args.workers)
    rerank_seconds = time.perf_counter() - started
    cpu_after = cpu_seconds()
    rerank_cpu = (cpu_after[0] - cpu_before[0]) + (cpu_after[1] - cpu_before[1])
    rerank_idle = (cpu_after[0] - cpu_before[0]) + (cpu_after[1] - cpu_before[1]) / args.workers
    assert len(rankings) == len(demands)
    load_after = os.getloadavg()

    own_peak = peak_mib(resource.RUSAGE_SELF)
    worker_peak = peak_mib(resource.RUSAGE_CHILDREN)
    mean_results = statistics.mean(len(r.matches) for r in rankings)
    body = f"""## Speed (synthetic data)

Reproduce: `.venv/bin/python bench/matching/speed.py` (generator: `bench/matching/synthetic.py`, fixed
seeds). {args.suppliers:,} suppliers, {args.demands:,} demands, {args.workers} worker processes.

Wall-clock figures depend on what else runs on the machine; CPU figures do not, so both are given.
"Idle 2-core estimate" = the main process's CPU seconds plus the workers' CPU seconds divided by the
{args.workers} workers — what the wall clock shows when nothing else competes for the cores.

| measure | wall clock | CPU | idle 2-core estimate | target |
|---|---|---|---|---|
| build the index ({args.workers} processes) | {build_seconds:.1f} s | {build_cpu[0]:.1f} s main + {build_cpu[1]:.1f} s workers | {build_idle:.1f} s | < 30 s |
| rank one demand, p50 / p95 / p99 ({len(latencies)} demands) | {percentile(latencies, 50):.1f} / {percentile(latencies, 95):.1f} / {percentile(latencies, 99):.1f} ms | {percentile(latencies_cpu, 50):.1f} / {percentile(latencies_cpu, 95):.1f} / {percentile(latencies_cpu, 99):.1f} ms | p95 {percentile(latencies_cpu, 95):.1f} ms | p95 < 50 ms |
| re-rank {len(demands):,} demands (`rank_many`, {args.workers} processes) | {rerank_seconds:.1f} s | {rerank_cpu:.1f} s | {rerank_idle:.1f} s | < 120 s |
| incremental `upsert`, p50 / p95 ({len(upserts)} profiles) | {percentile(upserts, 50):.2f} / {percentile(upserts, 95):.2f} ms | — | — | — |
| peak resident memory, main process | {own_peak:,.0f} MiB (generated data alone: {baseline:,.0f} MiB) | — | — | < 2 GiB |
| peak resident memory, largest worker | {worker_peak:,.0f} MiB (forked: shares pages with the main process) | — | — | — |

Mean results per demand: {mean_results:.1f}. Machine: {machine_details()}. Load average (1/5/15 min)
before {load_before[0]:.1f}/{load_before[1]:.1f}/{load_before[2]:.1f}, after {load_after[0]:.1f}/{load_after[1]:.1f}/{load_after[2]:.1f}
(other sessions share this machine; a load above 2 slows every figure).
"""
    print(body)
    if not args.no_write:
        write_section("speed", body)


if __name__ == "__main__":
    main()
