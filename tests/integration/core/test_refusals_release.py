"""A refused request never blocks the database. Every form route (read from the app's route table, so a
new route is covered without touching this file) is sent requests that are refused with 403 and rejected
with 422, by a learner and by an admin over keep-alive connections to a live server; after each route
someone else must still sign in at once, and at the end no connection may sit idle in a transaction.

The error page's inbox badge once reopened the route's closed session: on SQLite that transaction began
IMMEDIATE and held the write lock, so every sign-in after one refused form failed with 500."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import psycopg
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from tests.factories import PASSWORD, csrf_from, login, make_account, make_person
from tests.helpers.databases import committing
from tests.helpers.forms import form_models
from tests.helpers.servers import app_for, serve


@dataclass
class FormRoute:
    path: str
    path_params: list[str]
    # Declares inputs that can be wrong: path ids, or form fields it requires.
    has_inputs: bool
    seen: set[int] = field(default_factory=set)

    def url(self, value: str) -> str:
        url = self.path
        for name in self.path_params:
            url = url.replace("{" + name + "}", value)
        return url


# Not browser forms: cmi5's fetch URL is called by an AU with its one-time token and answers every
# refusal with 200 and an error code (cmi5 8.2.3); it is tested in tests/integration/content/test_cmi5.py.
PROTOCOL = ("/api/", "/xapi", "/content/cmi5/fetch/")


def form_routes(app: FastAPI) -> list[FormRoute]:
    """Every browser form route (not the JSON API or the LRS); sign-out last, as it ends the session."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path or ""
        if not isinstance(route, APIRoute) or path.startswith(PROTOCOL):
            continue
        if not (context.methods or set()) - {"GET", "HEAD"}:
            continue
        params = [p.name for p in route.dependant.path_params]
        required = any(p.field_info.is_required() for p in route.dependant.body_params) or any(
            field.is_required()
            for model in form_models(route.dependant)
            for field in model.model_fields.values()
        )
        found.append(FormRoute(path, params, bool(params) or required))
    return sorted(found, key=lambda r: r.path == "/logout")


def _signed_in(base_url: str, email: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base_url, timeout=60)
    login(client, email)  # type: ignore[arg-type]
    return client, csrf_from(client.get("/inbox").text)


@pytest.fixture
def live(committed_url: str, tmp_path: Path) -> Iterator[tuple[str, FastAPI, dict[str, str]]]:
    with committing(committed_url) as db:
        manager = make_person(db)
        emails = {
            "learner": make_account(db, make_person(db, manager_id=manager.id)).email,
            "manager": make_account(db, manager).email,
            "admin": make_account(db, make_person(db), ld_admin=True).email,
            "probe": make_account(db, make_person(db)).email,
        }
    app = app_for(committed_url, tmp_path)
    with serve(app, timeout_keep_alive=300) as base_url:
        yield base_url, app, emails


def _sign_in_works(base_url: str, email: str) -> float:
    started = time.monotonic()
    with httpx.Client(base_url=base_url, timeout=60) as probe:
        page = probe.get("/login")
        response = probe.post(
            "/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_from(page.text)}
        )
    assert response.status_code == 303, response.text[:300]
    return time.monotonic() - started


def _no_transaction_left_open(url: str) -> None:
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=1, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # fails after 1 s if anyone holds the write lock
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        return
    with psycopg.connect(url) as pg:
        stuck = pg.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
        ).fetchone()
    assert stuck is not None and stuck[0] == 0, (
        f"{stuck[0] if stuck else '?'} connections idle in transaction"
    )


def test_refused_and_rejected_form_posts_leave_no_transaction_open(
    live: tuple[str, FastAPI, dict[str, str]], committed_url: str
) -> None:
    base_url, app, emails = live
    routes = form_routes(app)
    assert len(routes) > 40, "the route table was not read"
    clients = [_signed_in(base_url, emails[role]) for role in ("learner", "manager", "admin")]
    slow: list[str] = []
    for route in routes:
        attempts: list[tuple[httpx.Client, str, dict[str, str]]] = [
            (clients[0][0], route.url("1"), {})
        ]  # no CSRF token: 403 on every form
        for client, csrf in clients:
            attempts += [
                (client, route.url("not-a-number"), {"csrf_token": csrf}),  # a bad id: 422 (or 403)
                (client, route.url("987654321"), {"csrf_token": csrf}),  # an empty form: 422, 404 or 403
            ]
        for client, url, data in attempts:
            response = client.post(url, data=data, follow_redirects=False)
            assert response.status_code < 500, f"{url}: {response.status_code} {response.text[:300]}"
            route.seen.add(response.status_code)
        if (took := _sign_in_works(base_url, emails["probe"])) > 3:
            slow.append(f"{route.path}: {took:.1f} s")
    assert not slow, f"sign-in waited after refused posts to: {slow}"
    _no_transaction_left_open(committed_url)
    assert [(r.path, r.seen) for r in routes if 403 not in r.seen] == []
    assert [r.path for r in routes if r.has_inputs and 422 not in r.seen] == []
