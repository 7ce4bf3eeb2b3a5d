"""Readers are never refused because a writer is busy, and a writer that cannot have its lock in time is
told 503 with Retry-After (never 500, never an endless wait). Another connection holds the lock the way a
long batch would: SQLite's write lock, or on PostgreSQL a table lock that lets reads through."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.models import ApiToken
from learnbridge.core.db import make_engine
from tests.factories import bearer, csrf_from, login, lrs_basic, make_account, make_person
from tests.helpers.databases import committing
from tests.helpers.servers import app_for, serve


@dataclass
class Live:
    url: str
    base_url: str
    learner: dict[str, str]
    admin: dict[str, str]
    admin_email: str
    lrs: str


@pytest.fixture
def live(committed_url: str, tmp_path: Path) -> Iterator[Live]:
    with committing(committed_url) as db:
        learner = bearer(db, make_account(db, make_person(db)))
        admin_account = make_account(db, make_person(db), ld_admin=True)
        admin = bearer(db, admin_account)
        lrs = lrs_basic(db, name="Busy")
        email = admin_account.email
    with serve(app_for(committed_url, tmp_path, db_lock_timeout_seconds=1)) as base_url:
        yield Live(committed_url, base_url, learner, admin, email, lrs)


@contextmanager
def writer_holding_the_lock(url: str, table: str) -> Iterator[None]:
    """A transaction that holds what a writer needs until the block ends."""
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    with psycopg.connect(url) as pg:
        # SHARE ROW EXCLUSIVE: every reader passes, every INSERT/UPDATE waits.
        pg.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        yield
        pg.rollback()


def _last_used(url: str) -> list[dt.datetime | None]:
    engine = make_engine(url)
    with Session(engine) as db:
        used = list(db.scalars(select(ApiToken.last_used_at).order_by(ApiToken.id)))
    engine.dispose()
    return used


def test_an_api_read_is_answered_at_once_while_a_writer_holds_the_lock(live: Live) -> None:
    with writer_holding_the_lock(live.url, "api_tokens"):
        started = time.monotonic()
        response = httpx.get(f"{live.base_url}/api/v1/me", headers=live.learner, timeout=30)
        took = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert took < 0.9, f"the read waited {took:.2f} s for the writer"
    # The stamp of the token's use gave way; it is recorded by the next request once the lock is free.
    assert _last_used(live.url) == [None, None]
    assert httpx.get(f"{live.base_url}/api/v1/me", headers=live.learner).status_code == 200
    assert _last_used(live.url)[0] is not None


def test_a_writer_that_cannot_have_the_lock_in_time_gets_503_with_retry_after(live: Live) -> None:
    item = {"title": "Busy day", "kind": "course", "format": "classroom", "summary": "x"}
    with writer_holding_the_lock(live.url, "learning_items"):
        api = httpx.post(f"{live.base_url}/api/v1/catalog/items", json=item, headers=live.admin, timeout=30)
    assert api.status_code == 503, api.text
    assert api.headers["retry-after"] == "5"
    assert api.headers["content-type"] == "application/problem+json"
    assert "try again" in api.json()["detail"]


def test_a_busy_form_and_a_busy_lrs_say_503_too(live: Live) -> None:
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": "mailto:busy@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "https://lb.example/activities/busy"},
    }
    lrs_headers = {"Authorization": live.lrs, "X-Experience-API-Version": "1.0.3"}
    with httpx.Client(base_url=live.base_url, timeout=30) as browser:
        login(browser, live.admin_email)  # type: ignore[arg-type]
        token = csrf_from(browser.get("/admin/catalog/new").text)
        form = {
            "csrf_token": token,
            "title": "Busy",
            "kind": "course",
            "format": "classroom",
            "summary": "x",
            "objectives": "Wait your turn",
            "provider": "in_house",
            "cost": "0",
            "currency": "EUR",
        }
        with writer_holding_the_lock(live.url, "learning_items"):
            page = browser.post("/admin/catalog/new", data=form)
        with writer_holding_the_lock(live.url, "xapi_statements"):
            lrs = httpx.post(f"{live.base_url}/xapi/statements", json=statement, headers=lrs_headers)
    assert page.status_code == 503 and page.headers["retry-after"] == "5"
    assert "try again in a few seconds" in page.text
    assert lrs.status_code == 503 and "try again" in lrs.json()["error"]
    assert lrs.headers["x-experience-api-version"] == "1.0.3"
