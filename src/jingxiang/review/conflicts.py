"""Who may review what: conflicts of interest, declared and derived, with a reason for each.

A reviewer is excluded from a submission when (codes as in :data:`records.ExclusionRule`):

* ``own_organisation`` - they work at the submitting organisation;
* ``own_team`` - they are on the submission's team;
* ``declared_organisation`` / ``declared_person`` - they declared a conflict with the submitting
  organisation or with a team member;
* ``collaboration`` - a collaboration the platform knows of, dated within the look-back window:
  (a) *direct*: one side is the reviewer (as a person) or the reviewer's organisation and the other a
  team member or the submitting organisation, whatever the kind; or (b) *shared affiliation*:
  ``same_organisation`` records put the reviewer and a team member at the same organisation;
* ``unavailable`` - their ``max_load`` is 0 (not a conflict, but it also leaves them out).

Both the solver and the greedy baseline start from :func:`derive`; the validator re-derives all of it
from the raw JSON with its own code, so a mistake here cannot hide itself.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from jingxiang.review.records import (
    AssignInstance,
    Collaboration,
    Exclusion,
    ExclusionRule,
    Id,
    Party,
    Reviewer,
    Submission,
)
from jingxiang.review.rules import rules


def window_start(as_of: datetime.date, years: int) -> datetime.date:
    """The first day inside the look-back window (29 February falls back to the 28th)."""
    if as_of.year - years < datetime.MINYEAR:
        return datetime.date.min
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:
        return as_of.replace(year=as_of.year - years, day=28)


def _kind_text(kind: str) -> str:
    return rules().collaboration_kinds[kind].en


@dataclass
class Eligibility:
    """Per submission (by position): the eligible reviewers (positions) and every exclusion.

    ``group`` maps each reviewer position to their organisation group: one group per organisation,
    and a group of their own for a reviewer without one.
    """

    eligible: list[list[int]]
    excluded: list[list[Exclusion]]
    conflict_pairs: int
    group: list[int]


class _Index:
    """Lookups from people and organisations to reviewer positions, built once per instance."""

    def __init__(self, reviewers: tuple[Reviewer, ...]) -> None:
        self.by_person: dict[Id, int] = {}
        self.by_organisation: dict[Id, list[int]] = defaultdict(list)
        self.declaring_organisation: dict[Id, list[int]] = defaultdict(list)
        self.declaring_person: dict[Id, list[int]] = defaultdict(list)
        for position, reviewer in enumerate(reviewers):
            self.by_person[reviewer.person_id] = position
            if reviewer.organisation is not None:
                self.by_organisation[reviewer.organisation].append(position)
            for organisation in reviewer.conflict_organisations:
                self.declaring_organisation[organisation].append(position)
            for person in reviewer.conflict_people:
                self.declaring_person[person].append(position)

    def represented(self, party: Party) -> list[int]:
        """Reviewers a collaboration side stands for: the person, or everyone at the organisation."""
        if party.kind == "person":
            position = self.by_person.get(party.id)
            return [] if position is None else [position]
        return self.by_organisation.get(party.id, [])


class _History:
    """Recent collaborations as direct links and as person → organisation affiliations."""

    def __init__(self, instance: AssignInstance, index: _Index) -> None:
        self.links: dict[Party, list[tuple[Party, Collaboration]]] = defaultdict(list)
        self.affiliations: dict[Id, list[tuple[Id, Collaboration]]] = defaultdict(list)
        self.affiliated_reviewers: dict[Id, list[tuple[int, Collaboration]]] = defaultdict(list)
        if instance.as_of is None:
            return
        start = window_start(instance.as_of, instance.lookback_years)
        for item in instance.collaborations:
            if item.date < start:
                continue
            self.links[item.a].append((item.b, item))
            self.links[item.b].append((item.a, item))
            if item.kind != "same_organisation" or {item.a.kind, item.b.kind} != {"person", "organisation"}:
                continue
            person, organisation = (item.a, item.b) if item.a.kind == "person" else (item.b, item.a)
            self.affiliations[person.id].append((organisation.id, item))
            reviewer = index.by_person.get(person.id)
            if reviewer is not None:
                self.affiliated_reviewers[organisation.id].append((reviewer, item))


def derive(instance: AssignInstance, *, history: bool = True) -> Eligibility:
    """Eligible reviewers and exclusions for every submission.

    ``history=False`` ignores collaborations: what a spreadsheet that knows only declared conflicts
    and organisations would do. The benchmark's greedy baseline uses it to show what that misses.
    """
    reviewers = instance.reviewers
    index = _Index(reviewers)
    recent = _History(instance, index) if history else None
    groups: dict[Id | tuple[int], int] = {}
    # An independent expert (no organisation) is a group of their own, keyed by their position.
    group = [
        groups.setdefault(
            (position,) if reviewer.organisation is None else reviewer.organisation, len(groups)
        )
        for position, reviewer in enumerate(reviewers)
    ]
    available = [position for position, reviewer in enumerate(reviewers) if reviewer.max_load > 0]
    unavailable = [
        Exclusion(reviewer.id, "unavailable", "max_load is 0")
        for reviewer in reviewers
        if reviewer.max_load == 0
    ]
    eligibility = Eligibility([], [], 0, group)
    for submission in instance.submissions:
        found = _conflicts(submission, reviewers, index, recent)
        eligibility.conflict_pairs += len(found)
        eligibility.eligible.append([position for position in available if position not in found])
        exclusions = [exclusion for position in sorted(found) for exclusion in found[position]]
        eligibility.excluded.append(exclusions + unavailable)
    return eligibility


def _conflicts(
    submission: Submission, reviewers: tuple[Reviewer, ...], index: _Index, recent: _History | None
) -> dict[int, list[Exclusion]]:
    found: dict[int, list[Exclusion]] = defaultdict(list)

    def add(position: int, rule: ExclusionRule, detail: str) -> None:
        entry = Exclusion(reviewers[position].id, rule, detail)
        if entry not in found[position]:
            found[position].append(entry)

    organisation = submission.organisation
    if organisation is not None:
        for position in index.by_organisation.get(organisation, []):
            add(position, "own_organisation", f"works at the submitting organisation {organisation!r}")
        for position in index.declaring_organisation.get(organisation, []):
            add(position, "declared_organisation", f"declared a conflict with organisation {organisation!r}")
    for member in submission.team:
        on_team = index.by_person.get(member)
        if on_team is not None:
            add(on_team, "own_team", "is on the submission's team")
        for position in index.declaring_person.get(member, []):
            add(position, "declared_person", f"declared a conflict with team member {member!r}")
    if recent is None:
        return found
    sides = [Party("person", member) for member in submission.team]
    if organisation is not None:
        sides.append(Party("organisation", organisation))
    for side in sides:
        role = "the submitting organisation" if side.kind == "organisation" else f"team member {side.id!r}"
        for other, item in recent.links.get(side, []):
            for position in index.represented(other):
                who = (
                    "the reviewer" if other.kind == "person" else f"the reviewer's organisation {other.id!r}"
                )
                add(
                    position,
                    "collaboration",
                    f"{_kind_text(item.kind)}: {who} and {role} ({item.date.isoformat()})",
                )
    for member in submission.team:
        for place, member_item in recent.affiliations.get(member, []):
            for position, reviewer_item in recent.affiliated_reviewers.get(place, []):
                add(
                    position,
                    "collaboration",
                    f"{_kind_text('same_organisation')}: the reviewer ({reviewer_item.date.isoformat()}) and team "
                    f"member {member!r} ({member_item.date.isoformat()}) at organisation {place!r}",
                )
    return found
