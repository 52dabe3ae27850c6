"""Migrate the test database once, copy it to every test process that needs one.

Creating a test database runs every migration (about 120, data migrations that seed the catalogues
included); Django spends most of that time re-rendering model states, about a minute of CPU per
process. ``make test`` used to pay it in each of the two SQLite workers, each of the two PostgreSQL
workers and the browser stage. Here the first process migrates as usual and keeps a copy (a *template*);
the others restore the copy and then run ``migrate`` themselves, which finds nothing left to apply and
only sends ``post_migrate`` as always. The database a test sees is therefore the one the migrations
build, not a schema made from the models (``--nomigrations``), and the seeded catalogues are there.

Where templates are kept:

* ``JINGXIANG_TEST_DB_TEMPLATES=<dir>`` (``make test`` sets it, emptied at the start of each run): SQLite
  templates are files there, shared by the SQLite suite and the browser stage.
* otherwise, under pytest-xdist, the run's shared temporary directory (one run's workers only);
* a single process without the variable migrates as before and keeps nothing.

A template is named by a fingerprint of everything that decides its content — the source tree outside
tests, the migration files of every installed app, Django's version, the database engine and the
settings profile — so a changed migration or seed file is never served from an old copy. On PostgreSQL
the template is a database (``CREATE DATABASE … TEMPLATE``) kept for one pytest run and dropped by the
xdist controller when the run ends.
"""

from __future__ import annotations

import abc
import contextlib
import fcntl
import hashlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ENV_DIR = "JINGXIANG_TEST_DB_TEMPLATES"
_SKIPPED_DIRS = {"tests", "__pycache__", "static", "locale", "templates"}


def fingerprint(vendor: str) -> str:
    """A digest of what decides the migrated database's content."""
    import django
    from django.apps import apps
    from django.conf import settings

    digest = hashlib.sha256()
    digest.update(f"{django.__version__}|{vendor}|{settings.ENVIRONMENT}".encode())
    source = Path(__file__).resolve().parent.parent  # src/jingxiang
    paths: set[Path] = set()
    for root, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        paths.update(Path(root) / name for name in files if not name.endswith(".pyc"))
    for app in apps.get_app_configs():
        migrations = Path(app.path) / "migrations"
        if migrations.is_dir():
            paths.update(p for p in migrations.rglob("*.py"))
    for path in sorted(paths):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Store(abc.ABC):
    """How one database engine keeps and restores a template (SQLite file, PostgreSQL template database)."""

    def __init__(self, connection: Any, directory: Path, key: str, run_id: str) -> None:
        self.connection = connection
        self.directory = directory
        self.key = key
        self.run_id = run_id

    @abc.abstractmethod
    def exists(self) -> bool: ...

    @abc.abstractmethod
    def save(self) -> None: ...

    @abc.abstractmethod
    def restore(self) -> None: ...

    def release(self) -> None:  # noqa: B027 - a hook: most stores keep their template, nothing to do
        """This process is done with the template (kept unless it lives for one run only)."""


class _SqliteStore(_Store):
    @property
    def path(self) -> Path:
        return self.directory / f"{self.key}.sqlite3"

    def exists(self) -> bool:
        return self.path.is_file()

    def save(self) -> None:
        self.connection.ensure_connection()
        partial = self.path.with_suffix(f".{os.getpid()}.partial")
        target = sqlite3.connect(partial)
        try:
            self.connection.connection.backup(target)
        finally:
            target.close()
        os.replace(partial, self.path)

    def restore(self) -> None:
        self.connection.ensure_connection()
        source = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            source.backup(self.connection.connection)
        finally:
            source.close()


class _PostgresStore(_Store):
    @property
    def name(self) -> str:
        return f"jxtpl_{self.key[:12]}_{self.run_id[:12]}"

    def _admin(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        self.connection.close()  # CREATE … TEMPLATE needs the source database without sessions
        with self.connection.creation._nodb_cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description else []

    def exists(self) -> bool:
        return bool(self._admin("SELECT 1 FROM pg_database WHERE datname = %s", (self.name,)))

    def save(self) -> None:
        quote = self.connection.ops.quote_name
        own = quote(self.connection.settings_dict["NAME"])
        self._admin(f"CREATE DATABASE {quote(self.name)} TEMPLATE {own}")

    def restore(self) -> None:
        quote = self.connection.ops.quote_name
        own = quote(self.connection.settings_dict["NAME"])
        self._admin(f"DROP DATABASE IF EXISTS {own}")
        self._admin(f"CREATE DATABASE {own} TEMPLATE {quote(self.name)}")

    # The template lives for one run: each process that used it counts itself in, the last one out drops it.
    @property
    def _users(self) -> Path:
        return self.directory / f"{self.name}.users"

    def count_in(self) -> None:
        with _locked(self.directory / f"{self.name}.users.lock"):
            users = int(self._users.read_text()) if self._users.is_file() else 0
            self._users.write_text(str(users + 1))

    def release(self) -> None:
        with _locked(self.directory / f"{self.name}.users.lock"):
            users = (int(self._users.read_text()) if self._users.is_file() else 1) - 1
            self._users.write_text(str(users))
            if users <= 0:
                self._admin(f"DROP DATABASE IF EXISTS {self.connection.ops.quote_name(self.name)}")


def _store_for(connection: Any, directory: Path, run_id: str) -> _Store | None:
    vendor = connection.vendor
    if vendor == "sqlite":
        if not connection.creation.is_in_memory_db(connection.creation._get_test_db_name()):
            return None  # a file-based test database (TEST NAME set): leave it to Django
        return _SqliteStore(connection, directory, fingerprint(vendor), run_id)
    if vendor == "postgresql" and run_id:
        return _PostgresStore(connection, directory, fingerprint(vendor), run_id)
    return None


_stores_cache: dict[tuple[str, str], _Store] = {}


def _stores(directory: Path | None, run_id: str, aliases: set[str]) -> dict[str, _Store]:
    from django.db import connections

    if directory is None:
        return {}
    stores = {}
    for alias in sorted(aliases):
        if (alias, run_id) not in _stores_cache:
            store = _store_for(connections[alias], directory, run_id)
            if store is None:
                continue
            _stores_cache[(alias, run_id)] = store
        stores[alias] = _stores_cache[(alias, run_id)]
    return stores


def release_templates(directory: Path | None, run_id: str, aliases: set[str]) -> None:
    """Called when this process's test databases are gone."""
    for store in _stores(directory, run_id, aliases).values():
        store.release()


def setup_databases_from_template(directory: Path | None, run_id: str, setup: Any, aliases: set[str]) -> Any:
    """Run ``setup()`` (Django's ``setup_databases``) creating each database from a template.

    ``directory`` None means no template may be kept (plain behaviour). ``run_id`` is the xdist run's id
    ('' without xdist); PostgreSQL templates only live for one run, so they need one.
    """
    from django.core import management
    from django.db import connections

    stores = _stores(directory, run_id, aliases)
    if directory is None or not stores:
        return setup()
    for store in stores.values():
        if isinstance(store, _PostgresStore):
            store.count_in()

    lock = directory / f"{'-'.join(sorted(s.key for s in stores.values()))}.lock"
    real_call_command = management.call_command

    def call_command(name: str, *args: Any, **options: Any) -> Any:
        if name == "migrate":
            store = stores.get(options.get("database", "default"))
            if store is not None and store.exists():
                store.restore()  # then migrate finds every migration applied and only signals
        return real_call_command(name, *args, **options)

    def run_setup() -> Any:
        management.call_command = call_command
        try:
            return setup()
        finally:
            management.call_command = real_call_command

    with _locked(lock):
        # The first process migrates and saves while holding the lock; the others wait for its copy.
        missing = [alias for alias, store in stores.items() if not store.exists()]
        if missing:
            result = run_setup()
            for alias in missing:
                stores[alias].save()
                connections[alias].ensure_connection()
            return result
    return run_setup()
