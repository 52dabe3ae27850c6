"""Carry-over into a fund application: another app (the competition, say) registers a source, and the
application form pre-fills from ``?carry=<key>:<id>``.

A loader gets the object's id and the user asking, and returns what may be carried over — or None when
the object does not exist or the user may not carry it (the loader decides; nothing is shown then).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

TeamEntry = tuple[str, str, Decimal | None]


@dataclass(frozen=True)
class CarriedOver:
    source_label: str
    source_url: str
    organisation_id: int | None
    project_title: str
    summary: str
    team: tuple[TeamEntry, ...] = ()
    tags: tuple[str, ...] = ()


Loader = Callable[[int, Any], CarriedOver | None]

_sources: dict[str, Loader] = {}


def register_source(key: str, loader: Loader) -> None:
    """Register ``loader`` under ``key`` (letters, digits, ``_`` and ``-``; no colon)."""
    if not key or ":" in key:
        raise ValueError(f"bad carry-over key: {key!r}")
    _sources[key] = loader


def unregister_source(key: str) -> None:
    _sources.pop(key, None)


def load(carry: str, user: Any) -> CarriedOver | None:
    """What ``carry`` (``<key>:<id>``) holds for ``user``; None for anything unknown or malformed."""
    key, sep, raw_id = (carry or "").partition(":")
    loader = _sources.get(key)
    if not sep or loader is None or not raw_id.isdigit() or len(raw_id) > 12:
        return None
    result = loader(int(raw_id), user)
    return result if isinstance(result, CarriedOver) else None
