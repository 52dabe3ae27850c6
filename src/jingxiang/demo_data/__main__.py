"""``python -m jingxiang.demo_data --seed N --scale K --format jsonl|summary``

Dumps the generated cluster for inspection: ``jsonl`` writes one JSON object per record (a ``type``
field says organisation, talent, persona or product); ``summary`` prints counts per kind.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, TextIO

from jingxiang.demo_data.generator import DEFAULT_SEED, generate_cluster
from jingxiang.demo_data.records import Cluster


def _plain(value: Any) -> Any:
    """JSON-ready form: enums by value, Decimal as a string (no float rounding), dates ISO."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def cluster_records(cluster: Cluster) -> Iterator[dict[str, Any]]:
    """Every record of the cluster as a plain dict with a ``type`` field, in a stable order."""
    for record_type, records in (
        ("product", cluster.products),
        ("organisation", cluster.organisations),
        ("talent", cluster.talents),
        ("persona", cluster.personas),
    ):
        for record in records:
            yield {"type": record_type, **_plain(record)}


def write_jsonl(cluster: Cluster, stream: TextIO) -> None:
    for record in cluster_records(cluster):
        stream.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def write_summary(cluster: Cluster, stream: TextIO) -> None:
    stream.write(f"seed={cluster.seed} scale={cluster.scale} reference_date={cluster.reference_date}\n")
    for label, counter in (
        ("organisations", Counter(o.kind.value for o in cluster.organisations)),
        ("talents", Counter(t.kind.value for t in cluster.talents)),
        ("talent levels", Counter(t.level for t in cluster.talents)),
    ):
        total = sum(counter.values())
        parts = ", ".join(f"{key} {count}" for key, count in sorted(counter.items()))
        stream.write(f"{label}: {total} ({parts})\n")
    stream.write("personas: " + ", ".join(p.username for p in cluster.personas) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jingxiang.demo_data", description=__doc__)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--scale", type=int, default=1, help="multiplies firms, institutions and talents")
    parser.add_argument("--format", choices=("jsonl", "summary"), default="summary")
    arguments = parser.parse_args(argv)
    if arguments.scale < 1:
        parser.error("--scale must be at least 1")
    cluster = generate_cluster(seed=arguments.seed, scale=arguments.scale)
    if arguments.format == "jsonl":
        write_jsonl(cluster, sys.stdout)
    else:
        write_summary(cluster, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
