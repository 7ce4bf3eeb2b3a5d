"""Statements reach the right person by every identifier xAPI allows (1.0.3 Part 2, 2.4.2.3): mbox
(case-insensitive), mbox_sha1sum, an account on this platform, and an OpenID or another system's account
recorded for the person, as a foreign LMS's cmi5 launch names its learner."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from learnbridge.core.jobs import run_pending
from learnbridge.core.settings import Settings
from learnbridge.jobs import job_handlers
from learnbridge.lrs.clients import create_client
from learnbridge.lrs.statements import receive_statements
from learnbridge.people import service
from learnbridge.people.models import Person
from learnbridge.push.xapi_completions import COMPLETED
from learnbridge.records.models import Completion
from learnbridge.records.platform_iris import item_activity_id
from tests.factories import make_item, make_person

BASE = "https://lb.example.org"
SETTINGS = Settings(base_url=BASE)
PARTNER_LMS = "https://lms.partner.example"
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def post(db: Session, sessions: sessionmaker[Session], *, actor: dict[str, Any], activity: str) -> None:
    """A cmi5-shaped completion (registration, the cmi5 category) through the LRS and the stream job."""
    client, _ = create_client(
        db, name=f"Partner {uuid.uuid4()}", home_page=PARTNER_LMS, counts_as_evidence=True
    )
    document = {
        "actor": {"objectType": "Agent", **actor},
        "verb": {"id": COMPLETED},
        "object": {"id": activity, "objectType": "Activity"},
        "context": {"registration": str(uuid.uuid4()), "contextActivities": {"category": [{"id": CMI5}]}},
    }
    receive_statements(db, document=document, attachments={}, client=client, version="1.0.3", put_id=None)
    db.flush()
    run_pending(sessions, job_handlers(SETTINGS), worker_id="test")


def completed_by(db: Session, item_id: int) -> list[int]:
    return list(db.scalars(select(Completion.person_id).where(Completion.item_id == item_id)))


ACTORS: dict[str, Callable[[Person], dict[str, Any]]] = {
    "mbox in another case": lambda p: {"mbox": f"mailto:{str(p.email).upper()}"},
    "mbox_sha1sum": lambda p: {"mbox_sha1sum": sha1(f"mailto:{str(p.email).lower()}")},
    "mbox_sha1sum in capitals": lambda p: {"mbox_sha1sum": sha1(f"mailto:{str(p.email).lower()}").upper()},
    "account on this platform": lambda p: {"account": {"homePage": BASE, "name": p.external_id}},
    "recorded openid": lambda p: {"openid": f"https://id.example.net/{p.external_id}"},
    "recorded account of a foreign LMS": lambda p: {
        "account": {"homePage": PARTNER_LMS, "name": f"u-{p.id}"}
    },
}


@pytest.mark.parametrize("kind", ACTORS)
def test_each_identifier_kind_reaches_the_person(
    db: Session, sessions: sessionmaker[Session], kind: str
) -> None:
    person = make_person(db, email="Grace.Hopper@Example.org")
    make_person(db)  # someone else, who must not get the completion
    service.replace_identifiers(
        db,
        person=person,
        identifiers=[
            {"openid": f"https://id.example.net/{person.external_id}"},
            {"account": {"homePage": PARTNER_LMS, "name": f"u-{person.id}"}},
        ],
    )
    item = make_item(db)
    post(db, sessions, actor=ACTORS[kind](person), activity=item_activity_id(BASE, item.id))
    assert completed_by(db, item.id) == [person.id]


@pytest.mark.parametrize(
    "actor",
    [
        {"account": {"homePage": PARTNER_LMS, "name": "nobody-recorded"}},
        {"openid": "https://id.example.net/unknown"},
        {"mbox_sha1sum": sha1("mailto:stranger@example.org")},
    ],
)
def test_an_identifier_nobody_has_reaches_nobody(
    db: Session, sessions: sessionmaker[Session], actor: dict[str, Any]
) -> None:
    make_person(db)
    item = make_item(db)
    post(db, sessions, actor=actor, activity=item_activity_id(BASE, item.id))
    assert completed_by(db, item.id) == []


def test_a_foreign_account_reaches_the_person_once_recorded(
    db: Session, sessions: sessionmaker[Session]
) -> None:
    person = make_person(db)
    item = make_item(db)
    actor = {"account": {"homePage": PARTNER_LMS, "name": "learner-77"}}
    post(db, sessions, actor=actor, activity=item_activity_id(BASE, item.id))
    assert completed_by(db, item.id) == []
    service.add_identifier(db, person=person, identifier=actor)
    post(db, sessions, actor=actor, activity=item_activity_id(BASE, item.id))
    assert completed_by(db, item.id) == [person.id]


def test_mbox_sha1sum_follows_the_address(db: Session) -> None:
    person = make_person(db, email="Old.Name@Example.org")
    assert person.mbox_sha1sum == sha1("mailto:old.name@example.org")
    person.email = "new.name@example.org"
    db.flush()
    stored = db.scalar(select(Person.mbox_sha1sum).where(Person.id == person.id))
    assert stored == sha1("mailto:new.name@example.org")
    person.email = None
    db.flush()
    assert db.scalar(select(Person.mbox_sha1sum).where(Person.id == person.id)) is None
