"""The needs board: anyone raises a need, anyone votes once, and everyone sees the same ranking.

A need is organisation-wide unless raised as private to its unit: then only that unit's people (and those
of the units below it), its raiser, and those who read everything (L&D admins, auditors) see it. A vote is
a row keyed by (need, person), so a second vote (a double click, two tabs, two requests at once) changes
nothing; `Need.votes` moves in the same statement pair as the row, so the board ranks on an index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, delete, func, literal, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import Principal, Role
from learnbridge.core.db import rows_changed, utcnow
from learnbridge.core.errors import FieldError, Forbidden, Invalid, NotFound
from learnbridge.core.paging import Keyset, keyset_page
from learnbridge.core.text_keys import search_key
from learnbridge.people.models import OrgUnit, Person
from learnbridge.skills.models import Skill
from learnbridge.voice.models import CLOSED_TO_VOTES, Need, NeedDecision, NeedKind, NeedStatus, NeedVote

Sort = Literal["votes", "cost", "recent"]
_ORDER = {"votes": Need.votes, "cost": Need.weekly_cost, "recent": Need.created_at}


@dataclass(frozen=True)
class NewNeed:
    kind: NeedKind
    title: str
    description: str = ""
    unit_id: int | None = None
    skill_id: int | None = None
    private: bool = False
    frequency: int | None = None
    minutes_lost: int | None = None
    people_affected: int | None = None


@dataclass(frozen=True)
class NeedFilter:
    unit_id: int | None = None
    skill_id: int | None = None
    status: NeedStatus | None = None
    kind: NeedKind | None = None


def raise_need(db: Session, *, principal: Principal, new: NewNeed) -> Need:
    """A new need, with its raiser's vote already counted."""
    person_id = _person_of(principal)
    errors: list[FieldError] = []
    title = " ".join(new.title.split())
    if len(title) < 3:
        errors.append(FieldError(field="title", message="must be at least 3 characters"))
    if new.unit_id is not None and db.get(OrgUnit, new.unit_id) is None:
        errors.append(FieldError(field="unit_id", message=f"there is no unit {new.unit_id}"))
    if new.skill_id is not None and db.get(Skill, new.skill_id) is None:
        errors.append(FieldError(field="skill_id", message=f"there is no skill {new.skill_id}"))
    if new.private and new.unit_id is None:
        errors.append(
            FieldError(field="private", message="a need private to a unit names the unit (unit_id)")
        )
    if errors:
        raise Invalid(errors)
    need = Need(
        kind=NeedKind(new.kind).value,
        title=title,
        description=new.description.strip(),
        raised_by_id=person_id,
        org_unit_id=new.unit_id,
        skill_id=new.skill_id,
        private=new.private,
        frequency=new.frequency,
        minutes_lost=new.minutes_lost,
        people_affected=new.people_affected,
        weekly_cost=weekly_cost(new.frequency, new.minutes_lost, new.people_affected),
        votes=1,
    )
    db.add(need)
    db.flush()
    db.add(NeedVote(need_id=need.id, person_id=person_id))
    db.flush()
    return need


def weekly_cost(frequency: int | None, minutes_lost: int | None, people_affected: int | None) -> int:
    """Minutes lost a week: times a week x minutes each time x people held up (0 unless all three known)."""
    if frequency is None or minutes_lost is None or people_affected is None:
        return 0
    return frequency * minutes_lost * people_affected


def cost_in_words(need: Need) -> str:
    """Why the need sits where it does on the board ranked by cost, in words."""
    if need.weekly_cost == 0 or need.frequency is None:
        return "Cost not estimated"
    hours = need.weekly_cost / 60
    amount = f"{hours:,.0f} hours" if hours >= 10 else f"{need.weekly_cost:,} minutes"
    return (
        f"About {amount} lost a week: {need.frequency} times a week x {need.minutes_lost} minutes "
        f"x {need.people_affected} {'person' if need.people_affected == 1 else 'people'}"
    )


def visible_to(db: Session, principal: Principal) -> ColumnElement[bool]:
    """The needs the principal may see: every organisation-wide one, their own, and those private to their
    unit or a unit above it."""
    if principal.reads_everything:
        return true()
    if principal.person_id is None:
        return Need.private.is_(False)
    units = units_above(db, principal.person_id)
    return or_(Need.private.is_(False), Need.raised_by_id == principal.person_id, Need.org_unit_id.in_(units))


def units_above(db: Session, person_id: int) -> list[int]:
    """The ids of the person's unit and of every unit above it, from the top down (its path)."""
    path = unit_path(db, person_id) or ""
    return [int(part) for part in path.strip("/").split("/") if part]


def unit_path(db: Session, person_id: int) -> str | None:
    """The materialised path of the person's unit ("/1/4/9/"), if they have one."""
    of_person = select(OrgUnit.path).join(Person, Person.org_unit_id == OrgUnit.id)
    return db.scalar(of_person.where(Person.id == person_id))


def get_need(db: Session, *, principal: Principal, need_id: int) -> Need:
    """The need, if the principal may see it (404 otherwise: a private need is not confirmed to exist)."""
    need = db.scalar(select(Need).where(Need.id == need_id, visible_to(db, principal)))
    if need is None:
        raise NotFound(f"No need {need_id}.")
    return need


def needs_page(
    db: Session,
    *,
    principal: Principal,
    sort: Sort = "votes",
    filters: NeedFilter | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> Keyset[Need]:
    """One page of the board, highest first by votes, by weekly cost or by recency (ties: newest first)."""
    filters = filters or NeedFilter()
    stmt = select(Need).where(visible_to(db, principal))
    if filters.unit_id is not None:
        unit = db.get(OrgUnit, filters.unit_id)
        if unit is None:
            raise Invalid(field="unit_id", message=f"there is no unit {filters.unit_id}")
        low, high = unit.subtree_bounds()
        stmt = stmt.where(
            Need.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.path >= low, OrgUnit.path < high))
        )
    if filters.skill_id is not None:
        stmt = stmt.where(Need.skill_id == filters.skill_id)
    if filters.status is not None:
        stmt = stmt.where(Need.status == NeedStatus(filters.status).value)
    if filters.kind is not None:
        stmt = stmt.where(Need.kind == NeedKind(filters.kind).value)
    order = [_ORDER[sort], Need.id]
    page: Keyset[Need] = keyset_page(db, stmt, order=order, descending=True, cursor=cursor, limit=limit)
    return page


SIMILAR_WORDS = 6


def similar_needs(db: Session, *, principal: Principal, text: str, limit: int = 5) -> list[Need]:
    """Open needs whose titles share a word (of four letters or more) with `text`, most voted first: shown
    while someone types a new need's title, so they vote on the one that exists instead of repeating it."""
    words = sorted({w for w in search_key(text).split() if len(w) >= 4}, key=len, reverse=True)
    if not words:
        return []
    title = func.lower(Need.title)
    shares = or_(*(title.contains(w, autoescape=True) for w in words[:SIMILAR_WORDS]))
    open_ = Need.status.not_in([s.value for s in CLOSED_TO_VOTES])
    stmt = select(Need).where(shares, open_, visible_to(db, principal))
    return list(db.scalars(stmt.order_by(Need.votes.desc(), Need.id.desc()).limit(limit)))


def voted_on(db: Session, *, person_id: int | None, need_ids: list[int]) -> set[int]:
    """Which of these needs the person has voted on."""
    if person_id is None or not need_ids:
        return set()
    stmt = select(NeedVote.need_id).where(NeedVote.person_id == person_id, NeedVote.need_id.in_(need_ids))
    return set(db.scalars(stmt))


def vote(db: Session, *, principal: Principal, need_id: int) -> tuple[Need, bool]:
    """The principal's vote on the need; True when it is new (a vote already there changes nothing)."""
    person_id = _person_of(principal)
    need = get_need(db, principal=principal, need_id=need_id)
    if NeedStatus(need.status) in CLOSED_TO_VOTES:
        raise Invalid(field="status", message=f"this need is {need.status}: it takes no more votes")
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    added = rows_changed(
        db.execute(
            insert(NeedVote)
            .values(need_id=need_id, person_id=person_id, voted_at=utcnow())
            .on_conflict_do_nothing(),
            execution_options={"preserve_rowcount": True},
        )
    )
    if added:
        _count(db, need_id, +1)
    db.refresh(need)
    return need, bool(added)


def withdraw_vote(db: Session, *, principal: Principal, need_id: int) -> tuple[Need, bool]:
    """Take the principal's vote back; True when there was one."""
    person_id = _person_of(principal)
    need = get_need(db, principal=principal, need_id=need_id)
    gone = rows_changed(
        db.execute(delete(NeedVote).where(NeedVote.need_id == need_id, NeedVote.person_id == person_id))
    )
    if gone:
        _count(db, need_id, -1)
    db.refresh(need)
    return need, bool(gone)


def may_triage(db: Session, principal: Principal, need: Need) -> bool:
    """L&D admins triage every need; a manager, the needs of their own unit and the units below it."""
    if principal.has(Role.ld_admin):
        return True
    if not principal.has(Role.manager) or principal.person_id is None or need.org_unit_id is None:
        return False
    own = unit_path(db, principal.person_id)
    where = db.scalar(select(OrgUnit.path).where(OrgUnit.id == need.org_unit_id))
    return own is not None and where is not None and where.startswith(own)


def change_status(
    db: Session,
    *,
    principal: Principal,
    need_id: int,
    status: NeedStatus,
    reason: str,
    into_id: int | None = None,
) -> Need:
    """A triage decision with its public reason, kept on the need. Merging moves every vote to the need it
    is merged into (someone who voted on both counts once there) and closes this one to votes."""
    need = get_need(db, principal=principal, need_id=need_id)
    if not may_triage(db, principal, need):
        raise Forbidden("Triage is for L&D admins, and for managers on their own unit's needs.")
    status, reason = NeedStatus(status), " ".join(reason.split())
    if not reason:
        raise Invalid(field="reason", message="say why: the reason is shown on the need to everyone")
    if need.status == NeedStatus.merged.value:
        raise Invalid(field="status", message="this need is merged: decide on the need it was merged into")
    if status.value == need.status:
        raise Invalid(field="status", message=f"the need is {status.value} already")
    if status == NeedStatus.new:
        raise Invalid(field="status", message="a need goes back to under_review, not to new")
    if status == NeedStatus.merged:
        _merge(db, principal=principal, need=need, into_id=into_id)
    elif into_id is not None:
        raise Invalid(field="into_id", message="only a merge names the need it goes into")
    db.add(
        NeedDecision(
            need_id=need.id,
            actor=principal.account.email,
            status_from=need.status,
            status_to=status.value,
            reason=reason,
        )
    )
    need.status = status.value
    db.flush()
    return need


def _merge(db: Session, *, principal: Principal, need: Need, into_id: int | None) -> None:
    if into_id is None:
        raise Invalid(field="into_id", message="name the need this one is merged into")
    if into_id == need.id:
        raise Invalid(field="into_id", message="a need cannot be merged into itself")
    into = db.scalar(select(Need).where(Need.id == into_id, visible_to(db, principal)))
    if into is None:
        raise Invalid(field="into_id", message=f"there is no need {into_id}")
    if NeedStatus(into.status) in CLOSED_TO_VOTES:
        raise Invalid(field="into_id", message=f"need {into_id} is {into.status}: merge into an open need")
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    moved = select(literal(into.id), NeedVote.person_id, NeedVote.voted_at).where(NeedVote.need_id == need.id)
    db.execute(
        insert(NeedVote).from_select(["need_id", "person_id", "voted_at"], moved).on_conflict_do_nothing()
    )
    counted = select(func.count()).select_from(NeedVote).where(NeedVote.need_id == into.id).scalar_subquery()
    db.execute(update(Need).where(Need.id == into.id).values(votes=counted))
    need.merged_into_id = into.id


def decisions(db: Session, *, principal: Principal, need_id: int) -> list[NeedDecision]:
    """The need's triage decisions, oldest first."""
    get_need(db, principal=principal, need_id=need_id)
    stmt = select(NeedDecision).where(NeedDecision.need_id == need_id).order_by(NeedDecision.id)
    return list(db.scalars(stmt))


def _count(db: Session, need_id: int, change: int) -> None:
    """Move the need's count in the database (never read, add and write back: two voters at once would
    both write the same number)."""
    db.execute(update(Need).where(Need.id == need_id).values(votes=Need.votes + change))


def _person_of(principal: Principal) -> int:
    if principal.person_id is None:
        raise Forbidden(
            "Raising and voting on needs is for people of the organisation (this account has none)."
        )
    return principal.person_id
