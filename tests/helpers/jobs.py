"""Running background jobs inside a test's rolled-back transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker


def job_sessions(db: Session) -> sessionmaker[Session]:
    """Sessions for run_pending on the test's connection: each commit releases a savepoint, and the
    test's outer transaction still rolls everything back."""
    return sessionmaker(
        bind=db.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
