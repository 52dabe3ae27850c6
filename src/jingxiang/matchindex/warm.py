"""The process-wide warm matching index: built once, then kept in step with the database.

Every web process (and job worker) holds one ``MatchingIndex``. Before each use it reads the change
counters of the index's sources (``models.SourceVersion``: a few rows by primary key, one query) and
compares them with the ones it last caught up with, together with the counters of changes made in this
process (not committed yet, or in a test's transaction). Only a source that changed is read again:

* suppliers: profiles are re-read and only those whose engine record differs are upserted, vanished ones
  removed; the engine re-analyses just those;
* feedback: new rows are applied to the engine's feedback model in order; a history that no longer adds
  up (rows removed) is relearned from scratch;
* demands: open demands are upserted/removed for "needs you could help with";
* knowledge: a new set of active table versions rebuilds the index with them (rare; the rebuild job
  proves the tables load first, so a broken table never reaches the web processes).

Writes that bypass the model signals (raw SQL, another program) are caught by a full catch-up every
``FULL_CHECK_SECONDS``.

Locking: ranking only reads the index, so any number of threads rank at once under the shared side of a
readers-writer lock; catching up and rebuilding take the exclusive side, and only when a counter moved.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml

from jingxiang.matchindex import registry, texts
from jingxiang.matchindex.suppliers import load_suppliers
from jingxiang.matching import Demand as EngineDemand
from jingxiang.matching import FeedbackModel, KnowledgeBase, KnowledgeError, MatchingIndex, load_knowledge

logger = logging.getLogger(__name__)

FULL_CHECK_SECONDS = 300.0


class ReadWriteLock:
    """Many readers at once, or one writer alone. A waiting writer holds off new readers, so a steady
    stream of rank calls cannot starve a catch-up. Not re-entrant: never take it twice in one thread."""

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            while self._writing or self._writers_waiting:
                self._condition.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                if not self._readers:
                    self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._condition.wait()
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


_knowledge_cache: dict[registry.KnowledgeKey, KnowledgeBase] = {}
_knowledge_lock = threading.Lock()


def knowledge_for(key: registry.KnowledgeKey, overrides: dict[str, Any]) -> KnowledgeBase:
    """Loading the tables (and the segmenter) costs about a second: keep the last one loaded."""
    with _knowledge_lock:
        cached = _knowledge_cache.get(key)
        if cached is None:
            cached = load_knowledge(overrides=overrides or None)
            _knowledge_cache.clear()
            _knowledge_cache[key] = cached
        return cached


def active_knowledge() -> tuple[registry.KnowledgeKey, dict[str, Any]]:
    source = registry.knowledge_source()
    return source.active() if source is not None else ((), {})


def load_open_demands() -> dict[str, EngineDemand]:
    demands: dict[str, EngineDemand] = {}
    for contribution in registry.contributions():
        if contribution.demands is not None:
            demands.update(contribution.demands())
    return demands


def read_versions() -> dict[str, int]:
    """The sources' change counters: the one query of a rank call on a fresh index."""
    from jingxiang.matchindex.models import SourceVersion

    return dict(SourceVersion.objects.values_list("name", "value"))


Seen = dict[str, tuple[int | None, int]]


class WarmIndex:
    def __init__(self) -> None:
        self._lock = ReadWriteLock()
        self._local_lock = threading.Lock()
        self._local: dict[str, int] = dict.fromkeys(registry.SOURCES, 0)
        self.index: MatchingIndex | None = None
        self._seen: Seen = {}
        self._checked_at = 0.0
        self._demands: dict[str, EngineDemand] = {}
        self._feedback_state: tuple[int, int] = (0, 0)
        self._knowledge_key: registry.KnowledgeKey | None = None

    def reset(self) -> None:
        """Forget the index; the next use builds it again (tests, and after a knowledge version is activated)."""
        with self._lock.writing():
            self.index = None
            self._seen = {}
            self._demands = {}
            self._feedback_state = (0, 0)
            self._knowledge_key = None

    def mark_changed(self, source: str) -> None:
        """A write to ``source`` in this process: the next use here catches up at once, even before the
        writer commits (the catch-up reads through the writer's connection when it is the same thread)."""
        with self._local_lock:
            self._local[source] = self._local.get(source, 0) + 1

    @contextmanager
    def use(self) -> Iterator[MatchingIndex]:
        """The index, caught up with the database, held against catch-ups while the caller ranks."""
        while True:
            self._ensure_fresh()
            with self._lock.reading():
                index = self.index
                if index is not None:
                    yield index
                    return
            # Reset by another thread between the check and the read: check again.

    def _current(self, versions: dict[str, int]) -> Seen:
        with self._local_lock:
            return {name: (versions.get(name), self._local.get(name, 0)) for name in registry.SOURCES}

    def _ensure_fresh(self) -> None:
        current = self._current(read_versions())
        due = time.monotonic() - self._checked_at > FULL_CHECK_SECONDS
        if self.index is not None and current == self._seen and not due:
            return
        with self._lock.writing():
            # Another thread may have caught up while this one waited; read the counters again, before any
            # data, so what is recorded as seen is never newer than what was read.
            current = self._current(read_versions())
            due = time.monotonic() - self._checked_at > FULL_CHECK_SECONDS
            if self.index is not None and current == self._seen and not due:
                return
            changed = (
                set(registry.SOURCES) if due else {n for n in current if current[n] != self._seen.get(n)}
            )
            self._catch_up(changed)
            self._seen = current
            self._checked_at = time.monotonic()

    def build(self, knowledge: KnowledgeBase, progress: Any = None) -> MatchingIndex:
        """A fresh index from the database (used by the rebuild job and on first use)."""
        index, _state, _demands = self._build(knowledge, progress)
        return index

    def _build(
        self, knowledge: KnowledgeBase, progress: Any = None
    ) -> tuple[MatchingIndex, tuple[int, int], dict[str, EngineDemand]]:
        suppliers = load_suppliers()
        if progress:
            progress(30, texts.SUPPLIERS_READ(n=len(suppliers)))
        index = MatchingIndex.build(suppliers.values(), knowledge=knowledge, feedback=FeedbackModel())
        if progress:
            progress(70, texts.INDEX_BUILT())
        state = (0, 0)
        source = registry.feedback_source()
        if source is not None:
            state = source.state()
            batch = source.after(0)
            if batch.outcomes:
                index.apply_feedback(batch.outcomes, batch.demands)
            # Rows written between the two reads count as seen (they were applied) but not in the count,
            # so the next catch-up relearns rather than applying them twice.
            state = (state[0], max(state[1], batch.last_id))
        demands = load_open_demands()
        for demand in demands.values():
            index.upsert_demand(demand)
        return index, state, demands

    def _rebuild(self) -> None:
        key, overrides = active_knowledge()
        try:
            knowledge = knowledge_for(key, overrides)
        except (KnowledgeError, yaml.YAMLError, TypeError, ValueError):
            # An active table that no longer loads (e.g. the taxonomy retired a skill it names) must not take
            # matching down: fall back to the shipped tables and say so in the log.
            logger.exception("active matching knowledge %s does not load; using the shipped tables", key)
            knowledge = knowledge_for((), {})
        self.index, self._feedback_state, self._demands = self._build(knowledge)
        self._knowledge_key = key

    def _catch_up(self, changed: set[str]) -> None:
        if self.index is None:
            self._rebuild()
            return
        if registry.KNOWLEDGE in changed:
            source = registry.knowledge_source()
            if (source.key() if source is not None else ()) != self._knowledge_key:
                self._rebuild()
                return
        if registry.FEEDBACK in changed and not self._catch_up_feedback():
            self._rebuild()
            return
        if registry.SUPPLIERS in changed:
            self._sync_suppliers()
        if registry.DEMANDS in changed:
            self._sync_demands()

    def _catch_up_feedback(self) -> bool:
        """Apply new feedback rows; False when the history was rewritten and must be relearned."""
        source = registry.feedback_source()
        if source is None:
            return True
        state = source.state()
        if state == self._feedback_state:
            return True
        assert self.index is not None
        batch = source.after(self._feedback_state[1])
        if not batch.outcomes or self._feedback_state[0] + len(batch.outcomes) != state[0]:
            return False
        self.index.apply_feedback(batch.outcomes, batch.demands)
        self._feedback_state = (state[0], max(state[1], batch.last_id))
        return True

    def _sync_suppliers(self) -> None:
        assert self.index is not None
        current = load_suppliers()
        for supplier_id in [s.id for s in self.index.suppliers() if s.id not in current]:
            self.index.remove(supplier_id)
        for supplier_id, record in current.items():
            if supplier_id not in self.index or self.index.supplier(supplier_id) != record:
                self.index.upsert(record)

    def _sync_demands(self) -> None:
        assert self.index is not None
        current = load_open_demands()
        for demand_id in set(self._demands) - set(current):
            self.index.remove_demand(demand_id)
        for demand_id, record in current.items():
            if self._demands.get(demand_id) != record:
                self.index.upsert_demand(record)
        self._demands = current


warm_index = WarmIndex()
