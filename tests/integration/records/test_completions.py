"""Records' one writer of completions: set-based, idempotent by (source, reference), never deleting; each
write says what it changed, and push applies that change to assignments once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import apply_evidence
from learnbridge.push.models import Assignment, AuditAction, AuditEvent
from learnbridge.records.completions import NewCompletion, record_completions, revoke_completions
from learnbridge.records.models import Completion, CompletionSource
from tests.factories import make_item, make_person, make_requirement

WHEN = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
ACTOR = Actor.system("test")
XAPI = CompletionSource.xapi


def count(db: Session, **where: object) -> int:
    stmt = select(func.count()).select_from(Completion).filter_by(**where)
    return db.scalar(stmt) or 0


def test_a_reference_is_recorded_once_per_source_in_one_write_or_across_writes(db: Session) -> None:
    person, item = make_person(db), make_item(db)
    same = NewCompletion(person.id, item.id, WHEN, evidence="x", reference="ref-1")
    first = record_completions(db, source=XAPI, completions=[same, same])
    again = record_completions(db, source=XAPI, completions=[same])
    other_source = record_completions(db, source=CompletionSource.csv_import, completions=[same])
    assert (len(first.added), len(again.added), len(other_source.added)) == (1, 0, 1)
    assert first.people == {person.id} and again.people == set()
    assert count(db, reference="ref-1") == 2
    [recorded] = first.added
    assert (recorded.person_id, recorded.item_id, recorded.completed_on) == (person.id, item.id, WHEN.date())


def test_without_a_reference_every_completion_is_new(db: Session) -> None:
    person, item = make_person(db), make_item(db)
    row = NewCompletion(person.id, item.id, WHEN)
    change = record_completions(db, source=CompletionSource.manual, completions=[row, row])
    assert len(change.added) == 2 and count(db, person_id=person.id) == 2


def test_revoking_keeps_the_row_and_only_attendance_style_writes_restore_it(db: Session) -> None:
    person, item = make_person(db), make_item(db)
    row = NewCompletion(person.id, item.id, WHEN, reference="ref-2")
    [added] = record_completions(db, source=XAPI, completions=[row]).added
    revoked = revoke_completions(db, source=XAPI, references=["ref-2", "ref-unknown"])
    assert revoked.revoked == [added.id] and revoked.people == {person.id}
    assert revoke_completions(db, source=XAPI, references=["ref-2"]).revoked == []
    assert record_completions(db, source=XAPI, completions=[row]).added == []
    completion = db.get(Completion, added.id)
    assert completion is not None and completion.revoked_at is not None
    restored = record_completions(db, source=XAPI, completions=[row], restore_revoked=True)
    assert [r.id for r in restored.added] == [added.id]
    db.refresh(completion)
    assert completion.revoked_at is None and count(db, person_id=person.id) == 1


def test_a_change_that_revokes_and_adds_is_applied_to_assignments_once(db: Session) -> None:
    person, item = make_person(db), make_item(db)
    make_requirement(db, items=[item], rules=[{"kind": "person", "person_id": person.id}])
    early = NewCompletion(person.id, item.id, WHEN - dt.timedelta(days=3), reference="early")
    first = apply_evidence(db, change=record_completions(db, source=XAPI, completions=[early]), actor=ACTOR)
    assert (first.completed, first.withdrawn) == (1, 0)
    late = NewCompletion(person.id, item.id, WHEN, reference="late")
    change = revoke_completions(db, source=XAPI, references=["early"])
    change |= record_completions(db, source=XAPI, completions=[late])
    assert change.people == {person.id}
    applied = apply_evidence(db, change=change, actor=ACTOR)
    assert (applied.completed, applied.withdrawn) == (1, 1)
    assignment = db.scalars(select(Assignment).where(Assignment.person_id == person.id)).one()
    db.refresh(assignment)
    assert assignment.completed_on == WHEN.date()
    actions = db.scalars(
        select(AuditEvent.action).where(AuditEvent.assignment_id == assignment.id).order_by(AuditEvent.id)
    ).all()
    done, withdrawn = AuditAction.completed.value, AuditAction.completion_withdrawn.value
    assert [a for a in actions if a in (done, withdrawn)] == [done, withdrawn, done]
