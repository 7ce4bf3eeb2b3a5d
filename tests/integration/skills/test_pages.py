"""Skill pages with a large taxonomy: the Skills tree, the picker's search, and the pages that pick a
skill (item editor, catalogue, My plan, My skills) stay small, and the pickers work without script."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.catalog.models import LearningItem
from learnbridge.pull.models import PlanGoal
from learnbridge.skills.models import Framework, Skill, SkillRating
from tests.factories import (
    csrf_from,
    login,
    make_account,
    make_framework,
    make_item,
    make_person,
    make_plan,
    make_skill,
)
from tests.integration.skills.test_browse import taxonomy

PAGE_BOUND = 150_000  # bytes: the pages stay far below this whatever the taxonomy's size


def signed_in(client: TestClient, db: Session, role: str) -> None:
    """Sign the client in as a learner, a manager, an L&D admin or an auditor (anonymous: nobody)."""
    if role == "anonymous":
        return
    person = make_person(db)
    make_account(db, person, ld_admin=role == "ld_admin", auditor=role == "auditor")
    if role == "manager":
        make_person(db, manager_id=person.id)
    login(client, person.email or "")


def big_taxonomy(db: Session) -> Framework:
    """2,000 skills: 20 at the top, 9 below each, 10 below each of those."""
    return taxonomy(db, tops=20, per=9, leaves=10)


ROLES = ["learner", "manager", "ld_admin", "auditor"]


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_every_signed_in_role_browses_the_tree_and_searches_skills(
    client: TestClient, db: Session, role: str
) -> None:
    framework = taxonomy(db, tops=3, per=2, leaves=2)
    top = db.scalars(select(Skill).where(Skill.name == "Top 001")).one()
    signed_in(client, db, role)
    paths = [
        "/skills",
        f"/skills/frameworks/{framework.id}",
        f"/skills/frameworks/{framework.id}/tree?parent={top.id}",
        "/skills/options?q=top+001&picker=p",
    ]
    for path in paths:
        response = client.get(path, follow_redirects=False)
        if role == "anonymous":
            assert response.status_code in (303, 401), path
            assert "Top 001" not in response.text
        else:
            assert response.status_code == 200, path
            assert "Top 001" in response.text, path


def test_the_skills_page_shows_a_large_framework_as_a_tree_not_every_skill(
    client: TestClient, db: Session
) -> None:
    framework = big_taxonomy(db)
    signed_in(client, db, "learner")
    page = client.get("/skills")
    assert page.status_code == 200 and len(page.content) < PAGE_BOUND
    assert page.text.count("<details") == 20  # the top level only
    assert "Top 001 / Mid 01" not in page.text and "(9 below)" in page.text
    assert f'hx-get="/skills/frameworks/{framework.id}/tree?parent=' in page.text
    top = db.scalars(select(Skill).where(Skill.name == "Top 004")).one()
    children = client.get(f"/skills/frameworks/{framework.id}/tree?parent={top.id}")
    assert children.text.count("<details") == 9 and "Top 004 / Mid 09" in children.text
    assert "Top 004 / Mid 01 / Leaf 01" not in children.text and "(10 below)" in children.text
    assert f'href="/catalog?skill={top.id}"' in page.text and "Learning for Top 004" in page.text
    # Without script: the page of the skills below one, with the way back up.
    mid = db.scalars(select(Skill).where(Skill.name == "Top 004 / Mid 02")).one()
    below = client.get(f"/skills/frameworks/{framework.id}?parent={mid.id}")
    assert "Top 004 / Mid 02 / Leaf 10" in below.text and f'?parent={top.id}"' in below.text
    found = client.get(f"/skills/frameworks/{framework.id}?q=mid+02+leaf+07+top+004")
    assert "Top 004 / Mid 02 / Leaf 07" in found.text and "Top 004 / Mid 02 / Leaf 06" not in found.text


def test_a_level_longer_than_a_page_is_paged(client: TestClient, db: Session) -> None:
    framework = taxonomy(db, tops=60, per=0, leaves=0)
    signed_in(client, db, "learner")
    page = client.get(f"/skills/frameworks/{framework.id}")
    assert page.text.count("<details") == 50 and "Top 051" not in page.text
    more = re.search(r'hx-get="(/skills/frameworks/\d+/tree\?cursor=[^"]+)"', page.text)
    assert more
    rest = client.get(more.group(1).replace("&amp;", "&"))
    assert rest.text.count("<details") == 10 and "Top 060" in rest.text and "More skills" not in rest.text


@pytest.mark.parametrize(
    ("query", "field"),
    [("q=" + "x" * 201, "q"), ("limit=0", "limit"), ("limit=21", "limit"), ("picker=%3Cscript%3E", "picker")],
)
def test_the_skill_search_bounds_its_input(client: TestClient, db: Session, query: str, field: str) -> None:
    signed_in(client, db, "learner")
    response = client.get(f"/skills/options?{query}")
    assert response.status_code == 422 and field in response.text


def test_the_skill_search_offers_at_most_twenty_options(client: TestClient, db: Session) -> None:
    big_taxonomy(db)
    signed_in(client, db, "learner")
    options = client.get("/skills/options?q=LEAF+03&picker=goal-skill")
    assert options.text.count('role="option"') == 20 and 'id="goal-skill-opt-' in options.text
    assert client.get("/skills/options?q=leaf&limit=5").text.count('role="option"') == 5
    assert client.get("/skills/options?q=").text.strip() == ""


def test_the_item_editor_picks_skills_by_name_and_stays_small(client: TestClient, db: Session) -> None:
    big_taxonomy(db)
    skill = db.scalars(select(Skill).where(Skill.name == "Top 007 / Mid 03")).one()
    item = make_item(db, skills=[(skill, 2)])
    signed_in(client, db, "ld_admin")
    page = client.get(f"/admin/catalog/{item.id}/edit")
    assert page.status_code == 200 and len(page.content) < PAGE_BOUND
    assert 'value="Top 007 / Mid 03"' in page.text and "Top 007 / Mid 04" not in page.text
    other = db.scalars(select(Skill).where(Skill.name == "Top 001 / Mid 01 / Leaf 01")).one()
    form = {
        "csrf_token": csrf_from(page.text),
        "title": item.title,
        "kind": "course",
        "format": "self_paced",
        "provider": "in_house",
        "objectives": "Do it",
        "currency": "EUR",
        # The first row as chosen in the picker; the second typed, without script, in another case.
        "skill_id": [str(skill.id), "", ""],
        "skill_text": [skill.name, "top 001 / MID 01 / leaf 01", ""],
        "skill_level": ["3", "1", "1"],
    }
    saved = client.post(f"/admin/catalog/{item.id}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    db.expire_all()
    stored = db.get(LearningItem, item.id)
    assert stored is not None and {(s.skill_id, s.level) for s in stored.skills} == {
        (skill.id, 3),
        (other.id, 1),
    }
    wrong = client.post(
        f"/admin/catalog/{item.id}/edit", data=form | {"skill_text": [skill.name, "Juggling", ""]}
    )
    assert (
        wrong.status_code == 422 and "Skill 2" in wrong.text and "no skill is called “Juggling”" in wrong.text
    )
    assert 'value="Juggling"' in wrong.text  # what was typed stays


def test_the_catalogue_filters_by_a_picked_skill_without_listing_every_skill(
    client: TestClient, db: Session
) -> None:
    big_taxonomy(db)
    skill = db.scalars(select(Skill).where(Skill.name == "Top 002 / Mid 02")).one()
    taught = make_item(db, title="Taught here", skills=[(skill, 1)])
    make_item(db, title="Not this one")
    signed_in(client, db, "learner")
    page = client.get("/catalog")
    assert page.status_code == 200 and len(page.content) < PAGE_BOUND and "Top 002 / Mid 03" not in page.text
    picked = client.get(f"/catalog?skill={skill.id}")
    assert taught.title in picked.text and "Not this one" not in picked.text
    assert 'value="Top 002 / Mid 02"' in picked.text
    typed = client.get("/catalog?skill=&skill_text=top+002+%2F+mid+02")
    assert taught.title in typed.text and "Not this one" not in typed.text
    missing = client.get("/catalog?skill=&skill_text=Juggling")
    assert missing.status_code == 422 and "no skill is called" in missing.text


def test_my_plan_adds_and_edits_a_goal_with_a_picked_skill(client: TestClient, db: Session) -> None:
    big_taxonomy(db)
    person = make_person(db)
    make_account(db, person)
    plan = make_plan(db, person=person)
    login(client, person.email or "")
    page = client.get("/plan")
    assert page.status_code == 200 and len(page.content) < PAGE_BOUND and "Top 003 / Mid 01" not in page.text
    skill = db.scalars(select(Skill).where(Skill.name == "Top 003 / Mid 01")).one()
    form = {
        "csrf_token": csrf_from(page.text),
        "title": "Grow",
        "skill_id": "",
        "skill_text": "TOP 003 / mid 01",
    }
    added = client.post(f"/plan/{plan.id}/goals", data=form | {"target_level": "2"}, follow_redirects=False)
    assert added.status_code == 303, added.text
    goal = db.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id)).one()
    assert goal.skill_id == skill.id
    shown = client.get("/plan")
    assert 'value="Top 003 / Mid 01"' in shown.text  # the goal's skill shown by name
    wrong = client.post(f"/plan/{plan.id}/goals", data=form | {"skill_text": "Juggling"})
    assert wrong.status_code == 422 and "skill_id" in wrong.text and "Juggling" in wrong.text
    cleared = form | {"skill_id": str(skill.id), "skill_text": "", "target_level": "", "status": "open"}
    edited = client.post(f"/plan/{plan.id}/goals/{goal.id}", data=cleared, follow_redirects=False)
    assert edited.status_code == 303, edited.text
    db.expire_all()
    assert db.get(PlanGoal, goal.id).skill_id is None  # type: ignore[union-attr]


def test_my_skills_rates_a_skill_found_by_name(client: TestClient, db: Session) -> None:
    framework = make_framework(db)
    skill = make_skill(db, framework, name="Soldering")
    person = make_person(db)
    make_account(db, person)
    login(client, person.email or "")
    page = client.get("/me/skills")
    assert "data-skill-picker" in page.text and "Soldering" not in page.text
    form = {"csrf_token": csrf_from(page.text), "skill_id": "", "skill_text": "soldering", "level": "2"}
    assert client.post("/me/skills/rating", data=form, follow_redirects=False).status_code == 303
    rating = db.scalars(select(SkillRating).where(SkillRating.person_id == person.id)).one()
    assert (rating.skill_id, rating.level) == (skill.id, 2)
    nothing = client.post("/me/skills/rating", data=form | {"skill_text": ""})
    assert nothing.status_code == 422 and "choose the skill to rate" in nothing.text
    assert db.scalar(select(Framework.id).where(Framework.id == framework.id))
