"""Thin tasks of the foundation: the queue passes nothing but the call; the service does the work."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_outbox() -> None:
    """Send the e-mails that are due (queued after the transaction that wrote them commits)."""
    from jingxiang.core.services import outbox_deliver

    outbox_deliver()
