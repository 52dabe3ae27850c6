"""The warm, incrementally updated supplier index and its ranking.

Score of supplier s for demand d (every factor is reported in ``why``):

    relevance = LEXICAL * lex(d, s) * (AGREEMENT_FLOOR + (1 - AGREEMENT_FLOOR) * agreement(d, s))
              + SKILL * skill(d, s) * focus(s)
    score     = relevance * context(s) * availability(s, d) * kind(d, s) * prior(s)
              * (1 + COMPETENCE_WEIGHT * competence(s, d)) * (1 + REGION_BONUS * region(d, s))

* lex: BM25 (Lucene variant) over canonical terms, query words weighted down when generic (光学, 检测);
  normalised by the best score the query could reach, so it lies in [0, 1].
* skill: share of the demand's concept weight (skills from aliases, synonyms, symptoms, senses, category,
  learned links) that the supplier covers.
* agreement: overlap of the demand's field distribution with the supplier's fields.  Lexical evidence
  from a supplier of another field (a frame plater for a lens-coating demand) counts for a third.
* context: profiles worded about another industry (food, cameras, hardware) and not about eyewear are
  damped, so 检测 of food and 光学 of cameras do not win.
* availability: no free hours -> x0.15 (they stay visible, but never ahead of a comparable available
  supplier); fewer free hours than needed -> mild damping.
* prior, competence: learned from outcomes (see ``feedback.py``); exactly neutral without history.
* region: same town > same city > same prefecture > same province, or remote-capable; at most +8 %.

Why not ``bm25s`` for the engine: its index is immutable, and the web application must upsert profiles
without a rebuild.  Postings here keep raw term frequencies and document lengths and compute IDF and
length normalisation at query time, so an index grown by upserts ranks exactly like one built from
scratch.  ``bm25s`` is used for the baselines in ``bench/matching``.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from jingxiang.matching.analysis import Analyzer, TextAnalysis
from jingxiang.matching.feedback import FeedbackModel
from jingxiang.matching.knowledge import KnowledgeBase, load_knowledge
from jingxiang.matching.model import SUPPLIER_KINDS, Demand, Match, Outcome, Ranking, Supplier

BM25_K1 = 1.2
BM25_B = 0.75
LEXICAL = 0.4
SKILL = 0.6
AGREEMENT_FLOOR = 0.3
LEXICAL_SCALE = 2.5
"""A demand rarely matches more than 40 % of its own best possible BM25 score; scale so that a strong
lexical match reaches 1.0 like a strong skill match does."""
NO_HOURS_FACTOR = 0.15
OFF_DOMAIN_FLOOR = 0.25
FOCUS_FREE_SKILLS = 6
FOCUS_PENALTY = 0.04
REGION_BONUS = 0.08
REMOTE_REGION_SHARE = 0.3
MIN_SCORE = 0.02
STRONG_CONCEPT = 0.5
COMPETENCE_WEIGHT = 0.5
"""Learned field competence in [-1, 1] moves a score by up to +-50 %: enough to reorder close
candidates, not enough to lift an irrelevant supplier over a relevant one."""
MAX_QUERY_TF = 3.0
MIN_STATED_HOURS = 0.5
REGION_LEVEL_SHARE = (1.0, 0.75, 0.5, 0.25)
REGION_DEPTH = len(REGION_LEVEL_SHARE)


@dataclass
class SupplierEvidence:
    """What analysis yields for one profile; picklable, so worker processes can produce it."""

    terms: dict[str, float]
    concepts: dict[str, float]
    listed: frozenset[str]
    eyewear_hits: int
    off_domain: dict[str, int]


@dataclass
class DemandQuery:
    """A demand analysed once, reusable across ranks (the web app re-ranks demands as profiles change)."""

    demand: Demand
    analysis: TextAnalysis
    concepts: dict[str, tuple[float, str]]
    term_weights: dict[str, float]
    region_path: list[str]
    kind_multipliers: dict[str, float]
    notes: list[str] = field(default_factory=list)


_worker_analyzer: Analyzer | None = None
_worker_index: MatchingIndex | None = None


def _analyze_supplier_in_worker(supplier: Supplier) -> SupplierEvidence:
    assert _worker_analyzer is not None
    return evidence_from_analysis(_worker_analyzer, supplier)


def evidence_from_analysis(analyzer: Analyzer, supplier: Supplier) -> SupplierEvidence:
    analysis = analyzer.analyze_supplier(supplier)
    listed = frozenset(code for skill in supplier.skills for code in analyzer.analyze_skill(skill)[0])
    return SupplierEvidence(
        terms=analysis.terms,
        concepts=dict(analysis.concepts),
        listed=listed,
        eyewear_hits=analysis.eyewear_hits,
        off_domain=dict(analysis.off_domain),
    )


def fork_is_safe() -> bool:
    """Whether worker processes may be forked from this process.

    Forking copies one thread only: in a process that runs other threads (a threaded web server, a
    test runner's worker) a lock held by another thread stays locked forever in the child. Parallel
    ranking is therefore used from single-threaded processes (the command line, benchmarks, the task
    worker); elsewhere the work runs in-process, with the same results.
    """
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


class MatchingIndex:
    """Suppliers indexed for ranking against demands, kept warm and updated in place.

    Build once with ``MatchingIndex.build(suppliers)``; then ``rank(demand)``, ``rank_demands(supplier)``,
    ``upsert(supplier)``, ``remove(supplier_id)``, ``apply_feedback(outcomes)``.
    """

    def __init__(self, knowledge: KnowledgeBase | None = None, feedback: FeedbackModel | None = None):
        self.knowledge = knowledge or load_knowledge()
        self.analyzer = Analyzer(self.knowledge)
        self.feedback = feedback or FeedbackModel()
        self.skill_codes: list[str] = sorted(self.knowledge.skill_domain)
        self._skill_index = {code: i for i, code in enumerate(self.skill_codes)}
        self.domain_codes: list[str] = sorted(set(self.knowledge.skill_domain.values()))
        domain_index = {code: i for i, code in enumerate(self.domain_codes)}
        self._skill_domain_index = np.array(
            [domain_index[self.knowledge.skill_domain[code]] for code in self.skill_codes], dtype=np.int32
        )
        self._kinds = {kind: i for i, kind in enumerate(SUPPLIER_KINDS)}
        self._capacity = 0
        self._size = 0
        self._suppliers: list[Supplier | None] = []
        self._slot_of: dict[str, int] = {}
        self._listed: list[frozenset[str]] = []
        self._row_terms: list[np.ndarray] = []
        self._row_tfs: list[np.ndarray] = []
        self._vocabulary: dict[str, int] = {}
        self._terms: list[str] = []
        self._postings_slots: list[array] = []
        self._postings_tfs: list[array] = []
        self._df: list[int] = []
        # Per skill: the slots that have it and with what weight, so a demand's skill overlap touches
        # only the suppliers that share a skill instead of a 100,000-row matrix product.
        self._concept_slots: list[array] = [array("i") for _ in self.skill_codes]
        self._concept_weights: list[array] = [array("f") for _ in self.skill_codes]
        self._platform = self.feedback.platform_means()
        self._total_length = 0.0
        self._alive_count = 0
        self._regions: dict[str, int] = {}
        self._demands: dict[str, DemandQuery] = {}
        self._allocate(64)

    # -- construction -------------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        suppliers: Iterable[Supplier],
        *,
        knowledge: KnowledgeBase | None = None,
        feedback: FeedbackModel | None = None,
        workers: int = 1,
    ) -> MatchingIndex:
        """Index ``suppliers``; ``workers > 1`` analyses profiles in parallel processes (fork)."""
        index = cls(knowledge, feedback)
        supplier_list = list(suppliers)
        duplicates = _duplicates(supplier.id for supplier in supplier_list)
        if duplicates:
            raise ValueError(f"duplicate supplier ids: {', '.join(sorted(duplicates)[:10])}")
        index._allocate(max(64, len(supplier_list)))
        evidences = index._analyze_many(supplier_list, workers)
        for supplier, evidence in zip(supplier_list, evidences, strict=True):
            index._add(supplier, evidence)
        return index

    def _analyze_many(self, suppliers: list[Supplier], workers: int) -> list[SupplierEvidence]:
        usable = min(workers, os.cpu_count() or 1)
        if usable <= 1 or len(suppliers) < 2000 or not fork_is_safe():
            return [evidence_from_analysis(self.analyzer, supplier) for supplier in suppliers]
        global _worker_analyzer
        _worker_analyzer = self.analyzer  # inherited by the forked workers, jieba dictionary included
        try:
            with multiprocessing.get_context("fork").Pool(usable) as pool:
                return pool.map(_analyze_supplier_in_worker, suppliers, chunksize=500)
        finally:
            _worker_analyzer = None

    def _allocate(self, capacity: int) -> None:
        if capacity <= self._capacity:
            return
        old = self._capacity

        def grow(
            array_: np.ndarray | None, shape: tuple[int, ...], dtype: type, fill: float, axis: int = 0
        ) -> np.ndarray:
            new = np.full(shape, fill, dtype=dtype)
            if array_ is not None and old:
                kept = (slice(None),) * axis + (slice(0, old),)
                new[kept] = array_[kept]
            return new

        n_skills, n_domains = len(self.skill_codes), len(self.domain_codes)
        self._concepts = grow(getattr(self, "_concepts", None), (capacity, n_skills), np.float32, 0.0)
        # Domain, region and competence columns are stored field-major (one contiguous row per field):
        # a query reads a few of them for its candidates, never whole supplier rows.
        self._domains = grow(getattr(self, "_domains", None), (n_domains, capacity), np.float32, 0.0, axis=1)
        self._alive = grow(getattr(self, "_alive", None), (capacity,), np.bool_, False)
        self._lengths = grow(getattr(self, "_lengths", None), (capacity,), np.float32, 0.0)
        self._context = grow(getattr(self, "_context", None), (capacity,), np.float32, 1.0)
        self._focus = grow(getattr(self, "_focus", None), (capacity,), np.float32, 1.0)
        self._hours = grow(getattr(self, "_hours", None), (capacity,), np.float32, 0.0)
        self._kind = grow(getattr(self, "_kind", None), (capacity,), np.int8, -1)
        self._prior = grow(getattr(self, "_prior", None), (capacity,), np.float32, 1.0)
        self._competence = grow(
            getattr(self, "_competence", None), (n_skills, capacity), np.float32, 0.0, axis=1
        )
        self._region = grow(getattr(self, "_region", None), (REGION_DEPTH, capacity), np.int32, -1, axis=1)
        self._remote = grow(getattr(self, "_remote", None), (capacity,), np.bool_, False)
        self._capacity = capacity

    def _term_id(self, term: str) -> int:
        term_id = self._vocabulary.get(term)
        if term_id is None:
            term_id = len(self._terms)
            self._vocabulary[term] = term_id
            self._terms.append(term)
            self._postings_slots.append(array("i"))
            self._postings_tfs.append(array("f"))
            self._df.append(0)
        return term_id

    def _region_ids(self, region: str) -> tuple[list[int], bool]:
        path = self.analyzer.region_path(region)
        remote = bool(path) and path[-1] == "remote"
        ids = []
        for place in path[:REGION_DEPTH]:
            if place not in self._regions:
                self._regions[place] = len(self._regions)
            ids.append(self._regions[place])
        return ids, remote

    def _add(self, supplier: Supplier, evidence: SupplierEvidence) -> None:
        if self._size >= self._capacity:
            self._allocate(self._capacity * 2)
        slot = self._size
        self._size += 1
        self._suppliers.append(supplier)
        self._slot_of[supplier.id] = slot
        self._listed.append(evidence.listed)
        vocabulary = self._vocabulary
        term_ids = [
            vocabulary[term] if term in vocabulary else self._term_id(term) for term in evidence.terms
        ]
        tfs = list(evidence.terms.values())
        self._row_terms.append(np.array(term_ids, dtype=np.int32))
        self._row_tfs.append(np.array(tfs, dtype=np.float32))
        postings_slots, postings_tfs, df = self._postings_slots, self._postings_tfs, self._df
        for term_id, tf in zip(term_ids, tfs, strict=True):
            postings_slots[term_id].append(slot)
            postings_tfs[term_id].append(tf)
            df[term_id] += 1
        length = float(np.float32(sum(tfs)))
        self._lengths[slot] = length
        self._total_length += length
        row = self._concepts[slot]
        domains = self._domains[:, slot]
        strong = 0
        for code, weight in evidence.concepts.items():
            column = self._skill_index[code]
            row[column] = weight
            domain = self._skill_domain_index[column]
            domains[domain] = max(domains[domain], weight)
            self._concept_slots[column].append(slot)
            self._concept_weights[column].append(weight)
            strong += weight >= STRONG_CONCEPT
        self._focus[slot] = 1.0 / (1.0 + FOCUS_PENALTY * max(0, strong - FOCUS_FREE_SKILLS))
        self._context[slot] = context_factor(evidence.eyewear_hits, sum(evidence.off_domain.values()))
        self._hours[slot] = max(0.0, float(supplier.hours_per_month or 0.0))
        self._kind[slot] = self._kinds.get(supplier.kind, -1)
        self._refresh_feedback(slot, supplier.id)
        region_ids, remote = self._region_ids(supplier.region)
        self._region[: len(region_ids), slot] = region_ids
        self._remote[slot] = remote
        self._alive[slot] = True
        self._alive_count += 1

    def _refresh_feedback(self, slot: int, supplier_id: str) -> None:
        self._competence[:, slot] = 0.0
        if supplier_id not in self.feedback.history:
            self._prior[slot] = 1.0
            return
        self._prior[slot] = self.feedback.supplier_factor(supplier_id, self._platform)
        for code, value in self.feedback.competence(supplier_id, self._platform).items():
            if code in self._skill_index:
                self._competence[self._skill_index[code], slot] = value

    # -- incremental updates --------------------------------------------------------------------------
    def upsert(self, supplier: Supplier) -> None:
        """Add or replace one profile without a rebuild (the old version stops counting at once)."""
        evidence = evidence_from_analysis(self.analyzer, supplier)
        if supplier.id in self._slot_of:
            self._retire(self._slot_of[supplier.id])
        self._add(supplier, evidence)
        self._maybe_compact()

    def remove(self, supplier_id: str) -> bool:
        """Drop a profile; returns False when it was not indexed."""
        slot = self._slot_of.pop(supplier_id, None)
        if slot is None:
            return False
        self._retire(slot, keep_mapping=True)
        self._maybe_compact()
        return True

    def _retire(self, slot: int, *, keep_mapping: bool = False) -> None:
        supplier = self._suppliers[slot]
        if supplier is not None and not keep_mapping:
            self._slot_of.pop(supplier.id, None)
        self._alive[slot] = False
        self._alive_count -= 1
        self._total_length -= float(self._lengths[slot])
        for term_id in self._row_terms[slot].tolist():
            self._df[term_id] -= 1
        self._suppliers[slot] = None

    def _maybe_compact(self) -> None:
        """Drop dead slots once they are a quarter of the index, so memory and latency stay bounded."""
        dead = self._size - self._alive_count
        if dead < 1000 or dead < self._size // 4:
            return
        keep = np.flatnonzero(self._alive[: self._size])
        for name in ("_concepts", "_alive", "_lengths", "_context", "_focus", "_hours", "_kind", "_prior"):
            values = getattr(self, name)
            values[: len(keep)] = values[keep]
        self._remote[: len(keep)] = self._remote[keep]
        for name in ("_domains", "_region", "_competence"):
            values = getattr(self, name)
            values[:, : len(keep)] = values[:, keep]
        self._alive[len(keep) :] = False
        kept = keep.tolist()
        self._suppliers = [self._suppliers[slot] for slot in kept]
        self._listed = [self._listed[slot] for slot in kept]
        self._row_terms = [self._row_terms[slot] for slot in kept]
        self._row_tfs = [self._row_tfs[slot] for slot in kept]
        self._size = len(kept)
        self._slot_of = {supplier.id: slot for slot, supplier in enumerate(self._suppliers) if supplier}
        self._postings_slots = [array("i") for _ in self._terms]
        self._postings_tfs = [array("f") for _ in self._terms]
        for slot, (term_ids, tfs) in enumerate(zip(self._row_terms, self._row_tfs, strict=True)):
            for term_id, tf in zip(term_ids.tolist(), tfs.tolist(), strict=True):
                self._postings_slots[term_id].append(slot)
                self._postings_tfs[term_id].append(tf)
        self._concept_slots = [array("i") for _ in self.skill_codes]
        self._concept_weights = [array("f") for _ in self.skill_codes]
        for slot in range(self._size):
            row = self._concepts[slot]
            for column in np.flatnonzero(row).tolist():
                self._concept_slots[column].append(slot)
                self._concept_weights[column].append(float(row[column]))

    def __len__(self) -> int:
        return self._alive_count

    def __contains__(self, supplier_id: object) -> bool:
        return supplier_id in self._slot_of

    def supplier(self, supplier_id: str) -> Supplier:
        supplier = self._suppliers[self._slot_of[supplier_id]]
        assert supplier is not None
        return supplier

    def suppliers(self) -> list[Supplier]:
        return [supplier for supplier in self._suppliers if supplier is not None]

    # -- feedback -------------------------------------------------------------------------------------
    def apply_feedback(self, outcomes: Iterable[Outcome], demands: Mapping[str, Demand] | None = None) -> int:
        """Record outcomes and refresh what the ranking reads from them; returns how many were applied.

        Demands are looked up in ``demands`` first, then among the indexed demands; without the demand's
        text only the supplier prior learns (field competence and term links need the demand's words).
        """
        applied = 0
        analysed: dict[str, DemandQuery] = {}
        for outcome in outcomes:
            demand = (demands or {}).get(outcome.demand_id)
            if demand is None and outcome.demand_id in self._demands:
                demand = self._demands[outcome.demand_id].demand
            terms: list[str] = []
            concepts: dict[str, float] = {}
            if demand is not None:
                if demand.id not in analysed:
                    analysed[demand.id] = self.analyze_demand(demand)
                query = analysed[demand.id]
                terms = [term for term in query.analysis.terms if term not in self.knowledge.generic_terms]
                # Only the demand's own evidence, not what earlier feedback inferred, to avoid feeding back
                # on itself.
                concepts = dict(query.analysis.concepts)
            listed: Iterable[str] = ()
            slot = self._slot_of.get(outcome.supplier_id)
            if slot is not None:
                listed = sorted(self._listed[slot])
                # Credit only the fields the supplier was matched through: praise for a plater on a
                # "plating and frame testing" demand says nothing about their frame testing.
                row = self._concepts[slot]
                if outcome.kind == "declined":
                    # A decline is about the demand's field ("not my field" or "no time for this").
                    concepts = {code: weight for code, weight in concepts.items() if weight >= STRONG_CONCEPT}
                else:
                    concepts = {
                        code: weight * float(row[self._skill_index[code]])
                        for code, weight in concepts.items()
                        if weight >= STRONG_CONCEPT and row[self._skill_index[code]] >= STRONG_CONCEPT
                    }
            self.feedback.record(
                outcome, demand_terms=terms, demand_concepts=concepts, supplier_skills=listed
            )
            applied += 1
        # Platform means move with every outcome, so every supplier with history is refreshed.
        self._platform = self.feedback.platform_means()
        for supplier_id in self.feedback.history:
            slot = self._slot_of.get(supplier_id)
            if slot is not None:
                self._refresh_feedback(slot, supplier_id)
        for query in self._demands.values():
            query.concepts = self._query_concepts(query.demand, query.analysis)
        return applied

    # -- queries --------------------------------------------------------------------------------------
    def analyze_demand(self, demand: Demand) -> DemandQuery:
        """Analyse a demand once (terms, concepts, region); reusable for many ranks."""
        analysis = self.analyzer.analyze_demand(demand)
        notes = []
        rule = self.knowledge.categories.get(demand.category)
        if demand.category and rule is None:
            notes.append(f"未知类别 {demand.category!r}，按文字匹配")
        if not analysis.terms and not analysis.concepts:
            notes.append("需求描述为空或无可识别内容")
        term_weights = {}
        for term, tf in analysis.terms.items():
            weight = tf if tf < 1.0 else 1.0 + math.log(min(tf, MAX_QUERY_TF))
            term_weights[term] = weight * self.knowledge.generic_terms.get(term, 1.0)
        return DemandQuery(
            demand=demand,
            analysis=analysis,
            concepts=self._query_concepts(demand, analysis),
            term_weights=term_weights,
            region_path=self.analyzer.region_path(demand.region),
            kind_multipliers=dict(rule.kinds) if rule else {},
            notes=notes,
        )

    def _query_concepts(self, demand: Demand, analysis: TextAnalysis) -> dict[str, tuple[float, str]]:
        concepts = {code: (weight, analysis.reasons[code][0]) for code, weight in analysis.concepts.items()}
        for code, (weight, term) in self.feedback.learned_concepts(analysis.terms).items():
            if weight > concepts.get(code, (0.0, ""))[0]:
                concepts[code] = (weight, f"反馈学习 {term}→{self.knowledge.skill_label.get(code, code)}")
        return concepts

    def rank(self, demand: Demand | DemandQuery, top: int = 20) -> Ranking:
        """Best suppliers for ``demand``, best first, each with its evidence."""
        query = demand if isinstance(demand, DemandQuery) else self.analyze_demand(demand)
        slots, scores, parts = self._score_all(query)
        matches = []
        for position in _top(scores, top, slots, self._suppliers):
            slot = int(slots[position])
            supplier = self._suppliers[slot]
            assert supplier is not None
            why = self._explain(query, slot, {name: float(value[position]) for name, value in parts.items()})
            matches.append(Match(id=supplier.id, score=round(float(scores[position]), 6), why=tuple(why)))
        return Ranking(query_id=query.demand.id, matches=tuple(matches), notes=tuple(query.notes))

    def rank_many(self, demands: Sequence[Demand], top: int = 20, *, workers: int = 1) -> list[Ranking]:
        """Rank many demands (e.g. every open demand after profiles changed), in order.

        ``workers > 1`` forks processes that share the index copy-on-write; the index is only read.
        """
        usable = min(workers, os.cpu_count() or 1, max(1, len(demands) // 50))
        if usable <= 1 or not fork_is_safe():
            return [self.rank(demand, top) for demand in demands]
        global _worker_index
        _worker_index = self
        try:
            with multiprocessing.get_context("fork").Pool(usable) as pool:
                chunk = max(1, len(demands) // (usable * 8))
                return pool.starmap(_rank_in_worker, ((demand, top) for demand in demands), chunksize=chunk)
        finally:
            _worker_index = None

    def _query_vectors(self, query: DemandQuery) -> tuple[np.ndarray, np.ndarray, float]:
        dq = np.zeros(len(self.skill_codes), dtype=np.float32)
        for code, (weight, _reason) in query.concepts.items():
            dq[self._skill_index[code]] = weight
        total = float(dq.sum())
        distribution = np.zeros(len(self.domain_codes), dtype=np.float32)
        if total > 0:
            np.add.at(distribution, self._skill_domain_index, dq / total)
        return dq, distribution, total

    def _lexical(self, query: DemandQuery, slots: np.ndarray | None = None) -> np.ndarray:
        """Normalised BM25 for every slot, or only for ``slots`` (reverse mode scores one profile)."""
        n = self._size
        alive = max(self._alive_count, 1)
        average_length = max(self._total_length / alive, 1e-6)
        best = 0.0
        idf_of: dict[int, tuple[float, float]] = {}
        for term, query_weight in query.term_weights.items():
            term_id = self._vocabulary.get(term)
            df = self._df[term_id] if term_id is not None else 0
            idf = math.log(1.0 + (alive - df + 0.5) / (df + 0.5))
            best += query_weight * idf * (BM25_K1 + 1.0)
            if df and term_id is not None:
                idf_of[term_id] = (query_weight * idf, idf)
        if slots is None:
            scores = np.zeros(n, dtype=np.float32)
            slot_parts, weight_parts = [], []
            for term_id, (weighted_idf, _idf) in idf_of.items():
                posting_slots = np.frombuffer(self._postings_slots[term_id], dtype=np.int32)
                tfs = np.frombuffer(self._postings_tfs[term_id], dtype=np.float32)
                norm = BM25_K1 * (1.0 - BM25_B + BM25_B * self._lengths[posting_slots] / average_length)
                slot_parts.append(posting_slots)
                weight_parts.append(weighted_idf * tfs * (BM25_K1 + 1.0) / (tfs + norm))
            if slot_parts:
                scores = np.bincount(
                    np.concatenate(slot_parts), weights=np.concatenate(weight_parts), minlength=n
                ).astype(np.float32)
        else:
            scores = np.zeros(len(slots), dtype=np.float32)
            for position, slot in enumerate(slots.tolist()):
                norm = BM25_K1 * (1.0 - BM25_B + BM25_B * float(self._lengths[slot]) / average_length)
                total = 0.0
                for term_id, tf in zip(
                    self._row_terms[slot].tolist(), self._row_tfs[slot].tolist(), strict=True
                ):
                    if term_id in idf_of:
                        total += idf_of[term_id][0] * tf * (BM25_K1 + 1.0) / (tf + norm)
                scores[position] = total
        if best <= 0:
            return scores
        return np.minimum(1.0, scores * (LEXICAL_SCALE / best))

    def _skill_overlap(self, dq: np.ndarray) -> np.ndarray:
        """Sum over the demand's skills of demand weight x supplier weight, for every slot, from postings."""
        slot_parts, weight_parts = [], []
        for column in np.flatnonzero(dq).tolist():
            slots = np.frombuffer(self._concept_slots[column], dtype=np.int32)
            if slots.size:
                slot_parts.append(slots)
                weight_parts.append(
                    np.frombuffer(self._concept_weights[column], dtype=np.float32) * dq[column]
                )
        if not slot_parts:
            return np.zeros(self._size, dtype=np.float32)
        return np.bincount(
            np.concatenate(slot_parts), weights=np.concatenate(weight_parts), minlength=self._size
        ).astype(np.float32)

    def _score_all(
        self, query: DemandQuery, slots: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Scores of the candidate slots (any shared term or skill), or of ``slots`` when given.

        Returns (slots scored, scores, named components for the explanation).
        """
        dq, distribution, total = self._query_vectors(query)
        if slots is None:
            lexical_all = self._lexical(query)
            overlap_all = self._skill_overlap(dq) if total > 0 else np.zeros(self._size, dtype=np.float32)
            # Exact pruning: without a shared skill, relevance <= LEXICAL * lex, so a supplier needs
            # lex >= MIN_SCORE / LEXICAL to be listed at all.
            candidates = np.flatnonzero((lexical_all >= MIN_SCORE / LEXICAL) | (overlap_all > 0))
            selection = candidates[self._alive[candidates]]
            lexical = lexical_all[selection]
            overlap = overlap_all[selection]
        else:
            selection = slots
            lexical = self._lexical(query, slots)
            overlap = self._concepts[selection] @ dq
        n = len(selection)
        if total > 0:
            skill = overlap / total * self._focus[selection]
            agreement = np.zeros(n, dtype=np.float32)
            for domain in np.flatnonzero(distribution).tolist():
                agreement += self._domains[domain][selection] * distribution[domain]
            lexical_part = lexical * (AGREEMENT_FLOOR + (1.0 - AGREEMENT_FLOOR) * agreement)
            if self.feedback.history:
                competence = np.zeros(n, dtype=np.float32)
                for column in np.flatnonzero(dq).tolist():
                    competence += self._competence[column][selection] * (dq[column] / total)
            else:
                competence = np.zeros(n, dtype=np.float32)
        else:
            skill = np.zeros(n, dtype=np.float32)
            agreement = np.ones(n, dtype=np.float32)
            lexical_part = lexical
            competence = np.zeros(n, dtype=np.float32)
        relevance = LEXICAL * lexical_part + SKILL * skill
        hours = self._hours[selection]
        # Fractions of an hour are noise (and would underflow float32); treat them as "not stated".
        needed = float(query.demand.hours_needed or 0.0)
        needed = needed if needed >= MIN_STATED_HOURS else 0.0
        availability = np.where(hours <= 0, NO_HOURS_FACTOR, 1.0).astype(np.float32)
        if needed > 0:
            short = (hours > 0) & (hours < needed)
            availability = np.where(short, 0.6 + 0.4 * hours / needed, availability)
        kind_factor = np.ones(n, dtype=np.float32)
        kinds = self._kind[selection]
        for kind, multiplier in query.kind_multipliers.items():
            kind_factor[kinds == self._kinds.get(kind, -2)] = multiplier
        region = self._region_share(query.region_path, selection)
        score = (
            relevance
            * self._context[selection]
            * availability
            * kind_factor
            * self._prior[selection]
            * (1.0 + COMPETENCE_WEIGHT * competence)
            * (1.0 + REGION_BONUS * region)
        )
        score = np.where(self._alive[selection] & (relevance >= MIN_SCORE), score, 0.0)
        parts = {
            "lexical": lexical,
            "skill": skill,
            "agreement": agreement,
            "region": region,
            "availability": availability,
            "competence": competence,
        }
        return np.asarray(selection), score, parts

    def _region_share(self, path: list[str], selection: slice | np.ndarray) -> np.ndarray:
        """Share of the region bonus per slot: 1.0 same town, 0.75 same city ... via a lookup table."""
        table = np.zeros(len(self._regions) + 1, dtype=np.float32)  # last entry: "no region" (-1)
        for level, place in enumerate(path[:REGION_DEPTH]):
            place_id = self._regions.get(place)
            if place_id is not None and place != "remote" and table[place_id] < REGION_LEVEL_SHARE[level]:
                table[place_id] = REGION_LEVEL_SHARE[level]
        remote = np.where(self._remote[selection], REMOTE_REGION_SHARE, 0.0).astype(np.float32)
        if not table.any():
            return remote
        share = np.maximum(table[self._region[0][selection]], remote)
        for level in range(1, REGION_DEPTH):
            np.maximum(share, table[self._region[level][selection]], out=share)
        return share

    def _explain(self, query: DemandQuery, slot: int, parts: Mapping[str, float]) -> list[str]:
        supplier = self._suppliers[slot]
        assert supplier is not None
        why: list[str] = []
        row = self._concepts[slot]
        shared = []
        for code, (weight, reason) in query.concepts.items():
            have = float(row[self._skill_index[code]])
            if have > 0:
                shared.append((weight * have, code, reason))
        for _strength, code, reason in sorted(shared, key=lambda item: (-item[0], item[1]))[:4]:
            source = "所列技能" if code in self._listed[slot] else "简介提及"
            why.append(f"技能 {self.knowledge.skill_label.get(code, code)}（{source}；需求依据：{reason}）")
        row_terms = {self._terms[term_id] for term_id in self._row_terms[slot].tolist()}
        matched = sorted(
            (term for term in query.term_weights if term in row_terms),
            key=lambda term: (-query.term_weights[term], term),
        )
        if matched:
            why.append("匹配词 " + "、".join(matched[:6]))
        links = [
            f"{variant}={canonical}"
            for variant, canonical in query.analysis.synonym_links
            if canonical in row_terms
        ]
        if links:
            why.append("同义词 " + "、".join(links[:4]))
        if parts["agreement"] < 0.2 and parts["lexical"] > 0:
            why.append("领域不符：仅有通用词相同（已降权）")
        if self._context[slot] < 1.0:
            why.append("简介偏向其他行业（已降权）")
        hours = float(self._hours[slot])
        needed = float(query.demand.hours_needed or 0.0)
        needed = needed if needed >= MIN_STATED_HOURS else 0.0
        if hours <= 0:
            why.append("无空闲工时（已排后）")
        elif needed > 0 and hours < needed:
            why.append(f"空闲 {hours:g} 小时/月，少于需要的 {needed:g} 小时")
        else:
            why.append(f"空闲 {hours:g} 小时/月")
        if parts["region"] > 0:
            supplier_path = self.analyzer.region_path(supplier.region)
            shared = next((place for place in query.region_path if place in supplier_path), None)
            if shared is None or shared == "remote":
                why.append(f"地区 {supplier.region or '远程'}（可远程服务）")
            elif shared == query.region_path[0]:
                why.append(f"地区 {supplier.region}（本地）")
            else:
                why.append(f"地区 {supplier.region}（同在{shared}）")
        history = self.feedback.summary(supplier.id)
        if history:
            why.append(history)
        if parts.get("competence", 0.0) >= 0.05:
            why.append("反馈：在同类需求上评价好（加权）")
        elif parts.get("competence", 0.0) <= -0.05:
            why.append("反馈：在同类需求上评价差（降权）")
        return why

    # -- reverse mode ----------------------------------------------------------------------------------
    def upsert_demand(self, demand: Demand) -> None:
        """Keep an open demand indexed for ``rank_demands`` ("needs you could help with")."""
        self._demands[demand.id] = self.analyze_demand(demand)

    def remove_demand(self, demand_id: str) -> bool:
        return self._demands.pop(demand_id, None) is not None

    def rank_demands(
        self, supplier: Supplier | str, demands: Iterable[Demand] | None = None, top: int = 20
    ) -> Ranking:
        """Demands this supplier fits best, scored exactly as ``rank`` would score the pair.

        ``supplier`` is an indexed id or a profile; a profile not yet indexed (or edited) is scored as if
        it were upserted, then the index is put back as it was.  ``demands`` defaults to the indexed
        demands.  Each pair costs a fraction of a millisecond, so thousands of open demands are fine.
        """
        if isinstance(supplier, str):
            supplier = self.supplier(supplier)
        queries: Sequence[DemandQuery] = (
            [self.analyze_demand(demand) for demand in demands]
            if demands is not None
            else list(self._demands.values())
        )
        indexed = self._slot_of.get(supplier.id)
        temporary = indexed is None or self._suppliers[indexed] != supplier
        if temporary:
            # Score an unindexed (or edited) profile as if it were upserted, then take it out again.
            previous = self._suppliers[indexed] if indexed is not None else None
            self.upsert(supplier)
        try:
            slot = np.array([self._slot_of[supplier.id]], dtype=np.int64)
            scored = []
            for query in queries:
                _slots, scores, parts = self._score_all(query, slot)
                if scores[0] > 0:
                    scored.append(
                        (float(scores[0]), query, {name: float(value[0]) for name, value in parts.items()})
                    )
            scored.sort(key=lambda item: (-round(item[0], 6), item[1].demand.id))
            matches = [
                Match(
                    id=query.demand.id,
                    score=round(score, 6),
                    why=tuple(self._explain(query, int(slot[0]), parts)),
                )
                for score, query, parts in scored[: max(top, 0)]
            ]
        finally:
            if temporary:
                if previous is not None:
                    self.upsert(previous)
                else:
                    self.remove(supplier.id)
        return Ranking(query_id=supplier.id, matches=tuple(matches))


def context_factor(eyewear_hits: int, off_domain_hits: int) -> float:
    """1.0 for eyewear or neutral profiles; down to OFF_DOMAIN_FLOOR for profiles about another industry."""
    if off_domain_hits <= 0:
        return 1.0
    share = eyewear_hits / (eyewear_hits + off_domain_hits)
    return OFF_DOMAIN_FLOOR + (1.0 - OFF_DOMAIN_FLOOR) * share


def _top(scores: np.ndarray, top: int, slots: np.ndarray, suppliers: list[Supplier | None]) -> list[int]:
    """Positions of the ``top`` best positive scores; ties broken by supplier id, never by slot order."""
    positive = np.flatnonzero(scores > 0)
    if positive.size == 0 or top <= 0:
        return []
    if positive.size > top * 4:
        keep = np.argpartition(-scores[positive], top * 4 - 1)[: top * 4]
        positive = positive[keep]

    def key(position: int) -> tuple[float, str]:
        supplier = suppliers[int(slots[position])]
        return (-round(float(scores[position]), 6), supplier.id if supplier else "")

    return sorted(positive.tolist(), key=key)[:top]


def _rank_in_worker(demand: Demand, top: int) -> Ranking:
    assert _worker_index is not None
    return _worker_index.rank(demand, top)


def _duplicates(ids: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    duplicates = set()
    for identifier in ids:
        if identifier in seen:
            duplicates.add(identifier)
        seen.add(identifier)
    return duplicates
