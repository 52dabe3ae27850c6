"""The command line, run as the lab would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

from jingxiang.quality.tests.test_rules_files import BROKEN

RULES = resources.files("jingxiang.quality").joinpath("rules")


def cli(*arguments: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jingxiang.quality", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_judge_writes_a_verdict(tmp_path: Path) -> None:
    case = {
        "case_id": "CLI-1",
        "product_type": "sunglasses",
        "standard": "GB 39552.1",
        "test_date": "2024-06-01",
        "units": {"transmittance": "percent"},
        "nominal": {"declared_category": 3},
        "measured": {"luminous_transmittance": 12.0},
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    completed = cli("judge", str(path))
    assert completed.returncode == 0, completed.stderr
    verdict = json.loads(completed.stdout)
    assert verdict["case_id"] == "CLI-1"
    assert verdict["standard"]["designation"] == "GB 39552.1-2020"
    assert verdict["overall"] == "incomplete"
    category = next(item for item in verdict["items"] if item["rule_id"] == "S-CAT")
    assert category["status"] == "pass"
    assert category["measured"] == "12.0"


def test_judge_rejects_bad_input_with_exit_code_2() -> None:
    completed = cli(
        "judge",
        "-",
        stdin='{"product_type": "frame", "standard": "GB/T 14214-2019", "measured": {"nickel_release": -1}}',
    )
    assert completed.returncode == 2
    payload = json.loads(completed.stdout)
    assert payload["status"] == "rejected"
    assert payload["errors"][0]["path"] == "/measured/nickel_release"
    assert "Traceback" not in completed.stderr


def test_judge_malformed_json_and_missing_file_exit_2(tmp_path: Path) -> None:
    assert cli("judge", "-", stdin="{oops").returncode == 2
    missing = cli("judge", str(tmp_path / "nope.json"))
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr


def test_validate_rules_accepts_shipped_files_and_lists_every_error(tmp_path: Path) -> None:
    good = cli("validate-rules", str(RULES.joinpath("gb-13511.1-2011.yaml")))
    assert good.returncode == 0, good.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    bad = cli("validate-rules", str(broken))
    assert bad.returncode == 2
    assert len(json.loads(bad.stdout)["errors"]) >= 10


def test_list_shows_standards_and_catalogues() -> None:
    completed = cli("list", "--product-type", "ready_made_readers", "--on", "2024-01-01")
    assert completed.returncode == 0
    listing = json.loads(completed.stdout)
    assert [entry["designation"] for entry in listing["standards"]] == ["GB 13511.1-2011"]
    rule_ids = {item["rule_id"] for item in listing["standards"][0]["catalogue"]["ready_made_readers"]}
    assert "R-OC" in rule_ids
    assert "A-OCH" not in rule_ids
    assert len(listing["product_types"]) == 7


def test_judge_with_an_extra_rules_file(tmp_path: Path) -> None:
    from jingxiang.quality.tests.test_rules_files import MINIMAL

    rules = tmp_path / "test-1.yaml"
    rules.write_text(MINIMAL, encoding="utf-8")
    case = tmp_path / "case.json"
    case.write_text(
        json.dumps({"product_type": "frame", "standard": "TEST-1", "measured": {"nickel_release": 0.6}})
    )
    completed = cli("judge", str(case), "--rules", str(rules))
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["overall"] == "fail"


CASE = (
    '{"case_id": "BIG", "product_type": "sunglasses", "standard": "GB 39552.1", "test_date": "2024-06-01",'
    ' "units": {"transmittance": "percent"}, "measured": {"luminous_transmittance": VALUE}}'
)


def test_judge_refuses_unrepresentable_numbers_and_deep_nesting() -> None:
    for value, words in (
        ("1e400", "number too large to represent"),
        ("1e999999999", "number too large to represent"),
        ("9" * 5000, "number too large to represent"),
        ("NaN", "NaN is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
        ('"1e999999999"', "number too large to represent"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper than"),
    ):
        completed = cli("judge", "-", stdin=CASE.replace("VALUE", value))
        assert completed.returncode == 2, (value[:20], completed.stderr)
        payload = json.loads(completed.stdout)
        assert payload["status"] == "rejected" and words in payload["errors"][0]["message"]
        assert "Traceback" not in completed.stderr


def test_rules_files_with_unrepresentable_numbers_or_deep_nesting_are_invalid(tmp_path: Path) -> None:
    for name, text, words in (
        ("deep.yaml", "[" * 100_000 + "]" * 100_000, "nested deeper than"),
        ("digits.yaml", "designation: " + "9" * 5000, "number too large to represent"),
        ("float.yaml", "designation: 1.5e+999999999", "number too large to represent"),
        ("nan.yaml", "designation: x\nlimit: .nan", "is not a finite number"),
        ("sexagesimal.yaml", "limit: 1:30.5", "is not a decimal number"),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        for arguments in (("validate-rules", str(path)), ("list", "--rules", str(path))):
            completed = cli(*arguments)
            assert completed.returncode == 2, (name, arguments, completed.stderr)
            assert words in json.loads(completed.stdout)["errors"][0]["message"], completed.stdout
            assert "line" in completed.stderr and "Traceback" not in completed.stderr
