"""People pages: the HR upload all-or-nothing, the directory, a manager's team."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from learnbridge.people.models import Person
from tests.factories import bearer, csrf_from, login, make_account, make_person, make_profile, make_unit


def test_upload_with_a_bad_row_lists_it_and_imports_nothing(client: TestClient, db: Session) -> None:
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get("/admin/people/import").text)
    before = db.scalar(select(func.count()).select_from(Person))
    csv = b"external_id,name,email\nU1,Una,una@x.org\nU2,Ugo,not-an-email\n"
    response = client.post(
        "/admin/people/import", data={"csrf_token": token}, files={"file": ("hr.csv", csv)}
    )
    assert response.status_code == 422
    assert "Row 3" in response.text and "<code>email</code>" in response.text
    assert db.scalar(select(func.count()).select_from(Person)) == before
    good = client.post(
        "/admin/people/import", data={"csrf_token": token}, files={"file": ("hr.csv", csv[:-30])}
    )
    assert "Created: 1" in good.text


def test_api_import_reports_rows_and_summarises(client: TestClient, db: Session) -> None:
    headers = bearer(db, make_account(db, ld_admin=True))
    bad = client.post("/api/v1/people/import", headers=headers, content=b"external_id,name\nA1,\n")
    assert bad.status_code == 422 and bad.json()["errors"] == [
        {"field": "name", "message": "is required", "row": 2}
    ]
    ok = client.post("/api/v1/people/import", headers=headers, content=b"external_id,name\nA1,Ann\n")
    assert ok.json()["created"] == 1


def test_a_manager_sees_their_whole_team(client: TestClient, db: Session) -> None:
    boss = make_person(db, name="Boss Person")
    lead = make_person(db, name="Lead Person", manager_id=boss.id)
    make_person(db, name="Deep Report", manager_id=lead.id)
    make_person(db, name="Stranger")
    login(client, make_account(db, boss).email)
    page = client.get("/team")
    assert "Lead Person" in page.text and "Deep Report" in page.text and "Stranger" not in page.text
    assert ">My team<" in client.get("/").text


def test_people_pages_are_keyset_paged(client: TestClient, db: Session) -> None:
    boss = make_person(db, name="Aaa Boss")
    for n in range(105):
        make_person(db, name=f"Report {n:03d}", manager_id=boss.id)
    login(client, make_account(db, boss).email)
    first = client.get("/team")
    assert "Report 099" in first.text and "Report 100" not in first.text
    next_link = re.search(r'href="(/team\?cursor=[^"]+)"', first.text)
    assert next_link is not None
    second = client.get(next_link.group(1))
    assert "Report 100" in second.text and "Report 104" in second.text and "Report 099" not in second.text
    api = client.get("/api/v1/people", params={"limit": 100}).json()
    rest = client.get("/api/v1/people", params={"cursor": api["next"]}).json()
    assert len(api["items"]) + len(rest["items"]) == 106 and rest["next"] is None


def test_leavers_are_listed_only_when_asked(client: TestClient, db: Session) -> None:
    make_person(db, name="Zed Leaver", active=False)
    headers = bearer(db, make_account(db, auditor=True))
    names = [
        p["name"]
        for p in client.get("/api/v1/people", params={"limit": 500}, headers=headers).json()["items"]
    ]
    assert "Zed Leaver" not in names
    everyone = client.get(
        "/api/v1/people", params={"limit": 500, "include_inactive": "true"}, headers=headers
    )
    assert "Zed Leaver" in [p["name"] for p in everyone.json()["items"]]


def test_a_team_page_costs_a_few_queries_however_big_the_team(client: TestClient, db: Session) -> None:
    boss = make_person(db, name="Big Boss")
    for n in range(40):
        unit, profile = make_unit(db), make_profile(db)  # each its own, so no row is loaded twice
        make_person(
            db, name=f"Member {n}", manager_id=boss.id, org_unit_id=unit.id, job_profile_id=profile.id
        )
    login(client, make_account(db, boss).email)
    db.expunge_all()
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    connection = db.connection()
    event.listen(connection, "before_cursor_execute", count)
    try:
        assert "Member 39" in client.get("/team").text
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert len(statements) < 20, statements


def test_api_dry_run_reports_the_clears_and_writes_nothing(client: TestClient, db: Session) -> None:
    headers = bearer(db, make_account(db, ld_admin=True))
    seed = b"external_id,name,email,location\nA1,Ann,ann@x.org,Leeds\nA2,Abe,abe@x.org,York\n"
    assert client.post("/api/v1/people/import", headers=headers, content=seed).status_code == 200
    wipe = b"external_id,name,email\nA1,Ann,\nA2,Abe,\n"
    preview = client.post("/api/v1/people/import?dry_run=true", headers=headers, content=wipe).json()
    assert preview["dry_run"] is True and preview["updated"] == 2
    assert (preview["cleared"], preview["cleared_total"]) == ({"email": 2}, 2)
    emails = select(Person.email).where(Person.external_id.in_(["A1", "A2"])).order_by(Person.external_id)
    assert list(db.scalars(emails)) == ["ann@x.org", "abe@x.org"]
    done = client.post("/api/v1/people/import", headers=headers, content=wipe).json()
    assert done == {**preview, "dry_run": False}
    assert list(db.scalars(emails)) == [None, None]
    assert list(db.scalars(select(Person.location).where(Person.external_id == "A1"))) == ["Leeds"]


def test_check_only_shows_what_the_upload_would_clear_and_saves_nothing(
    client: TestClient, db: Session
) -> None:
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get("/admin/people/import").text)
    seed = b"external_id,name,email\nU1,Una,una@x.org\nU2,Ugo,ugo@x.org\n"
    client.post("/admin/people/import", data={"csrf_token": token}, files={"file": ("hr.csv", seed)})
    wipe = b"external_id,name,email\nU1,Una,\nU2,Ugo,\n"
    checked = client.post(
        "/admin/people/import",
        data={"csrf_token": token, "check": "1", "full": "on"},
        files={"file": ("hr.csv", wipe)},
    )
    assert checked.status_code == 200
    assert "Nothing was saved" in checked.text and "This import clears 2 e-mail addresses" in checked.text
    assert re.search(r'id="full"[^>]* checked', checked.text)  # the box stays as it was
    assert db.scalar(select(Person.email).where(Person.external_id == "U1")) == "una@x.org"
    imported = client.post(
        "/admin/people/import", data={"csrf_token": token}, files={"file": ("hr.csv", wipe)}
    )
    assert "Imported 2 rows" in imported.text and "This import cleared 2 e-mail addresses" in imported.text
    assert db.scalar(select(Person.email).where(Person.external_id == "U1")) is None
