"""xAPI completions (the stream): stored xAPI statements become completions that satisfy assignments;
voiding revokes."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from learnbridge.core.db import utcnow
from learnbridge.core.jobs import enqueue, run_pending
from learnbridge.core.settings import Settings
from learnbridge.jobs import job_handlers
from learnbridge.lrs.clients import create_client
from learnbridge.lrs.models import LrsClient, Statement
from learnbridge.lrs.statements import receive_statements
from learnbridge.push.models import Assignment, AuditAction, AuditEvent
from learnbridge.push.xapi_completions import (
    COMPLETED,
    PASSED,
    STATEMENTS_STORED,
    VOIDED,
    apply_statements,
    completion_verbs,
)
from learnbridge.records.models import Completion
from learnbridge.records.platform_iris import item_activity_id
from tests.factories import make_item, make_person, make_requirement

BASE = "https://lb.example.org"
SETTINGS = Settings(base_url=BASE, xapi_completion_verbs="https://w3id.org/xapi/dod-isd/verbs/qualified")
VERBS = completion_verbs(SETTINGS)
WHEN = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def store(
    db: Session,
    *,
    actor: dict[str, Any],
    verb: str,
    activity: str | None = None,
    target: str | None = None,
    success: bool | None = None,
    client: LrsClient | None = None,
) -> Statement:
    """A statement as X2's store writes it: indexed columns and the full JSON; sent by a client trusted
    as evidence for mandatory training unless another is given."""
    statement_id = str(uuid.uuid4())
    ifi = (
        f"mbox:{actor['mbox']}"
        if "mbox" in actor
        else f"account:{actor['account']['homePage']}|{actor['account']['name']}"
    )
    obj: dict[str, Any] = {"objectType": "StatementRef", "id": target} if target else {"id": activity}
    full: dict[str, Any] = {"id": statement_id, "actor": actor, "verb": {"id": verb}, "object": obj}
    if success is not None:
        full["result"] = {"success": success}
    row = Statement(
        statement_id=statement_id,
        stored=utcnow(),
        timestamp=WHEN,
        actor_ifi=ifi,
        verb_id=verb,
        object_type="StatementRef" if target else "Activity",
        object_activity_id=activity,
        object_statement_id=target,
        version="1.0.3",
        full=json.dumps(full),
        client_id=(client or trusted_client(db)).id,
    )
    db.add(row)
    db.flush()
    return row


def trusted_client(db: Session) -> LrsClient:
    found = db.scalar(select(LrsClient).where(LrsClient.name == "Trusted player"))
    if found is None:
        found, _ = create_client(db, name="Trusted player", home_page=BASE, counts_as_evidence=True)
    return found


def run(db: Session, *statements: Statement) -> Any:
    return apply_statements(db, statement_pks=[s.id for s in statements], base_url=BASE, verbs=VERBS)


def completions(db: Session, person_id: int) -> list[Completion]:
    return list(db.scalars(select(Completion).where(Completion.person_id == person_id)))


def assignment_of(db: Session, person_id: int) -> Assignment:
    found = db.scalar(select(Assignment).where(Assignment.person_id == person_id))
    assert found is not None
    db.refresh(found)
    return found


def test_a_completed_statement_through_the_job_queue_completes_the_assignment(
    db: Session, sessions: sessionmaker[Session]
) -> None:
    person = make_person(db, email="Ada@Example.org")
    item = make_item(db)
    make_requirement(db, items=[item])
    statement = store(
        db, actor={"mbox": "mailto:ada@example.org"}, verb=COMPLETED, activity=item_activity_id(BASE, item.id)
    )
    enqueue(db, STATEMENTS_STORED, {"ids": [statement.id]})
    db.flush()
    assert run_pending(sessions, job_handlers(SETTINGS), worker_id="test") >= 1
    [completion] = completions(db, person.id)
    assert (completion.source, completion.reference, completion.item_id) == (
        "xapi",
        statement.statement_id,
        item.id,
    )
    assert completion.completed_at == WHEN and completion.revoked_at is None
    assignment = assignment_of(db, person.id)
    assert assignment.completed_on == WHEN.date() and assignment.completion_id == completion.id


def test_passed_with_success_false_creates_nothing_and_a_later_failure_does_not_revoke(db: Session) -> None:
    person = make_person(db)
    item = make_item(db)
    activity = item_activity_id(BASE, item.id)
    failed = store(
        db, actor={"mbox": f"mailto:{person.email}"}, verb=PASSED, activity=activity, success=False
    )
    result = run(db, failed)
    assert (result.created, result.failed) == (0, 1) and completions(db, person.id) == []
    passed = store(db, actor={"mbox": f"mailto:{person.email}"}, verb=PASSED, activity=activity, success=True)
    again = store(
        db, actor={"mbox": f"mailto:{person.email}"}, verb=COMPLETED, activity=activity, success=False
    )
    assert run(db, passed, again).created == 1
    assert [c.revoked_at for c in completions(db, person.id)] == [None]


def test_unknown_actors_and_activities_are_skipped_and_counted(db: Session) -> None:
    person = make_person(db)
    item = make_item(db)
    activity = item_activity_id(BASE, item.id)
    stranger = store(db, actor={"mbox": "mailto:nobody@elsewhere.org"}, verb=COMPLETED, activity=activity)
    other_home = store(
        db,
        actor={"account": {"homePage": "https://other.org", "name": person.external_id}},
        verb=COMPLETED,
        activity=activity,
    )
    no_item = store(
        db, actor={"mbox": f"mailto:{person.email}"}, verb=COMPLETED, activity=f"{BASE}/catalog/999999"
    )
    attempted = store(
        db,
        actor={"mbox": f"mailto:{person.email}"},
        verb="http://adlnet.gov/expapi/verbs/attempted",
        activity=activity,
    )
    result = run(db, stranger, other_home, no_item, attempted)
    assert (result.created, result.unknown_actors, result.unknown_activities) == (0, 2, 1)
    assert completions(db, person.id) == []


def test_an_account_actor_a_configured_verb_and_the_items_own_url_count(db: Session) -> None:
    person = make_person(db)
    item = make_item(db, url="https://content.example.com/courses/fire-safety")
    statement = store(
        db,
        actor={"account": {"homePage": BASE + "/", "name": person.external_id}},
        verb="https://w3id.org/xapi/dod-isd/verbs/qualified",
        activity="https://content.example.com/courses/fire-safety",
    )
    assert run(db, statement).created == 1
    assert [c.item_id for c in completions(db, person.id)] == [item.id]


def test_the_same_statement_twice_gives_one_completion(db: Session) -> None:
    person = make_person(db)
    item = make_item(db)
    statement = store(
        db, actor={"mbox": f"mailto:{person.email}"}, verb=COMPLETED, activity=item_activity_id(BASE, item.id)
    )
    assert (
        apply_statements(db, statement_pks=[statement.id, statement.id], base_url=BASE, verbs=VERBS).created
        == 1
    )
    assert run(db, statement).created == 0
    assert len(completions(db, person.id)) == 1


def test_voiding_revokes_the_completion_and_reopens_the_assignment(db: Session) -> None:
    person = make_person(db)
    item = make_item(db)
    make_requirement(db, items=[item])
    statement = store(
        db, actor={"mbox": f"mailto:{person.email}"}, verb=COMPLETED, activity=item_activity_id(BASE, item.id)
    )
    run(db, statement)
    assert assignment_of(db, person.id).completed_on is not None
    voiding = store(
        db, actor={"mbox": "mailto:admin@example.org"}, verb=VOIDED, target=statement.statement_id
    )
    statement.voided = True
    db.flush()
    result = run(db, statement, voiding)
    assert result.revoked == 1
    [completion] = completions(db, person.id)
    assert completion.revoked_at is not None
    assignment = assignment_of(db, person.id)
    assert (assignment.completed_on, assignment.completion_id) == (None, None)
    withdrawn = select(AuditEvent.id).where(
        AuditEvent.assignment_id == assignment.id, AuditEvent.action == AuditAction.completion_withdrawn.value
    )
    assert len(db.scalars(withdrawn).all()) == 1
    assert run(db, statement).revoked == 0  # again: nothing more to revoke


def test_after_voiding_another_completion_still_satisfies_the_assignment(db: Session) -> None:
    person = make_person(db)
    item = make_item(db)
    make_requirement(db, items=[item])
    activity = item_activity_id(BASE, item.id)
    first = store(db, actor={"mbox": f"mailto:{person.email}"}, verb=COMPLETED, activity=activity)
    second = store(db, actor={"mbox": f"mailto:{person.email}"}, verb=PASSED, activity=activity, success=True)
    run(db, first, second)
    assert assignment_of(db, person.id).completion_id is not None
    first.voided = True
    db.flush()
    assert run(db, first).revoked == 1
    kept = db.scalar(select(Completion).where(Completion.reference == second.statement_id))
    assert kept is not None
    assert assignment_of(db, person.id).completion_id == kept.id


def test_statements_received_by_the_lrs_complete_and_voiding_through_the_lrs_reopens(
    db: Session, sessions: sessionmaker[Session]
) -> None:
    """End to end with the store: it enqueues the job with the new statements' keys."""
    person = make_person(db)
    item = make_item(db)
    make_requirement(db, items=[item])
    client, _ = create_client(db, name="Course player", home_page=BASE, counts_as_evidence=True)
    handlers = job_handlers(SETTINGS)

    def post(document: dict[str, Any]) -> str:
        [statement_id] = receive_statements(
            db, document=document, attachments={}, client=client, version="1.0.3", put_id=None
        )
        db.flush()
        run_pending(sessions, handlers, worker_id="test")
        return statement_id

    completed = post(
        {
            "actor": {"mbox": f"mailto:{person.email}"},
            "verb": {"id": COMPLETED},
            "object": {"id": item_activity_id(BASE, item.id)},
        }
    )
    assert assignment_of(db, person.id).completed_on is not None
    post(
        {
            "actor": {"mbox": "mailto:lrs-admin@example.org"},
            "verb": {"id": VOIDED},
            "object": {"objectType": "StatementRef", "id": completed},
        }
    )
    [completion] = completions(db, person.id)
    assert completion.reference == completed and completion.revoked_at is not None
    assert assignment_of(db, person.id).completed_on is None


def test_an_untrusted_clients_completion_is_learning_done_but_satisfies_no_requirement(db: Session) -> None:
    """Any client may write statements; only one an admin trusts as evidence completes mandatory training."""
    person, item = make_person(db), make_item(db)
    make_requirement(db, items=[item])
    untrusted, _ = create_client(db, name="Unknown tool", home_page=BASE)
    actor = {"mbox": f"mailto:{person.email}"}
    statement = store(
        db, actor=actor, verb=COMPLETED, activity=item_activity_id(BASE, item.id), client=untrusted
    )
    run(db, statement)
    [completion] = completions(db, person.id)
    assert completion.mandatory_evidence is False and completion.revoked_at is None
    assert assignment_of(db, person.id).completed_on is None
    trusted = store(db, actor=actor, verb=COMPLETED, activity=item_activity_id(BASE, item.id))
    run(db, trusted)
    [counted] = [c for c in completions(db, person.id) if c.mandatory_evidence]
    assert assignment_of(db, person.id).completion_id == counted.id


def test_the_audit_trail_names_the_client_whose_statement_completed_and_voided(db: Session) -> None:
    person, item = make_person(db), make_item(db)
    make_requirement(db, items=[item])
    player = trusted_client(db)
    actor = {"mbox": f"mailto:{person.email}"}
    completed = store(db, actor=actor, verb=COMPLETED, activity=item_activity_id(BASE, item.id))
    run(db, completed)
    voiding = store(db, actor=actor, verb=VOIDED, target=completed.statement_id)
    completed.voided = True
    run(db, voiding)
    rows = db.execute(
        select(AuditEvent.action, AuditEvent.actor)
        .where(AuditEvent.person_id == person.id)
        .order_by(AuditEvent.id)
    ).all()
    named = f"LRS client Trusted player (key {player.key})"
    assert (AuditAction.completed.value, named) in rows
    assert (AuditAction.completion_withdrawn.value, named) in rows
    assert not [actor for _, actor in rows if actor == "system (xapi)"]
