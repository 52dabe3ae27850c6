"""What apps contribute to the shared matching index, registered from their ``AppConfig.ready``.

The index has four sources, each with a change counter (``models.SourceVersion``):

* ``suppliers``: talents and institutions; owned by this app (they come from the foundation);
* ``demands``: open needs, for "needs you could help with" (the demand board contributes them);
* ``feedback``: outcomes the engine learns from (accepted, declined, rated);
* ``knowledge``: the operators' edited knowledge tables, activated by the rebuild job.

An app names the models whose writes change a source (``Watched``); every save, delete and bulk write
of those models bumps the source's counter, so each process catches up on its next rank call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save

from jingxiang.core.signals import rows_changed
from jingxiang.matching import Demand as EngineDemand
from jingxiang.matching import Outcome

SUPPLIERS, DEMANDS, FEEDBACK, KNOWLEDGE = "suppliers", "demands", "feedback", "knowledge"
SOURCES = (SUPPLIERS, DEMANDS, FEEDBACK, KNOWLEDGE)

KnowledgeKey = tuple[int, ...]


@dataclass(frozen=True)
class Watched:
    """A model whose writes change ``source``; ``fields`` narrows it to the fields the index reads
    (``None``: any write counts)."""

    model: type[models.Model]
    source: str
    fields: frozenset[str] | None = None


@dataclass(frozen=True)
class FeedbackBatch:
    outcomes: list[Outcome]
    demands: dict[str, EngineDemand]
    """The demands the outcomes refer to, so the engine can learn from their words."""
    last_id: int


@dataclass(frozen=True)
class FeedbackSource:
    state: Callable[[], tuple[int, int]]
    """(number of rows, highest row id). Feedback only ever grows; a count that does not add up means the
    history was rewritten (a restored backup) and the index relearns it from scratch."""
    after: Callable[[int], FeedbackBatch]
    """The rows with an id above the given one, in id order."""


@dataclass(frozen=True)
class KnowledgeSource:
    key: Callable[[], KnowledgeKey]
    """Ids of the active table versions (cheap): a different key means a rebuild."""
    active: Callable[[], tuple[KnowledgeKey, dict[str, Any]]]
    """The key and the parsed documents that override the shipped tables."""
    candidate: Callable[[int], tuple[KnowledgeKey, dict[str, Any]]]
    """The active set with this version in place of its document's active one (for the rebuild job)."""
    activate: Callable[[int], None]
    reject: Callable[[int], None]
    result_url: str = ""
    """URL name the rebuild job links to."""


@dataclass(frozen=True)
class Contribution:
    name: str
    watched: tuple[Watched, ...] = ()
    demands: Callable[[], dict[str, EngineDemand]] | None = None
    """Every open demand as an engine record, keyed by its engine id."""
    feedback: FeedbackSource | None = None
    knowledge: KnowledgeSource | None = None
    categories: Mapping[str, str] = field(default_factory=dict)
    """Category codes of the app (``"testing"``) mapped to the engine's category names (``"质量检测"``)."""


_contributions: dict[str, Contribution] = {}


def register(contribution: Contribution) -> None:
    """Add an app's contribution (idempotent per name) and start watching its models."""
    if contribution.feedback is not None and any(
        c.feedback is not None for name, c in _contributions.items() if name != contribution.name
    ):
        raise ValueError("only one app may contribute matching feedback")
    if contribution.knowledge is not None and any(
        c.knowledge is not None for name, c in _contributions.items() if name != contribution.name
    ):
        raise ValueError("only one app may contribute matching knowledge tables")
    _contributions[contribution.name] = contribution
    for watched in contribution.watched:
        _watch(watched)


def contributions() -> list[Contribution]:
    return list(_contributions.values())


def feedback_source() -> FeedbackSource | None:
    return next((c.feedback for c in _contributions.values() if c.feedback is not None), None)


def knowledge_source() -> KnowledgeSource | None:
    return next((c.knowledge for c in _contributions.values() if c.knowledge is not None), None)


def engine_category(category: str) -> str:
    """The engine's name for an app's category code; anything else is passed on as written."""
    for contribution in _contributions.values():
        if category in contribution.categories:
            return contribution.categories[category]
    return category


def _watch(watched: Watched) -> None:
    def touches(fields: Any) -> bool:
        return watched.fields is None or fields is None or bool(watched.fields & set(fields))

    def saved(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
        if touches(update_fields):
            _changed(watched.source)

    def deleted(sender: Any, **kwargs: Any) -> None:
        _changed(watched.source)

    def bulk(sender: Any, fields: Any = None, **kwargs: Any) -> None:
        if touches(fields):
            _changed(watched.source)

    uid = f"matchindex:{watched.source}:{watched.model._meta.label}"
    # weak=False: the receivers are closures that nothing else keeps alive.
    post_save.connect(saved, sender=watched.model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(deleted, sender=watched.model, weak=False, dispatch_uid=f"{uid}:delete")
    rows_changed.connect(bulk, sender=watched.model, weak=False, dispatch_uid=f"{uid}:bulk")


def _changed(source: str) -> None:
    from jingxiang.matchindex.services import index_source_changed

    index_source_changed(source=source)
