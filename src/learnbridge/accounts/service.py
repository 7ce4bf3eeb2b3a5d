"""Signing in and out, API tokens and accounts."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, joinedload

from learnbridge.accounts import throttle
from learnbridge.accounts.models import Account, ApiToken, LoginSession
from learnbridge.accounts.passwords import hash_password, needs_rehash, password_matches
from learnbridge.accounts.throttle import KnownDevice, SignInLimits
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict, Invalid, NotFound, TooManyRequests
from learnbridge.people.models import Person

TOKEN_PREFIX = "lb_"  # noqa: S105 - a prefix that makes leaked tokens easy to spot, not a secret


def hash_secret(value: str) -> str:
    """SHA-256 of a high-entropy random token (session ids, API tokens): fast lookup, nothing to steal."""
    return hashlib.sha256(value.encode()).hexdigest()


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
    db: Session,
    *,
    email: str,
    password: str,
    client: str,
    device: KnownDevice | None = None,
    limits: SignInLimits | None = None,
    now: dt.datetime | None = None,
) -> Account | None:
    """The account for these credentials, or None. A client that has failed too often must wait
    (TooManyRequests, with retry_after) before its password is checked; failures elsewhere never hold
    up a browser that carries the account's device cookie (`accounts.throttle` has the rules)."""
    now, email, limits = now or utcnow(), normalise_email(email), limits or SignInLimits()
    throttle.take_turn(db, email=email)
    account = db.scalar(select(Account).where(Account.email == email, Account.active.is_(True)))
    known = device if device is not None and account is not None and device.account_id == account.id else None
    guesser = throttle.Guesser(email=email, address=client[:100], device=known.device_id if known else "")
    if (retry := throttle.retry_at(db, guesser, limits=limits, now=now)) is not None:
        seconds = max(math.ceil((retry - now).total_seconds()), 1)
        raise TooManyRequests(throttle.wait_message(seconds), retry_after=seconds)
    if password_matches(account.password_hash if account else None, password):
        throttle.forgive(db, guesser)
        return _with_current_hash(account, password)
    throttle.record_failure(db, guesser, account=account, limits=limits, now=now)
    return None


def _with_current_hash(account: Account | None, password: str) -> Account | None:
    """The account, its hash remade if it was made at another cost than the configured one."""
    if account is not None and account.password_hash is not None and needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return account


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
    db.flush()
    return token


def end_session(db: Session, *, token: str) -> None:
    db.execute(delete(LoginSession).where(LoginSession.token_hash == hash_secret(token)))


def account_for_session(db: Session, *, token: str) -> Account | None:
    row = db.scalar(
        select(LoginSession)
        .options(joinedload(LoginSession.account))  # every request reads it: one query, not two
        .where(LoginSession.token_hash == hash_secret(token), LoginSession.expires_at > utcnow())
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


# A token's last use is recorded at most this often, so reading the API is not a write per request.
TOKEN_USE_EVERY = dt.timedelta(minutes=5)


def live_token(db: Session, *, token: str) -> ApiToken | None:
    """The unrevoked token of an active account, with that account."""
    row = db.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.account))  # every request reads it: one query, not two
        .where(ApiToken.token_hash == hash_secret(token), ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.account.active:
        return None
    return row


def account_for_token(db: Session, *, token: str) -> Account | None:
    row = live_token(db, token=token)
    return row.account if row is not None else None


def use_unrecorded(row: ApiToken, *, now: dt.datetime | None = None) -> bool:
    """Whether this use of the token should be recorded (never yet, or not for TOKEN_USE_EVERY)."""
    return row.last_used_at is None or row.last_used_at < (now or utcnow()) - TOKEN_USE_EVERY


def mark_token_used(db: Session, *, token: str, every: dt.timedelta = TOKEN_USE_EVERY) -> bool:
    """Record when a token was last used, at most once per `every`. Returns whether it wrote."""
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


def purge_expired(db: Session, *, now: dt.datetime | None = None) -> int:
    """Delete expired browser sessions and failed sign-ins that no longer count towards any limit;
    returns how many rows went."""
    now = now or utcnow()
    sessions = db.execute(delete(LoginSession).where(LoginSession.expires_at <= now))
    return int(getattr(sessions, "rowcount", 0) or 0) + throttle.purge(db, now=now)
