"""Telling people what compliance did to them: learning assigned (by a requirement or a manager) and an
exemption granted or ended. The inbox hears at once, in the caller's transaction; the e-mail goes in
the next morning's digest (push.reminders), so a requirement that assigns thousands queues one mail per
person per day, not one per assignment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, String, and_, case, cast, exists, literal, or_, select, true
from sqlalchemy.orm import Session, aliased, selectinload

from learnbridge.notify.service import notify_person, notify_selected
from learnbridge.people.models import Person
from learnbridge.push.audience import describe
from learnbridge.push.models import (
    OPEN_ENDED,
    Assignment,
    AudienceRule,
    Exemption,
    Requirement,
    RequirementOrigin,
    RequirementStatus,
)

SUBJECT_LIMIT = 300


@dataclass(frozen=True)
class News:
    """One line of a person's digest; `told` when the inbox already had it (the mail still carries it)."""

    person_id: int
    email: str
    text: str
    told: bool


def _items(requirement: Requirement) -> str:
    return " or ".join(f"'{item.title}'" for item in requirement.items)


def _why(requirement: Requirement, reason: str) -> str:
    """The requirement's reason in plain words: who asked, and why."""
    if requirement.origin == RequirementOrigin.manager:
        who = requirement.assigned_by.name if requirement.assigned_by else "Your manager"
        return f"{who} assigned this to you. Their reason: {requirement.description or reason}"
    audience = [describe(r) for r in requirement.rules if not r.exclude]
    text = f"The compliance requirement '{requirement.name}' applies to you"
    text += f" ({'; '.join(audience)})." if audience else "."
    extra = [part for part in (requirement.description, reason) if part]
    return " ".join([text, *extra])


NO_DUE_DATE = "No due date yet: your hire date is missing from the HR records, so L&D will set one."


def _due(due_on: dt.date | None, completed_on: dt.date | None) -> str:
    if completed_on is not None:
        return f"Your completion on {completed_on} already counts."
    if due_on is None:
        return NO_DUE_DATE
    return f"Due {due_on}."


def _subject(requirement: Requirement) -> str:
    if requirement.origin == RequirementOrigin.manager and requirement.assigned_by is not None:
        return f"{requirement.assigned_by.name} assigned you {_items(requirement)}"[:SUBJECT_LIMIT]
    return f"Required of you: {requirement.name}"[:SUBJECT_LIMIT]


def tell_assigned(
    db: Session, *, batches: Collection[str], reason: str = "", scope: ColumnElement[bool] | None = None
) -> int:
    """Everyone a recompute just assigned (or assigned again) hears it in their inbox, with which
    requirement or manager asked and why, and the due date: the texts are made once per requirement and
    the messages written by one INSERT ... SELECT (a full recompute of 841,108 assignments spent about
    20 s making them row by row in Python). `scope` is the recompute's (its people or requirements):
    after a full recompute every assignment shares one batch, the planner's statistics say so, and an
    incremental recompute found its few rows by reading them all (95 ms at 841,108) without it."""
    a = Assignment
    told = and_(
        a.batch.in_(list(batches)),
        a.removed_at.is_(None),
        Person.active.is_(True),
        scope if scope is not None else true(),
    )
    among = select(a.requirement_id).join(Person, Person.id == a.person_id).where(told).distinct()
    found = list(
        db.scalars(
            select(Requirement)
            .where(Requirement.id.in_(among))
            .options(
                selectinload(Requirement.items),
                selectinload(Requirement.assigned_by),
                selectinload(Requirement.rules).selectinload(AudienceRule.org_unit),
                selectinload(Requirement.rules).selectinload(AudienceRule.job_profile),
                selectinload(Requirement.rules).selectinload(AudienceRule.person),
            )
        )
    )
    if not found:
        return 0
    subjects = {r.id: _subject(r).strip() for r in found}
    texts = {r.id: f"Complete {_items(r)}. {_why(r, reason)}\n" for r in found}
    rows = (
        select(
            a.person_id,
            case(subjects, value=a.requirement_id),
            case(texts, value=a.requirement_id) + _due_sql(),
            literal("/compliance/assignments/") + cast(a.id, String),
        )
        .join(Person, Person.id == a.person_id)
        .where(told)
        .order_by(a.id)
    )
    return notify_selected(db, rows=rows, subjects=subjects.values())


def _due_sql() -> ColumnElement[str]:
    """`_due` in SQL (dates as YYYY-MM-DD text on both databases, as `str(date)` writes them)."""
    a = Assignment
    return case(
        (
            a.completed_on.is_not(None),
            "Your completion on " + cast(a.completed_on, String) + " already counts.",
        ),
        (a.due_on.is_(None), literal(NO_DUE_DATE)),
        else_=literal("Due ") + cast(a.due_on, String) + ".",
    )


def exemption_granted(db: Session, assignment: Assignment, exemption: Exemption) -> None:
    until = f"until {exemption.ends_on}" if exemption.ends_on else "with no end date"
    notify_person(
        db,
        person_id=assignment.person_id,
        subject=f"Exempted: {assignment.requirement.name}"[:SUBJECT_LIMIT],
        body=(
            f"{exemption.approver} exempted you from {assignment.requirement.name} {until}. "
            f"Reason: {exemption.reason}. You need not complete it while the exemption lasts."
        ),
        link=f"/compliance/assignments/{assignment.id}",
    )


def exemption_revoked(db: Session, assignment: Assignment, *, by: str, reason: str) -> None:
    notify_person(
        db,
        person_id=assignment.person_id,
        subject=f"Exemption ended: {assignment.requirement.name}"[:SUBJECT_LIMIT],
        body=(
            f"{by} ended your exemption from {assignment.requirement.name}. Reason: {reason}. "
            f"It is required of you again. {_due(assignment.due_on, assignment.completed_on)}"
        ),
        link=f"/compliance/assignments/{assignment.id}",
    )


def digest_news(db: Session, *, day: dt.date) -> list[News]:
    """What happened to people the day before `day` (UTC), for that morning's digest: learning
    assigned, exemptions granted, ended by an admin, or run out (the last told in the inbox here)."""
    since = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    until = since + dt.timedelta(days=1)
    return (
        _assigned_news(db, day - dt.timedelta(days=1))
        + _exemption_news(db, since, until)
        + _ran_out_news(db, day - dt.timedelta(days=1))
    )


def _assigned_news(db: Session, on: dt.date) -> list[News]:
    a, r, boss = Assignment, Requirement, aliased(Person)
    stmt = (
        select(Person.id, Person.email, r.name, r.origin, boss.name, a.due_on, a.completed_on)
        .join(Person, Person.id == a.person_id)
        .join(r, r.id == a.requirement_id)
        .outerjoin(boss, boss.id == r.assigned_by_person_id)
        .where(
            a.assigned_on == on,
            a.removed_at.is_(None),
            r.status == RequirementStatus.active.value,
            Person.active.is_(True),
        )
        .order_by(r.name)
    )
    news = []
    for pid, email, name, origin, manager, due_on, completed_on in db.execute(stmt):
        who = f"assigned by {manager}" if origin == RequirementOrigin.manager else "required by L&D"
        text = f"- New: {name} ({who}). {_due(due_on, completed_on)}"
        news.append(News(pid, email or "", text, told=True))
    return news


def _exemption_news(db: Session, since: dt.datetime, until: dt.datetime) -> list[News]:
    a, e, r = Assignment, Exemption, Requirement
    later = aliased(Exemption)
    replaced = exists().where(
        later.assignment_id == e.assignment_id, later.id != e.id, later.granted_at >= e.revoked_at
    )
    granted = and_(e.granted_at >= since, e.granted_at < until)
    revoked = and_(e.revoked_at >= since, e.revoked_at < until, ~replaced)
    ended = case((revoked, True), else_=False)
    stmt = (
        select(Person.id, Person.email, r.name, e, ended)
        .join(a, a.id == e.assignment_id)
        .join(Person, Person.id == a.person_id)
        .join(r, r.id == a.requirement_id)
        .where(or_(granted, revoked), Person.active.is_(True))
        .order_by(e.id)
    )
    news = []
    for pid, email, name, exemption, was_ended in db.execute(stmt):
        if since <= exemption.granted_at < until:
            until_text = f"until {exemption.ends_on}" if exemption.ends_on else "with no end date"
            text = f"- Exempted from {name} {until_text} by {exemption.approver}: {exemption.reason}"
            news.append(News(pid, email or "", text, told=True))
        if was_ended:  # by an admin, not replaced by a new exemption
            news.append(News(pid, email or "", f"- Your exemption from {name} was ended.", told=True))
    return news


def _ran_out_news(db: Session, on: dt.date) -> list[News]:
    """Exemptions whose end date was `on`: nobody acted, so the digest is the first word of it."""
    a, e, r = Assignment, Exemption, Requirement
    stmt = (
        select(Person.id, Person.email, r.name, e.ends_on)
        .join(a, a.id == e.assignment_id)
        .join(Person, Person.id == a.person_id)
        .join(r, r.id == a.requirement_id)
        .where(
            e.ends_on == on,
            e.ends_on != OPEN_ENDED,
            e.revoked_at.is_(None),
            a.removed_at.is_(None),
            Person.active.is_(True),
        )
    )
    return [
        News(pid, email or "", f"- Your exemption from {name} ended on {ends}: it is required again.", False)
        for pid, email, name, ends in db.execute(stmt)
    ]
