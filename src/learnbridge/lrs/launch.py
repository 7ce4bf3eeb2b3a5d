"""Launch credentials: what a launched cmi5 AU or xAPI (Tin Can) package authenticates to this LRS with.

Each launch gets its own HTTP Basic key and secret, good for one actor in one registration until the
session expires (cmi5 8.2.1: "limited to the duration of the session"). The statements it sends are
stored as one client, the platform's content player (`content_client`), which cannot itself sign in.
The LRS clients' own credentials are untouched: `lrs.clients.client_for_basic` knows nothing of these.

- cmi5 (8.1, 8.2): the launch URL carries a one-time `fetch` URL; its first POST makes the secret and
  answers `{"auth-token": base64(key:secret)}`; any later POST answers error-code 1 (8.2.3).
- xAPI packages (Rustici's launch guidelines): the `auth` parameter carries the Basic header at once.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from learnbridge.core.db import table_of, utcnow
from learnbridge.lrs.clients import PACKAGE_SCOPES, basic_credentials, secret_digest
from learnbridge.lrs.format import ifi_of
from learnbridge.lrs.models import LaunchSession, LrsClient

CONTENT_CLIENT_KEY = "learnbridge-content"
# Launch keys start with this, so a launch key can never be taken for a client's (20 hex digits).
KEY_PREFIX = "launch-"
SESSION_HOURS = 12
CMI5, XAPI = "cmi5", "xapi"


@dataclass(frozen=True)
class Launched:
    """A new launch session and what goes into the launch URL: the fetch token (cmi5) or the Basic
    Authorization header value (xAPI packages); each is shown only here."""

    session: LaunchSession
    fetch_token: str | None = None
    authorization: str | None = None


@dataclass(frozen=True)
class FetchError:
    """cmi5 8.2.3.2: 1 = already used or expired, 2 = security error (an unknown token)."""

    code: str
    text: str


def content_client(db: Session, *, base_url: str) -> LrsClient:
    """The client launched content's statements are stored as: inactive (no one signs in as it), with
    the scopes a package needs; created on first use, by two workers at once too."""
    client = db.scalar(select(LrsClient).where(LrsClient.key == CONTENT_CLIENT_KEY))
    if client is not None:
        return client
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    values = {
        "name": "Learnbridge (launched content)",
        "key": CONTENT_CLIENT_KEY,
        "secret_hash": "",
        "scopes": list(PACKAGE_SCOPES),
        "authority": {
            "objectType": "Agent",
            "name": "Learnbridge content player",
            "account": {"homePage": f"{base_url.rstrip('/')}/xapi", "name": "learnbridge-content"},
        },
        "xapi_version": "1.0.3",
        "counts_as_evidence": False,
        "active": False,
        "created_at": utcnow(),
    }
    db.execute(insert(table_of(LrsClient)).values(**values).on_conflict_do_nothing(index_elements=["key"]))
    return db.scalars(select(LrsClient).where(LrsClient.key == CONTENT_CLIENT_KEY)).one()


def open_launch(
    db: Session,
    *,
    base_url: str,
    profile: str,
    actor: dict[str, Any],
    registration: str,
    activity_id: str,
    rules: dict[str, Any] | None = None,
    hours: int = SESSION_HOURS,
) -> Launched:
    """A launch session for `actor` in `registration`. cmi5 gets a fetch token (the secret comes with
    the fetch); an xAPI package gets its Basic credentials now."""
    ifi = ifi_of(actor)
    if ifi is None:
        raise ValueError("a launch needs an actor with an identifier")
    now = utcnow()
    session = LaunchSession(
        client_id=content_client(db, base_url=base_url).id,
        key=KEY_PREFIX + secrets.token_hex(16),
        profile=profile,
        actor=actor,
        actor_ifi=ifi,
        registration=registration.lower(),
        activity_id=activity_id,
        rules=rules or {},
        verbs=[],
        created_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    if profile == CMI5:
        token = secrets.token_urlsafe(32)
        session.fetch_hash = secret_digest(token)
        db.add(session)
        db.flush()
        return Launched(session, fetch_token=token)
    secret = secrets.token_hex(32)
    session.secret_hash = secret_digest(secret)
    db.add(session)
    db.flush()
    return Launched(session, authorization="Basic " + _basic(session.key, secret))


def _basic(key: str, secret: str) -> str:
    return base64.b64encode(f"{key}:{secret}".encode()).decode()


def fetch_auth_token(db: Session, *, token: str) -> str | FetchError:
    """The auth-token for a fetch URL's first POST (cmi5 8.2.1); an error for any later one, an
    expired session or an unknown token (8.2.3). The row is locked so two POSTs at once get one token."""
    stmt = select(LaunchSession).where(LaunchSession.fetch_hash == secret_digest(token))
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    session = db.scalar(stmt)
    if session is None:
        return FetchError("2", "The fetch URL is not one this LMS issued.")
    if session.fetched_at is not None or session.expires_at <= utcnow():
        return FetchError("1", "The authorization token has already been returned, or the session expired.")
    secret = secrets.token_hex(32)
    session.secret_hash, session.fetched_at = secret_digest(secret), utcnow()
    db.flush()
    return _basic(session.key, secret)


def session_for_basic(db: Session, authorization: str) -> LaunchSession | None:
    """The live launch session named by an `Authorization: Basic ...` header, or None."""
    if (credentials := basic_credentials(authorization)) is None:
        return None
    key, secret = credentials
    if not key.startswith(KEY_PREFIX):
        return None
    session = db.scalar(select(LaunchSession).where(LaunchSession.key == key))
    if session is None or not session.secret_hash or session.expires_at <= utcnow():
        return None
    if not hmac.compare_digest(session.secret_hash, secret_digest(secret)):
        return None
    return session


def sessions_in(db: Session, *, registration: str) -> list[LaunchSession]:
    """A registration's launch sessions, oldest first."""
    stmt = select(LaunchSession).where(LaunchSession.registration == registration.lower())
    return list(db.scalars(stmt.order_by(LaunchSession.id)))


def end_session(session: LaunchSession) -> None:
    """No more statements from this session (it terminated, or the LMS abandoned it)."""
    if session.terminated_at is None:
        session.terminated_at = utcnow()
