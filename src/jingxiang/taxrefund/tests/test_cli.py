"""The command line as the counter or the agency would run it: JSON, text, exit codes, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from jingxiang.taxrefund.tests.conftest import case, dump, instant, line, purchase, rules_data, service


def cli(*arguments: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jingxiang.taxrefund", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        input=stdin,
    )


def write(tmp_path: Path, data: Any, name: str = "case.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_evaluate_prints_the_evaluation_as_json(tmp_path: Path) -> None:
    data = case(
        purchase("2025-06-05", line("1130.00"), service()), purchase("2025-06-05", line("199.99"), store="S2")
    )
    completed = cli("evaluate", write(tmp_path, data))
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["status"] == "ok" and result["totals"]["net_refund"] == "101.70"
    first, second = result["forms"]
    assert first["status"] == "pending_departure" and first["cash"]["cash_allowed"] is True
    assert first["lines"][1]["reasons"][0]["rule"] == "L-SERVICE"
    assert second["status"] == "refused" and second["reasons"][0]["rule"] == "P-THRESHOLD"
    assert "message_zh" in second["reasons"][0] and "message_en" in second["reasons"][0]


def test_text_summary_in_both_languages(tmp_path: Path) -> None:
    path = write(tmp_path, case(purchase(), instant_refunds=[instant()]))
    chinese = cli("evaluate", path, "--text")
    assert chinese.returncode == 0 and "实退 101.70" in chinese.stdout and "预付金 101.70" in chinese.stdout
    english = cli("evaluate", path, "--text", "--lang", "en", "--as-of", "2025-06-25")
    assert "recover 101.70 yuan by 2025-06-25" in english.stdout and "I-MISSING" in english.stdout


def test_stdin_and_rejections_exit_2_without_traceback(tmp_path: Path) -> None:
    completed = cli("evaluate", "-", stdin=json.dumps(case(purchase("2025-13-01", line("-1")))))
    assert completed.returncode == 2
    errors = json.loads(completed.stdout)["errors"]
    assert {error["path"] for error in errors} == {"/purchases/0/date", "/purchases/0/lines/0/amount"}
    assert "Traceback" not in completed.stderr and "/purchases/0/date" in completed.stderr


def test_odd_input_never_gives_a_traceback(tmp_path: Path) -> None:
    texts = [
        "",
        "{",
        "[" * 200_000,
        '{"traveller": NaN}',
        json.dumps(case(purchase())).replace('"1130.00"', "1e999999999"),
        json.dumps(case(purchase())).replace('"1130.00"', "9" * 50_000),
        '{"a": 1, "a": 1}',
        "\u0000",
    ]
    for number, text in enumerate(texts):
        completed = cli("evaluate", write(tmp_path, text, f"odd{number}.json"))
        assert completed.returncode == 2, (number, completed.stderr)
        assert "Traceback" not in completed.stderr and "internal error" not in completed.stderr
        assert len(completed.stderr) < 2000
    (tmp_path / "latin1.json").write_bytes(b'{"a": "\xe9"}')
    assert cli("evaluate", str(tmp_path / "latin1.json")).returncode == 2
    assert cli("evaluate", str(tmp_path / "missing.json")).returncode == 2
    assert cli("evaluate", write(tmp_path, case(purchase())), "--as-of", "yesterday").returncode == 2


def test_validate_rules_builtin_and_broken_file(tmp_path: Path) -> None:
    good = cli("validate-rules")
    assert good.returncode == 0 and json.loads(good.stdout)["status"] == "valid"
    data = rules_data()
    data["periods"][0]["refund_rates"]["value"][0]["refund_percent"] = 12
    data["texts"][0]["message_zh"] = "{nothing}"
    bad = cli("validate-rules", write(tmp_path, dump(data), "rules.yaml"))
    assert bad.returncode == 2
    found = {error["code"] for error in json.loads(bad.stdout)["errors"]}
    assert {"refund_above_vat", "unknown_figure"} <= found


def test_evaluate_with_another_rules_file(tmp_path: Path) -> None:
    data = rules_data()
    data["regions"][0]["agency_fee_percent"]["value"] = 1
    rules = write(tmp_path, dump(data), "rules.yaml")
    completed = cli("evaluate", write(tmp_path, case(purchase())), "--rules", rules)
    assert json.loads(completed.stdout)["totals"]["net_refund"] == "113.00"
    broken = write(tmp_path, "format: x\n", "broken.yaml")
    refused = cli("evaluate", write(tmp_path, case(purchase())), "--rules", broken)
    assert refused.returncode == 2 and json.loads(refused.stdout)["status"] == "rules_invalid"


def test_the_shipped_example_case() -> None:
    example = str(Path(__file__).resolve().parent.parent / "examples" / "duqiao-instant.json")
    result = json.loads(cli("evaluate", example).stdout)
    first, second = result["forms"]
    assert (first["refund"], first["agency_fee"], first["net_refund"]) == ("244.20", "44.40", "199.80")
    assert first["instant"]["outcome"] == "recover"
    assert first["instant"]["recovery"] == {"amount": "199.80", "latest_date": "2025-06-25"}
    assert second["reasons"][0]["rule"] == "P-THRESHOLD"
    released = cli("evaluate", example, "--as-of", "2025-06-20")
    assert json.loads(released.stdout)["forms"][0]["instant"]["outcome"] == "awaiting_verification"
