"""The L&D admin page for LRS clients: create one (key and secret shown once, and they work against
/xapi), choose its xAPI version (listed with it), errors re-render naming the field, revoke stops the
credentials, and only ld_admins get in."""

from __future__ import annotations

import base64
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.lrs.clients import PACKAGE_SCOPES, create_client, list_clients
from tests.factories import csrf_from, login, make_account, make_person

PAGE = "/admin/lrs/clients"


def _admin(client: TestClient, db: Session) -> str:
    account = make_account(db, make_person(db), ld_admin=True)
    login(client, account.email)
    return csrf_from(client.get(PAGE).text)


def _basic(key: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}


def _probe(client: TestClient, headers: dict[str, str]) -> int:
    params = {"agent": '{"mbox": "mailto:a@example.com"}'}
    return client.get("/xapi/agents", params=params, headers=headers).status_code


def test_create_shows_the_secret_once_and_it_works_until_revoked(client: TestClient, db: Session) -> None:
    token = _admin(client, db)
    form = {"csrf_token": token, "name": "Forklift simulator", "scopes": ["all"]}
    created = client.post(PAGE, data=form)
    assert created.status_code == 201
    key = re.search(r'data-testid="client-key">([^<]+)<', created.text)
    secret = re.search(r'data-testid="client-secret">([^<]+)<', created.text)
    assert key and secret
    assert _probe(client, _basic(key.group(1), secret.group(1))) == 200
    listing = client.get(PAGE)
    assert "Forklift simulator" in listing.text and key.group(1) in listing.text
    assert secret.group(1) not in listing.text
    (made,) = [c for c in list_clients(db) if c.key == key.group(1)]
    revoked = client.post(f"{PAGE}/{made.id}/revoke", data={"csrf_token": token}, follow_redirects=False)
    assert revoked.status_code == 303 and "saved=revoked" in revoked.headers["location"]
    assert _probe(client, _basic(key.group(1), secret.group(1))) == 401
    after = client.get(revoked.headers["location"]).text
    assert "Revoked" in after and "Forklift simulator is revoked: its credentials no longer work." in after


def test_errors_name_the_field_and_keep_the_input(client: TestClient, db: Session) -> None:
    token = _admin(client, db)
    blank = client.post(PAGE, data={"csrf_token": token, "name": "  ", "scopes": ["all"]})
    assert blank.status_code == 422 and "Name: is required" in blank.text
    bad = client.post(PAGE, data={"csrf_token": token, "name": "Kiosk", "scopes": ["everything"]})
    assert bad.status_code == 422 and "Scopes: unknown scope" in bad.text and 'value="Kiosk"' in bad.text
    assert not [c for c in list_clients(db) if c.name == "Kiosk"]


def test_the_form_chooses_the_xapi_version_and_the_list_shows_it(client: TestClient, db: Session) -> None:
    token = _admin(client, db)
    form = client.get(PAGE).text
    assert '<label for="client-xapi-version">xAPI version</label>' in form
    assert re.search(r'<option value="1\.0\.3"\s+selected>', form)
    assert re.search(r'<option value="2\.0\.0"\s*>', form)
    client.post(PAGE, data={"csrf_token": token, "name": "Old bridge", "scopes": ["all"]})
    created = client.post(
        PAGE, data={"csrf_token": token, "name": "New sim", "scopes": ["all"], "xapi_version": "2.0.0"}
    )
    assert created.status_code == 201
    assert re.search(r'data-testid="client-xapi-version">2\.0\.0<', created.text)
    versions = {c.name: c.xapi_version for c in list_clients(db)}
    assert versions["New sim"] == "2.0.0" and versions["Old bridge"] == "1.0.3"
    rows = re.findall(r"<td>([^<]+)</td>\s*<td><code>[^<]+</code></td>\s*<td>[^<]*</td>\s*<td>([^<]+)</td>",
                      client.get(PAGE).text)  # fmt: skip
    assert ("New sim", "2.0.0") in rows and ("Old bridge", "1.0.3") in rows


def test_a_bad_xapi_version_re_renders_the_form_naming_the_field(client: TestClient, db: Session) -> None:
    token = _admin(client, db)
    data = {"csrf_token": token, "name": "Future tool", "scopes": ["all"], "xapi_version": "0.95"}
    bad = client.post(PAGE, data=data)
    assert bad.status_code == 422
    assert "xAPI version: must be one of 1.0.3, 2.0.0" in bad.text and 'value="Future tool"' in bad.text
    assert re.search(r'<select id="client-xapi-version"[^>]*aria-invalid="true"', bad.text)
    assert not [c for c in list_clients(db) if c.name == "Future tool"]


def test_scoped_client_and_missing_csrf(client: TestClient, db: Session) -> None:
    token = _admin(client, db)
    created = client.post(PAGE, data={"csrf_token": token, "name": "Reader", "scopes": ["state"]})
    (made,) = [c for c in list_clients(db) if c.name == "Reader"]
    assert made.scopes == ["state"] and created.status_code == 201
    assert client.post(PAGE, data={"name": "No token", "scopes": ["all"]}).status_code == 403


def test_only_ld_admins_see_the_page(client: TestClient, db: Session) -> None:
    learner = make_account(db, make_person(db))
    login(client, learner.email)
    assert client.get(PAGE).status_code == 403


def _ticked(page: str) -> set[str]:
    return set(re.findall(r'name="scopes" value="([^"]+)" checked', page))


def test_the_new_client_form_ticks_least_privilege_by_default(client: TestClient, db: Session) -> None:
    """A course player's scopes, no more: `all` (read everything, void anyone's) only when ticked."""
    token = _admin(client, db)
    page = client.get(PAGE).text
    assert _ticked(page) == {"statements/write", "statements/read/mine", "state", "profile"}
    assert 'name="scopes" value="all"' in page and "all" not in _ticked(page)
    assert set(PACKAGE_SCOPES) == _ticked(page)
    # A failed submission keeps what was ticked, not the defaults.
    bad = client.post(PAGE, data={"csrf_token": token, "name": "", "scopes": ["statements/read"]})
    assert bad.status_code == 422 and _ticked(bad.text) == {"statements/read"}
    # Unticking every box is refused, not quietly widened to the defaults.
    none = client.post(PAGE, data={"csrf_token": token, "name": "Empty"})
    assert none.status_code == 422 and "Scopes: choose at least one" in none.text
    assert not [c for c in list_clients(db) if c.name == "Empty"]
    defaults = client.post(
        PAGE, data={"csrf_token": token, "name": "Player", "scopes": sorted(PACKAGE_SCOPES)}
    )
    assert defaults.status_code == 201
    (made,) = [c for c in list_clients(db) if c.name == "Player"]
    assert set(made.scopes) == set(PACKAGE_SCOPES) and "all" not in made.scopes


def test_the_service_default_is_the_course_players_scopes(db: Session) -> None:
    made, _ = create_client(db, name="Player", home_page="https://learn.example.org")
    assert made.scopes == ["statements/write", "statements/read/mine", "state", "profile"]


def test_the_endpoint_shown_comes_from_the_configured_base_url_not_the_host(
    client: TestClient, db: Session
) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    # Set and put back by hand: pytest's monkeypatch deletes a Starlette State attribute on undo.
    configured = app.state.settings
    app.state.settings = configured.model_copy(update={"base_url": "https://learn.example.org/lb/"})
    try:
        _admin(client, db)
        page = client.get(PAGE, headers={"Host": "attacker.example"})
    finally:
        app.state.settings = configured
    assert page.status_code == 200
    assert "<code>https://learn.example.org/lb/xapi</code>" in page.text
    assert "attacker.example" not in page.text and "testserver" not in page.text
