"""The transcript: what a person completed, to them, their managers up the line, L&D and auditors; as a
page, a CSV safe to open in a spreadsheet, and the `/api/v1/me/transcript` shape."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer
from tests.integration.home.records_world import World, build, sign_in


@pytest.fixture
def world(db: Session) -> World:
    return build(db)


def test_the_learner_sees_every_standing_completion_newest_first(client: TestClient, world: World) -> None:
    sign_in(client, world.learner)
    page = client.get("/transcript")
    assert page.status_code == 200
    text = page.text
    assert "My transcript" in text
    assert text.index("Information security") < text.index("HYPERLINK")
    assert "Withdrawn course" not in text
    assert "85%" in text and "Passed the quiz" in text and "Recorded by hand" in text
    assert (
        world.passed.completed_on.replace(year=world.passed.completed_on.year + 1).strftime("%d %b %Y")
        in text
    )
    assert f"/certificates/{world.passed.id}.pdf" in text and f"/certificates/{world.manual.id}.pdf" in text


@pytest.mark.parametrize(
    ("who", "status"),
    [("learner", 200), ("manager", 200), ("admin", 200), ("auditor", 200), ("other_manager", 404)],
)
def test_who_may_see_a_persons_transcript(client: TestClient, world: World, who: str, status: int) -> None:
    sign_in(client, getattr(world, who))
    page = client.get(f"/people/{world.learner.id}/transcript")
    assert page.status_code == status
    csv_file = client.get(f"/people/{world.learner.id}/transcript.csv")
    assert csv_file.status_code == status
    if status == 200:
        assert "Information security" in page.text and "Information security" in csv_file.text


def test_a_signed_out_visitor_is_sent_to_sign_in(client: TestClient, world: World) -> None:
    for path in ("/transcript", f"/people/{world.learner.id}/transcript", "/transcript.csv"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_an_account_without_a_person_has_no_transcript(client: TestClient, world: World) -> None:
    sign_in(client, world.admin)
    assert client.get("/transcript").status_code == 404


def test_the_csv_neutralises_formulas(client: TestClient, world: World) -> None:
    sign_in(client, world.learner)
    response = client.get("/transcript.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:5] == ["Item id", "Item", "Completed at (UTC)", "Source", "Score %"]
    titles = [row[1] for row in rows[1:]]
    assert titles == ["Information security", '\'=HYPERLINK("http://evil")']
    assert rows[1][4] == "85" and rows[1][5]


def test_the_api_lists_the_callers_transcript(client: TestClient, db: Session, world: World) -> None:
    headers = bearer(db, world.learner_account)
    body = client.get("/api/v1/me/transcript", headers=headers).json()
    first = body["items"][0]
    assert {"item", "completed_at", "source", "score", "expires_at"} <= set(first)
    assert first["item"] == {"id": world.quiz_item.id, "title": "Information security"}
    assert first["source"] == "quiz" and first["score"] == pytest.approx(0.85) and first["expires_at"]
    assert [i["item"]["id"] for i in body["items"]] == [world.quiz_item.id, world.manual_item.id]
    assert body["next"] is None
    paged = client.get("/api/v1/me/transcript?limit=1", headers=headers).json()
    assert len(paged["items"]) == 1 and paged["next"]
    rest = client.get(f"/api/v1/me/transcript?limit=1&cursor={paged['next']}", headers=headers).json()
    assert rest["items"][0]["item"]["id"] == world.manual_item.id


def test_the_api_needs_a_person_and_a_token(client: TestClient, db: Session, world: World) -> None:
    assert client.get("/api/v1/me/transcript").status_code == 401
    assert client.get("/api/v1/me/transcript", headers=bearer(db, world.admin)).status_code == 403
    bad = client.get("/api/v1/me/transcript?cursor=nonsense", headers=bearer(db, world.admin))
    assert bad.status_code in (403, 422)
