"""Synthetic worker-month wage rows for the Linhai example agreement, with known violations.

Deterministic for a seed. Most rows pay at or above every requirement; a known share breaks one
rule each (pay under the norm, under the statutory minimum, overtime or piece pay short by a few
yuan). The generator computes the requirements itself, from the agreement's published figures and
the statutory formulae, independently of the engine, and returns the expected failing rule per row
so the benchmark can check the engine's answers, not only its speed.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl

from jingxiang.wages import Agreement, find_level
from jingxiang.wages.amounts import parse_month
from jingxiang.wages.rows import COLUMNS

FEN = Decimal("0.01")
HOURS = Decimal("174")  # 21.75 days × 8 hours
STATUTORY = Decimal("2260")  # Zhejiang tier 2 from 2024-01
# Where workers are, roughly: many in basic production posts, few in core posts.
POST_WEIGHTS = {
    "frame-assembly": 22,
    "polishing": 16,
    "injection": 10,
    "packing": 10,
    "plating": 7,
    "lens-processing": 12,
    "inspection": 8,
    "optometry": 4,
    "maintenance": 5,
    "mould-making": 4,
    "process-engineering": 2,
}
LEVEL_WEIGHTS = [18, 26, 24, 16, 9, 5, 1.5, 0.5]
PIECE_PROCESSES = {
    "polishing": ["polish-metal", "polish-acetate"],
    "frame-assembly": ["assemble-full-rim", "assemble-temple"],
    "injection": ["mould-tr90"],
    "lens-processing": ["edge-lens"],
    "plating": ["plate-rack"],
}
VIOLATION_SHARE = 0.04
VIOLATIONS = ("W-NORM", "W-STAT", "W-OT", "W-PIECE")


@dataclass(frozen=True)
class Generated:
    header: list[str]
    rows: list[list[str]]
    expected: dict[int, str | None]  # file row number → the one rule expected to fail, or None
    count: int = 0

    def __post_init__(self) -> None:
        if not self.count:
            object.__setattr__(self, "count", len(self.rows))


def _fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def generate(
    agreement: Agreement, rows: int, month: str = "2026-03", seed: int = 17, firms: int = 700
) -> Generated:
    rng = random.Random(seed)
    month_date = parse_month(month)
    term = agreement.term_for(month_date)
    assert term is not None
    posts = list(POST_WEIGHTS)
    post_weights = [POST_WEIGHTS[post] for post in posts]
    levels = ["学徒工", "初级工", "中级工", "高级工", "技师", "高级技师", "特级技师", "首席技师"]
    header = [column.label_zh for column in COLUMNS]
    table: list[list[str]] = []
    expected: dict[int, str | None] = {}
    for index in range(rows):
        post = agreement.find_post(rng.choices(posts, post_weights)[0])
        assert post is not None
        level_name = rng.choices(levels, LEVEL_WEIGHTS)[0]
        level = find_level(level_name)
        assert level is not None
        amounts = term.table[post.post_class.code]
        rank = min(max(level.rank, min(amounts)), max(amounts))
        norm = amounts[rank]  # the first year of the term: no annual increase yet
        violation = rng.choice(VIOLATIONS) if rng.random() < VIOLATION_SHARE else None
        allowance = Decimal(rng.choice([0, 0, 50, 100, 150, 200]))
        other = Decimal(rng.choice([0, 0, 100, 200, 300]))
        base_floor = max(STATUTORY, norm - allowance - other)
        pieces: list[tuple[str, int]] = []
        piece_pay = Decimal(0)
        if post.id in PIECE_PROCESSES and rng.random() < 0.5:
            for process in rng.sample(
                PIECE_PROCESSES[post.id], k=1 if rng.random() < 0.8 else len(PIECE_PROCESSES[post.id])
            ):
                count = rng.randint(200, 1800)
                pieces.append((process, count))
                piece_pay += _fen(count * term.piece_rates[process])
        base = max(Decimal(0), base_floor - piece_pay) + Decimal(rng.randint(0, 400))
        if base + piece_pay + other < STATUTORY:
            base = STATUTORY - piece_pay - other
        weekday = Decimal(rng.choice([0, 0, 4, 8, 12, 20, 30])) + Decimal(rng.choice(["0", "0.5"]))
        rest = Decimal(rng.choice([0, 0, 0, 8, 16]))
        holiday = Decimal(rng.choice([0] * 9 + [8]))
        overtime_base = max(norm, STATUTORY)
        owed = sum(
            (
                _fen(overtime_base * hours * percent / (100 * HOURS))
                for hours, percent in ((weekday, 150), (rest, 200), (holiday, 300))
                if hours
            ),
            Decimal(0),
        )
        overtime_pay = owed + Decimal(rng.choice([0, 0, 0, 5, 20]))
        if violation == "W-NORM":
            # Short of the norm by 1–80 yuan but still above the statutory minimum.
            gap = Decimal(rng.randint(1, 80))
            total = base + piece_pay + allowance + other
            base -= total - norm + gap
            if base < 0 or base + piece_pay + other < STATUTORY:
                violation = None
                base += total - norm + gap
        elif violation == "W-STAT":
            # A big allowance hides a base below the statutory minimum: the norm is met, W-STAT is not.
            normal = base + piece_pay + other
            shortfall = normal - STATUTORY + Decimal(rng.randint(1, 60))
            base -= shortfall
            allowance += shortfall
            if base < 0:
                violation = None
                base += shortfall
                allowance -= shortfall
        elif violation == "W-OT":
            if owed > 10:
                overtime_pay = owed - Decimal(rng.randint(1, 10))
            else:
                violation = None
        elif violation == "W-PIECE":
            if pieces:
                piece_pay -= Decimal(rng.randint(1, 9))
                base += 50  # keep the monthly totals above the norm
            else:
                violation = None
        firm = f"临海市{rng.randint(1, firms):03d}眼镜有限公司"
        table.append(
            [
                firm,
                f"W{index + 1:06d}",
                month,
                post.name_zh,
                level_name,
                f"{base:.2f}",
                f"{piece_pay:.2f}" if pieces else "",
                f"{allowance:.2f}" if allowance else "",
                f"{other:.2f}" if other else "",
                f"{overtime_pay:.2f}" if overtime_pay else "",
                _hours(weekday),
                _hours(rest),
                _hours(holiday),
                "",
                "",
                ";".join(agreement.find_process(process).name_zh for process, _ in pieces),  # type: ignore[union-attr]
                ";".join(str(count) for _, count in pieces),
            ]
        )
        expected[index + 2] = violation
    return Generated(header, table, expected)


def _hours(value: Decimal) -> str:
    return "" if not value else f"{value.normalize():f}"


def write_csv(generated: Generated, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(generated.header)
        writer.writerows(generated.rows)


def _typed(rows: list[list[str]]) -> Iterator[list[object]]:
    """Numbers as numeric cells, as a firm's payroll export would have them."""
    numeric = {5, 6, 7, 8, 9, 10, 11, 12}
    for row in rows:
        yield [
            float(value) if index in numeric and value else (value or None) for index, value in enumerate(row)
        ]


def write_xlsx(generated: Generated, path: Path) -> None:
    """A workbook with shared strings, as Excel saves one (openpyxl's write-only mode inlines strings)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "工资"
    sheet.append(generated.header)
    for row in _typed(generated.rows):
        sheet.append(row)
    workbook.save(path)
