"""The command line, run as a user would: a subprocess with files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SUPPLIERS

SRC = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jingxiang.matching", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def supplier_line(supplier) -> str:
    record = {
        "id": supplier.id,
        "kind": supplier.kind,
        "name": supplier.name,
        "org": supplier.org,
        "title": supplier.title,
        "skills": list(supplier.skills),
        "description": supplier.description,
        "region": supplier.region,
        "hours_per_month": supplier.hours_per_month,
    }
    return json.dumps(record, ensure_ascii=False)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("cli")
    demands = [
        {
            "id": "D1",
            "enterprise": "康波",
            "title": "膜层问题",
            "description": "镜片戴一段时间膜层起皱脱落",
            "category": "技术研发",
            "region": "临海",
            "hours_needed": 10,
        },
        {
            "id": "D2",
            "enterprise": "某厂",
            "title": "",
            "description": "<b>鏡架電鍍</b>起泡😀",
            "category": "不存在",
            "region": "",
            "hours_needed": 0,
        },
    ]
    return {
        "suppliers": write(base / "s.jsonl", [supplier_line(s) for s in SUPPLIERS]),
        "demands": write(base / "d.jsonl", [json.dumps(d, ensure_ascii=False) for d in demands]),
        "base": base,
    }


def test_rank_writes_one_line_per_demand(files):
    result = run(
        "rank", "--suppliers", str(files["suppliers"]), "--demands", str(files["demands"]), "--top", "3"
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["demand_id"] for line in lines] == ["D1", "D2"]
    first = lines[0]["ranking"]
    assert len(first) <= 3 and first[0]["supplier_id"] == "lens-coat"
    assert set(first[0]) == {"supplier_id", "score", "why"} and first[0]["why"]
    scores = [item["score"] for item in first]
    assert scores == sorted(scores, reverse=True)
    assert lines[1]["ranking"][0]["supplier_id"] == "frame-plater"
    assert any("未知类别" in note for note in lines[1]["notes"])


def test_rank_demands_and_evaluate(files):
    result = run(
        "rank-demands",
        "--suppliers",
        str(files["suppliers"]),
        "--demands",
        str(files["demands"]),
        "--supplier-id",
        "frame-plater",
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["supplier_id"] == "frame-plater" and line["ranking"][0]["demand_id"] == "D2"
    qrels = write(
        files["base"] / "q.jsonl", [json.dumps({"demand_id": "D1", "supplier_id": "lens-coat", "grade": 3})]
    )
    result = run(
        "evaluate",
        "--suppliers",
        str(files["suppliers"]),
        "--demands",
        str(files["demands"]),
        "--qrels",
        str(qrels),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ndcg@10"] == 1.0


def test_malformed_lines_are_all_reported_with_line_numbers(files):
    bad = write(
        files["base"] / "bad.jsonl",
        [
            supplier_line(SUPPLIERS[0]),
            "{not json",
            "",
            json.dumps({"id": "x", "kind": "wizard", "name": "n"}),
            json.dumps({"id": "y", "kind": "expert", "hours_per_month": "lots"}),
            json.dumps([1, 2]),
            supplier_line(SUPPLIERS[0]),
        ],
    )
    result = run("rank", "--suppliers", str(bad), "--demands", str(files["demands"]))
    assert result.returncode == 2
    assert result.stdout == ""
    for number, words in (
        (2, "invalid JSON"),
        (4, "unknown kind"),
        (5, "hours_per_month"),
        (6, "JSON object"),
        (7, "duplicate id"),
    ):
        assert f"bad.jsonl:{number}: " in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_and_unknown_supplier_exit_2(files):
    result = run("rank", "--suppliers", str(files["base"] / "nope.jsonl"), "--demands", str(files["demands"]))
    assert result.returncode == 2 and "cannot read" in result.stderr
    result = run(
        "rank-demands",
        "--suppliers",
        str(files["suppliers"]),
        "--demands",
        str(files["demands"]),
        "--supplier-id",
        "ghost",
    )
    assert result.returncode == 2 and "ghost" in result.stderr


def test_check_knowledge():
    result = run("check-knowledge")
    assert result.returncode == 0 and result.stdout.startswith("ok:")


def test_engine_does_not_import_django():
    code = (
        "import sys, jingxiang.matching, jingxiang.matching.cli, jingxiang.matching.engine;"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr


UNREPRESENTABLE = [
    ('{"id": "D9", "title": "膜层", "hours_needed": 1e400}', "number too large"),
    ('{"id": "D9", "title": "膜层", "hours_needed": ' + "9" * 5000 + "}", "number too large"),
    ('{"id": "D9", "title": "膜层", "hours_needed": NaN}', "NaN is not a JSON number"),
    ('{"id": "D9", "title": Infinity}', "Infinity is not a JSON number"),
    ('{"id": -Infinity, "title": "膜层"}', "-Infinity is not a JSON number"),
    ('{"id": "D9", "x": ' + "[" * 99_000 + "]" * 99_000 + "}", "nested deeper than"),
]


@pytest.mark.parametrize(
    ("line", "words"), UNREPRESENTABLE, ids=["1e400", "5000-digits", "NaN", "Inf", "-Inf", "deep"]
)
def test_unrepresentable_numbers_and_deep_nesting_are_bad_lines(files, line, words):
    demands = write(files["base"] / "huge.jsonl", [json.dumps({"id": "D1", "title": "膜层"}), line])
    result = run("rank", "--suppliers", str(files["suppliers"]), "--demands", str(demands))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert f"huge.jsonl:2: invalid JSON ({words}" in result.stderr
    assert "Traceback" not in result.stderr


def test_feedback_and_labels_are_read_as_strictly(files):
    deep = write(files["base"] / "deep.jsonl", ["[" * 99_000 + "]" * 99_000])
    big = write(files["base"] / "big.jsonl", ['{"demand_id": "D1", "supplier_id": "x", "grade": 1e999}'])
    common = ["--suppliers", str(files["suppliers"]), "--demands", str(files["demands"])]
    for result, name in (
        (run("rank", *common, "--feedback", str(deep)), "deep.jsonl:1: invalid JSON (nested deeper"),
        (run("evaluate", *common, "--qrels", str(deep)), "deep.jsonl:1: invalid JSON (nested deeper"),
        (run("evaluate", *common, "--qrels", str(big)), "big.jsonl:1: invalid JSON (number too large"),
    ):
        assert result.returncode == 2 and name in result.stderr and "Traceback" not in result.stderr
