"""Skill frameworks: import (simple and Moodle), job-profile requirements, API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.errors import Invalid
from learnbridge.skills.importer import import_skills_csv
from learnbridge.skills.models import Framework, Skill
from learnbridge.skills.service import require_skill
from tests.factories import bearer, make_account, make_profile, make_skill
from tests.unit.skills.test_moodle_csv import MOODLE


def test_moodle_import_creates_framework_scale_and_tree_and_reimport_updates(db: Session) -> None:
    first = import_skills_csv(db, text=MOODLE, format="moodle")
    assert (first.frameworks_created, first.skills_created) == (1, 3)
    framework = db.scalars(select(Framework).where(Framework.idnumber == "DS-2024")).one()
    assert [level.name for level in framework.levels] == ["Not yet competent", "Competent"]
    email = db.scalars(select(Skill).where(Skill.idnumber == "DS-COMM-EMAIL")).one()
    parent = db.get(Skill, email.parent_id)
    assert parent is not None and parent.idnumber == "DS-COMM"
    again = import_skills_csv(db, text=MOODLE, format="moodle")
    assert (again.frameworks_created, again.skills_created, again.skills_updated) == (0, 0, 3)


def test_bad_skills_file_writes_nothing(db: Session) -> None:
    with pytest.raises(Invalid):
        import_skills_csv(
            db, text="framework,idnumber,name\nSafety,S1,Fire\nSafety,,Broken\n", format="simple"
        )
    assert db.scalar(select(Framework).where(Framework.name == "Safety")) is None


def test_job_profile_requirements_are_on_the_scale(db: Session) -> None:
    skill, profile = make_skill(db), make_profile(db)
    assert require_skill(db, job_profile=profile, skill=skill, level=2).level == 2
    assert require_skill(db, job_profile=profile, skill=skill, level=3).level == 3  # replaced, not duplicated
    with pytest.raises(Invalid, match="levels 1 to 3"):
        require_skill(db, job_profile=profile, skill=skill, level=4)


def test_skills_api_imports_and_lists(client: TestClient, db: Session) -> None:
    headers = bearer(db, make_account(db, ld_admin=True))
    response = client.post("/api/v1/skills/import?format=moodle", headers=headers, content=MOODLE.encode())
    assert response.json() == {"frameworks_created": 1, "skills_created": 3, "skills_updated": 0}
    frameworks = client.get("/api/v1/skills/frameworks", headers=headers).json()["items"]
    moodle = next(f for f in frameworks if f["idnumber"] == "DS-2024")
    assert moodle["levels"] == ["Not yet competent", "Competent"] and moodle["skill_count"] == 3
    skills = client.get(f"/api/v1/skills/frameworks/{moodle['id']}/skills", headers=headers).json()
    assert len(skills["items"]) == 3 and skills["next"] is None
    profile, skill = make_profile(db), make_skill(db)
    put = client.put(
        f"/api/v1/job-profiles/{profile.id}/skills", headers=headers, json={"skill_id": skill.id, "level": 2}
    )
    assert put.json()["level_name"] == "Working"
    bad = client.post(
        "/api/v1/skills/import?format=simple", headers=headers, content=b"framework,idnumber,name\nA,,B\n"
    )
    assert bad.status_code == 422 and bad.json()["errors"] == [
        {"field": "idnumber", "message": "is required", "row": 2}
    ]
