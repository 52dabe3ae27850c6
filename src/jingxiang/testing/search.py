"""Helpers for tests of the global search: what a user finds, and at what query cost."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingxiang.core.search import search_all


def _fresh(user: Any) -> Any:
    # Role lookups are cached on the user object per request: each search starts like a new request.
    return get_user_model().objects.get(pk=user.pk)


def found(user: Any, query: str) -> dict[str, list[str]]:
    """Titles found for ``user`` by kind key (only kinds with results)."""
    return {group.kind.key: [hit.title for hit in group.hits] for group in search_all(_fresh(user), query)}


def query_count(user: Any, query: str) -> int:
    """How many queries one global search costs the user (roles included)."""
    fresh = _fresh(user)
    with CaptureQueriesContext(connection) as captured:
        search_all(fresh, query)
    return len(captured.captured_queries)
