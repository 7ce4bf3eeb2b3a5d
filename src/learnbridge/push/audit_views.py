"""The audit trail, read: filters, keyset pages for the page and the API, and the CSV export.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session, selectinload

from learnbridge.core.db import max_length
from learnbridge.core.errors import Invalid
from learnbridge.core.paging import keyset_page
from learnbridge.people.models import Person
from learnbridge.push.models import AuditEvent, Requirement

# A search is at most as long as the longest value it can match (an actor is an e-mail address).
MAX_SEARCH = max_length(AuditEvent.actor)


def search_text(value: str | None, *, field: str) -> str | None:
    """A search box's text, trimmed; empty means "any". Refused (naming the field) when longer than
    anything it could match or holding control characters (PostgreSQL refuses a NUL outright)."""
    text = (value or "").strip()
    if len(text) > MAX_SEARCH:
        raise Invalid(field=field, message=f"must be at most {MAX_SEARCH} characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise Invalid(field=field, message="must not contain control characters")
    return text or None


@dataclass(frozen=True)
class AuditFilter:
    """Which rows: each field narrows (None means any). `person_search` finds the people whose name or
    e-mail contains it (or whose HR ID it is); `actor` is part of who made the change (an e-mail address,
    "system (HR feed)", an LRS client), case-insensitive."""

    action: str | None = None
    requirement_id: int | None = None
    person_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    person_search: str | None = None
    actor: str | None = None

    def clause(self) -> ColumnElement[bool]:
        parts: list[ColumnElement[bool]] = [AuditEvent.id > 0]
        if self.action:
            parts.append(AuditEvent.action == self.action)
        if self.requirement_id:
            parts.append(AuditEvent.requirement_id == self.requirement_id)
        if self.person_id:
            parts.append(AuditEvent.person_id == self.person_id)
        if self.person_search:
            parts.append(AuditEvent.person_id.in_(_people_matching(self.person_search)))
        if self.actor:
            parts.append(AuditEvent.actor.icontains(self.actor, autoescape=True))
        if self.since:
            parts.append(AuditEvent.at >= dt.datetime.combine(self.since, dt.time(), tzinfo=dt.UTC))
        if self.until:
            end = dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
            parts.append(AuditEvent.at < end)
        return and_(*parts)


def _people_matching(text: str) -> Select[int]:
    return select(Person.id).where(
        or_(
            Person.name.icontains(text, autoescape=True),
            Person.email.icontains(text, autoescape=True),
            Person.external_id == text,
        )
    )


@dataclass(frozen=True)
class AuditResults:
    items: list[AuditEvent]
    next: str | None


def audit_events(
    db: Session, *, filters: AuditFilter, cursor: str | None = None, limit: int = 100
) -> AuditResults:
    """The audit trail, newest first, keyset-paged by id."""
    stmt: Select[AuditEvent] = (
        select(AuditEvent)
        .where(filters.clause())
        .options(selectinload(AuditEvent.person), selectinload(AuditEvent.requirement))
    )
    page = keyset_page(db, stmt, order=[AuditEvent.id], descending=True, cursor=cursor, limit=limit)
    return AuditResults(page.items, page.next)


AUDIT_HEADER = [
    "id",
    "at",
    "actor",
    "action",
    "requirement_id",
    "requirement",
    "person_id",
    "person",
    "assignment_id",
    "item_id",
    "completion_id",
    "detail",
    "reason",
]


def audit_rows(db: Session, *, filters: AuditFilter) -> Iterator[list[str]]:
    """The filtered audit trail as CSV cells, oldest first, streamed in pages."""
    yield AUDIT_HEADER
    last = 0
    while True:
        stmt = (
            select(AuditEvent, Requirement.name, Person.name)
            .outerjoin(Requirement, Requirement.id == AuditEvent.requirement_id)
            .outerjoin(Person, Person.id == AuditEvent.person_id)
            .where(filters.clause(), AuditEvent.id > last)
            .order_by(AuditEvent.id)
            .limit(1000)
        )
        rows = list(db.execute(stmt))
        if not rows:
            return
        for e, requirement, person in rows:
            yield [
                str(e.id),
                e.at.isoformat(),
                e.actor,
                e.action,
                _num(e.requirement_id),
                requirement or "",
                _num(e.person_id),
                person or "",
                _num(e.assignment_id),
                _num(e.item_id),
                _num(e.completion_id),
                e.detail,
                e.reason,
            ]
        last = rows[-1][0].id


def _num(value: int | None) -> str:
    return "" if value is None else str(value)
