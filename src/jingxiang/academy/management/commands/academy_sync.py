"""``manage.py academy_sync``: load occupations, levels and subsidy rules from academy/rules.yaml."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jingxiang.academy.services import rules_sync


class Command(BaseCommand):
    help = "Load occupations, skill levels (pass and eligibility rules) and subsidy rules from rules.yaml."

    def handle(self, *args: Any, **options: Any) -> None:
        occupations, levels, subsidies = rules_sync()
        self.stdout.write(
            self.style.SUCCESS(f"{occupations} occupations, {levels} levels, {subsidies} subsidy rules.")
        )
