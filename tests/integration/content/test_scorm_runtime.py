"""The SCORM run-time API on both databases: packages uploaded and read, a SCO's session starting from the
stored CMI (resume after a suspend), commits evaluated by the version's rules (mastery score, passing
score, thresholds), time accumulated, the attempt finished into a completion that completes the
learner's assignment; only the attempt's owner may use it, and bad input is refused."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.content.models import Attempt, ContentVersion, ScoState
from learnbridge.push.models import Assignment
from learnbridge.records.models import Completion
from tests.factories import bearer, csrf_from, login, make_account, make_item, make_person, make_requirement
from tests.helpers.scorm_packages import Package, Sco, zipped

QUIZ_12 = Package(
    "Safety quiz", (Sco("quiz", "Quiz", mastery_score=80, launch_data="mode=exam"),), version="1.2"
)
TWO_2004 = Package(
    "Two lessons",
    (Sco("one", "Lesson one", completion_threshold=0.75), Sco("two", "Lesson two", passing_score=0.7)),
)


def _upload(client: TestClient, db: Session, package: Package) -> int:
    item = make_item(db, title=package.title)
    admin = bearer(db, make_account(db, ld_admin=True))
    db.commit()
    made = client.post(
        f"/api/v1/catalog/items/{item.id}/content",
        files={"file": ("package.zip", package.zip(), "application/zip")},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    return item.id


def _launch(client: TestClient, db: Session, item_id: int, headers: dict[str, str]) -> int:
    opened = client.get(f"/items/{item_id}/launch", headers=headers, follow_redirects=False)
    assert opened.status_code == 303, opened.text
    return int(opened.headers["location"].rsplit("/", 1)[1])


def _learner(db: Session, **person: Any) -> tuple[int, dict[str, str]]:
    learner = make_person(db, name="Lee Carter", **person)
    return learner.id, bearer(db, make_account(db, learner))


def _commit(
    client: TestClient,
    headers: dict[str, str],
    attempt_id: int,
    sco: str,
    cmi: dict[str, Any],
    *,
    session: str = "s1",
    terminate: bool = False,
) -> dict[str, Any]:
    url = f"/api/v1/attempts/{attempt_id}/scos/{sco}/runtime?session={session}"
    response = client.post(url + ("&terminate=true" if terminate else ""), json={"cmi": cmi}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["result"] is True and body["errorCode"] == 0
    return body


def _runtime(client: TestClient, headers: dict[str, str], attempt_id: int, sco: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/attempts/{attempt_id}/scos/{sco}/runtime", headers=headers)
    assert response.status_code == 200, response.text
    cmi: dict[str, Any] = response.json()["cmi"]
    return cmi


def test_a_scorm_12_sco_suspends_resumes_and_passes_on_its_mastery_score(
    client: TestClient, db: Session, app: FastAPI
) -> None:
    item_id = _upload(client, db, QUIZ_12)
    version = db.scalars(select(ContentVersion).where(ContentVersion.item_id == item_id)).one()
    assert version.kind == "scorm12" and version.spec["items"][0]["mastery_score"] == 80
    stored = app.state.settings.resolved_content_dir() / version.storage_key
    assert (stored / "quiz.html").is_file() and (stored / "imsmanifest.xml").is_file()
    person_id, lee = _learner(db)
    make_requirement(db, items=[db.get(ContentVersion, version.id).item])  # type: ignore[union-attr]
    db.commit()
    attempt_id = _launch(client, db, item_id, lee)

    player = client.get(f"/api/v1/attempts/{attempt_id}/scorm", headers=lee).json()
    assert player["kind"] == "scorm12" and player["current"] == "quiz"
    assert player["items"][0]["launch_url"] == f"/content/{version.id}/files/quiz.html"
    first = _runtime(client, lee, attempt_id, "quiz")
    assert first["core"]["entry"] == "ab-initio" and first["core"]["student_name"] == "Carter, Lee"
    assert first["core"]["student_id"] == str(person_id) and first["core"]["credit"] == "credit"
    assert first["launch_data"] == "mode=exam" and first["student_data"]["mastery_score"] == "80"

    core = {
        "lesson_status": "incomplete",
        "lesson_location": "page-2",
        "exit": "suspend",
        "session_time": "00:01:00",
    }
    interactions = {"0": {"id": "q1", "type": "choice", "student_response": "b", "result": "correct"}}
    _commit(
        client, lee, attempt_id, "quiz", {"core": core, "suspend_data": "p=2", "interactions": interactions}
    )
    core["session_time"] = "00:02:00"
    body = _commit(client, lee, attempt_id, "quiz", {"core": core, "suspend_data": "p=2"}, terminate=True)
    assert body["attempt"]["status"] == "in_progress" and body["attempt"]["seconds_spent"] == 120

    resumed = _runtime(client, lee, attempt_id, "quiz")
    assert resumed["core"]["entry"] == "resume" and resumed["core"]["lesson_location"] == "page-2"
    assert resumed["suspend_data"] == "p=2" and resumed["core"]["total_time"] == "0000:02:00.00"
    assert "exit" not in resumed["core"] and "session_time" not in resumed["core"]
    assert _launch(client, db, item_id, lee) == attempt_id  # a relaunch carries on with the same attempt

    core2: dict[str, Any] = {"lesson_status": "completed", "exit": "", "session_time": "00:00:30"}
    core2["score"] = {"raw": "85"}
    body = _commit(
        client,
        lee,
        attempt_id,
        "quiz",
        {"core": core2, "interactions": interactions},
        session="s2",
        terminate=True,
    )
    assert body["success_status"] == "passed" and body["attempt"]["status"] == "passed"
    assert body["attempt"]["score"] == 0.85 and body["attempt"]["seconds_spent"] == 150
    completion = db.scalars(select(Completion).where(Completion.person_id == person_id)).one()
    assert completion.source == "content" and completion.item_id == item_id
    assert db.scalar(select(Assignment.completed_on).where(Assignment.person_id == person_id)) is not None
    state = db.scalars(select(ScoState).where(ScoState.attempt_id == attempt_id)).one()
    assert state.cmi["cmi"]["interactions"]["0"]["id"] == "q1" and state.commits == 3
    # The finished attempt opens for review; its commits are not recorded; a new launch is a new attempt.
    review = _runtime(client, lee, attempt_id, "quiz")
    assert review["core"]["lesson_mode"] == "review" and review["core"]["credit"] == "no-credit"
    assert (
        _commit(client, lee, attempt_id, "quiz", {"core": {"lesson_status": "failed"}})["recorded"] is False
    )
    assert _launch(client, db, item_id, lee) != attempt_id


def test_below_the_mastery_score_a_finished_scorm_12_sco_fails(client: TestClient, db: Session) -> None:
    item_id = _upload(client, db, QUIZ_12)
    person_id, lee = _learner(db)
    db.commit()
    attempt_id = _launch(client, db, item_id, lee)
    core = {"lesson_status": "completed", "score": {"raw": "60"}, "exit": "suspend"}
    # Failed and suspended: the learner may come back and try again.
    assert _commit(client, lee, attempt_id, "quiz", {"core": core}, terminate=True)["attempt"]["status"] == (
        "in_progress"
    )
    core["exit"] = ""
    body = _commit(client, lee, attempt_id, "quiz", {"core": core}, terminate=True)
    assert body["attempt"]["status"] == "failed" and body["attempt"]["score"] == 0.6
    assert db.scalar(select(Completion.id).where(Completion.person_id == person_id)) is None


def test_a_two_sco_2004_package_finishes_when_both_are_done(client: TestClient, db: Session) -> None:
    item_id = _upload(client, db, TWO_2004)
    _, lee = _learner(db)
    db.commit()
    attempt_id = _launch(client, db, item_id, lee)
    player = client.get(f"/api/v1/attempts/{attempt_id}/scorm", headers=lee).json()
    assert [i["id"] for i in player["items"]] == ["one", "two"]
    assert player["control"] == {"choice": True, "flow": True, "forward_only": False}
    assert _runtime(client, lee, attempt_id, "two")["scaled_passing_score"] == "0.7"
    assert _runtime(client, lee, attempt_id, "one")["completion_threshold"] == "0.75"

    # The threshold decides completion from the progress measure, whatever the SCO said.
    one = {"completion_status": "incomplete", "progress_measure": "0.8", "session_time": "PT1M"}
    body = _commit(client, lee, attempt_id, "one", one, terminate=True)
    assert body["completion_status"] == "completed" and body["attempt"]["status"] == "in_progress"
    assert body["attempt"]["progress"] == 0.5
    player = client.get(f"/api/v1/attempts/{attempt_id}/scorm", headers=lee).json()
    assert player["current"] == "one"  # where the learner last was
    assert player["items"][0]["completion_status"] == "completed"
    # The passing score decides success from the scaled score.
    two = {"completion_status": "completed", "success_status": "failed", "score": {"scaled": "0.9"}}
    body = _commit(client, lee, attempt_id, "two", two, terminate=True)
    assert body["success_status"] == "passed"
    assert body["attempt"]["status"] == "passed" and body["attempt"]["score"] == 0.9


def test_a_2004_sco_left_normally_starts_afresh_and_time_still_counts(
    client: TestClient, db: Session
) -> None:
    item_id = _upload(client, db, TWO_2004)
    _, lee = _learner(db)
    db.commit()
    attempt_id = _launch(client, db, item_id, lee)
    _commit(client, lee, attempt_id, "one", {"location": "p4", "exit": "normal", "session_time": "PT2M"})
    fresh = _runtime(client, lee, attempt_id, "one")
    assert fresh["entry"] == "ab-initio" and "location" not in fresh and fresh["total_time"] == "PT0H0M0S"
    body = _commit(client, lee, attempt_id, "one", {"location": "p1", "session_time": "PT1M"}, session="s2")
    assert body["attempt"]["seconds_spent"] == 180


def test_only_the_attempts_owner_may_read_or_commit(client: TestClient, db: Session) -> None:
    item_id = _upload(client, db, QUIZ_12)
    boss = make_person(db)
    _, lee = _learner(db, manager_id=boss.id)
    others = [
        bearer(db, make_account(db, make_person(db))),
        bearer(db, make_account(db, boss)),
        bearer(db, make_account(db, auditor=True)),
        bearer(db, make_account(db, ld_admin=True)),
    ]
    db.commit()
    attempt_id = _launch(client, db, item_id, lee)
    base = f"/api/v1/attempts/{attempt_id}"
    for headers in others:
        assert client.get(f"{base}/scorm", headers=headers).status_code == 404
        assert client.get(f"{base}/scos/quiz/runtime", headers=headers).status_code == 404
        url = f"{base}/scos/quiz/runtime?session=x"
        assert client.post(url, json={"cmi": {"core": {}}}, headers=headers).status_code == 404
    assert client.get(f"{base}/scorm").status_code == 401
    assert client.post(f"{base}/scos/quiz/runtime?session=x", json={"cmi": {"core": {}}}).status_code == 401
    assert db.scalar(select(ScoState.id)) is None


def test_a_browser_commits_with_its_session_and_csrf_token(client: TestClient, db: Session) -> None:
    item_id = _upload(client, db, QUIZ_12)
    person = make_person(db)
    login(client, make_account(db, person).email)
    db.commit()
    token = csrf_from(client.get("/catalog").text)
    attempt_id = _launch(client, db, item_id, {})
    url = f"/api/v1/attempts/{attempt_id}/scos/quiz/runtime?session=x"
    body = {"cmi": {"core": {"lesson_status": "incomplete"}}}
    assert client.post(url, json=body).status_code == 403
    assert client.post(url, json=body, headers={"x-csrf-token": token}).status_code == 200


def test_bad_commits_are_refused(client: TestClient, db: Session) -> None:
    item_id = _upload(client, db, QUIZ_12)
    _, lee = _learner(db)
    db.commit()
    attempt_id = _launch(client, db, item_id, lee)
    url = f"/api/v1/attempts/{attempt_id}/scos/quiz/runtime?session=x"

    def post(body: Any, target: str = url) -> tuple[int, str]:
        response = client.post(target, json=body, headers=lee)
        return response.status_code, response.text

    assert post(["not", "an", "object"])[0] == 422
    assert post({"core": {}})[0] == 422  # no "cmi"
    assert post({"cmi": "text"})[0] == 422
    code, text = post({"cmi": {"suspend_data": "x"}})
    assert code == 422 and "cmi.core" in text
    code, text = post({"cmi": {"core": {}, "suspend_data": "x" * 4097}})
    assert code == 422 and "cmi.suspend_data" in text and "4,096" in text
    rows = {str(n): {"id": f"q{n}"} for n in range(1001)}
    assert post({"cmi": {"core": {}, "interactions": rows}})[0] == 422
    assert post({"cmi": {"core": {}}}, url.replace("?session=x", ""))[0] == 422
    assert post({"cmi": {"core": {}}}, url.replace("/quiz/", "/nothing/"))[0] == 404
    assert post({"cmi": {"core": {}}}, url + "&extra=1")[0] == 422
    huge = client.post(
        url,
        content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers=lee | {"content-type": "application/json"},
    )
    assert huge.status_code == 413
    assert db.scalar(select(ScoState.id)) is None
    assert db.get(Attempt, attempt_id).status == "in_progress"  # type: ignore[union-attr]


def _bomb() -> bytes:
    """A package whose one entry declares 10 GB uncompressed (the central directory says so; the bytes
    are a few zeros), built without writing 10 GB anywhere."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", QUIZ_12.manifest())
        archive.writestr("quiz.html", b"\0" * 1000)
        archive.getinfo("quiz.html").file_size = 10 * 1024**3
    return buffer.getvalue()


def test_malformed_packages_are_refused_through_the_upload_and_nothing_is_stored(
    client: TestClient, db: Session, app: FastAPI
) -> None:
    item = make_item(db)
    admin = bearer(db, make_account(db, ld_admin=True))
    db.commit()
    store = app.state.settings.resolved_content_dir()
    before = sorted(p.name for p in store.iterdir()) if store.exists() else []
    files = QUIZ_12.files()
    cases = {
        "imsmanifest.xml, tincan.xml at its root": files,
        "not well-formed XML: line 1": {**files, "imsmanifest.xml": b"<manifest><organizations></manifest>"},
        "which is not in the package": {"imsmanifest.xml": QUIZ_12.manifest().encode()},
        "points outside the package": {
            **files,
            "imsmanifest.xml": QUIZ_12.manifest().encode(),
            "../x.html": b"",
        },
    }
    for message, entries in cases.items():
        data = zipped(entries)
        response = client.post(
            f"/api/v1/catalog/items/{item.id}/content",
            files={"file": ("p.zip", data, "application/zip")},
            headers=admin,
        )
        assert response.status_code == 422 and message in response.text, (message, response.text)
    response = client.post(
        f"/api/v1/catalog/items/{item.id}/content",
        files={"file": ("p.zip", _bomb(), "application/zip")},
        headers=admin,
    )
    assert response.status_code == 422 and "unpacks to more than" in response.text
    after = sorted(p.name for p in store.iterdir()) if store.exists() else []
    assert after == before and db.scalar(select(ContentVersion.id)) is None
