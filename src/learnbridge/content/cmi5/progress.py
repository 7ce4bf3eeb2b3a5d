"""cmi5 progress: the AU statements stored in our LRS move the learner's attempt on.

Each statement of a launched AU (stored by the content player client, in the attempt's registration,
about one of the course's generated AU ids) updates that AU's outcome in `attempt.data["cmi5"]`:
{"aus": {"<index>": {"completed", "passed", "failed", "score"}}, "satisfied": [ids]}. An AU is satisfied
by its moveOn (13.1.4): Passed, Completed, CompletedAndPassed, CompletedOrPassed, or NotApplicable
(satisfied without a launch). When all AUs of a block are, the LMS writes `satisfied` for the block;
when all of the course's are, for the course (9.3.9, once per registration, with the session id of the
launch that triggered it), and the attempt finishes through `content.service.finish_attempt`, which
records the completion. Blocks (or a course) satisfied from the start are satisfied when the attempt's
first AU is launched (9.6.1: "at the time of registration")."""

from __future__ import annotations

import copy
import json
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.content import service
from learnbridge.content.cmi5 import statements
from learnbridge.content.models import Attempt, AttemptStatus, ContentKind, ContentVersion
from learnbridge.core.db import utcnow
from learnbridge.lrs.launch import CONTENT_CLIENT_KEY
from learnbridge.lrs.launch_rules import NAMES, SESSION_ID
from learnbridge.lrs.models import LrsClient, Statement
from learnbridge.records.completions import CompletionChange

OUTCOMES = ("completed", "passed", "failed")
CHUNK = 500


def au_satisfied(move_on: str, outcome: dict[str, Any]) -> bool:
    """13.1.4 moveOn: whether an AU with these outcomes so far is satisfied."""
    completed, passed = bool(outcome.get("completed")), bool(outcome.get("passed"))
    return {
        "Passed": passed,
        "Completed": completed,
        "CompletedAndPassed": completed and passed,
        "CompletedOrPassed": completed or passed,
        "NotApplicable": True,
    }.get(move_on, False)


def state_of(attempt: Attempt) -> dict[str, Any]:
    """The attempt's cmi5 state (a copy: assign it back to change it)."""
    state = copy.deepcopy(attempt.data.get("cmi5") or {})
    state.setdefault("aus", {})
    state.setdefault("satisfied", [])
    return state


def on_statements(db: Session, statement_ids: list[int], *, base_url: str) -> CompletionChange:
    """Apply stored AU statements (by primary key) to the attempts of their registrations; finish those
    whose course is now satisfied. Returns the completions that made, for push to apply."""
    client_id = db.scalar(select(LrsClient.id).where(LrsClient.key == CONTENT_CLIENT_KEY))
    if client_id is None or not statement_ids:
        return CompletionChange()
    rows = _outcome_rows(db, sorted(set(statement_ids)), client_id)
    by_registration: dict[str, list[Statement]] = defaultdict(list)
    for row in rows:
        if row.registration:
            by_registration[row.registration].append(row)
    change = CompletionChange()
    for attempt in _attempts(db, list(by_registration)):
        change = change | _apply(db, attempt, by_registration[attempt.registration], base_url=base_url)
    return change


def _outcome_rows(db: Session, ids: list[int], client_id: int) -> list[Statement]:
    verbs = [iri for iri, name in NAMES.items() if name in OUTCOMES]
    found: list[Statement] = []
    for start in range(0, len(ids), CHUNK):
        stmt = select(Statement).where(
            Statement.id.in_(ids[start : start + CHUNK]),
            Statement.client_id == client_id,
            Statement.verb_id.in_(verbs),
            Statement.voided.is_(False),
        )
        found += db.scalars(stmt.order_by(Statement.id))
    return found


def _attempts(db: Session, registrations: list[str]) -> list[Attempt]:
    if not registrations:
        return []
    stmt = (
        select(Attempt)
        .join(ContentVersion, ContentVersion.id == Attempt.version_id)
        .where(Attempt.registration.in_(registrations), ContentVersion.kind == ContentKind.cmi5.value)
    )
    return list(db.scalars(stmt.order_by(Attempt.id)))


def _apply(db: Session, attempt: Attempt, rows: list[Statement], *, base_url: str) -> CompletionChange:
    state = state_of(attempt)
    session_id = ""
    for row in rows:
        index = statements.au_of(row.object_activity_id, attempt.version_id)
        if index is None:
            continue
        outcome = dict(state["aus"].get(str(index)) or {})
        name = NAMES[row.verb_id]
        outcome[name] = True
        score = _scaled(row)
        if score is not None and name in ("passed", "failed"):
            outcome["score"] = score
        state["aus"][str(index)] = outcome
        session_id = _session_of(row) or session_id
    return evaluate(db, attempt, state, base_url=base_url, session_id=session_id)


def evaluate(
    db: Session, attempt: Attempt, state: dict[str, Any], *, base_url: str, session_id: str = ""
) -> CompletionChange:
    """Store the state; write `satisfied` for blocks and the course newly satisfied; finish the attempt
    when the course is. A satisfied statement outside a launch gets a session id of its own (9.6.1)."""
    version = attempt.version
    aus = version.spec.get("aus") or []
    done = [au_satisfied(au["moveOn"], state["aus"].get(str(i)) or {}) for i, au in enumerate(aus)]
    for index, satisfied in enumerate(done):
        if satisfied and str(index) in state["aus"]:
            state["aus"][str(index)] = {**state["aus"][str(index)], "satisfied": True}
    actor = statements.actor_of(attempt.person.external_id, base_url.rstrip("/"))
    session_id = session_id or str(uuid.uuid4())
    built = []
    for target, kind, title, members in _targets(base_url, version, aus):
        if target in state["satisfied"] or not all(done[i] for i in members):
            continue
        state["satisfied"] = [*state["satisfied"], target]
        built.append(
            statements.satisfied(
                attempt,
                actor=actor,
                activity_id=target,
                kind=kind,
                title=title,
                session_id=session_id,
                at=utcnow(),
            )
        )
    statements.store(db, built, base_url=base_url)
    attempt.data = {**attempt.data, "cmi5": state}
    service.record_progress(attempt, progress=sum(done) / len(done) if done else 0.0)
    if not all(done) or attempt.finished:
        return CompletionChange()
    return service.finish_attempt(db, attempt, status=_status(state), score=_score(state))


def _targets(
    base_url: str, version: ContentVersion, aus: list[dict[str, Any]]
) -> list[tuple[str, str, str, list[int]]]:
    """Each block (with the AUs in it and its nested blocks) and then the course, as satisfied targets."""
    blocks = version.spec.get("blocks") or []
    members: dict[int, list[int]] = {i: [] for i in range(len(blocks))}
    for index, au in enumerate(aus):
        block = au.get("block")
        while block is not None:
            members[block].append(index)
            block = blocks[block].get("parent")
    found = [
        (statements.block_activity_id(base_url, version.id, i), "block", blocks[i]["title"], members[i])
        for i in range(len(blocks))
        if members[i]
    ]
    course = version.spec.get("course") or {}
    found.append(
        (
            statements.course_activity_id(base_url, version.id),
            "course",
            course.get("title", ""),
            list(range(len(aus))),
        )
    )
    return found


def _status(state: dict[str, Any]) -> AttemptStatus:
    passed = any(o.get("passed") for o in state["aus"].values())
    return AttemptStatus.passed if passed else AttemptStatus.completed


def _score(state: dict[str, Any]) -> float | None:
    """The mean of the AUs' reported scores (the course has no score of its own in cmi5)."""
    scores = [o["score"] for o in state["aus"].values() if o.get("score") is not None]
    return sum(scores) / len(scores) if scores else None


def _scaled(row: Statement) -> float | None:
    scaled = ((json.loads(row.full).get("result") or {}).get("score") or {}).get("scaled")
    return float(scaled) if isinstance(scaled, (int, float)) else None


def _session_of(row: Statement) -> str:
    value = ((json.loads(row.full).get("context") or {}).get("extensions") or {}).get(SESSION_ID)
    return value if isinstance(value, str) else ""
