"""The reminder ladder: one digest per recipient per day, escalation to managers and L&D."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.notify.models import InboxMessage, OutboxMail
from learnbridge.push.fulfilment import record_completion
from learnbridge.push.reminders import send_reminders
from tests.factories import ADMIN, make_account, make_item, make_person, make_requirement

DUE = dt.date(2026, 5, 20)


def _mails(db: Session, to: str) -> list[OutboxMail]:
    return list(db.scalars(select(OutboxMail).where(OutboxMail.to_address == to)))


def test_one_digest_per_person_per_day_covering_every_assignment(db: Session) -> None:
    person = make_person(db, email="pat@example.org")
    for name in ("Fire safety", "Infosec"):
        make_requirement(
            db,
            items=[make_item(db)],
            name=name,
            due_kind="fixed",
            due_date=DUE,
            reminders=[{"offset_days": -3}],
        )
    assert send_reminders(db, day=DUE - dt.timedelta(days=2)) == 0
    assert send_reminders(db, day=DUE - dt.timedelta(days=3)) == 1
    mails = _mails(db, "pat@example.org")
    assert len(mails) == 1 and "Fire safety is due in 3 days" in mails[0].body and "Infosec" in mails[0].body
    inbox = list(
        db.scalars(
            select(InboxMessage).where(
                InboxMessage.person_id == person.id, InboxMessage.subject.startswith("Learnbridge:")
            )
        )
    )
    assert len(inbox) == 1 and inbox[0].subject.startswith("Learnbridge: 2 compliance reminders")
    assert send_reminders(db, day=DUE - dt.timedelta(days=3)) == 0
    assert len(_mails(db, "pat@example.org")) == 1


def test_escalation_to_the_manager_and_to_ld_and_none_once_done(db: Session) -> None:
    boss = make_person(db, email="boss@example.org")
    late = make_person(db, email="late@example.org", manager_id=boss.id, name="Larry Late")
    done = make_person(db, email="done@example.org", manager_id=boss.id)
    make_account(db, ld_admin=True, email="ld@example.org")
    requirement = make_requirement(
        db,
        items=[make_item(db)],
        name="Forklift",
        due_kind="fixed",
        due_date=DUE,
        reminders=[{"offset_days": 7, "recipient": "manager"}, {"offset_days": 14, "recipient": "ld"}],
    )
    record_completion(
        db,
        person_id=done.id,
        item_id=requirement.items[0].id,
        completed_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        evidence="",
        actor=ADMIN,
    )
    send_reminders(db, day=DUE + dt.timedelta(days=7))
    boss_mail = _mails(db, "boss@example.org")
    assert len(boss_mail) == 1 and "Larry Late: Forklift was due 7 days ago" in boss_mail[0].body
    assert "done@" not in boss_mail[0].body and not _mails(db, "late@example.org")
    send_reminders(db, day=DUE + dt.timedelta(days=14))
    assert len(_mails(db, "ld@example.org")) == 1
    assert late.id
