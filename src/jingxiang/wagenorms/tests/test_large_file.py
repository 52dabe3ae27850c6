"""Thousands of rows through the whole Excel path (read, form per row, engine, bulk save)."""

from __future__ import annotations

import time

import pytest

from jingxiang.wagenorms.models import WageLine
from jingxiang.wagenorms.tests.builders import effective_agreement, import_file, workbook

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_three_thousand_rows(cast):
    effective_agreement(cast.union_staff)
    rows = [
        [
            f"W{i:05d}",
            "",
            "2026-03",
            "抛光",
            "中级工",
            str(2760 + i % 50 - (1 if i % 1000 == 0 else 0)),
            "0",
            "0",
            "0",
        ]
        for i in range(3000)
    ]
    started = time.perf_counter()
    result, spec = import_file(cast.firm, cast.firm_admin, workbook(rows))
    elapsed = time.perf_counter() - started
    assert result.ok and spec.report.rows == 3000
    assert WageLine.objects.filter(status="failed").count() == 3  # rows 0, 1000, 2000 pay 2,759
    print(f"3,000 rows imported in {elapsed:.1f} s")
    assert elapsed < 60
