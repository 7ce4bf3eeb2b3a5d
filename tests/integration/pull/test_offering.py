"""The offering gap: demand from goals and job profiles against catalogue coverage, never naming people."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.catalog.models import ItemStatus
from learnbridge.core.db import utcnow
from learnbridge.pull.offering import Coverage, offering_gaps
from learnbridge.sessions.models import LearningSession
from learnbridge.skills.models import Rater, Skill
from learnbridge.skills.service import rate_skill, require_skill
from tests.factories import (
    bearer,
    login,
    make_account,
    make_framework,
    make_goals,
    make_item,
    make_person,
    make_profile,
    make_skill,
)


def _org(db: Session) -> dict[str, Skill]:
    framework = make_framework(db, levels=("1", "2", "3"))
    coaching, forklift = make_skill(db, framework, "Coaching"), make_skill(db, framework, "Forklift safety")
    profile = make_profile(db, "Warehouse Operative")
    require_skill(db, job_profile=profile, skill=forklift, level=2)
    crew = [make_person(db, job_profile_id=profile.id, name=f"Crew {n}") for n in range(3)]
    rate_skill(
        db, person_id=crew[0].id, skill_id=forklift.id, level=2, rater=Rater.self, rated_by_id=crew[0].id
    )
    make_goals(db, person=crew[1], goals=[("Lead a team", coaching, 3)])
    make_goals(db, person=crew[2], goals=[("Coach", coaching, 3), ("Drive safely", forklift, 2)])
    make_goals(db, person=make_person(db, name="Secret Sam"), goals=[("Coach", coaching, 2)])
    return {"coaching": coaching, "forklift": forklift}


def test_demand_by_skill_and_level_against_coverage(db: Session) -> None:
    skills = _org(db)
    rows = {(row.skill, row.level): row for row in offering_gaps(db)}
    forklift = rows[("Forklift safety", 2)]
    # Crew 0 already rates themself at 2; crew 2 is counted once though both profile and goal ask.
    assert (forklift.from_profiles, forklift.from_goals, forklift.demand) == (2, 1, 2)
    assert rows[("Coaching", 3)].demand == 2 and rows[("Coaching", 2)].demand == 1
    assert all(row.coverage == Coverage.none and row.items == 0 for row in rows.values())
    assert next((row.skill, row.level) for row in offering_gaps(db)) in {
        ("Coaching", 3),
        ("Forklift safety", 2),
    }

    # A published item at level 3 covers levels 2 and 3; a draft covers nothing; a session adds seats.
    item = make_item(db, title="Coaching for leaders", skills=[(skills["coaching"], 3)])
    make_item(db, title="Forklift draft", status=ItemStatus.draft, skills=[(skills["forklift"], 2)])
    starts = utcnow() + dt.timedelta(days=3)
    db.add(LearningSession(item_id=item.id, starts_at=starts, ends_at=starts, capacity=12))
    db.flush()
    every = {(row.skill, row.level): row for row in offering_gaps(db, gaps_only=False)}
    assert (every[("Coaching", 3)].items, every[("Coaching", 3)].sessions, every[("Coaching", 3)].seats) == (
        1,
        1,
        12,
    )
    assert every[("Coaching", 2)].coverage == Coverage.covered
    assert [(row.skill, row.level) for row in offering_gaps(db)] == [("Forklift safety", 2)]
    assert next(row.skill for row in offering_gaps(db, gaps_only=False, sort="skill")) == "Coaching"


def test_goals_of_people_who_left_are_no_demand(db: Session) -> None:
    skill = make_skill(db, name="Customs")
    make_goals(db, person=make_person(db), goals=[("Clear goods", skill, 2)])
    make_goals(db, person=make_person(db, active=False), goals=[("Clear goods", skill, 2)])
    (row,) = offering_gaps(db)
    assert (row.skill, row.from_goals, row.demand) == ("Customs", 1, 1)


def test_thin_coverage_when_demand_far_outruns_items(db: Session) -> None:
    skill = make_skill(db, name="Excel")
    make_item(db, title="Excel basics", skills=[(skill, 1)])
    for _ in range(26):
        make_goals(db, person=make_person(db), goals=[("Spreadsheets", skill, 1)])
    (row,) = offering_gaps(db)
    assert row.coverage == Coverage.thin and "buy or build" in row.advice


def test_api_and_page_are_for_ld_and_name_nobody(client: TestClient, db: Session) -> None:
    _org(db)
    admin = make_account(db, ld_admin=True)
    body = client.get("/api/v1/offering-gap", headers=bearer(db, admin)).json()
    assert {row["skill"] for row in body["items"]} == {"Coaching", "Forklift safety"}
    first = body["items"][0]
    assert set(first) >= {
        "skill_id",
        "skill",
        "level",
        "demand",
        "from_goals",
        "from_profiles",
        "items",
        "coverage",
    }
    learner = make_account(db, make_person(db))
    assert client.get("/api/v1/offering-gap", headers=bearer(db, learner)).status_code == 403
    login(client, admin.email)
    page = client.get("/admin/offering-gap")
    assert page.status_code == 200 and "Coaching" in page.text and "build" in page.text.lower()
    for name in ("Crew 0", "Crew 1", "Crew 2", "Secret Sam", "Lead a team"):
        assert name not in page.text and name not in str(body)
