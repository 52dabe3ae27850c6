"""Conflicts of interest: each declared and derived rule, the look-back window, and unavailability."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from jingxiang.review import assign_instance_from_json
from jingxiang.review.conflicts import derive, window_start
from jingxiang.review.tests.factories import collaboration, instance, reviewer, submission


def _excluded(data: dict[str, Any], *, history: bool = True) -> dict[str, list[tuple[str, str]]]:
    """Submission id → [(reviewer id, rule)] of every exclusion except unavailability."""
    parsed = assign_instance_from_json(data)
    eligibility = derive(parsed, history=history)
    return {
        s.id: [(e.reviewer, e.rule) for e in eligibility.excluded[n] if e.rule != "unavailable"]  # type: ignore[misc]
        for n, s in enumerate(parsed.submissions)
    }


def test_own_organisation_and_own_team() -> None:
    data = instance(
        [reviewer("r1", "firm-a"), reviewer("r2", "uni")],
        [submission("s1", "firm-a"), submission("s2", "firm-b", team=["r2", "p9"])],
    )
    assert _excluded(data) == {"s1": [("r1", "own_organisation")], "s2": [("r2", "own_team")]}


def test_declared_organisations_and_people() -> None:
    data = instance(
        [reviewer("r1", "uni", organisations=["firm-a"]), reviewer("r2", "lab", people=["p3"])],
        [submission("s1", "firm-a"), submission("s2", "firm-b", team=["p3"])],
    )
    excluded = _excluded(data)
    assert excluded == {"s1": [("r1", "declared_organisation")], "s2": [("r2", "declared_person")]}


def test_the_reviewer_person_id_is_what_teams_and_records_use() -> None:
    data = instance([reviewer("r1", "uni")], [submission("s1", "firm", team=["talent-7"])])
    data["reviewers"][0]["person"] = "talent-7"
    assert _excluded(data) == {"s1": [("r1", "own_team")]}


@pytest.mark.parametrize(
    ("date", "counts"),
    [
        ("2022-06-30", True),  # first day of the three-year window before 2025-06-30
        ("2022-06-29", False),
        ("2025-06-30", True),
        ("2026-03-01", True),  # a planned engagement is already a relationship
        ("2010-01-01", False),
    ],
)
def test_collaborations_count_within_the_look_back_window(date: str, counts: bool) -> None:
    data = instance(
        [reviewer("r1", "uni")],
        [submission("s1", "firm", team=["p1"])],
        [collaboration(("person", "r1"), ("person", "p1"), "co_applicants", date)],
    )
    assert _excluded(data)["s1"] == ([("r1", "collaboration")] if counts else [])


def test_organisation_level_records_exclude_everyone_at_the_organisation() -> None:
    data = instance(
        [reviewer("r1", "lab"), reviewer("r2", "lab"), reviewer("r3", "uni")],
        [submission("s1", "firm")],
        [
            collaboration(
                ("organisation", "firm"), ("organisation", "lab"), "sharing_engagement", "2024-05-01"
            )
        ],
    )
    assert _excluded(data)["s1"] == [("r1", "collaboration"), ("r2", "collaboration")]


def test_team_member_who_worked_at_the_reviewers_organisation() -> None:
    data = instance(
        [reviewer("r1", "uni"), reviewer("r2", "lab")],
        [submission("s1", "firm", team=["p1"])],
        [collaboration(("person", "p1"), ("organisation", "uni"), "same_organisation", "2023-09-01")],
    )
    assert _excluded(data)["s1"] == [("r1", "collaboration")]


def test_reviewer_who_worked_at_the_submitting_organisation() -> None:
    data = instance(
        [reviewer("r1", "uni")],
        [submission("s1", "firm"), submission("s2", "other")],
        [collaboration(("organisation", "firm"), ("person", "r1"), "same_organisation", "2023-09-01")],
    )
    assert _excluded(data) == {"s1": [("r1", "collaboration")], "s2": []}


def test_reviewer_and_team_member_recently_at_a_third_organisation() -> None:
    records = [
        collaboration(("person", "r1"), ("organisation", "old-lab"), "same_organisation", "2023-01-01"),
        collaboration(("person", "p1"), ("organisation", "old-lab"), "same_organisation", "2024-01-01"),
    ]
    data = instance([reviewer("r1", "uni")], [submission("s1", "firm", team=["p1"])], records)
    parsed = assign_instance_from_json(data)
    exclusion = derive(parsed).excluded[0][0]
    assert exclusion.rule == "collaboration"
    assert "at organisation 'old-lab'" in exclusion.detail
    records[0]["date"] = "2019-01-01"  # the reviewer left long ago
    assert (
        _excluded(instance([reviewer("r1", "uni")], [submission("s1", "firm", team=["p1"])], records))["s1"]
        == []
    )


def test_other_kinds_do_not_make_a_shared_affiliation() -> None:
    records = [
        collaboration(("person", "r1"), ("organisation", "x"), "co_applicants", "2024-01-01"),
        collaboration(("person", "p1"), ("organisation", "x"), "co_applicants", "2024-01-01"),
    ]
    data = instance([reviewer("r1", "uni")], [submission("s1", "firm", team=["p1"])], records)
    assert _excluded(data)["s1"] == []


def test_history_can_be_ignored_for_the_spreadsheet_baseline() -> None:
    data = instance(
        [reviewer("r1", "uni")],
        [submission("s1", "firm", team=["p1"])],
        [collaboration(("person", "r1"), ("person", "p1"), "co_applicants", "2024-01-01")],
    )
    assert _excluded(data, history=False)["s1"] == []


def test_lookback_zero_keeps_only_current_and_future_records() -> None:
    records = [
        collaboration(("person", "r1"), ("person", "p1"), "co_applicants", "2025-06-29"),
        collaboration(("person", "r2"), ("person", "p1"), "co_applicants", "2025-06-30"),
    ]
    data = instance(
        [reviewer("r1"), reviewer("r2")], [submission("s1", team=["p1"])], records, lookback_years=0
    )
    assert _excluded(data)["s1"] == [("r2", "collaboration")]


def test_window_start_on_29_february() -> None:
    assert window_start(datetime.date(2024, 2, 29), 1) == datetime.date(2023, 2, 28)
    assert window_start(datetime.date(2024, 2, 29), 4) == datetime.date(2020, 2, 29)
    assert window_start(datetime.date(5, 1, 1), 10) == datetime.date.min


def test_unavailable_reviewers_are_not_eligible_and_say_why() -> None:
    data = instance([reviewer("r1", max_load=0), reviewer("r2")], [submission("s1")])
    parsed = assign_instance_from_json(data)
    eligibility = derive(parsed)
    assert eligibility.eligible == [[1]]
    assert [(e.reviewer, e.rule, e.detail) for e in eligibility.excluded[0]] == [
        ("r1", "unavailable", "max_load is 0")
    ]
    assert eligibility.conflict_pairs == 0


def test_each_reason_is_kept_and_pairs_counted_once() -> None:
    data = instance(
        [reviewer("r1", "firm", organisations=["firm"])],
        [submission("s1", "firm", team=["r1"])],
    )
    parsed = assign_instance_from_json(data)
    eligibility = derive(parsed)
    assert [e.rule for e in eligibility.excluded[0]] == [
        "own_organisation",
        "declared_organisation",
        "own_team",
    ]
    assert eligibility.conflict_pairs == 1
