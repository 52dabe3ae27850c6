"""Learning from what happened after a suggestion.

Two signals, both smoothed so that one outcome cannot swing a ranking:

* a per-supplier prior: Beta-smoothed acceptance rate of invitations and a Bayesian-average rating
  (1-5), turned into a multiplier around 1.0 (no history = exactly 1.0, so newcomers are not punished);
* learned term -> skill links: when a demand worded with an owner's term (say "发乌") ends in an accepted
  or well-rated engagement with a supplier whose listed skills are X, the term is linked to X; a decline
  or a poor rating weakens the link.  Once a term has been seen in enough outcomes, demands using it are
  credited with X even though no table says so, which is how the engine picks up vocabulary the
  lexicon does not know yet.

The model is plain data (``to_dict``/``from_dict``) so the web application can persist and reload it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jingxiang.matching.model import Outcome

PRIOR_ACCEPTANCE = 0.5
PRIOR_ACCEPTANCE_STRENGTH = 4.0
PRIOR_RATING = 3.5
PRIOR_RATING_STRENGTH = 3.0
ACCEPTANCE_SPREAD = 0.5
"""Multiplier swing for acceptance: a supplier who always declines ends near 0.8, always accepts near 1.2."""
RATING_SPREAD = 0.3
"""Multiplier swing for ratings: mean 5 -> about x1.15, mean 1 -> about x0.75 once well evidenced."""
MIN_TERM_OUTCOMES = 2
"""A term must appear in at least this many outcomes before its learned links are used."""
MIN_LINK_STRENGTH = 0.5
MAX_LEARNED_WEIGHT = 0.8
POSITIVE_RATING = 4
NEGATIVE_RATING = 2


@dataclass
class SupplierHistory:
    accepted: float = 0.0
    declined: float = 0.0
    rating_sum: float = 0.0
    rating_count: float = 0.0


class FeedbackModel:
    """Accumulates outcomes; the index reads ``supplier_factor`` and ``learned_concepts``."""

    def __init__(self) -> None:
        self.history: dict[str, SupplierHistory] = defaultdict(SupplierHistory)
        self.term_outcomes: dict[str, float] = defaultdict(float)
        self.links: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def record(
        self, outcome: Outcome, *, demand_terms: Iterable[str] = (), supplier_skills: Iterable[str] = ()
    ) -> None:
        """Add one outcome.  Terms/skills are optional: without them only the supplier prior learns."""
        if outcome.kind not in ("accepted", "declined", "rated"):
            raise ValueError(f"unknown outcome kind {outcome.kind!r}")
        history = self.history[outcome.supplier_id]
        if outcome.kind == "accepted":
            history.accepted += 1
            signal = 1.0
        elif outcome.kind == "declined":
            history.declined += 1
            signal = -0.5
        else:
            if outcome.rating is None or not 1 <= int(outcome.rating) <= 5:
                raise ValueError("a rated outcome needs a rating between 1 and 5")
            history.rating_sum += int(outcome.rating)
            history.rating_count += 1
            signal = (
                1.0
                if outcome.rating >= POSITIVE_RATING
                else -0.5
                if outcome.rating <= NEGATIVE_RATING
                else 0.0
            )
        skills = list(dict.fromkeys(supplier_skills))
        for term in set(demand_terms):
            self.term_outcomes[term] += 1
            for code in skills:
                self.links[term][code] += signal

    def supplier_factor(self, supplier_id: str) -> float:
        """Multiplier for the supplier's relevance; exactly 1.0 without history."""
        history = self.history.get(supplier_id)
        if history is None:
            return 1.0
        invitations = history.accepted + history.declined
        acceptance = (history.accepted + PRIOR_ACCEPTANCE * PRIOR_ACCEPTANCE_STRENGTH) / (
            invitations + PRIOR_ACCEPTANCE_STRENGTH
        )
        rating = (history.rating_sum + PRIOR_RATING * PRIOR_RATING_STRENGTH) / (
            history.rating_count + PRIOR_RATING_STRENGTH
        )
        return (1.0 + ACCEPTANCE_SPREAD * (acceptance - PRIOR_ACCEPTANCE) * 0.8) * (
            1.0 + RATING_SPREAD * (rating - PRIOR_RATING) / 2.5
        )

    def summary(self, supplier_id: str) -> str | None:
        """A short human sentence for the ``why`` list, or None without history."""
        history = self.history.get(supplier_id)
        if history is None:
            return None
        parts = []
        invitations = history.accepted + history.declined
        if invitations:
            parts.append(f"接受邀请 {int(history.accepted)}/{int(invitations)}")
        if history.rating_count:
            parts.append(
                f"评分 {history.rating_sum / history.rating_count:.1f}（{int(history.rating_count)} 次）"
            )
        return "历史反馈: " + "，".join(parts) if parts else None

    def learned_concepts(self, terms: Iterable[str]) -> dict[str, tuple[float, str]]:
        """Skills a demand's terms point to through learned links: code -> (weight, term that linked)."""
        result: dict[str, tuple[float, str]] = {}
        for term in terms:
            seen = self.term_outcomes.get(term, 0.0)
            if seen < MIN_TERM_OUTCOMES:
                continue
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
            "term_outcomes": dict(self.term_outcomes),
            "links": {term: dict(codes) for term, codes in self.links.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeedbackModel:
        model = cls()
        for key, value in (data.get("history") or {}).items():
            model.history[key] = SupplierHistory(**value)
        model.term_outcomes.update(data.get("term_outcomes") or {})
        for term, codes in (data.get("links") or {}).items():
            model.links[term].update(codes)
        return model
