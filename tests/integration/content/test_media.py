"""Videos and documents: uploaded (told by their bytes), played through the progress endpoint the page
calls, completed at the version's share (or the last page, or "Mark as read"), completions recorded with
source `content` and applied to assignments, and nobody but the learner reporting on their attempt."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.catalog.models import LearningItem
from learnbridge.content.media.demo import forklift_captions, forklift_video, handbook_pdf
from learnbridge.content.models import Attempt, ContentVersion
from learnbridge.push.models import Assignment
from learnbridge.records.models import Completion
from tests.factories import bearer, csrf_from, login, make_account, make_item, make_person, make_requirement

VIDEO = forklift_video()  # 13 s of WebM


def _upload(client: TestClient, db: Session, item_id: int, name: str, data: bytes, **fields: str) -> int:
    admin = bearer(db, make_account(db, ld_admin=True))
    db.commit()
    made = client.post(
        f"/api/v1/catalog/items/{item_id}/content",
        files={"file": (name, data, "application/octet-stream")},
        data=fields,
        headers=admin,
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _start(client: TestClient, db: Session, item_id: int) -> tuple[Attempt, str]:
    """A learner assigned the item signs in and opens it: their attempt and the page's CSRF token."""
    person = make_person(db)
    make_account(db, person)
    item = db.get(LearningItem, item_id)
    assert item is not None
    make_requirement(db, items=[item])
    db.commit()
    login(client, person.email or "")
    page = client.get(f"/items/{item_id}/launch")
    assert page.status_code == 200
    attempt = db.scalars(select(Attempt).where(Attempt.person_id == person.id)).one()
    return attempt, csrf_from(page.text)


def _report(client: TestClient, attempt: Attempt, token: str, **body: object) -> dict[str, object]:
    r = client.post(
        f"/api/v1/attempts/{attempt.id}/media-progress", json=body, headers={"X-CSRF-Token": token}
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def _assignment_done(db: Session, person_id: int) -> bool:
    db.expire_all()
    return db.scalar(select(Assignment.completed_on).where(Assignment.person_id == person_id)) is not None


def test_a_video_is_completed_by_watching_its_share_not_by_seeking(
    client: TestClient, db: Session, app: FastAPI
) -> None:
    item = make_item(db, title="Forklift pre-use check")
    version_id = _upload(
        client, db, item.id, "clip.bin", VIDEO, captions=forklift_captions(), complete_share="0.9"
    )
    version = db.get(ContentVersion, version_id)
    assert version is not None and version.kind == "video" and version.spec["captions"] == "captions.vtt"
    attempt, token = _start(client, db, item.id)
    page = client.get(f"/attempts/{attempt.id}")
    assert f'src="/content/{version_id}/files/video.webm" type="video/webm"' in page.text
    assert f'<track kind="captions" src="/content/{version_id}/files/captions.vtt"' in page.text
    captions = client.get(f"/content/{version_id}/files/captions.vtt")
    assert (
        captions.headers["content-type"].startswith("text/vtt") and "Forklift pre-use check" in captions.text
    )
    # Three seconds watched, then a jump to the end: 4 of 13 seconds, far from the share.
    _report(client, attempt, token, played=[[0, 3]], position=3, duration=13, seconds=3)
    out = _report(client, attempt, token, played=[[12, 13]], position=13, duration=13, seconds=1)
    assert out["status"] == "in_progress" and 0.3 < float(out["progress"]) < 0.31  # type: ignore[arg-type]
    # A report cannot shrink the timeline to make what was watched enough.
    out = _report(client, attempt, token, played=[], position=13, duration=4, seconds=0)
    assert out["status"] == "in_progress"
    db.expire_all()
    assert attempt.data["watched"] == [[0, 3], [12, 13]] and attempt.location == "13.0"
    assert attempt.seconds_spent == 4
    # Watching the middle (twice over: counted once) reaches 90%.
    _report(client, attempt, token, played=[[3, 8], [4, 7]], position=8, duration=13, seconds=5)
    assert not _assignment_done(db, attempt.person_id)
    out = _report(client, attempt, token, played=[[8, 10.8]], position=10.8, duration=13, seconds=3)
    assert out["status"] == "completed" and out["progress"] == 1.0
    completion = db.scalars(select(Completion).where(Completion.person_id == attempt.person_id)).one()
    assert completion.source == "content" and completion.reference == f"attempt:{attempt.id}"
    assert _assignment_done(db, attempt.person_id)
    # Reports after the end change nothing.
    assert _report(client, attempt, token, played=[[0, 13]], duration=13)["status"] == "completed"
    assert client.get(f"/api/v1/me/items/{item.id}/progress").json()["status"] == "completed"


def test_the_player_resumes_where_it_stopped(client: TestClient, db: Session) -> None:
    item = make_item(db)
    _upload(client, db, item.id, "clip.webm", VIDEO)
    attempt, token = _start(client, db, item.id)
    _report(client, attempt, token, played=[[0, 6.25]], position=6.25, duration=13, seconds=6)
    again = client.get(f"/items/{item.id}/launch")
    assert again.url.path == f"/attempts/{attempt.id}" and 'data-resume="6.2"' in again.text
    assert 'Watched: <span id="video-watched">48</span>%' in again.text


def test_a_video_address_plays_from_its_site_with_our_captions(client: TestClient, db: Session) -> None:
    item = make_item(db)
    admin = bearer(db, make_account(db, ld_admin=True))
    db.commit()
    body = {"kind": "video", "url": "https://media.example/forklift.mp4", "captions": forklift_captions()}
    made = client.post(f"/api/v1/catalog/items/{item.id}/content", json=body, headers=admin)
    assert made.status_code == 201 and made.json()["kind"] == "video"
    attempt, _ = _start(client, db, item.id)
    page = client.get(f"/attempts/{attempt.id}")
    version_id = made.json()["id"]
    assert 'src="https://media.example/forklift.mp4"' in page.text
    assert f'src="/content/{version_id}/captions.vtt"' in page.text
    assert "media-src 'self' https://media.example" in page.headers["content-security-policy"]
    captions = client.get(f"/content/{version_id}/captions.vtt")
    assert captions.status_code == 200 and captions.text.startswith("WEBVTT")
    assert client.get("/content/999999/captions.vtt").status_code == 404
    bad = client.post(
        f"/api/v1/catalog/items/{item.id}/content", json=body | {"captions": "not vtt"}, headers=admin
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "captions"


def test_a_document_is_completed_at_its_last_page(client: TestClient, db: Session) -> None:
    item = make_item(db, title="Warehouse safety handbook")
    version_id = _upload(client, db, item.id, "handbook.pdf", handbook_pdf())
    version = db.get(ContentVersion, version_id)
    assert version is not None and version.kind == "document" and version.spec["pages"] == 5
    attempt, token = _start(client, db, item.id)
    page = client.get(f"/attempts/{attempt.id}")
    assert (
        f'data-src="/content/{version_id}/files/document.pdf"' in page.text and ">Mark as read<" in page.text
    )
    pdf = client.get(f"/content/{version_id}/files/document.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    # The page count is the file's own: a viewer saying "2 of 2" does not finish a 5-page document.
    out = _report(client, attempt, token, page=2, pages=2, seconds=20)
    assert out["status"] == "in_progress" and out["progress"] == 0.4 and out["location"] == "2"
    _report(client, attempt, token, page=4, pages=5)
    out = _report(client, attempt, token, page=1, pages=5)
    assert out["progress"] == 0.8 and out["location"] == "1"  # the furthest page is kept
    assert 'data-page="1"' in client.get(f"/attempts/{attempt.id}").text
    out = _report(client, attempt, token, page=5, pages=5)
    assert out["status"] == "completed"
    completion = db.scalars(select(Completion).where(Completion.person_id == attempt.person_id)).one()
    assert completion.source == "content" and _assignment_done(db, attempt.person_id)
    assert _report(client, attempt, token, page=1, pages=5)["location"] == "5"  # finished: nothing changes


def test_mark_as_read_completes_a_document(client: TestClient, db: Session) -> None:
    item = make_item(db)
    _upload(client, db, item.id, "handbook.pdf", handbook_pdf())
    attempt, token = _start(client, db, item.id)
    assert (
        client.post(
            f"/api/v1/attempts/{attempt.id}/media-progress",
            json={"seconds": 3},
            headers={"X-CSRF-Token": token},
        ).status_code
        == 422
    )
    done = client.post(f"/attempts/{attempt.id}/read", data={"csrf_token": token})
    assert done.status_code == 200 and "marked as read" in done.text and "Mark as read" not in done.text
    assert _assignment_done(db, attempt.person_id)


def test_only_the_learner_reports_on_their_attempt(client: TestClient, db: Session) -> None:
    item = make_item(db)
    _upload(client, db, item.id, "clip.webm", VIDEO)
    manager = make_person(db)
    attempt, token = _start(client, db, item.id)
    learner = db.get(type(manager), attempt.person_id)
    assert learner is not None
    learner.manager_id = manager.id
    body = {"played": [[0, 13]], "duration": 13}
    url = f"/api/v1/attempts/{attempt.id}/media-progress"
    # The page's own call needs its CSRF token.
    assert client.post(url, json=body).status_code == 403
    client.cookies.clear()
    assert client.post(url, json=body).status_code == 401
    others = [
        bearer(db, make_account(db, make_person(db))),
        bearer(db, make_account(db, manager)),
        bearer(db, make_account(db, auditor=True)),
        bearer(db, make_account(db, ld_admin=True)),
    ]
    db.commit()
    codes = [client.post(url, json=body, headers=h).status_code for h in others]
    assert codes == [404, 404, 403, 403]  # another learner, the manager: not theirs; no person: refused
    assert client.post(f"/attempts/{attempt.id}/read", headers=others[0]).status_code in (403, 404)
    db.expire_all()
    assert attempt.status == "in_progress" and attempt.progress == 0
    assert token


def test_uploads_not_played_are_refused(client: TestClient, db: Session, app: FastAPI) -> None:
    item = make_item(db)
    admin = bearer(db, make_account(db, ld_admin=True))
    db.commit()
    url = f"/api/v1/catalog/items/{item.id}/content"

    def upload(data: bytes, name: str, **fields: str) -> dict[str, object]:
        r = client.post(url, files={"file": (name, data, "video/webm")}, data=fields, headers=admin)
        assert r.status_code == 422
        return dict(r.json()["errors"][0])

    assert upload(b"GIF89a" + b"\0" * 50, "clip.webm")["field"] == "file"
    assert upload(VIDEO, "clip.webm", captions="WEBVTT\n\n00:02.000 --> 00:01.000\nx")["field"] == "captions"
    assert upload(VIDEO, "clip.webm", complete_share="250")["field"] == "complete_share"
    assert upload(b"%PDF-1.4 truncated", "a.pdf")["field"] == "file"
    assert db.scalar(select(ContentVersion.id)) is None


def test_the_admin_uploads_a_video_with_captions_or_gives_its_address(
    client: TestClient, db: Session
) -> None:
    item = make_item(db)
    admin = make_account(db, ld_admin=True)
    db.commit()
    login(client, admin.email)
    url = f"/admin/catalog/{item.id}/content"
    token = csrf_from(client.get(url).text)
    vtt = ("captions.vtt", forklift_captions().encode(), "text/vtt")
    done = client.post(
        url,
        data={"csrf_token": token, "complete_share": "0.8"},
        files={"file": ("clip.webm", VIDEO, "video/webm"), "captions": vtt},
    )
    assert done.status_code == 200 and "Version 1 added" in done.text
    address = {"csrf_token": token, "kind": "video", "url": "https://media.example/a.mp4", "title": "Clip"}
    done = client.post(url, data=address, files={"captions": vtt})
    assert "Version 2 added" in done.text
    first, second = db.scalars(select(ContentVersion).order_by(ContentVersion.version)).all()
    assert first.spec["complete_share"] == 0.8 and first.spec["captions"] == "captions.vtt"
    assert second.spec["url"] == "https://media.example/a.mp4" and second.spec["captions_vtt"].startswith(
        "WEBVTT"
    )
    bad = client.post(url, data=address | {"url": "ftp://x"})
    assert bad.status_code == 422 and "http(s)://" in bad.text
