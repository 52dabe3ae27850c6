"""Job kinds and the functions that carry them out.

A handler receives the Job and a ``progress(percent, message)`` callback and returns a JSON-able
result. It raises ``JobFailed`` for an expected failure with a message for the user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ProgressCallback = Callable[[int, str], None]
Handler = Callable[[Any, ProgressCallback], dict[str, Any]]

_handlers: dict[str, Handler] = {}


class JobFailed(Exception):
    """An expected failure: the message is shown to the user, the result is kept."""

    def __init__(self, message: str, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.result = result or {}


def register_handler(kind: str) -> Callable[[Handler], Handler]:
    def decorate(handler: Handler) -> Handler:
        _handlers[kind] = handler
        return handler

    return decorate


def handler_for(kind: str) -> Handler:
    return _handlers[kind]
