"""An independent check of an assignment against its instance, run before anything is published.

It reads the raw JSON of both and re-derives every hard rule from scratch - conflicts (declared and
from collaboration history), the organisation rule, counts, loads, fit - sharing no code with
:mod:`.conflicts`, :mod:`.problem` or the solvers, so a bug there cannot hide itself here. It never
raises on malformed input: everything it finds is returned as a :class:`Violation`.
"""

from __future__ import annotations

import calendar
import datetime
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jingxiang.review.rules import rules

STATUSES = ("optimal", "feasible")
CAUSES = ("conflicts", "organisations", "capacity")


@dataclass(frozen=True)
class Violation:
    """One broken rule. ``kind`` is stable (tests and the web app match on it); ``message`` explains."""

    kind: str
    message: str


def _key(value: object) -> object:
    return value if isinstance(value, str | int) and not isinstance(value, bool) else repr(value)


def _list(data: object, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, Mapping) else None
    return value if isinstance(value, list) else []


def _objects(data: object, key: str) -> list[Mapping[str, Any]]:
    return [item for item in _list(data, key) if isinstance(item, Mapping)]


def _tag(value: object) -> str:
    return unicodedata.normalize("NFKC", value).strip().casefold() if isinstance(value, str) else ""


def _date(value: object) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _window_start(as_of: datetime.date, years: int) -> datetime.date:
    """``years`` calendar years before ``as_of``, clamped to the month's last day (29 February)."""
    year = as_of.year - years
    if year < datetime.MINYEAR:
        return datetime.date.min
    return datetime.date(year, as_of.month, min(as_of.day, calendar.monthrange(year, as_of.month)[1]))


def _side(value: object) -> tuple[str, object] | None:
    if isinstance(value, Mapping) and len(value) == 1:
        kind, party = next(iter(value.items()))
        if kind in ("person", "organisation"):
            return (kind, _key(party))
    return None


class _Instance:
    """The instance as plain lookups, read without the engine's parser."""

    def __init__(self, data: object) -> None:
        self.reviewers: dict[object, Mapping[str, Any]] = {}
        self.order: list[object] = []
        for reviewer in _objects(data, "reviewers"):
            self.reviewers[_key(reviewer.get("id"))] = reviewer
            self.order.append(_key(reviewer.get("id")))
        self.submissions: dict[object, Mapping[str, Any]] = {
            _key(s.get("id")): s for s in _objects(data, "submissions")
        }
        parameters = data.get("parameters") if isinstance(data, Mapping) else None
        parameters = parameters if isinstance(parameters, Mapping) else {}
        years = parameters.get("lookback_years", rules().lookback_years)
        as_of = _date(parameters.get("as_of"))
        self.links: dict[tuple[str, object], set[tuple[str, object]]] = defaultdict(set)
        self.worked_at: dict[object, set[object]] = defaultdict(set)
        if as_of is None or not isinstance(years, int) or isinstance(years, bool):
            return
        start = _window_start(as_of, years)
        for item in _objects(data, "collaborations"):
            a, b, when = _side(item.get("a")), _side(item.get("b")), _date(item.get("date"))
            if a is None or b is None or when is None:
                continue
            if when < start:
                continue
            self.links[a].add(b)
            self.links[b].add(a)
            if item.get("kind") == "same_organisation" and {a[0], b[0]} == {"person", "organisation"}:
                person, place = (a, b) if a[0] == "person" else (b, a)
                self.worked_at[person[1]].add(place[1])

    def person(self, reviewer_id: object) -> object:
        reviewer = self.reviewers[reviewer_id]
        return _key(reviewer.get("person")) if reviewer.get("person") is not None else reviewer_id

    def conflict(self, reviewer_id: object, submission_id: object) -> str | None:
        """The first rule that forbids this pair, or ``None``."""
        reviewer, submission = self.reviewers[reviewer_id], self.submissions[submission_id]
        person = self.person(reviewer_id)
        home = reviewer.get("organisation")
        applicant = submission.get("organisation")
        team = {_key(member) for member in _list(submission, "team")}
        declared = reviewer.get("conflicts") if isinstance(reviewer.get("conflicts"), Mapping) else {}
        if home is not None and _key(home) == _key(applicant):
            return f"reviewer {reviewer_id!r} works at the submitting organisation {applicant!r}"
        if person in team:
            return f"reviewer {reviewer_id!r} is on the team of {submission_id!r}"
        if applicant is not None and _key(applicant) in {_key(o) for o in _list(declared, "organisations")}:
            return f"reviewer {reviewer_id!r} declared a conflict with organisation {applicant!r}"
        if team & {_key(p) for p in _list(declared, "people")}:
            return f"reviewer {reviewer_id!r} declared a conflict with a team member of {submission_id!r}"
        reviewer_sides = {("person", person)} | (
            {("organisation", _key(home))} if home is not None else set()
        )
        submission_sides = {("person", member) for member in team}
        if applicant is not None:
            submission_sides.add(("organisation", _key(applicant)))
        for side in reviewer_sides:
            if self.links.get(side, set()) & submission_sides:
                return f"reviewer {reviewer_id!r} has a recent collaboration with {submission_id!r}"
        places = self.worked_at.get(person, set())
        if places and any(places & self.worked_at.get(member, set()) for member in team):
            return f"reviewer {reviewer_id!r} and a team member of {submission_id!r} recently shared an organisation"
        return None

    def max_load(self, reviewer_id: object) -> int:
        value = self.reviewers[reviewer_id].get("max_load")
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def need(self, submission_id: object) -> int:
        value = self.submissions[submission_id].get("reviewers_needed")
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def fit(self, reviewer_id: object, submission_id: object) -> int:
        expertise = {_tag(t) for t in _list(self.reviewers[reviewer_id], "expertise")}
        return len({_tag(t) for t in _list(self.submissions[submission_id], "tags")} & expertise - {""})

    def organisation_group(self, reviewer_id: object) -> object:
        home = self.reviewers[reviewer_id].get("organisation")
        return ("independent", reviewer_id) if home is None else ("organisation", _key(home))


def validate(instance_data: object, result_data: object) -> list[Violation]:
    """Every hard-rule and consistency violation of ``result_data`` (result JSON) for ``instance_data``."""
    if not isinstance(instance_data, Mapping) or not isinstance(result_data, Mapping):
        return [Violation("malformed", "instance and result must both be JSON objects")]
    instance = _Instance(instance_data)
    violations: list[Violation] = []
    status = result_data.get("status")
    if status not in STATUSES:
        violations.append(Violation("bad_status", f"status must be one of {STATUSES}, got {status!r}"))
    panels = _read_assignments(instance, result_data, violations)
    loads: Counter[object] = Counter()
    for submission_id, reviewers in panels.items():
        groups: dict[object, object] = {}
        for reviewer_id in reviewers:
            loads[reviewer_id] += 1
            reason = instance.conflict(reviewer_id, submission_id)
            if reason is not None:
                violations.append(Violation("conflict_of_interest", reason))
            group = instance.organisation_group(reviewer_id)
            if group in groups:
                violations.append(
                    Violation(
                        "same_organisation_twice",
                        f"submission {submission_id!r}: {groups[group]!r} and {reviewer_id!r} are both from "
                        f"organisation {group[1]!r}",  # type: ignore[index]
                    )
                )
            groups[group] = reviewer_id
        if len(reviewers) != instance.need(submission_id):
            violations.append(
                Violation(
                    "wrong_reviewer_count",
                    f"submission {submission_id!r} has {len(reviewers)} reviewers, needs {instance.need(submission_id)}",
                )
            )
    for reviewer_id, load in loads.items():
        if load > instance.max_load(reviewer_id):
            violations.append(
                Violation(
                    "overloaded",
                    f"reviewer {reviewer_id!r} has {load} reviews, max_load {instance.max_load(reviewer_id)}",
                )
            )
    _check_uncovered(instance, result_data, panels, loads, violations)
    _check_figures(instance, result_data, panels, loads, violations)
    return violations


def _read_assignments(
    instance: _Instance, result: Mapping[str, Any], violations: list[Violation]
) -> dict[object, list[object]]:
    panels: dict[object, list[object]] = defaultdict(list)
    raw = result.get("assignments")
    if not isinstance(raw, list):
        violations.append(Violation("malformed", "'assignments' must be a list"))
        return panels
    seen: set[tuple[object, object]] = set()
    for position, item in enumerate(raw):
        if not isinstance(item, Mapping):
            violations.append(Violation("malformed", f"assignments[{position}] is not an object"))
            continue
        submission_id, reviewer_id = _key(item.get("submission")), _key(item.get("reviewer"))
        if submission_id not in instance.submissions:
            violations.append(Violation("unknown_submission", f"assignments[{position}]: {submission_id!r}"))
            continue
        if reviewer_id not in instance.reviewers:
            violations.append(Violation("unknown_reviewer", f"assignments[{position}]: {reviewer_id!r}"))
            continue
        if (submission_id, reviewer_id) in seen:
            violations.append(
                Violation("duplicate_assignment", f"{reviewer_id!r} is assigned to {submission_id!r} twice")
            )
            continue
        seen.add((submission_id, reviewer_id))
        panels[submission_id].append(reviewer_id)
        if item.get("fit") != instance.fit(reviewer_id, submission_id):
            violations.append(
                Violation(
                    "fit_mismatch",
                    f"{reviewer_id!r} on {submission_id!r}: fit {item.get('fit')!r}, shared tags "
                    f"{instance.fit(reviewer_id, submission_id)}",
                )
            )
    return panels


def _check_uncovered(
    instance: _Instance,
    result: Mapping[str, Any],
    panels: dict[object, list[object]],
    loads: Counter[object],
    violations: list[Violation],
) -> None:
    listed: Counter[object] = Counter()
    for item in _objects(result, "uncovered"):
        submission_id = _key(item.get("submission"))
        listed[submission_id] += 1
        if submission_id not in instance.submissions:
            violations.append(Violation("unknown_submission", f"uncovered: {submission_id!r}"))
            continue
        if submission_id in panels:
            violations.append(
                Violation("uncovered_mismatch", f"{submission_id!r} is listed as uncovered but has reviewers")
            )
            continue
        if not isinstance(item.get("reason"), str) or not item["reason"].strip():
            violations.append(Violation("missing_reason", f"uncovered {submission_id!r} has no reason"))
        eligible = [
            r
            for r in instance.order
            if instance.max_load(r) > 0 and instance.conflict(r, submission_id) is None
        ]
        groups = {instance.organisation_group(r) for r in eligible}
        need = instance.need(submission_id)
        if item.get("eligible") != len(eligible):
            violations.append(
                Violation(
                    "eligible_mismatch",
                    f"uncovered {submission_id!r}: says {item.get('eligible')!r} eligible reviewers, there are {len(eligible)}",
                )
            )
        cause = item.get("cause")
        locally_impossible = len(eligible) < need or len(groups) < need
        if cause not in CAUSES:
            violations.append(Violation("bad_cause", f"uncovered {submission_id!r}: cause {cause!r}"))
        elif cause == "conflicts" and len(eligible) >= need:
            violations.append(
                Violation(
                    "unjustified_uncovered",
                    f"{submission_id!r}: cause 'conflicts' but {len(eligible)} eligible reviewers for {need} places",
                )
            )
        elif cause == "organisations" and (len(eligible) < need or len(groups) >= need):
            violations.append(
                Violation(
                    "unjustified_uncovered",
                    f"{submission_id!r}: cause 'organisations' but {len(eligible)} eligible reviewers from "
                    f"{len(groups)} organisations for {need} places",
                )
            )
        elif cause == "capacity" and locally_impossible:
            violations.append(
                Violation(
                    "unjustified_uncovered",
                    f"{submission_id!r}: cause 'capacity' but it can never be covered",
                )
            )
        spare = {instance.organisation_group(r) for r in eligible if loads[r] < instance.max_load(r)}
        if not locally_impossible and len(spare) >= need:
            violations.append(
                Violation(
                    "could_be_covered",
                    f"{submission_id!r} is uncovered but eligible reviewers from {len(spare)} organisations have "
                    f"reviews to spare ({need} needed)",
                )
            )
        if result.get("status") == "optimal" and not locally_impossible:
            violations.append(
                Violation(
                    "optimal_with_gap", f"status optimal but {submission_id!r} could be covered on its own"
                )
            )
    for submission_id in instance.submissions:
        if submission_id not in panels and listed[submission_id] != 1:
            violations.append(
                Violation(
                    "uncovered_mismatch",
                    f"{submission_id!r} has no reviewers and is listed {listed[submission_id]} times as uncovered",
                )
            )


def _check_figures(
    instance: _Instance,
    result: Mapping[str, Any],
    panels: dict[object, list[object]],
    loads: Counter[object],
    violations: list[Violation],
) -> None:
    reported = {_key(item.get("reviewer")): item.get("load") for item in _objects(result, "loads")}
    for reviewer_id in instance.order:
        if reported.get(reviewer_id) != loads[reviewer_id]:
            violations.append(
                Violation(
                    "load_mismatch",
                    f"reviewer {reviewer_id!r}: load {reported.get(reviewer_id)!r} reported, {loads[reviewer_id]} assigned",
                )
            )
    active = [loads[r] for r in instance.order if instance.max_load(r) > 0]
    fit = sum(instance.fit(r, s) for s, reviewers in panels.items() for r in reviewers)
    actual = {
        "covered": len(panels),
        "reviews": sum(len(reviewers) for reviewers in panels.values()),
        "max_load": max(active, default=0),
        "min_load": min(active, default=0),
        "load_sum_squares": sum(load**2 for load in loads.values()),
        "fit": fit,
    }
    summary = result.get("summary")
    summary = summary if isinstance(summary, Mapping) else {}
    for key, value in actual.items():
        if summary.get(key) != value:
            violations.append(
                Violation("summary_mismatch", f"summary {key}: {summary.get(key)!r}, actual {value}")
            )
    bounds = result.get("bounds")
    bounds = bounds if isinstance(bounds, Mapping) else {}
    checks = (
        ("covered_at_most", actual["covered"], 1),
        ("max_load_at_least", actual["max_load"], -1),
        ("fit_at_most", fit, 1),
        ("fit_at_most_ignoring_evenness", fit, 1),
    )
    for key, value, direction in checks:
        bound = bounds.get(key)
        if bound is None:
            if result.get("status") == "optimal" and key != "fit_at_most_ignoring_evenness":
                violations.append(
                    Violation("optimal_without_bound", f"status optimal but bound {key} is missing")
                )
            continue
        if not isinstance(bound, int) or isinstance(bound, bool) or (bound - value) * direction < 0:
            violations.append(
                Violation("bound_violated", f"{key} is {bound!r} but the assignment has {value}")
            )
        elif result.get("status") == "optimal" and key != "fit_at_most_ignoring_evenness" and bound != value:
            violations.append(
                Violation("optimal_with_gap", f"status optimal but {key} is {bound}, achieved {value}")
            )
