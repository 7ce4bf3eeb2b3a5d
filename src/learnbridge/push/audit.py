"""The audit trail: who did what to whose obligation, when and why. Rows are only ever added, each
linked to the one before it (push.audit_chain); every write to audit_events goes through here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, insert, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from learnbridge.accounts.models import Account
from learnbridge.core.db import rows_changed, table_of, utcnow
from learnbridge.push import audit_chain
from learnbridge.push.models import Assignment, AuditAction, AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who caused a change: an account, or the system with a description ("HR feed")."""

    label: str
    account_id: int | None = None

    @classmethod
    def system(cls, what: str) -> Actor:
        return cls(label=f"system ({what})")

    @classmethod
    def of(cls, account: Account) -> Actor:
        return cls(label=account.email, account_id=account.id)


def record(
    db: Session,
    *,
    actor: Actor,
    action: AuditAction,
    requirement_id: int | None = None,
    person_id: int | None = None,
    assignment_id: int | None = None,
    item_id: int | None = None,
    completion_id: int | None = None,
    detail: str = "",
    reason: str = "",
) -> AuditEvent:
    """Write one audit row in the caller's transaction."""
    values = {
        "at": utcnow(),
        "actor_id": actor.account_id,
        "actor": actor.label,
        "action": action.value,
        "requirement_id": requirement_id,
        "person_id": person_id,
        "assignment_id": assignment_id,
        "item_id": item_id,
        "completion_id": completion_id,
        "detail": detail,
        "reason": reason,
    }
    event = AuditEvent(**values, **_chained(db, [values])[0])
    db.add(event)
    db.flush()
    return event


def record_many(db: Session, rows: list[dict[str, Any]]) -> None:
    """Write audit rows built in Python (AuditEvent column values; `at` included) in one executemany."""
    if not rows:
        return
    values = [row | links for row, links in zip(rows, _chained(db, rows), strict=True)]
    db.execute(insert(table_of(AuditEvent)), values)


def _chained(db: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chain columns of rows about to be inserted: on SQLite computed here from the stored head;
    empty on PostgreSQL, whose trigger sets them (and would overwrite any given)."""
    if db.get_bind().dialect.name != "sqlite":
        return [{} for _ in rows]
    return [{"seq": seq, "hash": digest} for seq, digest in audit_chain.next_links(db, rows)]


def record_for(
    db: Session,
    assignment: Assignment,
    *,
    actor: Actor,
    action: AuditAction,
    detail: str = "",
    reason: str = "",
    item_id: int | None = None,
    completion_id: int | None = None,
) -> AuditEvent:
    """One audit row about one assignment (its requirement and person filled in)."""
    return record(
        db,
        actor=actor,
        action=action,
        requirement_id=assignment.requirement_id,
        person_id=assignment.person_id,
        assignment_id=assignment.id,
        item_id=item_id,
        completion_id=completion_id,
        detail=detail,
        reason=reason,
    )


def record_batch(
    db: Session,
    *,
    actor: Actor,
    action: AuditAction,
    rows: Select[int, int, int, str],
    reason: str = "",
    at: dt.datetime | None = None,
) -> int:
    """One audit row per (requirement_id, person_id, assignment_id, detail) row of a SELECT, set-based."""
    at = at or utcnow()
    source = rows.subquery()
    varying = (source.c[0], source.c[1], source.c[2], source.c[3])
    values = select(
        literal(at, AuditEvent.at.type),
        literal(actor.account_id, AuditEvent.actor_id.type),
        literal(actor.label, String),
        literal(action.value, String),
        *varying,
        literal(reason, String),
    )
    columns = [
        "at",
        "actor_id",
        "actor",
        "action",
        "requirement_id",
        "person_id",
        "assignment_id",
        "detail",
        "reason",
    ]
    if db.get_bind().dialect.name == "sqlite":
        values = values.add_columns(
            *_sqlite_links(db, at=at, actor=actor, action=action, reason=reason, of=varying)
        )
        columns += ["hash", "seq"]
    stmt = insert(table_of(AuditEvent)).from_select(columns, values)
    result = db.execute(stmt, execution_options={"preserve_rowcount": True})
    return rows_changed(result)


def _sqlite_links(
    db: Session,
    *,
    at: dt.datetime,
    actor: Actor,
    action: AuditAction,
    reason: str,
    of: tuple[ColumnElement[Any], ...],
) -> tuple[ColumnElement[bytes], ColumnElement[int]]:
    """The hash and seq of each row of record_batch's SELECT on SQLite (PostgreSQL's trigger sets them)."""
    shared = audit_chain.shared_part(
        at=at,
        actor_id=actor.account_id,
        actor=actor.label,
        action=action.value,
        reason=reason,
        item_id=None,
        completion_id=None,
    )
    requirement_id, person_id, assignment_id, detail = of
    return audit_chain.sqlite_link_columns(
        db,
        shared=shared,
        requirement_id=requirement_id,
        person_id=person_id,
        assignment_id=assignment_id,
        detail=detail,
    )


def date_text(column: ColumnElement[Any] | InstrumentedAttribute[Any]) -> ColumnElement[str]:
    """A date as YYYY-MM-DD text for an audit detail, "none" when missing."""
    return func.coalesce(cast(column, String), literal("none"))


def batch_rows(
    tag: str, detail: ColumnElement[str], scope: ColumnElement[bool]
) -> Select[int, int, int, str]:
    """The rows one recompute statement changed. `scope` (the people or requirements recomputed) lets
    the database find them by person or requirement: after a full recompute nearly every row shares
    one batch value, and the planner rightly ignores the batch index."""
    a = Assignment
    return select(a.requirement_id, a.person_id, a.id, detail).where(a.batch == tag, scope)
