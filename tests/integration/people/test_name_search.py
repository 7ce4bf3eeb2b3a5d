"""Names are stored in NFC and found in any script and case, on both databases: through the service, the
API's `?q=`, the directory page and names written by the HR import; and the migration that added the
search key filled it for the people already stored."""

from __future__ import annotations

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from learnbridge.core.db import make_engine
from learnbridge.core.migrate import alembic_config
from learnbridge.people.models import Person
from learnbridge.people.service import find_people
from tests.factories import bearer, login, make_account, make_person

DECOMPOSED = "N\u0303u\u0301n\u0303ez"  # Ñúñez as macOS and some HR exports write it: letters + accents
NAMES = {
    "nunez": f"José {DECOMPOSED}",
    "socrates": "Σωκράτης Παππάς",
    "strasse": "Hans Straße",
    "dmitry": "Дмитрий Иванов",
    "percent": "Ann 100% Fit",
    "plain": "Bob Smith",
}
# Each query and the people it must find (by their key in NAMES), whatever the script or the case.
QUERIES = [
    ("Ñúñez", {"nunez"}),
    ("ñúñez", {"nunez"}),
    ("ÑÚÑEZ", {"nunez"}),
    (DECOMPOSED, {"nunez"}),
    ("josé ñ", {"nunez"}),
    ("Σωκράτης", {"socrates"}),
    ("σωκράτης", {"socrates"}),
    ("ΣΩΚΡΆΤΗΣ", {"socrates"}),
    ("Straße", {"strasse"}),
    ("STRASSE", {"strasse"}),
    ("дмитрий", {"dmitry"}),
    ("ИВАНОВ", {"dmitry"}),
    ("0% f", {"percent"}),  # LIKE's wildcards are literal characters in a query
    ("%", {"percent"}),
    ("_", set()),
    ("SMITH", {"plain"}),
]


@pytest.fixture
def people(db: Session) -> dict[str, Person]:
    found = {key: make_person(db, name=name) for key, name in NAMES.items()}
    db.expire_all()  # read back what the database holds
    return found


def test_names_are_stored_in_nfc_with_their_key(db: Session, people: dict[str, Person]) -> None:
    nunez = db.get(Person, people["nunez"].id)
    assert nunez is not None and nunez.name == "José Ñúñez" and len(nunez.name) == len("José Ñúñez")
    assert nunez.name_key == "josé ñúñez"
    nunez.name = f"Joséphine {DECOMPOSED}"
    db.flush()
    db.expire_all()
    assert db.scalar(select(Person.name_key).where(Person.id == nunez.id)) == "joséphine ñúñez"


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_the_service_finds_a_name_in_any_script_and_case(
    db: Session, people: dict[str, Person], query: str, expected: set[str]
) -> None:
    ids = {person.id: key for key, person in people.items()}
    found = find_people(db, q=query, limit=500).items
    assert {ids[p.id] for p in found if p.id in ids} == expected


def test_the_api_and_the_directory_find_a_name_in_any_script_and_case(
    client: TestClient, db: Session, people: dict[str, Person]
) -> None:
    admin = make_account(db, ld_admin=True)
    headers = bearer(db, admin)
    ids = {person.id: key for key, person in people.items()}
    for query, expected in QUERIES:
        response = client.get("/api/v1/people", params={"q": query, "limit": 500}, headers=headers)
        assert response.status_code == 200, response.text
        assert {ids[p["id"]] for p in response.json()["items"] if p["id"] in ids} == expected, query
    login(client, admin.email)
    for query, expected in QUERIES:
        page = client.get("/people", params={"q": query})
        assert page.status_code == 200
        shown = {key for key, person in people.items() if f'/people/{person.id}"' in page.text}
        assert shown == expected, query


def test_a_manager_finds_only_their_reports_by_name_in_any_script(
    client: TestClient, db: Session, people: dict[str, Person]
) -> None:
    boss = make_person(db, name="Boss")
    report = make_person(db, name="Ωμέγα Ñandú", manager_id=boss.id)
    make_person(db, name="Ωμέγα Ñandú Other")  # not a report: never shown
    response = client.get(
        "/api/v1/people", params={"q": "ωμέγα ÑANDÚ"}, headers=bearer(db, make_account(db, boss))
    )
    assert response.status_code == 200, response.text
    assert [p["id"] for p in response.json()["items"]] == [report.id]


def test_names_from_the_hr_import_are_stored_in_nfc_and_found(client: TestClient, db: Session) -> None:
    headers = bearer(db, make_account(db, ld_admin=True))
    upload = f"external_id,name\nHR1,José {DECOMPOSED}\nHR2,Σωκράτης\n".encode()
    response = client.post("/api/v1/people/import", headers=headers, content=upload)
    assert response.status_code == 200, response.text
    rows = db.execute(select(Person.external_id, Person.name).where(Person.external_id.like("HR%")))
    stored = dict(rows.all())
    assert stored == {"HR1": "José Ñúñez", "HR2": "Σωκράτης"}
    found = client.get("/api/v1/people", params={"q": "ÑÚÑEZ"}, headers=headers).json()["items"]
    assert [p["external_id"] for p in found] == ["HR1"]
    # The same name again, composed this time, changes nothing; a new name moves the key with it.
    again = client.post(
        "/api/v1/people/import", headers=headers, content="external_id,name\nHR1,José Ñúñez\n".encode()
    )
    assert again.json()["unchanged"] == 1
    renamed = client.post(
        "/api/v1/people/import", headers=headers, content=b"external_id,name\nHR1,Jos\xc3\xa9 Nunez\n"
    )
    assert renamed.json()["updated"] == 1
    assert client.get("/api/v1/people", params={"q": "ñúñez"}, headers=headers).json()["items"] == []
    found = client.get("/api/v1/people", params={"q": "NUNEZ"}, headers=headers).json()["items"]
    assert [p["external_id"] for p in found] == ["HR1"]


def test_the_migration_stores_the_names_already_there_in_nfc_with_their_key(committed_url: str) -> None:
    config = alembic_config(committed_url)
    command.downgrade(config, "0014")
    engine = make_engine(committed_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (external_id, name, active, attributes, created_at, updated_at) "
                "VALUES ('M1', :name, true, '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"name": f"José {DECOMPOSED}"},
        )
    command.upgrade(config, "head")
    with Session(engine) as db:
        person = db.scalar(select(Person).where(Person.external_id == "M1"))
        assert person is not None and (person.name, person.name_key) == ("José Ñúñez", "josé ñúñez")
        assert [p.external_id for p in find_people(db, q="ÑÚÑEZ").items] == ["M1"]
    engine.dispose()
