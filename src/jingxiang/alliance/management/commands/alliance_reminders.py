"""``manage.py alliance_reminders``: queue the obligations' reminder sweep (run it daily, e.g. from cron).

The worker runs the queued ``alliance_reminders`` job; ``--now`` runs the sweep in this process instead.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jingxiang.alliance.services import obligation_reminders_send, reminders_start


class Command(BaseCommand):
    help = "Remind owners of agreement obligations due soon and the secretariat of overdue ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run the sweep here instead of queuing a job")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            counts = obligation_reminders_send()
            self.stdout.write(
                f"到期提醒 {counts['due_soon']} 条,逾期提醒 {counts['overdue']} 条 "
                f"(due soon {counts['due_soon']}, overdue {counts['overdue']})."
            )
            return
        job = reminders_start(actor=None)
        self.stdout.write(f"已排队提醒任务 #{job.pk} (queued reminder job #{job.pk}).")
