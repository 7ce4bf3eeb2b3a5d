"""Signing in and out, API tokens and accounts."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from learnbridge.accounts.models import Account, ApiToken, LoginAttempt, LoginSession
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict, Invalid, NotFound, TooManyRequests
from learnbridge.people.models import Person

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a wrong address costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")
TOKEN_PREFIX = "lb_"  # noqa: S105 - a prefix that makes leaked tokens easy to spot, not a secret


def hash_secret(value: str) -> str:
    """SHA-256 of a high-entropy random token (session ids, API tokens): fast lookup, nothing to steal."""
    return hashlib.sha256(value.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_account(
    db: Session,
    *,
    email: str,
    password: str | None,
    is_ld_admin: bool = False,
    is_auditor: bool = False,
) -> Account:
    """Create an account, linked to the person with the same e-mail address if there is one."""
    email = normalise_email(email)
    if "@" not in email:
        raise Invalid(field="email", message="must be an e-mail address")
    if password is not None and len(password) < 8:
        raise Invalid(field="password", message="must be at least 8 characters")
    if db.scalar(select(Account.id).where(Account.email == email)) is not None:
        raise Conflict(f"An account for {email} already exists.")
    person_id = db.scalar(select(Person.id).where(func.lower(Person.email) == email))
    account = Account(
        email=email,
        password_hash=hash_password(password) if password else None,
        person_id=person_id,
        is_ld_admin=is_ld_admin,
        is_auditor=is_auditor,
    )
    db.add(account)
    db.flush()
    return account


def authenticate(
    db: Session, *, email: str, password: str, client: str, max_failures: int, window_minutes: int
) -> Account | None:
    """The account for these credentials, or None. Too many recent failures for the address (or many
    more from one client) refuse further tries until the window passes, right password or not."""
    email = normalise_email(email)
    since = utcnow() - dt.timedelta(minutes=window_minutes)
    by_email = db.scalar(select(func.count()).where(LoginAttempt.email == email, LoginAttempt.at >= since))
    by_client = db.scalar(select(func.count()).where(LoginAttempt.client == client, LoginAttempt.at >= since))
    if (by_email or 0) >= max_failures or (by_client or 0) >= 4 * max_failures:
        raise TooManyRequests(f"Too many failed sign-ins. Wait {window_minutes} minutes and try again.")
    account = db.scalar(select(Account).where(Account.email == email, Account.active.is_(True)))
    if _password_matches(account.password_hash if account else None, password):
        return account
    db.add(LoginAttempt(email=email, client=client))
    db.flush()
    return None


def _password_matches(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def start_session(db: Session, *, account: Account, hours: int) -> str:
    """Open a browser session; returns the token for the cookie (stored hashed)."""
    token = secrets.token_urlsafe(32)
    db.add(
        LoginSession(
            token_hash=hash_secret(token),
            account_id=account.id,
            expires_at=utcnow() + dt.timedelta(hours=hours),
        )
    )
    db.execute(delete(LoginAttempt).where(LoginAttempt.email == account.email))
    db.flush()
    return token


def end_session(db: Session, *, token: str) -> None:
    db.execute(delete(LoginSession).where(LoginSession.token_hash == hash_secret(token)))


def account_for_session(db: Session, *, token: str) -> Account | None:
    row = db.scalar(
        select(LoginSession).where(
            LoginSession.token_hash == hash_secret(token), LoginSession.expires_at > utcnow()
        )
    )
    return row.account if row and row.account.active else None


def create_token(db: Session, *, email: str, name: str = "") -> str:
    """Issue an API bearer token for an account; the token is returned once and stored hashed."""
    account = db.scalar(select(Account).where(Account.email == normalise_email(email)))
    if account is None:
        raise NotFound(f"No account with e-mail {email}.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.add(ApiToken(token_hash=hash_secret(token), prefix=token[:10], name=name, account_id=account.id))
    db.flush()
    return token


def account_for_token(db: Session, *, token: str) -> Account | None:
    row = db.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_secret(token), ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.account.active:
        return None
    return row.account


def mark_token_used(db: Session, *, token: str, every: dt.timedelta = dt.timedelta(minutes=5)) -> bool:
    """Record when a token was last used, at most once per `every`, so reading the API does not
    turn every request into a write. Returns whether it wrote."""
    now = utcnow()
    result = db.execute(
        update(ApiToken)
        .where(ApiToken.token_hash == hash_secret(token))
        .where((ApiToken.last_used_at.is_(None)) | (ApiToken.last_used_at < now - every))
        .values(last_used_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def revoke_token(db: Session, *, prefix: str) -> int:
    """Revoke every live token starting with this prefix; returns how many."""
    result = db.execute(
        update(ApiToken)
        .where(ApiToken.prefix == prefix, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0))


def purge_expired(db: Session, *, window_minutes: int, now: dt.datetime | None = None) -> int:
    """Delete expired browser sessions and failed log-ins older than four rate-limit windows (they no
    longer count towards any limit); returns how many rows went."""
    now = now or utcnow()
    sessions = db.execute(delete(LoginSession).where(LoginSession.expires_at <= now))
    attempts = db.execute(
        delete(LoginAttempt).where(LoginAttempt.at < now - dt.timedelta(minutes=4 * window_minutes))
    )
    return int(getattr(sessions, "rowcount", 0) or 0) + int(getattr(attempts, "rowcount", 0) or 0)
