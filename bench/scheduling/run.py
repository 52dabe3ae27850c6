"""Scheduler benchmark of issue 5: CP-SAT against first-fit greedy, then the largest instance in 5 minutes.

Run from the repository root: ``.venv/bin/python bench/scheduling/run.py`` (about 10-15 minutes on two
cores). Writes ``bench/scheduling/RESULTS.md``; every schedule is checked by the independent validator
before its figures are counted.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import Size, generate

from jingxiang.scheduling import (
    Instance,
    Schedule,
    greedy_schedule,
    instance_from_json,
    schedule_to_json,
    solve,
    validate,
)

HERE = Path(__file__).resolve().parent
ISSUE_SIZE = Size(participants=300, requests=1500, slots=12, tables=60)
ISSUE_SEEDS = (1, 2, 3)
ISSUE_TIME_LIMIT = 60.0
SCALE_STEPS = (
    Size(600, 3000, 12, 120),
    Size(1200, 6000, 14, 240),
    Size(2500, 12500, 16, 500),
    Size(5000, 25000, 16, 1000),
    Size(10000, 50000, 16, 2000),
)
SCALE_TIME_LIMIT = 300.0
SCALE_GAP = 0.01
SCALE_IDLE_GAP_SECONDS = 20.0
WORKERS = 2


@dataclass(frozen=True)
class Row:
    label: str
    seed: int
    meetings: int
    weight: float
    bound: float | None
    gaps: int
    seconds: float
    cpu_seconds: float
    status: str

    @property
    def gap_percent(self) -> float | None:
        if self.bound is None or self.bound == 0:
            return None
        return 100.0 * (self.bound - self.weight) / self.bound


def _timed(run: Callable[..., Schedule], instance: Instance, **options: Any) -> tuple[Schedule, float]:
    """Run a scheduler and return its CPU time too: the machine may be shared, wall time alone misleads."""
    cpu_before = time.process_time()
    schedule = run(instance, **options)
    return schedule, time.process_time() - cpu_before


def _checked(data: dict[str, Any], timed: tuple[Schedule, float], label: str, seed: int) -> Row:
    schedule, cpu_seconds = timed
    violations = validate(data, schedule_to_json(schedule))
    if violations:
        raise SystemExit(f"{label} seed {seed}: schedule fails the validator: {violations[:3]}")
    return Row(
        label=label,
        seed=seed,
        meetings=len(schedule.assignments),
        weight=schedule.scheduled_weight,
        bound=schedule.upper_bound,
        gaps=schedule.idle_gaps,
        seconds=schedule.solve_seconds,
        cpu_seconds=cpu_seconds,
        status=schedule.status,
    )


def _machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import ortools

    return (
        f"{cpu}; {os.cpu_count()} logical CPUs visible, solver limited to {WORKERS} workers; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"OR-Tools {ortools.__version__}"
    )


def _fmt_gap(row: Row) -> str:
    return "-" if row.gap_percent is None else f"{row.gap_percent:.3f} %"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="one seed, 20 s, no scale-up, RESULTS.md left alone (smoke test)"
    )
    arguments = parser.parse_args()
    seeds = ISSUE_SEEDS[:1] if arguments.quick else ISSUE_SEEDS
    time_limit = 20.0 if arguments.quick else ISSUE_TIME_LIMIT
    started = time.perf_counter()
    load_before = os.getloadavg()

    comparison: list[tuple[Row, Row, Row]] = []
    for seed in seeds:
        data = generate(ISSUE_SIZE, seed)
        instance = instance_from_json(data)
        greedy = _checked(data, _timed(greedy_schedule, instance), "first-fit greedy", seed)
        by_weight = _checked(
            data, _timed(greedy_schedule, instance, order="weight"), "greedy, heaviest first", seed
        )
        solved = _checked(
            data,
            _timed(solve, instance, time_limit_seconds=time_limit, workers=WORKERS, seed=0),
            "CP-SAT",
            seed,
        )
        comparison.append((greedy, by_weight, solved))
        print(
            f"seed {seed}: greedy {greedy.weight:.2f}/{greedy.gaps} gaps, solver {solved.weight:.2f}/"
            f"{solved.gaps} gaps, gap {_fmt_gap(solved)}, {solved.seconds:.1f} s",
            flush=True,
        )

    scale_rows: list[Row] = []
    if not arguments.quick:
        for size in SCALE_STEPS:
            data = generate(size, 1)
            instance = instance_from_json(data)
            timed = _timed(
                solve,
                instance,
                time_limit_seconds=SCALE_TIME_LIMIT,
                workers=WORKERS,
                relative_gap_limit=SCALE_GAP,
                idle_gap_seconds=SCALE_IDLE_GAP_SECONDS,
            )
            row = _checked(data, timed, size.label(), 1)
            scale_rows.append(row)
            print(f"{size.label()}: gap {_fmt_gap(row)} in {row.seconds:.1f} s", flush=True)
            if row.gap_percent is None or row.gap_percent > 100 * SCALE_GAP or row.seconds > SCALE_TIME_LIMIT:
                break

    if arguments.quick:
        return 0
    loads = (load_before[0], os.getloadavg()[0])
    _write_results(comparison, scale_rows, time_limit, time.perf_counter() - started, loads)
    return 0


def _write_results(
    comparison: list[tuple[Row, Row, Row]],
    scale_rows: list[Row],
    time_limit: float,
    total: float,
    loads: tuple[float, float],
) -> None:
    lines = [
        "# Scheduler benchmark (issue 5)",
        "",
        f"Machine: {_machine()}.",
        f"Reproduce: `.venv/bin/python bench/scheduling/run.py` (this run took {total / 60:.1f} minutes).",
        "",
        f"1-minute load average {loads[0]:.1f} at the start and {loads[1]:.1f} at the end of the run: the "
        "machine is shared, so *seconds* (wall clock, what the time limits apply to) can be much larger than "
        "*CPU s* (the process's CPU time over all its threads).",
        "",
        f"## {ISSUE_SIZE.label()}",
        "",
        "Instances from `bench/scheduling/generator.py` (seeds listed). The solver gets "
        f"{time_limit:.0f} s on {WORKERS} workers; *gap* is `(upper_bound - weight) / upper_bound`, "
        "the most the schedule can be below the optimum. Idle gaps are empty slots between a participant's "
        "first and last meeting, summed over participants. Every schedule passed the independent validator.",
        "",
        "| seed | method | meetings | weight | idle gaps | upper bound | gap | seconds | CPU s | status |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for rows in comparison:
        for row in rows:
            bound = "-" if row.bound is None else f"{row.bound:.2f}"
            lines.append(
                f"| {row.seed} | {row.label} | {row.meetings} | {row.weight:.2f} | {row.gaps} | {bound} | "
                f"{_fmt_gap(row)} | {row.seconds:.1f} | {row.cpu_seconds:.1f} | {row.status} |"
            )
    greedy_weight = sum(rows[0].weight for rows in comparison)
    solver_weight = sum(rows[2].weight for rows in comparison)
    greedy_gaps = sum(rows[0].gaps for rows in comparison)
    solver_gaps = sum(rows[2].gaps for rows in comparison)
    greedy_meetings = sum(rows[0].meetings for rows in comparison)
    solver_meetings = sum(rows[2].meetings for rows in comparison)
    worst_gap = max(rows[2].gap_percent or 0.0 for rows in comparison)
    lines += [
        "",
        f"Over the {len(comparison)} instances the solver schedules {solver_weight / greedy_weight - 1:+.1%} weight "
        f"and {solver_meetings / greedy_meetings - 1:+.1%} meetings compared with first-fit greedy, with "
        f"{solver_gaps / solver_meetings:.2f} idle gaps per scheduled meeting against greedy's "
        f"{greedy_gaps / greedy_meetings:.2f} ({solver_gaps} against {greedy_gaps} in total); the largest "
        f"remaining gap to the proven bound is {worst_gap:.3f} %.",
    ]
    if scale_rows:
        lines += [
            "",
            "## Largest instance within 5 minutes",
            "",
            f"Growing instances (seed 1), solver stopped once within {SCALE_GAP:.0%} of its bound, then at most "
            f"{SCALE_IDLE_GAP_SECONDS:.0f} s on idle gaps; limit {SCALE_TIME_LIMIT:.0f} s. The scale-up stops at the "
            "first instance that misses the gap or the time limit.",
            "",
            "| instance | meetings | weight | upper bound | gap | idle gaps | seconds | CPU s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in scale_rows:
            bound = "-" if row.bound is None else f"{row.bound:.2f}"
            lines.append(
                f"| {row.label} | {row.meetings} | {row.weight:.2f} | {bound} | {_fmt_gap(row)} | {row.gaps} | "
                f"{row.seconds:.1f} | {row.cpu_seconds:.1f} |"
            )
        solved = [r for r in scale_rows if r.gap_percent is not None and r.gap_percent <= 100 * SCALE_GAP]
        solved = [r for r in solved if r.seconds <= SCALE_TIME_LIMIT]
        if solved:
            lines += [
                "",
                f"Largest instance solved to within {SCALE_GAP:.0%} in 5 minutes: {solved[-1].label}.",
            ]
            if len(solved) == len(SCALE_STEPS):
                lines[-1] += (
                    " That is the largest size tried, not a limit found: larger ones would push this run past "
                    "15 minutes."
                )
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    sys.exit(main())
