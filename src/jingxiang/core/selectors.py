"""Reads shared by detail pages: the audit timeline of a record."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db.models import Model


def audit_timeline(instance: Model, limit: int = 50) -> list[Any]:
    """What happened to a record, newest first, from django-auditlog (who, when, what changed)."""
    return list(
        LogEntry.objects.get_for_object(instance).select_related("actor").order_by("-timestamp")[:limit]
    )
