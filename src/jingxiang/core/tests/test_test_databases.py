"""The test database a test sees is the migrated one, whether migrated here or copied from a template."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from jingxiang.testing import dbtemplate


@pytest.mark.django_db
def test_every_migration_is_applied_and_the_catalogues_are_seeded():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from jingxiang.talents.models import Skill
    from jingxiang.taxonomy import load_taxonomy

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    seeded = sum(len(domain.skills) for domain in load_taxonomy().domains)
    assert Skill.objects.count() == seeded > 0


class _Connection:
    """Stands in for Django's SQLite connection: the store only needs the raw sqlite3 connection."""

    def __init__(self) -> None:
        self.connection = sqlite3.connect(":memory:")

    def ensure_connection(self) -> None:
        pass


def test_a_sqlite_template_is_restored_row_for_row(tmp_path: Path):
    migrated = _Connection()
    migrated.connection.executescript(
        "CREATE TABLE catalogue (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);"
        "INSERT INTO catalogue (name) VALUES ('镜架'), ('镜片');"
    )
    dbtemplate._SqliteStore(migrated, tmp_path, "k", "").save()

    fresh: Any = _Connection()
    store = dbtemplate._SqliteStore(fresh, tmp_path, "k", "")
    assert store.exists()
    store.restore()
    assert fresh.connection.execute("SELECT id, name FROM catalogue ORDER BY id").fetchall() == [
        (1, "镜架"),
        (2, "镜片"),
    ]
    # The sequence comes along: the next row gets the id it would have had in the migrated database.
    fresh.connection.execute("INSERT INTO catalogue (name) VALUES ('镜盒')")
    assert fresh.connection.execute("SELECT max(id) FROM catalogue").fetchone() == (3,)


def test_a_template_is_named_by_what_decides_its_content():
    assert dbtemplate.fingerprint("sqlite") == dbtemplate.fingerprint("sqlite")
    assert dbtemplate.fingerprint("sqlite") != dbtemplate.fingerprint("postgresql")
