"""xAPI completions (the stream): stored xAPI statements become completions, which satisfy assignments.

A statement counts when its verb is completed or passed (or a verb listed in the setting
`LEARNBRIDGE_XAPI_COMPLETION_VERBS`) and its object is a catalogue item's activity id. An item's
activity ids are `{base_url}/catalog/{item_id}`, the activity IRIs recorded for it (any scheme: `urn:`,
`https:`, `tag:`; catalog.activities) and, when set, the item's own `url` (what a SCORM/xAPI package
usually reports as its activity id). An item that counts sub-activities also takes a statement about any
activity whose context names one of its activities as `parent` or `grouping`.

The person is the one the actor names by any identifier xAPI allows (xAPI 1.0.3 Part 2, 2.4.2.3): whose
e-mail matches the actor's `mbox` (mailto:, case-insensitive) or `mbox_sha1sum`; whose external id is the
actor's `account.name` when `account.homePage` is the app's base URL; or who has the actor's `openid`, or
its account on another system (a foreign LMS's cmi5 launch), recorded among their identifiers. Unknown
actors are skipped and counted.

Rules on outcomes:
- `result.success == false` produces nothing (xAPI 1.0.3 Part 2, 2.4.5: success is the attempt's outcome).
- A later failed attempt does not revoke an earlier pass: a certificate, once earned, stands.
- A voided statement (xAPI 1.0.3 Part 2, 2.4.7 / Part 3, 2.2.4) revokes the completion it produced
  (Completion.revoked_at), and an assignment it completed is reopened (or, when it had renewed the
  assignment, the previous cycle comes back); any other completion may then satisfy it again
  (push.fulfilment.apply_evidence, audited as completion_withdrawn).
- Completions are recorded and revoked through records' writer (records.completions), and what one run
  changed is applied to assignments once.
- Idempotent: the completion's reference is the statement id (unique per source), so running a
  statement twice creates one completion.
- Only statements from a client trusted as evidence for mandatory training (set per client on the LRS
  clients page; off for a new client) satisfy requirements. Others still become completions, marked
  `mandatory_evidence = false`: learning done, shown in plans and history, satisfying no requirement.
- The platform's own statements (records.platform_statements: bookings, attendance, completions recorded
  by hand...) are left alone: what they report is already recorded, and turning them into completions
  would count it twice. The LRS queues no stream job for them (lrs.statements); `_load` still skips any
  in a job queued before it stopped doing so.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from learnbridge.catalog.activities import items_by_iri
from learnbridge.catalog.models import LearningItem
from learnbridge.content.cmi5 import progress as cmi5_progress
from learnbridge.content.tincan import progress as package_progress
from learnbridge.core.db import max_length
from learnbridge.core.settings import Settings
from learnbridge.lrs.clients import platform_client_id, trusted_client_ids
from learnbridge.lrs.models import LrsClient, Statement
from learnbridge.people.service import people_by_ifi
from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import apply_evidence
from learnbridge.push.models import AuditEvent
from learnbridge.records import completions as records
from learnbridge.records.completions import CompletionChange, NewCompletion
from learnbridge.records.models import CompletionSource

STATEMENTS_STORED = "records.statements_stored"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
ACTOR = Actor.system("xapi")
CHUNK = 500


@dataclass
class StreamResult:
    """What one run over stored statements did."""

    created: int = 0
    revoked: int = 0
    unknown_actors: int = 0
    unknown_activities: int = 0
    failed: int = 0
    applied: int = 0


@dataclass(frozen=True)
class _Row:
    statement_id: str
    verb_id: str
    activity_id: str | None
    target_id: str | None
    actor_ifi: str | None
    timestamp: dt.datetime
    stored: dt.datetime
    voided: bool
    full: str
    client_id: int | None


def completion_verbs(settings: Settings) -> frozenset[str]:
    """Completed and passed, plus the configured verbs (comma-separated IRIs)."""
    extra = (v.strip() for v in settings.xapi_completion_verbs.split(","))
    return frozenset({COMPLETED, PASSED, *(v for v in extra if v)})


def apply_statements(
    db: Session, *, statement_pks: list[int], base_url: str, verbs: frozenset[str]
) -> StreamResult:
    """Turn these stored statements into completions (or revocations, for voided ones), then let
    the people concerned have their assignments satisfied or reopened."""
    pks = sorted(set(statement_pks))
    rows = _load(db, pks, verbs)
    result = StreamResult()
    voided = [r.statement_id for r in rows if r.voided] + _voiding_targets(rows)
    revoked = records.revoke_completions(db, source=CompletionSource.xapi, references=voided)
    result.revoked = len(revoked.revoked)
    created = _create(db, [r for r in rows if not r.voided and r.verb_id in verbs], base_url, result)
    # Launched cmi5 AUs and xAPI packages report to this LRS: their statements move their attempts on.
    launched = cmi5_progress.on_statements(db, statement_pks, base_url=base_url)
    launched |= package_progress.on_statements(db, statement_pks)
    change = revoked | created | launched
    result.applied = apply_evidence(db, change=change, actor=_actor(db, pks)).completed
    return result


def _actor(db: Session, pks: list[int]) -> Actor:
    """The audit trail names the LRS clients whose statements caused a change (one request's statements
    come from one client), not just "xapi"."""
    ids: set[int] = set()
    for chunk in _chunks(pks):
        sent_by = select(Statement.client_id).where(Statement.id.in_(chunk), Statement.client_id.is_not(None))
        ids.update(db.scalars(sent_by.distinct()))
    clients = db.execute(select(LrsClient.name, LrsClient.key).where(LrsClient.id.in_(sorted(ids)))).all()
    if not clients:
        return ACTOR
    named = ", ".join(f"{name} (key {key})" for name, key in clients)
    return Actor(label=f"LRS client {named}"[: max_length(AuditEvent.actor)])


def _load(db: Session, pks: list[int], verbs: frozenset[str]) -> list[_Row]:
    """The statements that can complete or revoke anything (a completion verb, a voiding statement, a
    voided one), less the platform's own: most of a busy LRS's statements (answered, progressed,
    experienced...) are not read back at all."""
    matters = or_(Statement.verb_id.in_(sorted(verbs | {VOIDED})), Statement.voided.is_(True))
    rows: list[_Row] = []
    platform = platform_client_id(db)
    for chunk in _chunks(pks):
        stmt = select(
            Statement.statement_id,
            Statement.verb_id,
            Statement.object_activity_id,
            Statement.object_statement_id,
            Statement.actor_ifi,
            Statement.timestamp,
            Statement.stored,
            Statement.voided,
            Statement.full,
            Statement.client_id,
        ).where(Statement.id.in_(chunk), matters)
        if platform is not None:
            stmt = stmt.where(Statement.client_id.is_distinct_from(platform))
        rows.extend(_Row(*tuple(row)) for row in db.execute(stmt))
    return rows


def _voiding_targets(rows: list[_Row]) -> list[str]:
    """A voiding statement names its target (StatementRef): revoke from it too, so the stream does
    not depend on whether the target or the voiding statement was enqueued."""
    return [r.target_id for r in rows if r.verb_id == VOIDED and r.target_id and not r.voided]


def _create(db: Session, rows: list[_Row], base_url: str, result: StreamResult) -> CompletionChange:
    rows = [r for r in rows if r.activity_id]
    successful = [r for r in rows if _success(r.full) is not False]
    result.failed += len(rows) - len(successful)
    # People first: a statement about someone who is not a person here needs no item looked up.
    people = _people_by_ifi(db, {r.actor_ifi for r in successful if r.actor_ifi}, base_url)
    known = [r for r in successful if people.get(r.actor_ifi or "") is not None]
    result.unknown_actors += len(successful) - len(known)
    items = _items_by_activity(db, {r.activity_id for r in known if r.activity_id}, base_url)
    within = _items_by_context(db, [r for r in known if r.activity_id not in items], base_url)
    trusted = trusted_client_ids(db) if known else set()
    wanted: list[NewCompletion] = []
    for row in known:
        item_id = items.get(row.activity_id or "") or within.get(row.statement_id)
        if item_id is None:
            result.unknown_activities += 1
        else:
            person_id = people[row.actor_ifi or ""]
            wanted.append(_completion(row, person_id=person_id, item_id=item_id, trusted=trusted))
    change = records.record_completions(db, source=CompletionSource.xapi, completions=wanted)
    result.created += len(change.added)
    return change


def _completion(row: _Row, *, person_id: int, item_id: int, trusted: set[int]) -> NewCompletion:
    # A statement may carry a future timestamp (xAPI allows it); a completion cannot lie in the future.
    return NewCompletion(
        person_id=person_id,
        item_id=item_id,
        completed_at=min(row.timestamp, row.stored),
        evidence=f"xAPI statement {row.statement_id} ({row.verb_id.rsplit('/', 1)[-1]})",
        reference=row.statement_id,
        mandatory_evidence=row.client_id in trusted,
    )


def _success(full: str) -> bool | None:
    result = json.loads(full).get("result")
    success = result.get("success") if isinstance(result, dict) else None
    return success if isinstance(success, bool) else None


_CATALOG = re.compile(r"/catalog/(\d+)$")


def _items_by_context(db: Session, rows: list[_Row], base_url: str) -> dict[str, int]:
    """Statement ids to item ids, for statements about a sub-activity of an item that counts them: their
    context names one of the item's activities as parent or grouping (catalog.activities)."""
    named: dict[str, list[str]] = {}
    for row in rows:
        context = json.loads(row.full).get("context") or {}
        found = context.get("contextActivities") or {}
        named[row.statement_id] = [
            a["id"]
            for kind in ("parent", "grouping")
            for a in (found.get(kind) or [])
            if isinstance(a, dict) and isinstance(a.get("id"), str)
        ]
    items = _items_by_activity(db, {iri for iris in named.values() for iri in iris}, base_url)
    counting = set(
        db.scalars(
            select(LearningItem.id).where(
                LearningItem.id.in_(set(items.values())), LearningItem.xapi_sub_activities.is_(True)
            )
        )
    )
    out: dict[str, int] = {}
    for statement_id, iris in named.items():
        for iri in iris:
            if items.get(iri) in counting:
                out[statement_id] = items[iri]
                break
    return out


def _items_by_activity(db: Session, activity_ids: set[str], base_url: str) -> dict[str, int]:
    """Activity ids to item ids: ours (`{base_url}/catalog/{id}`), an item's own activity IRIs
    (catalog.activities) or an item's own url."""
    prefix = base_url.rstrip("/") + "/catalog/"
    ours = {
        a: int(a.removeprefix(prefix)) for a in activity_ids if a.startswith(prefix) and _CATALOG.search(a)
    }
    found: dict[str, int] = {}
    others = sorted(activity_ids - set(ours))
    for chunk in _chunks(sorted(set(ours.values()))):
        known = set(db.scalars(select(LearningItem.id).where(LearningItem.id.in_(chunk))))
        found.update({a: i for a, i in ours.items() if i in known})
    recorded = items_by_iri(db, others)
    found.update(recorded)
    for chunk in _chunks([a for a in others if a not in recorded]):
        stmt = select(LearningItem.url, func.min(LearningItem.id)).where(LearningItem.url.in_(chunk))
        found.update(dict(db.execute(stmt.group_by(LearningItem.url)).all()))
    return found


def _people_by_ifi(db: Session, ifis: set[str], base_url: str) -> dict[str, int]:
    """Actor identifiers to person ids, by any identifier xAPI allows (people.service.people_by_ifi)."""
    return people_by_ifi(db, ifis=ifis, home_page=base_url)


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]
