"""The in-app inbox and the outbox of e-mail waiting to be (or already) sent."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learnbridge.core.db import Base, UtcDateTime, utcnow


class InboxMessage(Base):
    """A message to one person, shown in their inbox; `link` is a path inside the app."""

    __tablename__ = "inbox_messages"
    __table_args__ = (Index("ix_inbox_messages_person_id_created_at", "person_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class MailStatus(enum.StrEnum):
    queued = "queued"
    sent = "sent"
    held = "held"  # no SMTP server is configured: kept here, nothing sent
    failed = "failed"


class OutboxMail(Base):
    """A plain-text e-mail. Written with the change that caused it, sent by a job after the commit."""

    __tablename__ = "outbox_mails"
    __table_args__ = (Index("ix_outbox_mails_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    to_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=MailStatus.queued.value)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # One optional text attachment, e.g. a session's .ics ("text/calendar; method=REQUEST").
    attachment_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    attachment_type: Mapped[str] = mapped_column(String(100), default="", server_default="")
    attachment: Mapped[str] = mapped_column(Text, default="", server_default="")
