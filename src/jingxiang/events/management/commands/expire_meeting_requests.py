"""``manage.py expire_meeting_requests``: mark unanswered requests past their event's deadline as expired."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jingxiang.events.services import requests_expire


class Command(BaseCommand):
    help = "Expire meeting requests that were not answered before their event's deadline."

    def handle(self, *args: Any, **options: Any) -> None:
        count = requests_expire()
        self.stdout.write(f"已过期 {count} 个未答复的洽谈预约 (expired {count} unanswered meeting requests).")
