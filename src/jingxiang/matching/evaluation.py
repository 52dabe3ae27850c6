"""Ranking quality measures, shared by the ``evaluate`` command and ``bench/matching``.

Graded relevance (0-3) as in the benchmark README; nDCG uses the exponential gain 2^g - 1 so that a
grade-3 supplier is worth much more than two grade-1 ones, which is how an owner judges a shortlist.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k of one ranking; 0.0 when nothing is relevant (such queries should not be in a set)."""
    gains = [2 ** grades.get(item, 0) - 1 for item in ranked[:k]]
    dcg = sum(gain / math.log2(position + 2) for position, gain in enumerate(gains))
    ideal_gains = sorted((2**grade - 1 for grade in grades.values() if grade > 0), reverse=True)[:k]
    ideal = sum(gain / math.log2(position + 2) for position, gain in enumerate(ideal_gains))
    return dcg / ideal if ideal > 0 else 0.0


def recall_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 20, *, min_grade: int = 2) -> float:
    """Share of the clearly useful suppliers (grade >= min_grade) found in the top k."""
    relevant = {item for item, grade in grades.items() if grade >= min_grade}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def evaluate_rankings(
    rankings: Mapping[str, Sequence[str]],
    qrels: Mapping[str, Mapping[str, int]],
    *,
    ndcg_k: int = 10,
    recall_k: int = 20,
) -> dict[str, float]:
    """Mean nDCG@k and recall@k over the demands that have at least one relevant supplier."""
    judged = [demand_id for demand_id, grades in qrels.items() if any(grade > 0 for grade in grades.values())]
    ndcgs = [ndcg_at(rankings.get(demand_id, []), qrels[demand_id], ndcg_k) for demand_id in judged]
    recalls = [recall_at(rankings.get(demand_id, []), qrels[demand_id], recall_k) for demand_id in judged]
    return {f"ndcg@{ndcg_k}": mean(ndcgs), f"recall@{recall_k}": mean(recalls), "demands": float(len(judged))}
