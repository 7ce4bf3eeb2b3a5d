"""The plan pages: start a plan, add goals and learning, tick, check in, share; a manager's team plans
with comments and acknowledgement; the catalogue's Enrol and Open routes."""

from __future__ import annotations

import datetime as dt
import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.people.models import Person
from learnbridge.pull.models import DevelopmentPlan, PlanGoal, PlanItem
from learnbridge.pull.plans import add_goal, add_plan_item
from learnbridge.pull.sharing import share_plan
from learnbridge.records.models import Enrolment, ItemOpening
from tests.factories import csrf_from, login, make_account, make_item, make_person, make_plan, make_skill

YEAR = dt.date.today().year


def _signed_in(client: TestClient, db: Session, **overrides: object) -> tuple[int, str]:
    person = make_person(db, **overrides)
    login(client, make_account(db, person).email)
    return person.id, csrf_from(client.get("/plan").text)


def test_start_a_plan_then_goals_learning_ticks_and_checkins(client: TestClient, db: Session) -> None:
    person_id, token = _signed_in(client, db)
    page = client.get("/plan")
    assert "Start a plan" in page.text and 'href="/me/skills"' in page.text and 'href="/for-you"' in page.text
    form = {"csrf_token": token, "title": "Lead a shift", "period_start": f"{YEAR}-01-01"}
    bad = client.post("/plan", data=form | {"period_end": f"{YEAR - 1}-01-01"})
    assert bad.status_code == 422 and "period_end" in bad.text and 'value="Lead a shift"' in bad.text
    made = client.post(
        "/plan",
        data=form | {"period_end": f"{YEAR}-12-31", "held_on": f"{YEAR}-01-01", "note": "Talked with Maria"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    plan = db.scalars(select(DevelopmentPlan).where(DevelopmentPlan.person_id == person_id)).one()
    base = f"/plan/{plan.id}"
    skill = make_skill(db, name="Coaching")
    db.commit()  # the rejected form below rolls back what is not committed (a savepoint here)
    wrong = client.post(
        f"{base}/goals",
        data={"csrf_token": token, "title": "Coach", "skill_id": skill.id, "target_level": "9"},
    )
    assert wrong.status_code == 422 and "target_level" in wrong.text
    client.post(
        f"{base}/goals",
        data={"csrf_token": token, "title": "Coach starters", "skill_id": skill.id, "target_level": "2"},
    )
    goal = db.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id)).one()
    client.post(
        f"{base}/items",
        data={
            "csrf_token": token,
            "activity": "Shadow the night shift",
            "goal_id": goal.id,
            "origin": "plan",
        },
    )
    planned = db.scalars(select(PlanItem).where(PlanItem.plan_id == plan.id)).one()
    assert planned.origin == "plan" and planned.goal_id == goal.id
    client.post(f"{base}/items/{planned.id}/done", data={"csrf_token": token, "done": "1"})
    client.post(f"{base}/checkins", data={"csrf_token": token, "note": "Going well", "progress": "50"})
    shown = client.get("/plan").text
    assert "Coaching at level 2 (Working)" in shown and "Done — ticked by you" in shown
    assert (
        'id="plan-progress" value="100"' in shown and "Going well" in shown and "Talked with Maria" in shown
    )
    client.post(f"{base}/items/{planned.id}/done", data={"csrf_token": token, "done": "0"})
    assert 'id="plan-progress" value="0"' in client.get(base).text
    edit = {
        "csrf_token": token,
        "title": "Coach starters",
        "skill_id": "",
        "target_level": "",
        "status": "achieved",
    }
    client.post(f"{base}/goals/{goal.id}", data=edit)
    db.refresh(goal)
    assert (goal.status, goal.skill_id, goal.target_level) == ("achieved", None, None)


def test_closing_moves_a_plan_to_past_plans(client: TestClient, db: Session) -> None:
    person_id, token = _signed_in(client, db)
    plan = make_plan(db, person=db.get_one(Person, person_id))
    client.post(f"/plan/{plan.id}/edit", data={"csrf_token": token, "status": "closed"})
    page = client.get("/plan").text
    assert "Start a plan" in page and f'href="/plan/{plan.id}"' in page
    closed = client.get(f"/plan/{plan.id}").text
    assert 'id="plan-status">Closed' in closed and "Add a goal" not in closed


def test_a_manager_sees_comments_and_acknowledges_a_shared_plan(client: TestClient, db: Session) -> None:
    boss = make_person(db, name="Maria Jensen")
    learner = make_person(db, name="Lee Carter", manager_id=boss.id)
    plan = make_plan(db, person=learner, title="Grow into a shift lead")
    add_goal(db, plan_id=plan.id, title="Coach starters")
    add_plan_item(db, plan_id=plan.id, activity="Shadow the night shift")
    boss_account = make_account(db, boss)
    login(client, boss_account.email)
    assert client.get(f"/team/plans/{plan.id}").status_code == 404
    assert "Grow into a shift lead" not in client.get("/team/plans").text
    share_plan(db, plan_id=plan.id, person_id=learner.id, shared=True)
    db.commit()  # the rejected comment below rolls back what is not committed
    listing = client.get("/team/plans").text
    assert "Lee Carter" in listing and f'href="/team/plans/{plan.id}"' in listing and "Not yet" in listing
    page = client.get(f"/team/plans/{plan.id}")
    assert "Shadow the night shift" in page.text and "Coach starters" in page.text
    token = csrf_from(page.text)
    assert client.post(f"/team/plans/{plan.id}/comments", data={"csrf_token": token}).status_code == 422
    client.post(f"/team/plans/{plan.id}/comments", data={"csrf_token": token, "body": "Good plan, Lee."})
    client.post(f"/team/plans/{plan.id}/acknowledge", data={"csrf_token": token})
    assert "Acknowledged by Maria Jensen" in client.get(f"/team/plans/{plan.id}").text
    client.post("/logout", data={"csrf_token": token})
    login(client, make_account(db, learner).email)
    own = client.get("/plan").text
    assert "Good plan, Lee." in own and "Acknowledged by Maria Jensen" in own


def test_others_get_not_found_for_team_plan_pages(client: TestClient, db: Session) -> None:
    learner = make_person(db)
    plan = make_plan(db, person=learner)
    share_plan(db, plan_id=plan.id, person_id=learner.id, shared=True)
    login(client, make_account(db, ld_admin=True).email)
    assert client.get(f"/team/plans/{plan.id}").status_code == 404
    assert client.get(f"/plan/{plan.id}").status_code in (403, 404)


def test_enrol_and_open_record_their_origin(client: TestClient, db: Session) -> None:
    person_id, token = _signed_in(client, db)
    linked = make_item(db, url="https://example.org/course")
    plain = make_item(db)
    enrolled = client.post(
        f"/items/{plain.id}/enrol",
        data={"csrf_token": token, "origin": "recommendation"},
        follow_redirects=False,
    )
    assert enrolled.status_code == 303 and enrolled.headers["location"].startswith(f"/catalog/{plain.id}")
    assert db.scalars(select(Enrolment.origin).where(Enrolment.person_id == person_id)).all() == [
        "recommendation"
    ]
    assert "You are enrolled" in client.get(enrolled.headers["location"]).text
    opened = client.get(_open_link(client, linked.id, "recommendation"), follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "https://example.org/course"
    query = _open_link(client, make_item(db, url="https://example.org/x").id, "self").split("?")[1]
    other_item = client.get(f"/items/{plain.id}/open?{query}", follow_redirects=False)
    assert other_item.headers["location"] == f"/catalog/{plain.id}?origin=self"  # signed for another item
    origins = db.scalars(select(ItemOpening.origin).where(ItemOpening.person_id == person_id)).all()
    assert sorted(origins) == ["recommendation"]
    bad = client.get(f"/items/{plain.id}/open?origin=nonsense", follow_redirects=False)
    assert bad.status_code == 422 and "origin" in bad.text
    assert re.search(
        "origin", client.post(f"/items/{plain.id}/enrol", data={"csrf_token": token, "origin": "x"}).text
    )


def test_a_later_conversation_is_noted_on_the_plan(client: TestClient, db: Session) -> None:
    person_id, token = _signed_in(client, db)
    plan = make_plan(db, person=db.get_one(Person, person_id))
    form = {"csrf_token": token, "held_on": f"{YEAR}-03-02", "note": "Agreed to try the night shift."}
    done = client.post(f"/plan/{plan.id}/conversations", data=form, follow_redirects=False)
    assert done.status_code == 303
    page = client.get(f"/plan/{plan.id}").text
    assert "Agreed to try the night shift." in page
    future = {"csrf_token": token, "held_on": f"{YEAR + 2}-01-01"}
    refused = client.post(f"/plan/{plan.id}/conversations", data=future)
    assert refused.status_code in (400, 422) and "lies in the future" in refused.text
    api = client.post(
        f"/api/v1/me/plans/{plan.id}/conversations",
        json={"held_on": f"{YEAR}-04-01", "note": "Check-in with Maria"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 201 and api.json()["note"] == "Check-in with Maria"
    _, other_token = _signed_in(client, db)
    someone_elses = client.post(
        f"/api/v1/me/plans/{plan.id}/conversations",
        json={"held_on": f"{YEAR}-04-01"},
        headers={"X-CSRF-Token": other_token},
    )
    assert someone_elses.status_code == 404


def _open_link(client: TestClient, item_id: int, origin: str) -> str:
    """The Open button's address on the item's page: signed for the signed-in person."""
    page = client.get(f"/catalog/{item_id}?origin={origin}").text
    match = re.search(rf'href="(/items/{item_id}/open\?[^"]+)"', page)
    assert match, "no Open link on the item's page"
    return html.unescape(match.group(1))


def test_an_open_link_counts_only_for_the_person_it_was_made_for(client: TestClient, db: Session) -> None:
    """Another site's link to /items/ID/open (or a link made for someone else) records nothing: it leads to
    the item's page, whose own Open link then counts."""
    person_id, _ = _signed_in(client, db)
    item = make_item(db, url="https://example.org/course")
    forged = client.get(f"/items/{item.id}/open?origin=recommendation", follow_redirects=False)
    assert (
        forged.status_code == 303
        and forged.headers["location"] == f"/catalog/{item.id}?origin=recommendation"
    )
    tampered = _open_link(client, item.id, "self").replace("origin=self", "origin=recommendation")
    assert client.get(tampered, follow_redirects=False).headers["location"].startswith(f"/catalog/{item.id}")
    assert db.scalars(select(ItemOpening.id).where(ItemOpening.person_id == person_id)).all() == []
    client.cookies.clear()
    other_id, _ = _signed_in(client, db)
    assert other_id != person_id
    assert client.get(tampered, follow_redirects=False).headers["location"].startswith(f"/catalog/{item.id}")
    opened = client.get(_open_link(client, item.id, "self"), follow_redirects=False)
    assert opened.headers["location"] == "https://example.org/course"
    assert db.scalars(select(ItemOpening.person_id)).all() == [other_id]
