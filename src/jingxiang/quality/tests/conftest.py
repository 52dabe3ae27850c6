"""Helpers shared by the engine tests: build a case, judge it, read one result."""

from __future__ import annotations

from typing import Any

from jingxiang.quality import ItemResult, Verdict, judge


def run(case: dict[str, Any]) -> Verdict:
    return judge(case)


def result(verdict: Verdict, result_id: str) -> ItemResult:
    matches = [item for item in verdict.items if item.result_id == result_id]
    assert matches, f"{result_id} not in {[item.result_id for item in verdict.items]}"
    return matches[0]


def status(verdict: Verdict, result_id: str) -> str:
    return result(verdict, result_id).status.value
