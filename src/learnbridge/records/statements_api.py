"""A person's xAPI statements through the platform's API: readable by the person, their managers (up the
reporting line) and L&D admins and auditors, never by other learners; newest first, keyset-paged."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.deps import CurrentPrincipal
from learnbridge.accounts.policy import Principal, can_view_person
from learnbridge.core.deps import AppSettings, Db
from learnbridge.core.errors import Forbidden, NotFound
from learnbridge.core.ids import Id
from learnbridge.core.paging import keyset_page
from learnbridge.lrs.models import Statement
from learnbridge.people.models import Person
from learnbridge.people.service import list_identifiers

router = APIRouter()


class StatementPage(BaseModel):
    statements: list[dict[str, Any]]
    next: str | None


def person_ifis(db: Session, person: Person, *, base_url: str) -> list[str]:
    """The actor identifiers that mean this person: their e-mail as mbox (as written and lower-cased)
    and its SHA-1, an account on this platform named by their external id, and the OpenIDs and other
    systems' accounts recorded for them (Part 2, 2.4.2.3)."""
    found = [f"account:{base_url}|{person.external_id}"]
    if person.email:
        found.extend(f"mbox:mailto:{email}" for email in {person.email, person.email.lower()})
    if person.mbox_sha1sum:
        found.append(f"mbox_sha1sum:{person.mbox_sha1sum}")
    found.extend(row.ifi for row in list_identifiers(db, person_id=person.id))
    return found


def statements_of(
    db: Session, *, person: Person, base_url: str, cursor: str | None, limit: int
) -> StatementPage:
    """The person's own statements (as actor), voided ones left out, newest stored first."""
    stmt = select(Statement).where(
        Statement.actor_ifi.in_(person_ifis(db, person, base_url=base_url)), Statement.voided.is_(False)
    )
    page = keyset_page(db, stmt, order=[Statement.id], descending=True, cursor=cursor, limit=limit)
    return StatementPage(statements=[json.loads(row.full) for row in page.items], next=page.next)


def _readable(db: Session, principal: Principal, person_id: int) -> Person:
    if not can_view_person(db, principal, person_id):
        raise NotFound(f"No person {person_id}.")
    person = db.get(Person, person_id)
    assert person is not None
    return person


Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(max_length=500)]


@router.get("/me/statements")
def list_my_statements(
    db: Db, principal: CurrentPrincipal, settings: AppSettings, cursor: Cursor = None, limit: Limit = 50
) -> StatementPage:
    if principal.person_id is None:
        raise Forbidden("This account has no person record, so it has no statements.")
    person = _readable(db, principal, principal.person_id)
    return statements_of(db, person=person, base_url=settings.base_url, cursor=cursor, limit=limit)


@router.get("/people/{person_id}/statements")
def list_person_statements(
    person_id: Id,
    db: Db,
    principal: CurrentPrincipal,
    settings: AppSettings,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> StatementPage:
    person = _readable(db, principal, person_id)
    return statements_of(db, person=person, base_url=settings.base_url, cursor=cursor, limit=limit)
