"""A client switched to compatibility has the known deviations of popular tools stored in conformant form
(lrs.compat); every other client stays strict, so one H5P `compound` statement refuses its whole batch.
The statements are shaped as H5P in Moodle (mod_hvp) sends them: a Question Set and the questions in it."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.lrs.clients import create_client
from learnbridge.lrs.models import LrsClient, Statement
from tests.factories import bearer, csrf_from, login, make_account, make_person
from tests.helpers.lrs import basic

PAGE = "/admin/lrs/clients"
QUIZ = "https://moodle.example/mod/hvp/view.php?id=57"
CMI = "http://adlnet.gov/expapi/activities/cmi.interaction"
ANSWERED = {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}}
COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}
LEE = {"name": "Lee Park", "mbox": "mailto:lee.park@example.com", "objectType": "Agent"}


def _h5p(library: str) -> dict[str, Any]:
    return {
        "contextActivities": {
            "category": [{"id": f"http://h5p.org/libraries/{library}", "objectType": "Activity"}]
        }
    }


def _question(sub: str, definition: dict[str, Any], result: dict[str, Any], library: str) -> dict[str, Any]:
    """An answered question inside the Question Set: its parent is the set (H5P's subContentId)."""
    context = _h5p(library)
    context["contextActivities"]["parent"] = [{"id": QUIZ, "objectType": "Activity"}]
    extensions = {
        "http://h5p.org/x-api/h5p-local-content-id": 12,
        "http://h5p.org/x-api/h5p-subContentId": sub,
    }
    return {
        "id": str(uuid.uuid4()),
        "actor": LEE,
        "verb": ANSWERED,
        "object": {
            "id": f"{QUIZ}?subContentId={sub}",
            "objectType": "Activity",
            "definition": {"extensions": extensions, "type": CMI, **definition},
        },
        "context": context,
        "result": result,
    }


def h5p_batch() -> list[dict[str, Any]]:
    """Two valid answered questions, then the Question Set's own `compound` statement."""
    choice = _question(
        "5a3f0c8e-8f0b-4c59-9a1e-7d7c0f3a2b11",
        {
            "name": {"en-US": "Which extinguisher for an electrical fire?"},
            "description": {"en-US": "<p>Which extinguisher for an electrical fire?</p>\n"},
            "interactionType": "choice",
            "correctResponsesPattern": ["1"],
            "choices": [
                {"id": "0", "description": {"en-US": "Water\n"}},
                {"id": "1", "description": {"en-US": "CO2\n"}},
            ],
        },
        {"score": {"min": 0, "max": 1, "raw": 1, "scaled": 1}, "completion": True, "success": True,
         "duration": "PT3.52S", "response": "1"},
        "H5P.MultiChoice-1.16",
    )  # fmt: skip
    true_false = _question(
        "9b1d2e4f-3c5a-4e7b-8d9f-0a1b2c3d4e5f",
        {
            "name": {"en-US": "Fire doors may be wedged open."},
            "description": {"en-US": "<p>Fire doors may be wedged open.</p>\n"},
            "interactionType": "true-false",
            "correctResponsesPattern": ["false"],
        },
        {"score": {"min": 0, "max": 1, "raw": 0, "scaled": 0}, "completion": True, "success": False,
         "duration": "PT7.1S", "response": "true"},
        "H5P.TrueFalse-1.8",
    )  # fmt: skip
    quiz = {
        "id": str(uuid.uuid4()),
        "actor": LEE,
        "verb": COMPLETED,
        "object": {
            "id": QUIZ,
            "objectType": "Activity",
            "definition": {
                "extensions": {"http://h5p.org/x-api/h5p-local-content-id": 12},
                "name": {"en-US": "Fire safety check"},
                "interactionType": "compound",
                "type": CMI,
            },
        },
        "context": _h5p("H5P.QuestionSet-1.20"),
        "result": {"score": {"min": 0, "max": 2, "raw": 1, "scaled": 0.5}, "completion": True,
                   "success": False, "duration": "PT41.27S"},
    }  # fmt: skip
    return [choice, true_false, quiz]


def _headers(db: Session, *, compatibility: bool) -> dict[str, str]:
    made, secret = create_client(
        db, name="Moodle H5P", home_page="http://lms.example", scopes=["all"], compatibility=compatibility
    )
    return {"Authorization": basic(made.key, secret), "X-Experience-API-Version": "1.0.3"}


def _stored(db: Session, ids: list[str]) -> int:
    return db.scalar(select(func.count()).where(Statement.statement_id.in_(ids))) or 0


def test_a_strict_client_loses_the_whole_batch_to_one_compound_statement(
    client: TestClient, db: Session
) -> None:
    batch = h5p_batch()
    refused = client.post("/xapi/statements", json=batch, headers=_headers(db, compatibility=False))
    assert refused.status_code == 400
    assert "interactionType" in refused.json()["error"] and "compound" in refused.json()["error"]
    assert _stored(db, [s["id"] for s in batch]) == 0


def test_a_compatible_client_stores_the_batch_with_compound_as_other(
    client: TestClient, db: Session, app: FastAPI
) -> None:
    batch, headers = h5p_batch(), _headers(db, compatibility=True)
    sent = copy.deepcopy(batch)
    response = client.post("/xapi/statements", json=batch, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == [s["id"] for s in sent] and _stored(db, response.json()) == 3
    original = app.state.settings.base_url.rstrip("/") + "/xapi/extensions/original-interaction-type"
    quiz = client.get("/xapi/statements", params={"statementId": sent[2]["id"]}, headers=headers).json()
    definition = quiz["object"]["definition"]
    assert definition["interactionType"] == "other" and definition["extensions"][original] == "compound"
    assert definition["extensions"]["http://h5p.org/x-api/h5p-local-content-id"] == 12
    assert quiz["result"] == sent[2]["result"] and quiz["verb"] == sent[2]["verb"]
    for question in sent[:2]:  # the valid statements are stored as sent
        got = client.get("/xapi/statements", params={"statementId": question["id"]}, headers=headers).json()
        assert got["object"] == question["object"] and got["result"] == question["result"]
        assert got["context"] == question["context"]
    again = client.post("/xapi/statements", json=sent, headers=headers)  # the same batch resent: no conflict
    assert again.status_code == 200 and _stored(db, again.json()) == 3


def test_a_zero_point_h5p_score_is_kept_in_an_extension(
    client: TestClient, db: Session, app: FastAPI
) -> None:
    """H5P reports content worth no points as min 0, max 0, which breaks 2.4.5.1 (max > min)."""
    presentation = h5p_batch()[2]
    presentation["object"]["definition"].pop("interactionType")
    presentation["result"] = {
        "score": {"min": 0, "max": 0, "raw": 0},
        "completion": True,
        "duration": "PT2M3.5S",
    }
    assert (
        client.post(
            "/xapi/statements", json=presentation, headers=_headers(db, compatibility=False)
        ).status_code
        == 400
    )
    headers = _headers(db, compatibility=True)
    [sid] = client.post("/xapi/statements", json=presentation, headers=headers).json()
    got = client.get("/xapi/statements", params={"statementId": sid}, headers=headers).json()
    original = app.state.settings.base_url.rstrip("/") + "/xapi/extensions/original-score"
    assert got["result"]["score"] == {"raw": 0}
    assert got["result"]["extensions"] == {original: {"min": 0, "max": 0, "raw": 0}}


def test_other_deviations_are_still_refused_with_compatibility_on(client: TestClient, db: Session) -> None:
    broken = h5p_batch()
    broken[0]["result"]["score"]["scaled"] = 1.5
    response = client.post("/xapi/statements", json=broken, headers=_headers(db, compatibility=True))
    assert response.status_code == 400 and "scaled" in response.json()["error"]
    assert _stored(db, [s["id"] for s in broken]) == 0


def _client_named(db: Session, name: str) -> LrsClient:
    found = db.scalar(select(LrsClient).where(LrsClient.name == name))
    assert found is not None
    return found


def test_an_admin_creates_a_compatible_client_and_switches_it(client: TestClient, db: Session) -> None:
    login(client, make_account(db, make_person(db), ld_admin=True).email)
    page = client.get(PAGE).text
    token = csrf_from(page)
    assert "Accept the known deviations of popular tools" in page
    assert 'name="compatibility" checked' not in page  # off by default
    player = ["statements/write", "statements/read/mine", "state"]  # a course player's scopes
    created = client.post(
        PAGE, data={"csrf_token": token, "name": "Moodle H5P", "compatibility": "on", "scopes": player}
    )
    assert created.status_code == 201 and "Off (strict conformance)" not in created.text
    client.post(PAGE, data={"csrf_token": token, "name": "Strict player", "scopes": player})
    h5p, strict = _client_named(db, "Moodle H5P"), _client_named(db, "Strict player")
    assert h5p.compatibility is True and strict.compatibility is False
    on = {"csrf_token": token, "compatibility": "true"}
    switched = client.post(f"{PAGE}/{strict.id}/compatibility", data=on, follow_redirects=False)
    assert switched.status_code == 303
    assert "Strict player now has compatibility on" in client.get(switched.headers["location"]).text
    db.refresh(strict)
    assert strict.compatibility is True
    off = client.post(f"{PAGE}/{strict.id}/compatibility", data={**on, "compatibility": "false"})
    assert "Strict player is held to strict conformance" in off.text
    db.refresh(strict)
    assert strict.compatibility is False
    bad = client.post(f"{PAGE}/{strict.id}/compatibility", data={**on, "compatibility": "yes" * 1000})
    assert bad.status_code == 422
    assert client.post(f"{PAGE}/987654/compatibility", data=on).status_code == 404
    db.refresh(strict)
    assert strict.compatibility is False


def test_only_ld_admins_switch_compatibility(client: TestClient, db: Session) -> None:
    made, _ = create_client(db, name=f"Target {uuid.uuid4().hex[:6]}", home_page="http://lms.example")
    for account in (make_account(db, make_person(db)), make_account(db, make_person(db), auditor=True)):
        client.cookies.clear()
        login(client, account.email)
        token = csrf_from(client.get("/inbox").text)
        form = {"csrf_token": token, "compatibility": "true"}
        assert client.post(f"{PAGE}/{made.id}/compatibility", data=form).status_code == 403
        api = client.post(f"{PAGE}/{made.id}/compatibility", headers=bearer(db, account))
        assert api.status_code == 403
    client.cookies.clear()
    anonymous = client.post(
        f"{PAGE}/{made.id}/compatibility", data={"compatibility": "true"}, follow_redirects=False
    )
    assert anonymous.status_code in (303, 403)
    db.refresh(made)
    assert made.compatibility is False
