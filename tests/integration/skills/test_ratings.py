"""Skill ratings: levels checked against the framework, who may rate whom, the latest wins; the API
and the My skills and team pages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.core.errors import Forbidden, Invalid
from learnbridge.pull.sharing import share_plan
from learnbridge.skills.models import Rater, SkillRating
from learnbridge.skills.service import rate_skill, ratings_for
from tests.factories import (
    bearer,
    csrf_from,
    login,
    make_account,
    make_framework,
    make_goals,
    make_person,
    make_skill,
)


def test_level_must_be_on_the_frameworks_scale(db: Session) -> None:
    skill = make_skill(db, make_framework(db, levels=("Aware", "Working", "Expert")), name="Coaching")
    person = make_person(db)
    for level in (0, 4):
        with pytest.raises(Invalid) as caught:
            rate_skill(
                db,
                person_id=person.id,
                skill_id=skill.id,
                level=level,
                rater=Rater.self,
                rated_by_id=person.id,
            )
        assert caught.value.errors[0].field == "level" and "1 to 3" in caught.value.errors[0].message


def test_self_and_manager_ratings_the_latest_wins(db: Session) -> None:
    skill = make_skill(db, name="Coaching")
    boss = make_person(db)
    lead = make_person(db, manager_id=boss.id)
    person = make_person(db, manager_id=lead.id)
    rate_skill(db, person_id=person.id, skill_id=skill.id, level=1, rater=Rater.self, rated_by_id=person.id)
    rate_skill(
        db,
        person_id=person.id,
        skill_id=skill.id,
        level=2,
        rater=Rater.self,
        rated_by_id=person.id,
        note="better",
    )
    rate_skill(db, person_id=person.id, skill_id=skill.id, level=1, rater=Rater.manager, rated_by_id=lead.id)
    # A manager higher up the chain may rate too; it replaces the manager rating.
    rate_skill(db, person_id=person.id, skill_id=skill.id, level=3, rater=Rater.manager, rated_by_id=boss.id)
    found = {(r.rater, r.level, r.rated_by_id, r.note) for r in ratings_for(db, person_id=person.id)}
    assert found == {("self", 2, person.id, "better"), ("manager", 3, boss.id, "")}
    assert db.scalar(select(func.count()).select_from(SkillRating)) == 2


def test_nobody_else_rates(db: Session) -> None:
    skill = make_skill(db)
    person, colleague = make_person(db), make_person(db)
    report = make_person(db, manager_id=person.id)
    with pytest.raises(Forbidden):
        rate_skill(
            db, person_id=person.id, skill_id=skill.id, level=1, rater=Rater.self, rated_by_id=colleague.id
        )
    with pytest.raises(Forbidden):
        rate_skill(
            db, person_id=person.id, skill_id=skill.id, level=1, rater=Rater.manager, rated_by_id=colleague.id
        )
    with pytest.raises(Forbidden):  # a report does not rate their manager
        rate_skill(
            db, person_id=person.id, skill_id=skill.id, level=1, rater=Rater.manager, rated_by_id=report.id
        )
    with pytest.raises(Forbidden):  # nor does anyone give themself a manager rating
        rate_skill(
            db, person_id=person.id, skill_id=skill.id, level=1, rater=Rater.manager, rated_by_id=person.id
        )


def test_api_rates_mine_and_my_reports(client: TestClient, db: Session) -> None:
    skill = make_skill(db, name="Coaching")
    boss = make_person(db)
    person = make_person(db, manager_id=boss.id)
    me, boss_h = bearer(db, make_account(db, person)), bearer(db, make_account(db, boss))
    mine = client.put(f"/api/v1/me/skills/{skill.id}/rating", json={"level": 2}, headers=me)
    assert (
        mine.status_code == 200 and mine.json()["rater"] == "self" and mine.json()["level_name"] == "Working"
    )
    bad = client.put(f"/api/v1/me/skills/{skill.id}/rating", json={"level": 9}, headers=me)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "level"
    theirs = client.put(
        f"/api/v1/people/{person.id}/skills/{skill.id}/rating", json={"level": 1}, headers=boss_h
    )
    assert theirs.status_code == 200 and theirs.json()["rater"] == "manager"
    refused = client.put(f"/api/v1/people/{boss.id}/skills/{skill.id}/rating", json={"level": 1}, headers=me)
    assert refused.status_code == 403
    body = client.get("/api/v1/me/skills", headers=me).json()
    assert {(r["rater"], r["level"]) for r in body["ratings"]} == {("self", 2), ("manager", 1)}
    assert body["skills"][0]["current"] == 1 and body["skills"][0]["self_level"] == 2


def test_the_manager_sees_a_reports_goals_only_once_the_plan_is_shared(
    client: TestClient, db: Session
) -> None:
    skill = make_skill(db, name="Negotiation")
    boss = make_person(db)
    person = make_person(db, manager_id=boss.id)
    plan = make_goals(db, person=person, goals=[("Secret: move to a competitor", skill, 2)])
    login(client, make_account(db, boss).email)
    hidden = client.get(f"/team/skills/{person.id}").text
    assert "Secret" not in hidden and "Negotiation" not in hidden
    share_plan(db, plan_id=plan.id, person_id=person.id, shared=True)
    assert "Secret: move to a competitor" in client.get(f"/team/skills/{person.id}").text


def test_my_skills_page_and_the_managers_page(client: TestClient, db: Session) -> None:
    skill = make_skill(db, name="Coaching")
    boss = make_person(db)
    person = make_person(db, manager_id=boss.id, name="Rita Report")
    account, boss_account = make_account(db, person), make_account(db, boss)
    login(client, account.email)
    page = client.get("/me/skills")
    assert page.status_code == 200 and "Rate another skill" in page.text
    token = csrf_from(page.text)
    bad = client.post("/me/skills/rating", data={"csrf_token": token, "skill_id": skill.id, "level": 7})
    assert bad.status_code == 422 and "1 to 3" in bad.text
    saved = client.post("/me/skills/rating", data={"csrf_token": token, "skill_id": skill.id, "level": 2})
    assert saved.status_code == 200 and "Rating saved" in saved.text and 'id="skill-' in saved.text
    assert client.get(f"/team/skills/{boss.id}").status_code == 403
    client.cookies.clear()
    login(client, boss_account.email)
    team = client.get(f"/team/skills/{person.id}")
    assert team.status_code == 200 and "Rita Report" in team.text
    client.post(
        f"/team/skills/{person.id}/rating",
        data={"csrf_token": csrf_from(team.text), "skill_id": skill.id, "level": 3},
    )
    levels = {r.rater: r.level for r in ratings_for(db, person_id=person.id)}
    assert levels == {"self": 2, "manager": 3}
