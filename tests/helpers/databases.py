"""Fresh databases for tests, on SQLite and on a real PostgreSQL.

Migrating costs a second or so and loading the demo organisation several, so each test process (each
xdist worker) builds one template per backend and content (the bare schema; the demo), once, and every
fresh database is a copy of it: a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL.
Templates are dropped when the process ends."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.orm import Session

from learnbridge.content.storage import ContentStore
from learnbridge.core.db import make_engine
from learnbridge.core.migrate import upgrade
from learnbridge.demo.loader import load_demo

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_ADMIN_URL = os.environ.get("LEARNBRIDGE_TEST_PG", "postgresql://127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]
_templates: dict[tuple[str, bool], str] = {}
_demo_content: dict[str, Path] = {}


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
        copy = f' TEMPLATE "{template}"' if template else ""
        if template and conn.info.server_version >= 150000:
            # Copy the template's files rather than write every page to the WAL (PostgreSQL 15's default):
            # about 0.06 s instead of 0.5 s for the migrated schema.
            copy += " STRATEGY FILE_COPY"
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
        # A test database need not survive a crash of the server: commits return before the WAL is
        # flushed (what is committed stays visible and consistent; only durability is given up).
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')


def _template(backend: str, *, demo: bool) -> str:
    """This process's template for a backend, with or without the demo: a file path on SQLite, a
    database name on PostgreSQL."""
    key = (backend, demo)
    if key not in _templates:
        if demo:
            url, handle = create_database(backend, Path(tempfile.mkdtemp(prefix="lb-demo-")))
            engine = make_engine(url)
            with Session(engine) as db:
                load_demo(db, content_store=ContentStore(demo_content_dir(backend)))
                db.commit()
            engine.dispose()
            _templates[key] = url.removeprefix("sqlite:///") if handle is None else str(handle)
            if handle is not None:
                atexit.register(drop_database, handle)
        elif backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="lb-template-"))
            path = folder / "template.db"
            upgrade(f"sqlite:///{path}")
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            _templates[key] = str(path)
        else:
            name = f"lb_template_{uuid.uuid4().hex[:12]}"
            _create_pg(name)
            atexit.register(drop_database, name)
            upgrade(_pg_url(name))
            _templates[key] = name
    return _templates[key]


def demo_content_dir(backend: str) -> Path:
    """The content store of this process's demo template for a backend: a server on a copy of the demo
    database serves its content from here (the demo's packages, video and documents)."""
    if backend not in _demo_content:
        _demo_content[backend] = Path(tempfile.mkdtemp(prefix=f"lb-demo-content-{backend}-"))
        atexit.register(shutil.rmtree, _demo_content[backend], ignore_errors=True)
    return _demo_content[backend]


def create_database(backend: str, tmp: Path, *, demo: bool = False) -> tuple[str, object]:
    """A new, migrated database for one backend (holding the demo organisation when `demo`); returns
    its URL and a handle for drop_database."""
    if backend == "sqlite":
        path = tmp / f"test-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(_template(backend, demo=demo), path)
        return f"sqlite:///{path}", None
    if (problem := _pg_reachable()) is not None:
        unavailable(problem)
    name = f"lb_test_{uuid.uuid4().hex[:12]}"
    _create_pg(name, template=_template(backend, demo=demo))
    return _pg_url(name), name


def drop_database(handle: object) -> None:
    if handle is None:
        return
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{handle}" WITH (FORCE)')


@contextmanager
def committing(url: str) -> Iterator[Session]:
    """A session on a test database whose work is committed at the end (setting up for a live server)."""
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            yield db
            db.commit()
    finally:
        engine.dispose()
