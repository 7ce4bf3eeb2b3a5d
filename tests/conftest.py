"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL.

Each backend gets a fresh database migrated with Alembic once per run; each test runs inside a
transaction that is rolled back at the end (services' commits release savepoints only)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Cheap password hashing for every test and every CLI subprocess a test starts (settings read the
# environment); the app's default is Argon2id at RFC 9106's recommended cost.
os.environ.setdefault("LEARNBRIDGE_PASSWORD_TIME_COST", "1")
os.environ.setdefault("LEARNBRIDGE_PASSWORD_MEMORY_KIB", "8")
os.environ.setdefault("LEARNBRIDGE_PASSWORD_PARALLELISM", "1")
# Each test app's start would freeze the objects of the tests before it (tests/unit/core/test_gc.py checks
# that a started app freezes its own).
os.environ.setdefault("LEARNBRIDGE_GC_FREEZE", "false")

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from learnbridge.app import create_app
from learnbridge.core.db import make_engine
from learnbridge.core.deps import get_db
from learnbridge.core.settings import Settings
from tests.helpers.databases import BACKENDS, create_database, drop_database

# Property tests check what is true, not how fast: no per-example deadline, which a busy two-core CI
# machine running the suite in parallel would miss now and then (speed is measured in bench/).
hypothesis_settings.register_profile("learnbridge", deadline=None)
hypothesis_settings.load_profile("learnbridge")


@pytest.fixture(params=BACKENDS)
def committed_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database of the test's own, for work that commits (races, the CLI, live servers)."""
    url, handle = create_database(request.param, tmp_path)
    try:
        yield url
    finally:
        drop_database(handle)


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
