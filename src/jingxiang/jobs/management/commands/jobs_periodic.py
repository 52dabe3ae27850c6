"""Run the calendar duties that are due (reminders, overdue sweeps, monthly reports): for cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jingxiang.jobs.periodic import registered_periodic, run_due_periodic


class Command(BaseCommand):
    help = "Run every registered periodic duty that is due and not yet done for its date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("keys", nargs="*", help="only these duties (default: all)")

    def handle(self, *args: Any, keys: list[str], **options: Any) -> None:
        unknown = sorted(set(keys) - set(registered_periodic()))
        if unknown:
            self.stderr.write("unknown duties: " + ", ".join(unknown))
            raise SystemExit(2)
        ran = run_due_periodic(keys=keys or None)
        for key, due in ran:
            self.stdout.write(f"{key}: {due.isoformat()}")
        self.stdout.write(f"duties run: {len(ran)}")
