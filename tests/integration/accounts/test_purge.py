"""The daily purge of expired sign-in sessions and old failed log-ins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.models import LoginAttempt, LoginSession
from learnbridge.accounts.service import purge_expired
from learnbridge.core.db import utcnow
from learnbridge.core.settings import Settings
from learnbridge.jobs import job_handlers, recurring_jobs
from tests.factories import make_account


def test_purge_deletes_expired_sessions_and_failures_older_than_a_day(db: Session) -> None:
    account = make_account(db)
    now = utcnow()
    db.add_all(
        [
            LoginSession(
                token_hash="a" * 64, account_id=account.id, expires_at=now - dt.timedelta(seconds=1)
            ),
            LoginSession(token_hash="b" * 64, account_id=account.id, expires_at=now + dt.timedelta(hours=1)),
            LoginAttempt(email="x@example.org", client="1.2.3.4", at=now - dt.timedelta(hours=24, seconds=1)),
            LoginAttempt(email="y@example.org", client="1.2.3.4", at=now - dt.timedelta(hours=23)),
        ]
    )
    db.flush()
    assert purge_expired(db, now=now) == 2
    assert db.scalars(select(LoginSession.token_hash)).all() == ["b" * 64]
    assert db.scalars(select(LoginAttempt.email)).all() == ["y@example.org"]


def test_the_purge_is_a_daily_job_with_a_handler(db: Session) -> None:
    kinds = {job.kind for job in recurring_jobs()}
    handlers = job_handlers(Settings())
    assert "accounts.purge" in kinds and kinds <= set(handlers)
    account = make_account(db)
    db.add(
        LoginSession(token_hash="c" * 64, account_id=account.id, expires_at=utcnow() - dt.timedelta(days=1))
    )
    db.flush()
    handlers["accounts.purge"](db, {"day": "2026-03-02"})
    assert db.scalars(select(LoginSession).where(LoginSession.token_hash == "c" * 64)).first() is None
