"""Learning from what happened after a suggestion.

Three signals, all smoothed so that one outcome cannot swing a ranking, and all exactly neutral for a
supplier or a word without history (newcomers are not punished):

* supplier prior: acceptance rate of invitations and the mean engagement rating, each shrunk towards
  the platform-wide average (Beta / Bayesian average) and turned into a multiplier close to 1.0.
  Centring on the platform average, not on a fixed value, keeps the prior from simply rewarding
  suppliers who are shown often;
* field competence: an engagement rated on a demand about coating adhesion is evidence about the
  supplier's competence *in coating adhesion*, not in general.  Each rating is credited to the demand's
  concepts (skills), so a supplier praised on plating demands rises on the next plating demand, and one
  rated 2 on titanium welding sinks there, without moving anywhere else;
* learned term -> skill links: when demands worded with an owner's term (say "阴阳色") repeatedly end in
  good engagements with suppliers whose listed skills are X, the term is linked to X; poor ratings and
  declines weaken the link.  Once a term has been seen on enough different demands, new demands using
  it are credited with X though no table says so: vocabulary the lexicon does not know yet.

The model is plain data (``to_dict``/``from_dict``) so the web application can persist and reload it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jingxiang.matching.model import Outcome

DEFAULT_ACCEPTANCE = 0.6
DEFAULT_RATING = 3.5
PRIOR_STRENGTH = 4.0
"""Outcomes' worth of platform average mixed into every supplier's own figures."""
ACCEPTANCE_SPREAD = 0.6
RATING_SPREAD = 0.15
COMPETENCE_STRENGTH = 1.5
"""Concept-weighted outcomes' worth of neutral evidence mixed into each supplier x field signal."""
MIN_TERM_DEMANDS = 2
"""A term must appear in outcomes of at least this many different demands before its links are used:
one demand's shortlist says more about that demand than about the word."""
MIN_LINK_STRENGTH = 0.5
MAX_LEARNED_WEIGHT = 0.8


def rating_signal(rating: int) -> float:
    """5 -> +1, 4 -> +0.5, 3 -> 0, 2 -> -0.5, 1 -> -1."""
    return (rating - 3) / 2.0


DECLINE_SIGNAL = -0.6
"""A decline counts like a rating of about 2: suppliers mostly decline work outside their field."""


@dataclass
class SupplierHistory:
    accepted: float = 0.0
    declined: float = 0.0
    rating_sum: float = 0.0
    rating_count: float = 0.0


class FeedbackModel:
    """Accumulates outcomes; the index reads ``supplier_factor``, ``competence`` and ``learned_concepts``."""

    def __init__(self) -> None:
        self.history: dict[str, SupplierHistory] = defaultdict(SupplierHistory)
        # supplier -> field -> concept-weighted sum of ratings / of weights / of declines
        self.competence_sum: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.competence_weight: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.competence_declines: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.term_outcomes: dict[str, float] = defaultdict(float)
        self.term_demands: dict[str, set[str]] = defaultdict(set)
        self.links: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def record(
        self,
        outcome: Outcome,
        *,
        demand_terms: Iterable[str] = (),
        demand_concepts: Mapping[str, float] | None = None,
        supplier_skills: Iterable[str] = (),
    ) -> None:
        """Add one outcome.  Without the demand's terms and concepts only the supplier prior learns."""
        history = self.history[outcome.supplier_id]
        if outcome.kind == "accepted":
            history.accepted += 1
            return  # acceptance says the supplier is willing, not that the match was good
        concepts = demand_concepts or {}
        if outcome.kind == "declined":
            history.declined += 1
            signal = DECLINE_SIGNAL
            for code, weight in concepts.items():
                self.competence_declines[outcome.supplier_id][code] += weight
        elif outcome.kind == "rated":
            if (
                isinstance(outcome.rating, bool)
                or not isinstance(outcome.rating, int)
                or not 1 <= outcome.rating <= 5
            ):
                raise ValueError("a rated outcome needs an integer rating between 1 and 5")
            history.rating_sum += outcome.rating
            history.rating_count += 1
            signal = rating_signal(outcome.rating)
            for code, weight in concepts.items():
                self.competence_sum[outcome.supplier_id][code] += outcome.rating * weight
                self.competence_weight[outcome.supplier_id][code] += weight
        else:
            raise ValueError(f"unknown outcome kind {outcome.kind!r}")
        skills = list(dict.fromkeys(supplier_skills))
        for term in set(demand_terms):
            self.term_outcomes[term] += 1
            self.term_demands[term].add(outcome.demand_id)
            for code in skills:
                self.links[term][code] += signal

    def platform_means(self) -> tuple[float, float]:
        """Platform-wide (acceptance rate, mean rating), shrunk towards defaults while evidence is thin."""
        accepted = sum(h.accepted for h in self.history.values())
        declined = sum(h.declined for h in self.history.values())
        rating_sum = sum(h.rating_sum for h in self.history.values())
        rating_count = sum(h.rating_count for h in self.history.values())
        acceptance = (accepted + DEFAULT_ACCEPTANCE * PRIOR_STRENGTH) / (accepted + declined + PRIOR_STRENGTH)
        rating = (rating_sum + DEFAULT_RATING * PRIOR_STRENGTH) / (rating_count + PRIOR_STRENGTH)
        return acceptance, rating

    def supplier_factor(self, supplier_id: str, platform: tuple[float, float] | None = None) -> float:
        """Multiplier for the supplier's relevance; exactly 1.0 without history."""
        history = self.history.get(supplier_id)
        if history is None:
            return 1.0
        mean_acceptance, mean_rating = platform or self.platform_means()
        invitations = history.accepted + history.declined
        acceptance = (history.accepted + mean_acceptance * PRIOR_STRENGTH) / (invitations + PRIOR_STRENGTH)
        rating = (history.rating_sum + mean_rating * PRIOR_STRENGTH) / (history.rating_count + PRIOR_STRENGTH)
        return (1.0 + ACCEPTANCE_SPREAD * (acceptance - mean_acceptance)) * (
            1.0 + RATING_SPREAD * (rating - mean_rating) / 2.0
        )

    def all_supplier_factors(self) -> dict[str, float]:
        """Every supplier's factor at once (the platform means move with every outcome)."""
        platform = self.platform_means()
        return {supplier_id: self.supplier_factor(supplier_id, platform) for supplier_id in self.history}

    def competence(self, supplier_id: str, platform: tuple[float, float] | None = None) -> dict[str, float]:
        """Per-field evidence in [-1, 1]: ratings relative to the platform's mean rating, and declines.

        Relative, because an engine that already ranks well collects mostly good ratings; only ratings
        better or worse than usual say something about this supplier in this field.
        """
        _acceptance, mean_rating = platform or self.platform_means()
        sums = self.competence_sum.get(supplier_id, {})
        weights = self.competence_weight.get(supplier_id, {})
        declines = self.competence_declines.get(supplier_id, {})
        result = {}
        for code in set(weights) | set(declines):
            rated = weights.get(code, 0.0)
            declined = declines.get(code, 0.0)
            evidence = (sums.get(code, 0.0) - mean_rating * rated) / 2.0 + DECLINE_SIGNAL * declined
            value = max(-1.0, min(1.0, evidence / (rated + declined + COMPETENCE_STRENGTH)))
            if value:
                result[code] = value
        return result

    def summary(self, supplier_id: str) -> str | None:
        """A short human sentence for the ``why`` list, or None without history."""
        history = self.history.get(supplier_id)
        if history is None:
            return None
        parts = []
        invitations = history.accepted + history.declined
        if invitations:
            parts.append(f"邀请 {int(invitations)} 次接受 {int(history.accepted)} 次")
        if history.rating_count:
            parts.append(
                f"平均评分 {history.rating_sum / history.rating_count:.1f} 分（{int(history.rating_count)} 次评价）"
            )
        return "以往反馈：" + "，".join(parts) if parts else None

    def learned_concepts(self, terms: Iterable[str]) -> dict[str, tuple[float, str]]:
        """Skills a demand's terms point to through learned links: code -> (weight, term that linked)."""
        result: dict[str, tuple[float, str]] = {}
        for term in terms:
            if len(self.term_demands.get(term, ())) < MIN_TERM_DEMANDS:
                continue
            seen = self.term_outcomes[term]
            for code, strength in self.links.get(term, {}).items():
                share = strength / seen
                if share < MIN_LINK_STRENGTH:
                    continue
                weight = min(MAX_LEARNED_WEIGHT, share * MAX_LEARNED_WEIGHT)
                if weight > result.get(code, (0.0, ""))[0]:
                    result[code] = (weight, term)
        return result

    def to_dict(self) -> dict[str, Any]:
        return {
            "history": {key: vars(value) for key, value in self.history.items()},
            "competence_sum": {key: dict(value) for key, value in self.competence_sum.items()},
            "competence_weight": {key: dict(value) for key, value in self.competence_weight.items()},
            "competence_declines": {key: dict(value) for key, value in self.competence_declines.items()},
            "term_outcomes": dict(self.term_outcomes),
            "term_demands": {term: sorted(ids) for term, ids in self.term_demands.items()},
            "links": {term: dict(codes) for term, codes in self.links.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeedbackModel:
        model = cls()
        for key, value in (data.get("history") or {}).items():
            model.history[key] = SupplierHistory(**value)
        for key, value in (data.get("competence_sum") or {}).items():
            model.competence_sum[key].update(value)
        for key, value in (data.get("competence_weight") or {}).items():
            model.competence_weight[key].update(value)
        for key, value in (data.get("competence_declines") or {}).items():
            model.competence_declines[key].update(value)
        model.term_outcomes.update(data.get("term_outcomes") or {})
        for term, ids in (data.get("term_demands") or {}).items():
            model.term_demands[term].update(ids)
        for term, codes in (data.get("links") or {}).items():
            model.links[term].update(codes)
        return model
