"""Signals of the foundation.

``rows_changed`` is sent after the bulk writes that Django's model signals do not report (``update``,
``bulk_create``; ``bulk_update`` goes through ``update``), by querysets derived from
``core.models.ChangeSignallingQuerySet``. Caches kept in step with the database (the warm matching index)
listen to it, so imports and bulk status changes reach them like single saves do. ``fields`` is the
frozenset of field names written, or ``None`` when whole rows were created.
"""

from __future__ import annotations

from django.dispatch import Signal

rows_changed = Signal()
