"""Built-in quizzes: added as JSON (API and the admin's form), taken through the page's plain form,
marked with feedback, passed or failed with their score, retried within the attempts limit, each answer
an `answered` statement; the post-test and the main quiz complete the item (source `quiz`), a pre-test
never does."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.catalog.models import LearningItem
from learnbridge.content.models import Attempt, ContentVersion
from learnbridge.core.jobs import Job
from learnbridge.lrs.validate import validate_statement
from learnbridge.push.models import Assignment
from learnbridge.records.models import Completion
from learnbridge.records.platform_events import JOB, from_payload
from learnbridge.records.platform_statements import statement
from tests.factories import bearer, csrf_from, login, make_account, make_item, make_person, make_requirement

QUIZ: dict[str, Any] = {
    "kind": "quiz",
    "title": "Forklift checks",
    "pass_mark": 75,
    "attempts_limit": 2,
    "questions": [
        {
            "kind": "single",
            "text": "When do you check the forks?",
            "choices": [{"text": "Before every shift", "correct": True}, {"text": "Once a month"}],
            "feedback": {"correct": "Right: every shift.", "incorrect": "Check them before every shift."},
        },
        {
            "kind": "multiple",
            "text": "Which do you check?",
            "choices": [
                {"text": "Tyres", "correct": True},
                {"text": "Radio"},
                {"text": "Brakes", "correct": True},
            ],
        },
        {"kind": "true_false", "text": "A faulty truck may be driven carefully.", "answer": False},
        {"kind": "short", "text": "Who do you tell about a fault?", "accepted": ["team leader"]},
    ],
}
RIGHT = {"q0": "0", "q1": ["0", "2"], "q2": "1", "q3": "  Team Leader "}
WRONG = {"q0": "1", "q1": ["1"], "q2": "0", "q3": "nobody"}


def _add(client: TestClient, db: Session, item: LearningItem, body: dict[str, Any] = QUIZ) -> int:
    admin = bearer(db, make_account(db, ld_admin=True))
    db.commit()
    made = client.post(f"/api/v1/catalog/items/{item.id}/content", json=body, headers=admin)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _learner(client: TestClient, db: Session, item: LearningItem) -> int:
    person = make_person(db)
    make_account(db, person)
    make_requirement(db, items=[item])
    db.commit()
    login(client, person.email or "")
    return person.id


def _take(
    client: TestClient, item: LearningItem, answers: dict[str, Any], slot: str = "main"
) -> tuple[int, str]:
    page = client.get(f"/items/{item.id}/launch?slot={slot}")
    assert page.status_code == 200, page.text
    attempt_id = int(page.url.path.rsplit("/", 1)[1])
    done = client.post(f"/attempts/{attempt_id}/quiz", data={"csrf_token": csrf_from(page.text), **answers})
    assert done.status_code == 200 and done.url.path == f"/attempts/{attempt_id}"
    return attempt_id, done.text


def _completed(db: Session, person_id: int) -> bool:
    db.expire_all()
    return db.scalar(select(Assignment.completed_on).where(Assignment.person_id == person_id)) is not None


def test_failing_then_passing_a_quiz_completes_the_item(client: TestClient, db: Session) -> None:
    item = make_item(db, title="Forklift checks")
    _add(client, db, item)
    person_id = _learner(client, db, item)
    first, text = _take(client, item, WRONG)
    assert (
        "Not passed: 0%" in text
        and "Check them before every shift." in text
        and "The pass mark is 75%" in text
    )
    assert "You have 1 attempt left." in text and f'href="/items/{item.id}/launch?slot=main"' in text
    assert "Submit answers" not in text and not _completed(db, person_id)
    attempt = db.get(Attempt, first)
    assert attempt is not None and attempt.status == "failed" and attempt.score == 0
    assert attempt.data["answers"] == {"0": ["1"], "1": ["1"], "2": ["0"], "3": ["nobody"]}
    assert db.scalar(select(Completion.id).where(Completion.person_id == person_id)) is None
    second, text = _take(client, item, RIGHT)
    assert (
        second != first
        and "Passed: 100%" in text
        and "Right: every shift." in text
        and "Try again" not in text
    )
    completion = db.scalars(select(Completion).where(Completion.person_id == person_id)).one()
    assert (
        completion.source == "quiz"
        and completion.reference == f"attempt:{second}"
        and _completed(db, person_id)
    )
    progress = client.get(f"/api/v1/me/items/{item.id}/progress").json()
    assert progress == {"status": "passed", "score": 1.0, "attempts": 2}


def test_every_answer_is_an_answered_statement(client: TestClient, db: Session) -> None:
    item = make_item(db)
    version_id = _add(client, db, item)
    _learner(client, db, item)
    attempt_id, _ = _take(client, item, {**RIGHT, "q0": "1"})
    events = [e for job in db.scalars(select(Job).where(Job.kind == JOB)) for e in job.payload["events"]]
    answered = [e for e in events if e["verb"] == "answered"]
    assert [e["result"] for e in answered] == [
        {"response": "choice-1", "success": False},
        {"response": "choice-0[,]choice-2", "success": True},
        {"response": "false", "success": True},
        {"response": "Team Leader", "success": True},
    ]
    assert answered[0]["activity"]["id"] == f"/catalog/{item.id}/content/{version_id}/questions/1"
    assert answered[0]["activity"]["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert answered[0]["parents"][0]["id"] == f"/catalog/{item.id}"
    attempt = db.get(Attempt, attempt_id)
    assert attempt is not None and {e["registration"] for e in answered} == {attempt.registration}
    [passed] = [e for e in events if e["verb"] == "passed"]
    assert passed["result"]["score"] == {"scaled": 0.75} and passed["result"]["success"] is True
    # Each is a valid xAPI statement once the platform writes it.
    actor = {"objectType": "Agent", "name": "Lee", "mbox": "mailto:lee@example.org"}
    for event in answered:
        built = statement(from_payload(event), actor=actor, base_url="https://lb.example")  # type: ignore[arg-type]
        checked = validate_statement(built, version="1.0.3")
        assert checked["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"


def test_the_attempts_limit_is_enforced_with_a_clear_message(client: TestClient, db: Session) -> None:
    item = make_item(db)
    _add(client, db, item, QUIZ | {"attempts_limit": 1})
    _learner(client, db, item)
    attempt_id, text = _take(client, item, WRONG)
    assert "You have used all your attempts at this quiz." in text and "Try again" not in text
    refused = client.get(f"/items/{item.id}/launch")
    assert refused.status_code == 409 and "You have used all 1 attempts" in refused.text
    token = csrf_from(client.get(f"/attempts/{attempt_id}").text)
    again = client.post(f"/attempts/{attempt_id}/quiz", data={"csrf_token": token, **RIGHT})
    assert again.status_code == 409  # a marked attempt is not marked again


def test_a_pre_test_never_completes_and_a_post_test_does(client: TestClient, db: Session) -> None:
    item = make_item(db)
    pre = _add(client, db, item, QUIZ | {"slot": "pre_test", "title": "Before"})
    post = _add(client, db, item, QUIZ | {"slot": "post_test", "title": "After"})
    assert {db.get(ContentVersion, pre).slot, db.get(ContentVersion, post).slot} == {"pre_test", "post_test"}  # type: ignore[union-attr]
    person_id = _learner(client, db, item)
    _, text = _take(client, item, RIGHT, slot="pre_test")
    assert "Passed: 100%" in text and not _completed(db, person_id)
    assert db.scalar(select(Completion.id).where(Completion.person_id == person_id)) is None
    _, text = _take(client, item, RIGHT, slot="post_test")
    assert "Passed" in text and _completed(db, person_id)
    assert db.scalars(select(Completion.source).where(Completion.person_id == person_id)).one() == "quiz"


def test_shuffled_questions_keep_their_order_for_the_attempt(client: TestClient, db: Session) -> None:
    item = make_item(db)
    _add(client, db, item, QUIZ | {"shuffle": True, "attempts_limit": None})
    _learner(client, db, item)
    orders = set()
    for _ in range(6):
        page = client.get(f"/items/{item.id}/launch")
        order = tuple(re.findall(r'name="(q\d)"', page.text))
        assert (
            tuple(re.findall(r'name="(q\d)"', client.get(page.url.path).text)) == order
        )  # a reload keeps it
        orders.add(tuple(dict.fromkeys(order)))
        client.post(f"{page.url.path}/quiz", data={"csrf_token": csrf_from(page.text), **WRONG})
    assert len(orders) > 1
    attempt = db.scalars(select(Attempt).order_by(Attempt.id.desc())).first()
    assert attempt is not None and sorted(q for q, _ in attempt.data["layout"]) == [0, 1, 2, 3]


def test_the_quiz_api_lists_questions_without_answers_and_marks(client: TestClient, db: Session) -> None:
    item = make_item(db)
    _add(client, db, item)
    person = make_person(db)
    headers = bearer(db, make_account(db, person))
    db.commit()
    client.get(f"/items/{item.id}/launch", headers=headers)
    attempt = db.scalars(select(Attempt).where(Attempt.person_id == person.id)).one()
    quiz = client.get(f"/api/v1/attempts/{attempt.id}/quiz", headers=headers).json()
    assert (
        quiz["title"] == "Forklift checks" and "correct" not in str(quiz) and "team leader" not in str(quiz)
    )
    url = f"/api/v1/attempts/{attempt.id}/quiz-answers"
    marked = client.post(
        url, json={"answers": {"0": ["0"], "1": ["0", "2"], "2": ["1"]}}, headers=headers
    ).json()
    assert marked["status"] == "passed" and marked["score"] == 0.75 and marked["passed"] is True
    assert [q["correct"] for q in marked["questions"]] == [True, True, True, False]
    assert client.post(url, json={"answers": {}}, headers=headers).status_code == 409
    other = bearer(db, make_account(db, make_person(db)))
    auditor = bearer(db, make_account(db, auditor=True))
    db.commit()
    assert client.get(f"/api/v1/attempts/{attempt.id}/quiz", headers=other).status_code == 404
    assert client.get(f"/api/v1/attempts/{attempt.id}/quiz", headers=auditor).status_code == 403
    assert client.get(f"/api/v1/attempts/{attempt.id}/quiz").status_code == 401


def test_a_bad_quiz_is_refused_naming_the_field(client: TestClient, db: Session) -> None:
    item = make_item(db)
    admin = bearer(db, make_account(db, ld_admin=True))
    db.commit()
    bad = QUIZ | {"questions": [{"kind": "single", "text": "?", "choices": [{"text": "a"}, {"text": "b"}]}]}
    r = client.post(f"/api/v1/catalog/items/{item.id}/content", json=bad, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "field": "questions.0.choices",
            "message": "a single-choice question needs exactly one correct choice",
        }
    ]


def test_the_admin_pastes_a_quiz_into_the_upload_form(client: TestClient, db: Session) -> None:
    item = make_item(db)
    admin = make_account(db, ld_admin=True)
    db.commit()
    login(client, admin.email)
    token = csrf_from(client.get(f"/admin/catalog/{item.id}/content").text)
    url = f"/admin/catalog/{item.id}/content"

    done = client.post(
        url, data={"csrf_token": token, "kind": "quiz", "quiz": json.dumps(QUIZ | {"slot": "post_test"})}
    )
    assert done.status_code == 200 and "Version 1 added" in done.text and "Post-test" in done.text
    bad = client.post(url, data={"csrf_token": token, "kind": "quiz", "quiz": "{not json"})
    assert bad.status_code == 422 and "not valid JSON" in bad.text
