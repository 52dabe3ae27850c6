"""The warm, incrementally updated supplier index and its ranking.

Evidence comes in separate channels, each a number in [0, 1] per (demand, supplier) pair:

* ``bigram``: BM25 over character bigrams of the raw texts, no dictionary and no table at all;
* ``word``: BM25 over the demand's own words (jieba with the industry lexicon, synonyms rewritten to
  their canonical term, generic words such as 光学/检测 weighted down);
* ``expansion``: BM25 over the words the tables *add* to a demand (a symptom's expert terms, an
  ambiguous word read in context);
* ``skill``: the share of the demand's skill weight (from aliases, synonyms, symptoms, senses, category
  and learned links, each weighed by the entry's confidence) that the supplier covers;
* ``field``: overlap of the demand's field distribution with the supplier's fields.  The demand's fields
  come from the tables and, for the share the tables cannot vouch for, from the fields of the suppliers
  whose texts match it best (pseudo-relevance feedback over profile data).

Fusion is linear, with weights fitted on the development set (``bench/matching/fit_fusion.py``)::

    relevance = sum(weight[c] * channel[c])
    score     = relevance * context(s) * availability(s, d) * kind(d, s) * prior(s)
              * (1 + COMPETENCE_WEIGHT * competence(s, d)) * (1 + REGION_BONUS * region(d, s))

Linear rather than reciprocal-rank fusion because a pair's score must be computable on its own:
``rank_demands`` scores one profile against many demands, and reciprocal ranks would need every
supplier ranked for every demand.  Lexical channels are added, never multiplied by what the tables
say, so a misfiring table can lower a supplier's rank but cannot erase its text match.

Domain gate: when the demand's fields are known, a supplier whose profile shows no evidence in any of
them (no listed skill, skill name, synonym, symptom or sense of those fields) is scored down and ranked
after every supplier that has such evidence, so it stays out of the top 10 whatever words it shares.

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from jingxiang.matching.analysis import Analyzer, Evidence, TextAnalysis
from jingxiang.matching.feedback import FeedbackModel
from jingxiang.matching.knowledge import KnowledgeBase, load_knowledge
from jingxiang.matching.model import SUPPLIER_KINDS, Demand, Match, Outcome, Ranking, Supplier
from jingxiang.matching.semantic import SkillAssociations

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]

BM25_K1 = 1.2
BM25_B = 0.75
LEXICAL_SCALE = 2.5
"""A demand rarely matches more than 40 % of its own best possible BM25 score; tanh(2.5 x) brings a
strong lexical match near 1, like a strong skill match, without flattening the differences below."""
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
FIELD_NEIGHBOURS = 10
"""How many best lexical matches vote on a demand's fields (pseudo-relevance feedback)."""
MIN_SUPPORTERS = 2
FIELD_FEEDBACK_MASS = 1.0
"""Weight of the neighbours' vote against the tables' concept mass (a demand whose tables fire strongly
keeps its fields; one that no table recognises takes them from the profiles that match its words)."""
GATE_SHARE = 0.15
"""A field counts as one of the demand's fields from this share of its field distribution."""
GATE_EVIDENCE = 0.3
"""Weakest skill evidence that counts as "works in this field" (a symptom named in prose is 0.36)."""
GATE_FACTOR = 0.3
TOP_GATED = 10
"""Suppliers without evidence in the demand's fields never take one of the first ten places."""
FIELD_MISMATCH = 0.2
EYEWEAR_SCOPE = 0.8
"""Multiplier for a profile that never mentions eyewear, on a demand of product-specific fields (lens
coating, frame plating, not MES or patents): the same technique in another trade is a weaker match."""


@dataclass(frozen=True)
class Fusion:
    """Weights of the evidence channels, and whether context multipliers and the domain gate apply.

    The default weights were fitted on the development set (``bench/matching/data``) by
    ``bench/matching/fit_fusion.py``; the held-out set was never used to fit them.
    """

    bigram: float = 0.35
    word: float = 0.05
    expansion: float = 0.1
    skill: float = 0.3
    field: float = 0.1
    semantic: float = 0.1
    multipliers: bool = True
    gate: bool = True

    @classmethod
    def only(cls, channel: str) -> Fusion:
        """One channel alone, without multipliers or gate: how that evidence ranks on its own."""
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}; expected one of {', '.join(CHANNELS)}")
        weights = dict.fromkeys(CHANNELS, 0.0)
        weights[channel] = 1.0
        return cls(**weights, multipliers=False, gate=False)

    def weights(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in CHANNELS}

    def with_weights(self, weights: Mapping[str, float]) -> Fusion:
        values: dict[str, Any] = {name: float(value) for name, value in weights.items()}
        return replace(self, **values)


CHANNELS: tuple[str, ...] = ("bigram", "word", "expansion", "skill", "field", "semantic")


@dataclass
class SupplierEvidence:
    """What analysis yields for one profile; picklable, so worker processes can produce it."""

    terms: dict[str, float]
    bigrams: dict[str, float]
    concepts: dict[str, float]
    listed: frozenset[str]
    eyewear_hits: int
    off_domain: dict[str, int]


@dataclass
class DemandQuery:
    """A demand analysed once, reusable across ranks (the web app re-ranks demands as profiles change).

    ``field_feedback`` (the fields of the demand's best lexical matches) and ``inferred`` (the skills the
    semantic model reads in it) are filled on first use and then kept, so ranking the same query object
    again (``rank_demands`` over the indexed demands) reads what it was first ranked with.
    """

    demand: Demand
    analysis: TextAnalysis
    concepts: dict[str, tuple[float, Evidence]]
    term_weights: dict[str, float]
    expansion_weights: dict[str, float]
    bigram_weights: dict[str, float]
    region_path: list[str]
    kind_multipliers: dict[str, float]
    notes: list[str] = field(default_factory=list)
    field_feedback: FloatArray | None = None
    inferred: FloatArray | None = None


@dataclass
class ChannelScores:
    """Every candidate of one demand with its channel values, multiplier and gate flag (benchmarks fit
    fusion weights on these; ``rank`` combines them with ``Fusion``)."""

    slots: npt.NDArray[np.int64]
    suppliers: Sequence[Supplier | None]
    channels: dict[str, FloatArray]
    multiplier: FloatArray
    gated: npt.NDArray[np.bool_]
    parts: dict[str, FloatArray]

    def id(self, position: int) -> str:
        supplier = self.suppliers[int(self.slots[position])]
        return supplier.id if supplier is not None else ""

    @property
    def ids(self) -> list[str]:
        return [self.id(position) for position in range(len(self.slots))]


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
        bigrams=analyzer.supplier_bigrams(supplier),
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


def query_weights(
    counts: Mapping[str, float], generic: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Query-side term weights: repeated words count sub-linearly, generic words less."""
    weights = {}
    for term, tf in counts.items():
        weight = tf if tf < 1.0 else 1.0 + math.log(min(tf, MAX_QUERY_TF))
        weights[term] = weight * (generic.get(term, 1.0) if generic else 1.0)
    return weights


class Postings:
    """BM25 postings for one kind of token (words or bigrams), slot-aligned with the index.

    Raw term frequencies and document lengths are kept; IDF and length normalisation are computed at
    query time, so upserts and removals never leave stale statistics behind.
    """

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self.terms: list[str] = []
        self.slots: list[array[int]] = []
        self.tfs: list[array[float]] = []
        self.df: list[int] = []
        self.row_terms: list[IntArray] = []
        self.row_tfs: list[FloatArray] = []
        self.lengths: array[float] = array("f")
        self.total_length = 0.0

    def add(self, slot: int, counts: Mapping[str, float]) -> None:
        vocabulary = self.vocabulary
        term_ids = []
        for term in counts:
            term_id = vocabulary.get(term)
            if term_id is None:
                term_id = len(self.terms)
                vocabulary[term] = term_id
                self.terms.append(term)
                self.slots.append(array("i"))
                self.tfs.append(array("f"))
                self.df.append(0)
            term_ids.append(term_id)
        tfs = list(counts.values())
        slots, posting_tfs, df = self.slots, self.tfs, self.df
        for term_id, tf in zip(term_ids, tfs, strict=True):
            slots[term_id].append(slot)
            posting_tfs[term_id].append(tf)
            df[term_id] += 1
        self.row_terms.append(np.array(term_ids, dtype=np.int32))
        self.row_tfs.append(np.array(tfs, dtype=np.float32))
        length = float(np.float32(sum(tfs)))
        self.lengths.append(length)
        self.total_length += length

    def extend(self, rows: Sequence[Mapping[str, float]]) -> None:
        """Add many slots at once (the build): exactly what ``add`` would store, slot after slot, with
        the postings assembled by one sort instead of millions of appends."""
        vocabulary, first = self.vocabulary, len(self.row_terms)
        flat_terms: list[int] = []
        flat_tfs: list[float] = []
        for counts in rows:
            term_ids = []
            for term in counts:
                term_id = vocabulary.get(term)
                if term_id is None:
                    term_id = len(self.terms)
                    vocabulary[term] = term_id
                    self.terms.append(term)
                    self.slots.append(array("i"))
                    self.tfs.append(array("f"))
                    self.df.append(0)
                term_ids.append(term_id)
            tfs = list(counts.values())
            self.row_terms.append(np.array(term_ids, dtype=np.int32))
            self.row_tfs.append(np.array(tfs, dtype=np.float32))
            flat_terms.extend(term_ids)
            flat_tfs.extend(tfs)
            length = float(np.float32(sum(tfs)))
            self.lengths.append(length)
            self.total_length += length
        if not flat_terms:
            return
        terms = np.array(flat_terms, dtype=np.int64)
        sizes = [len(row) for row in self.row_terms[first:]]
        slots = np.repeat(np.arange(first, first + len(sizes), dtype=np.int32), sizes)
        tfs_array = np.array(flat_tfs, dtype=np.float32)
        order = np.argsort(terms, kind="stable")
        terms, slots, tfs_array = terms[order], slots[order], tfs_array[order]
        bounds = np.flatnonzero(np.diff(terms)) + 1
        starts = np.concatenate([[0], bounds])
        ends = np.concatenate([bounds, [len(terms)]])
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            term_id = int(terms[start])
            self.slots[term_id].frombytes(slots[start:end].tobytes())
            self.tfs[term_id].frombytes(tfs_array[start:end].tobytes())
            self.df[term_id] += end - start

    def retire(self, slot: int) -> None:
        self.total_length -= float(self.lengths[slot])
        for term_id in self.row_terms[slot].tolist():
            self.df[term_id] -= 1

    def compact(self, kept: list[int]) -> None:
        self.row_terms = [self.row_terms[slot] for slot in kept]
        self.row_tfs = [self.row_tfs[slot] for slot in kept]
        self.lengths = array("f", (self.lengths[slot] for slot in kept))
        self.slots = [array("i") for _ in self.terms]
        self.tfs = [array("f") for _ in self.terms]
        for slot, (term_ids, tfs) in enumerate(zip(self.row_terms, self.row_tfs, strict=True)):
            for term_id, tf in zip(term_ids.tolist(), tfs.tolist(), strict=True):
                self.slots[term_id].append(slot)
                self.tfs[term_id].append(tf)

    def counts(self, slot: int) -> dict[str, float]:
        """The slot's tokens with their frequencies, as they were added."""
        return {
            self.terms[term_id]: tf
            for term_id, tf in zip(self.row_terms[slot].tolist(), self.row_tfs[slot].tolist(), strict=True)
        }

    def row(self, slot: int) -> set[str]:
        return {self.terms[term_id] for term_id in self.row_terms[slot].tolist()}

    def idf(self, term: str, alive: int) -> float:
        term_id = self.vocabulary.get(term)
        df = self.df[term_id] if term_id is not None else 0
        return math.log(1.0 + (alive - df + 0.5) / (df + 0.5))

    def score(
        self, weights: Mapping[str, float], alive: int, size: int, slots: npt.NDArray[np.int64] | None = None
    ) -> FloatArray:
        """BM25 as a share of the best score the query could reach, through tanh(LEXICAL_SCALE x)."""
        alive = max(alive, 1)
        average_length = max(self.total_length / alive, 1e-6)
        best = 0.0
        idf_of: dict[int, float] = {}
        for term, query_weight in weights.items():
            idf = self.idf(term, alive)
            best += query_weight * idf * (BM25_K1 + 1.0)
            term_id = self.vocabulary.get(term)
            if term_id is not None and self.df[term_id]:
                idf_of[term_id] = query_weight * idf
        if slots is None:
            scores: FloatArray = np.zeros(size, dtype=np.float32)
            if idf_of:
                lengths = np.frombuffer(self.lengths, dtype=np.float32)
                slot_parts, weight_parts = [], []
                for term_id, weighted_idf in idf_of.items():
                    posting_slots = np.frombuffer(self.slots[term_id], dtype=np.int32)
                    tfs = np.frombuffer(self.tfs[term_id], dtype=np.float32)
                    norm = BM25_K1 * (1.0 - BM25_B + BM25_B * lengths[posting_slots] / average_length)
                    slot_parts.append(posting_slots)
                    weight_parts.append(weighted_idf * tfs * (BM25_K1 + 1.0) / (tfs + norm))
                scores = np.bincount(
                    np.concatenate(slot_parts), weights=np.concatenate(weight_parts), minlength=size
                ).astype(np.float32)
        else:
            scores = np.zeros(len(slots), dtype=np.float32)
            for position, slot in enumerate(slots.tolist()):
                slot_norm = BM25_K1 * (1.0 - BM25_B + BM25_B * float(self.lengths[slot]) / average_length)
                total = 0.0
                for term_id, tf in zip(
                    self.row_terms[slot].tolist(), self.row_tfs[slot].tolist(), strict=True
                ):
                    if term_id in idf_of:
                        total += idf_of[term_id] * tf * (BM25_K1 + 1.0) / (tf + slot_norm)
                scores[position] = total
        if best <= 0:
            return np.zeros(len(scores), dtype=np.float32)
        shares: FloatArray = np.tanh(scores * np.float32(LEXICAL_SCALE / best)).astype(np.float32)
        return shares


class MatchingIndex:
    """Suppliers indexed for ranking against demands, kept warm and updated in place.

    Build once with ``MatchingIndex.build(suppliers)``; then ``rank(demand)``, ``rank_demands(supplier)``,
    ``upsert(supplier)``, ``remove(supplier_id)``, ``apply_feedback(outcomes)``.
    """

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        feedback: FeedbackModel | None = None,
        fusion: Fusion | None = None,
    ):
        self.knowledge = knowledge or load_knowledge()
        self.analyzer = Analyzer(self.knowledge)
        self.feedback = feedback or FeedbackModel()
        self.fusion = fusion or Fusion()
        self.skill_codes: list[str] = sorted(self.knowledge.skill_domain)
        self._skill_index = {code: i for i, code in enumerate(self.skill_codes)}
        self.domain_codes: list[str] = sorted(set(self.knowledge.skill_domain.values()))
        domain_index = {code: i for i, code in enumerate(self.domain_codes)}
        self._skill_domain_index = np.array(
            [domain_index[self.knowledge.skill_domain[code]] for code in self.skill_codes], dtype=np.int32
        )
        self._specific = np.array(
            [code not in self.knowledge.neutral_skills for code in self.skill_codes], dtype=np.float32
        )
        self._kinds = {kind: i for i, kind in enumerate(SUPPLIER_KINDS)}
        self._capacity = 0
        self._size = 0
        self._suppliers: list[Supplier | None] = []
        self._slot_of: dict[str, int] = {}
        self._listed: list[frozenset[str]] = []
        self._words = Postings()
        self._bigrams = Postings()
        # Per skill: the slots that have it and with what weight, so a demand's skill overlap touches
        # only the suppliers that share a skill instead of a 100,000-row matrix product.
        self._concept_slots: list[array[int]] = [array("i") for _ in self.skill_codes]
        self._concept_weights: list[array[float]] = [array("f") for _ in self.skill_codes]
        self._semantic = SkillAssociations(len(self.skill_codes), ("word", "bigram"))
        self._platform = self.feedback.platform_means()
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
        fusion: Fusion | None = None,
        workers: int = 1,
    ) -> MatchingIndex:
        """Index ``suppliers``; ``workers > 1`` analyses profiles in parallel processes (fork)."""
        index = cls(knowledge, feedback, fusion)
        supplier_list = list(suppliers)
        duplicates = _duplicates(supplier.id for supplier in supplier_list)
        if duplicates:
            raise ValueError(f"duplicate supplier ids: {', '.join(sorted(duplicates)[:10])}")
        index._allocate(max(64, len(supplier_list)))
        evidences = index._analyze_many(supplier_list, workers)
        for supplier, evidence in zip(supplier_list, evidences, strict=True):
            index._add(supplier, evidence, bulk=True)
        index._words.extend([evidence.terms for evidence in evidences])
        index._bigrams.extend([evidence.bigrams for evidence in evidences])
        index._relearn()
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
            array_: npt.NDArray[Any] | None,
            shape: tuple[int, ...],
            dtype: type[np.generic],
            fill: float,
            axis: int = 0,
        ) -> npt.NDArray[Any]:
            new: npt.NDArray[Any] = np.full(shape, fill, dtype=dtype)
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
        self._eyewear = grow(getattr(self, "_eyewear", None), (capacity,), np.bool_, False)
        self._capacity = capacity

    def _region_ids(self, region: str) -> tuple[list[int], bool]:
        path = self.analyzer.region_path(region)
        remote = bool(path) and path[-1] == "remote"
        ids = []
        for place in path[:REGION_DEPTH]:
            if place not in self._regions:
                self._regions[place] = len(self._regions)
            ids.append(self._regions[place])
        return ids, remote

    def _token_rows(self, slot: int) -> dict[str, tuple[IntArray, FloatArray]]:
        return {
            "word": (self._words.row_terms[slot], self._words.row_tfs[slot]),
            "bigram": (self._bigrams.row_terms[slot], self._bigrams.row_tfs[slot]),
        }

    def _relearn(self) -> None:
        """Recount the semantic model from the postings in one sparse product (the build's path)."""
        size = self._size
        alive = self._alive[:size]
        tables = {}
        for kind, postings in (("word", self._words), ("bigram", self._bigrams)):
            lengths = np.array([len(row) for row in postings.row_terms[:size]], dtype=np.int64)
            rows = np.concatenate(postings.row_terms[:size]) if size else np.zeros(0, np.int32)
            data = np.concatenate(postings.row_tfs[:size]) if size else np.zeros(0, np.float32)
            columns = np.repeat(np.arange(size), lengths)
            data = np.where(alive[columns], data, 0.0)
            matrix = sparse.csr_matrix(
                (data.astype(np.float64), (rows, columns)), shape=(len(postings.terms), size)
            )
            tables[kind] = (matrix, len(postings.terms))
        self._semantic.rebuild(tables, self._concepts[:size] * alive[:, None])

    def _add(self, supplier: Supplier, evidence: SupplierEvidence, *, bulk: bool = False) -> None:
        """Index one profile; ``bulk`` leaves postings and the semantic model to the caller (``build``)."""
        if self._size >= self._capacity:
            self._allocate(self._capacity * 2)
        slot = self._size
        self._size += 1
        self._suppliers.append(supplier)
        self._slot_of[supplier.id] = slot
        self._listed.append(evidence.listed)
        if not bulk:
            self._words.add(slot, evidence.terms)
            self._bigrams.add(slot, evidence.bigrams)
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
        if not bulk:
            self._semantic.add(self._token_rows(slot), row)
        self._context[slot] = context_factor(evidence.eyewear_hits, sum(evidence.off_domain.values()))
        self._eyewear[slot] = evidence.eyewear_hits > 0
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
        self._semantic.add(self._token_rows(slot), self._concepts[slot], sign=-1.0)
        self._words.retire(slot)
        self._bigrams.retire(slot)
        self._suppliers[slot] = None

    def _maybe_compact(self) -> None:
        """Drop dead slots once they are a quarter of the index, so memory and latency stay bounded."""
        dead = self._size - self._alive_count
        if dead < 1000 or dead < self._size // 4:
            return
        keep = np.flatnonzero(self._alive[: self._size])
        for name in ("_concepts", "_alive", "_context", "_focus", "_hours", "_kind", "_prior"):
            values = getattr(self, name)
            values[: len(keep)] = values[keep]
        self._remote[: len(keep)] = self._remote[keep]
        self._eyewear[: len(keep)] = self._eyewear[keep]
        for name in ("_domains", "_region", "_competence"):
            values = getattr(self, name)
            values[:, : len(keep)] = values[:, keep]
        self._alive[len(keep) :] = False
        kept = keep.tolist()
        self._suppliers = [self._suppliers[slot] for slot in kept]
        self._listed = [self._listed[slot] for slot in kept]
        self._words.compact(kept)
        self._bigrams.compact(kept)
        self._size = len(kept)
        self._slot_of = {supplier.id: slot for slot, supplier in enumerate(self._suppliers) if supplier}
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
        """Analyse a demand once (terms, bigrams, concepts, region); reusable for many ranks."""
        analysis = self.analyzer.analyze_demand(demand)
        notes = []
        rule = self.knowledge.categories.get(demand.category)
        if demand.category and rule is None:
            notes.append(f"未知类别 {demand.category!r}，按文字匹配")
        if not analysis.terms and not analysis.concepts:
            notes.append("需求描述为空或无可识别内容")
        generic = self.knowledge.generic_terms
        return DemandQuery(
            demand=demand,
            analysis=analysis,
            concepts=self._query_concepts(demand, analysis),
            term_weights=query_weights(analysis.terms, generic),
            expansion_weights=query_weights(analysis.expansion, generic),
            bigram_weights=query_weights(self.analyzer.bigrams(f"{demand.title} {demand.description}")),
            region_path=self.analyzer.region_path(demand.region),
            kind_multipliers=dict(rule.kinds) if rule else {},
            notes=notes,
        )

    def _query_concepts(self, demand: Demand, analysis: TextAnalysis) -> dict[str, tuple[float, Evidence]]:
        concepts = {code: (weight, analysis.reasons[code][0]) for code, weight in analysis.concepts.items()}
        for code, (weight, term) in self.feedback.learned_concepts(analysis.terms).items():
            if weight > concepts.get(code, (0.0, Evidence("", "")))[0]:
                concepts[code] = (
                    weight,
                    Evidence("learned", term, self.knowledge.skill_label.get(code, code)),
                )
        return concepts

    def rank(self, demand: Demand | DemandQuery, top: int = 20, *, fusion: Fusion | None = None) -> Ranking:
        """Best suppliers for ``demand``, best first, each with its evidence.

        ``fusion`` replaces the index's channel weights for this call (benchmarks rank by one channel).
        """
        query = demand if isinstance(demand, DemandQuery) else self.analyze_demand(demand)
        fusion = fusion or self.fusion
        scored = self.channel_scores(query, prune=fusion)
        scores, gated = fuse(scored, fusion)
        matches = []
        for position in _top(scores, gated, top, scored.id):
            slot = int(scored.slots[position])
            parts = {name: float(value[position]) for name, value in scored.parts.items()}
            parts["gated"] = float(gated[position])
            why = self._explain(query, slot, parts)
            matches.append(
                Match(id=scored.id(position), score=round(float(scores[position]), 6), why=tuple(why))
            )
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

    def _concept_vector(self, query: DemandQuery) -> tuple[FloatArray, float]:
        dq = np.zeros(len(self.skill_codes), dtype=np.float32)
        for code, (weight, _reason) in query.concepts.items():
            dq[self._skill_index[code]] = weight
        return dq, float(dq.sum())

    def _skill_overlap(self, dq: FloatArray) -> FloatArray:
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
        overlap: FloatArray = np.bincount(
            np.concatenate(slot_parts), weights=np.concatenate(weight_parts), minlength=self._size
        ).astype(np.float32)
        return overlap

    def _field_distribution(self, query: DemandQuery, dq: FloatArray, total: float) -> FloatArray:
        """The demand's fields: the tables' concept mass, plus the neighbours' vote for the rest.

        The neighbours are the FIELD_NEIGHBOURS suppliers whose texts (bigrams and words) match the
        demand best; each votes for the fields its profile shows evidence in, and a field needs the votes
        of MIN_SUPPORTERS neighbours.
        With strong table evidence the vote barely moves the distribution; with none, it decides.
        """
        know = np.zeros(len(self.domain_codes), dtype=np.float32)
        if total > 0:
            np.add.at(know, self._skill_domain_index, dq / total)
        if query.field_feedback is None:
            alive, size = self._alive_count, self._size
            query.field_feedback = self._neighbour_fields(
                self._bigrams.score(query.bigram_weights, alive, size)
                + self._words.score(query.term_weights, alive, size)
            )
        vote = query.field_feedback
        if not vote.any():
            return know
        mass = min(total, 2.0)
        blended: FloatArray = (
            (know * mass + vote * FIELD_FEEDBACK_MASS) / (mass + FIELD_FEEDBACK_MASS)
        ).astype(np.float32)
        return blended

    def _inferred_skills(self, query: DemandQuery) -> FloatArray:
        """Skills the profiles' own wording associates with the demand's words (``semantic.py``)."""
        if query.inferred is not None:
            return query.inferred
        tokens: dict[str, tuple[list[int], list[float]]] = {}
        for kind, postings, weights in (
            ("word", self._words, query.term_weights),
            ("bigram", self._bigrams, query.bigram_weights),
        ):
            known = [
                (postings.vocabulary[term], weight)
                for term, weight in weights.items()
                if term in postings.vocabulary
            ]
            tokens[kind] = ([token for token, _w in known], [weight for _t, weight in known])
        query.inferred = self._semantic.infer(tokens)
        return query.inferred

    def _neighbour_fields(self, lexical: FloatArray) -> FloatArray:
        """Field vote of the FIELD_NEIGHBOURS best lexical matches (``lexical``: a score per slot)."""
        lexical = np.where(self._alive[: self._size], lexical, 0.0).astype(np.float32)
        vote = np.zeros(len(self.domain_codes), dtype=np.float32)
        positive = np.flatnonzero(lexical > 0)
        if positive.size == 0:
            return vote
        if positive.size > FIELD_NEIGHBOURS * 4:
            keep = np.argpartition(-lexical[positive], FIELD_NEIGHBOURS * 4 - 1)[: FIELD_NEIGHBOURS * 4]
            positive = positive[keep]
        ordered = sorted(
            positive.tolist(), key=lambda slot: (-round(float(lexical[slot]), 6), self._id(slot))
        )
        # One vote per neighbour, and a field needs MIN_SUPPORTERS of them: a profile that merely
        # repeats the owner's words must not vote its own field into the demand's (and past the gate).
        supporters = np.zeros(len(self.domain_codes), dtype=np.int32)
        for slot in ordered[:FIELD_NEIGHBOURS]:
            evidence = self._domains[:, slot]
            if evidence.sum() > 0:
                vote += evidence / float(evidence.sum())
                supporters += evidence > 0
        vote = np.where(supporters >= MIN_SUPPORTERS, vote, 0.0).astype(np.float32)
        total = float(vote.sum())
        return (vote / total).astype(np.float32) if total > 0 else vote

    def _id(self, slot: int) -> str:
        supplier = self._suppliers[slot]
        return supplier.id if supplier is not None else ""

    def channel_scores(
        self,
        query: DemandQuery,
        slots: npt.NDArray[np.int64] | None = None,
        *,
        prune: Fusion | None = None,
    ) -> ChannelScores:
        """Channel values, multipliers and gate flags of the candidates (any shared bigram, word or
        skill), or of ``slots`` when given (reverse mode scores one profile).

        ``prune``: keep only the candidates whose relevance under that fusion reaches MIN_SCORE (the
        others would score 0 anyway); ``rank`` uses it so that 100,000 weak bigram matches cost nothing.
        """
        dq, total = self._concept_vector(query)
        alive, size = self._alive_count, self._size
        inferred = self._inferred_skills(query)
        if slots is None:
            bigram_all = self._bigrams.score(query.bigram_weights, alive, size)
            word_all = self._words.score(query.term_weights, alive, size)
            if query.field_feedback is None:
                query.field_feedback = self._neighbour_fields(bigram_all + word_all)
            distribution = self._field_distribution(query, dq, total)
            expansion_all = (
                self._words.score(query.expansion_weights, alive, size)
                if query.expansion_weights
                else np.zeros(size, dtype=np.float32)
            )
            overlap_all = self._skill_overlap(dq) if total > 0 else np.zeros(size, dtype=np.float32)
            semantic_all = (
                self._skill_overlap(inferred) if inferred.any() else np.zeros(size, dtype=np.float32)
            )
            any_evidence = (bigram_all > 0) | (word_all > 0) | (expansion_all > 0) | (overlap_all > 0)
            any_evidence |= semantic_all > 0
            field_all = np.zeros(size, dtype=np.float32)
            for domain in np.flatnonzero(distribution).tolist():
                field_all += self._domains[domain][:size] * distribution[domain]
            # The field channel only reorders: a shared field alone (all of "frame making") is too coarse
            # to suggest anyone, so a candidate needs a shared bigram, word or skill.
            keep = any_evidence & self._alive[:size]
            if prune is not None:
                skill_all = overlap_all * self._focus[:size] / total if total > 0 else overlap_all
                weights = prune.weights()
                relevance = (
                    weights["bigram"] * bigram_all
                    + weights["word"] * word_all
                    + weights["expansion"] * expansion_all
                    + weights["skill"] * skill_all
                    + weights["field"] * field_all
                    + weights["semantic"] * semantic_all
                )
                # A hair below MIN_SCORE: float rounding must never drop a supplier that fuse() keeps.
                keep &= relevance >= MIN_SCORE * 0.999
            selection = np.flatnonzero(keep).astype(np.int64)
            bigram, word = bigram_all[selection], word_all[selection]
            expansion, overlap = expansion_all[selection], overlap_all[selection]
            field_share = field_all[selection]
            semantic = semantic_all[selection]
        else:
            selection = slots
            distribution = self._field_distribution(query, dq, total)
            bigram = self._bigrams.score(query.bigram_weights, alive, size, slots)
            word = self._words.score(query.term_weights, alive, size, slots)
            expansion = (
                self._words.score(query.expansion_weights, alive, size, slots)
                if query.expansion_weights
                else np.zeros(len(slots), dtype=np.float32)
            )
            overlap = (self._concepts[selection] @ dq).astype(np.float32)
            semantic = (self._concepts[selection] @ inferred).astype(np.float32)
            field_share = np.zeros(len(slots), dtype=np.float32)
            for domain in np.flatnonzero(distribution).tolist():
                field_share += self._domains[domain][selection] * distribution[domain]
        n = len(selection)
        skill = (
            (overlap / total * self._focus[selection]).astype(np.float32)
            if total > 0
            else np.zeros(n, np.float32)
        )
        if total > 0 and self.feedback.history:
            competence = np.zeros(n, dtype=np.float32)
            for column in np.flatnonzero(dq).tolist():
                competence += self._competence[column][selection] * (dq[column] / total)
        else:
            competence = np.zeros(n, dtype=np.float32)
        hours = self._hours[selection]
        # Fractions of an hour are noise (and would underflow float32); treat them as "not stated".
        needed = float(query.demand.hours_needed or 0.0)
        needed = needed if needed >= MIN_STATED_HOURS else 0.0
        availability = np.where(hours <= 0, NO_HOURS_FACTOR, 1.0).astype(np.float32)
        if needed > 0:
            short = (hours > 0) & (hours < needed)
            availability = np.where(short, 0.6 + 0.4 * hours / needed, availability).astype(np.float32)
        kind_factor = np.ones(n, dtype=np.float32)
        kinds = self._kind[selection]
        for kind, multiplier in query.kind_multipliers.items():
            kind_factor[kinds == self._kinds.get(kind, -2)] = multiplier
        region = self._region_share(query.region_path, selection)
        specific = float((dq * self._specific).sum()) / total if total > 0 else 0.0
        trade = np.where(self._eyewear[selection], 1.0, 1.0 - (1.0 - EYEWEAR_SCOPE) * specific)
        multiplier = (
            self._context[selection]
            * trade
            * availability
            * kind_factor
            * self._prior[selection]
            * (1.0 + COMPETENCE_WEIGHT * competence)
            * (1.0 + REGION_BONUS * region)
        ).astype(np.float32)
        gate_fields = np.flatnonzero(distribution >= GATE_SHARE)
        if gate_fields.size:
            evidence = self._domains[gate_fields][:, selection].max(axis=0)
            gated = evidence < GATE_EVIDENCE
        else:
            gated = np.zeros(n, dtype=np.bool_)
        return ChannelScores(
            slots=selection,
            suppliers=self._suppliers,
            channels={
                "bigram": bigram,
                "word": word,
                "expansion": expansion,
                "skill": skill,
                "field": field_share.astype(np.float32),
                "semantic": semantic,
            },
            multiplier=multiplier,
            gated=np.asarray(gated & self._alive[selection], dtype=np.bool_),
            parts={
                "lexical": np.maximum(bigram, word),
                "field": field_share.astype(np.float32),
                "semantic": semantic,
                "region": region,
                "availability": availability,
                "competence": competence,
            },
        )

    def _region_share(self, path: list[str], selection: npt.NDArray[np.int64]) -> FloatArray:
        """Share of the region bonus per slot: 1.0 same town, 0.75 same city ... via a lookup table."""
        table = np.zeros(len(self._regions) + 1, dtype=np.float32)  # last entry: "no region" (-1)
        for level, place in enumerate(path[:REGION_DEPTH]):
            place_id = self._regions.get(place)
            if place_id is not None and place != "remote" and table[place_id] < REGION_LEVEL_SHARE[level]:
                table[place_id] = REGION_LEVEL_SHARE[level]
        remote = np.where(self._remote[selection], REMOTE_REGION_SHARE, 0.0).astype(np.float32)
        if not table.any():
            return remote
        share: FloatArray = np.maximum(table[self._region[0][selection]], remote)
        for level in range(1, REGION_DEPTH):
            np.maximum(share, table[self._region[level][selection]], out=share)
        return share

    # -- explanations -----------------------------------------------------------------------------------
    def _explain(self, query: DemandQuery, slot: int, parts: Mapping[str, float]) -> list[str]:
        """Plain sentences for a firm owner: what the supplier does that fits, in the owner's own words
        first, then what held it back, then time, place and track record."""
        supplier = self._suppliers[slot]
        assert supplier is not None
        row = self._concepts[slot]
        shared = []
        for code, (weight, reason) in query.concepts.items():
            have = float(row[self._skill_index[code]])
            if have > 0:
                shared.append((weight * have, code, reason))
        skills = [
            self._skill_sentence(code, reason, code in self._listed[slot])
            for _strength, code, reason in sorted(shared, key=lambda item: (-item[0], item[1]))[:2]
        ]
        warnings = []
        if parts.get("gated", 0.0) > 0:
            fields = self._demand_field_names(query)
            warnings.append(
                f"资料里看不出做过{fields}方面的事，只是用词相近（排在前十之后）"
                if fields
                else "资料里看不出做过这方面的事，只是用词相近（排在前十之后）"
            )
        elif not shared and parts.get("lexical", 0.0) > 0 and parts.get("field", 0.0) < FIELD_MISMATCH:
            warnings.append("只是用词相近，所长不一定对路（已排后）")
        if self._context[slot] < 1.0:
            warnings.append("资料主要写的是其他行业（已排后）")
        words = self._shared_words(query, slot)
        why = skills[:1] + warnings + skills[1:]
        if words:
            why.append(words)
        hours = float(self._hours[slot])
        needed = float(query.demand.hours_needed or 0.0)
        needed = needed if needed >= MIN_STATED_HOURS else 0.0
        if hours <= 0:
            why.append("近期没有空闲工时（已排后）")
        elif needed > 0 and hours < needed:
            why.append(f"每月空闲 {hours:g} 小时，少于您需要的 {needed:g} 小时")
        else:
            why.append(f"每月有 {hours:g} 小时空闲")
        if parts.get("region", 0.0) > 0:
            supplier_path = self.analyzer.region_path(supplier.region)
            place = next((place for place in query.region_path if place in supplier_path), None)
            if place is None or place == "remote":
                why.append("可以远程服务")
            elif place == query.region_path[0]:
                why.append(f"就在{supplier.region}本地")
            else:
                why.append(f"同在{place}")
        history = self.feedback.summary(supplier.id)
        if history:
            why.append(history)
        if parts.get("competence", 0.0) >= 0.05:
            why.append("以往反馈：在同类需求上评价好（排前）")
        elif parts.get("competence", 0.0) <= -0.05:
            why.append("以往反馈：在同类需求上评价差（排后）")
        return why

    def _skill_sentence(self, code: str, reason: Evidence, listed: bool) -> str:
        label = self.knowledge.skill_label.get(code, code)
        source = "资料里列为专长" if listed else "资料里提到"
        word = _display(reason.word)
        if reason.kind == "symptom":
            link = f"您说的“{word}”，多半要找懂这一行的人"
        elif reason.kind == "synonym":
            link = f"您说的“{word}”，行内多叫“{_display(reason.target)}”"
        elif reason.kind == "sense":
            link = (
                f"您说的“{word}”，{reason.target}"
                if reason.target
                else f"按上下文，您说的“{word}”指的是这一块"
            )
        elif reason.kind == "product":
            link = f"和您做的“{word}”有关"
        elif reason.kind == "category":
            link = f"符合您选的需求类别“{word}”"
        elif reason.kind == "learned":
            link = f"以往反馈：写“{word}”的需求，多由这方面的人解决得好"
        elif reason.word == label:
            link = f"您提到了“{word}”"
        else:
            link = f"您说的“{word}”正是这方面的事"
        return f"擅长{label}（{source}）：{link}"

    def _demand_field_names(self, query: DemandQuery) -> str:
        dq, total = self._concept_vector(query)
        distribution = self._field_distribution(query, dq, total)
        names = [
            self.knowledge.domain_label.get(self.domain_codes[domain], self.domain_codes[domain])
            for domain in np.argsort(-distribution, kind="stable")[:2].tolist()
            if distribution[domain] >= GATE_SHARE
        ]
        return "、".join(names)

    def _shared_words(self, query: DemandQuery, slot: int) -> str:
        """The owner's own words that the profile also uses (or, failing words, shared character pairs)."""
        row_terms = self._words.row(slot)
        matched = sorted(
            (term for term in query.term_weights if term in row_terms),
            key=lambda term: (-query.term_weights[term], term),
        )
        if matched:
            return "资料里也写到您用的词：" + "、".join(_display(term) for term in matched[:5])
        grams = self._bigrams.row(slot)
        alive = self._alive_count
        dictionary = self.analyzer.dictionary
        # Only pairs that are words themselves: "鼻梁" says something to an owner, "和鼻" does not.
        shared = sorted(
            (gram for gram in query.bigram_weights if gram in grams and dictionary.get(gram)),
            key=lambda gram: (-self._bigrams.idf(gram, alive), gram),
        )
        if shared:
            return "资料里有相近的字眼：" + "、".join(_display(gram) for gram in shared[:4])
        return ""

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
        demands.  Demands where the supplier shows no evidence in the demand's fields come last.
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
        previous = self._suppliers[indexed] if indexed is not None else None
        if temporary:
            # Score an unindexed (or edited) profile as if it were upserted, then take it out again.
            self.upsert(supplier)
        try:
            slot = np.array([self._slot_of[supplier.id]], dtype=np.int64)
            scored = []
            for query in queries:
                channels = self.channel_scores(query, slot)
                scores, gated = fuse(channels, self.fusion)
                if scores[0] > 0:
                    parts = {name: float(value[0]) for name, value in channels.parts.items()}
                    parts["gated"] = float(gated[0])
                    scored.append((bool(gated[0]), float(scores[0]), query, parts))
            scored.sort(key=lambda item: (item[0], -round(item[1], 6), item[2].demand.id))
            matches = [
                Match(
                    id=query.demand.id,
                    score=round(score, 6),
                    why=tuple(self._explain(query, int(slot[0]), parts)),
                )
                for _gated, score, query, parts in scored[: max(top, 0)]
            ]
        finally:
            if temporary:
                if previous is not None:
                    self.upsert(previous)
                else:
                    self.remove(supplier.id)
        return Ranking(query_id=supplier.id, matches=tuple(matches))


def fuse(scored: ChannelScores, fusion: Fusion) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Combine channel values into scores (and gate flags) with ``fusion``'s weights."""
    relevance = np.zeros(len(scored.slots), dtype=np.float32)
    for name, weight in fusion.weights().items():
        if weight:
            relevance += np.float32(weight) * scored.channels[name]
    score = relevance * scored.multiplier if fusion.multipliers else relevance
    gated = scored.gated if fusion.gate else np.zeros(len(score), dtype=np.bool_)
    score = np.where(gated, score * GATE_FACTOR, score)
    return np.where(relevance >= MIN_SCORE, score, 0.0).astype(np.float32), gated


def ranked_ids(scored: ChannelScores, fusion: Fusion, top: int) -> list[str]:
    """Supplier ids as ``rank`` would order them under ``fusion`` (benchmarks refit weights offline)."""
    scores, gated = fuse(scored, fusion)
    return [scored.id(position) for position in _top(scores, gated, top, scored.id)]


def _display(term: str) -> str:
    """Abbreviations were lower-cased for matching; show them as owners write them (AR膜, MES, TR90)."""
    if term.isascii() or any(char.isascii() and char.isalpha() for char in term):
        head = "".join(char for char in term if char.isascii())
        if len(head) <= 5:
            return term.upper()
    return term


def context_factor(eyewear_hits: int, off_domain_hits: int) -> float:
    """1.0 for eyewear or neutral profiles; down to OFF_DOMAIN_FLOOR for profiles about another industry."""
    if off_domain_hits <= 0:
        return 1.0
    share = eyewear_hits / (eyewear_hits + off_domain_hits)
    return OFF_DOMAIN_FLOOR + (1.0 - OFF_DOMAIN_FLOOR) * share


def _top(
    scores: FloatArray, gated: npt.NDArray[np.bool_], top: int, id_of: Callable[[int], str]
) -> list[int]:
    """Positions of the ``top`` best positive scores, ties broken by supplier id, never by slot order.

    Suppliers flagged by the domain gate may not take any of the first TOP_GATED places while a
    supplier with evidence in the demand's fields is still waiting; after that, scores decide.
    """
    positive = np.flatnonzero(scores > 0)
    if positive.size == 0 or top <= 0:
        return []

    def best(positions: npt.NDArray[np.intp], count: int) -> list[int]:
        if positions.size > count * 4:
            keep = np.argpartition(-scores[positions], count * 4 - 1)[: count * 4]
            positions = positions[keep]
        ordered = sorted(positions.tolist(), key=lambda p: (-round(float(scores[p]), 6), id_of(p)))
        return ordered[:count]

    open_ = positive[~gated[positive]]
    head = best(open_, min(top, TOP_GATED))
    chosen = set(head)
    rest = best(positive, top + len(head))
    return (head + [p for p in rest if p not in chosen])[:top]


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
