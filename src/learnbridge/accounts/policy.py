"""The one place that answers "may this account see or change this thing"."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Integer, Select, column, exists, literal, select, table, true
from sqlalchemy.orm import Session

from learnbridge.accounts.models import Account
from learnbridge.core.errors import Forbidden
from learnbridge.people.models import Person


class Role(enum.StrEnum):
    learner = "learner"
    manager = "manager"
    ld_admin = "ld_admin"
    auditor = "auditor"


@dataclass(frozen=True)
class Principal:
    """An account with its roles worked out for one request."""

    account: Account
    roles: frozenset[Role]

    @property
    def person_id(self) -> int | None:
        return self.account.person_id

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def reads_everything(self) -> bool:
        return bool(self.roles & {Role.ld_admin, Role.auditor})


def principal_for(db: Session, account: Account) -> Principal:
    """Learner: has a person record; manager: that person has active reports; the rest are granted."""
    roles: set[Role] = set()
    if account.person_id is not None:
        roles.add(Role.learner)
        has_reports = db.scalar(
            select(exists().where(Person.manager_id == account.person_id, Person.active.is_(True)))
        )
        if has_reports:
            roles.add(Role.manager)
    if account.is_ld_admin:
        roles.add(Role.ld_admin)
    if account.is_auditor:
        roles.add(Role.auditor)
    return Principal(account=account, roles=frozenset(roles))


def reports_subtree(manager_id: int) -> Select[int]:
    """Ids of everyone below this person in the management chain (direct and indirect reports)."""
    # A bare two-column view of the table: built on every request, so it stays cheap (an ORM alias
    # copies every column of Person).
    people = table(Person.__tablename__, column("id", Integer), column("manager_id", Integer))
    child = people.alias("child")
    below = select(people.c.id).where(people.c.manager_id == manager_id).cte("below", recursive=True)
    below = below.union(select(child.c.id).where(child.c.manager_id == below.c.id))
    return select(below.c.id)


def manages(db: Session, *, manager_id: int, person_id: int) -> bool:
    """Whether the person is below this manager in the management chain, at any depth."""
    below = reports_subtree(manager_id)
    return db.scalar(below.where(below.selected_columns[0] == person_id).limit(1)) is not None


def visible_people_clause(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause on Person: a learner sees only themself, a manager also their reports'
    subtree, an L&D admin or auditor everyone."""
    if principal.reads_everything:
        return true()
    if principal.person_id is None:
        return literal(False)
    own = Person.id == principal.person_id
    if principal.has(Role.manager):
        return own | Person.id.in_(reports_subtree(principal.person_id))
    return own


def can_view_person(db: Session, principal: Principal, person_id: int) -> bool:
    return bool(db.scalar(select(exists().where(Person.id == person_id, visible_people_clause(principal)))))


def can_change_people(principal: Principal) -> bool:
    """HR data is changed by L&D admins (and the HR feed); auditors change nothing."""
    return principal.has(Role.ld_admin)


def can_view_drafts(principal: Principal) -> bool:
    """Draft and retired catalogue items are visible to L&D admins and auditors."""
    return principal.reads_everything


def can_change_catalog(principal: Principal) -> bool:
    return principal.has(Role.ld_admin)


def can_change_skills(principal: Principal) -> bool:
    return principal.has(Role.ld_admin)


def require(allowed: bool, message: str = "You are not allowed to do that.") -> None:
    if not allowed:
        raise Forbidden(message)
