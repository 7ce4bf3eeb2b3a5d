"""Fresh databases for tests, on SQLite and on a real PostgreSQL.

Migrating costs a second or so, so each test process (each xdist worker) migrates one template per
backend, once, and every fresh database is a copy of it: a file copy on SQLite, CREATE DATABASE …
TEMPLATE on PostgreSQL. Templates are dropped when the process ends."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import psycopg
import pytest

from learnbridge.core.migrate import upgrade

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_ADMIN_URL = os.environ.get("LEARNBRIDGE_TEST_PG", "postgresql://127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]
_templates: dict[str, str] = {}


def unavailable(reason: str) -> None:
    """Skip loudly on a laptop; under CI=true a missing service is a failure."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(f"!!! SKIPPED: {reason} (CI would fail here) !!!")


def _pg_reachable() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}".strip()


def _pg_url(name: str) -> str:
    return f"{PG_ADMIN_URL.rpartition('/')[0]}/{name}"


def _create_pg(name: str, template: str | None = None) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def _template(backend: str) -> str:
    """This process's migrated template for a backend: a file path on SQLite, a database name on
    PostgreSQL."""
    if backend not in _templates:
        if backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="lb-template-"))
            path = folder / "template.db"
            upgrade(f"sqlite:///{path}")
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            _templates[backend] = str(path)
        else:
            name = f"lb_template_{uuid.uuid4().hex[:12]}"
            _create_pg(name)
            atexit.register(drop_database, name)
            upgrade(_pg_url(name))
            _templates[backend] = name
    return _templates[backend]


def create_database(backend: str, tmp: Path) -> tuple[str, object]:
    """A new, migrated database for one backend; returns its URL and a handle for drop_database."""
    if backend == "sqlite":
        path = tmp / f"test-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(_template(backend), path)
        return f"sqlite:///{path}", None
    if (problem := _pg_reachable()) is not None:
        unavailable(problem)
    name = f"lb_test_{uuid.uuid4().hex[:12]}"
    _create_pg(name, template=_template(backend))
    return _pg_url(name), name


def drop_database(handle: object) -> None:
    if handle is None:
        return
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{handle}" WITH (FORCE)')
