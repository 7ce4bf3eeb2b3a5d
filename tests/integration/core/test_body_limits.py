"""Bodies are bounded before they are read: a live server answers 413 to a body over its family's limit
and 401 to a large body without credentials before the client has sent a byte of it; the LRS refuses bad
credentials before reading, and bounds each batch (count) and statement (size)."""

from __future__ import annotations

import base64
import json
import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2 as httpx
import pytest

from tests.factories import bearer, csrf_from, login, lrs_basic, make_account, make_person
from tests.helpers.databases import BACKENDS, committing, create_database, drop_database
from tests.helpers.servers import app_for, serve

KB = 1024


@dataclass
class Live:
    base_url: str
    admin_token: dict[str, str]
    admin_email: str
    lrs: str


@pytest.fixture(scope="module", params=BACKENDS)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """One server per backend for the module: the tests only send what gets refused (or a small batch)."""
    tmp_path = tmp_path_factory.mktemp("limits")
    committed_url, handle = create_database(request.param, tmp_path)
    with committing(committed_url) as db:
        admin = make_account(db, make_person(db), ld_admin=True)
        token = bearer(db, admin)
        lrs = lrs_basic(db, name="Limits")
        email = admin.email
    app = app_for(
        committed_url,
        tmp_path,
        max_body_api=16 * KB,
        max_body_csv=128 * KB,
        max_body_form=16 * KB,
        max_body_xapi=256 * KB,
        xapi_max_batch=5,
        xapi_max_statement_bytes=4 * KB,
    )
    try:
        with serve(app) as base_url:
            yield Live(base_url, token, email, lrs)
    finally:
        drop_database(handle)


def _headers_only(base_url: str, method: str, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """Send a request's head only, never its body, and read the answer: it can come only from a server
    that decided without reading the body."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock.sendall((head + "\r\n").encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head_text, _, rest = data.partition(b"\r\n\r\n")
        status = int(head_text.split(b" ", 2)[1])
        # The answer's body may come in a segment of its own (under load it does): read all it declares.
        declared = re.search(rb"(?im)^content-length:\s*(\d+)", head_text)
        while declared and len(rest) < int(declared.group(1)):
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        return status, rest


def test_a_declared_body_over_the_limit_is_413_before_it_is_sent(live: Live) -> None:
    gigabyte = str(1024**3)
    for path, family_headers in [
        (
            "/api/v1/people/import",
            {"Authorization": live.admin_token["Authorization"], "Content-Type": "text/csv"},
        ),
        ("/api/v1/catalog/items", {"Authorization": live.admin_token["Authorization"]}),
        ("/xapi/statements", {"Authorization": live.lrs, "X-Experience-API-Version": "1.0.3"}),
    ]:
        status, body = _headers_only(
            live.base_url, "POST", path, {**family_headers, "Content-Length": gigabyte}
        )
        assert status == 413, (path, body)
        assert b"MB allowed here" in body or b"KB allowed here" in body


def test_a_large_anonymous_body_is_401_unread(live: Live) -> None:
    for path in ("/api/v1/people/import", "/admin/people/import", "/xapi/statements"):
        status, _ = _headers_only(live.base_url, "POST", path, {"Content-Length": str(100 * KB)})
        assert status == 401, path


def test_the_lrs_checks_credentials_before_reading_the_body(live: Live) -> None:
    wrong = "Basic " + base64.b64encode(b"nobody:wrong").decode()
    headers = {
        "Authorization": wrong,
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
    }
    status, body = _headers_only(
        live.base_url, "POST", "/xapi/statements", {**headers, "Content-Length": str(200 * KB)}
    )
    assert status == 401 and b"Basic credentials" in body


def test_a_streamed_body_is_cut_off_at_the_limit(live: Live) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(64):  # 64 x 4 KB = 256 KB, no Content-Length
            yield b"external_id,name\n" + b"x" * 4079 + b"\n"

    headers = {**live.admin_token, "Content-Type": "text/csv"}
    response = httpx.post(
        f"{live.base_url}/api/v1/people/import", content=chunks(), headers=headers, timeout=30
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert "128 KB" in response.json()["detail"]


def test_json_api_and_form_bodies_have_their_own_limits(live: Live) -> None:
    big = {"title": "x" * (20 * KB)}
    response = httpx.post(f"{live.base_url}/api/v1/catalog/items", json=big, headers=live.admin_token)
    assert response.status_code == 413 and "16 KB" in response.json()["detail"]
    with httpx.Client(base_url=live.base_url) as browser:
        login(browser, live.admin_email)  # type: ignore[arg-type]
        token = csrf_from(browser.get("/admin/catalog/new").text)
        response = browser.post("/admin/catalog/new", data={"csrf_token": token, "title": "x" * (20 * KB)})
        assert response.status_code == 413
        # Under the limit the same form is read and answered as usual.
        assert browser.post("/admin/catalog/new", data={"csrf_token": token, "title": ""}).status_code == 422


def _statement(extra: int = 0) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": "mailto:limits@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {
            "id": "https://lb.example/activities/limits",
            "definition": {"description": {"en": "y" * extra}},
        },
    }


def test_an_lrs_batch_is_bounded_in_count_and_statement_size(live: Live) -> None:
    headers = {"Authorization": live.lrs, "X-Experience-API-Version": "1.0.3"}
    url = f"{live.base_url}/xapi/statements"
    too_many = httpx.post(url, json=[_statement() for _ in range(6)], headers=headers)
    assert too_many.status_code == 400 and "at most 5 statements" in too_many.json()["error"]
    too_big = httpx.post(url, json=[_statement(), _statement(extra=5 * KB)], headers=headers)
    assert too_big.status_code == 413 and too_big.json()["error"].startswith("statement 1:")
    assert "4096 per statement" in too_big.json()["error"]
    fine = httpx.post(url, json=[_statement() for _ in range(5)], headers=headers)
    assert fine.status_code == 200 and len(json.loads(fine.text)) == 5
