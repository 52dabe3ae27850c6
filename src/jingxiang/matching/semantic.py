"""Word -> skill associations learned from the indexed profiles themselves (meaning beyond the tables).

The knowledge tables link an owner's words to fields only where an entry was written for them.
Profiles, though, describe both fields and the problems their authors solve ("片子里的气泡、条纹、应力
多数能从配料和温控上找到原因" next to a listed resin-casting skill).  This model counts, for every word
and character bigram of every profile, how much of it goes with each skill the profile shows, and
infers for a demand the skills whose profiles use its words unusually often (a multinomial naive-Bayes
likelihood ratio against the whole corpus, with Dirichlet smoothing).

It is trained at build time on the cluster's own texts, needs no download and no extra package, and
is updated on ``upsert``/``remove`` by adding and subtracting one profile's counts, so a warm index
and a rebuilt one infer the same skills.  Counts are kept per token id of the index's word and bigram
postings (one matrix each), so the model adds no vocabulary of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

SMOOTHING = 20.0
"""Dirichlet prior mass: a skill needs about this much weighted text before its word distribution can
depart from the corpus's."""
TEMPERATURE = 0.05
"""Softmax temperature on the per-word log-likelihood ratio: lower trusts the best skill more."""
MAX_SKILLS = 5
MIN_SHARE = 0.05
LIVE = 1e-9

FloatMatrix = npt.NDArray[np.float64]


class SkillAssociations:
    """Counts of (token, skill) over the indexed profiles, weighted by each profile's skill evidence.

    ``kinds`` names the token spaces (the index passes "word" and "bigram"); each has its own matrix,
    indexed by the token ids of the matching ``Postings``.
    """

    def __init__(self, n_skills: int, kinds: Sequence[str]) -> None:
        self.n_skills = n_skills
        self._counts: dict[str, FloatMatrix] = {kind: np.zeros((0, n_skills)) for kind in kinds}
        self._background: dict[str, npt.NDArray[np.float64]] = {kind: np.zeros(0) for kind in kinds}
        self.skill_totals: npt.NDArray[np.float64] = np.zeros(n_skills, dtype=np.float64)
        self.total = 0.0
        self._vocabulary: int | None = None

    def vocabulary_size(self) -> int:
        """Tokens that some indexed profile still uses (counts of removed profiles are subtracted to
        zero, and must not widen the smoothing)."""
        if self._vocabulary is None:
            self._vocabulary = sum(int((values > LIVE).sum()) for values in self._background.values())
        return self._vocabulary

    def _reserve(self, kind: str, size: int) -> None:
        counts = self._counts[kind]
        if size <= len(counts):
            return
        capacity = max(size, 2 * len(counts), 1024)
        grown = np.zeros((capacity, self.n_skills), dtype=np.float64)
        grown[: len(counts)] = counts
        background = np.zeros(capacity, dtype=np.float64)
        background[: len(counts)] = self._background[kind]
        self._counts[kind], self._background[kind] = grown, background

    def add(
        self,
        rows: Mapping[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]],
        skills: npt.NDArray[np.float32],
        sign: float = 1.0,
    ) -> None:
        """Count (``sign=1``) or uncount (``sign=-1``) one profile: its token ids and frequencies per
        kind, against its skill weights."""
        columns = np.flatnonzero(skills)
        share = skills[columns].astype(np.float64)
        self._vocabulary = None
        for kind, (ids, tfs) in rows.items():
            if not len(ids):
                continue
            self._reserve(kind, int(ids.max()) + 1)
            tf = tfs.astype(np.float64) * sign
            index = ids.astype(np.int64)
            self._background[kind][index] += tf
            mass = float(tf.sum())
            self.total += mass
            if columns.size:
                self._counts[kind][np.ix_(index, columns)] += np.outer(tf, share)
                self.skill_totals[columns] += mass * share

    def rebuild(
        self,
        postings: Mapping[str, tuple[sparse.csr_matrix, int]],
        skills: npt.NDArray[np.float32],
    ) -> None:
        """Recount from scratch: ``postings[kind]`` is a (tokens x slots) matrix of frequencies (dead
        slots already zero) and its number of tokens; ``skills`` the (slots x skills) evidence."""
        self.skill_totals = np.zeros(self.n_skills, dtype=np.float64)
        self.total = 0.0
        self._vocabulary = None
        dense = skills.astype(np.float64)
        for kind, (matrix, n_tokens) in postings.items():
            self._counts[kind] = np.zeros((0, self.n_skills))
            self._background[kind] = np.zeros(0)
            self._reserve(kind, n_tokens)
            self._counts[kind][:n_tokens] = np.asarray(matrix @ dense)
            lengths = np.asarray(matrix.sum(axis=1)).ravel()
            self._background[kind][:n_tokens] = lengths
            self.total += float(lengths.sum())
            self.skill_totals += np.asarray(matrix.sum(axis=0)).ravel() @ dense

    def infer(self, query: Mapping[str, tuple[Sequence[int], Sequence[float]]]) -> npt.NDArray[np.float32]:
        """Skill distribution implied by a demand's known tokens (ids and weights per kind)."""
        result = np.zeros(self.n_skills, dtype=np.float32)
        if self.total <= 0:
            return result
        vocabulary = self.vocabulary_size()
        ratio = np.zeros(self.n_skills, dtype=np.float64)
        weight_sum = 0.0
        totals = np.maximum(self.skill_totals, 0.0)
        for kind, (ids, weights) in query.items():
            if not len(ids):
                continue
            # Tokens only removed profiles used are unknown, exactly as in a rebuilt index.
            known = len(self._background[kind])
            pairs = [(token, value) for token, value in zip(ids, weights, strict=True) if token < known]
            index = np.array([token for token, _value in pairs], dtype=np.int64)
            weight = np.array([value for _token, value in pairs], dtype=np.float64)
            live = self._background[kind][index] > LIVE
            index, weight = index[live], weight[live]
            if not len(index):
                continue
            background = (self._background[kind][index] + 0.5) / (self.total + 0.5 * vocabulary)
            counts = np.maximum(self._counts[kind][index], 0.0)
            likelihood = (counts + SMOOTHING * background[:, None]) / (totals[None, :] + SMOOTHING)
            ratio += (weight[:, None] * np.log(likelihood / background[:, None])).sum(axis=0)
            weight_sum += float(weight.sum())
        if weight_sum <= 0:
            return result
        # Rounded so that a warm index and a rebuilt one (sums in another order) pick the same skills.
        ratio = np.round(ratio / weight_sum, 7)
        positive = np.flatnonzero(ratio > 0)
        if positive.size == 0:
            return result
        best = positive[np.lexsort((positive, -ratio[positive]))][:MAX_SKILLS]
        logits = ratio[best] / TEMPERATURE
        shares = np.exp(logits - logits.max())
        shares /= shares.sum()
        kept = shares >= MIN_SHARE
        result[best[kept]] = (shares[kept] / shares[kept].sum()).astype(np.float32)
        return result
