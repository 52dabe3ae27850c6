"""The command line, run as the union would run it: reports, exit codes, and no traceback ever."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

from jingxiang.wages.tests.conftest import AGREEMENT, STATUTORY, agreement_data, csv_bytes, dump, wage

EXAMPLE = str(resources.files("jingxiang.wages").joinpath("agreements", "linhai-eyewear.yaml"))


def cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jingxiang.wages", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def files(tmp_path: Path, rows: list[dict], data: dict | None = None) -> tuple[str, str, str]:
    agreement = tmp_path / "agreement.yaml"
    agreement.write_text(dump(data or AGREEMENT), encoding="utf-8")
    minimum = tmp_path / "minimum.yaml"
    minimum.write_text(dump(STATUTORY), encoding="utf-8")
    wages = tmp_path / "wages.csv"
    wages.write_bytes(csv_bytes(rows))
    return str(agreement), str(wages), str(minimum)


def test_check_text_report_names_row_rule_and_shortfall(tmp_path: Path) -> None:
    agreement, wages, minimum = files(tmp_path, [wage(), wage(worker_id="W2", base_wage="2372.99")])
    completed = cli("check", agreement, wages, "--minimum", minimum)
    assert completed.returncode == 0, completed.stderr
    assert "第 3 行" in completed.stdout and "W-NORM" in completed.stdout and "差额 0.01" in completed.stdout
    english = cli("check", agreement, wages, "--minimum", minimum, "--lang", "en")
    assert "row 3" in english.stdout and "shortfall 0.01" in english.stdout


def test_check_json_and_fail_on_violation(tmp_path: Path) -> None:
    agreement, wages, minimum = files(tmp_path, [wage(), wage(worker_id="W2", base_wage="2000")])
    completed = cli("check", agreement, wages, "--minimum", minimum, "--json", "--fail-on-violation")
    assert completed.returncode == 1
    report = json.loads(completed.stdout)
    assert report["summary"]["rows"] == 2 and report["summary"]["rows_failed"] == 1
    assert [row["worker_id"] for row in report["rows"]] == ["W2"]
    everything = json.loads(cli("check", agreement, wages, "--minimum", minimum, "--json", "--all").stdout)
    assert len(everything["rows"]) == 2


def test_check_rejects_bad_rows_with_exit_2(tmp_path: Path) -> None:
    agreement, wages, minimum = files(
        tmp_path, [wage(post="喷漆"), wage(worker_id="W2", overtime_rest_day_hours="-3")]
    )
    completed = cli("check", agreement, wages, "--minimum", minimum, "--json")
    assert completed.returncode == 2
    errors = json.loads(completed.stdout)["errors"]
    assert [(error["row"], error["field"]) for error in errors] == [
        (2, "post"),
        (3, "overtime_rest_day_hours"),
    ]
    assert "Traceback" not in completed.stderr and "row 2" in completed.stderr


def test_huge_numbers_never_give_a_traceback(tmp_path: Path) -> None:
    rows = [
        wage(base_wage="9" * 100000),
        wage(worker_id="W2", overtime_pay="1e999999999"),
        wage(worker_id="W3", normal_hours="-1e-999999"),
    ]
    agreement, wages, minimum = files(tmp_path, rows)
    completed = cli("check", agreement, wages, "--minimum", minimum)
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr and "internal error" not in completed.stderr
    assert completed.stderr.count("error:") == 3


def test_huge_numbers_in_an_agreement_are_refused_cleanly(tmp_path: Path) -> None:
    data = agreement_data()
    data["terms"][0]["minimum_wage"]["basic"]["学徒工"] = "1e999999999"
    path = tmp_path / "agreement.yaml"
    path.write_text(dump(data).replace("'1e999999999'", "1.0e999999999"), encoding="utf-8")
    minimum = tmp_path / "minimum.yaml"
    minimum.write_text(dump(STATUTORY), encoding="utf-8")
    completed = cli("validate", str(path), "--minimum", str(minimum))
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr and "internal error" not in completed.stderr


def test_validate_example_and_broken_agreement(tmp_path: Path) -> None:
    good = cli("validate", EXAMPLE)
    assert good.returncode == 0 and good.stdout.startswith("valid")
    data = agreement_data(term={"effective_from": "2025-12-01", "expires_on": "2026-11-30"})
    data["terms"][0]["minimum_wage"]["basic"]["学徒工"] = 2300
    data["terms"][0]["minimum_wage"]["basic"]["初级工"] = 2300
    path, _, minimum = files(tmp_path, [], data)
    bad = cli("validate", path, "--minimum", minimum, "--json")
    assert bad.returncode == 2
    found = {error["code"] for error in json.loads(bad.stdout)["errors"]}
    assert {"below_class_floor", "level_no_step"} <= found


def test_norm_command_for_the_self_check_page() -> None:
    completed = cli("norm", EXAMPLE, "--post", "电镀", "--level", "高级工", "--month", "2026-05", "--json")
    assert completed.returncode == 0, completed.stderr
    norm = json.loads(completed.stdout)
    assert (
        norm["norm"] == "3230.00"
        and norm["post_class"]["name_zh"] == "重要类"
        and norm["statutory_minimum"] == "2260.00"
    )
    text = cli(
        "norm", EXAMPLE, "--post", "电镀", "--level", "高级工", "--month", "2026-05", "--region", "临海市"
    )
    assert "3230.00" in text.stdout


def test_norm_command_refuses_unknown_input_listing_every_problem() -> None:
    completed = cli("norm", EXAMPLE, "--post", "喷漆", "--level", "大师", "--month", "2030-01", "--json")
    assert completed.returncode == 2
    assert [error["code"] for error in json.loads(completed.stdout)["errors"]] == [
        "unknown_post",
        "unknown_level",
    ]
    outside = cli("norm", EXAMPLE, "--post", "电镀", "--level", "高级工", "--month", "2030-01")
    assert outside.returncode == 2 and "outside every term" in outside.stderr
    region = cli(
        "norm", EXAMPLE, "--post", "电镀", "--level", "高级工", "--month", "2026-01", "--region", "杭州市"
    )
    assert region.returncode == 2 and "covers 临海市" in region.stderr


def test_missing_files_exit_2(tmp_path: Path) -> None:
    assert cli("check", str(tmp_path / "none.yaml"), str(tmp_path / "none.csv")).returncode == 2
    missing_wages = cli("check", EXAMPLE, str(tmp_path / "none.csv"))
    assert missing_wages.returncode == 2 and "Traceback" not in missing_wages.stderr


def test_header_command() -> None:
    assert cli("header").stdout.startswith("企业,工号,月份")
