"""The floor (issue 12): on the held-out set the engine must rank better than plain character-bigram BM25.

The held-out set (``bench/matching/heldout``) was written by an annotator who never read the engine or
its tables; it was held out until 2026-12-03 and is now development data.  ``bench/matching/heldout2``
is the independent judge and is checked too when present.  If a change to the engine or its tables makes
it rank worse than BM25 over character pairs (Elasticsearch's ``cjk`` analyzer, no dictionary at all),
the tables are doing more harm than good there, and this test fails.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import bm25s
import numpy as np
import pytest

from jingxiang.matching import MatchingIndex, read_demands, read_suppliers
from jingxiang.matching.cli import _read_qrels
from jingxiang.matching.evaluation import evaluate_rankings
from jingxiang.matching.model import Demand, Supplier

BENCH = Path(__file__).resolve().parents[4] / "bench" / "matching"
HELDOUT = BENCH / "heldout"  # held out until issue 12's second round; now development data
HELDOUT2 = BENCH / "heldout2"  # the independent judge written after that
TOP = 20

pytestmark = [
    pytest.mark.slow,  # loads jieba, builds the index and a BM25 baseline over 217 profiles
    pytest.mark.skipif(not HELDOUT.is_dir(), reason="the held-out set ships with the repository only"),
]


def char_bigrams(text: str) -> list[str]:
    """Overlapping character pairs of each Chinese run, Latin/digit runs whole (no dictionary)."""
    text = unicodedata.normalize("NFKC", text).lower()
    tokens: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]+|[a-z0-9]+", text):
        if run[0].isascii() or len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def supplier_text(supplier: Supplier) -> str:
    return " ".join([supplier.title, supplier.org, " ".join(supplier.skills), supplier.description])


def bigram_bm25(suppliers: list[Supplier], demands: list[Demand]) -> dict[str, list[str]]:
    retriever = bm25s.BM25()
    retriever.index([char_bigrams(supplier_text(s)) or ["<empty>"] for s in suppliers], show_progress=False)
    rankings = {}
    for demand in demands:
        scores = retriever.get_scores(char_bigrams(f"{demand.title} {demand.description}") or ["<empty>"])
        order = np.argsort(-scores, kind="stable")[:TOP]
        rankings[demand.id] = [suppliers[i].id for i in order if scores[i] > 0]
    return rankings


@pytest.mark.parametrize(
    "labelled",
    [
        HELDOUT,
        pytest.param(
            HELDOUT2, marks=pytest.mark.skipif(not HELDOUT2.is_dir(), reason="heldout2 not present")
        ),
    ],
    ids=["heldout", "heldout2"],
)
def test_engine_ranks_above_character_bigram_bm25_on_the_heldout_set(labelled: Path) -> None:
    suppliers = read_suppliers(labelled / "suppliers.jsonl")
    demands = read_demands(labelled / "demands.jsonl")
    qrels = _read_qrels(labelled / "qrels.jsonl")
    index = MatchingIndex.build(suppliers)
    engine = {demand.id: [match.id for match in index.rank(demand, TOP).matches] for demand in demands}
    engine_ndcg = evaluate_rankings(engine, qrels)["ndcg@10"]
    floor_ndcg = evaluate_rankings(bigram_bm25(suppliers, demands), qrels)["ndcg@10"]
    assert floor_ndcg > 0.4  # the baseline itself works (guards against an empty or broken set)
    assert engine_ndcg > floor_ndcg, f"engine nDCG@10 {engine_ndcg:.3f} <= bigram BM25 {floor_ndcg:.3f}"
