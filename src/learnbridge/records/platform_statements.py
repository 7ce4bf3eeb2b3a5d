"""Platform events (`platform_events`) as statements, stored in the LRS as the platform's own client.

A statement built here, for an event:
- `id`: UUID5 of the event's key; `timestamp`: when the event happened, so a resend is identical;
- `actor`: the person, `mbox` (their e-mail, lower-cased) when they have one, else an `account` on the
  base URL named by their external id (what `statements_api.person_ifis` and the stream look for);
- `verb` and `object` from `platform_iris`; the object's definition carries its name and type;
- `context`: `platform` "Learnbridge", the registration if any, parent activities (a session's catalogue
  item, a goal's plan) and the extension `{base_url}/xapi/extensions/origin` holding the origin.
A withdrawal becomes one voiding statement (actor: the platform's Agent) per statement it withdraws.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.lrs.clients import platform_authority, platform_client
from learnbridge.lrs.models import Statement
from learnbridge.lrs.statements import iso, store_statements
from learnbridge.lrs.validate import StatementInvalid, validate_statement
from learnbridge.people.models import Person
from learnbridge.records.platform_events import (
    ActivityRef,
    Event,
    PlatformEvent,
    Withdrawal,
    statement_id,
)
from learnbridge.records.platform_iris import VERBS, VOIDED, origin_extension, resolve, verb_iri

logger = logging.getLogger(__name__)

VERSION = "1.0.3"
PLATFORM = "Learnbridge"
LANGUAGE = "en"
CHUNK = 1000


def store_events(db: Session, events: Sequence[Event], *, base_url: str) -> list[str]:
    """Store these events' statements as the platform's client, leaving those already stored as they
    are (even if, say, the person's name has changed since). Returns the ids stored now."""
    client = platform_client(db, base_url=base_url)
    actors = _actors(db, {e.person_id for e in events if isinstance(e, PlatformEvent)}, base_url)
    built: dict[str, dict[str, Any]] = {}
    for event in events:
        if isinstance(event, Withdrawal):
            for target in _withdrawn(db, event, base_url=base_url, client_id=client.id):
                voiding = voiding_statement(event, target, base_url=base_url)
                built.setdefault(voiding["id"], voiding)
        elif (actor := actors.get(event.person_id)) is not None:
            built.setdefault(statement_id(event.key), statement(event, actor=actor, base_url=base_url))
        else:
            logger.warning(
                "platform event %s names no known person (%d): skipped", event.key, event.person_id
            )
    fresh = [built[i] for i in built.keys() - _stored(db, list(built))]
    if not fresh:
        return []
    fresh.sort(key=lambda s: (s["timestamp"], s["id"]))
    valid = [checked for s in fresh if (checked := _valid(s)) is not None]
    return store_statements(db, statements=valid, client=client, version=VERSION) if valid else []


def _valid(statement: dict[str, Any]) -> dict[str, Any] | None:
    """The statement normalised, or None (logged) when it breaks a rule, say a malformed e-mail address
    from HR: one bad statement must not hold back the thousands written with it."""
    try:
        return validate_statement(statement, version=VERSION)
    except StatementInvalid as exc:
        logger.warning("platform statement %s not written: %s", statement["id"], exc)
        return None


def statement(event: PlatformEvent, *, actor: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The statement an event becomes (see the module's docstring)."""
    context: dict[str, Any] = {
        "platform": PLATFORM,
        "extensions": {origin_extension(base_url): event.origin.value},
    }
    if event.registration is not None:
        context["registration"] = str(event.registration)
    if event.parents:
        context["contextActivities"] = {"parent": [_activity(p, base_url) for p in event.parents]}
    built: dict[str, Any] = {
        "id": statement_id(event.key),
        "actor": actor,
        "verb": {"id": verb_iri(base_url, event.verb), "display": {LANGUAGE: VERBS[event.verb][1]}},
        "object": _activity(event.activity, base_url),
        "timestamp": iso(event.timestamp),
        "context": context,
    }
    if event.result is not None:
        built["result"] = dict(event.result)
    return built


def voiding_statement(withdrawal: Withdrawal, target: str, *, base_url: str) -> dict[str, Any]:
    """The platform voids one of its statements (xAPI 1.0.3 Part 2, 2.3.2). No `platform` in its context:
    only a statement about an activity may have one (2.4.6)."""
    return {
        "id": statement_id(f"{withdrawal.key}:{target}"),
        "actor": platform_authority(base_url),
        "verb": {"id": VOIDED, "display": {LANGUAGE: "voided"}},
        "object": {"objectType": "StatementRef", "id": target},
        "timestamp": iso(withdrawal.timestamp),
        "context": {"registration": str(withdrawal.registration)},
    }


def actor_of(*, name: str, email: str | None, external_id: str, base_url: str) -> dict[str, Any]:
    """A person as an Agent: by e-mail when they have one, else by their external id on this platform."""
    if email:
        return {"objectType": "Agent", "name": name, "mbox": f"mailto:{email.lower()}"}
    return {"objectType": "Agent", "name": name, "account": {"homePage": base_url, "name": external_id}}


def _activity(activity: ActivityRef, base_url: str) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": resolve(base_url, activity.type)}
    if activity.name:
        definition["name"] = {LANGUAGE: activity.name}
    return {"objectType": "Activity", "id": resolve(base_url, activity.id), "definition": definition}


def _actors(db: Session, person_ids: set[int], base_url: str) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    ids = sorted(person_ids)
    for start in range(0, len(ids), CHUNK):
        stmt = select(Person.id, Person.name, Person.email, Person.external_id).where(
            Person.id.in_(ids[start : start + CHUNK])
        )
        found.update(
            {
                row.id: actor_of(
                    name=row.name, email=row.email, external_id=row.external_id, base_url=base_url
                )
                for row in db.execute(stmt)
            }
        )
    return found


def _withdrawn(db: Session, withdrawal: Withdrawal, *, base_url: str, client_id: int) -> list[str]:
    """The platform's statements a withdrawal voids: found by registration and verb, stored by the
    platform, not voided yet, and about something that happened no later than the withdrawal."""
    stmt = select(Statement.statement_id).where(
        Statement.registration == str(withdrawal.registration).lower(),
        Statement.verb_id == verb_iri(base_url, withdrawal.verb),
        Statement.client_id == client_id,
        Statement.voided.is_(False),
        Statement.timestamp <= withdrawal.timestamp,
    )
    return list(db.scalars(stmt.order_by(Statement.id)))


def _stored(db: Session, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found.update(db.scalars(select(Statement.statement_id).where(Statement.statement_id.in_(chunk))))
    return found
