"""Sign-in throttling that a guesser cannot turn against the account's owner or their neighbours.

Limits are exercised with the default settings (the README's numbers); bulk failures are written as
rows (each real wrong password costs an argon2 hash), the steps that matter go through the service or
the login form, and a fake clock (`now=`) stands in for waiting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.accounts.devices import COOKIE
from learnbridge.accounts.models import Account, LoginAttempt
from learnbridge.accounts.service import authenticate
from learnbridge.accounts.throttle import NOTICE, KnownDevice
from learnbridge.core.db import utcnow
from learnbridge.core.errors import TooManyRequests
from learnbridge.core.jobs import Job, JobStatus, run_pending
from learnbridge.core.settings import Settings
from learnbridge.jobs import job_handlers
from learnbridge.notify.models import InboxMessage, OutboxMail
from tests.factories import PASSWORD, csrf_from, make_account, make_person
from tests.helpers.jobs import job_sessions

NOW = dt.datetime(2026, 3, 2, 10, 5, tzinfo=dt.UTC)
OWNER = "192.0.2.10"


def seed(db: Session, *, email: str, clients: list[str], at: dt.datetime) -> None:
    """Failed sign-ins already recorded: one per client, all at `at`."""
    db.add_all(LoginAttempt(email=email, client=c, at=at) for c in clients)
    db.flush()


def attackers(count: int, prefix: str = "203.0.113") -> list[str]:
    """`count` different addresses."""
    assert count <= 256
    return [f"{prefix}.{n}" for n in range(count)]


def refused(db: Session, **kwargs: Any) -> int:
    """The Retry-After of a refused sign-in (fails the test when it is not refused)."""
    with pytest.raises(TooManyRequests) as caught:
        authenticate(db, **kwargs)
    assert caught.value.retry_after is not None and "Try again in" in caught.value.message
    return int(caught.value.retry_after)


def post_login(client: TestClient, email: str, password: str = PASSWORD, **headers: str) -> int:
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )
    return response.status_code


@pytest.fixture
def from_address(app: FastAPI, client: TestClient) -> Iterator[Callable[[str], TestClient]]:
    """Test clients connecting from given addresses (same app, same rolled-back session)."""
    opened: list[TestClient] = []

    def open_client(address: str) -> TestClient:
        opened.append(TestClient(app, base_url="http://testserver", client=(address, 50000)))
        return opened[-1]

    yield open_client
    for test_client in opened:
        test_client.close()


# (a) the owner is never held up by failures from elsewhere


def test_the_owner_signs_in_from_their_own_address_after_50_failures_from_others(
    client: TestClient, db: Session
) -> None:
    owner = make_account(db)
    seed(db, email=owner.email, clients=attackers(10) * 5, at=utcnow() - dt.timedelta(seconds=5))
    assert post_login(client, owner.email) == 303


def test_an_attackers_pair_waits_growing_delays_and_the_page_says_retry_after(
    client: TestClient, db: Session
) -> None:
    account = make_account(db)
    seed(db, email=account.email, clients=[OWNER] * 5, at=NOW)
    guess: dict[str, Any] = {"email": account.email, "password": "wrong", "client": OWNER}
    assert refused(db, **guess, now=NOW) == 1
    waits: list[int] = []
    at = NOW
    for _ in range(3):
        at += dt.timedelta(seconds=waits[-1] if waits else 1)
        assert authenticate(db, **guess, now=at) is None  # allowed through, and wrong
        waits.append(refused(db, **guess, now=at))
    assert waits == [2, 4, 8]
    # The right password from the waiting pair waits too (a guesser must not learn it was right).
    assert refused(db, **{**guess, "password": PASSWORD}, now=at + dt.timedelta(seconds=7)) == 1
    # However many failures, the wait is capped at 15 minutes.
    seed(db, email=account.email, clients=[OWNER] * 30, at=at)
    assert refused(db, **guess, now=at) == 900
    # Over HTTP: 429 with Retry-After, from the client's own pair only.
    seed(db, email=account.email, clients=["testclient"] * 10, at=utcnow())
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": account.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 32
    assert "Try again in" in response.text


def test_a_success_forgives_the_pairs_failures(db: Session) -> None:
    account = make_account(db)
    seed(db, email=account.email, clients=[OWNER] * 8, at=NOW)
    later = NOW + dt.timedelta(minutes=1)
    assert authenticate(db, email=account.email, password=PASSWORD, client=OWNER, now=later) == account
    assert authenticate(db, email=account.email, password="typo", client=OWNER, now=later) is None
    assert authenticate(db, email=account.email, password=PASSWORD, client=OWNER, now=later) == account


# (b) guesses per account per hour are bounded, from any number of addresses


def test_an_account_takes_at_most_100_failures_an_hour_from_anywhere(db: Session) -> None:
    account = make_account(db)
    first = NOW - dt.timedelta(minutes=50)
    seed(db, email=account.email, clients=attackers(1), at=first)
    seed(db, email=account.email, clients=attackers(98, "198.51.100"), at=NOW - dt.timedelta(minutes=1))
    # The 100th failure in the hour is allowed; then every fresh address is refused until the first
    # of them is an hour old, right password or not.
    assert authenticate(db, email=account.email, password="guess", client="192.0.2.200", now=NOW) is None
    fresh = {"email": account.email, "client": "192.0.2.201", "now": NOW}
    assert refused(db, password="guess", **fresh) == 10 * 60
    assert refused(db, password=PASSWORD, **fresh) == 10 * 60
    after = NOW + dt.timedelta(minutes=10)
    assert authenticate(db, email=account.email, password="guess", client="192.0.2.202", now=after) is None
    assert refused(db, email=account.email, password="guess", client="192.0.2.203", now=after) > 0


def test_a_browser_that_signed_in_before_is_exempt_from_the_account_cap(
    client: TestClient, db: Session
) -> None:
    owner = make_account(db)
    assert post_login(client, owner.email) == 303
    assert client.cookies.get(COOKIE)
    seed(db, email=owner.email, clients=attackers(150), at=utcnow() - dt.timedelta(minutes=1))
    client.cookies.delete("learnbridge_session")
    assert post_login(client, owner.email) == 303
    # The same browser with the cookie removed is just another address over the cap.
    client.cookies.delete("learnbridge_session")
    client.cookies.delete(COOKIE)
    assert post_login(client, owner.email) == 429


def test_a_device_cookie_counts_only_for_the_account_it_names(db: Session) -> None:
    owner, other = make_account(db), make_account(db)
    seed(db, email=owner.email, clients=attackers(100), at=NOW)
    seed(db, email=other.email, clients=attackers(100), at=NOW)
    device = KnownDevice(account_id=owner.id, device_id="d1")
    signed_in = authenticate(
        db, email=owner.email, password=PASSWORD, client="192.0.2.7", device=device, now=NOW
    )
    assert signed_in == owner
    refused(db, email=other.email, password=PASSWORD, client="192.0.2.7", device=device, now=NOW)


# (c) one noisy address does not lock out everyone behind it


def test_failures_on_one_account_do_not_block_another_user_behind_the_same_address(
    client: TestClient, db: Session
) -> None:
    noisy, neighbour = make_account(db), make_account(db)
    seed(db, email=noisy.email, clients=["testclient"] * 40, at=utcnow() - dt.timedelta(seconds=5))
    assert post_login(client, noisy.email) == 429  # the noisy pair waits
    assert post_login(client, neighbour.email) == 303


def test_password_spraying_from_one_address_is_capped_at_100_an_hour(client: TestClient, db: Session) -> None:
    regular, newcomer = make_account(db), make_account(db)
    assert post_login(client, regular.email) == 303
    client.cookies.delete("learnbridge_session")
    sprayed = [f"user{n}@example.org" for n in range(100)]
    at = utcnow() - dt.timedelta(minutes=1)
    db.add_all(LoginAttempt(email=email, client="testclient", at=at) for email in sprayed)
    db.flush()
    # Someone who has signed in from this browser before goes on; a browser new to its account waits.
    assert post_login(client, regular.email) == 303
    client.cookies.delete("learnbridge_session")
    assert post_login(client, newcomer.email) == 429


# Client addresses: X-Forwarded-For only from a trusted proxy


def test_x_forwarded_for_is_ignored_from_an_untrusted_peer(client: TestClient, db: Session) -> None:
    account = make_account(db)
    assert post_login(client, account.email, "wrong", **{"X-Forwarded-For": "198.51.100.1"}) == 400
    recorded = db.scalars(select(LoginAttempt.client).where(LoginAttempt.email == account.email)).all()
    assert recorded == ["testclient"]


@pytest.fixture
def trusting_proxies(app: FastAPI) -> Iterator[None]:
    """The app's settings with 10.0.0.0/8 trusted, restored afterwards. (Not monkeypatch: Starlette's
    State keeps attributes outside __dict__, and pytest's undo would then delete the settings.)"""
    original = app.state.settings
    app.state.settings = original.model_copy(update={"trusted_proxies": "10.0.0.0/8"})
    try:
        yield
    finally:
        app.state.settings = original


@pytest.mark.usefixtures("trusting_proxies")
def test_x_forwarded_for_is_honoured_from_a_trusted_proxy(
    db: Session, from_address: Callable[[str], TestClient]
) -> None:
    account = make_account(db)
    proxy = from_address("10.0.0.2")
    # The client wrote the first entry itself; the proxies appended the rest.
    spoofed = {"X-Forwarded-For": "192.0.2.99, 198.51.100.7, 10.0.0.5"}
    assert post_login(proxy, account.email, "wrong", **spoofed) == 400
    recorded = db.scalars(select(LoginAttempt.client).where(LoginAttempt.email == account.email)).all()
    assert recorded == ["198.51.100.7"]
    # So the proxy's other clients keep their own pairs.
    seed(db, email=account.email, clients=["198.51.100.7"] * 10, at=utcnow())
    assert post_login(proxy, account.email, **{"X-Forwarded-For": "198.51.100.7"}) == 429
    assert post_login(proxy, account.email, **{"X-Forwarded-For": "198.51.100.8"}) == 303


# The owner hears about it, once per hour


def run_jobs(db: Session) -> None:
    db.flush()
    while run_pending(job_sessions(db), job_handlers(Settings()), worker_id="test"):
        pass
    assert db.scalar(select(func.count()).where(Job.status != JobStatus.done.value)) == 0
    db.expire_all()


def test_the_owner_gets_one_notice_in_the_inbox_and_by_mail_per_hour(db: Session) -> None:
    owner = make_account(db, make_person(db))
    seed(db, email=owner.email, clients=attackers(3), at=NOW - dt.timedelta(minutes=5))
    for n in range(3):  # the fifth failure in the hour raises the notice; more add none
        wrong: dict[str, Any] = {"email": owner.email, "password": "wrong", "client": f"198.51.100.{n}"}
        assert authenticate(db, **wrong, now=NOW + dt.timedelta(seconds=n)) is None
    assert authenticate(db, email="nobody@example.org", password="x", client=OWNER, now=NOW) is None
    run_jobs(db)
    inbox = db.scalars(select(InboxMessage).where(InboxMessage.person_id == owner.person_id)).all()
    mail = db.scalars(select(OutboxMail).where(OutboxMail.to_address == owner.email)).all()
    assert len(inbox) == 1 and len(mail) == 1
    assert "198.51.100.1" in mail[0].body and inbox[0].subject == mail[0].subject
    assert db.scalar(select(func.count()).where(Job.kind == NOTICE)) == 1
    # The next hour, a fresh round of guessing earns a fresh notice.
    next_hour = NOW + dt.timedelta(hours=1)
    seed(db, email=owner.email, clients=attackers(4), at=next_hour)
    assert authenticate(db, email=owner.email, password="wrong", client=OWNER, now=next_hour) is None
    run_jobs(db)
    assert db.scalar(select(func.count()).where(OutboxMail.to_address == owner.email)) == 2


def test_a_notice_for_an_account_disabled_since_is_dropped(db: Session) -> None:
    owner = make_account(db)
    seed(db, email=owner.email, clients=attackers(4), at=NOW)
    assert authenticate(db, email=owner.email, password="wrong", client=OWNER, now=NOW) is None
    db.get_one(Account, owner.id).active = False
    run_jobs(db)
    assert db.scalar(select(func.count()).where(OutboxMail.to_address == owner.email)) == 0
