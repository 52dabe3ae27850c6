"""镜享 matching engine: put the right expert, lab or agency in front of a firm's demand, and say why.

Plain Python (no Django import), used by the demand board, the talent-sharing station and the
matchmaking events.  Stable library API::

    from jingxiang.matching import (
        Supplier, Demand, Outcome, Match, Ranking,          # typed records (frozen dataclasses)
        MatchingIndex, load_knowledge, FeedbackModel,
        read_suppliers, read_demands, read_outcomes, JsonlError, ranking_to_dict, write_jsonl,
    )

    knowledge = load_knowledge()                       # shipped YAML tables in matching/data/
    knowledge = load_knowledge(overrides={"synonyms": operators_copy})   # the web app's edited tables
    index = MatchingIndex.build(suppliers, knowledge=knowledge, workers=2)
    ranking = index.rank(demand, top=20)               # Ranking(query_id, matches=(Match(id, score, why),))
    index.upsert(edited_supplier); index.remove("S-17")  # incremental, equal to a full rebuild
    index.upsert_demand(demand); index.rank_demands("S-17", top=20)   # "needs you could help with"
    index.apply_feedback([Outcome("D-1", "S-17", "rated", rating=5)], {"D-1": demand})

Command line (see ``cli.py``)::

    python -m jingxiang.matching rank --suppliers S.jsonl --demands D.jsonl --top 20 > R.jsonl
    python -m jingxiang.matching rank-demands --suppliers S.jsonl --demands D.jsonl --supplier-id S-1
    python -m jingxiang.matching evaluate --suppliers S.jsonl --demands D.jsonl --qrels Q.jsonl
    python -m jingxiang.matching check-knowledge [--knowledge DIR]

How it ranks, and how feedback learns, is documented in ``docs/matching.md`` and ``engine.py``.
"""

from jingxiang.matching.engine import DemandQuery, MatchingIndex
from jingxiang.matching.evaluation import evaluate_rankings, ndcg_at, recall_at
from jingxiang.matching.feedback import FeedbackModel
from jingxiang.matching.jsonl import (
    JsonlError,
    LineError,
    demand_from_dict,
    ranking_to_dict,
    read_demands,
    read_outcomes,
    read_suppliers,
    supplier_from_dict,
    write_jsonl,
)
from jingxiang.matching.knowledge import KnowledgeBase, KnowledgeError, load_knowledge
from jingxiang.matching.model import Demand, Match, Outcome, Ranking, Supplier

__all__ = [
    "Demand",
    "DemandQuery",
    "FeedbackModel",
    "JsonlError",
    "KnowledgeBase",
    "KnowledgeError",
    "LineError",
    "Match",
    "MatchingIndex",
    "Outcome",
    "Ranking",
    "Supplier",
    "demand_from_dict",
    "evaluate_rankings",
    "load_knowledge",
    "ndcg_at",
    "ranking_to_dict",
    "read_demands",
    "read_outcomes",
    "read_suppliers",
    "recall_at",
    "supplier_from_dict",
    "write_jsonl",
]
