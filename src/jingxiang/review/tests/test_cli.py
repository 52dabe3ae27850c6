"""The command line, run as the fund and competition apps' tasks and operators would: a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jingxiang.review.tests.factories import collaboration, instance, reviewer, score_input, submission

pytestmark = pytest.mark.slow  # every test starts a Python process that imports OR-Tools

DATA = instance(
    [reviewer("r1", "uni", ["lens"]), reviewer("r2", "lab", ["frame"]), reviewer("r3", "firm-a", ["lens"])],
    [
        submission("s1", "firm-a", ["p1"], ["lens"], needed=2),
        submission("s2", "firm-b", ["p2"], ["frame"], needed=3),
    ],
    [collaboration(("person", "r2"), ("person", "p2"), "co_applicants", "2024-01-01")],
)


def _run(*arguments: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [sys.executable, "-m", "jingxiang.review", *arguments],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return subprocess.CompletedProcess(
        completed.args, completed.returncode, completed.stdout.decode(), completed.stderr.decode()
    )


def _write(path: Path, data: Any) -> str:
    path.write_text(
        data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return str(path)


def test_assign_then_validate(tmp_path: Path) -> None:
    source = _write(tmp_path / "instance.json", DATA)
    completed = _run("assign", source)
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["status"] == "optimal"
    assert {(a["submission"], a["reviewer"]) for a in result["assignments"]} == {("s1", "r1"), ("s1", "r2")}
    assert result["uncovered"][0]["cause"] == "conflicts"
    assert "warning: 1 submission(s) could not be covered" in completed.stderr
    assert "'s2': only 2 eligible reviewers after conflicts, 3 needed" in completed.stderr
    checked = _run("validate", source, _write(tmp_path / "result.json", result))
    assert checked.returncode == 0, checked.stdout


def test_assign_reads_standard_input_and_greedy_works(tmp_path: Path) -> None:
    completed = _run("assign", stdin=json.dumps(DATA))
    assert completed.returncode == 0, completed.stderr
    greedy = _run("assign", "-", "--greedy", "load", stdin=json.dumps(DATA))
    assert greedy.returncode == 0, greedy.stderr
    assert json.loads(greedy.stdout)["method"] == "greedy (load first)"


def test_validate_reports_violations_with_exit_1(tmp_path: Path) -> None:
    result = json.loads(_run("assign", stdin=json.dumps(DATA)).stdout)
    result["assignments"].append({"submission": "s1", "reviewer": "r3", "fit": 1})
    checked = _run("validate", _write(tmp_path / "i.json", DATA), _write(tmp_path / "r.json", result))
    assert checked.returncode == 1
    assert (
        "conflict_of_interest: reviewer 'r3' works at the submitting organisation 'firm-a'" in checked.stdout
    )


def test_bad_instance_lists_every_problem_with_lines(tmp_path: Path) -> None:
    data = json.loads(json.dumps(DATA))
    data["reviewers"][1]["max_load"] = -3
    data["submissions"][0]["reviewers_needed"] = "two"
    completed = _run("assign", _write(tmp_path / "bad.json", data))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert "error: the input has 2 problems:" in completed.stderr
    text = (tmp_path / "bad.json").read_text(encoding="utf-8").splitlines()
    load_line = next(n for n, line in enumerate(text, 1) if '"max_load": -3' in line)
    assert (
        f"- line {load_line}, reviewers[1].max_load: must be a whole number from 0 to 500, got -3"
        in completed.stderr
    )


def test_invalid_json_gives_line_and_column(tmp_path: Path) -> None:
    completed = _run("assign", _write(tmp_path / "bad.json", '{\n "reviewers": [\n  {"id": 1,,}\n ]\n}'))
    assert completed.returncode == 2
    assert "line 3, input:" in completed.stderr and "is not valid JSON" in completed.stderr
    assert "(column 12)" in completed.stderr


def test_huge_numbers_and_deep_nesting_are_clear_errors(tmp_path: Path) -> None:
    data = json.dumps(DATA).replace('"max_load": 5', '"max_load": ' + "9" * 10_000, 1)
    huge = _run("assign", stdin=data)
    assert huge.returncode == 2 and "Traceback" not in huge.stderr
    assert "line 1, reviewers[0].max_load: standard input is not valid JSON" in huge.stderr
    assert "number too large to represent: 999999999999…(10000 characters)" in huge.stderr
    assert len(huge.stderr) < 2000
    infinite = _run("assign", stdin=json.dumps(DATA).replace('"max_load": 5', '"max_load": 1e999', 1))
    assert infinite.returncode == 2 and "reviewers[0].max_load" in infinite.stderr
    assert "number too large to represent: 1e999" in infinite.stderr
    nan = _run("score", stdin=json.dumps(score_input([("r", "s", "c", 5)])).replace("5}", "NaN}"))
    assert nan.returncode == 2 and "scores[0].value: standard input is not valid JSON" in nan.stderr
    assert "NaN is not a JSON number" in nan.stderr
    deep = _run("score", stdin='{"scores": ' + "[" * 50_000 + "]" * 50_000 + "}")
    assert deep.returncode == 2 and "Traceback" not in deep.stderr
    assert "line 1, input: standard input is not valid JSON: nested deeper than 64 levels" in deep.stderr


def test_unreadable_input(tmp_path: Path) -> None:
    missing = _run("assign", str(tmp_path / "missing.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    binary = _run("score", stdin=b"\xff\xfe{}")
    assert binary.returncode == 2 and "is not UTF-8 text" in binary.stderr


def test_a_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "excel.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(DATA).encode())
    assert _run("assign", str(path)).returncode == 0


def test_score_ranks_and_refuses_out_of_scale(tmp_path: Path) -> None:
    scores = [("a", "s1", "c", 8), ("a", "s2", "c", 4), ("b", "s1", "c", 6), ("b", "s2", "c", 5)]
    completed = _run(
        "score", _write(tmp_path / "scores.json", score_input(scores, parameters={"min_scores": 2}))
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert [entry["submission"] for entry in result["ranking"]] == ["s1", "s2"]
    assert result["ranking"][0]["raw_rank"] == 1
    bad = score_input([("a", "s1", "c", 8), ("a", "s2", "c", 12)])
    refused = _run("score", _write(tmp_path / "bad.json", bad))
    assert refused.returncode == 2 and refused.stdout == ""
    line = next(
        n
        for n, text in enumerate((tmp_path / "bad.json").read_text().splitlines(), 1)
        if '"value": 12' in text
    )
    assert (
        f"- line {line}, scores[1].value: reviewer 'a' on submission 's2', criterion 'c': 12 is outside the "
        "scale 0–10; refused"
    ) in refused.stderr


def test_bad_options_exit_2() -> None:
    assert _run("assign", "--time-limit", "0", stdin="{}").returncode == 2
    assert _run().returncode == 2  # argparse usage error


def test_package_does_not_import_django() -> None:
    code = (
        "import sys, jingxiang.review, jingxiang.review.__main__; "
        "print(any(name == 'django' or name.startswith('django.') for name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"
