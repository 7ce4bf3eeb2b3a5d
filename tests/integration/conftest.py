"""Fixtures the integration tests of several areas share (the database ones are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.helpers.jobs import job_sessions
from tests.helpers.mail import Inbox, smtp_server


@pytest.fixture
def sessions(db: Session) -> sessionmaker[Session]:
    """Sessions for run_pending on the test's connection (savepoints inside the test's rollback)."""
    return job_sessions(db)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on a free port, and what it received."""
    with smtp_server() as server:
        yield server
