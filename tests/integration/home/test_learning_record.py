"""A person's profile shows their learning record to those who may see the person: assignments,
completions, bookings, skills; plans only to the owner and, once shared, to their managers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.pull.sharing import share_plan
from learnbridge.sessions.booking import book_seat
from learnbridge.skills.models import Rater
from learnbridge.skills.service import rate_skill
from tests.factories import make_plan, make_session, make_skill
from tests.integration.home.records_world import World, build, sign_in


@pytest.fixture
def world(db: Session) -> World:
    world = build(db)
    private = make_plan(db, person=world.learner, title="Private thoughts")
    private.status = "closed"
    db.flush()
    shared = make_plan(db, person=world.learner, title="Become a team lead")
    share_plan(db, plan_id=shared.id, person_id=world.learner.id, shared=True)
    session = make_session(db, item=world.quiz_item, title="Security workshop")
    book_seat(db, session_id=session.id, person_id=world.learner.id)
    skill = make_skill(db, name="Threat spotting")
    rate_skill(
        db,
        person_id=world.learner.id,
        skill_id=skill.id,
        level=2,
        rater=Rater.self,
        rated_by_id=world.learner.id,
    )
    return world


def _record(client: TestClient, world: World) -> str:
    page = client.get(f"/people/{world.learner.id}")
    assert page.status_code == 200
    return page.text[page.text.index('id="record-heading"') :]


def test_a_manager_sees_the_record_and_the_shared_plan_only(client: TestClient, world: World) -> None:
    sign_in(client, world.manager)
    record = _record(client, world)
    assert "Information security" in record and "85%" in record
    assert "Completed" in record and f"/people/{world.learner.id}/transcript" in record
    assert "Security workshop" in record and "booked" in record
    assert "Threat spotting" in record and "<td>Self</td>" in record
    assert ">Learning record<" in record and "Your" not in record  # about someone else: third person
    assert "Become a team lead" in record and "/team/plans/" in record
    assert "Private thoughts" not in record


def test_the_owner_sees_every_plan_of_theirs(client: TestClient, world: World) -> None:
    sign_in(client, world.learner)
    record = _record(client, world)
    assert "Become a team lead" in record and "Private thoughts" in record and "/plan/" in record
    assert ">Your learning record<" in record and "<td>You</td>" in record  # one's own: second person


@pytest.mark.parametrize("who", ["admin", "auditor"])
def test_l_and_d_see_the_record_but_no_plan(client: TestClient, world: World, who: str) -> None:
    sign_in(client, getattr(world, who))
    record = _record(client, world)
    assert "Information security" in record and "Threat spotting" in record
    assert "Become a team lead" not in record and "Development plans" not in record


def test_someone_elses_manager_sees_nothing(client: TestClient, world: World) -> None:
    sign_in(client, world.other_manager)
    assert client.get(f"/people/{world.learner.id}").status_code == 404
