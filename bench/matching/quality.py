"""Ranking quality on the labelled sets: the engine, two baselines and each channel alone, side by side.

    .venv/bin/python bench/matching/quality.py [--data DIR [DIR ...]] [--no-cv] [--no-write]

``--data`` takes directories with suppliers.jsonl, demands.jsonl and qrels.jsonl (default: the
development set ``data/`` and the held-out set ``heldout/``; the hidden expert-labelled set uses the
same format).  Demands that carry a ``kind`` are also reported per kind.  With two or more sets the
fusion weights are refitted by cross-validation (development set plus held-out folds, scored on the
unseen fold).  Writes the "quality" section of bench/matching/RESULTS.md and a per-demand table to
bench/matching/out/quality-per-demand.tsv.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import jieba
import numpy as np

from jingxiang.matching import Demand, MatchingIndex, Outcome, Supplier, read_demands, read_suppliers
from jingxiang.matching.cli import _read_qrels
from jingxiang.matching.engine import CHANNELS, Fusion, ranked_ids
from jingxiang.matching.evaluation import evaluate_rankings, ndcg_at, recall_at

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_fusion import Features, channel_features, development_features, fit_weights
from results_file import machine_details, write_section

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TOP = 20


def supplier_text(supplier: Supplier) -> str:
    return " ".join([supplier.title, supplier.org, " ".join(supplier.skills), supplier.description])


def demand_text(demand: Demand) -> str:
    return f"{demand.title} {demand.description}"


def char_bigrams(text: str) -> list[str]:
    """Baseline 1: overlapping character pairs of each run of letters/ideographs, no domain data."""
    text = unicodedata.normalize("NFKC", text).lower()
    tokens = []
    for run in re.findall(r"[\u4e00-\u9fff]+|[a-z0-9]+", text):
        if re.match(r"[a-z0-9]", run) or len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


_plain_jieba = jieba.Tokenizer()


def plain_jieba(text: str) -> list[str]:
    """Baseline 2: jieba's default dictionary, no industry lexicon, synonyms or symptom table."""
    text = unicodedata.normalize("NFKC", text).lower()
    return [token for token in _plain_jieba.lcut(text) if re.search(r"[\w\u4e00-\u9fff]", token)]


def bm25_rankings(
    suppliers: Sequence[Supplier], demands: Sequence[Demand], tokenize: Callable[[str], list[str]]
) -> dict[str, list[str]]:
    retriever = bm25s.BM25()
    retriever.index(
        [tokenize(supplier_text(supplier)) or ["<empty>"] for supplier in suppliers], show_progress=False
    )
    rankings = {}
    for demand in demands:
        scores = retriever.get_scores(tokenize(demand_text(demand)) or ["<empty>"])
        order = np.argsort(-scores, kind="stable")[:TOP]
        rankings[demand.id] = [suppliers[i].id for i in order if scores[i] > 0]
    return rankings


def engine_rankings(index: MatchingIndex, demands: Sequence[Demand]) -> dict[str, list[str]]:
    return {demand.id: [match.id for match in index.rank(demand, TOP).matches] for demand in demands}


INVITED = 5


def simulated_outcomes(
    index: MatchingIndex,
    demands: Sequence[Demand],
    qrels: dict[str, dict[str, int]],
    unresponsive: frozenset[str] = frozenset(),
) -> list[Outcome]:
    """What would have been recorded for each training demand.

    The firm invites the engine's top 5 (owners cannot judge specialisms; that is why they use the
    platform).  A supplier declines when the demand is outside their field (grade 0), when they have
    no free hours, or when they are one of the ``unresponsive`` ones; otherwise they accept, and after
    the engagement the firm rates it 5 (grade 3), 4 (grade 2) or 2 (grade 1: right technique, wrong
    industry or only a side issue).
    """
    outcomes = []
    for demand in demands:
        for match in index.rank(demand, INVITED).matches:
            grade = qrels.get(demand.id, {}).get(match.id, 0)
            busy = index.supplier(match.id).hours_per_month <= 0
            if grade == 0 or busy or match.id in unresponsive:
                outcomes.append(Outcome(demand.id, match.id, "declined"))
                continue
            outcomes.append(Outcome(demand.id, match.id, "accepted"))
            outcomes.append(Outcome(demand.id, match.id, "rated", {3: 5, 2: 4, 1: 2}[grade]))
    return outcomes


def successful_invitations(
    index: MatchingIndex,
    demands: Sequence[Demand],
    qrels: dict[str, dict[str, int]],
    unresponsive: frozenset[str],
) -> float:
    """Mean number of the top 5 invitations per demand that end in a useful engagement (grade >= 2,
    accepted): what an owner experiences."""
    total = 0
    for demand in demands:
        for match in index.rank(demand, INVITED).matches:
            grade = qrels.get(demand.id, {}).get(match.id, 0)
            if grade >= 2 and match.id not in unresponsive and index.supplier(match.id).hours_per_month > 0:
                total += 1
    return total / max(len(demands), 1)


def unresponsive_suppliers(
    suppliers: Sequence[Supplier], share: float = 0.2, seed: int = 7
) -> frozenset[str]:
    """A fixed, seeded fifth of suppliers who decline every invitation (over-committed, or their
    profile over-sells them): a trait no profile text reveals, only outcomes."""
    chooser = random.Random(seed)
    return frozenset(supplier.id for supplier in suppliers if chooser.random() < share)


def feedback_experiment(
    suppliers: Sequence[Supplier], demands: Sequence[Demand], qrels: dict[str, dict[str, int]]
) -> tuple[dict[str, float], dict[str, float]]:
    """Two-fold cross-validation by demand: learn from one half's outcomes, evaluate on the other half."""
    ordered = sorted(demands, key=lambda demand: demand.id)
    folds = [ordered[0::2], ordered[1::2]]
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for train, test in ((folds[0], folds[1]), (folds[1], folds[0])):
        index = MatchingIndex.build(suppliers)
        before.update(engine_rankings(index, test))
        index.apply_feedback(simulated_outcomes(index, train, qrels), {demand.id: demand for demand in train})
        after.update(engine_rankings(index, test))
    return evaluate_rankings(before, qrels), evaluate_rankings(after, qrels)


def history_experiment(
    suppliers: Sequence[Supplier],
    demands: Sequence[Demand],
    qrels: dict[str, dict[str, int]],
    history: Sequence[Demand],
    history_qrels: dict[str, dict[str, int]],
) -> dict[str, float]:
    """Learn from outcomes on earlier demands of other firms, evaluate on the labelled demands."""
    unresponsive = unresponsive_suppliers(suppliers)
    index = MatchingIndex.build(suppliers)
    result = {"outcomes": 0.0}
    for stage in ("before", "after"):
        if stage == "after":
            outcomes = simulated_outcomes(index, history, history_qrels, unresponsive)
            index.apply_feedback(outcomes, {demand.id: demand for demand in history})
            result["outcomes"] = float(len(outcomes))
        metrics = evaluate_rankings(engine_rankings(index, demands), qrels)
        result[f"{stage} ndcg@10"] = metrics["ndcg@10"]
        result[f"{stage} recall@20"] = metrics["recall@20"]
        result[f"{stage} useful"] = successful_invitations(index, demands, qrels, unresponsive)
    return result


SYSTEM_ENGINE = "镜享 engine"
SYSTEM_BIGRAM = "character-bigram BM25 (bm25s)"
SYSTEM_JIEBA = "plain jieba BM25 (bm25s, no domain data)"
CHANNEL_LABELS = {
    "bigram": "engine channel alone: bigram (character-bigram BM25)",
    "word": "engine channel alone: word (jieba + lexicon + synonyms BM25)",
    "expansion": "engine channel alone: expansion (words the tables add)",
    "skill": "engine channel alone: skill (table concepts)",
    "field": "engine channel alone: field (field distribution)",
    "semantic": "engine channel alone: semantic (word-skill links learned from the profiles)",
}
ABLATIONS = {
    "engine without the domain gate": Fusion(gate=False),
    "engine, lexical channels only (bigram + word, fused)": Fusion(
        bigram=0.5, word=0.5, expansion=0.0, skill=0.0, field=0.0, semantic=0.0
    ),
}
WITHOUT_SEMANTIC = "engine without the semantic channel (weights refitted on the development set without it)"
CV_FOLDS = 5


@dataclass
class LabelledSet:
    name: str
    path: Path
    suppliers: list[Supplier]
    demands: list[Demand]
    qrels: dict[str, dict[str, int]]
    kinds: dict[str, str]

    @classmethod
    def read(cls, path: Path) -> LabelledSet:
        demands = read_demands(path / "demands.jsonl")
        kinds = {}
        for line in (path / "demands.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                if record.get("kind"):
                    kinds[record["id"]] = str(record["kind"])
        relative = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        return cls(
            name=str(relative),
            path=path,
            suppliers=read_suppliers(path / "suppliers.jsonl"),
            demands=demands,
            qrels=_read_qrels(path / "qrels.jsonl"),
            kinds=kinds,
        )


def rankings_for(
    labelled: LabelledSet, extra: Mapping[str, Fusion]
) -> tuple[dict[str, dict[str, list[str]]], MatchingIndex]:
    index = MatchingIndex.build(labelled.suppliers)
    queries = [index.analyze_demand(demand) for demand in labelled.demands]
    systems: dict[str, dict[str, list[str]]] = {
        SYSTEM_ENGINE: {query.demand.id: [m.id for m in index.rank(query, TOP).matches] for query in queries},
        SYSTEM_BIGRAM: bm25_rankings(labelled.suppliers, labelled.demands, char_bigrams),
        SYSTEM_JIEBA: bm25_rankings(labelled.suppliers, labelled.demands, plain_jieba),
    }
    for channel, label in CHANNEL_LABELS.items():
        only = Fusion.only(channel)
        systems[label] = {
            q.demand.id: [m.id for m in index.rank(q, TOP, fusion=only).matches] for q in queries
        }
    for label, fusion in {**ABLATIONS, **extra}.items():
        systems[label] = {
            q.demand.id: [m.id for m in index.rank(q, TOP, fusion=fusion).matches] for q in queries
        }
    return systems, index


def metrics_table(
    systems: Mapping[str, Mapping[str, list[str]]],
    labelled: LabelledSet,
    demand_ids: Sequence[str] | None = None,
) -> dict[str, dict[str, float]]:
    wanted = set(demand_ids) if demand_ids is not None else None
    qrels = {key: value for key, value in labelled.qrels.items() if wanted is None or key in wanted}
    return {name: evaluate_rankings(rankings, qrels) for name, rankings in systems.items()}


def cross_validation(
    dev_copies: Sequence[Features], development: LabelledSet, heldout: LabelledSet
) -> dict[str, float]:
    """Fusion weights refitted CV_FOLDS times, each time on the development set (full and knocked-out
    tables) plus four fifths of the held-out demands, and scored on the remaining fifth only."""
    held_index = MatchingIndex.build(heldout.suppliers)
    held = channel_features(held_index, heldout.demands)
    ordered = sorted(held)
    folds = [ordered[i::CV_FOLDS] for i in range(CV_FOLDS)]
    qrels = {**development.qrels, **heldout.qrels}
    rankings: dict[str, list[str]] = {}
    fitted = []
    for fold in folds:
        train = {key: value for key, value in held.items() if key not in fold}
        weights = fit_weights([*dev_copies, train], qrels)
        fitted.append(weights)
        fusion = Fusion().with_weights(weights)
        for demand_id in fold:
            rankings[demand_id] = ranked_ids(held[demand_id], fusion, TOP)
    result = evaluate_rankings(rankings, heldout.qrels)
    for channel in fitted[0]:
        values = [weights[channel] for weights in fitted]
        result[f"w_{channel}"] = sum(values) / len(values)
        result[f"w_{channel}_min"] = min(values)
        result[f"w_{channel}_max"] = max(values)
    return result


def _rows(results: Mapping[str, Mapping[str, float]], floor: Mapping[str, float] | None = None) -> str:
    lines = []
    for name, result in results.items():
        above = ""
        if floor is not None and floor["ndcg@10"] > 0:
            above = f" | {100 * (result['ndcg@10'] / floor['ndcg@10'] - 1):+.0f} %"
        lines.append(f"| {name} | {result['ndcg@10']:.3f} | {result['recall@20']:.3f}{above} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data",
        type=Path,
        nargs="+",
        default=[HERE / "data", HERE / "heldout"]
        + ([HERE / "heldout2"] if (HERE / "heldout2").is_dir() else []),
        help="labelled sets (suppliers/demands/qrels.jsonl); the first is the development set",
    )
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validated refit of the weights")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sets = [LabelledSet.read(path) for path in args.data]
    dev_copies = development_features(sets[0].suppliers, sets[0].demands)
    without_semantic = fit_weights(dev_copies, sets[0].qrels, without=("semantic",))
    extra = {WITHOUT_SEMANTIC: Fusion().with_weights(without_semantic)}
    sections = []
    per_demand: list[str] = []
    for labelled in sets:
        systems, _index = rankings_for(labelled, extra)
        results = metrics_table(systems, labelled)
        graded = sum(len(grades) for grades in labelled.qrels.values())
        section = [
            f"### `{labelled.name}`: {len(labelled.suppliers)} suppliers, {len(labelled.demands)} demands, "
            f"{graded} graded pairs\n",
            "| system | nDCG@10 | recall@20 | nDCG@10 vs bigram BM25 |",
            "|---|---|---|---|",
            _rows(results, results[SYSTEM_BIGRAM]),
        ]
        if labelled.kinds:
            section += [
                "\nBy kind of demand (nDCG@10 / recall@20):\n",
                "| kind | demands | engine | character-bigram BM25 | plain jieba BM25 |",
                "|---|---|---|---|---|",
            ]
            for kind in sorted(set(labelled.kinds.values()), key=list(labelled.kinds.values()).index):
                ids = [demand_id for demand_id, value in labelled.kinds.items() if value == kind]
                by_kind = metrics_table(
                    {name: systems[name] for name in (SYSTEM_ENGINE, SYSTEM_BIGRAM, SYSTEM_JIEBA)},
                    labelled,
                    ids,
                )
                cells = " | ".join(
                    f"{by_kind[name]['ndcg@10']:.3f} / {by_kind[name]['recall@20']:.3f}"
                    for name in (SYSTEM_ENGINE, SYSTEM_BIGRAM, SYSTEM_JIEBA)
                )
                section.append(f"| {kind} | {len(ids)} | {cells} |")
        sections.append("\n".join(section))
        engine = systems[SYSTEM_ENGINE]
        for demand in labelled.demands:
            grades = labelled.qrels.get(demand.id, {})
            cells = [
                f"{ndcg_at(systems[name].get(demand.id, []), grades):.2f}"
                for name in (SYSTEM_ENGINE, SYSTEM_BIGRAM)
            ]
            top5 = ",".join(f"{sid}:{grades.get(sid, 0)}" for sid in engine.get(demand.id, [])[:5])
            per_demand.append(
                f"{labelled.name}\t{demand.id}\t{labelled.kinds.get(demand.id, '')}\t"
                + "\t".join(cells)
                + f"\t{recall_at(engine.get(demand.id, []), grades):.2f}\t{top5}"
            )

    semantic_text = (
        f"\nThe semantic channel's ablation refits the other weights on the development set without it: "
        f"{', '.join(f'{k} {v:g}' for k, v in without_semantic.items() if v)}.\n"
    )
    cv_text = ""
    if len(sets) >= 2 and not args.no_cv:
        cv = cross_validation(dev_copies, sets[0], sets[1])
        weights = ", ".join(
            f"{channel} {cv[f'w_{channel}']:.2f} ({cv[f'w_{channel}_min']:.2f}–{cv[f'w_{channel}_max']:.2f})"
            for channel in CHANNELS
        )
        cv_text = f"""
### Fusion weights: shipped versus cross-validated

The shipped weights (`engine.Fusion`: {", ".join(f"{k} {v:g}" for k, v in Fusion().weights().items())}) were fitted by
`fit_fusion.py` on `{sets[0].name}` only (full and knocked-out tables); the rows above use them. As a check
of how much the held-out demands would pull the weights, they were refitted {CV_FOLDS} times on
`{sets[0].name}` plus four fifths of `{sets[1].name}` (folds by demand) and each fit was scored only on the
remaining fifth of `{sets[1].name}`:

| | nDCG@10 | recall@20 |
|---|---|---|
| `{sets[1].name}`, {CV_FOLDS}-fold cross-validated weights | {cv["ndcg@10"]:.3f} | {cv["recall@20"]:.3f} |

Mean (min–max) weights over the folds: {weights}.
"""

    feedback_text = ""
    development = sets[0]
    history_file = development.path / "history-demands.jsonl"
    if history_file.exists():
        history = read_demands(history_file)
        h = history_experiment(
            development.suppliers,
            development.demands,
            development.qrels,
            history,
            _read_qrels(development.path / "history-qrels.jsonl"),
        )
        feedback_before, feedback_after = feedback_experiment(
            development.suppliers, development.demands, development.qrels
        )
        feedback_text = f"""
### Feedback (development set)

`labelled/history.yaml` holds {len(history)} earlier demands from other firms, annotated like the labelled
set but never evaluated. Outcomes simulated on them are applied with `apply_feedback`; the labelled
demands are then ranked again. "Useful invitations" is the mean number of a demand's top 5 that would
accept and are of grade ≥ 2, in a simulation where a seeded fifth of suppliers decline every invitation.
The second table learns from one half of the labelled demands and is scored on the other (2-fold).

| | nDCG@10 | recall@20 | useful invitations of 5 |
|---|---|---|---|
| engine, no feedback | {h["before ndcg@10"]:.3f} | {h["before recall@20"]:.3f} | {h["before useful"]:.2f} |
| engine, after {int(h["outcomes"])} outcomes on {len(history)} earlier demands | {h["after ndcg@10"]:.3f} | {h["after recall@20"]:.3f} | {h["after useful"]:.2f} |

| 2-fold within the labelled demands | nDCG@10 | recall@20 |
|---|---|---|
| engine, no feedback | {feedback_before["ndcg@10"]:.3f} | {feedback_before["recall@20"]:.3f} |
| engine, after feedback from the other half | {feedback_after["ndcg@10"]:.3f} | {feedback_after["recall@20"]:.3f} |

Simulation rules: the firm invites the engine's top 5; a supplier declines when the demand is outside
their field (grade 0), when they have no free hours or (first table only) when they are unresponsive;
otherwise they accept and the engagement is rated 5 (grade 3), 4 (grade 2) or 2 (grade 1).
"""
    elapsed = time.perf_counter() - started
    body = f"""## Quality (labelled sets)

Reproduce: `.venv/bin/python bench/matching/quality.py` (all sets, all systems, one run). Grades follow
`bench/matching/README.md`; nDCG@10 uses gain 2^grade − 1; recall@20 counts suppliers of grade ≥ 2.
The first set is the development set (written by the tables' author; fusion weights are fitted on it);
the second is the held-out set (`heldout/README.md`), never used to fit or tune anything. Channels
alone are ranked by that channel's value only (no multipliers, no gate).

{chr(10).join(chr(10) + section for section in sections)}
{semantic_text}{cv_text}{feedback_text}
Run on: {machine_details()}; {elapsed:.1f} s.
"""
    print(body)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "quality-per-demand.tsv").write_text(
        "set\tdemand\tkind\tengine ndcg10\tbigram ndcg10\tengine recall20\tengine top5\n"
        + "\n".join(per_demand)
        + "\n",
        encoding="utf-8",
    )
    if not args.no_write:
        write_section("quality", body)


if __name__ == "__main__":
    main()
