"""A small organisation for the records pages: a manager and their report (the learner), another
manager and their report, an L&D admin and an auditor; the learner passed a quiz on a recertified
requirement's item, completed another item by hand and had a third completion revoked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.accounts.models import Account
from learnbridge.catalog.models import LearningItem
from learnbridge.content.models import AttemptStatus, ContentKind
from learnbridge.content.service import add_version, finish_attempt, record_progress, start_attempt
from learnbridge.people.models import Person
from learnbridge.push.fulfilment import apply_evidence
from learnbridge.records.models import Completion
from tests.factories import (
    ADMIN,
    login,
    make_account,
    make_completion,
    make_item,
    make_person,
    make_requirement,
)


@dataclass
class World:
    manager: Person
    learner: Person
    other_manager: Person
    other: Person
    learner_account: Account
    admin: Account
    auditor: Account
    quiz_item: LearningItem
    manual_item: LearningItem
    passed: Completion
    manual: Completion
    revoked: Completion


def build(db: Session) -> World:
    manager = make_person(db, name="Maria Manager")
    learner = make_person(db, name="Lee Learner", manager_id=manager.id)
    other_manager = make_person(db, name="Omar Othermanager")
    other = make_person(db, name="Olga Other", manager_id=other_manager.id)
    accounts = [make_account(db, person) for person in (manager, learner, other_manager, other)]
    quiz_item = make_item(db, title="Information security")
    manual_item = make_item(db, title='=HYPERLINK("http://evil")')
    revoked_item = make_item(db, title="Withdrawn course")
    today = dt.datetime.now(dt.UTC).date()
    make_requirement(
        db,
        items=[quiz_item],
        validity_months=12,
        rules=[{"kind": "person", "person_id": learner.id}, {"kind": "person", "person_id": other.id}],
        today=today,
    )
    version = add_version(db, item_id=quiz_item.id, kind=ContentKind.quiz, spec={"questions": []})
    attempt = start_attempt(db, person_id=learner.id, item=quiz_item, version=version)
    record_progress(attempt, seconds=600)
    change = finish_attempt(db, attempt, status=AttemptStatus.passed, score=0.85)
    apply_evidence(db, change=change, actor=ADMIN)
    passed = db.get(Completion, change.added[0].id)
    assert passed is not None
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    manual = make_completion(db, person=learner, item=manual_item, completed_at=earlier)
    revoked = make_completion(db, person=learner, item=revoked_item, revoked_at=dt.datetime.now(dt.UTC))
    return World(
        manager=manager,
        learner=learner,
        other_manager=other_manager,
        other=other,
        learner_account=accounts[1],
        admin=make_account(db, ld_admin=True),
        auditor=make_account(db, auditor=True),
        quiz_item=quiz_item,
        manual_item=manual_item,
        passed=passed,
        manual=manual,
        revoked=revoked,
    )


def sign_in(client: TestClient, who: Person | Account) -> None:
    assert who.email
    login(client, who.email)
