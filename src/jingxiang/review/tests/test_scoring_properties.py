"""Property-based tests of the normalisation: what a judge's habits may and may not change."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jingxiang.review import score, score_instance_from_json
from jingxiang.review.records import ScoreResult
from jingxiang.review.rules import rules

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CRITERIA = [{"id": "a", "weight": 2}, {"id": "b", "weight": 1}]
DEFAULT_THRESHOLD = rules().outlier_threshold


@st.composite
def panels(draw: st.DrawFn, min_per_judge: int = 1) -> dict[str, Any]:
    """Judges scoring random subsets of entries on 0-100, values kept in 20-80 so shifts stay in scale."""
    judges = [f"j{n}" for n in range(draw(st.integers(2, 5)))]
    entries = [f"e{n}" for n in range(draw(st.integers(2, 7)))]
    value = st.floats(20, 80, allow_nan=False).map(lambda v: round(v, 2))
    scores = []
    for judge in judges:
        seen = draw(
            st.lists(st.sampled_from(entries), unique=True, min_size=min(min_per_judge, len(entries)))
        )
        for entry in seen:
            for criterion in CRITERIA:
                scores.append(
                    {
                        "reviewer": judge,
                        "submission": entry,
                        "criterion": criterion["id"],
                        "value": draw(value),
                    }
                )
    assume(scores)
    return {"scale": {"min": 0, "max": 100}, "criteria": CRITERIA, "scores": scores}


def _run(data: dict[str, Any]) -> ScoreResult:
    return score(score_instance_from_json(data))


def _transform(
    data: dict[str, Any], judge: object, shift: float = 0.0, factor: float = 1.0
) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    for entry in changed["scores"]:
        if entry["reviewer"] == judge:
            entry["value"] = 50 + factor * (entry["value"] - 50) + shift
    return changed


def _by_pair(result: ScoreResult) -> dict[tuple[object, object], tuple[float, float]]:
    return {(t.reviewer, t.submission): (t.z, t.normalised_total) for t in result.totals}


def _flags(result: ScoreResult) -> set[tuple[object, object]]:
    return {(o.reviewer, o.submission) for o in result.outliers}


def _same_order(before: ScoreResult, after: ScoreResult) -> None:
    """Entries whose normalised scores clearly differ keep their order (exact ties may be re-broken)."""
    old = {entry.submission: entry.score for entry in before.ranking}
    new = {entry.submission: entry.score for entry in after.ranking}
    for a in old:
        for b in old:
            if old[a] - old[b] > 1e-6:
                assert new[a] > new[b]


def _clear_of_threshold(result: ScoreResult, threshold: float) -> bool:
    """No deviation sits within float noise of the flag threshold (where a flag could flip by rounding)."""
    totals: dict[object, list[float]] = {}
    for t in result.totals:
        totals.setdefault(t.submission, []).append(t.normalised_total)
    sigma = result.target_sd
    for values in totals.values():
        for position, value in enumerate(values):
            others = values[:position] + values[position + 1 :]
            if (
                others
                and sigma > 0
                and abs(abs(value - sum(others) / len(others)) / sigma - threshold) < 1e-6
            ):
                return False
    return True


@SETTINGS
@given(panels(), st.data(), st.floats(-15, 15, allow_nan=False))
def test_fixed_target_a_judge_adding_a_constant_changes_nothing(
    data: dict[str, Any], pick: st.DataObject, shift: float
) -> None:
    data["parameters"] = {"min_scores": 2, "target_mean": 50, "target_sd": 10}
    before = _run(data)
    normalised = [s.reviewer for s in before.reviewers if s.method != "raw"]
    assume(normalised)
    judge = pick.draw(st.sampled_from(normalised))
    after = _run(_transform(data, judge, shift=shift))
    old, new = _by_pair(before), _by_pair(after)
    for pair, (z, value) in old.items():
        assert new[pair][0] == pytest.approx(z, abs=1e-7)
        assert new[pair][1] == pytest.approx(value, abs=1e-7)
    for a, b in zip(before.ranking, after.ranking, strict=True):
        assert a.score == pytest.approx(b.score, abs=1e-7)
    _same_order(before, after)
    assume(_clear_of_threshold(before, DEFAULT_THRESHOLD))
    assert _flags(before) == _flags(after)


@SETTINGS
@given(panels(min_per_judge=2), st.data(), st.floats(-15, 15, allow_nan=False))
def test_data_target_a_judge_adding_a_constant_keeps_z_order_and_flags(
    data: dict[str, Any], pick: st.DataObject, shift: float
) -> None:
    data["parameters"] = {"min_scores": 2}
    before = _run(data)
    judge = pick.draw(st.sampled_from([s.reviewer for s in before.reviewers]))
    after = _run(_transform(data, judge, shift=shift))
    assert after.target_sd == pytest.approx(before.target_sd, abs=1e-7)  # pooled within-judge sd
    offset = after.target_mean - before.target_mean
    old, new = _by_pair(before), _by_pair(after)
    for pair, (z, value) in old.items():
        assert new[pair][0] == pytest.approx(z, abs=1e-7)
        assert new[pair][1] == pytest.approx(value + offset, abs=1e-7)  # one common shift for everyone
    _same_order(before, after)
    assume(_clear_of_threshold(before, DEFAULT_THRESHOLD))
    assert _flags(before) == _flags(after)


@SETTINGS
@given(panels(), st.data(), st.floats(0.5, 1.4, allow_nan=False))
def test_a_judge_stretching_or_compressing_their_scores_changes_nothing(
    data: dict[str, Any], pick: st.DataObject, factor: float
) -> None:
    data["parameters"] = {"min_scores": 2, "target_mean": 50, "target_sd": 10}
    before = _run(data)
    normalised = [s.reviewer for s in before.reviewers if s.method == "z-score"]
    assume(normalised)
    judge = pick.draw(st.sampled_from(normalised))
    after = _run(_transform(data, judge, factor=factor))
    old, new = _by_pair(before), _by_pair(after)
    for pair, (z, value) in old.items():
        assert new[pair][0] == pytest.approx(z, abs=1e-7)
        assert new[pair][1] == pytest.approx(value, abs=1e-7)
    _same_order(before, after)
    assume(_clear_of_threshold(before, DEFAULT_THRESHOLD))
    assert _flags(before) == _flags(after)


@SETTINGS
@given(panels(), st.floats(0.3, 3, allow_nan=False))
def test_flags_are_exactly_the_totals_beyond_the_threshold(data: dict[str, Any], threshold: float) -> None:
    data["parameters"] = {"min_scores": 2, "outlier_threshold": threshold}
    result = _run(data)
    totals: dict[object, list[tuple[object, float]]] = {}
    for t in result.totals:
        totals.setdefault(t.submission, []).append((t.reviewer, t.normalised_total))
    expected = set()
    for submission, entries in totals.items():
        for reviewer, value in entries:
            others = [v for r, v in entries if r != reviewer]
            if not others or result.target_sd <= 0:
                continue
            if abs(value - sum(others) / len(others)) / result.target_sd > threshold:
                expected.add((reviewer, submission))
    assert _flags(result) == expected


@SETTINGS
@given(panels())
def test_ranking_is_sorted_with_and_without_normalisation(data: dict[str, Any]) -> None:
    data["parameters"] = {"min_scores": 2}
    result = _run(data)
    ranking = list(result.ranking)
    assert [entry.rank for entry in ranking] == list(range(1, len(ranking) + 1))
    assert all(a.score >= b.score - 1e-9 for a, b in itertools.pairwise(ranking))
    by_raw = sorted(ranking, key=lambda entry: entry.raw_rank)
    assert sorted(entry.raw_rank for entry in ranking) == list(range(1, len(ranking) + 1))
    assert all(a.raw_score >= b.raw_score - 1e-9 for a, b in itertools.pairwise(by_raw))


@SETTINGS
@given(panels())
def test_judges_with_few_scores_keep_their_raw_totals(data: dict[str, Any]) -> None:
    data["parameters"] = {"min_scores": 4}
    result = _run(data)
    raw_judges = {s.reviewer for s in result.reviewers if s.count < 4}
    assert raw_judges == {s.reviewer for s in result.reviewers if s.method == "raw"}
    for total in result.totals:
        if total.reviewer in raw_judges:
            assert total.normalised_total == total.raw_total
