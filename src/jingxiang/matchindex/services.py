"""Writes of the matching index: marking a source changed, and rebuilding with new knowledge tables."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from jingxiang.matchindex import registry, texts
from jingxiang.matchindex.warm import knowledge_for, warm_index
from jingxiang.matching import KnowledgeError


def index_source_changed(*, source: str) -> None:
    """Mark a source of the index changed: in this process at once, in every other one when the writer's
    transaction commits.

    The counter is bumped after commit, in its own short statement, so a long import never holds the
    counter's row lock (which would queue every other writer of that source behind it) and a rolled-back
    write costs nothing. One bump per transaction is enough, however many rows it writes.
    """
    if source not in registry.SOURCES:
        raise ValueError(f"unknown matching index source {source!r}")
    warm_index.mark_changed(source)
    connection = transaction.get_connection()
    if connection.in_atomic_block and _bump_pending(connection, source):
        return
    transaction.on_commit(_Bump(source), robust=True)


class _Bump:
    """The after-commit callback; a class so a pending bump of the same source can be recognised."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.done = False

    def __call__(self) -> None:
        from jingxiang.matchindex.models import SourceVersion

        self.done = True

        if not SourceVersion.objects.filter(name=self.source).update(value=F("value") + 1):
            SourceVersion.objects.get_or_create(name=self.source, defaults={"value": 1})


def _bump_pending(connection: Any, source: str) -> bool:
    """Whether a bump of ``source`` is already queued at this savepoint level or an enclosing one.

    ``run_on_commit`` holds (savepoint ids at registration, callback, robust). A callback registered at an
    enclosing level survives exactly as long as our own write does; Django drops the callbacks of a
    savepoint that is rolled back, and one registered in a savepoint since released is not relied on (a
    second bump costs one statement). Tests that run callbacks early leave them in the list, hence ``done``.
    """
    open_savepoints = set(connection.savepoint_ids)
    return any(
        isinstance(callback, _Bump)
        and callback.source == source
        and not callback.done
        and set(savepoints) <= open_savepoints
        for savepoints, callback, *_robust in connection.run_on_commit
    )


def index_rebuild(*, version_id: int, progress: Any = None) -> dict[str, Any]:
    """Build a complete index with this knowledge-table version in place of its document's active one;
    only when the tables load and the index builds is the version activated, and every process then
    rebuilds with it (its counter moves)."""
    source = registry.knowledge_source()
    if source is None:
        raise ValueError("no app contributes knowledge tables")
    key, overrides = source.candidate(version_id)
    if progress:
        progress(10, texts.KNOWLEDGE_LOADING())
    try:
        # Under the key the web processes will compute once the version is active: they reuse these tables.
        knowledge = knowledge_for(key, overrides)
    except KnowledgeError as error:
        source.reject(version_id)
        return {"ok": False, "problems": error.problems}
    index = warm_index.build(knowledge, progress)
    source.activate(version_id)
    warm_index.reset()
    return {"ok": True, "suppliers": len(index)}
