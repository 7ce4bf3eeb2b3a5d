"""A person's other xAPI identifiers through the API and on their page: L&D admins record them, nobody
else may; a bad IRI is refused naming the field, one already naming someone else is a conflict."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.people import service
from learnbridge.people.models import Person
from tests.factories import bearer, csrf_from, login, make_account, make_person

LMS = "https://lms.partner.example"
OPENID = {"openid": "https://id.example.net/ada"}
ACCOUNT = {"account": {"homePage": LMS, "name": "ada-1"}}


def admin(db: Session) -> dict[str, str]:
    return bearer(db, make_account(db, ld_admin=True))


def url(person: Person) -> str:
    return f"/api/v1/people/{person.id}/identifiers"


def test_an_admin_adds_replaces_lists_and_removes_identifiers(client: TestClient, db: Session) -> None:
    person, headers = make_person(db), admin(db)
    added = client.post(url(person), json=ACCOUNT, headers=headers)
    assert added.status_code == 201 and added.json()["account"] == ACCOUNT["account"]
    again = client.post(url(person), json=ACCOUNT, headers=headers)
    assert again.status_code == 201 and again.json()["id"] == added.json()["id"]
    replaced = client.put(url(person), json={"identifiers": [OPENID, ACCOUNT]}, headers=headers)
    assert replaced.status_code == 200
    listed = client.get(url(person), headers=headers).json()
    assert [(i["openid"], i["account"]) for i in listed] == [
        (None, ACCOUNT["account"]),
        (OPENID["openid"], None),
    ]
    gone = client.delete(f"{url(person)}/{listed[0]['id']}", headers=headers)
    assert gone.status_code == 204
    assert [i["openid"] for i in client.get(url(person), headers=headers).json()] == [OPENID["openid"]]
    assert client.put(url(person), json={"identifiers": []}, headers=headers).json() == []


@pytest.mark.parametrize("role", ["learner", "manager", "auditor"])
def test_only_ld_admins_change_identifiers(client: TestClient, db: Session, role: str) -> None:
    person = make_person(db)
    if role == "manager":
        account = make_account(db, make_person(db))
        person.manager_id = account.person_id
        db.flush()
    elif role == "auditor":
        account = make_account(db, auditor=True)
    else:
        account = make_account(db, person)
    headers = bearer(db, account)
    assert client.post(url(person), json=ACCOUNT, headers=headers).status_code == 403
    assert client.put(url(person), json={"identifiers": [ACCOUNT]}, headers=headers).status_code == 403
    assert client.delete(f"{url(person)}/1", headers=headers).status_code == 403
    assert service.list_identifiers(db, person_id=person.id) == []


def test_anonymous_callers_are_not_signed_in(client: TestClient, db: Session) -> None:
    person = make_person(db)
    assert client.post(url(person), json=ACCOUNT).status_code == 401
    assert client.put(url(person), json={"identifiers": []}).status_code == 401
    assert client.get(url(person)).status_code == 401


def test_an_identifier_naming_someone_else_is_a_conflict(client: TestClient, db: Session) -> None:
    ada, bob, headers = make_person(db), make_person(db), admin(db)
    client.post(url(ada), json=ACCOUNT, headers=headers)
    for response in (
        client.post(url(bob), json=ACCOUNT, headers=headers),
        client.put(url(bob), json={"identifiers": [OPENID, ACCOUNT]}, headers=headers),
    ):
        assert response.status_code == 409 and ada.external_id in response.json()["detail"]
    assert service.list_identifiers(db, person_id=bob.id) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"openid": "not an iri"}, "openid"),
        ({"account": {"homePage": "lms.example", "name": "x"}}, "account.homePage"),
        ({"account": {"homePage": LMS, "name": " "}}, "account.name"),
        ({"openid": OPENID["openid"], "account": ACCOUNT["account"]}, "openid"),
        ({}, "openid"),
        ({"account": {"homePage": LMS}}, "account.name"),
        ({"openid": "https://x.example/" + "a" * 3000}, "openid"),
    ],
)
def test_bad_identifiers_are_refused_naming_the_field(
    client: TestClient, db: Session, body: dict[str, Any], field: str
) -> None:
    response = client.post(url(make_person(db)), json=body, headers=admin(db))
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_a_replacement_is_bounded_and_names_the_bad_entry(client: TestClient, db: Session) -> None:
    person, headers = make_person(db), admin(db)
    many = [{"account": {"homePage": LMS, "name": f"n{n}"}} for n in range(21)]
    assert client.put(url(person), json={"identifiers": many}, headers=headers).status_code == 422
    bad = client.put(url(person), json={"identifiers": [OPENID, {"openid": "nope"}]}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "identifiers.1.openid"
    assert service.list_identifiers(db, person_id=person.id) == []


def test_the_page_lists_identifiers_and_an_admin_adds_and_removes_them(
    client: TestClient, db: Session
) -> None:
    person = make_person(db, name="Ada Page")
    login(client, make_account(db, ld_admin=True).email)
    page = client.get(f"/people/{person.id}")
    token = csrf_from(page.text)
    assert "No other identifiers recorded." in page.text
    form = {"csrf_token": token, "kind": "account", "home_page": LMS, "name": "ada-77"}
    added = client.post(f"/admin/people/{person.id}/identifiers", data=form)
    assert added.status_code == 200 and "ada-77" in added.text and LMS in added.text
    openid = {"csrf_token": token, "kind": "openid", "openid": "https://id.example.net/ada"}
    client.post(f"/admin/people/{person.id}/identifiers", data=openid)
    bad = client.post(f"/admin/people/{person.id}/identifiers", data={**form, "home_page": "nope"})
    assert bad.status_code == 422 and "account.homePage" in bad.text
    other = make_person(db)
    taken = client.post(f"/admin/people/{other.id}/identifiers", data=form)
    assert taken.status_code == 409 and person.external_id in taken.text
    [account, _] = service.list_identifiers(db, person_id=person.id)
    removed = client.post(
        f"/admin/people/{person.id}/identifiers/{account.id}/delete", data={"csrf_token": token}
    )
    assert (
        removed.status_code == 200 and "ada-77" not in removed.text and "id.example.net/ada" in removed.text
    )


def test_the_page_shows_identifiers_without_the_forms_to_others(client: TestClient, db: Session) -> None:
    person = make_person(db)
    service.add_identifier(db, person=person, identifier=ACCOUNT)
    login(client, make_account(db, person).email)
    page = client.get(f"/people/{person.id}")
    assert "ada-1" in page.text and "Add account" not in page.text and "Remove" not in page.text
    token = csrf_from(page.text)
    form = {"csrf_token": token, "kind": "openid", "openid": "https://id.example.net/me"}
    assert client.post(f"/admin/people/{person.id}/identifiers", data=form).status_code == 403
