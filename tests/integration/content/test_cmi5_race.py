"""The next AU launched while the last one's `terminated` is still being stored, on PostgreSQL (SQLite's
writers take turns from their first statement): the launch waits for the statement writers' turn before it
looks at the registration's sessions, so it finds the finished session terminated and abandons nothing.
It once took the session's row first and then waited for the turn that the terminating request held while
that request waited for the row: PostgreSQL broke the deadlock by failing one of them, and the learner saw
"The course part could not be opened"."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.content import service
from learnbridge.content.cmi5.course import parse_course
from learnbridge.content.cmi5.launch import launch_au
from learnbridge.content.models import Attempt, ContentKind
from learnbridge.core.db import make_engine
from learnbridge.lrs.launch import end_session, sessions_in
from learnbridge.lrs.models import Statement
from learnbridge.lrs.statements import queue_writers
from tests.factories import make_item, make_person
from tests.helpers.cmi5 import cmi5_course

BASE = "http://lb.example"


def test_the_next_au_waits_for_the_last_ones_terminated(committed_url: str) -> None:
    if not committed_url.startswith("postgresql"):
        pytest.skip("SQLite's writers take turns from their first statement; the race is PostgreSQL's")
    engine = make_engine(committed_url)
    try:
        with Session(engine, expire_on_commit=False) as db:
            person = make_person(db)
            item = make_item(db, title="Fire safety")
            parsed = parse_course(
                cmi5_course({"moveOn": "Completed"}, {"moveOn": "Completed"}), external=False
            )
            service.add_version(
                db,
                item_id=item.id,
                kind=ContentKind.cmi5,
                spec=parsed.spec,
                title=parsed.title,
                storage_key="f",
            )
            attempt = service.launch(db, person_id=person.id, item_id=item.id)
            launch_au(db, attempt, index=0, base_url=BASE, files_url="/files/")
            db.commit()
            attempt_id, registration = attempt.id, attempt.registration

        holding, failures = threading.Event(), []

        def terminate() -> None:
            """What an AU's `terminated` does: the writers' turn for its statement, then its session ends."""
            with Session(engine) as db:
                queue_writers(db)
                holding.set()
                time.sleep(0.5)  # the launch starts meanwhile
                [session] = [s for s in sessions_in(db, registration=registration) if s.terminated_at is None]
                end_session(session)
                db.commit()

        def launch_next() -> None:
            holding.wait(10)
            try:
                with Session(engine) as db:
                    found = db.get(Attempt, attempt_id)
                    assert found is not None
                    launch_au(db, found, index=1, base_url=BASE, files_url="/files/")
                    db.commit()
            except Exception as exc:
                failures.append(exc)

        threads = [threading.Thread(target=terminate), threading.Thread(target=launch_next)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert failures == []
        with Session(engine) as db:
            verbs = db.scalars(select(Statement.verb_id).where(Statement.registration == registration))
            assert not any(v.endswith("/abandoned") for v in verbs)
    finally:
        engine.dispose()
