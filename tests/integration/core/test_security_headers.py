"""Security and caching headers: a CSP without inline script, no framing, no sniffing, a referrer policy,
`no-store` on everything personal (pages, API answers, exports), and year-long caching plus compression
for static files whose URL carries their content hash."""

from __future__ import annotations

import re
from collections.abc import Mapping

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, login, make_account, make_person


def _assert_hardened(headers: Mapping[str, str]) -> None:
    h = {name.lower(): value for name, value in headers.items()}
    policy = h["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert h["x-frame-options"] == "DENY"
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "same-origin"


def test_pages_api_answers_exports_and_errors_are_hardened_and_not_stored(
    client: TestClient, db: Session
) -> None:
    admin = make_account(db, make_person(db), ld_admin=True)
    for response in (
        client.get("/api/v1/me", headers=bearer(db, admin)),
        client.get("/api/v1/compliance/export.csv", headers=bearer(db, admin)),
        client.get("/api/v1/nothing-here", headers=bearer(db, admin)),
        client.get("/login"),
    ):
        _assert_hardened(response.headers)
        assert response.headers["cache-control"] == "no-store", response.url
    login(client, admin.email)
    for path in ("/", "/compliance/export.csv", "/people"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_hardened(response.headers)
        assert response.headers["cache-control"] == "no-store", path


def test_versioned_static_assets_are_cached_for_a_year_and_compressed(client: TestClient) -> None:
    page = client.get("/login").text
    urls = re.findall(r'(?:href|src)="(/static/[^"]+\?v=[0-9a-f]{12})"', page)
    assert {u.split("?")[0] for u in urls} >= {
        "/static/app.css",
        "/static/app.js",
        "/static/vendor/htmx.min.js",
    }
    for url in urls:
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        if "/vendor/" in url:  # the large ones (a file under 512 bytes goes as it is)
            assert response.headers["content-encoding"] == "gzip", url
        _assert_hardened(response.headers)
    plain = client.get("/static/app.css")
    assert plain.headers["cache-control"] == "no-cache" and plain.headers.get("etag")
