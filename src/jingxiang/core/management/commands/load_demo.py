"""``manage.py load_demo``: the deterministic demo cluster, once per database."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from jingxiang.core.demo import DEMO_PASSWORD, demo_loaded, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo cluster (public organisations, ~300 firms, 40 institutions, 600 talents, demo logins)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=20250620)
        parser.add_argument("--scale", type=int, default=1, help="10 loads ten times the data (benchmarks)")
        parser.add_argument("--reset", action="store_true", help="flush the database first")

    def handle(self, *args: Any, seed: int, scale: int, reset: bool, **options: Any) -> None:
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        # The demo's invitations and approvals would otherwise e-mail every persona on the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._load(seed=seed, scale=scale)

    def _load(self, *, seed: int, scale: int) -> None:
        if demo_loaded():
            self.stdout.write("演示数据已存在,跳过加载 (demo data already loaded; use --reset to reload).")
            context = None
        else:
            context = load_demo(seed=seed, scale=scale)
            cluster = context.cluster
            self.stdout.write(
                self.style.SUCCESS(
                    f"已加载演示集群: {len(cluster.organisations)} 个机构, {len(cluster.talents)} 位人才."
                )
            )
        self.stdout.write("")
        self.stdout.write(f"演示账号 Demo logins (password / 密码: {DEMO_PASSWORD})")
        if context is not None:
            # Apps may add logins of their own (e.g. the lab's second reviewer for four-eyes approval).
            for username, role, who in context.logins:
                self.stdout.write(f"  {username:<16} {role:<15} {who}")
            if context.notes:
                self.stdout.write("")
            for note in context.notes:
                self.stdout.write(note)
            return
        from jingxiang.demo_data import generate_cluster

        for persona in generate_cluster(seed=seed, scale=1).personas:
            self.stdout.write(f"  {persona.username:<16} {persona.role!s:<15} {persona.name}")
        self.stdout.write("  (and app logins such as lab_reviewer: see README)")
