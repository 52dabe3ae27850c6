"""Job kinds and the functions that carry them out.

A handler receives the Job and a ``progress(percent, text)`` callback (``text`` a bound message from
a ``texts.py``, so each viewer reads it in their language) and returns a JSON-able result, whose
optional ``"message"`` is a bound message too. It raises ``JobFailed(text, result)`` for an expected
failure. A handler that can safely run again from the start after its worker died mid-way (all-or-
nothing imports, recomputations) is registered ``retryable``: the sweeper re-queues it instead of
failing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jingxiang.core.texts import Text

ProgressCallback = Callable[[int, Text], None]
Handler = Callable[[Any, ProgressCallback], dict[str, Any]]


@dataclass(frozen=True)
class HandlerSpec:
    kind: str
    run: Handler
    retryable: bool = False
    max_attempts: int = 1
    # Called (in the sweeper's transaction) when a lost job is failed, to release what it held.
    on_abandon: Callable[[Any], None] | None = None


_handlers: dict[str, HandlerSpec] = {}


class JobFailed(Exception):
    """An expected failure: the text is shown to the user, the result is kept."""

    def __init__(self, text: Text, result: dict[str, Any] | None = None) -> None:
        if not isinstance(text, Text):
            raise TypeError("JobFailed needs a bound message from a texts.py")
        super().__init__(text.id)
        self.text = text
        self.result = result or {}


class JobLost(Exception):
    """This worker no longer holds the job (the sweeper gave it up as lost): stop without writing."""


def register_handler(
    kind: str,
    *,
    retryable: bool = False,
    max_attempts: int = 3,
    on_abandon: Callable[[Any], None] | None = None,
) -> Callable[[Handler], Handler]:
    def decorate(handler: Handler) -> Handler:
        _handlers[kind] = HandlerSpec(kind, handler, retryable, max_attempts if retryable else 1, on_abandon)
        return handler

    return decorate


def handler_spec(kind: str) -> HandlerSpec:
    return _handlers[kind]


def handler_for(kind: str) -> Handler:
    return _handlers[kind].run
