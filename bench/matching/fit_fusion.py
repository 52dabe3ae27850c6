"""Fit the engine's channel weights (``Fusion``) on the development set, never on the held-out set.

    .venv/bin/python bench/matching/fit_fusion.py [--data DIR] [--dropout 0.4 --variants 3]

The development set (``bench/matching/data``) was written by the author of the knowledge tables, so
on it the tables almost never miss; weights fitted there alone would trust the tables too much.  The
fit therefore also ranks the development demands with *knocked-out tables*: seeded copies in which a
share of the symptom triggers, synonym variants and sense cues is removed, as happens when owners
word a problem in a way no table lists (two seeds at 40 % and two at 80 %).  The weights maximise nDCG@10 + 0.5 recall@20 over the full
and the knocked-out copies together.  Prints the weights to paste into ``engine.Fusion``.

``fit_weights`` and ``channel_features`` are also used by ``quality.py`` for cross-validation.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import math
import random
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from jingxiang.matching import Demand, MatchingIndex, Supplier, read_demands, read_suppliers
from jingxiang.matching.cli import _read_qrels
from jingxiang.matching.engine import (
    CHANNELS,
    GATE_FACTOR,
    MIN_SCORE,
    TOP_GATED,
    ChannelScores,
    Fusion,
    ranked_ids,
)
from jingxiang.matching.knowledge import KnowledgeBase, load_documents, load_knowledge

HERE = Path(__file__).resolve().parent
TOP = 20
GRID_STEP = 0.1
REFINE_STEP = 0.05

Features = dict[str, ChannelScores]
"""demand id -> the channel values of its candidates."""


def knocked_out(fraction: float, seed: int) -> KnowledgeBase:
    """The shipped tables with ``fraction`` of symptom triggers, synonym variants and sense cues removed."""
    chooser = random.Random(seed)
    documents: dict[str, Any] = copy.deepcopy(load_documents())
    for group in documents["synonyms"]["groups"]:
        group["variants"] = [variant for variant in group.get("variants", []) if chooser.random() >= fraction]
    for symptom in documents["symptoms"]["symptoms"]:
        kept = [trigger for trigger in symptom["triggers"] if chooser.random() >= fraction]
        symptom["triggers"] = kept or symptom["triggers"][:1]
    for senses in documents["domains"]["senses"].values():
        for sense in senses:
            sense["cues"] = [cue for cue in sense.get("cues", []) if chooser.random() >= fraction]
    return load_knowledge(overrides=documents)


def channel_features(index: MatchingIndex, demands: Sequence[Demand]) -> Features:
    return {demand.id: index.channel_scores(index.analyze_demand(demand)) for demand in demands}


@dataclass
class Prepared:
    """One demand's candidates as arrays, so that thousands of weight vectors can be tried quickly.

    ``rank`` reproduces ``engine.fuse`` and ``engine._top`` exactly (checked by ``check_prepared``).
    """

    matrix: npt.NDArray[np.float32]
    multiplier: npt.NDArray[np.float32]
    gated: npt.NDArray[np.bool_]
    id_order: npt.NDArray[np.int64]
    gains: npt.NDArray[np.float64]
    useful: npt.NDArray[np.bool_]
    ideal: float
    relevant: int

    @classmethod
    def of(cls, scored: ChannelScores, grades: Mapping[str, int]) -> Prepared:
        ideal_gains = sorted((2**grade - 1 for grade in grades.values() if grade > 0), reverse=True)[:10]
        ranks = {identifier: rank for rank, identifier in enumerate(sorted(scored.ids))}
        candidate_grades = np.array([grades.get(identifier, 0) for identifier in scored.ids], dtype=np.int64)
        return cls(
            matrix=np.stack([scored.channels[name] for name in CHANNELS], axis=1).astype(np.float32),
            multiplier=scored.multiplier,
            gated=scored.gated,
            id_order=np.array([ranks[identifier] for identifier in scored.ids], dtype=np.int64),
            gains=(2.0**candidate_grades - 1.0),
            useful=candidate_grades >= 2,
            ideal=sum(gain / math.log2(position + 2) for position, gain in enumerate(ideal_gains)),
            relevant=sum(1 for grade in grades.values() if grade >= 2),
        )

    def rank(self, weights: npt.NDArray[np.float32], top: int = TOP) -> npt.NDArray[np.int64]:
        relevance = (self.matrix @ weights).astype(np.float32)
        score = relevance * self.multiplier
        score = np.where(self.gated, score * np.float32(GATE_FACTOR), score)
        score = np.where(relevance >= MIN_SCORE, score, 0.0).astype(np.float32)
        order = np.lexsort((self.id_order, -np.round(score.astype(np.float64), 6)))
        order = order[score[order] > 0]
        head = order[~self.gated[order]][: min(top, TOP_GATED)]
        rest = order[~np.isin(order, head)]
        return np.concatenate([head, rest])[:top]

    def metrics(self, weights: npt.NDArray[np.float32]) -> tuple[float, float]:
        ranked = self.rank(weights)
        top10 = ranked[:10]
        dcg = float((self.gains[top10] / np.log2(np.arange(len(top10)) + 2)).sum())
        ndcg = dcg / self.ideal if self.ideal > 0 else 0.0
        recall = float(self.useful[ranked].sum()) / self.relevant if self.relevant else 0.0
        return ndcg, recall


def prepare(features: Sequence[Features], qrels: Mapping[str, Mapping[str, int]]) -> list[Prepared]:
    return [
        Prepared.of(scored, qrels.get(demand_id, {}))
        for copy_ in features
        for demand_id, scored in copy_.items()
        if any(grade > 0 for grade in qrels.get(demand_id, {}).values())
    ]


def check_prepared(features: Features, qrels: Mapping[str, Mapping[str, int]], fusion: Fusion) -> None:
    """The fast path must rank exactly like the engine (guards the fit against drifting from it)."""
    weights = np.array([fusion.weights()[name] for name in CHANNELS], dtype=np.float32)
    for demand_id, scored in features.items():
        fast = [scored.ids[i] for i in Prepared.of(scored, qrels.get(demand_id, {})).rank(weights)]
        if fast != ranked_ids(scored, fusion, TOP):
            raise AssertionError(f"fast ranking differs from the engine's on {demand_id}")


def objective(prepared: Sequence[Prepared], weights: Mapping[str, float]) -> tuple[float, float, float]:
    """(nDCG@10 + 0.5 recall@20, nDCG@10, recall@20), averaged over every demand of every copy."""
    vector = np.array([weights[name] for name in CHANNELS], dtype=np.float32)
    pairs = [item.metrics(vector) for item in prepared]
    ndcg = sum(pair[0] for pair in pairs) / max(len(pairs), 1)
    recall = sum(pair[1] for pair in pairs) / max(len(pairs), 1)
    return ndcg + 0.5 * recall, ndcg, recall


def _simplex(step: float, channels: Sequence[str]) -> list[dict[str, float]]:
    units = round(1 / step)
    points = []
    for combination in itertools.product(range(units + 1), repeat=len(channels) - 1):
        if sum(combination) <= units:
            values = [*combination, units - sum(combination)]
            point = dict.fromkeys(CHANNELS, 0.0)
            point.update({name: value * step for name, value in zip(channels, values, strict=True)})
            points.append(point)
    return points


def fit_weights(
    features: Sequence[Features], qrels: Mapping[str, Mapping[str, int]], without: Sequence[str] = ()
) -> dict[str, float]:
    """Grid search over the weight simplex (step 0.1), then a local refinement (step 0.05); channels in
    ``without`` stay at 0 (ablations).

    Ties are broken towards the lexical channels (the floor), then by channel order, so the result is
    deterministic.
    """
    prepared = prepare(features, qrels)
    channels = [name for name in CHANNELS if name not in without]

    def score(weights: Mapping[str, float]) -> tuple[float, float]:
        value = objective(prepared, weights)[0]
        return round(value, 6), weights["bigram"] + weights["word"]

    best = max(_simplex(GRID_STEP, channels), key=score)
    improved = True
    while improved:
        improved = False
        for source, target in itertools.permutations(channels, 2):
            if best[source] < REFINE_STEP - 1e-9:
                continue
            candidate = dict(best)
            candidate[source] = round(candidate[source] - REFINE_STEP, 4)
            candidate[target] = round(candidate[target] + REFINE_STEP, 4)
            if score(candidate) > score(best):
                best, improved = candidate, True
    return {name: round(value, 4) for name, value in best.items()}


DROPOUTS = (0.4, 0.8)
VARIANTS = 2


def development_features(
    suppliers: Sequence[Supplier],
    demands: Sequence[Demand],
    dropouts: Sequence[float] = DROPOUTS,
    variants: int = VARIANTS,
) -> list[Features]:
    """The full tables first, then ``variants`` seeded knock-outs at each ``dropouts`` level."""
    copies = [channel_features(MatchingIndex.build(suppliers), demands)]
    for dropout in dropouts:
        for seed in range(variants):
            index = MatchingIndex.build(suppliers, knowledge=knocked_out(dropout, seed))
            copies.append(channel_features(index, demands))
    return copies


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--dropout", type=float, nargs="+", default=list(DROPOUTS))
    parser.add_argument("--variants", type=int, default=VARIANTS)
    args = parser.parse_args(argv)
    suppliers = read_suppliers(args.data / "suppliers.jsonl")
    demands = read_demands(args.data / "demands.jsonl")
    qrels = _read_qrels(args.data / "qrels.jsonl")
    copies = development_features(suppliers, demands, args.dropout, args.variants)
    check_prepared(copies[0], qrels, Fusion())
    weights = fit_weights(copies, qrels)
    for label, subset in (("full tables", copies[:1]), ("knocked-out tables", copies[1:]), ("all", copies)):
        prepared = prepare(subset, qrels)
        _value, ndcg, recall = objective(prepared, weights)
        default = objective(prepared, Fusion().weights())
        print(
            f"{label:>20}: fitted nDCG@10 {ndcg:.3f} recall@20 {recall:.3f}"
            f" | current Fusion() nDCG@10 {default[1]:.3f} recall@20 {default[2]:.3f}"
        )
    print("fitted weights:", ", ".join(f"{name}={value:g}" for name, value in weights.items()))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
