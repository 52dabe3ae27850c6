"""Deterministic generators for the review benchmark: assignment instances and scoring simulations.

Assignment instances follow what a talent-fund or competition round looks like in the cluster: experts
from universities, testing labs, associations and firms (about one in ten independent), expertise in
topical areas (lenses, coatings, frames, optometry, smart eyewear, manufacturing, trade); entries from
many small firms, some of them the experts' own employers; teams of one to five people, a few of them
serial applicants. Conflicts come from every rule the engine knows: own organisation, declared
organisations and people, and collaboration records (past employment both ways, co-applications,
sharing engagements between organisations), plus records older than the look-back window that must
*not* count. Collaborations are added until ``conflict_share`` of all reviewer × submission pairs are
conflicted, counted here with the generator's own bookkeeping (the benchmark reports the engine's count).

Everything is drawn from ``random.Random(seed)``, so a seed reproduces an instance exactly.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

AREAS = {
    "镜片": ["树脂镜片", "玻璃镜片", "渐进多焦点", "近视防控", "非球面设计", "光致变色"],
    "镀膜": ["减反射膜", "防蓝光", "加硬膜", "防雾涂层", "真空镀膜"],
    "镜架": ["钛架", "板材镜架", "TR90", "铰链结构", "表面处理"],
    "视光": ["验光", "眼视光临床", "低视力", "角膜塑形", "视功能训练"],
    "智能眼镜": ["AR光学", "嵌入式系统", "传感器", "人机交互"],
    "制造": ["模具", "注塑", "数控加工", "自动化产线", "质量检测"],
    "贸易": ["跨境电商", "品牌设计", "供应链", "国际标准"],
}
AS_OF = datetime.date(2025, 6, 30)
LOOKBACK_YEARS = 3


@dataclass(frozen=True)
class Size:
    submissions: int = 2000
    reviewers: int = 300
    reviewers_needed: int = 3
    conflict_share: float = 0.05

    def label(self) -> str:
        return (
            f"{self.submissions:,} submissions × {self.reviewers} reviewers × {self.reviewers_needed} reviews, "
            f"{self.conflict_share:.0%} conflict pairs"
        )


def _tags(rng: random.Random, low: int, high: int) -> list[str]:
    area = rng.choice(list(AREAS))
    tags = rng.sample(AREAS[area], min(len(AREAS[area]), rng.randint(low, high)))
    if rng.random() < 0.4:
        other = rng.choice(list(AREAS))
        tags.append(rng.choice(AREAS[other]))
    return list(dict.fromkeys(tags))


def _recent(rng: random.Random) -> str:
    return (AS_OF - datetime.timedelta(days=rng.randint(0, 365 * LOOKBACK_YEARS - 30))).isoformat()


def _old(rng: random.Random) -> str:
    return (AS_OF - datetime.timedelta(days=rng.randint(365 * LOOKBACK_YEARS + 30, 365 * 10))).isoformat()


def generate_assignment(size: Size, seed: int, *, capacity_ratio: float = 1.4) -> dict[str, Any]:
    """An assignment instance in the JSON format of ``python -m jingxiang.review assign``.

    ``capacity_ratio`` is the reviewers' total ``max_load`` over the reviews needed (below 1 makes a
    pool that is too small, where the CP-SAT coverage step has to choose).
    """
    rng = random.Random(seed)
    institutions = (
        [f"uni-{n}" for n in range(12)] + [f"lab-{n}" for n in range(8)] + [f"assoc-{n}" for n in range(4)]
    )
    firms = [f"firm-{n:04d}" for n in range(max(50, size.submissions // 3))]
    reviewer_firms = rng.sample(firms, 30)
    reviewer_orgs = institutions + reviewer_firms
    weights = [
        3.0 if org.startswith("uni") else 1.5 if org.startswith("lab") else 1.0 for org in reviewer_orgs
    ]

    reviewers: list[dict[str, Any]] = []
    demand = size.submissions * size.reviewers_needed
    mean_load = capacity_ratio * demand / size.reviewers
    for number in range(size.reviewers):
        organisation = None if rng.random() < 0.1 else rng.choices(reviewer_orgs, weights)[0]
        reviewers.append(
            {
                "id": f"r{number:03d}",
                "organisation": organisation,
                "expertise": _tags(rng, 2, 4),
                "max_load": max(1, round(mean_load * rng.choice([0.5, 0.8, 1.0, 1.0, 1.2, 1.5]))),
                "conflicts": {"organisations": [], "people": []},
            }
        )
    total = sum(r["max_load"] for r in reviewers)
    # rescale so the total capacity is the requested ratio of the demand (rounding drifts otherwise)
    for reviewer in reviewers:
        reviewer["max_load"] = max(1, round(reviewer["max_load"] * capacity_ratio * demand / total))

    people = [f"p{n:05d}" for n in range(size.submissions * 3)]
    submissions: list[dict[str, Any]] = []
    for number in range(size.submissions):
        # one in twenty entries comes from an expert's own employer
        organisation = rng.choice(reviewer_firms) if rng.random() < 0.05 else rng.choice(firms)
        team = rng.sample(people[: len(people) // 3], 1) if rng.random() < 0.1 else []
        team += rng.sample(people, rng.randint(1, 4))
        if rng.random() < 0.01:
            team.append(rng.choice(reviewers)["id"])  # an expert who is also on a team
        submissions.append(
            {
                "id": f"s{number:04d}",
                "organisation": organisation,
                "team": list(dict.fromkeys(team)),
                "tags": _tags(rng, 2, 3),
                "reviewers_needed": size.reviewers_needed,
            }
        )

    by_org: dict[str | None, list[int]] = defaultdict(list)
    for position, reviewer in enumerate(reviewers):
        by_org[reviewer["organisation"]].append(position)
    subs_of_firm: dict[str, list[int]] = defaultdict(list)
    subs_of_person: dict[str, list[int]] = defaultdict(list)
    for position, submission in enumerate(submissions):
        subs_of_firm[submission["organisation"]].append(position)
        for member in submission["team"]:
            subs_of_person[member].append(position)
    conflicted: set[tuple[int, int]] = set()
    for r, reviewer in enumerate(reviewers):
        if reviewer["organisation"] is not None:
            conflicted.update((r, s) for s in subs_of_firm.get(reviewer["organisation"], []))
        conflicted.update((r, s) for s in subs_of_person.get(reviewer["id"], []))
        for firm in rng.sample(firms, rng.randint(0, 3)):
            reviewer["conflicts"]["organisations"].append(firm)
            conflicted.update((r, s) for s in subs_of_firm.get(firm, []))
        for person in rng.sample(people, rng.randint(0, 2)):
            reviewer["conflicts"]["people"].append(person)
            conflicted.update((r, s) for s in subs_of_person.get(person, []))

    collaborations: list[dict[str, Any]] = []
    target = size.conflict_share * size.reviewers * size.submissions
    while len(conflicted) < target:
        r = rng.randrange(size.reviewers)
        reviewer = reviewers[r]
        s = rng.randrange(size.submissions)
        submission = submissions[s]
        member = rng.choice(submission["team"])
        kind = rng.random()
        if kind < 0.35:  # the expert used to work at the submitting firm
            record = (
                {"person": reviewer["id"]},
                {"organisation": submission["organisation"]},
                "same_organisation",
            )
            added = [(r, other) for other in subs_of_firm[submission["organisation"]]]
        elif (
            kind < 0.55 and reviewer["organisation"] is not None
        ):  # a team member used to work with the expert
            record = ({"person": member}, {"organisation": reviewer["organisation"]}, "same_organisation")
            added = [(other, t) for other in by_org[reviewer["organisation"]] for t in subs_of_person[member]]
        elif kind < 0.85:
            record = ({"person": reviewer["id"]}, {"person": member}, "co_applicants")
            added = [(r, t) for t in subs_of_person[member]]
        elif reviewer["organisation"] is not None:
            record = (
                {"organisation": reviewer["organisation"]},
                {"organisation": submission["organisation"]},
                "sharing_engagement",
            )
            added = [
                (other, t)
                for other in by_org[reviewer["organisation"]]
                for t in subs_of_firm[submission["organisation"]]
            ]
        else:
            continue
        a, b, kind_name = record
        collaborations.append({"a": a, "b": b, "kind": kind_name, "date": _recent(rng)})
        conflicted.update(added)
        if rng.random() < 0.5:  # and an old record that must not count
            old_r = reviewers[rng.randrange(size.reviewers)]
            old_s = submissions[rng.randrange(size.submissions)]
            collaborations.append(
                {
                    "a": {"person": old_r["id"]},
                    "b": {"organisation": old_s["organisation"]},
                    "kind": "same_organisation",
                    "date": _old(rng),
                }
            )
    rng.shuffle(collaborations)
    return {
        "parameters": {"lookback_years": LOOKBACK_YEARS, "as_of": AS_OF.isoformat()},
        "reviewers": reviewers,
        "submissions": submissions,
        "collaborations": collaborations,
    }


@dataclass(frozen=True)
class Panel:
    """A simulated round: ``strictness_sd`` and ``spread_sd`` describe how differently judges score."""

    submissions: int = 300
    judges: int = 40
    reviews: int = 3
    strictness_sd: float = 1.0
    spread_sd: float = 0.3
    noise_sd: float = 0.6
    rogue_share: float = 0.02
    rogue_shift: float = 4.0


CRITERIA = (("innovation", 0.3), ("technology", 0.3), ("market", 0.2), ("team", 0.2))


def simulate_scores(
    panel: Panel, seed: int, assignment: dict[str, list[str]]
) -> tuple[dict[str, Any], dict[str, float], set[tuple[str, str]]]:
    """Scores on a 0-10 scale (step 0.5) for an assignment (submission → judges), the true quality, and
    the planted rogue (judge, submission) pairs.

    Each submission has a true quality ``q ~ N(0, 1)``; judge ``j`` has a strictness ``b_j ~ N(0,
    strictness_sd)`` (added, in quality units) and a spread ``a_j = exp(N(0, spread_sd))`` (how much of
    the scale they use); each criterion score is ``6 + 1.5·(a_j·(q + c) + b_j) + e`` with a per-criterion
    deviation ``c ~ N(0, 0.3)`` and noise ``e ~ N(0, noise_sd)``, rounded to the step and clipped to 0-10.
    A ``rogue_share`` of the (judge, submission) pairs are rogue: every criterion moved by
    ``±rogue_shift`` (a grudge, a favour, a misread entry) - what the outlier flags should find.
    """
    rng = random.Random(seed)
    quality = {f"s{n:04d}": rng.gauss(0.0, 1.0) for n in range(panel.submissions)}
    strictness = {f"j{n:03d}": rng.gauss(0.0, panel.strictness_sd) for n in range(panel.judges)}
    spread = {judge: rng.lognormvariate(0.0, panel.spread_sd) for judge in strictness}
    scores: list[dict[str, Any]] = []
    rogue: set[tuple[str, str]] = set()
    for submission, judges in assignment.items():
        for judge in judges:
            shift = 0.0
            if rng.random() < panel.rogue_share:
                rogue.add((judge, submission))
                shift = rng.choice((-1.0, 1.0)) * panel.rogue_shift
            for criterion, _weight in CRITERIA:
                latent = spread[judge] * (quality[submission] + rng.gauss(0.0, 0.3)) + strictness[judge]
                value = 6.0 + 1.5 * latent + rng.gauss(0.0, panel.noise_sd) + shift
                value = min(10.0, max(0.0, round(value * 2) / 2))
                scores.append(
                    {"reviewer": judge, "submission": submission, "criterion": criterion, "value": value}
                )
    data = {
        "scale": {"min": 0, "max": 10, "step": 0.5},
        "criteria": [{"id": criterion, "weight": weight} for criterion, weight in CRITERIA],
        "scores": scores,
    }
    return data, quality, rogue


def panel_instance(panel: Panel, seed: int) -> dict[str, Any]:
    """The assignment instance of a simulated round: judges and entries with conflicts from own firms."""
    rng = random.Random(seed)
    judges = [
        {
            "id": f"j{n:03d}",
            "organisation": f"org-{rng.randrange(panel.judges // 2)}",
            "expertise": _tags(rng, 2, 4),
            "max_load": round(1.5 * panel.submissions * panel.reviews / panel.judges),
        }
        for n in range(panel.judges)
    ]
    submissions = [
        {
            "id": f"s{n:04d}",
            "organisation": f"org-{rng.randrange(panel.judges * 2)}",
            "team": [f"p{n:04d}"],
            "tags": _tags(rng, 2, 3),
            "reviewers_needed": panel.reviews,
        }
        for n in range(panel.submissions)
    ]
    return {"reviewers": judges, "submissions": submissions}
