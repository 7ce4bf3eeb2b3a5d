"""cmi5 courses and xAPI packages through the upload API (a course zip, a bare cmi5.xml, a tincan.xml
zip, and bad ones refused with nothing stored), the player page, and an xAPI package launched with
`auth` credentials that finishes its attempt by its own completed statement."""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from learnbridge.content.models import Attempt, ContentVersion
from learnbridge.content.tincan import progress as package_progress
from learnbridge.core.jobs import run_pending
from learnbridge.demo.packages.fire_safety_cmi5 import course_zip
from learnbridge.jobs import job_handlers
from learnbridge.lrs.launch_rules import VERBS
from learnbridge.lrs.models import Statement
from tests.factories import bearer, csrf_from, login, make_account, make_item, make_person
from tests.helpers.cmi5 import cmi5_course

TINCAN = b"""<?xml version="1.0"?><tincan xmlns="http://projecttincan.com/tincan.xsd"><activities>
<activity id="https://example.org/tc/forklift" type="http://adlnet.gov/expapi/activities/course">
<name>Forklift pre-check</name><launch lang="en-GB">start.html</launch></activity></activities></tincan>"""


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_courses_and_packages_are_uploaded_and_bad_ones_refused(
    client: TestClient, db: Session, app: FastAPI
) -> None:
    item = make_item(db)
    admin = bearer(db, make_account(db, ld_admin=True))
    db.commit()
    url = f"/api/v1/catalog/items/{item.id}/content"

    def upload(data: bytes, name: str = "package.zip") -> tuple[int, dict[str, object]]:
        r = client.post(url, files={"file": (name, data, "application/octet-stream")}, headers=admin)
        return r.status_code, r.json()

    def added(data: bytes, name: str = "package.zip") -> tuple[int, object, object]:
        code, body = upload(data, name)
        return code, body.get("kind"), body.get("version")

    store = app.state.settings.resolved_content_dir()
    before = sorted(p.name for p in store.iterdir()) if store.exists() else []
    code, body = upload(zipped({"cmi5.xml": cmi5_course({"moveOn": "Completed"})}))
    assert code == 422 and "au0/index.html' is not a file in the zip" in json.dumps(body)
    code, body = upload(cmi5_course({"moveOn": "Completed"}), "cmi5.xml")
    assert code == 422 and "needs absolute URLs" in json.dumps(body)
    code, body = upload(zipped({"cmi5.xml": b"<courseStructure><course"}))
    assert code == 422 and body["errors"][0]["field"] == "file"  # type: ignore[index]
    assert upload(zipped({"tincan.xml": TINCAN}))[0] == 422
    after = sorted(p.name for p in store.iterdir()) if store.exists() else []
    assert after == before and db.scalar(select(ContentVersion.id)) is None

    assert added(course_zip()) == (201, "cmi5", 1)
    bare = cmi5_course({"moveOn": "Passed"}).replace(
        b"<url>au0/index.html", b"<url>https://courses.example/au0"
    )
    assert added(bare, "cmi5.xml") == (201, "cmi5", 2)
    assert added(zipped({"tincan.xml": TINCAN, "start.html": b"<p>go</p>"})) == (201, "xapi", 3)
    versions = db.scalars(select(ContentVersion).order_by(ContentVersion.version)).all()
    assert versions[0].title == "Fire Safety Awareness" and len(versions[0].spec["aus"]) == 2
    assert versions[1].spec["external"] is True
    assert versions[2].spec["launch"] == {
        "activity_id": "https://example.org/tc/forklift",
        "url": "start.html",
    }


def test_the_player_lists_the_course_aus(client: TestClient, db: Session) -> None:
    item = make_item(db)
    admin = bearer(db, make_account(db, ld_admin=True))
    db.commit()
    client.post(
        f"/api/v1/catalog/items/{item.id}/content", files={"file": ("f.zip", course_zip())}, headers=admin
    )
    login(client, make_account(db, make_person(db)).email)
    page = client.get(f"/items/{item.id}/launch")
    assert page.status_code == 200
    assert (
        "The fire triangle and extinguishers" in page.text and "Evacuation and assembly points" in page.text
    )
    assert page.text.count("data-cmi5-launch") == 2 and "Not done yet" in page.text


@pytest.mark.parametrize("among_many", [False, True], ids=["alone", "among-many"])
def test_an_xapi_package_launches_with_auth_and_finishes_by_its_statement(
    client: TestClient, db: Session, sessions: sessionmaker[Session], among_many: bool
) -> None:
    item = make_item(db)
    admin = bearer(db, make_account(db, ld_admin=True))
    db.commit()
    package = zipped({"tincan.xml": TINCAN, "start.html": b"<p>go</p>"})
    client.post(f"/api/v1/catalog/items/{item.id}/content", files={"file": ("p.zip", package)}, headers=admin)
    person = make_person(db)
    login(client, make_account(db, person).email)
    client.get(f"/items/{item.id}/launch")
    attempt = db.scalars(select(Attempt).where(Attempt.person_id == person.id)).one()
    csrf = csrf_from(client.get(f"/attempts/{attempt.id}").text)
    launched = client.post(
        f"/attempts/{attempt.id}/xapi/launch",
        data={"csrf_token": csrf},
        headers={"Accept": "application/json"},
    ).json()
    params = {k: v[0] for k, v in parse_qs(urlsplit(launched["url"]).query).items()}
    assert set(params) == {"endpoint", "auth", "actor", "registration", "activity_id"}
    assert urlsplit(launched["url"]).path == f"/content/{attempt.version_id}/files/start.html"
    assert params["registration"] == attempt.registration and params["auth"].startswith("Basic ")
    headers = {"Authorization": params["auth"], "X-Experience-API-Version": "1.0.3"}
    completed = {
        "actor": json.loads(params["actor"]),
        "verb": {"id": VERBS["completed"]},
        "object": {"id": params["activity_id"]},
        "result": {"completion": True, "score": {"scaled": 0.9}},
        "context": {"registration": params["registration"]},
    }
    stranger = {**completed, "actor": {"mbox": "mailto:someone@example.org"}}
    assert client.post("/xapi/statements", json=stranger, headers=headers).status_code == 403
    assert client.post("/xapi/statements", json=completed, headers=headers).status_code == 200
    if among_many:
        # Merged stream jobs carry many batches' statements: the outcome is found past the first few
        # thousand keys too (keys that match no statement stand in for the others).
        key = db.scalar(select(func.max(Statement.id)))
        assert key is not None
        assert package_progress.on_statements(db, [*range(-12_000, 0), key]).people
        db.commit()
    run_pending(sessions, job_handlers(client.app.state.settings), worker_id="test")  # type: ignore[attr-defined]
    db.expire_all()
    finished = db.get(Attempt, attempt.id)
    assert finished is not None and finished.status == "completed" and finished.score == 0.9
    assert finished.completion_id is not None
