"""Telling people: inbox messages, and e-mail written to the outbox and sent by a job after commit."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import Select, func, insert, literal, select, update
from sqlalchemy.orm import Session

from learnbridge.core.db import max_length, rows_changed, table_of, utcnow
from learnbridge.core.errors import FieldError, Invalid, NotFound
from learnbridge.core.jobs import MAX_ATTEMPTS, enqueue
from learnbridge.core.paging import keyset_page
from learnbridge.core.settings import Settings
from learnbridge.notify.models import InboxMessage, MailStatus, OutboxMail

SEND_MAIL = "notify.send_mail"
SMTP_TIMEOUT = 30


@dataclass(frozen=True)
class InboxPage:
    items: list[InboxMessage]
    next: str | None


@dataclass(frozen=True)
class OutboxPage:
    items: list[OutboxMail]
    next: str | None


class MailNotSent(Exception):
    """The SMTP server could not be reached or refused the mail; the job queue tries again."""


def notify_person(db: Session, *, person_id: int, subject: str, body: str, link: str = "") -> InboxMessage:
    """Put a message in a person's inbox; the link, if any, is a path inside the app."""
    subject = subject.strip()
    errors = _text_errors(subject, "subject", max_length(InboxMessage.subject)) + _link_errors(link)
    if errors:
        raise Invalid(errors)
    message = InboxMessage(person_id=person_id, subject=subject, body=body, link=link)
    db.add(message)
    db.flush()
    return message


@dataclass(frozen=True)
class Notice:
    """One inbox message for `notify_people`."""

    person_id: int
    subject: str
    body: str
    link: str = ""


def notify_people(db: Session, *, notices: Sequence[Notice]) -> int:
    """Put many messages in inboxes with one batched INSERT (a requirement that assigns thousands of
    people writes them in a few round trips, not one per person); checked like `notify_person`."""
    limit, now = max_length(InboxMessage.subject), utcnow()
    rows = []
    for notice in notices:
        subject = notice.subject.strip()
        if errors := _text_errors(subject, "subject", limit) + _link_errors(notice.link):
            raise Invalid(errors)
        rows.append(
            {"person_id": notice.person_id, "subject": subject, "body": notice.body, "link": notice.link}
        )
    if rows:
        # Core's executemany (not the ORM's bulk path, 4x slower here): a few multi-row INSERTs.
        db.execute(insert(table_of(InboxMessage)), [{**row, "created_at": now} for row in rows])
    return len(rows)


def notify_selected(db: Session, *, rows: Select[int, str, str, str], subjects: Iterable[str]) -> int:
    """Put a message in each inbox `rows` names, in one INSERT ... SELECT: the whole of a recompute that
    assigns 841,108 people stays in the database instead of becoming as many rows in Python. `rows`
    gives (person_id, subject, body, link), its subjects drawn from `subjects`, which are checked like
    `notify_person`'s (each link must be a path inside the app, as the caller builds it)."""
    limit = max_length(InboxMessage.subject)
    errors = [error for subject in subjects for error in _text_errors(subject.strip(), "subject", limit)]
    if errors:
        raise Invalid(errors)
    picked = rows.subquery()
    columns = ["person_id", "subject", "body", "link", "created_at"]
    stamped = select(*picked.c, literal(utcnow(), InboxMessage.created_at.type))
    stmt = insert(table_of(InboxMessage)).from_select(columns, stamped)
    return rows_changed(db.execute(stmt, execution_options={"preserve_rowcount": True}))


def _link_errors(link: str) -> list[FieldError]:
    if link and (not link.startswith("/") or link.startswith("//") or len(link) > 1000):
        return [FieldError(field="link", message="must be a path inside the app, like /catalog/12")]
    return []


@dataclass(frozen=True)
class Attachment:
    """A text file sent with a mail; `content_type` may carry parameters ("text/calendar; method=CANCEL")."""

    filename: str
    content_type: str
    text: str


def queue_mail(
    db: Session,
    *,
    to_address: str,
    subject: str,
    body: str,
    to_person_id: int | None = None,
    attachment: Attachment | None = None,
) -> OutboxMail:
    """Write a plain-text mail (and an optional text attachment) to the outbox and queue the job that
    sends it once the caller commits."""
    to_address, subject = to_address.strip(), subject.strip()
    errors = _text_errors(subject, "subject", max_length(OutboxMail.subject))
    if (
        "@" not in to_address
        or len(to_address) > max_length(OutboxMail.to_address)
        or _has_newline(to_address)
    ):
        errors.append(FieldError(field="to_address", message="must be an e-mail address"))
    if errors:
        raise Invalid(errors)
    mail = OutboxMail(to_address=to_address, to_person_id=to_person_id, subject=subject, body=body)
    if attachment is not None:
        mail.attachment_name = attachment.filename
        mail.attachment_type = attachment.content_type
        mail.attachment = attachment.text
    db.add(mail)
    db.flush()
    enqueue(db, SEND_MAIL, {"mail_id": mail.id})
    return mail


def _text_errors(value: str, field: str, limit: int) -> list[FieldError]:
    if not value:
        return [FieldError(field=field, message="must not be empty")]
    if len(value) > limit:
        return [FieldError(field=field, message=f"must be at most {limit} characters")]
    if _has_newline(value):  # a mail header: a line break would let it add headers of its own
        return [FieldError(field=field, message="must be one line")]
    return []


def _has_newline(value: str) -> bool:
    return "\n" in value or "\r" in value


def send_mail(db: Session, *, mail_id: int, settings: Settings) -> None:
    """Send one queued mail: 'sent' when the SMTP server takes it, 'held' when no SMTP server is
    configured; an SMTP problem raises MailNotSent so the job is retried."""
    mail = db.get(OutboxMail, mail_id)
    if mail is None or mail.status != MailStatus.queued:
        return  # already sent, held or given up: a repeated job sends nothing twice
    if not settings.smtp_host:
        mail.status = MailStatus.held.value
        db.flush()
        return
    try:
        _deliver(settings, _message(mail, settings))
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(f"{type(exc).__name__}: {exc}") from exc
    mail.status = MailStatus.sent.value
    mail.sent_at = utcnow()
    mail.attempts += 1
    mail.error = ""
    db.flush()


def record_mail_failure(db: Session, *, mail_id: int, error: str) -> None:
    """Count a failed try; after the job queue's last attempt the mail is 'failed'."""
    mail = db.get(OutboxMail, mail_id)
    if mail is None:
        return
    mail.attempts += 1
    mail.error = error[:10_000]
    if mail.attempts >= MAX_ATTEMPTS:
        mail.status = MailStatus.failed.value
    db.flush()


def _message(mail: OutboxMail, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(
        idstring=f"outbox-{mail.id}", domain=settings.mail_from.rpartition("@")[2]
    )
    message.set_content(mail.body)
    if mail.attachment_type:
        _attach(message, mail)
    return message


def _attach(message: EmailMessage, mail: OutboxMail) -> None:
    """A text attachment with its MIME parameters: calendar clients read `method` (RFC 6047 2.4)."""
    kind, _, rest = mail.attachment_type.partition(";")
    maintype, _, subtype = kind.strip().partition("/")
    params = dict(p.strip().split("=", 1) for p in rest.split(";") if "=" in p)
    message.add_attachment(
        mail.attachment.encode(),
        maintype=maintype,
        subtype=subtype,
        filename=mail.attachment_name or "attachment",
        params=params,
    )


def _deliver(settings: Settings, message: EmailMessage) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)


def inbox_for(db: Session, person_id: int, *, cursor: str | None = None, limit: int = 50) -> InboxPage:
    """A person's messages, newest first, keyset-paged."""
    stmt = select(InboxMessage).where(InboxMessage.person_id == person_id)
    order = [InboxMessage.created_at, InboxMessage.id]
    page = keyset_page(db, stmt, order=order, descending=True, cursor=cursor, limit=limit)
    return InboxPage(items=page.items, next=page.next)


def unread_count(db: Session, person_id: int) -> int:
    """How many of a person's messages are unread (one COUNT over the person's index range)."""
    stmt = select(func.count()).where(InboxMessage.person_id == person_id, InboxMessage.read_at.is_(None))
    return db.scalar(stmt) or 0


def mark_read(db: Session, *, person_id: int, message_id: int) -> InboxMessage:
    """Mark one of the person's own messages read; anyone else's is NotFound."""
    message = db.scalar(
        select(InboxMessage).where(InboxMessage.id == message_id, InboxMessage.person_id == person_id)
    )
    if message is None:
        raise NotFound(f"No message {message_id} in your inbox.")
    if message.read_at is None:
        message.read_at = utcnow()
        db.flush()
    return message


def mark_all_read(db: Session, *, person_id: int) -> int:
    """Mark every unread message of the person read; returns how many."""
    result = db.execute(
        update(InboxMessage)
        .where(InboxMessage.person_id == person_id, InboxMessage.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def outbox(
    db: Session, *, status: MailStatus | None = None, cursor: str | None = None, limit: int = 50
) -> OutboxPage:
    """The outbox for L&D admins, newest first, optionally one status only; keyset-paged."""
    stmt = select(OutboxMail)
    if status is not None:
        stmt = stmt.where(OutboxMail.status == status.value)
    page = keyset_page(db, stmt, order=[OutboxMail.id], descending=True, cursor=cursor, limit=limit)
    return OutboxPage(items=page.items, next=page.next)
