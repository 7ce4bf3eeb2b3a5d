"""The job that writes platform events: a no-show voids an earlier attendance, a retried job stores
nothing twice, the platform's statements queue no stream job (and the stream leaves them alone),
assignments are written a chunk per job, and the push/pull balance can be counted from the LRS alone."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import principal_for
from learnbridge.core.jobs import Job
from learnbridge.lrs.clients import PLATFORM_CLIENT_KEY, client_for_basic, list_clients
from learnbridge.lrs.models import LrsClient, Statement
from learnbridge.lrs.query import StatementQuery, find_statements
from learnbridge.lrs.statements import STORED_JOB, receive_statements
from learnbridge.pull.plans import add_goal
from learnbridge.push import jobs as push_jobs
from learnbridge.push import platform_events as push_events
from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import record_completion
from learnbridge.push.xapi_completions import apply_statements, completion_verbs
from learnbridge.records import service as records
from learnbridge.records.jobs import job_handlers
from learnbridge.records.models import Completion, Origin
from learnbridge.records.platform_events import JOB
from learnbridge.records.platform_iris import VOIDED, item_activity_id
from learnbridge.sessions import booking as bookings
from learnbridge.sessions.attendance import mark_attendance
from learnbridge.sessions.platform_events import registration
from tests.factories import make_account, make_item, make_person, make_plan, make_requirement, make_session
from tests.helpers.lrs import basic, lrs_headers
from tests.integration.records.platform_helpers import (
    BASE,
    ORIGIN,
    SETTINGS,
    origin_of,
    platform_rows,
    platform_statements,
    run_jobs,
)

ADMIN = Actor(label="admin@example.org")


def test_a_later_no_show_voids_the_attendance_and_attending_again_is_a_new_statement(db: Session) -> None:
    session = make_session(db)
    person = make_person(db)
    booking = bookings.book_seat(db, session_id=session.id, person_id=person.id)
    now = dt.datetime.now(dt.UTC)
    session.starts_at, session.ends_at = now - dt.timedelta(hours=3), now - dt.timedelta(hours=1)
    principal = principal_for(db, make_account(db, ld_admin=True))

    def mark(minutes: int, **marks: list[int]) -> None:
        at = now + dt.timedelta(minutes=minutes)
        mark_attendance(db, session_id=session.id, principal=principal, now=at, **marks)
        run_jobs(db)

    mark(0, attended=[person.id], no_show=[])
    [attended] = platform_rows(db, "attended")
    mark(10, attended=[], no_show=[person.id])
    [voided] = platform_rows(db, "attended")
    assert voided.statement_id == attended.statement_id and voided.voided
    [voiding] = [json.loads(r.full) for r in platform_rows(db) if r.verb_id == VOIDED]
    assert voiding["object"] == {"objectType": "StatementRef", "id": attended.statement_id}
    assert voiding["actor"]["account"] == {"homePage": f"{BASE}/xapi", "name": "learnbridge"}
    assert voiding["context"]["registration"] == registration(booking.id)
    # The LRS no longer returns it, except by voidedStatementId.
    found, _ = find_statements(db, query=StatementQuery(registration=registration(booking.id)))
    assert attended.statement_id not in {row.statement_id for row in found}
    mark(20, attended=[person.id], no_show=[])
    first, second = platform_rows(db, "attended")
    assert (first.voided, second.voided) == (True, False)
    assert second.registration == registration(booking.id)


def test_a_retried_job_stores_each_statement_once_even_if_the_person_changed(db: Session) -> None:
    person = make_person(db)
    records.record_opening(db, person_id=person.id, item_id=make_item(db).id, origin=Origin.self)
    db.flush()
    [job] = db.scalars(select(Job).where(Job.kind == JOB))
    handler = job_handlers(SETTINGS)[JOB]
    handler(db, job.payload)
    [stored] = platform_statements(db)
    person.name, person.email = "Renamed", "renamed@example.org"
    db.flush()
    handler(db, job.payload)
    run_jobs(db)
    assert platform_statements(db) == [stored]


def test_the_assignment_job_is_idempotent_and_goes_a_chunk_per_job(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(push_events, "CHUNK", 2)
    people = [make_person(db) for _ in range(5)]
    make_requirement(db, items=[make_item(db)], rules=[{"kind": "person", "person_id": p.id} for p in people])
    outcomes = run_jobs(db)
    assert len(platform_statements(db, "assigned")) == 5
    # Five rows two at a time: the first job and two more it queued in turn.
    assert [o.kind for o in outcomes].count(push_events.ASSIGNMENTS_JOB) == 3
    # Each of those jobs run again (a retry) stores nothing new.
    handler = push_jobs.job_handlers(SETTINGS)[push_events.ASSIGNMENTS_JOB]
    for job in db.scalars(select(Job).where(Job.kind == push_events.ASSIGNMENTS_JOB)).all():
        handler(db, job.payload)
    assert len(platform_statements(db, "assigned")) == 5


def test_the_stream_leaves_the_platforms_own_statements_alone(db: Session) -> None:
    person = make_person(db)
    item = make_item(db)
    make_requirement(db, items=[item], rules=[{"kind": "person", "person_id": person.id}])
    when = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    record_completion(db, person_id=person.id, item_id=item.id, completed_at=when, evidence="", actor=ADMIN)
    ran = {outcome.kind for outcome in run_jobs(db)}
    [completed] = platform_rows(db, "completed")
    # The platform's statement was stored, and queued no stream job: it would only have been dropped.
    assert JOB in ran and STORED_JOB not in ran
    assert stream_jobs(db) == 0
    sources = db.scalars(select(Completion.source).where(Completion.person_id == person.id)).all()
    assert sources == ["manual"]
    result = apply_statements(
        db, statement_pks=[completed.id], base_url=BASE, verbs=completion_verbs(SETTINGS)
    )
    assert (result.created, result.unknown_actors, result.unknown_activities) == (0, 0, 0)
    # The same statement from any other client is evidence.
    other = lrs_headers(db)
    client = client_for_basic(db, other["Authorization"])
    assert client is not None
    document = {
        k: v
        for k, v in json.loads(completed.full).items()
        if k not in ("id", "stored", "authority", "version")
    }
    [sid] = receive_statements(
        db, document=document, attachments={}, client=client, version="1.0.3", put_id=None
    )
    row = db.scalars(select(Statement).where(Statement.statement_id == sid)).one()
    assert stream_jobs(db) == 1
    apply_statements(db, statement_pks=[row.id], base_url=BASE, verbs=completion_verbs(SETTINGS))
    assert sorted(db.scalars(select(Completion.source).where(Completion.person_id == person.id))) == [
        "manual",
        "xapi",
    ]


def stream_jobs(db: Session) -> int:
    """Stream jobs queued, whatever became of them."""
    return db.scalar(select(func.count()).select_from(Job).where(Job.kind == STORED_JOB)) or 0


def test_nobody_can_sign_in_as_the_platform_and_it_is_not_listed(db: Session) -> None:
    run_jobs(db)
    records.record_opening(db, person_id=make_person(db).id, item_id=make_item(db).id, origin=Origin.self)
    run_jobs(db)
    platform = db.scalars(select(LrsClient).where(LrsClient.key == PLATFORM_CLIENT_KEY)).one()
    assert not platform.active and platform.secret_hash == ""
    assert client_for_basic(db, basic(PLATFORM_CLIENT_KEY, "")) is None
    assert platform.id not in {c.id for c in list_clients(db)}


def _all_statements(client: TestClient, headers: dict[str, str], agent: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    page = client.get("/xapi/statements", params={"agent": agent, "limit": "2"}, headers=headers).json()
    found += page["statements"]
    while page.get("more"):
        page = client.get(page["more"], headers=headers).json()
        found += page["statements"]
    return found


def test_push_and_pull_are_counted_from_the_lrs_alone(client: TestClient, db: Session, app: Any) -> None:
    person = make_person(db, email="mix@example.org")
    item, resource = make_item(db), make_item(db, kind="resource")
    make_requirement(db, items=[item], rules=[{"kind": "person", "person_id": person.id}])
    session = make_session(db)
    bookings.book_seat(db, session_id=session.id, person_id=person.id, origin=Origin.self)
    records.record_opening(db, person_id=person.id, item_id=resource.id, origin=Origin.recommendation)
    records.record_opening(db, person_id=person.id, item_id=resource.id, origin=Origin.recommendation)
    add_goal(db, plan_id=make_plan(db, person=person).id, title="Drive a reach truck")
    when = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    record_completion(db, person_id=person.id, item_id=item.id, completed_at=when, evidence="", actor=ADMIN)
    run_jobs(db)
    # A reader with LRS credentials and nothing else: the statements say where each piece came from.
    headers = lrs_headers(db, scopes=["statements/read"], name="Insights")
    agent = json.dumps({"mbox": "mailto:mix@example.org"})
    statements = _all_statements(client, headers, agent)
    counts = Counter(
        s["context"]["extensions"][ORIGIN]
        for s in statements
        if ORIGIN in (s.get("context") or {}).get("extensions", {})
    )
    assert counts == {"requirement": 2, "self": 1, "recommendation": 2, "plan": 1}
    pushed = sum(counts[o] for o in ("requirement", "manager"))
    assert (pushed, sum(counts.values()) - pushed) == (2, 4)
    assert {origin_of(s) for s in platform_statements(db)} == set(counts)
    assert item_activity_id(BASE, item.id) in {s["object"]["id"] for s in statements}


def test_one_statement_that_breaks_a_rule_does_not_hold_back_the_others(db: Session) -> None:
    good, bad = make_person(db), make_person(db, email="two words@example.org")
    rules = [{"kind": "person", "person_id": p.id} for p in (good, bad)]
    make_requirement(db, items=[make_item(db)], rules=rules)
    run_jobs(db)
    assert [s["actor"]["mbox"] for s in platform_statements(db, "assigned")] == [f"mailto:{good.email}"]
