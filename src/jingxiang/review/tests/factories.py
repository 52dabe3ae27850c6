"""Small instance builders for the review engine tests, in the JSON form the command line reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def reviewer(
    reviewer_id: str,
    organisation: str | None = None,
    expertise: list[str] | None = None,
    max_load: int = 5,
    organisations: list[str] | None = None,
    people: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "id": reviewer_id,
        "organisation": organisation,
        "expertise": expertise or [],
        "max_load": max_load,
        "conflicts": {"organisations": organisations or [], "people": people or []},
    }


def submission(
    submission_id: str,
    organisation: str | None = None,
    team: list[str] | None = None,
    tags: list[str] | None = None,
    needed: int = 1,
) -> dict[str, Any]:
    return {
        "id": submission_id,
        "organisation": organisation,
        "team": team or [],
        "tags": tags or [],
        "reviewers_needed": needed,
    }


def collaboration(a: tuple[str, str], b: tuple[str, str], kind: str, date: str) -> dict[str, Any]:
    return {"a": {a[0]: a[1]}, "b": {b[0]: b[1]}, "kind": kind, "date": date}


def instance(
    reviewers: list[dict[str, Any]],
    submissions: list[dict[str, Any]],
    collaborations: list[dict[str, Any]] | None = None,
    as_of: str = "2025-06-30",
    lookback_years: int = 3,
) -> dict[str, Any]:
    return {
        "reviewers": reviewers,
        "submissions": submissions,
        "collaborations": collaborations or [],
        "parameters": {"as_of": as_of, "lookback_years": lookback_years},
    }


def score_input(
    scores: Sequence[tuple[Any, Any, Any, float]],
    criteria: list[tuple[str, float]] | None = None,
    scale: tuple[float, float] = (0, 10),
    parameters: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Scores as (reviewer, submission, criterion, value); one criterion ``c`` of weight 1 by default."""
    data: dict[str, Any] = {
        "scale": {"min": scale[0], "max": scale[1]},
        "criteria": [{"id": c, "weight": w} for c, w in (criteria or [("c", 1.0)])],
        "scores": [{"reviewer": r, "submission": s, "criterion": c, "value": v} for r, s, c, v in scores],
    }
    if parameters is not None:
        data["parameters"] = parameters
    return data
