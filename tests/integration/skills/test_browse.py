"""Finding skills in a large taxonomy: search in any script and case, the picker's choice resolved,
the framework's tree a level at a time, and the paged frameworks API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.errors import Invalid
from learnbridge.skills import browse
from learnbridge.skills.importer import FrameworkSpec, SkillRow, import_frameworks
from learnbridge.skills.models import Framework, Skill
from tests.factories import bearer, make_account, make_framework, make_person, make_skill


def taxonomy(
    db: Session, *, idnumber: str = "TAX", tops: int = 5, per: int = 4, leaves: int = 3
) -> Framework:
    """A framework three levels deep, loaded through the importer: `tops` top-level skills, `per`
    below each, `leaves` below each of those ("Top 1", "Top 1 / Mid 2", "Top 1 / Mid 2 / Leaf 3")."""
    rows: list[SkillRow] = []
    for t in range(1, tops + 1):
        rows.append(SkillRow(0, idnumber, f"{idnumber}-{t}", f"Top {t:03d}", f"About top {t}"))
        for m in range(1, per + 1):
            mid = f"{idnumber}-{t}-{m}"
            rows.append(SkillRow(0, idnumber, mid, f"Top {t:03d} / Mid {m:02d}", "", f"{idnumber}-{t}"))
            for leaf in range(1, leaves + 1):
                name = f"Top {t:03d} / Mid {m:02d} / Leaf {leaf:02d}"
                rows.append(SkillRow(0, idnumber, f"{mid}-{leaf}", name, "", mid))
    import_frameworks(db, specs=[FrameworkSpec(idnumber=idnumber, name=f"Taxonomy {idnumber}", rows=rows)])
    return db.scalars(select(Framework).where(Framework.idnumber == idnumber)).one()


def test_search_finds_every_word_in_any_case_and_script_or_the_id_number(db: Session) -> None:
    framework = make_framework(db)
    nunez = make_skill(db, framework, name="Coaching Ñúñez-style apprentices")
    make_skill(db, framework, name="Coaching")
    other = make_skill(db, framework, name="Forklift driving")
    decomposed = "n\u0303u\u0301n\u0303ez"  # "ñúñez" as macOS writes it
    assert [s.id for s in browse.search_skills(db, q=f"APPRENTICES {decomposed}")] == [nunez.id]
    assert [s.name for s in browse.search_skills(db, q="coach")] == ["Coaching", nunez.name]
    assert [s.id for s in browse.search_skills(db, q=other.idnumber)] == [other.id]
    assert browse.search_skills(db, q="   ") == []
    assert browse.search_skills(db, q="100%_") == []  # LIKE's wildcards are text here
    with pytest.raises(Invalid, match="q"):
        browse.search_skills(db, q="x" * 201)


def test_a_picker_choice_resolves_to_one_skill_or_names_the_field(db: Session) -> None:
    framework = make_framework(db)
    skill = make_skill(db, framework, name="Welding")
    pick = browse.picked_skill
    assert pick(db, skill_id=str(skill.id), text=None, field="skill_id") == skill.id
    assert pick(db, skill_id=str(skill.id), text="welding", field="skill_id") == skill.id
    assert pick(db, skill_id=str(skill.id), text=" ", field="skill_id") is None  # cleared
    assert pick(db, skill_id="", text="WELDING", field="skill_id") == skill.id  # typed, no script
    assert pick(db, skill_id="", text=skill.idnumber, field="skill_id") == skill.id
    with pytest.raises(Invalid) as missing:
        pick(db, skill_id="", text="Juggling", field="skill_id")
    assert missing.value.errors[0].field == "skill_id" and "Juggling" in missing.value.errors[0].message
    make_skill(db, make_framework(db), name="Welding")
    with pytest.raises(Invalid, match="2 skills are called"):
        pick(db, skill_id="", text="Welding", field="skill_id")
    with pytest.raises(Invalid, match="is not a skill id"):
        pick(db, skill_id="12abc", text=None, field="skill_id")


def test_the_tree_is_read_a_level_and_a_page_at_a_time(db: Session) -> None:
    framework = taxonomy(db, tops=7, per=3, leaves=2)
    first = browse.tree_level(db, framework_id=framework.id, parent_id=None, limit=5)
    assert [n.skill.name for n in first.items] == [f"Top {t:03d}" for t in range(1, 6)]
    assert {n.children for n in first.items} == {3} and first.next
    rest = browse.tree_level(db, framework_id=framework.id, parent_id=None, cursor=first.next, limit=5)
    assert [n.skill.name for n in rest.items] == ["Top 006", "Top 007"] and rest.next is None
    mids = browse.tree_level(db, framework_id=framework.id, parent_id=first.items[0].skill.id)
    assert [(n.skill.name, n.children) for n in mids.items] == [
        (f"Top 001 / Mid {m:02d}", 2) for m in (1, 2, 3)
    ]
    path = browse.ancestors(db, framework_id=framework.id, skill_id=mids.items[1].skill.id)
    assert [s.name for s in path] == ["Top 001", "Top 001 / Mid 02"]


def test_the_frameworks_api_pages_frameworks_and_their_skills(client: TestClient, db: Session) -> None:
    framework = taxonomy(db, tops=10, per=4, leaves=5)  # 10 + 40 + 200 skills
    taxonomy(db, idnumber="OTHER", tops=1, per=1, leaves=1)
    headers = bearer(db, make_account(db, make_person(db)))
    first = client.get("/api/v1/skills/frameworks?limit=1", headers=headers).json()
    second = client.get(f"/api/v1/skills/frameworks?limit=1&cursor={first['next']}", headers=headers).json()
    both = first["items"] + second["items"]
    assert [(f["idnumber"], f["skill_count"]) for f in both] == [("OTHER", 3), ("TAX", 250)]
    assert second["next"] is None and "skills" not in both[0]
    seen: list[int] = []
    url = f"/api/v1/skills/frameworks/{framework.id}/skills?limit=37"
    cursor = ""
    while True:
        page = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=headers).json()
        seen += [s["id"] for s in page["items"]]
        assert len(page["items"]) <= 37
        if not (cursor := page["next"]):
            break
    ids = set(db.scalars(select(Skill.id).where(Skill.framework_id == framework.id)))
    assert len(seen) == len(set(seen)) == 250 and set(seen) == ids
    # Every word, in any order and case: the skill, its five leaves, and the other mids' leaf 03.
    found = client.get(f"/api/v1/skills/frameworks/{framework.id}/skills?q=MID+03+top+002", headers=headers)
    names = [s["name"] for s in found.json()["items"]]
    leaves = [f"Top 002 / Mid 03 / Leaf {n:02d}" for n in range(1, 6)]
    others = [f"Top 002 / Mid {m:02d} / Leaf 03" for m in (1, 2, 4)]
    assert sorted(names) == sorted(["Top 002 / Mid 03", *leaves, *others])
    top = browse.tree_level(db, framework_id=framework.id, parent_id=None).items[0].skill.id
    below = client.get(
        f"/api/v1/skills/frameworks/{framework.id}/skills?parent={top}", headers=headers
    ).json()
    assert len(below["items"]) == 4 and all(s["parent_id"] == top for s in below["items"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("cursor=notours", "cursor"),
        ("q=" + "x" * 201, "q"),
        ("parent=0", "parent"),
    ],
)
def test_the_skills_api_bounds_its_input(client: TestClient, db: Session, query: str, field: str) -> None:
    framework = taxonomy(db, tops=1, per=1, leaves=1)
    headers = bearer(db, make_account(db, make_person(db)))
    response = client.get(f"/api/v1/skills/frameworks/{framework.id}/skills?{query}", headers=headers)
    assert response.status_code == 422, response.text
    assert field in {e["field"].split(".")[-1] for e in response.json()["errors"]}


def test_the_skills_api_needs_a_signed_in_caller_and_a_real_framework(
    client: TestClient, db: Session
) -> None:
    framework = taxonomy(db, tops=1, per=1, leaves=1)
    assert client.get("/api/v1/skills/frameworks").status_code == 401
    assert client.get(f"/api/v1/skills/frameworks/{framework.id}/skills").status_code == 401
    headers = bearer(db, make_account(db, auditor=True))
    assert client.get("/api/v1/skills/frameworks", headers=headers).status_code == 200
    assert client.get("/api/v1/skills/frameworks/2147483000/skills", headers=headers).status_code == 404
    assert client.get("/api/v1/skills/frameworks?limit=201", headers=headers).status_code == 422
