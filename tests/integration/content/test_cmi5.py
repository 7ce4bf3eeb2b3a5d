"""cmi5 on both databases: the launch (8.1: URL parameters; 10.0: LMS.LaunchData; 9.3.1: launched),
the one-time fetch URL (8.2), launch credentials confined to their actor and registration, the cmi5
statement rules (9.3, 9.5, 9.6), moveOn (13.1.4) and satisfied (9.3.9) through the stream job, and the
completion that satisfies an assignment."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from learnbridge.content import service
from learnbridge.content.cmi5.course import parse_course
from learnbridge.content.models import Attempt, ContentKind
from learnbridge.core.jobs import run_pending
from learnbridge.jobs import job_handlers
from learnbridge.lrs.launch_rules import VERBS
from learnbridge.lrs.models import Document, Statement
from learnbridge.push.models import Assignment
from tests.factories import csrf_from, login, make_account, make_item, make_person, make_requirement
from tests.helpers.cmi5 import Au, cmi5_course, path, session_id
from tests.helpers.lrs import lrs_headers, post, statement

SATISFIED = VERBS["satisfied"]


@dataclass
class Learner:
    client: TestClient
    attempt: Attempt
    csrf: str

    def launch(self, au: int = 0) -> Au:
        response = self.client.post(
            f"/attempts/{self.attempt.id}/cmi5/launch",
            data={"au": str(au), "csrf_token": self.csrf},
            headers={"Accept": "application/json"},
        )
        assert response.status_code == 200, response.text
        return Au.from_url(response.json()["url"])


def learner_on(client: TestClient, db: Session, *aus: dict[str, str], requirement: bool = False) -> Learner:
    person = make_person(db)
    login_as = make_account(db, person)
    item = make_item(db, title="Fire safety")
    parsed = parse_course(cmi5_course(*aus), external=False)
    service.add_version(
        db, item_id=item.id, kind=ContentKind.cmi5, spec=parsed.spec, title=parsed.title, storage_key="fire"
    )
    if requirement:
        make_requirement(db, items=[item])
    attempt = service.launch(db, person_id=person.id, item_id=item.id)
    db.commit()
    login(client, login_as.email)
    return Learner(client, attempt, csrf_from(client.get("/").text))


def run_jobs(client: TestClient, sessions: sessionmaker[Session], db: Session) -> None:
    """The queued jobs (the stream among them), as a worker runs them; the test's session then reads
    what they wrote, as the next request would."""
    settings = client.app.state.settings  # type: ignore[attr-defined]
    run_pending(sessions, job_handlers(settings), worker_id="test")
    db.expire_all()


def statements_in(db: Session, registration: str, verb: str) -> list[dict[str, Any]]:
    rows = db.scalars(
        select(Statement.full).where(Statement.registration == registration, Statement.verb_id == VERBS[verb])
    )
    return [json.loads(row) for row in rows]


def test_a_launch_writes_launch_data_and_launched_before_the_au_opens(
    client: TestClient, db: Session
) -> None:
    learner = learner_on(client, db, {"moveOn": "Passed", "masteryScore": "0.8", "launchMethod": "AnyWindow"})
    au = learner.launch()
    registration = learner.attempt.registration
    assert set(au.params) == {"endpoint", "fetch", "actor", "registration", "activityId"}
    assert au.url.startswith(f"http://testserver/content/{learner.attempt.version_id}/files/au0/index.html?")
    assert au.params["endpoint"] == "http://testserver/xapi/" and au.params["registration"] == registration
    assert au.params["activityId"] != "https://example.org/fire/au/0"  # 8.1: not the publisher id
    assert au.actor["account"]["name"] == learner.attempt.person.external_id and "mbox" not in au.actor
    au.start(client)
    assert au.launch_data["launchMode"] == "Normal" and au.launch_data["moveOn"] == "Passed"
    assert au.launch_data["masteryScore"] == 0.8
    assert au.launch_data["contextTemplate"]["contextActivities"]["grouping"] == [
        {"id": "https://example.org/fire/au/0"}
    ]
    [launched] = statements_in(db, registration, "launched")
    extensions = launched["context"]["extensions"]
    assert launched["object"]["id"] == au.params["activityId"]
    assert extensions["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] == session_id(au)
    assert extensions["https://w3id.org/xapi/cmi5/context/extensions/launchmode"] == "Normal"
    assert extensions["https://w3id.org/xapi/cmi5/context/extensions/moveon"] == "Passed"
    assert extensions["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] == 0.8
    assert extensions["https://w3id.org/xapi/cmi5/context/extensions/launchurl"].endswith("/au0/index.html")
    preferences = db.scalar(select(Document).where(Document.document_id == "cmi5LearnerPreferences"))
    assert preferences is not None


def test_the_fetch_url_answers_once(client: TestClient, db: Session) -> None:
    au = learner_on(client, db, {"moveOn": "Completed"}).launch()
    client.cookies.clear()  # the AU needs no session: the URL is the credential
    first = client.post(path(au.params["fetch"]))
    assert first.status_code == 200 and "auth-token" in first.json()
    again = client.post(path(au.params["fetch"]))
    assert again.status_code == 200 and again.json()["error-code"] == "1"
    unknown = client.post("/content/cmi5/fetch/not-a-token")
    assert unknown.json()["error-code"] == "2"
    assert client.get(path(au.params["fetch"])).status_code == 405  # 8.2.1: POST only


def test_launch_credentials_are_confined_to_their_actor_and_registration(
    client: TestClient, db: Session
) -> None:
    au = learner_on(client, db, {"moveOn": "Completed"}).launch().start(client)
    assert au.send(client, au.statement("initialized")).status_code == 200
    stranger = {**au.statement("completed", completion=True), "actor": {"mbox": "mailto:other@example.org"}}
    assert au.send(client, stranger).status_code == 403
    elsewhere = au.statement("completed", completion=True)
    elsewhere["context"]["registration"] = "0b2d6d8e-5a8e-4a0e-9b1c-1d2e3f4a5b6c"
    assert au.send(client, elsewhere).status_code == 403
    state = {
        "activityId": au.params["activityId"],
        "stateId": "LMS.LaunchData",
        "registration": au.params["registration"],
    }
    others = client.get(
        "/xapi/activities/state",
        params={**state, "agent": '{"mbox":"mailto:x@example.org"}'},
        headers=au.headers,
    )
    assert others.status_code == 403
    overwrite = client.put(
        "/xapi/activities/state",
        params={**state, "agent": au.params["actor"]},
        json={"launchMode": "Review"},
        headers=au.headers,
    )
    assert overwrite.status_code == 403  # cmi5 10.0: the AU must not modify LMS.LaunchData
    voiding = {
        **au.statement("completed"),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": "9b2d6d8e-5a8e-4a0e-9b1c-1d2e3f4a5b6c"},
    }
    assert au.send(client, voiding).status_code == 403  # cmi5 6.3
    read = client.get(
        "/xapi/statements", params={"agent": '{"mbox":"mailto:x@example.org"}'}, headers=au.headers
    )
    assert read.status_code == 403
    mine = client.get("/xapi/statements", headers=au.headers).json()["statements"]
    assert [s["verb"]["id"] for s in mine] == [VERBS["initialized"]]
    tool = lrs_headers(db, scopes=["all"])  # the LRS clients' credentials keep working beside them
    post(client, tool, statement())


@pytest.mark.parametrize(
    ("sent", "status", "message"),
    [
        ([("completed", {"completion": True})], 400, "must be initialized"),
        ([("initialized", {}), ("initialized", {})], 400, "already sent in this session"),
        ([("initialized", {}), ("passed", {"success": True, "score": {"scaled": 0.5}})], 400, "masteryScore"),
        ([("initialized", {}), ("failed", {"success": False, "score": {"scaled": 0.9}})], 400, "below"),
        ([("initialized", {}), ("completed", {})], 400, "completion true"),
        ([("initialized", {}), ("passed", {"success": False})], 400, "result.success True"),
        ([("initialized", {}), ("satisfied", {})], 400, "an AU sends only"),
        ([("initialized", {}), ("terminated", {}), ("completed", {"completion": True})], 403, "has ended"),
    ],
)
def test_the_cmi5_statement_rules_are_kept(
    client: TestClient, db: Session, sent: list[tuple[str, dict[str, Any]]], status: int, message: str
) -> None:
    au = learner_on(client, db, {"moveOn": "Passed", "masteryScore": "0.8"}).launch().start(client)
    *before, last = sent
    for verb, result in before:
        assert au.send(client, au.statement(verb, **result)).status_code == 200
    refused = au.send(client, au.statement(last[0], **last[1]))
    assert refused.status_code == status and message in refused.json()["error"], refused.text


def test_one_completed_per_registration_and_no_failed_after_passed(client: TestClient, db: Session) -> None:
    learner = learner_on(client, db, {"moveOn": "CompletedAndPassed"}, {"moveOn": "Completed"})
    first = learner.launch().start(client)
    ok = first.send(
        client,
        first.statement("initialized"),
        first.statement("completed", completion=True),
        first.statement("passed", success=True),
        first.statement("terminated"),
    )
    assert ok.status_code == 200, ok.text
    second = learner.launch().start(client)
    assert second.send(client, second.statement("initialized")).status_code == 200
    again = second.send(client, second.statement("completed", completion=True))
    assert (
        again.status_code == 400 and "only one completed statement per registration" in again.json()["error"]
    )
    failed = second.send(client, second.statement("failed", success=False))
    assert failed.status_code == 400 and "failed may not follow passed" in failed.json()["error"]


def test_a_new_launch_abandons_a_session_that_never_terminated(client: TestClient, db: Session) -> None:
    learner = learner_on(client, db, {"moveOn": "Completed"}, {"moveOn": "Completed"})
    first = learner.launch(0).start(client)
    first.send(client, first.statement("initialized"))
    learner.launch(1)
    [abandoned] = statements_in(db, learner.attempt.registration, "abandoned")
    assert abandoned["object"]["id"] == first.params["activityId"] and "duration" in abandoned["result"]
    assert first.send(client, first.statement("terminated")).status_code == 403  # 9.3.6: nothing more


MOVE_ON_CASES = [
    ("Completed", ["completed"], True),
    ("Completed", ["passed"], False),
    ("Passed", ["passed"], True),
    ("Passed", ["completed"], False),
    ("CompletedAndPassed", ["completed"], False),
    ("CompletedAndPassed", ["completed", "passed"], True),
    ("CompletedOrPassed", ["passed"], True),
    ("CompletedOrPassed", ["completed"], True),
    ("CompletedOrPassed", ["failed"], False),
]
RESULTS: dict[str, dict[str, Any]] = {
    "completed": {"completion": True},
    "passed": {"success": True, "score": {"scaled": 0.9}},
    "failed": {"success": False, "score": {"scaled": 0.2}},
}


@pytest.mark.parametrize(("move_on", "verbs", "satisfied"), MOVE_ON_CASES)
def test_move_on_decides_when_the_course_is_satisfied(
    client: TestClient,
    db: Session,
    sessions: sessionmaker[Session],
    move_on: str,
    verbs: list[str],
    satisfied: bool,
) -> None:
    learner = learner_on(client, db, {"moveOn": move_on}, {"moveOn": "NotApplicable"}, requirement=True)
    au = learner.launch().start(client)
    sent = [
        au.statement("initialized"),
        *(au.statement(v, **RESULTS[v]) for v in verbs),
        au.statement("terminated"),
    ]
    assert au.send(client, *sent).status_code == 200
    run_jobs(client, sessions, db)
    attempt = db.get(Attempt, learner.attempt.id)
    assert attempt is not None
    course = statements_in(db, attempt.registration, "satisfied")
    assignment = db.scalar(select(Assignment).where(Assignment.person_id == attempt.person_id))
    assert assignment is not None
    if satisfied:
        assert attempt.status == ("passed" if "passed" in verbs else "completed")
        assert [s["object"]["definition"]["type"] for s in course] == [
            "https://w3id.org/xapi/cmi5/activitytype/course"
        ]
        assert course[0]["context"]["registration"] == attempt.registration
        assert course[0]["context"]["extensions"][
            "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
        ] == session_id(au)
        assert attempt.completion_id is not None and assignment.completed_on is not None
    else:
        assert attempt.status == "in_progress" and course == [] and assignment.completed_on is None


def test_a_course_of_not_applicable_aus_is_satisfied_at_its_first_launch(
    client: TestClient, db: Session
) -> None:
    learner = learner_on(client, db, {"moveOn": "NotApplicable"})
    learner.launch()
    db.expire_all()
    attempt = db.get(Attempt, learner.attempt.id)
    assert attempt is not None and attempt.status == "completed"
    assert len(statements_in(db, attempt.registration, "satisfied")) == 1


def test_a_finished_attempt_reopens_its_aus_in_review_mode(
    client: TestClient, db: Session, sessions: sessionmaker[Session]
) -> None:
    learner = learner_on(client, db, {"moveOn": "Completed"})
    au = learner.launch().start(client)
    au.send(
        client,
        au.statement("initialized"),
        au.statement("completed", completion=True),
        au.statement("terminated"),
    )
    run_jobs(client, sessions, db)
    review = learner.launch().start(client)
    assert review.launch_data["launchMode"] == "Review"
    assert review.send(client, review.statement("initialized")).status_code == 200
    refused = review.send(client, review.statement("completed", completion=True))
    assert refused.status_code == 400 and "Review mode" in refused.json()["error"]


def test_only_the_learner_launches_their_attempt(client: TestClient, db: Session) -> None:
    learner = learner_on(client, db, {"moveOn": "Completed"})
    other = make_account(db, make_person(db), ld_admin=True)
    db.commit()
    client.cookies.clear()
    anonymous = client.post(f"/attempts/{learner.attempt.id}/cmi5/launch", data={"au": "0"})
    assert anonymous.status_code in (401, 403)
    login(client, other.email)
    csrf = csrf_from(client.get("/").text)
    foreign = client.post(f"/attempts/{learner.attempt.id}/cmi5/launch", data={"au": "0", "csrf_token": csrf})
    assert foreign.status_code == 404  # even an L&D admin does not launch someone else's attempt
    assert client.get(f"/attempts/{learner.attempt.id}/cmi5/status").status_code == 404
