"""A running job's progress, written where the job page can see it while the job works.

Handlers often report progress from inside their own transaction: an import saves every row in one
transaction (all or nothing) and reports every 50 rows. A write on the handler's connection stays
invisible to the web processes until that transaction commits, so the bar would sit at 40 % and jump to
100 %. Inside a transaction, progress therefore goes through a second connection to the same database,
in autocommit, opened on first use in the thread and closed when the job ends (``close``).

That update skips the job row if the handler's own transaction holds its lock (``SKIP LOCKED``) instead
of waiting: the thread holding the lock is the one waiting, so it would wait for ever. The job's final
state is written on the handler's connection anyway.

SQLite has one writer at a time: a second connection could only wait for the import to commit. There
progress is written on the handler's connection and shows when it commits (the demo and the tests).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

_local = threading.local()


def _side_connection() -> Any | None:
    """This thread's autocommit connection for progress, or None where the database cannot use one."""
    main = connections[DEFAULT_DB_ALIAS]
    if main.vendor != "postgresql":
        return None
    side = getattr(_local, "connection", None)
    if side is not None and side.connection is not None and not side.is_usable():
        side.close()
    if side is None:
        side = connections.create_connection(DEFAULT_DB_ALIAS)
        _local.connection = side
    return side


def write(job_id: int, progress: int, message: str) -> None:
    """Record progress so that other connections see it now, even inside the handler's transaction."""
    from jingxiang.jobs.models import Job

    progress, message = max(0, min(100, progress)), message[:300]
    main = connections[DEFAULT_DB_ALIAS]
    side = _side_connection() if main.in_atomic_block else None
    if side is None:
        Job.objects.filter(pk=job_id).update(progress=progress, message=message)
        return
    table, key = side.ops.quote_name(Job._meta.db_table), side.ops.quote_name(Job._meta.pk.column)
    try:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET progress = %s, message = %s "  # noqa: S608 - names are ours, values bound
                f"WHERE {key} = (SELECT {key} FROM {table} WHERE {key} = %s FOR UPDATE SKIP LOCKED)",
                [progress, message, job_id],
            )
    except DatabaseError:
        # Progress is a courtesy to the person watching; never let it fail the job.
        logger.warning("progress of job %s not recorded", job_id, exc_info=True)
        side.close()


def close() -> None:
    """Close this thread's progress connection (at the end of each job, so none is left idle)."""
    side = getattr(_local, "connection", None)
    if side is not None:
        side.close()
        _local.connection = None
