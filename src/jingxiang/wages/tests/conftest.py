"""Builders shared by the wage engine tests: small agreements, statutory tables and wage files."""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import yaml

from jingxiang.wages import (
    Agreement,
    Report,
    StatutoryTable,
    check_rows,
    load_agreement_text,
    load_statutory_text,
    parse_rows,
    read_csv_bytes,
    validate_agreement_text,
)
from jingxiang.wages.model import Problem

D = Decimal


class _Dumper(yaml.SafeDumper):
    """Writes Decimals as YAML floats with their exact text, which the engine reads back exactly.

    Never writes aliases (the engine refuses them), even for a value that appears twice.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(
    Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value))
)

# Tier 2 went from 2,070 to 2,260 on 2024-01-01: the boundary the month tests straddle.
STATUTORY: dict[str, Any] = {
    "format": "jingxiang-minimum-wage/1",
    "id": "test",
    "jurisdiction": "测试省",
    "periods": [
        {
            "effective_from": "2021-08-01",
            "source": "test 2021",
            "certainty": "V",
            "tiers": [
                {"tier": 1, "monthly": 2280},
                {"tier": 2, "monthly": 2070},
                {"tier": 3, "monthly": 1840},
            ],
        },
        {
            "effective_from": "2024-01-01",
            "source": "test 2024",
            "certainty": "V",
            "tiers": [
                {"tier": 1, "monthly": 2490},
                {"tier": 2, "monthly": 2260},
                {"tier": 3, "monthly": 2010},
            ],
        },
    ],
    "regions": {"测试县": {"tier": 2, "certainty": "V"}},
}

OVERTIME = {"basis": "higher", "weekday_percent": 150, "rest_day_percent": 200, "holiday_percent": 300}

# Floors from 2024 (tier 2 = 2,260): 2,373.00 / 2,712.00 / 3,390.00 / 4,520.00.
TABLE = {
    "basic": {"学徒工": D("2373.00"), "初级工": 2500, "中级工": 2700, "高级工": 2900, "技师": 3200},
    "important": {"初级工": 2712, "中级工": 2900, "高级工": 3100, "技师": 3400},
    "key": {"中级工": 3390, "高级工": 3600, "技师": 3900, "高级技师": 4300},
    "core": {"技师": 4520, "高级技师": 5000, "特级技师": 5600, "首席技师": 6300},
}

AGREEMENT: dict[str, Any] = {
    "format": "jingxiang-wage-agreement/1",
    "agreement": {
        "id": "TEST",
        "title_zh": "测试协议",
        "region": "测试县",
        "region_tier": 2,
        "statutory_minimum": "test",
    },
    "posts": [
        {"id": "assembly", "name_zh": "装配", "class": "basic"},
        {"id": "plating", "name_zh": "电镀", "class": "important"},
        {"id": "optometry", "name_zh": "验光", "class": "key"},
        {"id": "research", "name_zh": "工艺攻关", "class": "core"},
    ],
    "processes": [
        {"id": "polish", "name_zh": "抛光", "unit": "副", "post": "assembly"},
        {"id": "edge", "name_zh": "磨边", "unit": "片"},
    ],
    "terms": [
        {
            "id": "T1",
            "effective_from": "2023-07-01",
            "expires_on": "2024-06-30",
            "form": "minimum_wage",
            "minimum_wage": TABLE,
            "overtime": OVERTIME,
            "piece_rates": {"polish": D("0.85"), "edge": D("0.333")},
        }
    ],
}


def dump(data: Mapping[str, Any]) -> str:
    return yaml.dump(dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def statutory(data: Mapping[str, Any] | None = None) -> StatutoryTable:
    return load_statutory_text(dump(data or STATUTORY), "test.yaml")


def agreement_data(**changes: Any) -> dict[str, Any]:
    """A deep copy of the test agreement; ``term=`` updates the first term, other keys replace top-level ones."""
    data = copy.deepcopy(AGREEMENT)
    term_changes = changes.pop("term", None)
    data.update(changes)
    if term_changes:
        data["terms"][0].update(term_changes)
    return data


def agreement(data: Mapping[str, Any] | None = None, table: StatutoryTable | None = None) -> Agreement:
    return load_agreement_text(dump(data or AGREEMENT), "test-agreement.yaml", table or statutory())


def problems(data: Mapping[str, Any], table: StatutoryTable | None = None) -> list[Problem]:
    return validate_agreement_text(dump(data), "test-agreement.yaml", table or statutory())


def codes(data: Mapping[str, Any], severity: str = "error") -> list[str]:
    return [problem.code for problem in problems(data) if problem.severity == severity]


HEADER = (
    "worker_id",
    "month",
    "post",
    "level",
    "base_wage",
    "piece_pay",
    "skill_allowance",
    "other_pay",
    "overtime_pay",
    "overtime_weekday_hours",
    "overtime_rest_day_hours",
    "overtime_holiday_hours",
    "normal_hours",
    "contract_wage",
    "process",
    "pieces",
    "firm",
)


def csv_bytes(
    rows: Sequence[Mapping[str, Any]], header: Sequence[str] = HEADER, encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else str(row.get(name)) for name in header])
    return buffer.getvalue().encode(encoding)


def wage(**values: Any) -> dict[str, Any]:
    """A basic-post apprentice in January 2024 paid exactly the norm, no overtime; override any field."""
    row: dict[str, Any] = {
        "worker_id": "W1",
        "month": "2024-01",
        "post": "装配",
        "level": "学徒工",
        "base_wage": "2373.00",
    }
    row.update(values)
    return row


def check(rows: Sequence[Mapping[str, Any]], target: Agreement | None = None) -> Report:
    target = target or agreement()
    parsed, warnings = parse_rows(target, read_csv_bytes(csv_bytes(rows)))
    return check_rows(target, parsed, warnings)


def finding(report: Report, rule_id: str, index: int = 0) -> Any:
    matches = [item for item in report.results[index].findings if item.rule_id == rule_id]
    assert matches, f"{rule_id} not judged: {[item.rule_id for item in report.results[index].findings]}"
    return matches[0]
