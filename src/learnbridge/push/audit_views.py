"""The audit trail, read: filters, keyset pages for the page and the API, and the CSV export.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import Session, selectinload

from learnbridge.core.paging import keyset_page
from learnbridge.people.models import Person
from learnbridge.push.models import AuditEvent, Requirement


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    requirement_id: int | None = None
    person_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def clause(self) -> ColumnElement[bool]:
        parts: list[ColumnElement[bool]] = [AuditEvent.id > 0]
        if self.action:
            parts.append(AuditEvent.action == self.action)
        if self.requirement_id:
            parts.append(AuditEvent.requirement_id == self.requirement_id)
        if self.person_id:
            parts.append(AuditEvent.person_id == self.person_id)
        if self.since:
            parts.append(AuditEvent.at >= dt.datetime.combine(self.since, dt.time(), tzinfo=dt.UTC))
        if self.until:
            end = dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
            parts.append(AuditEvent.at < end)
        return and_(*parts)


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
