"""Certificates: a PDF per standing completion for those who may see the person, with a verification
address on it; the public verify page says valid (whose, what, when) or not valid, and nothing more."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.home.certificates import (
    certificate_code,
    certificate_pdf,
    completion_of_code,
    get_certificate,
)
from tests.integration.home.records_world import World, build, sign_in

SECRET = "test-secret"  # the `app` fixture's secret key


@pytest.fixture
def world(db: Session) -> World:
    return build(db)


def _uri(pdf: bytes) -> str:
    """The verification link's target: link annotations are plain objects, never compressed."""
    match = re.search(rb"/URI \((http[^)]+)\)", pdf)
    assert match, "no link on the certificate"
    return match.group(1).decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("learner", 200), ("manager", 200), ("admin", 200), ("auditor", 200), ("other_manager", 404)],
)
def test_who_may_download_a_certificate(client: TestClient, world: World, who: str, status: int) -> None:
    sign_in(client, getattr(world, who))
    response = client.get(f"/certificates/{world.passed.id}.pdf")
    assert response.status_code == status
    if status == 200:
        assert response.headers["content-type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        code = certificate_code(SECRET, world.passed.id)
        assert _uri(response.content) == f"http://127.0.0.1:8000/certificates/verify/{code}"


def test_no_certificate_for_a_revoked_or_unknown_completion_nor_signed_out(
    client: TestClient, world: World
) -> None:
    assert client.get(f"/certificates/{world.passed.id}.pdf", follow_redirects=False).status_code == 303
    sign_in(client, world.learner)
    assert client.get(f"/certificates/{world.revoked.id}.pdf").status_code == 404
    assert client.get("/certificates/2147483647.pdf").status_code == 404
    assert client.get("/certificates/99999999999999.pdf").status_code == 422


def test_the_certificate_states_who_what_when_and_how(db: Session, world: World) -> None:
    found = get_certificate(db, completion_id=world.passed.id, organisation="Acme Ltd")
    assert found.person_name == "Lee Learner" and not found.revoked
    assert found.line.score_percent == 85 and found.line.source == "quiz"
    assert found.line.expires_on is not None
    pdf = certificate_pdf(found, verify_url="https://lb.example/certificates/verify/x", compress=False)
    assert _uri(pdf) == "https://lb.example/certificates/verify/x"
    # The title is in the document's metadata (UTF-16 when the Unicode font is in use).
    assert b"Information security" in pdf or "Information security".encode("utf-16-be") in pdf


def test_a_name_outside_latin_1_still_prints(db: Session, world: World) -> None:
    world.learner.name = "Łukasz Żółć 李"
    db.flush()
    found = get_certificate(db, completion_id=world.passed.id)
    assert certificate_pdf(found, verify_url="https://lb.example/v").startswith(b"%PDF-")


def test_the_verify_page_says_valid_with_only_name_item_and_date(client: TestClient, world: World) -> None:
    code = certificate_code(SECRET, world.passed.id)
    page = client.get(f"/certificates/verify/{code}")
    assert page.status_code == 200
    assert "This certificate is valid" in page.text
    assert "Lee Learner" in page.text and "Information security" in page.text
    assert world.passed.completed_at.astimezone(dt.UTC).strftime("%d %B %Y") in page.text
    # Nothing else about the person: no e-mail, score, manager or employee id.
    assert world.learner.email
    assert world.learner.email not in page.text
    # What the page says (its <main>), not its head's asset hashes ("?v=c2101fde9850") or CSRF token.
    body = page.text.partition("<main")[2]
    assert "85" not in body and "Maria" not in body and world.learner.external_id not in body


def test_the_verify_page_says_a_revoked_certificate_is_not_valid(client: TestClient, world: World) -> None:
    page = client.get(f"/certificates/verify/{certificate_code(SECRET, world.revoked.id)}")
    assert page.status_code == 200
    assert "not valid" in page.text and "Lee Learner" not in page.text and "Withdrawn" not in page.text


@pytest.mark.parametrize(
    "code",
    ["nonsense", "1-0000000000000000", "99999999999-0123456789abcdef", "1-" + "a" * 5000, "-1-abc", "0-"],
)
def test_a_bad_code_is_not_found(client: TestClient, world: World, code: str) -> None:
    assert client.get(f"/certificates/verify/{code}").status_code == 404


def test_a_code_for_another_completion_does_not_verify(world: World) -> None:
    code = certificate_code(SECRET, world.passed.id)
    forged = f"{world.manual.id}-{code.split('-')[1]}"
    assert completion_of_code(SECRET, code) == world.passed.id
    assert completion_of_code(SECRET, forged) is None
    assert completion_of_code("another key", code) is None
