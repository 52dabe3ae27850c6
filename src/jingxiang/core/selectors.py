"""Reads shared by detail pages: the audit timeline of a record."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import Model

from jingxiang.core.audit import TimelineEntry, describe_entries


def audit_timeline(instance: Model, limit: int = 50) -> list[TimelineEntry]:
    """What happened to a record, newest first (who, when, what changed), in words people read:
    field labels and human values, never field names, codes or JSON (see ``core.audit``)."""
    entries = (
        LogEntry.objects.get_for_object(instance)
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )
    return describe_entries(entries, instance)
