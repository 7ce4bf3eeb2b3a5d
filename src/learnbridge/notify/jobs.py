"""Notify's background jobs: sending the outbox, and telling an account's owner of failed sign-ins
(accounts.throttle queues the notice; accounts, below notify, cannot send it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from learnbridge.accounts import throttle
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

    return {service.SEND_MAIL: send_mail, throttle.NOTICE: tell_of_failed_sign_ins}


def tell_of_failed_sign_ins(db: Session, payload: dict[str, Any]) -> None:
    """The owner of an account someone is guessing at hears of it in the inbox and by mail."""
    notice = throttle.failed_sign_ins_notice(db, payload)
    if notice is None:
        return
    if notice.person_id is not None:
        service.notify_person(db, person_id=notice.person_id, subject=notice.subject, body=notice.body)
    service.queue_mail(
        db, to_address=notice.email, subject=notice.subject, body=notice.body, to_person_id=notice.person_id
    )
