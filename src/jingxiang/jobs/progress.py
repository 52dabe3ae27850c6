"""A running job's progress and heartbeat, written where the job page (and the sweeper) can see them.

Handlers often report progress from inside their own transaction: an import saves every row in one
transaction (all or nothing) and reports every 50 rows. A write on the handler's connection stays
invisible to the web processes until that transaction commits, so the bar would sit at 40 % and jump to
100 %, and the heartbeat would look stale to the sweeper. Inside a transaction the handler opened,
progress therefore goes through a second connection to the same database, in autocommit, opened on first
use in the thread and closed when the job ends (``begin``/``close`` bracket each job).

That update skips the job row if the handler's own transaction holds its lock (``SKIP LOCKED``) instead
of waiting: the thread holding the lock is the one waiting, so it would wait for ever. The job's final
state is written on the handler's connection anyway.

SQLite has one writer at a time: a second connection could only wait for the import to commit. There
progress is written on the handler's connection and shows when it commits (the demo and the tests).
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone

logger = logging.getLogger(__name__)

_local = threading.local()


def begin() -> None:
    """Note, as a job starts, whether it runs outside any transaction (a worker) or inside one (a test, or a
    job run synchronously within a request's transaction). Only in the first case can another connection
    see the job's row at all, so only then is progress written aside."""
    _local.outside = not connections[DEFAULT_DB_ALIAS].in_atomic_block


def _side_connection() -> Any | None:
    """This thread's autocommit connection for progress, or None where the handler's own will do."""
    main = connections[DEFAULT_DB_ALIAS]
    if main.vendor != "postgresql" or not main.in_atomic_block or not getattr(_local, "outside", False):
        return None
    side = getattr(_local, "connection", None)
    if side is not None and side.connection is not None and not side.is_usable():
        side.close()
    if side is None:
        side = connections.create_connection(DEFAULT_DB_ALIAS)
        _local.connection = side
    return side


def write_aside(job_id: int, attempt: int, values: dict[str, Any]) -> bool:
    """Write ``progress`` and ``message_text`` with the heartbeat on the second connection, when the
    handler is inside a transaction on PostgreSQL.

    Returns False when the caller should write on its own connection (no transaction of the handler's,
    or SQLite), True once written or skipped for a row the handler itself holds, and raises ``JobLost``
    when the row shows that another run has taken the job over.
    """
    from jingxiang.jobs.models import Job, JobStatus
    from jingxiang.jobs.registry import JobLost

    side = _side_connection()
    if side is None:
        return False
    quote = side.ops.quote_name
    table, key = quote(Job._meta.db_table), quote(Job._meta.pk.column)
    try:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET progress = %s, message_text = %s::jsonb, heartbeat_at = %s "  # noqa: S608 - our names, bound values
                f"WHERE {key} = (SELECT {key} FROM {table} WHERE {key} = %s FOR UPDATE SKIP LOCKED) "
                "AND status = %s AND attempts = %s",
                [
                    values["progress"],
                    json.dumps(values["message_text"], ensure_ascii=False),
                    timezone.now(),
                    job_id,
                    JobStatus.RUNNING,
                    attempt,
                ],
            )
            if cursor.rowcount:
                return True
            # Nothing written: the handler's transaction holds the row (skipped), the row is not committed
            # yet, or the run was given up. Only the last is a reason to stop.
            cursor.execute(f"SELECT status, attempts FROM {table} WHERE {key} = %s", [job_id])  # noqa: S608
            row = cursor.fetchone()
    except DatabaseError:
        # Progress is a courtesy to the person watching; a failing side connection never fails the job.
        logger.warning("progress of job %s not recorded", job_id, exc_info=True)
        side.close()
        return True
    if row is not None and (row[0] != JobStatus.RUNNING or row[1] != attempt):
        raise JobLost(job_id)
    return True


def close() -> None:
    """Close this thread's progress connection (at the end of each job, so none is left idle)."""
    _local.outside = False
    side = getattr(_local, "connection", None)
    if side is not None:
        side.close()
        _local.connection = None
