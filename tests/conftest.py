"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL.

Each backend gets a fresh database migrated with Alembic once per run; each test runs inside a
transaction that is rolled back at the end (services' commits release savepoints only)."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Cheap password hashing for every test and every CLI subprocess a test starts (settings read the
# environment); the app's default is Argon2id at RFC 9106's recommended cost.
os.environ.setdefault("LEARNBRIDGE_PASSWORD_TIME_COST", "1")
os.environ.setdefault("LEARNBRIDGE_PASSWORD_MEMORY_KIB", "8")
os.environ.setdefault("LEARNBRIDGE_PASSWORD_PARALLELISM", "1")

import psycopg
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from learnbridge.app import create_app
from learnbridge.core.db import make_engine
from learnbridge.core.deps import get_db
from learnbridge.core.migrate import upgrade
from learnbridge.core.settings import Settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_ADMIN_URL = os.environ.get("LEARNBRIDGE_TEST_PG", "postgresql://127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


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


def create_database(backend: str, tmp: Path) -> tuple[str, object]:
    """A new, migrated database for one backend; returns its URL and a handle for drop_database."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp / f'test-{uuid.uuid4().hex[:8]}.db'}"
        upgrade(url)
        return url, None
    if (problem := _pg_reachable()) is not None:
        unavailable(problem)
    name = f"lb_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    url = f"{base}/{name}"
    upgrade(url)
    return url, name


def drop_database(handle: object) -> None:
    if handle is None:
        return
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{handle}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def committed_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database of the test's own, for work that commits (races, the CLI, live servers)."""
    url, handle = create_database(request.param, tmp_path)
    try:
        yield url
    finally:
        drop_database(handle)


@contextmanager
def serve(app: FastAPI, *, timeout_keep_alive: int = 5) -> Iterator[str]:
    """The app on a real uvicorn server in a thread, on a free local port; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_keep_alive=timeout_keep_alive
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, handle = create_database(request.param, tmp_path_factory.mktemp(request.param))
    yield url
    drop_database(handle)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    # No job runner thread: tests run jobs themselves (run_pending), inside or outside the rollback.
    settings = Settings(
        database_url=database_url,
        secret_key="test-secret",
        var_dir=tmp_path_factory.mktemp("var"),
        jobs_in_process=False,
    )
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI, db: Session) -> Iterator[TestClient]:
    """A client whose requests use the test's session, so everything they write is rolled back. A
    request that failed in the database leaves the session unusable, as a request's own session would
    be closed then: it is rolled back (to the last commit) so the test can go on."""

    def test_db() -> Iterator[Session]:
        try:
            yield db
        except SQLAlchemyError:
            db.rollback()
            raise

    app.dependency_overrides[get_db] = test_db
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client
    app.dependency_overrides.clear()
