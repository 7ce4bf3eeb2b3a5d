"""The LRS document resources (xAPI 1.0.3 Part 3, 2.2-2.7; IEEE 9274.1.1 keeps the same rules): state,
activity profile and agent profile documents with ETag concurrency (Part 3, 3.1) and JSON merge on POST
(Part 3, 2.2 "JSON Procedure"); the Agents resource's Person object (2.4).

Writes lock the document's row for the rest of the transaction (PostgreSQL: SELECT ... FOR UPDATE;
SQLite: an UPDATE that changes nothing takes the database's write lock, the route having taken
LrsWriteDb), so two merges posted at once both land: neither reads a document the other is
about to replace."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from learnbridge.core.db import table_of, utcnow
from learnbridge.core.errors import Conflict, DomainError, FieldError, Invalid, NotFound
from learnbridge.lrs.models import Document

STATE, ACTIVITY_PROFILE, AGENT_PROFILE = "state", "activity_profile", "agent_profile"
# The query parameter naming the document within its context, per resource.
ID_PARAMETER = {STATE: "stateId", ACTIVITY_PROFILE: "profileId", AGENT_PROFILE: "profileId"}
IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")


class PreconditionFailed(DomainError):
    """If-Match / If-None-Match did not hold (xAPI 1.0.3 Part 3, 3.1: 412, no modification)."""

    status = 412
    title = "Precondition failed"


@dataclass(frozen=True)
class DocumentKey:
    """Where a document lives: its resource and context. Absent parts are '' (see Document)."""

    kind: str
    activity_id: str = ""
    agent_ifi: str = ""
    registration: str = ""

    def where(self) -> ColumnElement[bool]:
        return and_(
            Document.kind == self.kind,
            Document.activity_id == self.activity_id,
            Document.agent_ifi == self.agent_ifi,
            Document.registration == self.registration,
        )


@dataclass(frozen=True)
class Preconditions:
    """The request's concurrency headers, as sent (None when absent)."""

    if_match: str | None = None
    if_none_match: str | None = None


def etag_of(content: bytes) -> str:
    """SHA-1 hex of the contents, lowercase (xAPI 1.0.3 Part 3, 3.1, LRS requirements)."""
    return hashlib.sha1(content).hexdigest()  # noqa: S324 - the spec names SHA-1; not a security use


def is_json(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


def parse_agent(raw: str | None, *, field: str = "agent") -> dict[str, Any]:
    """An Agent object given as a JSON query parameter, with exactly one identifier (Part 2, 2.4.2.1)."""
    if raw is None or not raw.strip():
        raise Invalid(field=field, message="is required")
    try:
        agent = json.loads(raw)
    except ValueError:
        raise Invalid(field=field, message="is not valid JSON") from None
    if not isinstance(agent, dict):
        raise Invalid(field=field, message="must be an Agent object")
    if agent.get("objectType", "Agent") != "Agent":
        raise Invalid(field=field, message="must be an Agent, not a Group")
    present = [p for p in IFI_PROPERTIES if p in agent]
    if len(present) != 1:
        raise Invalid(field=field, message="must have exactly one of mbox, mbox_sha1sum, openid, account")
    _check_ifi(agent, present[0], field)
    return agent


def _check_ifi(agent: dict[str, Any], prop: str, field: str) -> None:
    value = agent[prop]
    if prop == "account":
        ok = isinstance(value, dict) and all(isinstance(value.get(k), str) for k in ("homePage", "name"))
        if not ok:
            raise Invalid(field=f"{field}.account", message="needs homePage and name")
    elif not isinstance(value, str) or (prop == "mbox" and not value.startswith("mailto:")):
        raise Invalid(field=f"{field}.{prop}", message="is not a valid identifier")


def agent_ifi(agent: dict[str, Any]) -> str:
    """The agent's identifier as one string, in lrs.models' format ("mbox:mailto:a@b", ...)."""
    for prop in IFI_PROPERTIES:
        if prop in agent:
            value = agent[prop]
            if prop == "account":
                return f"account:{value['homePage']}|{value['name']}"
            return f"{prop}:{value}"
    raise Invalid(field="agent", message="has no identifier")


def parse_since(raw: str | None) -> dt.datetime | None:
    """An ISO 8601 timestamp; without a zone it is taken as UTC."""
    if raw is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(field="since", message="is not an ISO 8601 timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def document_key(
    kind: str, *, activity_id: str | None = None, agent: str | None = None, registration: str | None = None
) -> DocumentKey:
    """The context of a request, validated: each resource's required parameters, a UUID registration."""
    errors: list[FieldError] = []
    activity = ""
    if kind in (STATE, ACTIVITY_PROFILE):
        activity = (activity_id or "").strip()
        if not activity:
            errors.append(FieldError("activityId", "is required"))
        elif ":" not in activity:
            errors.append(FieldError("activityId", "must be an IRI"))
    ifi = ""
    if kind in (STATE, AGENT_PROFILE):
        try:
            ifi = agent_ifi(parse_agent(agent))
        except Invalid as exc:
            errors.extend(exc.errors)
    reg = ""
    if registration is not None and kind == STATE:
        try:
            reg = str(uuid.UUID(registration))
        except ValueError:
            errors.append(FieldError("registration", "is not a UUID"))
    if errors:
        raise Invalid(errors)
    return DocumentKey(kind, activity, ifi, reg)


def _required_id(kind: str, document_id: str | None) -> str:
    if document_id is None or not document_id.strip():
        raise Invalid(field=ID_PARAMETER[kind], message="is required")
    return document_id


def get_document(db: Session, *, key: DocumentKey, document_id: str) -> Document:
    """One document in its context, or NotFound."""
    found = db.scalar(select(Document).where(key.where(), Document.document_id == document_id))
    if found is None:
        raise NotFound(f"No document with {ID_PARAMETER[key.kind]} {document_id!r}.")
    return found


def list_document_ids(
    db: Session, *, key: DocumentKey, since: dt.datetime | None = None
) -> tuple[list[str], dt.datetime | None]:
    """The ids in a context, updated after `since` (exclusive), and when the newest was updated."""
    stmt = select(Document.document_id, Document.updated_at).where(key.where())
    if since is not None:
        stmt = stmt.where(Document.updated_at > since)
    rows = db.execute(stmt.order_by(Document.updated_at, Document.id)).all()
    return [r.document_id for r in rows], max((r.updated_at for r in rows), default=None)


def _lock(db: Session, key: DocumentKey, document_id: str) -> Document | None:
    where = and_(key.where(), Document.document_id == document_id)
    stmt = select(Document).where(where)
    if db.get_bind().dialect.name == "sqlite":
        # An UPDATE, even one matching nothing, takes SQLite's write lock until the commit.
        db.execute(
            update(Document)
            .where(where)
            .values(etag=Document.etag)
            .execution_options(synchronize_session=False)
        )
    else:
        stmt = stmt.with_for_update()
    return db.scalars(stmt.execution_options(populate_existing=True)).one_or_none()


def _tags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/").strip('"') for t in header.split(",") if t.strip()}


def check_preconditions(existing: Document | None, pre: Preconditions) -> None:
    """If-Match holds when the document exists with a listed ETag (or "*"); If-None-Match "*" when it
    does not exist, with ETags when none matches (RFC 2616 14.24, 14.26)."""
    if pre.if_match is not None:
        tags = _tags(pre.if_match)
        if existing is None or not ("*" in tags or existing.etag in tags):
            raise PreconditionFailed("If-Match does not match the document's current ETag.")
    if pre.if_none_match is not None and existing is not None:
        tags = _tags(pre.if_none_match)
        if "*" in tags or existing.etag in tags:
            raise PreconditionFailed("If-None-Match: the document already exists.")


def _insert_new(db: Session, key: DocumentKey, document_id: str, content: bytes, content_type: str) -> bool:
    """Insert unless another transaction just did (then False); the unique key decides."""
    values = {
        "kind": key.kind,
        "activity_id": key.activity_id,
        "agent_ifi": key.agent_ifi,
        "registration": key.registration,
        "document_id": document_id,
        "content_type": content_type,
        "content": content,
        "etag": etag_of(content),
        "updated_at": utcnow(),
    }
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table_of(Document)).values(values).on_conflict_do_nothing()
    return db.execute(stmt.returning(table_of(Document).c.id)).scalar() is not None


def _store(doc: Document, content: bytes, content_type: str) -> None:
    doc.content, doc.content_type, doc.etag, doc.updated_at = (
        content,
        content_type,
        etag_of(content),
        utcnow(),
    )


def put_document(
    db: Session,
    *,
    key: DocumentKey,
    document_id: str | None,
    content: bytes,
    content_type: str,
    pre: Preconditions,
    xapi_version: str = "1.0.3",
) -> Document:
    """Store or replace a document. Replacing a profile needs If-Match or If-None-Match, else 409
    (Part 3, 3.1); 1.0.3's state resource permits writes without them, 2.0's does not (the ADL suite's
    2.0 concurrency tests, XAPI-00322, expect 409 for state too)."""
    doc_id = _required_id(key.kind, document_id)
    existing = _lock(db, key, doc_id)
    check_preconditions(existing, pre)
    no_precondition = pre.if_match is None and pre.if_none_match is None
    if existing is None and no_precondition and key.kind != STATE and not xapi_version.startswith("2."):
        # 1.0.3 Part 3, 2.6/2.7 (XAPI-00273, XAPI-00293): a profile PUT carries an ETag precondition;
        # without one a new profile is a 400 (an existing one is the 409 below).
        raise Invalid(field="If-None-Match", message="a profile PUT needs If-Match or If-None-Match")
    if existing is None and _insert_new(db, key, doc_id, content, content_type):
        return get_document(db, key=key, document_id=doc_id)
    existing = existing or _relock(db, key, doc_id, pre)
    guarded = key.kind != STATE or xapi_version.startswith("2.")
    if guarded and no_precondition:
        raise Conflict("The document exists: GET it, then PUT again with If-Match set to its current ETag.")
    _store(existing, content, content_type)
    db.flush()
    return existing


def _relock(db: Session, key: DocumentKey, document_id: str, pre: Preconditions) -> Document:
    """PostgreSQL only: another transaction created the document after our first look."""
    existing = _lock(db, key, document_id)
    check_preconditions(existing, pre)
    assert existing is not None
    return existing


def _json_object(content: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        value = None
    if not isinstance(value, dict):
        raise Invalid(field="content", message=f"the {what} document is not a JSON object")
    return value


def post_document(
    db: Session,
    *,
    key: DocumentKey,
    document_id: str | None,
    content: bytes,
    content_type: str,
    pre: Preconditions,
) -> Document:
    """Create a document, or merge a posted JSON object into an existing JSON object: top-level
    properties of the posted object replace the existing ones (Part 3, 2.2). Anything else is 400."""
    doc_id = _required_id(key.kind, document_id)
    posted = _json_object(content, "posted") if is_json(content_type) else None
    existing = _lock(db, key, doc_id)
    check_preconditions(existing, pre)
    if existing is None and _insert_new(db, key, doc_id, content, content_type):
        return get_document(db, key=key, document_id=doc_id)
    existing = existing or _relock(db, key, doc_id, pre)
    if posted is None or not is_json(existing.content_type):
        raise Invalid(field="Content-Type", message="both documents must be application/json to merge")
    merged = _json_object(existing.content, "stored") | posted
    _store(existing, json.dumps(merged, separators=(",", ":")).encode(), "application/json")
    db.flush()
    return existing


def delete_document(db: Session, *, key: DocumentKey, document_id: str | None, pre: Preconditions) -> None:
    """Delete one document; If-Match, when sent, must hold. Deleting nothing is not an error."""
    doc_id = _required_id(key.kind, document_id)
    existing = _lock(db, key, doc_id)
    if existing is None and pre.if_match is None:
        return
    check_preconditions(existing, Preconditions(if_match=pre.if_match))
    db.delete(existing)
    db.flush()


def delete_documents(db: Session, *, key: DocumentKey) -> int:
    """Delete every state document of an activity and agent (and registration, when given)."""
    if key.kind != STATE:
        raise Invalid(field=ID_PARAMETER[key.kind], message="is required")
    result = db.execute(delete(Document).where(key.where()).execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0))


def person_for_agent(agent: dict[str, Any]) -> dict[str, Any]:
    """The Person object for an agent (Part 3, 2.4): each property an array. The LRS keeps no directory
    of personas, so it holds what the request gave (which the spec requires at the least)."""
    person: dict[str, Any] = {"objectType": "Person"}
    for prop in ("name", *IFI_PROPERTIES):
        if prop in agent:
            person[prop] = [agent[prop]]
    return person
