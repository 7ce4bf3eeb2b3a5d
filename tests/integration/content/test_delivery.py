"""Delivery's own kinds and routes: policies acknowledged per version, links finished by the learner,
self-completion where allowed, the item page's one action, the progress API, the upload API's errors
and who may do what. Each kind's player (SCORM, cmi5, media, quizzes) has its own tests."""

from __future__ import annotations

import io
import zipfile

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.catalog.models import ItemStatus
from learnbridge.content import service
from learnbridge.content.models import Acknowledgement, Attempt, AttemptStatus, ContentVersion
from learnbridge.push.models import Assignment
from learnbridge.records.models import Completion
from tests.factories import bearer, csrf_from, login, make_account, make_item, make_person, make_requirement
from tests.helpers.scorm_packages import Package, Sco

POLICY = {
    "kind": "policy",
    "title": "Data protection",
    "text": "Keep personal data safe.\n\nReport breaches.",
    "label": "v1",
}


def _admin(db: Session) -> dict[str, str]:
    return bearer(db, make_account(db, ld_admin=True))


def _learner(client: TestClient, db: Session) -> tuple[int, str]:
    person = make_person(db)
    login(client, make_account(db, person).email)
    return person.id, csrf_from(client.get("/catalog").text)


def _status(db: Session, person_id: int) -> str:
    """'completed' when the person's assignment of the item is completed, else 'open'."""
    stmt = select(Assignment.completed_on).where(Assignment.person_id == person_id)
    return "completed" if db.scalar(stmt) is not None else "open"


def test_a_policy_is_acknowledged_per_version_and_a_new_version_opens_it_again(
    client: TestClient, db: Session
) -> None:
    item = make_item(db, title="Data protection policy")
    admin = _admin(db)
    made = client.post(f"/api/v1/catalog/items/{item.id}/content", json=POLICY, headers=admin)
    assert made.status_code == 201 and made.json()["kind"] == "policy" and made.json()["version"] == 1
    person_id, token = _learner(client, db)
    make_requirement(db, items=[item])
    db.commit()
    page = client.get(f"/catalog/{item.id}")
    assert f'href="/items/{item.id}/launch?origin=self"' in page.text and ">Acknowledge<" in page.text
    player = client.get(f"/items/{item.id}/launch")
    assert "Keep personal data safe." in player.text and "I have read and understood" in player.text
    attempt = db.scalars(select(Attempt).where(Attempt.person_id == person_id)).one()
    refused = client.post(f"/attempts/{attempt.id}/acknowledge", data={"csrf_token": token})
    assert refused.status_code == 422 and "understood" in refused.text
    done = client.post(f"/attempts/{attempt.id}/acknowledge", data={"csrf_token": token, "understood": "yes"})
    assert done.status_code == 200 and "your acknowledgement of this version is recorded" in done.text
    ack = db.scalars(select(Acknowledgement).where(Acknowledgement.person_id == person_id)).one()
    assert ack.completion_id is not None and _status(db, person_id) == "completed"
    completion = db.get(Completion, ack.completion_id)
    assert completion is not None and completion.source == "acknowledgement"
    assert client.get(f"/api/v1/me/items/{item.id}/progress").json() == {
        "status": "completed",
        "score": None,
        "attempts": 1,
    }
    # Version 2 supersedes version 1: the assignment opens again until it is acknowledged.
    again = client.post(
        f"/api/v1/catalog/items/{item.id}/content", json=POLICY | {"label": "v2"}, headers=admin
    )
    assert again.json()["version"] == 2
    db.expire_all()
    assert _status(db, person_id) != "completed" and ack.superseded_at is not None
    assert db.get(Completion, ack.completion_id).revoked_at is not None  # type: ignore[union-attr]
    assert (
        client.get(f"/api/v1/me/items/{item.id}/progress").json()["status"] == "completed"
    )  # the attempt stays
    second = client.get(f"/items/{item.id}/launch")
    assert "v2" in second.text and "I have read and understood" in second.text


def test_a_link_is_finished_by_the_learner_and_completes_the_item(client: TestClient, db: Session) -> None:
    item = make_item(db)
    link = {"kind": "link", "url": "https://learn.example/course", "title": "Partner course"}
    assert (
        client.post(f"/api/v1/catalog/items/{item.id}/content", json=link, headers=_admin(db)).status_code
        == 201
    )
    person_id, token = _learner(client, db)
    db.commit()
    player = client.get(f"/items/{item.id}/launch")
    assert 'href="https://learn.example/course"' in player.text and 'rel="noopener noreferrer"' in player.text
    attempt = db.scalars(select(Attempt).where(Attempt.person_id == person_id)).one()
    assert (
        client.get(f"/items/{item.id}/launch").url.path == f"/attempts/{attempt.id}"
    )  # resumed, not a new one
    done = client.post(f"/attempts/{attempt.id}/finish", data={"csrf_token": token})
    assert "Done: this is now on" in done.text
    completion = db.scalars(select(Completion).where(Completion.person_id == person_id)).one()
    assert completion.source == "content" and completion.reference == f"attempt:{attempt.id}"
    assert "Open again" in client.get(f"/catalog/{item.id}").text


def test_mark_complete_only_where_the_admin_allows_it(client: TestClient, db: Session) -> None:
    item = make_item(db)
    _, token = _learner(client, db)
    make_requirement(db, items=[item])
    db.commit()
    assert ">Mark complete<" not in client.get(f"/catalog/{item.id}").text
    refused = client.post(f"/items/{item.id}/complete", data={"csrf_token": token})
    assert refused.status_code == 403
    admin = make_account(db, ld_admin=True)
    db.commit()
    client.cookies.clear()
    login(client, admin.email)
    admin_token = csrf_from(client.get(f"/admin/catalog/{item.id}/content").text)
    saved = client.post(
        f"/admin/catalog/{item.id}/content/settings",
        data={"csrf_token": admin_token, "self_completion": "true"},
    )
    assert "Saved." in saved.text and "checked" in saved.text
    client.cookies.clear()
    _, token = _learner(client, db)
    db.commit()
    learner_id = db.scalars(select(Completion.person_id)).first()
    assert learner_id is None
    page = client.get(f"/catalog/{item.id}")
    assert ">Mark complete<" in page.text
    done = client.post(f"/items/{item.id}/complete", data={"csrf_token": token})
    assert done.status_code == 200 and "Done: this is now on" in done.text
    again = client.post(f"/items/{item.id}/complete", data={"csrf_token": token})
    assert again.status_code == 200
    assert [c.source for c in db.scalars(select(Completion))] == ["self"]  # once, however often it is said


def test_uploads_are_refused_with_the_problem_named_and_nothing_stored(
    client: TestClient, db: Session, app: FastAPI
) -> None:
    item = make_item(db)
    admin = _admin(db)
    db.commit()
    url = f"/api/v1/catalog/items/{item.id}/content"
    store = app.state.settings.resolved_content_dir()
    before = sorted(p.name for p in store.iterdir()) if store.exists() else []

    def upload(data: bytes, name: str = "package.zip") -> tuple[int, str]:
        r = client.post(url, files={"file": (name, data, "application/octet-stream")}, headers=admin)
        return r.status_code, r.text

    def zipped(entries: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in entries.items():
                z.writestr(name, data)
        return buffer.getvalue()

    assert upload(b"")[0] == 422
    assert "not a content file" in upload(b"hello, world", "notes.txt")[1]
    assert "no " in upload(zipped({"index.html": b"<p>hi</p>"}))[1]
    code, text = upload(zipped({"../evil.html": b"x", "imsmanifest.xml": b"<manifest/>"}))
    assert code == 422 and "points outside the package" in text
    assert upload(b"PK\x03\x04 not really a zip")[0] == 422
    assert client.post(url, json={"kind": "nonsense"}, headers=admin).json()["errors"][0]["field"] == "kind"
    bad_link = client.post(url, json={"kind": "link", "url": "javascript:alert(1)"}, headers=admin)
    assert bad_link.status_code == 422 and "url" in bad_link.text
    assert client.post(url, content=b"x", headers=admin | {"content-type": "text/plain"}).status_code == 422
    assert client.post(url + "?slot=sideways", json=POLICY, headers=admin).status_code == 422
    after = sorted(p.name for p in store.iterdir()) if store.exists() else []
    assert after == before and db.scalar(select(ContentVersion.id)) is None


def test_who_may_add_content_and_launch(client: TestClient, db: Session) -> None:
    item = make_item(db)
    url = f"/api/v1/catalog/items/{item.id}/content"
    learner = bearer(db, make_account(db, make_person(db)))
    auditor = bearer(db, make_account(db, auditor=True))
    db.commit()
    assert client.post(url, json=POLICY).status_code == 401
    assert client.post(url, json=POLICY, headers=learner).status_code == 403
    assert client.post(url, json=POLICY, headers=auditor).status_code == 403
    assert (
        client.get(f"/api/v1/me/items/{item.id}/progress", headers=learner).json()["status"] == "not_started"
    )
    assert client.get("/api/v1/me/items/999999/progress", headers=learner).status_code == 404
    assert client.post(url, json=POLICY, headers=_admin(db)).status_code == 201
    db.commit()
    assert client.get(f"/items/{item.id}/launch", follow_redirects=False).status_code in (303, 401)
    # Someone else's attempt looks not found.
    owner_id, _ = _learner(client, db)
    db.commit()
    client.get(f"/items/{item.id}/launch")
    attempt = db.scalars(select(Attempt).where(Attempt.person_id == owner_id)).one()
    client.cookies.clear()
    _learner(client, db)
    db.commit()
    assert client.get(f"/attempts/{attempt.id}").status_code == 404
    assert client.get(f"/items/{item.id}/launch?slot=sideways").status_code == 422
    assert client.get(f"/admin/catalog/{item.id}/content").status_code == 403


def test_enrol_turns_into_enrolled_and_an_item_without_content_keeps_open_and_sessions(
    client: TestClient, db: Session
) -> None:
    item = make_item(db, url="https://learn.example/x")
    _, token = _learner(client, db)
    db.commit()
    page = client.get(f"/catalog/{item.id}")
    assert ">Enrol<" in page.text and ">Open<" in page.text and "Upcoming sessions" in page.text
    assert "/launch" not in page.text and "Your progress" not in page.text  # nothing to take here
    enrolled = client.post(f"/items/{item.id}/enrol", data={"csrf_token": token, "origin": "self"})
    assert (
        "You are enrolled" in enrolled.text
        and ">Enrolled<" in enrolled.text
        and ">Enrol<" not in enrolled.text
    )


def test_the_item_page_offers_no_quiz_once_every_attempt_is_used(client: TestClient, db: Session) -> None:
    item = make_item(db)
    quiz = {
        "kind": "quiz",
        "title": "Check",
        "pass_mark": 100,
        "attempts_limit": 1,
        "questions": [{"kind": "true_false", "text": "Sky is blue", "answer": True}],
    }
    assert (
        client.post(f"/api/v1/catalog/items/{item.id}/content", json=quiz, headers=_admin(db)).status_code
        == 201
    )
    person_id, _ = _learner(client, db)
    db.commit()
    assert ">Take the quiz<" in client.get(f"/catalog/{item.id}").text
    attempt = service.launch(db, person_id=person_id, item_id=item.id)
    service.finish_attempt(db, attempt, status=AttemptStatus.failed, score=0.0)
    db.commit()
    page = client.get(f"/catalog/{item.id}")
    assert "You have used all your attempts" in page.text and "/launch" not in page.text
    assert client.get(f"/items/{item.id}/launch").status_code == 409


def test_a_version_s_files_are_served_framed_by_this_site_only_and_never_outside_their_folder(
    client: TestClient, db: Session
) -> None:
    draft = make_item(db, status=ItemStatus.draft)
    item = make_item(db)
    admin = _admin(db)
    package = Package(
        "Served", (Sco("one", "Lesson one"),), extra={"lib/app.js": b"1;", "notes.vtt": b"WEBVTT"}
    )
    files = {"file": ("course.zip", package.zip(), "application/zip")}
    made = client.post(f"/api/v1/catalog/items/{item.id}/content", files=files, headers=admin)
    hidden = client.post(f"/api/v1/catalog/items/{draft.id}/content", files=files, headers=admin)
    assert made.status_code == hidden.status_code == 201, made.text
    base, draft_base = f"/content/{made.json()['id']}/files", f"/content/{hidden.json()['id']}/files"
    signed_out = client.get(f"{base}/one.html", follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/login")
    _learner(client, db)
    db.commit()
    page = client.get(f"{base}/one.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert (
        page.headers["x-frame-options"] == "SAMEORIGIN"
        and page.headers["x-content-type-options"] == "nosniff"
    )
    policy = page.headers["content-security-policy"]
    assert policy.startswith("sandbox allow-scripts") and "frame-ancestors 'self'" in policy
    assert client.get(f"{base}/lib/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get(f"{base}/notes.vtt").headers["content-type"].startswith("text/vtt")
    for bad in ("../../../etc/passwd", "lib/../../x", "missing.html", "lib", "%2e%2e/%2e%2e/etc/passwd"):
        assert client.get(f"{base}/{bad}").status_code == 404, bad
    assert client.get(f"{draft_base}/one.html").status_code == 404  # a draft's content: admins only
    assert client.get("/content/999999/files/one.html").status_code == 404
