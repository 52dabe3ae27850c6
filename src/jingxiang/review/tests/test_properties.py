"""Property-based tests: every assignment obeys every hard rule, and tiny ones are optimal."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jingxiang.review import (
    assign,
    assign_instance_from_json,
    assign_result_to_json,
    greedy_assign,
    validate,
)
from jingxiang.review.validator import _Instance

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TAGS = ["lens", "coating", "frame", "optometry"]
ORGANISATIONS = ["o1", "o2", "o3", None]
PEOPLE = ["p1", "p2", "p3", "p4"]
DATES = ["2019-05-01", "2022-06-29", "2022-06-30", "2024-02-29", "2025-06-30", "2026-01-01"]


@st.composite
def instances(
    draw: st.DrawFn, max_reviewers: int = 6, max_submissions: int = 4, max_needed: int = 3
) -> dict[str, Any]:
    reviewer_ids = [f"r{n}" for n in range(draw(st.integers(1, max_reviewers)))]
    people = PEOPLE + reviewer_ids
    reviewers = [
        {
            "id": reviewer_id,
            "organisation": draw(st.sampled_from(ORGANISATIONS)),
            "expertise": draw(st.lists(st.sampled_from(TAGS), unique=True, max_size=3)),
            "max_load": draw(st.sampled_from([1, 2, 3, 0, 4])),
            "conflicts": {
                "organisations": draw(st.lists(st.sampled_from(["o1", "o4", "o5"]), unique=True, max_size=1)),
                "people": draw(st.lists(st.sampled_from(PEOPLE), unique=True, max_size=1)),
            },
        }
        for reviewer_id in reviewer_ids
    ]
    submissions = [
        {
            "id": f"s{n}",
            "organisation": draw(st.sampled_from(["o1", "o2", "o4", "o5", None])),
            "team": draw(st.lists(st.sampled_from(people), unique=True, max_size=2)),
            "tags": draw(st.lists(st.sampled_from(TAGS), unique=True, max_size=3)),
            "reviewers_needed": draw(st.integers(1, max_needed)),
        }
        for n in range(draw(st.integers(1, max_submissions)))
    ]
    sides = st.one_of(
        st.builds(lambda p: {"person": p}, st.sampled_from(people)),
        st.builds(lambda o: {"organisation": o}, st.sampled_from(["o1", "o2", "o3", "o4", "o5"])),
    )
    collaborations = [
        {
            "a": draw(sides),
            "b": draw(sides),
            "kind": draw(st.sampled_from(["same_organisation", "sharing_engagement", "co_applicants"])),
            "date": draw(st.sampled_from(DATES)),
        }
        for _ in range(draw(st.integers(0, 4)))
    ]
    return {
        "reviewers": reviewers,
        "submissions": submissions,
        "collaborations": collaborations,
        "parameters": {"as_of": "2025-06-30", "lookback_years": 3},
    }


@SETTINGS
@given(instances())
def test_every_solver_assignment_passes_the_validator(data: dict[str, Any]) -> None:
    result = assign(assign_instance_from_json(data), time_limit_seconds=5, workers=1)
    assert validate(data, assign_result_to_json(result)) == []


@SETTINGS
@given(instances(), st.sampled_from(["fit", "load"]))
def test_every_greedy_assignment_passes_the_validator(data: dict[str, Any], pick: str) -> None:
    result = greedy_assign(assign_instance_from_json(data), pick=pick)  # type: ignore[arg-type]
    assert validate(data, assign_result_to_json(result)) == []


def _brute_force(data: dict[str, Any]) -> tuple[int, int, int, int]:
    """Best (covered, -max load, -sum of squared loads, fit) over every assignment, by enumeration.

    Hard rules come from the validator's own reading of the instance (not the solver's code).
    """
    lookup = _Instance(data)
    reviewers = [r["id"] for r in data["reviewers"]]
    options: list[list[tuple[str, ...] | None]] = []
    for submission in data["submissions"]:
        panels: list[tuple[str, ...] | None] = [None]
        for panel in itertools.combinations(reviewers, submission["reviewers_needed"]):
            groups = [lookup.organisation_group(r) for r in panel]
            if len(set(groups)) < len(groups):
                continue
            if any(lookup.conflict(r, submission["id"]) or lookup.max_load(r) == 0 for r in panel):
                continue
            panels.append(panel)
        options.append(panels)
    best = (0, 0, 0, 0)
    best_set = False
    for choice in itertools.product(*options):
        loads = dict.fromkeys(reviewers, 0)
        fit = 0
        for submission, panel in zip(data["submissions"], choice, strict=True):
            for r in panel or ():
                loads[r] += 1
                fit += lookup.fit(r, submission["id"])
        if any(loads[r] > lookup.max_load(r) for r in reviewers):
            continue
        value = (
            sum(panel is not None for panel in choice),
            -max(loads.values()),
            -sum(load**2 for load in loads.values()),
            fit,
        )
        if not best_set or value > best:
            best, best_set = value, True
    return best


@SETTINGS
@given(instances(max_reviewers=5, max_submissions=3, max_needed=2))
def test_tiny_instances_match_brute_force(data: dict[str, Any]) -> None:
    result = assign(assign_instance_from_json(data), time_limit_seconds=5, workers=1)
    covered, negative_max, negative_squares, fit = _brute_force(data)
    assert result.covered == covered
    assert result.bounds.covered_at_most == covered
    if result.status == "optimal":
        assert (result.max_load, result.load_sum_squares, result.fit) == (
            -negative_max,
            -negative_squares,
            fit,
        )
        assert result.bounds.max_load_at_least == -negative_max
        assert result.bounds.fit_at_most == fit


@SETTINGS
@given(instances())
def test_uncovered_submissions_have_reasons_and_everything_else_is_covered(data: dict[str, Any]) -> None:
    result = assign(assign_instance_from_json(data), time_limit_seconds=5, workers=1)
    covered = {a.submission for a in result.assignments}
    uncovered = {u.submission for u in result.uncovered}
    assert covered | uncovered == {s["id"] for s in data["submissions"]}
    assert not covered & uncovered
    assert all(u.reason for u in result.uncovered)


@SETTINGS
@given(instances())
def test_engine_and_validator_agree_on_every_conflict(data: dict[str, Any]) -> None:
    from jingxiang.review.conflicts import derive

    parsed = assign_instance_from_json(data)
    eligibility = derive(parsed)
    lookup = _Instance(data)
    for position, submission in enumerate(parsed.submissions):
        excluded = {e.reviewer for e in eligibility.excluded[position] if e.rule != "unavailable"}
        independent = {r.id for r in parsed.reviewers if lookup.conflict(r.id, submission.id) is not None}
        assert excluded == independent
