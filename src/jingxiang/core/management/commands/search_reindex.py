"""``manage.py search_reindex``: rebuild the pinyin index of the global search and the pickers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jingxiang.core.search import reindex, search_kind, search_kinds


class Command(BaseCommand):
    help = "Rebuild the search index (pinyin and initials of titles) of every registered kind, or of some."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kinds", nargs="*", help="kind keys such as demands.demand (default: all)")

    def handle(self, *args: Any, kinds: list[str], **options: Any) -> None:
        chosen = []
        for key in kinds:
            kind = search_kind(key)
            if kind is None:
                known = ", ".join(k.key for k in search_kinds())
                raise CommandError(f"unknown kind {key!r}; known kinds: {known}")
            chosen.append(kind)
        count = reindex(chosen or None)
        self.stdout.write(self.style.SUCCESS(f"indexed {count} records"))
