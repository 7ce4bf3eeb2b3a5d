"""A Moodle framework's proficient level: a level below it never meets a job profile's requirement, in
the gaps, the recommendations and the catalogue's demand."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.errors import Invalid
from learnbridge.pull.gaps import skill_gaps
from learnbridge.pull.offering import offering_gaps
from learnbridge.pull.recommend.service import recommend
from learnbridge.skills.importer import import_skills_csv
from learnbridge.skills.models import Framework, JobProfileSkill, Rater, Skill
from learnbridge.skills.service import rate_skill, require_skill
from tests.factories import bearer, make_account, make_item, make_person, make_profile
from tests.unit.skills.test_moodle_csv import MOODLE_HEADER

# Four values, the last two proficient, the first the default: as Moodle's export writes them.
CONFIGURATION = (
    '"[{""scaleid"":""4""},{""name"":""Novice"",""id"":1,""scaledefault"":1,""proficient"":0},'
    '{""name"":""Developing"",""id"":2,""scaledefault"":0,""proficient"":0},'
    '{""name"":""Competent"",""id"":3,""scaledefault"":0,""proficient"":1},'
    '{""name"":""Expert"",""id"":4,""scaledefault"":0,""proficient"":1}]"'
)
EXPORT = MOODLE_HEADER + (
    f',FORK-2026,"Forklift operation","<p>Driving forklifts.</p>",1,"Novice,Developing,Competent,Expert",'
    f"{CONFIGURATION},,,,,,1,competency\n"
    ',FORK-SAFE,"Forklift safety","<p>Loads &amp; aisles.</p>",1,,,,0,null,,21,,\n'
)


def _skill(db: Session) -> Skill:
    return db.scalars(select(Skill).where(Skill.idnumber == "FORK-SAFE")).one()


def test_the_import_keeps_the_proficient_level_and_requirements_below_it_are_refused(db: Session) -> None:
    import_skills_csv(db, text=EXPORT, format="moodle")
    framework = db.scalars(select(Framework).where(Framework.idnumber == "FORK-2026")).one()
    assert (framework.proficient_level, framework.max_level) == (3, 4)
    assert not framework.meets(2, required=2) and framework.meets(3, required=2)
    with pytest.raises(Invalid) as caught:
        require_skill(db, job_profile=make_profile(db), skill=_skill(db), level=2)
    assert (
        caught.value.errors[0].field == "level"
        and "proficient from level 3" in caught.value.errors[0].message
    )


def test_a_reimport_repairs_a_framework_imported_without_its_proficient_level(db: Session) -> None:
    """Before the level was kept, a requirement at a non-proficient level could be set: it now asks for
    the proficient level, and a person at the lower level has a gap, is recommended learning and is
    counted as demand, until they reach a proficient level."""
    import_skills_csv(db, text=EXPORT, format="moodle")
    framework = db.scalars(select(Framework).where(Framework.idnumber == "FORK-2026")).one()
    framework.proficient_level = 1  # as imported before this change
    profile, skill = make_profile(db, "Warehouse"), _skill(db)
    require_skill(db, job_profile=profile, skill=skill, level=2)
    person = make_person(db, job_profile_id=profile.id)
    rate_skill(db, person_id=person.id, skill_id=skill.id, level=2, rater=Rater.self, rated_by_id=person.id)
    item = make_item(db, title="Safe forklift driving", skills=[(skill, 3)])
    assert skill_gaps(db, person_id=person.id) == []
    assert not [row for row in offering_gaps(db, gaps_only=False) if row.skill_id == skill.id]

    import_skills_csv(db, text=EXPORT, format="moodle")
    assert framework.proficient_level == 3
    [gap] = skill_gaps(db, person_id=person.id)
    assert (gap.skill_id, gap.profile_level, gap.current, gap.gap) == (skill.id, 3, 2, 1)
    [pick] = [rec for rec in recommend(db, person_id=person.id) if rec.item.id == item.id]
    assert pick.reason.startswith("Builds Forklift safety, level 2 → 3")
    [row] = [row for row in offering_gaps(db, gaps_only=False) if row.skill_id == skill.id]
    assert (row.level, row.from_profiles) == (3, 1)
    link = db.scalars(select(JobProfileSkill).where(JobProfileSkill.skill_id == skill.id)).one()
    assert (link.level, link.required_level) == (2, 3)

    rate_skill(db, person_id=person.id, skill_id=skill.id, level=3, rater=Rater.self, rated_by_id=person.id)
    assert skill_gaps(db, person_id=person.id) == []
    assert not [row for row in offering_gaps(db, gaps_only=False) if row.skill_id == skill.id]


def test_the_api_shows_the_proficient_level(client: TestClient, db: Session) -> None:
    headers = bearer(db, make_account(db, ld_admin=True))
    assert (
        client.post(
            "/api/v1/skills/import?format=moodle", headers=headers, content=EXPORT.encode()
        ).status_code
        == 200
    )
    frameworks = client.get("/api/v1/skills/frameworks", headers=headers).json()["items"]
    assert next(f for f in frameworks if f["idnumber"] == "FORK-2026")["proficient_level"] == 3
    bad = EXPORT.replace('""proficient"":1}]', '""proficient"":0}]')
    response = client.post("/api/v1/skills/import?format=moodle", headers=headers, content=bad.encode())
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "Scale configuration"
