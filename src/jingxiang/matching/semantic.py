"""Word -> skill associations learned from the indexed profiles themselves (meaning beyond the tables).

The knowledge tables link an owner's words to fields only where an entry was written for them.
Profiles, though, describe both fields and the problems their authors solve ("片子里的气泡、条纹、应力
多数能从配料和温控上找到原因" next to a listed resin-casting skill).  This model counts, for every word
and character bigram of every profile, how much of it goes with each skill the profile shows, and
infers for a demand the skills whose profiles use its words unusually often (a multinomial naive-Bayes
likelihood ratio against the whole corpus, with Dirichlet smoothing).

It is trained at build time on the cluster's own texts, needs no download and no extra package, and
is updated exactly on ``upsert``/``remove`` (counts are added and subtracted), so a warm index and a
rebuilt one infer the same skills.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

SMOOTHING = 20.0
"""Dirichlet prior mass: a skill needs about this much weighted text before its word distribution can
depart from the corpus's."""
TEMPERATURE = 0.05
"""Softmax temperature on the per-word log-likelihood ratio: lower trusts the best skill more."""
MAX_SKILLS = 5
MIN_SHARE = 0.05
BIGRAM_PREFIX = "\x00"
"""Bigram features share the model with words; the prefix keeps "镜片" the word apart from the pair."""


class SkillAssociations:
    """Counts of (feature, skill) over the indexed profiles, weighted by the profile's skill evidence."""

    def __init__(self, n_skills: int) -> None:
        self.n_skills = n_skills
        self.vocabulary: dict[str, int] = {}
        self._counts: npt.NDArray[np.float64] = np.zeros((1024, n_skills), dtype=np.float64)
        self._background: npt.NDArray[np.float64] = np.zeros(1024, dtype=np.float64)
        self.skill_totals: npt.NDArray[np.float64] = np.zeros(n_skills, dtype=np.float64)
        self.total = 0.0

    @staticmethod
    def features(words: Mapping[str, float], bigrams: Mapping[str, float]) -> dict[str, float]:
        merged = dict(words)
        for gram, weight in bigrams.items():
            merged[BIGRAM_PREFIX + gram] = merged.get(BIGRAM_PREFIX + gram, 0.0) + weight
        return merged

    def _ids(self, features: Mapping[str, float], grow: bool) -> tuple[list[int], list[float]]:
        ids, weights = [], []
        for feature, weight in features.items():
            feature_id = self.vocabulary.get(feature)
            if feature_id is None:
                if not grow:
                    continue
                feature_id = len(self.vocabulary)
                self.vocabulary[feature] = feature_id
                if feature_id >= len(self._background):
                    capacity = len(self._background) * 2
                    counts = np.zeros((capacity, self.n_skills), dtype=np.float64)
                    counts[: len(self._counts)] = self._counts
                    background = np.zeros(capacity, dtype=np.float64)
                    background[: len(self._background)] = self._background
                    self._counts, self._background = counts, background
            ids.append(feature_id)
            weights.append(weight)
        return ids, weights

    def add(self, features: Mapping[str, float], skills: npt.NDArray[np.float32], sign: float = 1.0) -> None:
        """Count (``sign=1``) or uncount (``sign=-1``) one profile's features against its skills."""
        ids, weights = self._ids(features, grow=sign > 0)
        if not ids:
            return
        tf = np.array(weights, dtype=np.float64) * sign
        index = np.array(ids, dtype=np.int64)
        self._background[index] += tf
        self.total += float(tf.sum())
        columns = np.flatnonzero(skills)
        if columns.size:
            share = skills[columns].astype(np.float64)
            self._counts[np.ix_(index, columns)] += np.outer(tf, share)
            self.skill_totals[columns] += float(tf.sum()) * share

    def infer(self, features: Mapping[str, float]) -> npt.NDArray[np.float32]:
        """Skill distribution implied by a demand's features (zeros when nothing is known)."""
        result = np.zeros(self.n_skills, dtype=np.float32)
        ids, weights = self._ids(features, grow=False)
        if not ids or self.total <= 0:
            return result
        index = np.array(ids, dtype=np.int64)
        weight = np.array(weights, dtype=np.float64)
        vocabulary = max(len(self.vocabulary), 1)
        background = (np.maximum(self._background[index], 0.0) + 0.5) / (self.total + 0.5 * vocabulary)
        counts = np.maximum(self._counts[index], 0.0)
        totals = np.maximum(self.skill_totals, 0.0)
        likelihood = (counts + SMOOTHING * background[:, None]) / (totals[None, :] + SMOOTHING)
        ratio = (weight[:, None] * np.log(likelihood / background[:, None])).sum(axis=0) / weight.sum()
        ratio = np.round(ratio, 9)
        positive = np.flatnonzero(ratio > 0)
        if positive.size == 0:
            return result
        best = positive[np.lexsort((positive, -ratio[positive]))][:MAX_SKILLS]
        logits = ratio[best] / TEMPERATURE
        shares = np.exp(logits - logits.max())
        shares /= shares.sum()
        for column, share in zip(best.tolist(), shares.tolist(), strict=True):
            if share >= MIN_SHARE:
                result[column] = share
        total = float(result.sum())
        if total > 0 and not math.isclose(total, 1.0):
            result /= total
        return result
