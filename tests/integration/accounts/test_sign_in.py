"""Signing in and out in the browser flow, CSRF and API tokens (throttling: test_sign_in_throttle.py)."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher, extract_parameters
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.models import Account, ApiToken, LoginSession
from learnbridge.accounts.service import (
    account_for_token,
    create_token,
    hash_secret,
    mark_token_used,
    revoke_token,
)
from learnbridge.core.db import utcnow
from tests.factories import PASSWORD, bearer, csrf_from, login, make_account, make_person


def test_passwords_are_stored_as_argon2_hashes(db: Session) -> None:
    account = make_account(db)
    assert account.password_hash is not None
    assert account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash


def test_signing_in_upgrades_a_hash_made_at_another_cost(client: TestClient, db: Session) -> None:
    account = make_account(db, make_person(db))
    account.password_hash = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash(PASSWORD)
    db.flush()
    login(client, account.email)
    db.refresh(account)
    assert account.password_hash is not None
    assert extract_parameters(account.password_hash).time_cost == 1  # the tests' configured cost


def test_sign_in_sets_an_httponly_samesite_cookie_and_sign_out_ends_it(
    client: TestClient, db: Session
) -> None:
    account = make_account(db, make_person(db))
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": account.email.upper(), "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    home = client.get("/")
    assert home.status_code == 200 and account.email in home.text
    client.post("/logout", data={"csrf_token": csrf_from(home.text)})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_form_without_the_csrf_token_is_refused(client: TestClient, db: Session) -> None:
    account = make_account(db)
    client.get("/login")
    response = client.post("/login", data={"email": account.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "reload the page" in response.text


def test_a_wrong_password_is_refused(client: TestClient, db: Session) -> None:
    account = make_account(db)
    token = csrf_from(client.get("/login").text)
    wrong = client.post("/login", data={"email": account.email, "password": "nope", "csrf_token": token})
    assert wrong.status_code == 400
    assert "do not match" in wrong.text


def test_unknown_address_gives_the_same_answer_as_a_wrong_password(client: TestClient) -> None:
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": "who@x.org", "password": "nope", "csrf_token": token})
    assert response.status_code == 400
    assert "do not match" in response.text


def test_next_never_redirects_off_site(client: TestClient, db: Session) -> None:
    account = make_account(db)
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": account.email, "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_tokens_are_stored_hashed_and_can_be_revoked(db: Session) -> None:
    account = make_account(db)
    token = create_token(db, email=account.email, name="HR feed")
    stored = db.scalars(select(ApiToken).where(ApiToken.account_id == account.id)).one()
    assert stored.token_hash == hash_secret(token) and token not in stored.token_hash
    assert account_for_token(db, token=token) == account
    assert revoke_token(db, prefix=token[:10]) == 1
    assert account_for_token(db, token=token) is None


def test_api_needs_a_valid_bearer_token(client: TestClient, db: Session) -> None:
    account = make_account(db, make_person(db, name="Ada Lovelace"))
    missing = client.get("/api/v1/me")
    assert missing.status_code == 401
    assert missing.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer lb_nope"}).status_code == 401
    me = client.get("/api/v1/me", headers=bearer(db, account)).json()
    assert me["name"] == "Ada Lovelace" and me["roles"] == ["learner"]


def test_a_browser_session_may_read_the_api_but_writes_need_the_csrf_header(
    client: TestClient, db: Session
) -> None:
    account = make_account(db, make_person(db), ld_admin=True)
    login(client, account.email)
    assert client.get("/api/v1/me").status_code == 200
    body = {"title": "Cookie written", "objectives": ["Do it"]}
    assert client.post("/api/v1/catalog/items", json=body).status_code == 403
    token = csrf_from(client.get("/").text)
    assert client.post("/api/v1/catalog/items", json=body, headers={"X-CSRF-Token": token}).status_code == 201


def test_inactive_accounts_cannot_sign_in(client: TestClient, db: Session) -> None:
    account = make_account(db)
    db.get(Account, account.id).active = False  # type: ignore[union-attr]
    db.flush()
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": account.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 400


def test_a_signed_out_cookie_no_longer_works(client: TestClient, db: Session) -> None:
    account = make_account(db, make_person(db))
    login(client, account.email)
    old_cookie = client.cookies.get("learnbridge_session")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    client.cookies.set("learnbridge_session", old_cookie or "")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_expired_sessions_and_inactive_accounts_are_signed_out(client: TestClient, db: Session) -> None:
    account = make_account(db, make_person(db))
    headers = bearer(db, account)
    login(client, account.email)
    assert client.get("/").status_code == 200
    for session in db.scalars(select(LoginSession).where(LoginSession.account_id == account.id)):
        session.expires_at = utcnow() - dt.timedelta(minutes=1)
    db.flush()
    assert client.get("/", follow_redirects=False).status_code == 303
    account.active = False
    db.flush()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_token_use_is_recorded_at_most_every_few_minutes(db: Session) -> None:
    account = make_account(db)
    token = create_token(db, email=account.email)
    assert mark_token_used(db, token=token) is True
    assert mark_token_used(db, token=token) is False
    assert mark_token_used(db, token=token, every=dt.timedelta(0)) is True
