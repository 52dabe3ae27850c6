"""Sweep lost jobs and send due e-mails once (for cron, or after restarting a crashed worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jingxiang.core.services import outbox_deliver
from jingxiang.jobs.services import jobs_sweep


class Command(BaseCommand):
    help = "Re-queue or fail running jobs whose heartbeat stopped; send due e-mails from the outbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--timeout",
            type=int,
            default=None,
            help="heartbeat age in seconds after which a running job counts as lost (default: setting)",
        )

    def handle(self, *args: Any, timeout: int | None = None, **options: Any) -> None:
        if timeout is not None and timeout < 0:
            self.stderr.write("--timeout must be zero or more seconds")
            raise SystemExit(2)
        swept = jobs_sweep(timeout=timeout)
        mail = outbox_deliver()
        self.stdout.write(
            f"jobs re-queued: {len(swept.requeued)}, failed: {len(swept.failed)}; "
            f"e-mails sent: {mail.sent}, retrying: {mail.retrying}, failed: {mail.failed}"
        )
