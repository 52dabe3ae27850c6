"""Scores: weighted totals, per-reviewer normalisation, outlier flags and a ranking with tie-breaks.

The problem it solves: with a few reviewers per entry, an entry's raw average depends on *which*
reviewers it drew - one strict judge can sink a good project. Each reviewer's totals are therefore
re-expressed relative to that reviewer's own habits (a z-score) and mapped back onto the total scale
as the score an average reviewer would have given. The method and its parameters are in
docs/review.md; in short, for reviewer ``j`` with ``n`` totals, mean ``m`` and sample sd ``s``:

* ``n < min_scores``: left raw (treated as an average reviewer) - a mean from two or three totals
  mostly reflects which entries they happened to get, not how strict they are;
* otherwise location ``m' = (n·m + k·μ) / (n + k)`` and spread ``s'² = ((n-1)·s² + k·σ²) / (n-1+k)``
  with ``k = shrinkage`` (0 by default: plain z-scores), ``z = (t - m') / s'`` and normalised total
  ``μ + σ·z``; a reviewer who gave every entry the same total (``s' = 0``) expresses no preference and
  gets ``μ`` throughout.

``μ`` is the mean of all raw totals and ``σ`` the pooled within-reviewer standard deviation, unless the
input fixes them (``target_mean``, ``target_sd``). Normalised totals are not clipped to the scale:
clipping would tie entries a reviewer clearly separated and would break the invariances tested.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from jingxiang.review.records import (
    EntryTotal,
    Id,
    Outlier,
    RankedEntry,
    ReviewerSummary,
    ScoreInstance,
    ScoreResult,
)

# Float noise (e.g. from adding and removing a constant) must not decide a ranking: compare rounded.
RANK_DECIMALS = 9


@dataclass
class _Entry:
    submission: Id
    order: int
    score: float
    raw_score: float
    reviews: int


def weighted_totals(instance: ScoreInstance) -> dict[tuple[Id, Id], float]:
    """Each (reviewer, submission)'s weighted total on the total scale, in order of first appearance.

    Every criterion value is first placed in its own scale (0 at the bottom, 1 at the top), the weighted
    mean of those positions is taken, and the result is placed on the total scale. With criteria sharing
    one scale and no ``total_scale``, that is simply the weighted mean of the values.
    """
    criteria = {criterion.id: criterion for criterion in instance.criteria}
    weight_sum = math.fsum(criterion.weight for criterion in instance.criteria)
    parts: dict[tuple[Id, Id], list[float]] = defaultdict(list)
    for score in instance.scores:
        criterion = criteria[score.criterion]
        parts[(score.reviewer, score.submission)].append(
            criterion.weight * (score.value - criterion.scale.min) / criterion.scale.width
        )
    scale = instance.total_scale
    return {pair: scale.min + scale.width * math.fsum(values) / weight_sum for pair, values in parts.items()}


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _sample_sd(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = _mean(values)
    return math.sqrt(math.fsum((value - mean) ** 2 for value in values) / (len(values) - 1))


def score(instance: ScoreInstance) -> ScoreResult:
    """Normalise, flag and rank the scores of ``instance`` (see the module docstring)."""
    parameters = instance.parameters
    totals = weighted_totals(instance)
    by_reviewer: dict[Id, list[tuple[Id, float]]] = defaultdict(list)
    for (reviewer, submission), total in totals.items():
        by_reviewer[reviewer].append((submission, total))

    values = list(totals.values())
    mu = parameters.target_mean if parameters.target_mean is not None else (_mean(values) if values else 0.0)
    within = [
        (total - _mean([t for _s, t in entries])) ** 2
        for entries in by_reviewer.values()
        if len(entries) >= 2
        for _submission, total in entries
    ]
    degrees = sum(len(entries) - 1 for entries in by_reviewer.values() if len(entries) >= 2)
    pooled = math.sqrt(math.fsum(within) / degrees) if degrees else 0.0
    sigma = parameters.target_sd if parameters.target_sd is not None else pooled

    summaries: list[ReviewerSummary] = []
    normalised: dict[tuple[Id, Id], tuple[float, float]] = {}
    for reviewer, entries in by_reviewer.items():
        own = [total for _submission, total in entries]
        n, mean, sd = len(own), _mean(own), _sample_sd(own)
        if n < parameters.min_scores:
            for submission, total in entries:
                normalised[(reviewer, submission)] = ((total - mu) / sigma if sigma > 0 else 0.0, total)
            summaries.append(ReviewerSummary(reviewer, n, mean, sd, "raw", None, None))
            continue
        k = parameters.shrinkage
        location = (n * mean + k * mu) / (n + k)
        spread = math.sqrt(((n - 1) * sd**2 + k * sigma**2) / (n - 1 + k))
        if spread == 0:
            for submission, _total in entries:
                normalised[(reviewer, submission)] = (0.0, mu)
            summaries.append(ReviewerSummary(reviewer, n, mean, sd, "constant", location, 0.0))
            continue
        for submission, total in entries:
            z = (total - location) / spread
            normalised[(reviewer, submission)] = (z, mu + sigma * z)
        summaries.append(ReviewerSummary(reviewer, n, mean, sd, "z-score", location, spread))

    entry_totals = tuple(
        EntryTotal(reviewer, submission, total, *normalised[(reviewer, submission)])
        for (reviewer, submission), total in totals.items()
    )
    by_submission: dict[Id, list[EntryTotal]] = defaultdict(list)
    for entry in entry_totals:
        by_submission[entry.submission].append(entry)
    outliers = _outliers(by_submission, sigma, parameters.outlier_threshold)
    ranking = _rank(by_submission)
    return ScoreResult(
        ranking=ranking,
        totals=entry_totals,
        reviewers=tuple(summaries),
        outliers=outliers,
        target_mean=mu,
        target_sd=sigma,
        parameters=parameters,
        total_scale=instance.total_scale,
    )


def _outliers(
    by_submission: dict[Id, list[EntryTotal]], sigma: float, threshold: float
) -> tuple[Outlier, ...]:
    """Totals more than ``threshold`` panel sds from the mean of the same submission's other reviewers."""
    if sigma <= 0:
        return ()
    found: list[Outlier] = []
    for submission, entries in by_submission.items():
        if len(entries) < 2:
            continue
        for entry in entries:
            others = [other for other in entries if other is not entry]
            others_mean = _mean([other.normalised_total for other in others])
            others_raw = _mean([other.raw_total for other in others])
            deviation = (entry.normalised_total - others_mean) / sigma
            if abs(deviation) <= threshold:
                continue
            found.append(
                Outlier(
                    reviewer=entry.reviewer,
                    submission=submission,
                    raw_total=entry.raw_total,
                    normalised_total=entry.normalised_total,
                    others_mean=others_mean,
                    others_raw_mean=others_raw,
                    others=len(others),
                    deviation=deviation,
                    message=(
                        f"reviewer {entry.reviewer!r} gave {submission!r} {entry.raw_total:.2f} (normalised "
                        f"{entry.normalised_total:.2f}); "
                        + (
                            f"the other reviewer gave {others_raw:.2f}"
                            if len(others) == 1
                            else f"the other {len(others)} reviewers average {others_raw:.2f}"
                        )
                        + f" (normalised {others_mean:.2f}): {abs(deviation):.1f} sd "
                        + ("below" if deviation < 0 else "above")
                    ),
                )
            )
    return tuple(found)


TIE_BREAKS = ("score", "raw_score", "reviews", "order")
RAW_TIE_BREAKS = ("raw_score", "score", "reviews", "order")


def _keys(entry: _Entry, names: tuple[str, ...]) -> tuple[float, ...]:
    """Sort keys (smaller first): higher scores and more reviews rank higher, then first appearance."""
    values = {
        "score": -round(entry.score, RANK_DECIMALS),
        "raw_score": -round(entry.raw_score, RANK_DECIMALS),
        "reviews": -entry.reviews,
        "order": entry.order,
    }
    return tuple(values[name] for name in names)


def _ordered(entries: list[_Entry], names: tuple[str, ...]) -> tuple[dict[Id, int], dict[Id, str]]:
    def key(entry: _Entry) -> tuple[float, ...]:
        return _keys(entry, names)

    ordered = sorted(entries, key=key)
    ranks = {entry.submission: position + 1 for position, entry in enumerate(ordered)}
    decided: dict[Id, str] = {}
    for position, entry in enumerate(ordered):
        if position + 1 == len(ordered):
            decided[entry.submission] = "last"
            continue
        mine, theirs = key(entry), key(ordered[position + 1])
        decided[entry.submission] = next(
            name for name, a, b in zip(names, mine, theirs, strict=True) if a != b
        )
    return ranks, decided


def _rank(by_submission: dict[Id, list[EntryTotal]]) -> tuple[RankedEntry, ...]:
    """Rank by normalised score; ties broken by raw score, then more reviews, then first appearance."""
    entries = [
        _Entry(
            submission=submission,
            order=order,
            score=_mean([entry.normalised_total for entry in totals]),
            raw_score=_mean([entry.raw_total for entry in totals]),
            reviews=len(totals),
        )
        for order, (submission, totals) in enumerate(by_submission.items())
    ]
    ranks, decided = _ordered(entries, TIE_BREAKS)
    raw_ranks, raw_decided = _ordered(entries, RAW_TIE_BREAKS)
    ranked = [
        RankedEntry(
            submission=entry.submission,
            rank=ranks[entry.submission],
            score=entry.score,
            raw_score=entry.raw_score,
            raw_rank=raw_ranks[entry.submission],
            reviews=entry.reviews,
            decided_by=decided[entry.submission],
            raw_decided_by=raw_decided[entry.submission],
        )
        for entry in entries
    ]
    return tuple(sorted(ranked, key=lambda entry: entry.rank))
