"""Assemble docs/benchmarks.md from the results each benchmark writes (bench/*/RESULTS.md).

Run after the benchmarks: `make bench-web bench-matching bench-scheduling bench-review bench-wages && python bench/report.py`.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SECTIONS = [
    (
        "Web pages under load (issue 2)",
        "bench/web/RESULTS.md",
        "Target: list pages and the home page run a fixed number of queries whatever the page size (asserted in "
        "the test suite), and stay fast on 10× the demo data in PostgreSQL under concurrent load. "
        "Reproduce: `make bench-web`.",
    ),
    (
        "Matching engine (issue 4)",
        "bench/matching/RESULTS.md",
        "Targets: with 100,000 suppliers on 2 cores, build the index in under 30 s, rank one demand in under "
        "50 ms at p95, re-rank 10,000 demands in under 2 minutes, in under 2 GB of memory. Quality baselines: "
        "character-bigram BM25 and plain jieba BM25 on the same labelled set. Reproduce: `make bench-matching`.",
    ),
    (
        "Meeting scheduler (issue 5)",
        "bench/scheduling/RESULTS.md",
        "Targets: 300 participants, 1,500 accepted requests, 12 slots, 60 tables solved within 60 s on 2 cores "
        "with a gap of at most 1 % to the proven bound; baseline: first-fit greedy of the kind event tools use. "
        "Reproduce: `make bench-scheduling`.",
    ),
    (
        "Review engine (issue 15)",
        "bench/review/RESULTS.md",
        "Targets: 2,000 submissions × 300 reviewers × 3 reviews with 5 % conflict pairs assigned in under 60 s on "
        "2 cores with 0 conflicts; fit and loads against greedy baselines; Kendall tau of the normalised and the "
        "raw ranking to the true one for judges of different strictness. Reproduce: `make bench-review`.",
    ),
    (
        "Wage engine (issue 17)",
        "bench/wages/RESULTS.md",
        "Target: 63,000 worker-month rows (the workers the Linhai eyewear wage norm covers) checked against the "
        "agreement in under 10 s on 2 cores, from CSV and from .xlsx. Reproduce: `make bench-wages`.",
    ),
]


def demote(markdown: str) -> str:
    """Push every heading one level down and drop HTML comments used as section markers."""
    markdown = re.sub(r"<!--.*?-->\n?", "", markdown)
    return re.sub(r"^(#+) ", lambda m: "#" + m.group(1) + " ", markdown, flags=re.MULTILINE)


def main() -> None:
    parts = [
        "# Benchmarks",
        "",
        "Every figure below comes from a script in `bench/` with its own data generator and can be reproduced "
        "with the command given. Machines are 2-core; where other work shared the machine the results say so "
        "and give CPU time beside wall-clock time.",
        "",
    ]
    for title, path, intro in SECTIONS:
        parts += [f"## {title}", "", intro, ""]
        source = ROOT / path
        if source.exists():
            body = source.read_text(encoding="utf-8")
            body = re.sub(r"^# .*\n", "", body, count=1)
            parts += [demote(body).strip(), ""]
        else:
            parts += ["_Not run yet._", ""]
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(parts) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
