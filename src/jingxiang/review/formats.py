"""The JSON formats of the review engine (docs/review.md): reading with every problem listed, writing.

Parsing collects *every* problem before failing, because a secretariat fixing an export wants the
whole list at once. Each problem carries the path of the offending field; the command line adds the
line number. Unknown fields are refused too: a misspelt ``max_laod`` silently ignored would give a
reviewer the default load nobody chose.
"""

from __future__ import annotations

import datetime
import math
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from jingxiang.review.jsontext import Collector, Path, show
from jingxiang.review.records import (
    AssignInstance,
    AssignResult,
    Collaboration,
    Criterion,
    Id,
    Party,
    RawScore,
    Reviewer,
    Scale,
    ScoreInstance,
    ScoreParameters,
    ScoreResult,
    Submission,
)
from jingxiang.review.rules import rules

ASSIGN_KEYS = ("reviewers", "submissions", "collaborations", "parameters")
REVIEWER_KEYS = ("id", "person", "organisation", "expertise", "max_load", "conflicts")
CONFLICT_KEYS = ("organisations", "people")
SUBMISSION_KEYS = ("id", "organisation", "team", "tags", "reviewers_needed")
COLLABORATION_KEYS = ("a", "b", "kind", "date")
ASSIGN_PARAMETER_KEYS = ("lookback_years", "as_of")
SCORE_KEYS = ("criteria", "scale", "total_scale", "scores", "parameters")
CRITERION_KEYS = ("id", "name", "weight", "scale")
SCALE_KEYS = ("min", "max", "step")
RAW_SCORE_KEYS = ("reviewer", "submission", "criterion", "value")
SCORE_PARAMETER_KEYS = ("min_scores", "shrinkage", "outlier_threshold", "target_mean", "target_sd")
DEFAULT_TOTAL_SCALE = Scale(0.0, 100.0)
GRID_TOLERANCE = 1e-9


def normalise_tag(text: str) -> str:
    """Tags match after Unicode NFKC (full-width letters, compatibility forms), trimming and casefolding."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


# ---------------------------------------------------------------------------------------- field checks


def _is_id(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value.strip() != "")


def _id(value: object, path: Path, c: Collector, what: str = "'id'") -> Id | None:
    if not _is_id(value):
        c.add(path, f"{what} must be a non-empty string or an integer, got {show(value)}")
        return None
    assert isinstance(value, str | int)
    return value


def _optional_id(record: Mapping[str, Any], key: str, path: Path, c: Collector) -> Id | None:
    value = record.get(key)
    if value is None:
        return None
    return _id(value, (*path, key), c, f"'{key}'")


def _whole(value: object, path: Path, c: Collector, low: int, high: int) -> int | None:
    """A whole number in ``low..high``; ``3.0`` is accepted (JavaScript writes integers that way)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        c.add(path, f"must be a whole number from {low:,} to {high:,}, got {show(value)}")
        return None
    return value


def _number(
    value: object, path: Path, c: Collector, low: float, high: float, *, open_low: bool = False
) -> float | None:
    ok = not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
    if ok:
        assert isinstance(value, int | float)
        ok = (low < value if open_low else low <= value) and value <= high
    if not ok:
        low_text = f"greater than {low:g}" if open_low else f"from {low:g}"
        c.add(path, f"must be a number {low_text} to {high:g}, got {show(value)}")
        return None
    assert isinstance(value, int | float)
    return float(value)


def _unknown_keys(record: Mapping[str, Any], allowed: tuple[str, ...], path: Path, c: Collector) -> None:
    for key in record:
        if key not in allowed:
            c.add((*path, key), f"unknown field {show(key)}; allowed: {', '.join(allowed)}")


def _object(value: object, path: Path, c: Collector, what: str) -> Mapping[str, Any] | None:
    if not isinstance(value, Mapping):
        c.add(path, f"{what} must be an object, got {show(value)}")
        return None
    return value


def _list(
    record: Mapping[str, Any], key: str, path: Path, c: Collector, limit: int, *, required: bool
) -> list[Any]:
    value = record.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        c.add((*path, key), f"must be a list, got {show(value) if key in record else 'nothing'}")
        return []
    if len(value) > limit:
        c.add((*path, key), f"has {len(value):,} entries; at most {limit:,} are accepted")
        return []
    return value


def _id_list(record: Mapping[str, Any], key: str, path: Path, c: Collector, limit: int) -> tuple[Id, ...]:
    items = _list(record, key, path, c, limit, required=False)
    ids: list[Id] = []
    seen: set[Id] = set()
    for position, item in enumerate(items):
        value = _id(item, (*path, key, position), c, "each entry")
        if value is None:
            continue
        if value in seen:
            c.add((*path, key, position), f"{show(value)} is listed twice")
            continue
        seen.add(value)
        ids.append(value)
    return tuple(ids)


def _tags(record: Mapping[str, Any], key: str, path: Path, c: Collector) -> tuple[str, ...]:
    items = _list(record, key, path, c, rules().limits["tags_per_record"], required=False)
    tags: list[str] = []
    for position, item in enumerate(items):
        if not isinstance(item, str) or not normalise_tag(item):
            c.add((*path, key, position), f"each tag must be a non-empty string, got {show(item)}")
            continue
        tag = normalise_tag(item)
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _date(value: object, path: Path, c: Collector) -> datetime.date | None:
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    c.add(path, f"must be a date written YYYY-MM-DD, got {show(value)}")
    return None


def _records(
    data: Mapping[str, Any], key: str, c: Collector, limit: int, *, required: bool = True
) -> list[tuple[Path, Mapping[str, Any]]]:
    found: list[tuple[Path, Mapping[str, Any]]] = []
    for position, item in enumerate(_list(data, key, (), c, limit, required=required)):
        record = _object(item, (key, position), c, "each entry")
        if record is not None:
            found.append(((key, position), record))
    return found


# ---------------------------------------------------------------------------------------------- assign


def assign_instance_from_json(data: object) -> AssignInstance:
    """Build an :class:`AssignInstance` from parsed JSON or raise ``InputError`` listing every problem."""
    c = Collector()
    if not isinstance(data, Mapping):
        c.add((), f"the input must be a JSON object with 'reviewers' and 'submissions', got {show(data)}")
        c.raise_if_any()
    assert isinstance(data, Mapping)
    limits = rules().limits
    _unknown_keys(data, ASSIGN_KEYS, (), c)

    reviewers: list[Reviewer] = []
    reviewer_ids: set[Id] = set()
    people: dict[Id, Id] = {}
    for path, record in _records(data, "reviewers", c, limits["reviewers"]):
        _unknown_keys(record, REVIEWER_KEYS, path, c)
        errors = len(c)
        reviewer_id = _id(record.get("id"), (*path, "id"), c)
        if reviewer_id is not None:
            if reviewer_id in reviewer_ids:
                c.add((*path, "id"), f"duplicate reviewer id {show(reviewer_id)}")
            reviewer_ids.add(reviewer_id)
        person = _optional_id(record, "person", path, c)
        person_id = person if person is not None else reviewer_id
        if person_id is not None and reviewer_id is not None:
            other = people.setdefault(person_id, reviewer_id)
            if other != reviewer_id:
                c.add(path, f"person {show(person_id)} is already reviewer {show(other)}")
        organisation = _optional_id(record, "organisation", path, c)
        max_load = _whole(record.get("max_load"), (*path, "max_load"), c, 0, limits["max_load"])
        expertise = _tags(record, "expertise", path, c)
        conflicts = record.get("conflicts", {})
        conflict_organisations: tuple[Id, ...] = ()
        conflict_people: tuple[Id, ...] = ()
        conflict_path = (*path, "conflicts")
        declared = _object(conflicts, conflict_path, c, "'conflicts'") if conflicts is not None else {}
        if declared is not None:
            _unknown_keys(declared, CONFLICT_KEYS, conflict_path, c)
            limit = limits["conflicts_per_reviewer"]
            conflict_organisations = _id_list(declared, "organisations", conflict_path, c, limit)
            conflict_people = _id_list(declared, "people", conflict_path, c, limit)
        if len(c) == errors and reviewer_id is not None and max_load is not None:
            reviewers.append(
                Reviewer(
                    id=reviewer_id,
                    organisation=organisation,
                    expertise=expertise,
                    max_load=max_load,
                    conflict_organisations=conflict_organisations,
                    conflict_people=conflict_people,
                    person=person,
                )
            )

    submissions: list[Submission] = []
    submission_ids: set[Id] = set()
    for path, record in _records(data, "submissions", c, limits["submissions"]):
        _unknown_keys(record, SUBMISSION_KEYS, path, c)
        errors = len(c)
        submission_id = _id(record.get("id"), (*path, "id"), c)
        if submission_id is not None:
            if submission_id in submission_ids:
                c.add((*path, "id"), f"duplicate submission id {show(submission_id)}")
            submission_ids.add(submission_id)
        organisation = _optional_id(record, "organisation", path, c)
        team = _id_list(record, "team", path, c, limits["team_size"])
        tags = _tags(record, "tags", path, c)
        needed = _whole(
            record.get("reviewers_needed"), (*path, "reviewers_needed"), c, 1, limits["reviewers_needed"]
        )
        if len(c) == errors and submission_id is not None and needed is not None:
            submissions.append(Submission(submission_id, organisation, team, tags, needed))

    known_kinds = rules().collaboration_kinds
    collaborations: list[Collaboration] = []
    for path, record in _records(data, "collaborations", c, limits["collaborations"], required=False):
        _unknown_keys(record, COLLABORATION_KEYS, path, c)
        errors = len(c)
        a = _party(record.get("a"), (*path, "a"), c)
        b = _party(record.get("b"), (*path, "b"), c)
        kind = record.get("kind")
        if kind not in known_kinds:
            c.add((*path, "kind"), f"must be one of {', '.join(known_kinds)}, got {show(kind)}")
        date = _date(record.get("date"), (*path, "date"), c)
        if len(c) == errors and a is not None and b is not None and date is not None:
            assert isinstance(kind, str)
            collaborations.append(Collaboration(a, b, kind, date))

    parameters = data.get("parameters", {})
    lookback = rules().lookback_years
    as_of: datetime.date | None = None
    given = _object(parameters, ("parameters",), c, "'parameters'") if parameters is not None else {}
    if given is not None:
        _unknown_keys(given, ASSIGN_PARAMETER_KEYS, ("parameters",), c)
        if "lookback_years" in given:
            checked = _whole(
                given["lookback_years"], ("parameters", "lookback_years"), c, 0, limits["lookback_years"]
            )
            lookback = lookback if checked is None else checked
        if given.get("as_of") is not None:
            as_of = _date(given["as_of"], ("parameters", "as_of"), c)
        elif collaborations:
            c.add(
                ("parameters", "as_of"),
                "is required when there are collaborations: the look-back window is counted back from it",
            )
    c.raise_if_any()
    return AssignInstance(tuple(reviewers), tuple(submissions), tuple(collaborations), lookback, as_of)


def _party(value: object, path: Path, c: Collector) -> Party | None:
    record = _object(value, path, c, "a collaboration side")
    if record is None:
        return None
    if len(record) != 1 or next(iter(record)) not in ("person", "organisation"):
        c.add(path, 'must be {"person": id} or {"organisation": id}')
        return None
    kind = next(iter(record))
    party_id = _id(record[kind], (*path, kind), c, f"'{kind}'")
    if party_id is None:
        return None
    return Party("person" if kind == "person" else "organisation", party_id)


def _party_json(party: Party) -> dict[str, Id]:
    return {party.kind: party.id}


def assign_instance_to_json(instance: AssignInstance) -> dict[str, Any]:
    """The inverse of :func:`assign_instance_from_json` (tests and the benchmark generator use it)."""
    parameters: dict[str, Any] = {"lookback_years": instance.lookback_years}
    if instance.as_of is not None:
        parameters["as_of"] = instance.as_of.isoformat()
    return {
        "reviewers": [
            {
                "id": reviewer.id,
                **({} if reviewer.person is None else {"person": reviewer.person}),
                "organisation": reviewer.organisation,
                "expertise": list(reviewer.expertise),
                "max_load": reviewer.max_load,
                "conflicts": {
                    "organisations": list(reviewer.conflict_organisations),
                    "people": list(reviewer.conflict_people),
                },
            }
            for reviewer in instance.reviewers
        ],
        "submissions": [
            {
                "id": submission.id,
                "organisation": submission.organisation,
                "team": list(submission.team),
                "tags": list(submission.tags),
                "reviewers_needed": submission.reviewers_needed,
            }
            for submission in instance.submissions
        ],
        "collaborations": [
            {
                "a": _party_json(item.a),
                "b": _party_json(item.b),
                "kind": item.kind,
                "date": item.date.isoformat(),
            }
            for item in instance.collaborations
        ],
        "parameters": parameters,
    }


def assign_result_to_json(result: AssignResult) -> dict[str, Any]:
    """The result format of docs/review.md."""
    return {
        "status": result.status,
        "method": result.method,
        "assignments": [
            {"submission": item.submission, "reviewer": item.reviewer, "fit": item.fit}
            for item in result.assignments
        ],
        "uncovered": [
            {
                "submission": item.submission,
                "needed": item.needed,
                "eligible": item.eligible,
                "cause": item.cause,
                "reason": item.reason,
                "excluded": [
                    {"reviewer": exclusion.reviewer, "rule": exclusion.rule, "detail": exclusion.detail}
                    for exclusion in item.excluded
                ],
            }
            for item in result.uncovered
        ],
        "loads": [
            {"reviewer": load.reviewer, "load": load.load, "max_load": load.max_load} for load in result.loads
        ],
        "summary": {
            "covered": result.covered,
            "uncovered": len(result.uncovered),
            "reviews": len(result.assignments),
            "max_load": result.max_load,
            "min_load": result.min_load,
            "load_sum_squares": result.load_sum_squares,
            "fit": result.fit,
            "zero_fit_reviews": sum(1 for item in result.assignments if item.fit == 0),
            "conflict_pairs": result.conflict_pairs,
        },
        "bounds": {
            "covered_at_most": result.bounds.covered_at_most,
            "max_load_at_least": result.bounds.max_load_at_least,
            "fit_at_most": result.bounds.fit_at_most,
            "fit_at_most_ignoring_evenness": result.bounds.fit_at_most_ignoring_evenness,
        },
        "solve_seconds": round(result.solve_seconds, 3),
    }


# ----------------------------------------------------------------------------------------------- score


def _scale(value: object, path: Path, c: Collector) -> Scale | None:
    record = _object(value, path, c, "a scale")
    if record is None:
        return None
    _unknown_keys(record, SCALE_KEYS, path, c)
    magnitude = float(rules().limits["scale_magnitude"])
    low = _number(record.get("min"), (*path, "min"), c, -magnitude, magnitude)
    high = _number(record.get("max"), (*path, "max"), c, -magnitude, magnitude)
    step: float | None = None
    if record.get("step") is not None:
        step = _number(record["step"], (*path, "step"), c, 0.0, 2 * magnitude, open_low=True)
    if low is None or high is None:
        return None
    if low >= high:
        c.add(path, f"'min' ({low:g}) must be below 'max' ({high:g})")
        return None
    if step is not None:
        steps = (high - low) / step
        if abs(steps - round(steps)) > GRID_TOLERANCE * max(1.0, steps):
            c.add((*path, "step"), f"{step:g} does not divide the range {low:g}–{high:g} into whole steps")
            return None
    return Scale(low, high, step)


def on_grid(value: float, scale: Scale) -> bool:
    """Inside the scale and, with a step, on one of its steps (to within rounding of decimal input)."""
    if not scale.min <= value <= scale.max:
        return False
    if scale.step is None:
        return True
    steps = (value - scale.min) / scale.step
    return abs(steps - round(steps)) <= GRID_TOLERANCE * max(1.0, abs(steps))


def _scale_text(scale: Scale) -> str:
    text = f"{scale.min:g}–{scale.max:g}"
    return text if scale.step is None else f"{text} in steps of {scale.step:g}"


def score_instance_from_json(data: object) -> ScoreInstance:
    """Build a :class:`ScoreInstance` or raise ``InputError``; out-of-scale scores are refused here."""
    c = Collector()
    if not isinstance(data, Mapping):
        c.add((), f"the input must be a JSON object with 'criteria' and 'scores', got {show(data)}")
        c.raise_if_any()
    assert isinstance(data, Mapping)
    limits = rules().limits
    _unknown_keys(data, SCORE_KEYS, (), c)
    default_scale = _scale(data["scale"], ("scale",), c) if data.get("scale") is not None else None

    criteria: dict[Id, Criterion] = {}
    for path, record in _records(data, "criteria", c, limits["criteria"]):
        _unknown_keys(record, CRITERION_KEYS, path, c)
        criterion_id = _id(record.get("id"), (*path, "id"), c)
        weight = _number(record.get("weight", 1), (*path, "weight"), c, 0.0, limits["weight"], open_low=True)
        if record.get("scale") is not None:
            scale = _scale(record["scale"], (*path, "scale"), c)
        elif default_scale is not None:
            scale = default_scale
        else:
            c.add((*path, "scale"), "is required when the input has no top-level 'scale'")
            scale = None
        if criterion_id is not None and criterion_id in criteria:
            c.add((*path, "id"), f"duplicate criterion id {show(criterion_id)}")
        elif criterion_id is not None and weight is not None and scale is not None:
            criteria[criterion_id] = Criterion(criterion_id, weight, scale)
    if "criteria" in data and isinstance(data["criteria"], list) and not data["criteria"]:
        c.add(("criteria",), "needs at least one criterion")

    scales = {(criterion.scale.min, criterion.scale.max) for criterion in criteria.values()}
    if data.get("total_scale") is not None:
        total_scale = _scale(data["total_scale"], ("total_scale",), c) or DEFAULT_TOTAL_SCALE
    elif len(scales) == 1:
        low, high = next(iter(scales))
        total_scale = Scale(low, high)
    else:
        total_scale = DEFAULT_TOTAL_SCALE

    scores: list[RawScore] = []
    first_path: dict[tuple[Id, Id], Path] = {}
    given: dict[tuple[Id, Id], set[Id]] = defaultdict(set)
    for path, record in _records(data, "scores", c, limits["scores"]):
        _unknown_keys(record, RAW_SCORE_KEYS, path, c)
        errors = len(c)
        reviewer = _id(record.get("reviewer"), (*path, "reviewer"), c, "'reviewer'")
        submission = _id(record.get("submission"), (*path, "submission"), c, "'submission'")
        criterion_id = _id(record.get("criterion"), (*path, "criterion"), c, "'criterion'")
        value = record.get("value")
        if len(c) > errors or reviewer is None or submission is None or criterion_id is None:
            continue
        criterion = criteria.get(criterion_id)
        if criterion is None:
            if "criteria" in data:
                c.add((*path, "criterion"), f"unknown criterion {show(criterion_id)}")
            continue
        who = f"reviewer {show(reviewer)} on submission {show(submission)}, criterion {show(criterion_id)}"
        numeric = not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
        if not numeric:
            c.add((*path, "value"), f"{who}: the score must be a number, got {show(value)}")
            continue
        assert isinstance(value, int | float)
        if not on_grid(float(value), criterion.scale):
            c.add(
                (*path, "value"),
                f"{who}: {value:g} is outside the scale {_scale_text(criterion.scale)}; refused",
            )
            continue
        pair = (reviewer, submission)
        if criterion_id in given[pair]:
            c.add(path, f"{who}: scored twice")
            continue
        given[pair].add(criterion_id)
        first_path.setdefault(pair, path)
        scores.append(RawScore(reviewer, submission, criterion_id, float(value)))
    for pair, scored in given.items():
        missing = [criterion_id for criterion_id in criteria if criterion_id not in scored]
        if missing:
            c.add(
                first_path[pair],
                f"reviewer {show(pair[0])} scored submission {show(pair[1])} on {len(scored)} of "
                f"{len(criteria)} criteria; missing: {', '.join(show(m) for m in missing)}",
            )

    parameters = _score_parameters(data.get("parameters"), total_scale, c)
    c.raise_if_any()
    return ScoreInstance(tuple(criteria.values()), tuple(scores), total_scale, parameters)


def _score_parameters(value: object, total_scale: Scale, c: Collector) -> ScoreParameters:
    defaults = rules()
    if value is None:
        return ScoreParameters(defaults.min_scores, defaults.shrinkage, defaults.outlier_threshold)
    record = _object(value, ("parameters",), c, "'parameters'")
    if record is None:
        return ScoreParameters()
    _unknown_keys(record, SCORE_PARAMETER_KEYS, ("parameters",), c)
    path: Path = ("parameters",)
    min_scores = defaults.min_scores
    if "min_scores" in record:
        checked_count = _whole(record["min_scores"], (*path, "min_scores"), c, 2, 10_000)
        min_scores = min_scores if checked_count is None else checked_count
    shrinkage = defaults.shrinkage
    if "shrinkage" in record:
        checked = _number(record["shrinkage"], (*path, "shrinkage"), c, 0.0, 10_000.0)
        shrinkage = shrinkage if checked is None else checked
    threshold = defaults.outlier_threshold
    if "outlier_threshold" in record:
        checked = _number(
            record["outlier_threshold"], (*path, "outlier_threshold"), c, 0.0, 100.0, open_low=True
        )
        threshold = threshold if checked is None else checked
    target_mean = target_sd = None
    if record.get("target_mean") is not None:
        target_mean = _number(
            record["target_mean"], (*path, "target_mean"), c, total_scale.min, total_scale.max
        )
    if record.get("target_sd") is not None:
        target_sd = _number(
            record["target_sd"], (*path, "target_sd"), c, 0.0, total_scale.width, open_low=True
        )
    return ScoreParameters(min_scores, shrinkage, threshold, target_mean, target_sd)


def _round(value: float) -> float:
    return round(value, 6)


def _scale_json(scale: Scale) -> dict[str, float]:
    data = {"min": scale.min, "max": scale.max}
    if scale.step is not None:
        data["step"] = scale.step
    return data


def score_result_to_json(result: ScoreResult) -> dict[str, Any]:
    """The score result format of docs/review.md (figures rounded to six decimals)."""
    parameters = result.parameters
    return {
        "total_scale": _scale_json(result.total_scale),
        "normalisation": {
            "target_mean": _round(result.target_mean),
            "target_sd": _round(result.target_sd),
            "target": "given"
            if parameters.target_mean is not None or parameters.target_sd is not None
            else "data",
            "min_scores": parameters.min_scores,
            "shrinkage": parameters.shrinkage,
            "outlier_threshold": parameters.outlier_threshold,
        },
        "ranking": [
            {
                "rank": entry.rank,
                "submission": entry.submission,
                "score": _round(entry.score),
                "raw_score": _round(entry.raw_score),
                "raw_rank": entry.raw_rank,
                "reviews": entry.reviews,
                "decided_by": entry.decided_by,
                "raw_decided_by": entry.raw_decided_by,
            }
            for entry in result.ranking
        ],
        "totals": [
            {
                "reviewer": total.reviewer,
                "submission": total.submission,
                "raw_total": _round(total.raw_total),
                "z": _round(total.z),
                "normalised_total": _round(total.normalised_total),
            }
            for total in result.totals
        ],
        "reviewers": [
            {
                "reviewer": summary.reviewer,
                "count": summary.count,
                "mean": _round(summary.mean),
                "sd": _round(summary.sd),
                "method": summary.method,
                "location": None if summary.location is None else _round(summary.location),
                "spread": None if summary.spread is None else _round(summary.spread),
            }
            for summary in result.reviewers
        ],
        "outliers": [
            {
                "reviewer": outlier.reviewer,
                "submission": outlier.submission,
                "raw_total": _round(outlier.raw_total),
                "normalised_total": _round(outlier.normalised_total),
                "others_mean": _round(outlier.others_mean),
                "others_raw_mean": _round(outlier.others_raw_mean),
                "others": outlier.others,
                "deviation": _round(outlier.deviation),
                "message": outlier.message,
            }
            for outlier in result.outliers
        ],
    }
