"""The published JSON Schemas agree with the examples, the engine's outputs and the docs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from jingxiang.review import (
    assign,
    assign_instance_from_json,
    assign_result_to_json,
    score,
    score_instance_from_json,
    score_result_to_json,
    validate,
)
from jingxiang.review.tests.test_properties import instances

PACKAGE = Path(__file__).resolve().parents[1]
DOCS = PACKAGE.parents[2] / "docs" / "review.md"


def _schema(name: str) -> Draft202012Validator:
    schema = json.loads((PACKAGE / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _example(name: str) -> Any:
    return json.loads((PACKAGE / "examples" / f"{name}.json").read_text(encoding="utf-8"))


def _errors(validator: Draft202012Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, error.path))}: {error.message}" for error in validator.iter_errors(data)]


def test_assign_example_matches_both_schemas_and_passes_the_validator() -> None:
    data = _example("assign")
    assert _errors(_schema("assign-input"), data) == []
    result = assign_result_to_json(assign(assign_instance_from_json(data), workers=1))
    assert _errors(_schema("assign-result"), result) == []
    assert validate(data, result) == []
    assert result["status"] == "optimal" and [u["submission"] for u in result["uncovered"]] == ["E-004"]


def test_score_example_matches_both_schemas() -> None:
    data = _example("score")
    assert _errors(_schema("score-input"), data) == []
    result = score_result_to_json(score(score_instance_from_json(data)))
    assert _errors(_schema("score-result"), result) == []
    assert result["outliers"], "the example is meant to show a flagged total"


def test_schemas_refuse_what_the_engine_refuses_at_field_level() -> None:
    data = _example("assign")
    data["reviewers"][0]["max_laod"] = 3
    data["submissions"][0]["reviewers_needed"] = 0
    assert len(_errors(_schema("assign-input"), data)) == 2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_generated_instance_and_result_matches_the_schemas(data: dict[str, Any]) -> None:
    assert _errors(_schema("assign-input"), data) == []
    result = assign_result_to_json(assign(assign_instance_from_json(data), time_limit_seconds=5, workers=1))
    assert _errors(_schema("assign-result"), result) == []


def test_json_blocks_in_the_docs_are_valid_json() -> None:
    if not DOCS.exists():
        pytest.skip("docs/review.md is only in a source checkout")
    blocks = re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) >= 4
    for block in blocks:
        json.loads(block)
