"""Storing and finding xAPI statements (xAPI 1.0.3 Part 3, 2.1; IEEE 9274.1.1).

A batch is all or nothing: the route commits only when every statement was accepted. `stored` is strictly
increasing with the primary key, so paging on the key (the `more` cursor) agrees with `since`/`until`."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, any_, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from learnbridge.core.db import table_of, utcnow
from learnbridge.core.errors import Conflict, DomainError, Forbidden
from learnbridge.core.jobs import enqueue
from learnbridge.lrs.activities import merge_activity_definitions, merged_definition
from learnbridge.lrs.bulk import insert_rows, is_postgresql, next_keys
from learnbridge.lrs.clients import ADMIN_SCOPE, PLATFORM_CLIENT_KEY
from learnbridge.lrs.compat import normalise_statements
from learnbridge.lrs.format import activities_in, agents_in, equivalent, ifi_of
from learnbridge.lrs.launch_rules import check_statements, record_statements
from learnbridge.lrs.models import (
    Attachment,
    LaunchSession,
    LrsClient,
    Statement,
    StatementActivity,
    StatementAgent,
)
from learnbridge.lrs.signature import check_signatures
from learnbridge.lrs.validate import validate_statement

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
MAX_LIMIT = 500
STORED_JOB = "records.statements_stored"
# An arbitrary constant naming the advisory lock statement writers queue on (PostgreSQL).
WRITERS_LOCK = 90_274_001


def _bad(message: str) -> DomainError:
    return DomainError(message)


def parse_time(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    # A timestamp without a zone is taken as UTC (Part 2, 2.4.7).
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _voided_target(statement: dict[str, Any]) -> str | None:
    target = statement.get("object") or {}
    if statement.get("verb", {}).get("id") != VOIDED:
        return None
    if target.get("objectType") != "StatementRef":
        raise _bad("object: a voiding statement's object must be a StatementRef (Part 2, 2.4.8)")
    return str(target["id"]).lower()


def queue_writers(db: Session) -> None:
    """On PostgreSQL, one statement writer at a time until commit, so keys, `stored` and commit order
    agree (a `more` cursor never skips a statement committed late) and the id-conflict check cannot race.
    SQLite's write lock, taken before the route reads, already does this. Work that changes launch
    sessions and then stores statements takes it first, as the LRS does (lrs.launch_rules), so the two
    never wait on each other in opposite orders."""
    if is_postgresql(db):
        db.execute(select(func.pg_advisory_xact_lock(WRITERS_LOCK)))


def _last_stored(db: Session) -> tuple[int | None, dt.datetime]:
    """The last statement's key, and a `stored` strictly after its own, so `stored` orders like the key
    even when the clock steps back."""
    last = db.execute(select(Statement.id, Statement.stored).order_by(Statement.id.desc()).limit(1)).first()
    now = utcnow()
    return (None, now) if last is None else (last.id, max(now, last.stored + dt.timedelta(microseconds=1)))


def _new_ones(db: Session, statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The statements not already stored; an id already stored with a different statement is 409."""
    ids = [s["id"] for s in statements]
    if len(set(ids)) != len(ids):
        raise _bad("id: the same statement id appears twice in the batch")
    if is_postgresql(db):  # one array parameter: a 100-item IN list costs PostgreSQL more to plan
        wanted = Statement.statement_id == any_(bindparam("ids", ids, type_=ARRAY(String)))
    else:
        wanted = Statement.statement_id.in_(ids)
    found = db.execute(select(Statement.statement_id, Statement.full).where(wanted))
    existing = {row.statement_id: json.loads(row.full) for row in found}
    for statement in statements:
        if statement["id"] in existing and not equivalent(existing[statement["id"]], statement):
            raise Conflict(f"id: statement {statement['id']} is already stored and differs")
    return [s for s in statements if s["id"] not in existing]


def _check_voiding(db: Session, statements: list[dict[str, Any]], client: LrsClient) -> set[str]:
    """The statement ids this batch voids; voiding a voiding statement is refused (Part 2, 2.3.2), and so
    is voiding another client's statement without the admin scope (403: a course player must not be
    able to withdraw evidence another tool reported)."""
    targets = {t for s in statements if (t := _voided_target(s)) is not None}
    if not targets:
        return targets
    if ADMIN_SCOPE not in client.scopes:
        others = select(Statement.statement_id).where(
            Statement.statement_id.in_(targets), Statement.client_id.is_distinct_from(client.id)
        )
        if (foreign := db.scalar(others.limit(1))) is not None:
            raise Forbidden(
                f"object.id: statement {foreign} was sent by another client; voiding another client's "
                f"statements needs the {ADMIN_SCOPE!r} scope"
            )
    in_batch = {s["id"]: s for s in statements}
    stored_voiders = db.scalars(
        select(Statement.statement_id).where(Statement.statement_id.in_(targets), Statement.verb_id == VOIDED)
    ).all()
    batch_voiders = [t for t in targets if t in in_batch and _voided_target(in_batch[t]) is not None]
    if stored_voiders or batch_voiders:
        raise _bad("object.id: a voiding statement cannot itself be voided")
    return targets


def _text(statement: dict[str, Any]) -> str:
    """The statement's stored JSON text but for `stored` (and a missing `timestamp`): the CPU-heavy part,
    made before the writers' lock is taken (see `_stamped`)."""
    return json.dumps(statement, separators=(",", ":"), ensure_ascii=False)


def _stamped(text: str, stored: str, *, timestamp: bool) -> str:
    """`_text` with `stored` added, and `timestamp` too where the statement had none (it is `stored`)."""
    stamp = json.dumps(stored)
    added = f',"stored":{stamp}' if timestamp else f',"stored":{stamp},"timestamp":{stamp}'
    return text[:-1] + added + "}"


def _row(
    statement: dict[str, Any], *, key: int, stored: dt.datetime, client: LrsClient, full: str
) -> dict[str, Any]:
    """The statements table's row for a statement, as Core insert parameters."""
    target = statement["object"]
    kind = target.get("objectType", "Activity")
    context = statement.get("context") or {}
    return {
        "id": key,
        "statement_id": statement["id"],
        "stored": stored,
        "timestamp": parse_time(statement["timestamp"]),
        "actor_ifi": ifi_of(statement["actor"]),
        "verb_id": statement["verb"]["id"],
        "object_type": kind,
        "object_activity_id": target["id"] if kind == "Activity" else None,
        "object_statement_id": str(target["id"]).lower() if kind == "StatementRef" else None,
        "registration": str(context["registration"]).lower() if context.get("registration") else None,
        "voided": False,
        "version": statement["version"],
        "client_id": client.id,
        "full": full,
        "attachment_hashes": [a["sha2"] for a in statement.get("attachments") or []],
    }


def store_statements(
    db: Session,
    *,
    statements: Sequence[dict[str, Any]],
    client: LrsClient,
    version: str,
    attachments: dict[str, tuple[str, bytes]] | None = None,
) -> list[str]:
    """Store validated statements, all or nothing, and return their ids in order. The LRS assigns
    missing ids, sets `stored`, `authority` (the client's, Part 2, 2.4.9), `version` and a missing
    `timestamp`; a statement already stored unchanged is not stored again. Voiding statements mark their
    targets voided. Attachment content arrives keyed by sha2 (Part 3, 1.5.2). Other clients' statements
    queue the stream job that makes completions of them."""
    batch = [dict(s) for s in statements]
    texts = {}
    for statement in batch:
        statement["id"] = str(statement.get("id") or uuid.uuid4()).lower()
        statement.pop("stored", None)
        statement["authority"] = client.authority
        statement.setdefault("version", "2.0.0" if version.startswith("2") else "1.0.0")
        # Serialised before the lock: writers queue only for what must be in order (keys, `stored`).
        texts[statement["id"]] = _text(statement)
    queue_writers(db)
    fresh = _new_ones(db, batch)
    targets = _check_voiding(db, fresh, client)
    _check_attachments(fresh, attachments or {})
    last_key, stored = _last_stored(db)
    keys = next_keys(db, table_of(Statement), len(fresh), last=last_key) if fresh else []
    rows = []
    for key, statement in zip(keys, fresh, strict=True):
        stamp = iso(stored)
        full = _stamped(texts[statement["id"]], stamp, timestamp="timestamp" in statement)
        statement["stored"] = stamp
        statement.setdefault("timestamp", stamp)
        rows.append(_row(statement, key=key, stored=stored, client=client, full=full))
        stored += dt.timedelta(microseconds=1)
    insert_rows(db, table_of(Statement), rows)
    _index(db, keys, fresh)
    _keep_attachments(db, attachments or {})
    if "all" in client.scopes or "define" in client.scopes:
        merge_activity_definitions(db, definitions=_definitions(fresh))
    if targets:
        db.execute(update(Statement).where(Statement.statement_id.in_(targets)).values(voided=True))
    if keys and client.key != PLATFORM_CLIENT_KEY:
        # The stream turns statements into completions; the platform's own report what is already
        # recorded (platform_statements), so a job for them would only load and drop them.
        enqueue(db, STORED_JOB, {"ids": keys})
    db.flush()
    return [s["id"] for s in batch]


def receive_statements(
    db: Session,
    *,
    document: Any,
    attachments: dict[str, tuple[str, bytes]],
    client: LrsClient,
    version: str,
    put_id: str | None,
    launch: LaunchSession | None = None,
    base_url: str | None = None,
) -> list[str]:
    """Validate and store what a POST (one statement or an array) or a PUT (one statement, its id in
    `statementId`) sent; the first invalid statement rejects the whole batch (Part 3, 2.1.2). Launched
    content's statements must also keep the launch's rules (lrs.launch_rules). A compatibility client's
    known deviations are first put in conformant form (lrs.compat), its extensions under `base_url`."""
    if put_id is not None:
        if not isinstance(document, dict):
            raise _bad("statement: PUT takes a single statement object")
        if "id" in document and str(document["id"]).lower() != put_id.lower():
            raise _bad("id: differs from the statementId parameter")
        document = {**document, "id": put_id}
    items = document if isinstance(document, list) else [document]
    if client.compatibility:
        if base_url is None:
            raise ValueError("a compatibility client's statements need the base URL for their extensions")
        items = normalise_statements(items, base_url=base_url)
    statements = [validate_statement(item, version=version) for item in items]
    for statement in statements:
        check_signatures(statement, attachments, version=version)
    if launch is not None:
        check_statements(db, launch, statements)
    ids = store_statements(db, statements=statements, client=client, version=version, attachments=attachments)
    if launch is not None:
        record_statements(launch, statements)
    return ids


def _index(db: Session, keys: list[int], statements: list[dict[str, Any]]) -> None:
    """The agents and activities each statement names, for the `related_*` filters."""
    agents, activities = [], []
    for key, statement in zip(keys, statements, strict=True):
        seen_agents = {(ifi, as_actor) for ifi, as_actor in agents_in(statement) if ifi}
        agents += [{"statement_pk": key, "agent_ifi": i, "as_actor": a} for i, a in seen_agents]
        named = {activity for activity, _ in activities_in(statement)}
        activities += [{"statement_pk": key, "activity_id": a} for a in named]
    insert_rows(db, table_of(StatementAgent), agents)
    insert_rows(db, table_of(StatementActivity), activities)


def activities_of(statement: dict[str, Any]) -> list[dict[str, Any]]:
    """The activity objects a statement (and its SubStatement) carries, definitions included."""
    found: list[dict[str, Any]] = []
    target = statement.get("object") or {}
    if target.get("objectType", "Activity") == "Activity":
        found.append(target)
    for group in ((statement.get("context") or {}).get("contextActivities") or {}).values():
        found += group if isinstance(group, list) else [group]
    if target.get("objectType") == "SubStatement":
        found += activities_of(target)
    return found


def _definitions(statements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Activity definitions the batch brings, later ones merged over earlier (Part 2, 2.4.4.1)."""
    definitions: dict[str, dict[str, Any]] = {}
    for statement in statements:
        for activity in activities_of(statement):
            if activity.get("definition"):
                old = definitions.get(activity["id"], {})
                definitions[activity["id"]] = merged_definition(old, activity["definition"])
    return definitions


def _check_attachments(statements: list[dict[str, Any]], parts: dict[str, tuple[str, bytes]]) -> None:
    """Every attachment without a fileUrl must arrive as a part with its sha2 (Part 3, 1.5.2)."""
    needed = {a["sha2"] for s in statements for a in s.get("attachments") or [] if not a.get("fileUrl")}
    if missing := needed - parts.keys():
        raise _bad(f"attachments: no part sent for sha2 {sorted(missing)[0]}")
    declared = {a["sha2"] for s in statements for a in s.get("attachments") or []}
    if extra := parts.keys() - declared:
        raise _bad(f"attachments: part {sorted(extra)[0]} matches no attachment's sha2")


def _keep_attachments(db: Session, parts: dict[str, tuple[str, bytes]]) -> None:
    if not parts:
        return
    known = set(db.scalars(select(Attachment.sha2).where(Attachment.sha2.in_(parts))))
    db.add_all(
        Attachment(sha2=sha2, content_type=kind, content=content)
        for sha2, (kind, content) in parts.items()
        if sha2 not in known
    )
