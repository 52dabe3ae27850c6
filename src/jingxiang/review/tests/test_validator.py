"""The independent validator: every violation kind on hand-broken results."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from jingxiang.review import assign, assign_instance_from_json, assign_result_to_json, validate
from jingxiang.review.tests.factories import collaboration, instance, reviewer, submission

DATA = instance(
    [
        reviewer("r1", "uni", ["lens"], max_load=2),
        reviewer("r2", "uni", ["frame"], max_load=2),
        reviewer("r3", "lab", ["lens"], max_load=2),
        reviewer("r4", "firm-a", [], max_load=2),
        reviewer("r5", None, [], max_load=0),
    ],
    [
        submission("s1", "firm-a", team=["p1"], tags=["lens"], needed=2),
        submission("s2", "firm-b", team=["p2"], tags=["frame"], needed=1),
        submission("s3", "firm-c", team=["p3"], needed=4),
    ],
    [collaboration(("person", "r2"), ("person", "p2"), "co_applicants", "2024-01-01")],
)


def _good() -> dict[str, Any]:
    return assign_result_to_json(assign(assign_instance_from_json(DATA), workers=1))


def _kinds(result: dict[str, Any]) -> set[str]:
    return {violation.kind for violation in validate(DATA, result)}


def test_the_solvers_result_is_valid() -> None:
    result = _good()
    assert validate(DATA, result) == []
    assert result["uncovered"][0]["submission"] == "s3"


def _set_pair(result: dict[str, Any], submission_id: str, reviewers: list[str]) -> None:
    result["assignments"] = [a for a in result["assignments"] if a["submission"] != submission_id]
    result["assignments"] += [{"submission": submission_id, "reviewer": r, "fit": 0} for r in reviewers]


Change = Callable[[dict[str, Any]], None]


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        (lambda r: _set_pair(r, "s2", ["r2"]), "conflict_of_interest"),
        (lambda r: _set_pair(r, "s1", ["r4", "r3"]), "conflict_of_interest"),
        (lambda r: _set_pair(r, "s1", ["r1", "r2"]), "same_organisation_twice"),
        (lambda r: _set_pair(r, "s1", ["r1"]), "wrong_reviewer_count"),
        (lambda r: _set_pair(r, "s2", ["r5"]), "overloaded"),
        (
            lambda r: r["assignments"].append({"submission": "ghost", "reviewer": "r1", "fit": 0}),
            "unknown_submission",
        ),
        (
            lambda r: r["assignments"].append({"submission": "s1", "reviewer": "ghost", "fit": 0}),
            "unknown_reviewer",
        ),
        (lambda r: r["assignments"].append(dict(r["assignments"][0])), "duplicate_assignment"),
        (lambda r: r["assignments"][0].update(fit=9), "fit_mismatch"),
        (lambda r: r["uncovered"].clear(), "uncovered_mismatch"),
        (lambda r: r["uncovered"].append(dict(r["uncovered"][0], submission="s1")), "uncovered_mismatch"),
        (lambda r: r["uncovered"][0].update(reason=" "), "missing_reason"),
        (lambda r: r["uncovered"][0].update(eligible=7), "eligible_mismatch"),
        (lambda r: r["uncovered"][0].update(cause="capacity"), "unjustified_uncovered"),
        (lambda r: r["uncovered"][0].update(cause="boredom"), "bad_cause"),
        (lambda r: r["loads"][0].update(load=5), "load_mismatch"),
        (lambda r: r["summary"].update(fit=0), "summary_mismatch"),
        (lambda r: r["bounds"].update(covered_at_most=1), "bound_violated"),
        (lambda r: r["bounds"].update(fit_at_most=99), "optimal_with_gap"),
        (lambda r: r["bounds"].update(max_load_at_least=None), "optimal_without_bound"),
        (lambda r: r.update(status="perfect"), "bad_status"),
        (lambda r: r.update(assignments="none"), "malformed"),
    ],
)
def test_each_broken_rule_is_reported(change: Change, kind: str) -> None:
    result = copy.deepcopy(_good())
    change(result)
    assert kind in _kinds(result)


def test_a_submission_left_out_although_reviewers_have_room_is_reported() -> None:
    result = _good()
    covered = [a for a in result["assignments"] if a["submission"] == "s2"]
    result["assignments"] = [a for a in result["assignments"] if a["submission"] != "s2"]
    result["uncovered"].append(
        {
            "submission": "s2",
            "needed": 1,
            "eligible": 2,
            "cause": "capacity",
            "reason": "busy",
            "excluded": [],
        }
    )
    for load in result["loads"]:
        load["load"] -= sum(1 for a in covered if a["reviewer"] == load["reviewer"])
    kinds = _kinds(result)
    assert "could_be_covered" in kinds
    assert "optimal_with_gap" in kinds


def test_non_objects_are_malformed_not_a_crash() -> None:
    assert [v.kind for v in validate([], {})] == ["malformed"]
    assert "malformed" in {v.kind for v in validate(DATA, {"assignments": [1], "status": "feasible"})}
