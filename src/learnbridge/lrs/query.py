"""Finding stored xAPI statements (xAPI 1.0.3 Part 3, 2.1.3; IEEE 9274.1.1): one by id, or a page by
filters with a `more` cursor.

Every query is driven by an index and pages on the key: `since` and `until` become key bounds (`stored`
grows with the key); a filter on a related agent or activity walks that side table's index in key order;
statements that point at matching ones (StatementRefs) are found from the references, which are few. No
query reads the whole table."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol, cast

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from learnbridge.core.db import utcnow
from learnbridge.core.errors import DomainError, NotFound
from learnbridge.lrs.models import (
    Activity,
    Attachment,
    Statement,
    StatementActivity,
    StatementAgent,
)
from learnbridge.lrs.statements import activities_of, parse_time

MAX_LIMIT = 500


class Stored(Protocol):
    """What an answer needs of a stored statement: a page is read as these columns, not as mapped
    objects (building 100 of those was a third of a GET's time)."""

    id: int
    statement_id: str
    stored: dt.datetime
    full: str
    attachment_hashes: list[str]
    actor_ifi: str | None
    voided: bool
    client_id: int | None


_LISTED = (
    Statement.id,
    Statement.statement_id,
    Statement.stored,
    Statement.full,
    Statement.attachment_hashes,
    Statement.actor_ifi,
    Statement.voided,
    Statement.client_id,
)


def get_statement(db: Session, *, statement_id: str, voided: bool, mine: int | None = None) -> Statement:
    """One statement by id; a voided one only as `voidedStatementId`, others only as `statementId`
    (Part 3, 2.1.3); with `mine`, only one that client stored (statements/read/mine)."""
    row = db.scalar(select(Statement).where(Statement.statement_id == statement_id.lower()))
    if row is None or row.voided != voided or mine not in (None, row.client_id):
        raise NotFound(f"{'voidedStatementId' if voided else 'statementId'}: no statement {statement_id}")
    return row


def statement_documents(db: Session, *, rows: Sequence[Stored], canonical: bool) -> list[dict[str, Any]]:
    """The stored statements as JSON; for format=canonical each activity carries the LRS's canonical
    definition instead of the one the statement brought (Part 3, 2.1.3)."""
    documents = [json.loads(row.full) for row in rows]
    if not canonical:
        return documents
    named = [a for document in documents for a in activities_of(document) if "id" in a]
    wanted = {a["id"] for a in named}
    known = {
        found.activity_id: found.definition
        for found in db.scalars(select(Activity).where(Activity.activity_id.in_(wanted)))
    }
    for activity in named:
        if known.get(activity["id"]):
            activity["definition"] = known[activity["id"]]
    return documents


def attachments_for(db: Session, *, rows: Iterable[Stored]) -> list[Attachment]:
    hashes = {h for row in rows for h in row.attachment_hashes}
    if not hashes:
        return []
    return list(db.scalars(select(Attachment).where(Attachment.sha2.in_(hashes))))


@dataclass(frozen=True)
class StatementQuery:
    """The filters of GET /statements (Part 3, 2.1.3); `after` is the `more` cursor's last key."""

    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: str | None = None
    until: str | None = None
    limit: int = MAX_LIMIT
    ascending: bool = False
    format: str = "exact"
    attachments: bool = False
    mine: int | None = None
    after: int | None = None

    def cursor(self, last_pk: int) -> str:
        """An opaque `more` token: the same filters, continuing after the last key returned."""
        data = {k: v for k, v in asdict(self).items() if v not in (None, False)} | {"after": last_pk}
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    @classmethod
    def from_cursor(cls, token: str) -> StatementQuery:
        try:
            data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            return cls(**data)
        except (ValueError, TypeError) as exc:
            raise DomainError("more: not a cursor this LRS issued") from exc


def _matching(query: StatementQuery, row: type[Statement] | Any = Statement) -> list[ColumnElement[bool]]:
    """The filters on what a statement says (agent, verb, activity, registration), on `row`: how a
    reference's target is checked."""
    where: list[ColumnElement[bool]] = []
    if query.agent is not None:
        agents = select(StatementAgent.statement_pk).where(StatementAgent.agent_ifi == query.agent)
        if not query.related_agents:
            agents = agents.where(StatementAgent.as_actor.is_(True))
        where.append(row.id.in_(agents))
    if query.activity is not None and query.related_activities:
        named = select(StatementActivity.statement_pk).where(StatementActivity.activity_id == query.activity)
        where.append(row.id.in_(named))
    return where + _own_columns(query, row)


def _own_columns(query: StatementQuery, row: type[Statement] | Any) -> list[ColumnElement[bool]]:
    """The filters the statement's own indexed columns answer."""
    where: list[ColumnElement[bool]] = []
    if query.verb is not None:
        where.append(row.verb_id == query.verb)
    if query.activity is not None and not query.related_activities:
        where.append(row.object_activity_id == query.activity)
    if query.registration is not None:
        where.append(row.registration == query.registration.lower())
    return where


def _direct(query: StatementQuery) -> tuple[Select[*tuple[Any, ...]], InstrumentedAttribute[int]]:
    """Statements matching the filters themselves, and the key to order and bound them by. An agent or
    related-activity filter joins its side table (one row per statement and agent or activity) and pages
    on that table's copy of the key, so the database walks its index in order and stops at the limit
    instead of collecting every match to sort it."""
    stmt, key = select(*_LISTED), Statement.id
    if query.activity is not None and query.related_activities:
        stmt = stmt.join(StatementActivity, StatementActivity.statement_pk == Statement.id)
        stmt = stmt.where(StatementActivity.activity_id == query.activity)
        key = StatementActivity.statement_pk
    if query.agent is not None:
        stmt = stmt.join(StatementAgent, StatementAgent.statement_pk == Statement.id)
        stmt = stmt.where(StatementAgent.agent_ifi == query.agent)
        if not query.related_agents:
            stmt = stmt.where(StatementAgent.as_actor.is_(True))
        key = StatementAgent.statement_pk
    return stmt.where(*_own_columns(query, Statement)), key


def _bounds(db: Session, query: StatementQuery, key: Any) -> list[ColumnElement[bool]]:
    """Time and sequence as bounds on the key: `since` and `until` through the `stored` index (it grows
    with the key), `after` from the `more` cursor."""
    where: list[ColumnElement[bool]] = []
    if query.since is not None:
        where.append(key > _last_key_stored_by(db, parse_time(query.since)))
    if query.until is not None:
        where.append(key <= _last_key_stored_by(db, parse_time(query.until)))
    if query.after is not None:
        where.append(key > query.after if query.ascending else key < query.after)
    return where


def _visible(query: StatementQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Statement.voided.is_(False)]
    if query.mine is not None:
        where.append(Statement.client_id == query.mine)
    return where


def _last_key_stored_by(db: Session, moment: dt.datetime) -> int:
    """The key of the last statement stored at or before `moment` (0 when none): one step down the
    `stored` index."""
    stmt = select(Statement.id).where(Statement.stored <= moment).order_by(Statement.stored.desc()).limit(1)
    return db.scalar(stmt) or 0


def _any_references(db: Session) -> bool:
    """Whether any statement points at another (one step into the partial index): a store without
    StatementRefs skips the reference pass, whose query costs more to build than to run."""
    found = select(Statement.id).where(Statement.object_statement_id.is_not(None)).limit(1)
    return db.scalar(found) is not None


def _targeting(query: StatementQuery) -> Select[tuple[int]]:
    """The keys of statements whose StatementRef object targets, directly or through other such
    statements, a statement matching the content filters: they match too (Part 3, 2.1.3, "Filter
    Conditions for StatementRefs"). Driven from the references (a partial index: they are few), each
    checked against its target, never from the matches, which may be most of the table."""
    ref, target = aliased(Statement), aliased(Statement)
    hits = select(target.id).where(target.statement_id == ref.object_statement_id, *_matching(query, target))
    found = (
        select(ref.id, ref.statement_id)
        .where(ref.object_statement_id.is_not(None), hits.exists())
        .cte("targeting", recursive=True)
    )
    onward = aliased(Statement)
    found = found.union(
        select(onward.id, onward.statement_id).join(found, onward.object_statement_id == found.c.statement_id)
    )
    return select(found.c.id)


def _page(db: Session, query: StatementQuery, stmt: Select[Any], key: Any, limit: int) -> Select[Any]:
    """The first limit + 1 visible statements of `stmt` within the bounds, in `key` order."""
    stmt = stmt.where(*_visible(query), *_bounds(db, query, key))
    return stmt.order_by(key.asc() if query.ascending else key.desc()).limit(limit + 1)


def find_statements(db: Session, *, query: StatementQuery) -> tuple[list[Stored], str | None]:
    """One page of matching statements, newest first unless `ascending`, and the `more` cursor when
    there may be more. Voided statements are left out; statements that target matching ones are in.
    The direct matches and the targeting ones are two ordered, limited queries merged here, so each
    keeps its index order instead of one OR that would sort every match."""
    limit = MAX_LIMIT if query.limit <= 0 else min(query.limit, MAX_LIMIT)
    direct, key = _direct(query)
    rows: dict[int, Stored] = {
        row.id: cast(Stored, row) for row in db.execute(_page(db, query, direct, key, limit))
    }
    if _matching(query) and _any_references(db):
        refs: Select[*tuple[Any, ...]] = select(*_LISTED).where(Statement.id.in_(_targeting(query)))
        rows |= {row.id: cast(Stored, row) for row in db.execute(_page(db, query, refs, Statement.id, limit))}
    ordered = sorted(rows.values(), key=lambda row: row.id, reverse=not query.ascending)
    more = query.cursor(ordered[limit - 1].id) if len(ordered) > limit else None
    return ordered[:limit], more


def consistent_through(db: Session) -> dt.datetime:
    """Every statement stored up to this moment is visible to queries (Part 3, 2.1.3): statements are
    committed before their POST or PUT answers, so that moment is now. (The latest `stored` value would
    understate it, and clients wait for the header to catch up with their own clock.)"""
    return utcnow()
