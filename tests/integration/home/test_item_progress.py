"""Learners' progress on an item: everyone with an attempt, completion or assignment for admins and
auditors, only their reports for a manager; filtered by status, paged, and as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import principal_for
from learnbridge.content.models import AttemptStatus, ContentVersion
from learnbridge.content.service import finish_attempt, start_attempt
from learnbridge.home.progress_views import item_progress, status_counts
from learnbridge.people.models import Person
from tests.factories import make_account, make_person
from tests.integration.home.records_world import World, build, sign_in


@pytest.fixture
def world(db: Session) -> World:
    return build(db)


def _failed(db: Session, world: World, person: Person) -> None:
    version = db.scalars(select(ContentVersion).where(ContentVersion.item_id == world.quiz_item.id)).one()
    attempt = start_attempt(db, person_id=person.id, item=world.quiz_item, version=version)
    finish_attempt(db, attempt, status=AttemptStatus.failed, score=0.4)


def _names(html: str) -> list[str]:
    return [n for n in ("Lee Learner", "Olga Other", "Fiona Failed") if n in html]


@pytest.mark.parametrize(
    ("who", "status", "seen"),
    [
        ("admin", 200, ["Lee Learner", "Olga Other", "Fiona Failed"]),
        ("auditor", 200, ["Lee Learner", "Olga Other", "Fiona Failed"]),
        ("manager", 200, ["Lee Learner", "Fiona Failed"]),
        ("other_manager", 200, ["Olga Other"]),
        ("learner", 403, []),
    ],
)
def test_who_sees_whose_progress(
    client: TestClient, db: Session, world: World, who: str, status: int, seen: list[str]
) -> None:
    _failed(db, world, make_person(db, name="Fiona Failed", manager_id=world.manager.id))
    sign_in(client, getattr(world, who))
    page = client.get(f"/catalog/{world.quiz_item.id}/progress")
    assert page.status_code == status
    exported = client.get(f"/catalog/{world.quiz_item.id}/progress.csv")
    assert exported.status_code == status
    if status == 200:
        assert _names(page.text) == seen and _names(exported.text) == seen


def test_the_page_shows_status_score_time_and_attempts(client: TestClient, world: World) -> None:
    sign_in(client, world.admin)
    page = client.get(f"/catalog/{world.quiz_item.id}/progress").text
    row = page[page.index("Lee Learner") :]
    row = row[: row.index("</tr>")]
    assert "Passed" in row and "85%" in row and "10 min" in row and ">1<" in row
    other = page[page.index("Olga Other") :]
    assert "Not started" in other[: other.index("</tr>")]
    item_page = client.get(f"/catalog/{world.quiz_item.id}").text
    assert f"/catalog/{world.quiz_item.id}/progress" in item_page


def test_filter_by_status_and_counts(client: TestClient, db: Session, world: World) -> None:
    _failed(db, world, make_person(db, name="Fiona Failed"))
    sign_in(client, world.admin)
    page = client.get(f"/catalog/{world.quiz_item.id}/progress?status=failed").text
    assert _names(page) == ["Fiona Failed"]
    assert "Failed (1)" in page and "Passed (1)" in page and "Not started (1)" in page
    principal = principal_for(db, world.admin)
    assert status_counts(db, item_id=world.quiz_item.id, principal=principal) == {
        "not_started": 1,
        "failed": 1,
        "in_progress": 0,
        "completed": 0,
        "passed": 1,
    }
    unknown = client.get(f"/catalog/{world.quiz_item.id}/progress?status=bogus").text
    assert _names(unknown) == ["Lee Learner", "Olga Other", "Fiona Failed"]


def test_pages_follow_each_other_by_name(db: Session, world: World) -> None:
    for n in range(5):
        _failed(db, world, make_person(db, name=f"Zed {n}"))
    principal = principal_for(db, world.admin)
    first = item_progress(db, item_id=world.quiz_item.id, principal=principal, limit=4)
    assert first.next is not None
    second = item_progress(db, item_id=world.quiz_item.id, principal=principal, limit=4, cursor=first.next)
    names = [p.name for p in first.items + second.items]
    assert names == ["Lee Learner", "Olga Other", "Zed 0", "Zed 1", "Zed 2", "Zed 3", "Zed 4"]
    assert second.next is None


def test_a_completion_from_elsewhere_counts_as_completed(
    client: TestClient, db: Session, world: World
) -> None:
    sign_in(client, world.admin)
    exported = client.get(f"/catalog/{world.manual_item.id}/progress.csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:4] == ["Person id", "Employee id", "Name", "Status"]
    assert [(r[2], r[3], r[7]) for r in rows[1:]] == [("Lee Learner", "completed", "0")]


def test_the_csv_neutralises_formulas(client: TestClient, db: Session, world: World) -> None:
    _failed(db, world, make_person(db, name="=cmd|' /C calc'!A0"))
    make_account(db, make_person(db, name="Nobody"))
    sign_in(client, world.admin)
    exported = client.get(f"/catalog/{world.quiz_item.id}/progress.csv").text
    assert "'=cmd|" in exported and "\n=cmd" not in exported


def test_an_unknown_item_is_not_found(client: TestClient, world: World) -> None:
    sign_in(client, world.admin)
    assert client.get("/catalog/2147483647/progress").status_code == 404


def test_signed_out_is_sent_to_sign_in(client: TestClient, world: World) -> None:
    response = client.get(f"/catalog/{world.quiz_item.id}/progress", follow_redirects=False)
    assert response.status_code == 303
