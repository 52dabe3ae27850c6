"""Finding things: pinyin search keys, and the registry of what the global search covers.

Search keys let people find Chinese names by pinyin or initials ("kangbo" and "kb" both find 康波).
Each app registers its searchable kinds (:class:`SearchKind`) from its ``AppConfig.ready``; core never
imports the apps. A kind's results are always the app's ``visible_to(user)`` rows, fetched in one query
whatever the number of matches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from pypinyin import Style, lazy_pinyin


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def searchable_text(*parts: str) -> str:
    """Return "name fullpinyin initials" for each part, lower-cased and without spaces inside keys.

    Stored on the row and matched with a substring test, which is the same on SQLite and PostgreSQL.
    """
    keys: list[str] = []
    for part in parts:
        if not part:
            continue
        folded = _fold(part)
        keys.append(folded.replace(" ", ""))
        syllables = lazy_pinyin(folded, errors="ignore")
        if syllables:
            keys.append("".join(syllables))
            keys.append("".join(syllable[0] for syllable in syllables if syllable))
        initials = lazy_pinyin(folded, style=Style.FIRST_LETTER, errors="ignore")
        if initials:
            keys.append("".join(initials))
    return " ".join(dict.fromkeys(keys))


def search_key(query: str) -> str:
    """Normalise what a person typed into the form stored by :func:`searchable_text`."""
    return "".join(ch for ch in _fold(query) if ch.isprintable()).replace(" ", "").strip()


def _no_detail(obj: Any) -> str:
    return ""


@dataclass(frozen=True)
class SearchKind:
    """One kind of record the global search finds, declared by the app that owns it.

    ``visible(user)`` is the app's permission rule (its ``visible_to``), so a result is never a record
    the user could not open. A row matches when what was typed is contained in one of ``fields``
    (numbers, names as written), when the folded query is contained in one of ``key_fields`` (stored
    pinyin keys such as ``talent__search_text``), or when it is contained in the row's
    :class:`~jingxiang.core.models.SearchEntry`, built from ``indexed(obj)`` on every save that touches
    ``index_fields``.
    """

    key: str
    label: Any
    model: type[models.Model]
    visible: Callable[[Any], models.QuerySet]
    url: Callable[[Any], str]
    title: Callable[[Any], str] = str
    detail: Callable[[Any], str] = _no_detail
    fields: tuple[str, ...] = ()
    key_fields: tuple[str, ...] = ()
    indexed: Callable[[Any], Iterable[str]] | None = None
    index_fields: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    order: int = 100


@dataclass(frozen=True)
class SearchHit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class SearchGroup:
    kind: SearchKind
    hits: list[SearchHit]
    more: bool


_kinds: dict[str, SearchKind] = {}


def register_search_kind(kind: SearchKind) -> None:
    """Make a kind searchable (called from the owning app's ``AppConfig.ready``)."""
    from django.db.models.signals import post_save

    _kinds[kind.key] = kind
    if kind.indexed is not None:
        # One receiver per model, whatever the number of its kinds: _saved refreshes each of them.
        label = kind.model._meta.label_lower
        post_save.connect(_saved, sender=kind.model, dispatch_uid=f"search-index-{label}", weak=False)


def search_kinds() -> list[SearchKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def search_kind(key: str) -> SearchKind | None:
    return _kinds.get(key)


def _content_type(model: type[models.Model]) -> Any:
    from django.contrib.contenttypes.models import ContentType

    # ContentType's manager caches per process: no query after the first lookup.
    return ContentType.objects.get_for_model(model, for_concrete_model=False)


def index_refresh(kind: SearchKind, instance: models.Model) -> None:
    """Store the pinyin keys of one record (one UPDATE, or one INSERT the first time)."""
    from jingxiang.core.models import SearchEntry

    if kind.indexed is None or instance.pk is None:
        return
    keys = searchable_text(*(str(part) for part in kind.indexed(instance) if part))
    content_type = _content_type(kind.model)
    entries = SearchEntry.objects.filter(content_type=content_type, object_id=instance.pk)
    if entries.update(keys=keys):
        return
    try:
        with transaction.atomic():
            SearchEntry.objects.create(content_type=content_type, object_id=instance.pk, keys=keys)
    except IntegrityError:
        # Another request indexed the same record in between: its keys are as fresh as ours.
        entries.update(keys=keys)


def _saved(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    update_fields = kwargs.get("update_fields")
    for kind in _kinds.values():
        if kind.model is not sender or kind.indexed is None:
            continue
        if update_fields is not None and not set(update_fields) & set(kind.index_fields):
            continue
        index_refresh(kind, instance)


def reindex(kinds: Iterable[SearchKind] | None = None, batch: int = 500) -> int:
    """Rebuild the index of the given kinds (all by default); returns how many records were indexed."""
    count = 0
    for kind in kinds if kinds is not None else search_kinds():
        if kind.indexed is None:
            continue
        for instance in kind.model._base_manager.select_related(*kind.select_related).iterator(batch):
            index_refresh(kind, instance)
            count += 1
    return count


def matching(kind: SearchKind, queryset: models.QuerySet, query: str) -> models.QuerySet:
    """The rows of ``queryset`` that match what was typed, by text, stored pinyin keys or the index."""
    from jingxiang.core.models import SearchEntry

    typed = query.strip()
    needle = search_key(query)
    if not typed or not needle:
        return queryset.none()
    condition = models.Q()
    for name in kind.fields:
        condition |= models.Q(**{f"{name}__icontains": typed})
    for name in kind.key_fields:
        condition |= models.Q(**{f"{name}__contains": needle})
    if kind.indexed is not None:
        entries = SearchEntry.objects.filter(content_type=_content_type(kind.model), keys__contains=needle)
        condition |= models.Q(pk__in=entries.values("object_id"))
    return queryset.filter(condition)


def hit(kind: SearchKind, row: Any) -> SearchHit:
    return SearchHit(kind.title(row), kind.detail(row), kind.url(row))


def search_all(user: Any, query: str, *, limit: int = 8) -> list[SearchGroup]:
    """Every registered kind's matches for the user, grouped by kind; one query per kind."""
    groups = []
    for kind in search_kinds():
        rows = list(search_one(kind, user, query)[: limit + 1])
        if rows:
            groups.append(SearchGroup(kind, [hit(kind, row) for row in rows[:limit]], len(rows) > limit))
    return groups


def search_one(kind: SearchKind, user: Any, query: str) -> models.QuerySet:
    """All of one kind's matches for the user (the "more" page of a group), in the model's order."""
    return matching(kind, kind.visible(user), query).select_related(*kind.select_related)
