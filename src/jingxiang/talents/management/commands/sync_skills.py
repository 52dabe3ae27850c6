"""``manage.py sync_skills``: bring new skills from taxonomy/skills.yaml into the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jingxiang.talents.services import skills_sync


class Command(BaseCommand):
    help = "Add skills from the repository taxonomy; --overwrite also resets names and aliases to the file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--overwrite", action="store_true")

    def handle(self, *args: Any, overwrite: bool, **options: Any) -> None:
        domains, skills = skills_sync(overwrite=overwrite)
        self.stdout.write(f"created {domains} domains and {skills} skills")
