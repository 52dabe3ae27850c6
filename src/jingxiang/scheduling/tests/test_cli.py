"""The command line, run as the web app's background task and operators would run it: a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from jingxiang.scheduling.tests.factories import instance_json

PEOPLE = {"a": ([0, 1], 2), "b": ([0, 1], 2), "c": ([1], 1)}
MEETINGS = [("ab", ["a", "b"], 2), ("ac", ["a", "c"], 1), ("bc", ["b", "c"], 3)]


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jingxiang.scheduling", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_solve_then_validate(tmp_path: Path) -> None:
    instance = _write(tmp_path / "instance.json", instance_json(2, [2], PEOPLE, MEETINGS))
    solved = _run("solve", instance, "--time-limit", "5")
    assert solved.returncode == 0, solved.stderr
    result = json.loads(solved.stdout)
    assert result["status"] == "optimal"
    assert result["scheduled_weight"] == result["upper_bound"] == 5
    assert {a["meeting_id"] for a in result["assignments"]} == {"ab", "bc"}
    assert result["unscheduled"][0]["meeting_id"] == "ac"
    schedule = _write(tmp_path / "schedule.json", result)
    checked = _run("validate", instance, schedule)
    assert checked.returncode == 0, checked.stdout


def test_validate_lists_every_violation(tmp_path: Path) -> None:
    instance = _write(tmp_path / "instance.json", instance_json(2, [2], PEOPLE, MEETINGS))
    broken = {
        "status": "optimal",
        "assignments": [
            {"meeting_id": "ab", "slot": "s0", "table": "t0"},
            {"meeting_id": "ac", "slot": "s0", "table": "t0"},
        ],
        "unscheduled": [],
        "scheduled_weight": 3,
        "upper_bound": 3,
        "idle_gaps": 0,
    }
    checked = _run("validate", instance, _write(tmp_path / "schedule.json", broken))
    assert checked.returncode == 1
    kinds = {line.split(":")[0] for line in checked.stdout.splitlines()}
    assert kinds == {
        "participant_unavailable",
        "participant_double_booked",
        "table_double_booked",
        "unscheduled_mismatch",
    }


def test_greedy_subcommand(tmp_path: Path) -> None:
    instance = _write(tmp_path / "instance.json", instance_json(2, [2], PEOPLE, MEETINGS))
    result = _run("greedy", instance)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["upper_bound"] is None
    assert data["scheduled_weight"] == 3  # first fit takes ab in s0 and ac in s1; bc no longer fits


def test_bad_instance_exits_2_with_all_errors(tmp_path: Path) -> None:
    data = instance_json(2, [2], PEOPLE, MEETINGS)
    data["meetings"].append({"id": "ab", "participants": ["a"], "weight": 1, "locked": None})
    data["meetings"][0]["participants"].append("ghost")
    result = _run("solve", _write(tmp_path / "instance.json", data))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "duplicate meeting id 'ab'" in result.stderr
    assert "unknown participant(s) ['ghost']" in result.stderr
    assert "needs at least two participants" in result.stderr
    assert "3 problem(s)" in result.stderr


def test_unreadable_and_invalid_json_exit_2(tmp_path: Path) -> None:
    missing = _run("solve", str(tmp_path / "missing.json"))
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    invalid = _run("validate", str(tmp_path / "bad.json"), str(tmp_path / "bad.json"))
    assert invalid.returncode == 2
    assert "is not valid JSON" in invalid.stderr


def test_conflicting_locks_exit_2_with_an_infeasible_result(tmp_path: Path) -> None:
    data = instance_json(2, [2], PEOPLE, MEETINGS, locked={"ab": (0, 0), "ac": (0, 0)})
    result = _run("solve", _write(tmp_path / "instance.json", data))
    assert result.returncode == 2
    assert json.loads(result.stdout)["status"] == "infeasible"
    assert "locked meetings 'ab' and 'ac' both use table 't0' in slot 's0'" in result.stderr
    assert "where participant 'c' is not present" in result.stderr


def test_previous_schedule_keeps_announced_meetings(tmp_path: Path) -> None:
    instance = _write(tmp_path / "instance.json", instance_json(2, [2], PEOPLE, MEETINGS))
    previous = {"assignments": [{"meeting_id": "ab", "slot": "s1", "table": "t0"}]}
    result = _run("solve", instance, "--previous", _write(tmp_path / "previous.json", previous))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"meeting_id": "ab", "slot": "s1", "table": "t0"} in data["assignments"]
    assert data["scheduled_weight"] == 2  # bc needs s1 too, so keeping ab costs weight


def test_bad_options_exit_2(tmp_path: Path) -> None:
    instance = _write(tmp_path / "instance.json", instance_json(2, [2], PEOPLE, MEETINGS))
    assert _run("solve", instance, "--time-limit", "0").returncode == 2
    assert _run("solve").returncode == 2  # argparse usage error


def test_package_does_not_import_django() -> None:
    code = "import sys, jingxiang.scheduling, jingxiang.scheduling.__main__; print('django' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"


def test_unrepresentable_numbers_and_deep_nesting_exit_2(tmp_path: Path) -> None:
    """Numbers a double cannot hold, NaN/Infinity and deep nesting: the usual "not valid JSON" error."""
    text = json.dumps(instance_json(2, [2], PEOPLE, MEETINGS))
    cases = {
        "1e400": text.replace('"capacity": 2', '"capacity": 1e400'),
        "digits": text.replace('"capacity": 2', '"capacity": ' + "9" * 5000),
        "nan": text.replace('"weight": 2', '"weight": NaN', 1),
        "infinity": text.replace('"weight": 2', '"weight": -Infinity', 1),
        "deep": text[:-1] + ', "notes": ' + "[" * 100_000 + "]" * 100_000 + "}",
    }
    for name, content in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_text(content, encoding="utf-8")
        good = _write(tmp_path / "good.json", instance_json(2, [2], PEOPLE, MEETINGS))
        for arguments in (("solve", str(path)), ("greedy", str(path)), ("validate", good, str(path))):
            result = _run(*arguments)
            assert result.returncode == 2, (name, arguments, result.stderr)
            assert f"{path.name} is not valid JSON" in result.stderr and "line 1 column" in result.stderr
            assert "Traceback" not in result.stderr
