"""Slowing password guessing down without letting the guesser lock the owner out.

A failed sign-in is kept under the account's e-mail and its *client*: the browser's device id when it
carries this account's device cookie (given by a successful sign-in, so a guesser cannot have one),
else the client address. Three rules, checked before the password:

- pair: after `free_failures` failures from one client on one account (in the last day, not forgiven
  by a later success), each try waits 2^k seconds after the last failure (k = failures - free, at most
  `max_delay_seconds`). Only that client waits: nobody else's failures delay the owner.
- account: once an account has `account_failures_per_hour` failures in the last hour, from anywhere,
  only browsers with its device cookie may try, so guesses per account are bounded however many
  addresses the guesser has.
- address: once one address has `client_failures_per_hour` failures in the last hour, across
  accounts (password spraying), it may try only accounts whose device cookie it carries.

A refused try checks no password and is not counted. The README's "Sign-in protection" states what
this allows an attacker, with the arithmetic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from learnbridge.accounts.models import Account, LoginAttempt
from learnbridge.core.jobs import enqueue
from learnbridge.core.settings import Settings

# How long a client's failures on an account keep counting towards its delay.
PAIR_MEMORY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
# The job that tells an account's owner about failed sign-ins (handled in learnbridge.jobs, above notify).
NOTICE = "accounts.failed_sign_ins"


@dataclass(frozen=True)
class SignInLimits:
    free_failures: int = 5
    max_delay_seconds: int = 900
    account_failures_per_hour: int = 100
    client_failures_per_hour: int = 100

    @classmethod
    def from_settings(cls, settings: Settings) -> SignInLimits:
        return cls(
            free_failures=settings.login_free_failures,
            max_delay_seconds=settings.login_max_delay_seconds,
            account_failures_per_hour=settings.login_account_failures_per_hour,
            client_failures_per_hour=settings.login_client_failures_per_hour,
        )

    def delay(self, failures: int) -> dt.timedelta:
        """How long after its last failure a client with this many failures on an account waits."""
        if failures < self.free_failures:
            return dt.timedelta(0)
        exponent = min(failures - self.free_failures, 30)
        return dt.timedelta(seconds=min(2**exponent, self.max_delay_seconds))


@dataclass(frozen=True)
class KnownDevice:
    """What a valid device cookie says: this browser has signed in to this account before."""

    account_id: int
    device_id: str


@dataclass(frozen=True)
class Guesser:
    """Who is trying an account: `device` is set only when the browser carries that account's cookie."""

    email: str
    address: str
    device: str = ""


def take_turn(db: Session, *, email: str) -> None:
    """On PostgreSQL, sign-ins to one account queue on an advisory lock, so two processes cannot both
    take a limit's last free place (on SQLite the caller's write lock already does that)."""
    if db.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"sign-in:{email}".encode()).digest()[:8], "big", signed=True)
        db.execute(select(func.pg_advisory_xact_lock(key)))


def retry_at(db: Session, guesser: Guesser, *, limits: SignInLimits, now: dt.datetime) -> dt.datetime | None:
    """When this guesser may try again, or None when it may try now."""
    times = [_pair_free_at(db, guesser, limits=limits, now=now)]
    if not guesser.device:
        times.append(
            _cap_lifts_at(db, LoginAttempt.email == guesser.email, limits.account_failures_per_hour, now)
        )
        times.append(
            _cap_lifts_at(db, LoginAttempt.client == guesser.address, limits.client_failures_per_hour, now)
        )
    return max((t for t in times if t is not None and t > now), default=None)


def wait_message(seconds: int) -> str:
    if seconds < 120:
        when = "1 second" if seconds == 1 else f"{seconds} seconds"
    else:
        when = f"{math.ceil(seconds / 60)} minutes"
    return f"Too many failed sign-ins. Try again in {when}."


def record_failure(
    db: Session, guesser: Guesser, *, account: Account | None, limits: SignInLimits, now: dt.datetime
) -> None:
    """Count a failed sign-in; once an account has `free_failures` in an hour, queue a notice to its
    owner (one per account per clock hour, however many guessers: no mail-bombing the owner)."""
    db.add(LoginAttempt(email=guesser.email, client=guesser.address, device=guesser.device, at=now))
    db.flush()
    if account is None:
        return
    recent = db.scalar(
        select(func.count()).where(LoginAttempt.email == guesser.email, LoginAttempt.at > now - HOUR)
    )
    if (recent or 0) >= limits.free_failures:
        payload = {"account_id": account.id, "address": guesser.address}
        enqueue(db, NOTICE, payload, unique_key=f"{NOTICE}:{account.id}:{now.astimezone(dt.UTC):%Y-%m-%dT%H}")


def forgive(db: Session, guesser: Guesser) -> None:
    """A success forgives this client's failures on the account (the hourly limits still count them)."""
    db.execute(
        update(LoginAttempt).where(_pair(guesser), LoginAttempt.cleared.is_(False)).values(cleared=True)
    )


@dataclass(frozen=True)
class Notice:
    """The message for an account's owner about failed sign-ins."""

    email: str
    person_id: int | None
    subject: str
    body: str


def failed_sign_ins_notice(db: Session, payload: dict[str, Any]) -> Notice | None:
    """The notice a NOTICE job sends, or None when the account is gone or disabled."""
    account = db.get(Account, int(payload["account_id"]))
    if account is None or not account.active:
        return None
    body = (
        f"Someone has repeatedly tried to sign in to your Learnbridge account ({account.email}) with a "
        f"wrong password, most recently from the address {payload['address']}.\n\n"
        "If that was you, wait a moment and try again. If not, nothing has been let in: further guesses "
        "are slowed down and limited, and they do not hold up a browser you have signed in with before. "
        "If your password is short or used elsewhere too, change it."
    )
    return Notice(
        email=account.email, person_id=account.person_id, subject="Failed sign-ins to your account", body=body
    )


def purge(db: Session, *, now: dt.datetime) -> int:
    """Delete failures that no longer count towards any limit; returns how many."""
    result = db.execute(delete(LoginAttempt).where(LoginAttempt.at < now - PAIR_MEMORY))
    return int(getattr(result, "rowcount", 0) or 0)


def _pair(guesser: Guesser) -> ColumnElement[bool]:
    # A device pair follows the browser from address to address; an address pair is the address alone.
    match = (LoginAttempt.email == guesser.email) & (LoginAttempt.device == guesser.device)
    return match if guesser.device else match & (LoginAttempt.client == guesser.address)


def _pair_free_at(
    db: Session, guesser: Guesser, *, limits: SignInLimits, now: dt.datetime
) -> dt.datetime | None:
    failures, last = db.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            _pair(guesser), LoginAttempt.cleared.is_(False), LoginAttempt.at > now - PAIR_MEMORY
        )
    ).one()
    if failures < limits.free_failures or last is None:
        return None
    return last + limits.delay(failures)


def _cap_lifts_at(db: Session, where: ColumnElement[bool], cap: int, now: dt.datetime) -> dt.datetime | None:
    """When fewer than `cap` failures matching `where` are left in the last hour (None: already so)."""
    capth = db.scalar(
        select(LoginAttempt.at)
        .where(where, LoginAttempt.at > now - HOUR)
        .order_by(LoginAttempt.at.desc())
        .offset(max(cap - 1, 0))
        .limit(1)
    )
    return None if capth is None else capth + HOUR
