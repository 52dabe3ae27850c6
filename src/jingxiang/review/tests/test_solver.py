"""The optimising assigner: hard rules, the order of objectives, uncovered reasons, status and bounds."""

from __future__ import annotations

from typing import Any

from jingxiang.review import (
    assign,
    assign_instance_from_json,
    assign_result_to_json,
    greedy_assign,
    validate,
)
from jingxiang.review.records import AssignResult
from jingxiang.review.tests.factories import collaboration, instance, reviewer, submission


def _solve(data: dict[str, Any], **options: Any) -> AssignResult:
    result = assign(assign_instance_from_json(data), time_limit_seconds=10, workers=1, **options)
    assert validate(data, assign_result_to_json(result)) == []
    return result


def _panels(result: AssignResult) -> dict[object, set[object]]:
    panels: dict[object, set[object]] = {}
    for item in result.assignments:
        panels.setdefault(item.submission, set()).add(item.reviewer)
    return panels


def _loads(result: AssignResult) -> dict[object, int]:
    return {load.reviewer: load.load for load in result.loads}


def test_each_submission_gets_exactly_its_reviewers_from_distinct_organisations() -> None:
    data = instance(
        [
            reviewer("r1", "uni", ["lens"]),
            reviewer("r2", "uni", ["lens"]),  # the second-best fit, but r1's colleague
            reviewer("r3", "lab", []),
            reviewer("r4", None, []),
        ],
        [submission("s1", "firm", tags=["lens"], needed=3)],
    )
    result = _solve(data)
    panel = _panels(result)["s1"]
    assert len(panel) == 3 and len(panel & {"r1", "r2"}) == 1
    assert result.status == "optimal"


def test_the_maximum_load_is_as_small_as_possible_even_against_fit() -> None:
    data = instance(
        [reviewer("expert", "a", ["lens"]), reviewer("generalist", "b", [])],
        [submission(f"s{n}", "firm", tags=["lens"]) for n in range(4)],
    )
    result = _solve(data)
    assert _loads(result) == {"expert": 2, "generalist": 2}
    assert result.bounds.max_load_at_least == 2
    assert result.fit == 2 and result.bounds.fit_at_most_ignoring_evenness == 4


def test_loads_are_spread_below_the_maximum_before_fit_counts() -> None:
    # Max load 2 is forced (s0 and s1 can only go to a); then (2, 1, 1) beats the better-fitting (2, 2, 0).
    data = instance(
        [reviewer("a", "o1", ["x"], organisations=[]), reviewer("b", "o2", ["x"]), reviewer("c", "o3", [])],
        [
            submission("s0", "f0", tags=["x"]),
            submission("s1", "f1", tags=["x"]),
            submission("s2", "f2", tags=["x"]),
            submission("s3", "f3", tags=["x"]),
        ],
    )
    for reviewer_record in data["reviewers"][1:]:
        reviewer_record["conflicts"]["organisations"] = ["f0", "f1"]
    result = _solve(data)
    assert sorted(_loads(result).values()) == [1, 1, 2]
    assert result.load_sum_squares == 6
    assert _panels(result)["s0"] == {"a"} and _panels(result)["s1"] == {"a"}


def test_among_equally_even_assignments_the_best_fit_wins() -> None:
    data = instance(
        [reviewer("optics", "a", ["lens", "coating"]), reviewer("frames", "b", ["frame"])],
        [
            submission("lens-project", "f", tags=["lens", "coating"]),
            submission("frame-project", "g", tags=["frame"]),
        ],
    )
    result = _solve(data)
    assert _panels(result) == {"lens-project": {"optics"}, "frame-project": {"frames"}}
    assert result.fit == 3 == result.bounds.fit_at_most


def test_tags_match_after_normalisation() -> None:
    data = instance(
        [reviewer("r", "a", ["ＡＲ光学", " Lens "])], [submission("s", "f", tags=["ar光学", "LENS"])]
    )
    assert _solve(data).fit == 2


def test_too_few_eligible_reviewers_gives_the_reason_and_the_rest_is_assigned() -> None:
    data = instance(
        [
            reviewer("r1", "firm-a"),
            reviewer("r2", "uni", organisations=["firm-a"]),
            reviewer("r3", "lab"),
            reviewer("r4", "lab2"),
            reviewer("r5", None, max_load=0),
        ],
        [submission("s1", "firm-a", team=["p1"], needed=3), submission("s2", "firm-b", needed=2)],
        [collaboration(("person", "r3"), ("person", "p1"), "co_applicants", "2024-03-01")],
    )
    result = _solve(data)
    assert result.status == "optimal"
    assert set(_panels(result)) == {"s2"}
    (uncovered,) = result.uncovered
    assert uncovered.submission == "s1" and uncovered.cause == "conflicts" and uncovered.eligible == 1
    assert uncovered.reason.startswith("only 1 eligible reviewer after conflicts, 3 needed; excluded - ")
    assert "own organisation: 'r1'" in uncovered.reason
    assert "declared conflict with the organisation: 'r2'" in uncovered.reason
    assert "recent collaboration: 'r3'" in uncovered.reason
    assert "max_load 0: 'r5'" in uncovered.reason
    details = {(e.reviewer, e.rule): e.detail for e in uncovered.excluded}
    assert details[("r3", "collaboration")] == (
        "applied together for a project, award or fund: the reviewer and team member 'p1' (2024-03-01)"
    )
    assert result.bounds.covered_at_most == 1


def test_too_few_organisations_gives_the_reason() -> None:
    data = instance(
        [reviewer("r1", "uni"), reviewer("r2", "uni"), reviewer("r3", "lab")],
        [submission("s1", "firm", needed=3)],
    )
    (uncovered,) = _solve(data).uncovered
    assert uncovered.cause == "organisations"
    assert uncovered.reason.startswith(
        "3 eligible reviewers but from only 2 organisations ('uni': 'r1', 'r2'; 'lab': 'r3'); 3 needed and no two "
        "may come from one organisation"
    )


def test_a_pool_too_small_covers_the_most_submissions_and_says_why_not_the_others() -> None:
    data = instance(
        [reviewer("r1", "a", max_load=2), reviewer("r2", "b", max_load=2), reviewer("r3", "c", max_load=1)],
        [submission(f"s{n}", "firm", needed=2) for n in range(4)],
    )
    result = _solve(data)
    assert result.covered == 2 and result.bounds.covered_at_most == 2
    assert result.status == "feasible" and result.method.startswith("CP-SAT")
    assert result.bounds.max_load_at_least is None and result.bounds.fit_at_most is None
    assert {u.cause for u in result.uncovered} == {"capacity"}
    reason = result.uncovered[0].reason
    assert "booked by other submissions" in reason and "2 needed" in reason and "proven" in reason


def test_the_pool_too_small_keeps_whole_panels_rather_than_partial_ones() -> None:
    # Five reviews available, three submissions of two: a flow would place all five, one panel half full.
    data = instance(
        [reviewer("r1", "a", max_load=3), reviewer("r2", "b", max_load=2)],
        [submission(f"s{n}", "firm", needed=2) for n in range(3)],
    )
    result = _solve(data)
    assert result.covered == 2
    assert all(len(panel) == 2 for panel in _panels(result).values())


def test_ids_come_back_as_given() -> None:
    data = instance([reviewer(7, "a"), reviewer("8", "b")], [submission(101, "f", needed=2)])  # type: ignore[arg-type]
    assert _panels(_solve(data)) == {101: {7, "8"}}


def test_a_pool_smaller_than_a_panel_says_so() -> None:
    (uncovered,) = _solve(instance([reviewer("r1")], [submission("s1", needed=2)])).uncovered
    assert (uncovered.cause, uncovered.reason) == ("conflicts", "the pool has only 1 reviewer, 2 needed")


def test_nothing_to_review_is_optimal_and_empty() -> None:
    result = _solve(instance([reviewer("r1")], []))
    assert (result.status, result.assignments, result.uncovered) == ("optimal", (), ())


def test_greedy_fills_the_best_fitting_expert_first_and_loads_become_uneven() -> None:
    data = instance(
        [reviewer("expert", "a", ["lens"], max_load=4), reviewer("other", "b", [], max_load=4)],
        [submission(f"s{n}", "firm", tags=["lens"]) for n in range(4)],
    )
    parsed = assign_instance_from_json(data)
    greedy = greedy_assign(parsed)
    assert _loads(greedy) == {"expert": 4, "other": 0}
    assert greedy.status == "feasible" and greedy.bounds.covered_at_most is None
    assert _loads(greedy_assign(parsed, pick="load")) == {"expert": 2, "other": 2}
    assert validate(data, assign_result_to_json(greedy)) == []


def test_a_spreadsheet_that_ignores_history_misses_conflicts_the_solver_respects() -> None:
    data = instance(
        [reviewer("insider", "a", ["lens"]), reviewer("outsider", "b", [])],
        [submission("s1", "firm", team=["p1"], tags=["lens"])],
        [collaboration(("person", "insider"), ("person", "p1"), "co_applicants", "2024-01-01")],
    )
    parsed = assign_instance_from_json(data)
    blind = greedy_assign(parsed, history=False)
    assert _panels(blind) == {"s1": {"insider"}}
    assert [v.kind for v in validate(data, assign_result_to_json(blind))] == ["conflict_of_interest"]
    assert _panels(_solve(data)) == {"s1": {"outsider"}}


def test_greedy_leaves_a_late_submission_uncovered_that_the_solver_covers() -> None:
    data = instance(
        [reviewer("r1", "a", ["x"], max_load=1), reviewer("r2", "b", [], max_load=1)],
        [submission("early", "f", tags=["x"]), submission("late", "g", team=["p"])],
    )
    data["reviewers"][1]["conflicts"]["people"] = ["p"]  # only r1 may review "late"
    greedy = greedy_assign(assign_instance_from_json(data))
    assert [u.submission for u in greedy.uncovered] == ["late"]
    assert "greedy pass" in greedy.uncovered[0].reason
    assert _solve(data).covered == 2
