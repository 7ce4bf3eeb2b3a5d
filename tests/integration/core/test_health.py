"""GET /healthz (core.health): the version while the database answers, 503 while it does not, asked at
most once a second however often the probes come, with the security headers every answer carries."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

from learnbridge import __version__
from learnbridge.core.db import make_engine
from learnbridge.core.health import HealthCheck


def test_the_probe_answers_with_the_version_and_the_security_headers(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok", "version": __version__}
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert client.head("/healthz").status_code == 200 and client.head("/healthz").content == b""
    assert client.post("/healthz").status_code in (404, 405)  # only probes are answered here


def _probe(engine_url: str) -> tuple[TestClient, list[str]]:
    engine = make_engine(engine_url)
    asked: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: asked.append(str(args[2])))
    app = FastAPI()
    app.add_middleware(HealthCheck, engine=engine, version="9.9", every=0.3)
    return TestClient(app), asked


def test_the_database_is_asked_at_most_once_in_each_interval(tmp_path: Path) -> None:
    client, asked = _probe(f"sqlite:///{tmp_path / 'h.db'}")
    for _ in range(20):
        assert client.get("/healthz").json() == {"status": "ok", "version": "9.9"}
    assert asked.count("SELECT 1") == 1
    time.sleep(0.35)
    client.get("/healthz")
    assert asked.count("SELECT 1") == 2


def test_a_database_that_does_not_answer_is_a_503(tmp_path: Path) -> None:
    garbage = tmp_path / "h.db"
    garbage.write_bytes(b"not a database file, " * 200)
    client, _ = _probe(f"sqlite:///{garbage}")
    answer = client.get("/healthz")
    assert answer.status_code == 503 and answer.json() == {"status": "the database does not answer"}
