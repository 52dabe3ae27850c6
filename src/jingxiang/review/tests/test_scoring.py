"""Scoring: weighted totals, normalisation, few-score reviewers, outliers, ranking and refusals."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from jingxiang.review import InputError, score, score_instance_from_json, score_result_to_json
from jingxiang.review.records import ScoreResult
from jingxiang.review.tests.factories import score_input


def _run(data: dict[str, Any]) -> ScoreResult:
    return score(score_instance_from_json(data))


def _totals(result: ScoreResult) -> dict[tuple[str, str], tuple[float, float]]:
    return {(t.reviewer, t.submission): (t.raw_total, t.normalised_total) for t in result.totals}  # type: ignore[misc]


def _rows(values: Mapping[str, Sequence[float]]) -> list[tuple[str, str, str, float]]:
    """Reviewer → totals for s1, s2, ... on the single criterion ``c``."""
    return [(r, f"s{n + 1}", "c", v) for r, row in values.items() for n, v in enumerate(row)]


def test_weighted_total_is_the_weighted_mean_on_a_shared_scale() -> None:
    data = score_input([("r", "s", "a", 6), ("r", "s", "b", 5)], criteria=[("a", 0.6), ("b", 0.4)])
    result = _run(data)
    assert result.totals[0].raw_total == pytest.approx(5.6)
    assert (result.total_scale.min, result.total_scale.max) == (0, 10)


def test_criteria_on_their_own_scales_add_up_like_points_scaled_to_100() -> None:
    data = {
        "criteria": [
            {"id": "innovation", "weight": 30, "scale": {"min": 0, "max": 30}},
            {"id": "team", "weight": 20, "scale": {"min": 0, "max": 20}},
        ],
        "scores": [
            {"reviewer": "r", "submission": "s", "criterion": "innovation", "value": 24},
            {"reviewer": "r", "submission": "s", "criterion": "team", "value": 10},
        ],
    }
    result = _run(data)
    assert (result.total_scale.min, result.total_scale.max) == (0, 100)
    assert result.totals[0].raw_total == pytest.approx(68)  # 24 + 10 = 34 of 50 points, on 0-100


def test_z_scores_remove_each_reviewers_level() -> None:
    data = score_input(_rows({"strict": [1, 2, 3, 4, 5], "generous": [6, 7, 8, 9, 10]}))
    result = _run(data)
    totals = _totals(result)
    assert result.target_mean == pytest.approx(5.5)
    assert result.target_sd == pytest.approx(math.sqrt(2.5))  # pooled within-reviewer sd
    for n in range(1, 6):
        assert totals[("strict", f"s{n}")][1] == pytest.approx(totals[("generous", f"s{n}")][1])
    assert totals[("strict", "s1")][1] == pytest.approx(3.5)  # 5.5 + sqrt(2.5) * (1 - 3) / sqrt(2.5)
    assert all(summary.method == "z-score" for summary in result.reviewers)


def test_a_strict_judge_no_longer_sinks_an_entry() -> None:
    # P is reviewed only by the strict judge, Q only by the generous one; both are the best of their sets.
    strict = {f"x{n}": 2.0 + 0.5 * n for n in range(5)} | {"P": 5.5}
    generous = {f"y{n}": 7.0 + 0.5 * n for n in range(5)} | {"Q": 9.5}
    scores = [("strict", s, "c", v) for s, v in strict.items()] + [
        ("generous", s, "c", v) for s, v in generous.items()
    ]
    result = _run(score_input(scores))
    ranks = {entry.submission: (entry.rank, entry.raw_rank) for entry in result.ranking}
    assert ranks["P"][1] > 5  # raw: behind every entry the generous judge saw
    assert ranks["P"][0] <= 2 and ranks["Q"][0] <= 2  # normalised: both at the top


def test_reviewers_below_min_scores_are_left_raw() -> None:
    data = score_input(_rows({"a": [2, 4, 6, 8, 10], "b": [1, 3]}), parameters={"min_scores": 3})
    result = _run(data)
    methods = {summary.reviewer: summary.method for summary in result.reviewers}
    assert methods == {"a": "z-score", "b": "raw"}
    totals = _totals(result)
    assert totals[("b", "s1")] == (1, 1) and totals[("b", "s2")] == (3, 3)
    by_reviewer = {summary.reviewer: summary for summary in result.reviewers}
    assert by_reviewer["b"].location is None and by_reviewer["b"].spread is None


def test_a_reviewer_who_gives_everyone_the_same_total_gets_the_panel_mean() -> None:
    data = score_input(_rows({"flat": [7, 7, 7, 7, 7], "other": [2, 4, 6, 8, 10]}))
    result = _run(data)
    totals = _totals(result)
    assert all(totals[("flat", f"s{n}")][1] == pytest.approx(result.target_mean) for n in range(1, 6))
    assert {s.reviewer: s.method for s in result.reviewers}["flat"] == "constant"


def test_shrinkage_pulls_location_and_spread_towards_the_panel() -> None:
    values = {"a": [2, 4, 6, 8, 10], "b": [1, 2, 3, 4, 5]}
    result = _run(score_input(_rows(values), parameters={"shrinkage": 5}))
    mu, sigma = result.target_mean, result.target_sd
    summary = {s.reviewer: s for s in result.reviewers}["b"]
    assert summary.location == pytest.approx((5 * 3 + 5 * mu) / 10)
    assert summary.spread == pytest.approx(math.sqrt((4 * 2.5 + 5 * sigma**2) / 9))
    plain = {s.reviewer: s for s in _run(score_input(_rows(values))).reviewers}["b"]
    assert plain.location == pytest.approx(3)


def test_a_fixed_target_is_used_as_given() -> None:
    data = score_input(_rows({"a": [2, 4, 6, 8, 10]}), parameters={"target_mean": 5, "target_sd": 1})
    result = _run(data)
    assert (result.target_mean, result.target_sd) == (5, 1)
    assert _totals(result)[("a", "s5")][1] == pytest.approx(5 + 4 / math.sqrt(10))
    assert score_result_to_json(result)["normalisation"]["target"] == "given"


def test_outlier_far_from_the_other_reviewers_is_flagged_with_a_message() -> None:
    values = {
        "a": [5, 6, 7, 8, 9, 4],
        "b": [5, 6, 7, 8, 9, 4],
        "c": [5, 6, 7, 8, 9, 9],  # c loves s6, which a and b put last
    }
    result = _run(score_input(_rows(values), parameters={"outlier_threshold": 1.5}))
    flagged = {(o.reviewer, o.submission) for o in result.outliers}
    assert ("c", "s6") in flagged
    outlier = next(o for o in result.outliers if (o.reviewer, o.submission) == ("c", "s6"))
    assert outlier.deviation > 1.5 and outlier.others == 2
    assert outlier.others_raw_mean == pytest.approx(4)
    assert "reviewer 'c' gave 's6' 9.00" in outlier.message and "sd above" in outlier.message
    strict = _run(score_input(_rows(values), parameters={"outlier_threshold": 50}))
    assert strict.outliers == ()


def test_two_reviewers_who_disagree_are_both_flagged() -> None:
    values = {"a": [1, 2, 3, 4, 10], "b": [1, 2, 3, 4, 0]}
    result = _run(score_input(_rows(values), parameters={"outlier_threshold": 1.0}))
    assert {(o.reviewer, o.submission) for o in result.outliers} >= {("a", "s5"), ("b", "s5")}


def test_ties_are_broken_by_raw_score_then_reviews_then_order() -> None:
    # s1 is a's mean and s2 is b's mean: both z = 0, so equal normalised scores; b scores one point higher.
    scores = [("a", "s1", "c", 5), ("a", "s3", "c", 3), ("a", "s4", "c", 7)]
    scores += [("b", "s2", "c", 6), ("b", "s3", "c", 4), ("b", "s4", "c", 8)]
    result = _run(score_input(scores, parameters={"min_scores": 2}))
    assert [entry.submission for entry in result.ranking] == ["s4", "s2", "s1", "s3"]
    by_id = {entry.submission: entry for entry in result.ranking}
    assert by_id["s1"].score == by_id["s2"].score == result.target_mean
    assert by_id["s2"].decided_by == "raw_score"
    assert by_id["s4"].decided_by == "score"
    assert result.ranking[-1].decided_by == "last"


def test_equal_scores_are_decided_by_the_number_of_reviews() -> None:
    scores = [("a", "one", "c", 5), ("a", "two", "c", 5), ("b", "two", "c", 5)]
    result = _run(score_input(scores, parameters={"min_scores": 2}))
    assert [entry.submission for entry in result.ranking] == ["two", "one"]
    assert result.ranking[0].decided_by == "reviews"


def test_identical_entries_keep_their_order_of_appearance() -> None:
    result = _run(score_input([("a", "late", "c", 5), ("a", "early", "c", 5)], parameters={"min_scores": 2}))
    assert [entry.submission for entry in result.ranking] == ["late", "early"]
    assert result.ranking[0].decided_by == "order"


def test_raw_rank_is_the_ranking_by_raw_score() -> None:
    values = {"a": [3, 4, 5, 6, 7], "b": [6, 7, 8, 9, 10]}
    data = score_input(_rows(values))
    data["scores"] = [s for s in data["scores"] if not (s["reviewer"] == "a" and s["submission"] == "s5")]
    result = _run(data)
    raw_order = sorted(result.ranking, key=lambda entry: entry.raw_rank)
    assert [entry.raw_score for entry in raw_order] == sorted((e.raw_score for e in raw_order), reverse=True)
    assert sorted(entry.rank for entry in result.ranking) == list(range(1, 6))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["scores"][0].update(value=11), "11 is outside the scale 0–10; refused"),
        (lambda d: d["scores"][0].update(value=-0.5), "-0.5 is outside the scale 0–10; refused"),
        (
            lambda d: d["scale"].update(step=0.5) or d["scores"][0].update(value=7.25),
            "outside the scale 0–10 in steps of 0.5",
        ),
        (lambda d: d["scores"][0].update(value="7"), "the score must be a number, got '7'"),
        (lambda d: d["scores"][0].update(value=True), "the score must be a number, got True"),
        (lambda d: d["scores"][0].update(criterion="ghost"), "unknown criterion 'ghost'"),
        (lambda d: d["scores"].append(dict(d["scores"][0])), "scored twice"),
        (lambda d: d["scores"][0].update(extra=1), "unknown field 'extra'"),
        (lambda d: d["scale"].update(min=10), "'min' (10) must be below 'max' (10)"),
        (lambda d: d["scale"].update(step=3), "3 does not divide the range 0–10 into whole steps"),
        (lambda d: d["criteria"][0].update(weight=0), "must be a number greater than 0"),
        (lambda d: d.update(criteria=[]), "needs at least one criterion"),
        (lambda d: d.update(parameters={"min_scores": 1}), "must be a whole number from 2"),
        (lambda d: d.update(parameters={"target_sd": 0}), "must be a number greater than 0"),
        (lambda d: d.update(parameters={"outlier_threshold": -1}), "must be a number greater than 0"),
        (lambda d: d.update(parameters={"target_mean": 11}), "must be a number from 0 to 10"),
        (lambda d: d.pop("scale"), "is required when the input has no top-level 'scale'"),
    ],
)
def test_bad_score_input_is_refused_with_the_field(change: Any, message: str) -> None:
    data = score_input([("r", "s", "c", 5), ("r", "t", "c", 6)])
    change(data)
    with pytest.raises(InputError) as error:
        score_instance_from_json(data)
    assert any(message in str(problem) for problem in error.value.problems), error.value.problems


def test_a_score_sheet_missing_a_criterion_is_refused() -> None:
    data = score_input([("r", "s", "a", 5)], criteria=[("a", 1), ("b", 1)])
    with pytest.raises(InputError) as error:
        score_instance_from_json(data)
    assert str(error.value.problems[0]) == (
        "scores[0]: reviewer 'r' scored submission 's' on 1 of 2 criteria; missing: 'b'"
    )


def test_every_problem_is_reported_at_once() -> None:
    data = score_input([("r", "s", "c", 50), ("r", "t", "c", 60), ("r", "u", "ghost", 1)])
    with pytest.raises(InputError) as error:
        score_instance_from_json(data)
    assert [problem.path for problem in error.value.problems] == [
        "scores[0].value",
        "scores[1].value",
        "scores[2].criterion",
    ]
