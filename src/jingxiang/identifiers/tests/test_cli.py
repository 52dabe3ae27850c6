"""``python -m jingxiang.identifiers``: kind guessing, check output and exit status, generation."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from jingxiang.identifiers import is_valid_resident_id, is_valid_uscc
from jingxiang.identifiers.__main__ import guess_kind, main


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("91350100M000100Y43", "uscc"),
        ("911100001000079554", "uscc"),  # all digits, but valid only as a USCC
        ("11010519491231002X", "resident_id"),
        ("110105194912310021", "resident_id"),  # wrong check digit: still reported as an ID number
        ("110105491231002", "resident_id"),
        ("+86 138 1234 1234", "mobile"),
    ],
)
def test_guess_kind(value: str, kind: str) -> None:
    assert guess_kind(value) == kind


def test_check_prints_json_and_fails_on_any_invalid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "91350100M000100Y43", "13812341234"]) == 0
    assert main(["check", "91350100M000100Y43", "12812341234"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[-1] == {
        "value": "12812341234",
        "kind": "mobile",
        "valid": False,
        "code": "mobile_prefix",
        "message": "A mainland China mobile number starts with 13 to 19.",
    }


@pytest.mark.parametrize(
    ("kind", "is_valid"), [("uscc", is_valid_uscc), ("resident_id", is_valid_resident_id)]
)
def test_generate(capsys: pytest.CaptureFixture[str], kind: str, is_valid: Callable[[str], bool]) -> None:
    assert main(["generate", kind, "--seed", "3", "--count", "4"]) == 0
    values = capsys.readouterr().out.split()
    assert len(values) == 4 and all(is_valid(value) for value in values)
