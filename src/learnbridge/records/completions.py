"""The one writer of completions. Attendance, the xAPI stream, imports, the demo and completions recorded
by hand all record and revoke through here, set-based: one INSERT ... ON CONFLICT DO NOTHING per chunk,
one UPDATE per chunk, each RETURNING the rows it changed.

A completion is idempotent by (source, reference) (the unique constraint): recording a reference again
adds nothing, however many workers try at once. A completion without a reference (recorded by hand, or
imported from a file that has none) is always new.

Each write returns a `CompletionChange`: the completions it added, restored or revoked and the people
they belong to. The caller hands it to push (`push.fulfilment.apply_evidence`), which applies it to
assignments once; records, below push, cannot do that itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from learnbridge.core.db import table_of, utcnow
from learnbridge.records.models import Completion, CompletionSource

# 12 parameters a row: far below SQLite's 32,766 and PostgreSQL's 65,535 bind parameters.
CHUNK = 500


@dataclass(frozen=True)
class NewCompletion:
    """A completion to record: `reference` is the source system's id for it, if it has one."""

    person_id: int
    item_id: int
    completed_at: dt.datetime
    evidence: str = ""
    reference: str | None = None
    mandatory_evidence: bool = True


@dataclass(frozen=True)
class Recorded:
    """A completion a write added or restored."""

    id: int
    person_id: int
    item_id: int
    completed_on: dt.date
    evidence: str


@dataclass
class CompletionChange:
    """What one or more writes changed: the evidence push applies to assignments, once."""

    added: list[Recorded] = field(default_factory=list)
    revoked: list[int] = field(default_factory=list)
    revoked_people: set[int] = field(default_factory=set)

    @property
    def people(self) -> set[int]:
        """Everyone whose evidence changed."""
        return {r.person_id for r in self.added} | self.revoked_people

    def __or__(self, other: CompletionChange) -> CompletionChange:
        return CompletionChange(
            added=self.added + other.added,
            revoked=self.revoked + other.revoked,
            revoked_people=self.revoked_people | other.revoked_people,
        )


def record_completions(
    db: Session,
    *,
    source: CompletionSource,
    completions: Sequence[NewCompletion],
    recorded_by_id: int | None = None,
    restore_revoked: bool = False,
) -> CompletionChange:
    """Record these completions; one whose (source, reference) is already recorded is left as it is, or,
    with `restore_revoked`, counts again if it had been revoked (attendance marked again after a no-show).
    Returns what was added or restored."""
    change = CompletionChange()
    now = utcnow()
    rows = [_row(c, source=source, recorded_by_id=recorded_by_id, now=now) for c in completions]
    for start in range(0, len(rows), CHUNK):
        change.added += _insert(db, rows[start : start + CHUNK])
    if restore_revoked:
        references = sorted({c.reference for c in completions if c.reference is not None})
        change.added += _restore(db, source=source, references=references)
    return change


def revoke_completions(
    db: Session, *, source: CompletionSource, references: Sequence[str], at: dt.datetime | None = None
) -> CompletionChange:
    """Revoke the completions these references recorded (a voided statement, a no-show); a completion is
    never deleted. Those already revoked stay as they were."""
    at = at or utcnow()
    change = CompletionChange()
    ordered = sorted(set(references))
    for start in range(0, len(ordered), CHUNK):
        stmt = (
            update(Completion)
            .where(
                Completion.source == source.value,
                Completion.reference.in_(ordered[start : start + CHUNK]),
                Completion.revoked_at.is_(None),
            )
            .values(revoked_at=at)
            .returning(Completion.id, Completion.person_id)
        )
        for completion_id, person_id in db.execute(stmt, execution_options={"synchronize_session": False}):
            change.revoked.append(completion_id)
            change.revoked_people.add(person_id)
    _refresh(db, change.revoked)
    return change


def _row(
    completion: NewCompletion, *, source: CompletionSource, recorded_by_id: int | None, now: dt.datetime
) -> dict[str, Any]:
    completed_at = completion.completed_at.astimezone(dt.UTC)
    return {
        "person_id": completion.person_id,
        "item_id": completion.item_id,
        "completed_at": completed_at,
        "completed_on": completed_at.date(),
        "source": source.value,
        "evidence": completion.evidence.strip(),
        "reference": completion.reference,
        "recorded_by_id": recorded_by_id,
        "recorded_at": now,
        "mandatory_evidence": completion.mandatory_evidence,
        "revoked_at": None,
    }


def _returned() -> tuple[Any, ...]:
    c = table_of(Completion).c
    return (c.id, c.person_id, c.item_id, c.completed_on, c.evidence)


def _recorded(rows: Sequence[Row[Any]]) -> list[Recorded]:
    return [Recorded(*tuple(row)) for row in rows]


def _insert(db: Session, rows: list[dict[str, Any]]) -> list[Recorded]:
    """One multi-row INSERT; a (source, reference) already there, or twice in the rows, is skipped."""
    if not rows:
        return []
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(table_of(Completion))
        .values(rows)
        .on_conflict_do_nothing(index_elements=["source", "reference"])
        .returning(*_returned())
    )
    return _recorded(db.execute(stmt).all())


def _restore(db: Session, *, source: CompletionSource, references: list[str]) -> list[Recorded]:
    restored: list[Recorded] = []
    for start in range(0, len(references), CHUNK):
        stmt = (
            update(Completion)
            .where(
                Completion.source == source.value,
                Completion.reference.in_(references[start : start + CHUNK]),
                Completion.revoked_at.is_not(None),
            )
            .values(revoked_at=None)
            .returning(*_returned())
        )
        restored += _recorded(db.execute(stmt, execution_options={"synchronize_session": False}).all())
    _refresh(db, [r.id for r in restored])
    return restored


def _refresh(db: Session, completion_ids: list[int]) -> None:
    """The UPDATEs bypass the identity map: expire the completions it holds that they changed, so that
    a caller holding one reads its new state."""
    changed = set(completion_ids)
    for obj in list(db.identity_map.values()):
        if isinstance(obj, Completion) and obj.id in changed:
            db.expire(obj)
