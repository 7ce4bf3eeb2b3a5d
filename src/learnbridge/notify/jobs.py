"""Notify's background jobs: sending the outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from learnbridge.core.jobs import JobHandler
from learnbridge.core.settings import Settings
from learnbridge.notify import service


def job_handlers(settings: Settings) -> dict[str, JobHandler]:
    def send_mail(db: Session, payload: dict[str, Any]) -> None:
        mail_id = int(payload["mail_id"])
        try:
            service.send_mail(db, mail_id=mail_id, settings=settings)
        except service.MailNotSent as exc:
            # Keep the failed try on the mail (the queue's rollback would lose it), then let the
            # queue retry the job with backoff.
            db.rollback()
            service.record_mail_failure(db, mail_id=mail_id, error=str(exc))
            db.commit()
            raise

    return {service.SEND_MAIL: send_mail}
