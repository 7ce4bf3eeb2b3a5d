"""The reminder ladder: one digest per recipient per day, in the inbox and by e-mail.

Each requirement has steps (days from the due date, and to whom: the learner, their manager, L&D).
On a given day, an open assignment that is not yet satisfied triggers the steps whose offset lands on
that day, counted from its due date (or, for a certificate, from its expiry). Everything one recipient
would hear that day goes into one message, with what happened to them the day before (learning
assigned, exemptions granted or ended: push.notices), which their inbox already had at the time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, case, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from learnbridge.accounts.models import Account
from learnbridge.core.db import rows_changed, table_of
from learnbridge.notify.service import notify_person, queue_mail
from learnbridge.people.models import Person
from learnbridge.push.date_rules import status_sql
from learnbridge.push.models import (
    Assignment,
    AssignmentStatus,
    Recipient,
    ReminderDigest,
    ReminderStep,
    Requirement,
    RequirementStatus,
)
from learnbridge.push.notices import News, digest_news

OPEN = (
    AssignmentStatus.assigned,
    AssignmentStatus.in_progress,
    AssignmentStatus.overdue,
    AssignmentStatus.expiring_soon,
    AssignmentStatus.expired,
)


@dataclass(frozen=True)
class Line:
    person: str
    requirement: str
    anchor: dt.date
    state: str
    offset: int

    def text(self, *, own: bool) -> str:
        expires = self.state in ("expiring_soon", "expired")
        if self.offset < 0:
            when = f"{'expires' if expires else 'is due'} in {-self.offset} days"
        elif self.offset == 0:
            when = f"{'expires' if expires else 'is due'} today"
        else:
            when = f"{'expired' if expires else 'was due'} {self.offset} days ago"
        who = "" if own else f"{self.person}: "
        return f"- {who}{self.requirement} {when} ({self.anchor})"


@dataclass(frozen=True)
class Target:
    email: str
    person_id: int | None


def send_reminders(db: Session, *, day: dt.date) -> int:
    """Queue today's digests; a recipient already sent one today is skipped. Returns digests sent."""
    digests: dict[Target, list[tuple[Line, bool]]] = defaultdict(list)
    news: dict[Target, list[News]] = defaultdict(list)
    for line in digest_news(db, day=day):
        if line.email or not line.told:  # no address and heard already: nothing left to send
            news[Target(line.email, line.person_id)].append(line)
    if offsets := list(db.scalars(select(ReminderStep.offset_days).distinct())):
        _collect(db, day, offsets, digests)
    targets = sorted(set(digests) | set(news), key=lambda t: (t.email, t.person_id or 0))
    return sum(_send(db, target, digests.get(target, []), news.get(target, []), day) for target in targets)


def _collect(
    db: Session, day: dt.date, offsets: list[int], digests: dict[Target, list[tuple[Line, bool]]]
) -> None:
    admins = [
        Target(a.email, a.person_id)
        for a in db.scalars(select(Account).where(Account.is_ld_admin.is_(True), Account.active.is_(True)))
    ]
    for line, recipient, learner, manager in _due_lines(db, day, offsets):
        if recipient == Recipient.learner and learner.email:
            digests[Target(learner.email, learner.id)].append((line, True))
        elif recipient == Recipient.manager and manager is not None and manager.email:
            digests[Target(manager.email, manager.id)].append((line, False))
        elif recipient == Recipient.ld:
            for admin in admins:
                digests[admin].append((line, False))


def _due_lines(
    db: Session, day: dt.date, offsets: list[int]
) -> list[tuple[Line, str, Person, Person | None]]:
    a, step = Assignment, ReminderStep
    manager = aliased(Person)
    anchor = case((a.completed_on.is_not(None), a.expires_on), else_=a.due_on)
    on_day = or_(*(and_(step.offset_days == o, anchor == day - dt.timedelta(days=o)) for o in offsets))
    state = status_sql(day)
    stmt = (
        select(Requirement.name, anchor, state, step.offset_days, step.recipient, Person, manager)
        .join(step, step.requirement_id == a.requirement_id)
        .join(Requirement, Requirement.id == a.requirement_id)
        .join(Person, Person.id == a.person_id)
        .outerjoin(manager, manager.id == Person.manager_id)
        .where(
            Requirement.status == RequirementStatus.active.value,
            a.removed_at.is_(None),
            on_day,
            state.in_([s.value for s in OPEN]),
            Person.active.is_(True),
        )
        .order_by(anchor, Requirement.name, Person.name)
    )
    return [
        (Line(person.name, name, when, st, offset), recipient, person, boss)
        for name, when, st, offset, recipient, person, boss in db.execute(stmt)
    ]


def _send(db: Session, target: Target, lines: list[tuple[Line, bool]], news: list[News], day: dt.date) -> int:
    """One digest: the inbox gets what it has not heard yet; the mail (when there is an address) all."""
    dialect_insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    # Someone without an address gets only the inbox part, claimed under their person id.
    recipient = target.email or f"person:{target.person_id}"
    claimed = rows_changed(
        db.execute(
            dialect_insert(table_of(ReminderDigest))
            .values(recipient=recipient, day=day, lines=len(lines) + len(news))
            .on_conflict_do_nothing(),
            execution_options={"preserve_rowcount": True},
        )
    )
    if not claimed:
        return 0
    subject = _subject(len(lines), len(news), day)
    unheard = _body(lines, [n for n in news if not n.told])
    if target.person_id is not None and unheard:
        notify_person(db, person_id=target.person_id, subject=subject, body=unheard, link="/")
    if target.email:
        body = _body(lines, news)
        queue_mail(db, to_address=target.email, subject=subject, body=body, to_person_id=target.person_id)
    return 1


def _subject(reminders: int, news: int, day: dt.date) -> str:
    parts = [f"{reminders} compliance reminder{'s' if reminders != 1 else ''}"] if reminders else []
    if news:
        parts.append(f"{news} update{'s' if news != 1 else ''}")
    return f"Learnbridge: {' and '.join(parts)} for {day}"


def _body(lines: list[tuple[Line, bool]], news: list[News]) -> str:
    own = [line.text(own=True) for line, mine in lines if mine]
    others = [line.text(own=False) for line, mine in lines if not mine]
    parts = []
    if news:
        parts.append("New for you since yesterday:\n" + "\n".join(n.text for n in news))
    if own:
        parts.append("Required of you:\n" + "\n".join(own))
    if others:
        parts.append("Needing your attention (people you are responsible for):\n" + "\n".join(others))
    if not parts:
        return ""
    return "\n\n".join(parts) + "\n\nOpen Learnbridge to see each one and why it is required."


@dataclass(frozen=True)
class OpenItem:
    """Something still to do, for a reminder sent by hand."""

    requirement: str
    due_on: dt.date | None
    late: bool


def remind_by_hand(db: Session, *, person: Person, items: list[OpenItem], sender: str) -> bool:
    """A reminder a manager sends now, to one person, about what is still open: an inbox message and a
    mail. Nothing is sent to someone with nothing open (returns False)."""
    if not items:
        return False
    lines = []
    for item in items:
        when = "no due date" if item.due_on is None else f"{'was' if item.late else 'is'} due {item.due_on}"
        lines.append(f"- {item.requirement}: {when}")
    body = (
        f"{sender} reminds you of learning still to do:\n"
        + "\n".join(lines)
        + "\n\nOpen Learnbridge to see each one and why it is required."
    )
    subject = f"Reminder from {sender}: {len(items)} item{'s' if len(items) != 1 else ''} to do"
    notify_person(db, person_id=person.id, subject=subject[:200], body=body, link="/")
    if person.email:
        queue_mail(db, to_address=person.email, subject=subject[:200], body=body, to_person_id=person.id)
    return True
