"""Input that once slipped past the rules: odd bytes, huge numbers, over-long values, unsafe links."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.core.errors import Invalid
from learnbridge.people.importer import import_people
from learnbridge.people.service import ensure_job_profiles
from learnbridge.skills.importer import import_skills_csv
from tests.factories import bearer, make_account, make_item, make_person


def test_a_csrf_token_with_non_ascii_characters_is_refused_not_an_error(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"email": "a@b.co", "password": "x", "csrf_token": "é"})
    assert response.status_code == 403


def test_item_links_must_be_web_links(client: TestClient, db: Session) -> None:
    headers = bearer(db, make_account(db, ld_admin=True))
    for url in ("javascript:alert(document.cookie)", "data:text/html,<script>x</script>"):
        body = {"title": "Sneaky", "objectives": ["x"], "url": url}
        response = client.post("/api/v1/catalog/items", headers=headers, json=body)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["url"]
    ok = {"title": "Fine", "objectives": ["x"], "url": "https://learn.example/course"}
    assert client.post("/api/v1/catalog/items", headers=headers, json=ok).status_code == 201


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/catalog/items/100000000000000000000", {}),
        ("/api/v1/people/100000000000000000000", {}),
        ("/api/v1/catalog/items", {"skill": "100000000000000000000"}),
        ("/api/v1/catalog/items", {"cursor": "WzFlOTk5LCAxXQ=="}),  # [1e999, 1]
        ("/api/v1/catalog/items", {"cursor": "W05hTiwgMV0="}),  # [NaN, 1]
        ("/api/v1/people", {"cursor": "WyJhIiwgMTAwMDAwMDAwMDAwMDAwMDAwMDAwMF0="}),  # ["a", 10**24]
    ],
)
def test_huge_ids_and_strange_cursors_are_422_naming_the_field(
    client: TestClient, db: Session, path: str, params: dict[str, str]
) -> None:
    response = client.get(path, params=params, headers=bearer(db, make_account(db, auditor=True)))
    assert response.status_code == 422, response.text
    assert response.json()["errors"]


def test_a_browse_page_ignores_a_skill_that_is_not_an_id(client: TestClient, db: Session) -> None:
    from tests.factories import login

    login(client, make_account(db, make_person(db)).email)
    assert client.get("/catalog", params={"skill": "²"}).status_code == 200
    assert client.get("/catalog/100000000000000000000").status_code == 422


def test_over_long_csv_values_are_row_errors(db: Session) -> None:
    long_name, long_unit = "N" * 201, "Ops / " + "U" * 201
    with pytest.raises(Invalid) as caught:
        import_people(
            db, text=f"external_id,name,org_unit\nE1,{long_name},\nE2,Ok,{long_unit}\n{'X' * 101},Ok,\n"
        )
    assert [(e.row, e.field) for e in caught.value.errors] == [
        (2, "name"),
        (3, "org_unit"),
        (4, "external_id"),
    ]
    with pytest.raises(Invalid) as caught:
        import_skills_csv(db, text=f"framework,idnumber,name\nSafety,{'S' * 101},Fire\n", format="simple")
    assert [(e.row, e.field) for e in caught.value.errors] == [(2, "idnumber")]


def test_titles_with_the_same_slug_get_distinct_codes(db: Session) -> None:
    ids = ensure_job_profiles(db, titles={"Nurse RN", "Nurse (RN)"})
    again = ensure_job_profiles(db, titles={"Nurse RN", "Nurse (RN)", "nurse-rn"})
    assert len(set(again.values())) == 3 and {k: again[k] for k in ids} == ids


def test_skill_parents_that_loop_are_refused(db: Session) -> None:
    text = "framework,idnumber,name,parent_idnumber\nF,A,Alpha,B\nF,B,Beta,A\nF,C,Gamma,\n"
    with pytest.raises(Invalid, match="parents form a loop") as caught:
        import_skills_csv(db, text=text, format="simple")
    assert sorted(e.row or 0 for e in caught.value.errors) == [2, 3]


def test_the_demo_is_the_same_in_every_process() -> None:
    code = (
        "import random, hashlib; from learnbridge.demo.loader import people_csv_text;"
        "print(hashlib.sha256(people_csv_text(60, random.Random(3)).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_signing_in_returns_to_the_page_asked_for_with_its_query(client: TestClient, db: Session) -> None:
    make_item(db)
    response = client.get("/catalog?q=fire&format=video", follow_redirects=False)
    assert response.headers["location"] == "/login?next=%2Fcatalog%3Fq%3Dfire%26format%3Dvideo"
