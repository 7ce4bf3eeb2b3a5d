"""The inbox and the outbox: service rules, pages, API, and mail through a real SMTP server."""

from __future__ import annotations

from email import message_from_bytes

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import literal, select
from sqlalchemy.orm import Session, sessionmaker

from learnbridge.core.errors import Invalid, NotFound
from learnbridge.core.jobs import MAX_ATTEMPTS, Job, JobStatus
from learnbridge.core.settings import Settings
from learnbridge.notify import service
from learnbridge.notify.models import MailStatus
from learnbridge.people.models import Person
from tests.factories import bearer, csrf_from, login, make_account, make_person
from tests.helpers.mail import Inbox, free_port, run_mail_jobs

# --- the inbox ---


def test_many_messages_at_once_are_checked_like_one(db: Session) -> None:
    people = [make_person(db) for _ in range(3)]
    notices = [service.Notice(p.id, f" Hello {p.name} ", "body", "/inbox") for p in people]
    assert service.notify_people(db, notices=notices) == 3
    assert [service.inbox_for(db, p.id).items[0].subject for p in people] == [
        f"Hello {p.name}" for p in people
    ]
    assert service.unread_count(db, people[0].id) == 1
    for bad, field in (
        (service.Notice(people[0].id, "Hi", "", "https://evil"), "link"),
        (service.Notice(people[0].id, "two\nlines", ""), "subject"),
    ):
        with pytest.raises(Invalid) as refused:
            service.notify_people(db, notices=[notices[0], bad])
        assert [e.field for e in refused.value.errors] == [field]
    assert service.notify_people(db, notices=[]) == 0
    assert service.unread_count(db, people[0].id) == 1  # a refused batch writes nothing


def test_messages_chosen_by_a_query_are_written_in_one_statement_with_their_subjects_checked(
    db: Session,
) -> None:
    people = [make_person(db) for _ in range(3)]
    ids = [p.id for p in people]
    rows = select(Person.id, literal("Hello"), literal("A line"), literal("/inbox")).where(
        Person.id.in_(ids[:2])
    )
    assert service.notify_selected(db, rows=rows, subjects=["Hello"]) == 2
    assert [service.unread_count(db, i) for i in ids] == [1, 1, 0]
    assert service.inbox_for(db, ids[0]).items[0].body == "A line"
    for subject in ("two\nlines", "", "x" * 301):
        with pytest.raises(Invalid) as refused:
            service.notify_selected(db, rows=rows, subjects=["Hello", subject])
        assert [e.field for e in refused.value.errors] == ["subject"]
    assert [service.unread_count(db, i) for i in ids] == [1, 1, 0]  # refused: nothing written


def test_inbox_is_newest_first_keyset_paged_with_an_unread_count(db: Session) -> None:
    person, other = make_person(db), make_person(db)
    for n in range(5):
        service.notify_person(db, person_id=person.id, subject=f"Message {n}", body="", link=f"/catalog/{n}")
    service.notify_person(db, person_id=other.id, subject="Not yours", body="")
    first = service.inbox_for(db, person.id, limit=3)
    assert [m.subject for m in first.items] == ["Message 4", "Message 3", "Message 2"]
    rest = service.inbox_for(db, person.id, cursor=first.next, limit=3)
    assert [m.subject for m in rest.items] == ["Message 1", "Message 0"] and rest.next is None
    assert service.unread_count(db, person.id) == 5
    service.mark_read(db, person_id=person.id, message_id=first.items[0].id)
    assert service.unread_count(db, person.id) == 4
    assert service.mark_all_read(db, person_id=person.id) == 4
    assert service.unread_count(db, person.id) == 0 and service.unread_count(db, other.id) == 1


def test_a_person_cannot_mark_someone_elses_message(db: Session) -> None:
    person, other = make_person(db), make_person(db)
    message = service.notify_person(db, person_id=other.id, subject="Private", body="")
    with pytest.raises(NotFound):
        service.mark_read(db, person_id=person.id, message_id=message.id)
    assert message.read_at is None


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/x", "catalog/1"])
def test_a_message_link_must_be_a_path_inside_the_app(db: Session, link: str) -> None:
    with pytest.raises(Invalid) as caught:
        service.notify_person(db, person_id=make_person(db).id, subject="Hi", body="", link=link)
    assert caught.value.errors[0].field == "link"


def test_a_bad_cursor_is_invalid(db: Session) -> None:
    with pytest.raises(Invalid):
        service.inbox_for(db, make_person(db).id, cursor="bm90IGEgY3Vyc29y")


# --- the outbox ---


def test_queue_mail_writes_the_outbox_and_its_job_in_the_same_transaction(db: Session) -> None:
    mail = service.queue_mail(db, to_address=" ada@example.org ", subject="Welcome", body="Hello")
    assert (mail.to_address, mail.status) == ("ada@example.org", MailStatus.queued)
    jobs = db.scalars(select(Job).where(Job.kind == service.SEND_MAIL)).all()
    assert [job.payload for job in jobs] == [{"mail_id": mail.id}]


def test_a_mail_subject_cannot_smuggle_headers(db: Session) -> None:
    with pytest.raises(Invalid) as caught:
        service.queue_mail(db, to_address="a@example.org\nBcc: x@y", subject="Hi\nBcc: x@y", body="")
    assert {e.field for e in caught.value.errors} == {"subject", "to_address"}


def test_mail_goes_through_smtp_and_is_marked_sent(
    db: Session, sessions: sessionmaker[Session], smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    person = make_person(db)
    mail = service.queue_mail(
        db,
        to_address="ada@example.org",
        subject="Your training is due",
        body="Line 1\nLine 2",
        to_person_id=person.id,
    )
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, mail_from="lb@example.com")
    assert run_mail_jobs(sessions, settings) == 1
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "lb@example.com" and envelope.rcpt_tos == ["ada@example.org"]
    received = message_from_bytes(envelope.content)
    assert received["Subject"] == "Your training is due" and received["Message-ID"]
    assert bytes(received.get_payload(decode=True)).decode().splitlines() == ["Line 1", "Line 2"]
    db.refresh(mail)
    assert mail.status == MailStatus.sent and mail.sent_at is not None and mail.attempts == 1
    # A repeated job sends nothing twice.
    service.send_mail(db, mail_id=mail.id, settings=settings)
    assert len(inbox.envelopes) == 1


def test_an_unreachable_smtp_server_is_retried_then_the_mail_fails(
    db: Session, sessions: sessionmaker[Session]
) -> None:
    mail = service.queue_mail(db, to_address="ada@example.org", subject="Hello", body="")
    settings = Settings(smtp_host="127.0.0.1", smtp_port=free_port())  # nobody listens there
    job = db.scalars(select(Job).where(Job.kind == service.SEND_MAIL)).one()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert run_mail_jobs(sessions, settings, now=job.run_at) == 1
        db.refresh(mail)
        db.refresh(job)
        assert mail.attempts == attempt and "ConnectionRefusedError" in mail.error
        expected = MailStatus.failed if attempt == MAX_ATTEMPTS else MailStatus.queued
        assert mail.status == expected
    assert job.status == JobStatus.failed and mail.sent_at is None


def test_without_smtp_mail_is_held_and_shown_on_the_outbox(
    db: Session, sessions: sessionmaker[Session], client: TestClient
) -> None:
    mail = service.queue_mail(db, to_address="grace@example.org", subject="Held back", body="The body text")
    run_mail_jobs(sessions, Settings(smtp_host=""))
    db.refresh(mail)
    assert mail.status == MailStatus.held and mail.attempts == 0
    login(client, make_account(db, ld_admin=True).email)
    page = client.get("/admin/outbox", params={"status": "held"})
    assert page.status_code == 200
    assert "grace@example.org" in page.text and "Held back" in page.text and "The body text" in page.text
    assert "Held back" not in client.get("/admin/outbox", params={"status": "sent"}).text
    assert service.outbox(db, status=MailStatus.held).items[0].id == mail.id


def test_outbox_pages_by_id(db: Session) -> None:
    mails = [
        service.queue_mail(db, to_address=f"p{n}@example.org", subject=f"M{n}", body="") for n in range(3)
    ]
    first = service.outbox(db, limit=2)
    assert [m.id for m in first.items][:2] == [mails[2].id, mails[1].id] and first.next
    assert service.outbox(db, cursor=first.next, limit=2).items[0].id == mails[0].id


# --- pages and API ---


def test_learner_reads_the_inbox_and_marks_messages_read(client: TestClient, db: Session) -> None:
    person, other = make_person(db), make_person(db)
    first = service.notify_person(
        db, person_id=person.id, subject="Book your session", body="", link="/catalog"
    )
    service.notify_person(db, person_id=person.id, subject="Second message", body="Body\ntext")
    service.notify_person(db, person_id=other.id, subject="Someone else's", body="")
    login(client, make_account(db, person).email)
    home = client.get("/")
    assert 'id="nav-inbox"' in home.text and '<span class="badge">2<' in home.text
    page = client.get("/inbox")
    assert "Book your session" in page.text and '<a href="/catalog">' in page.text
    assert "Someone else" not in page.text
    token = csrf_from(page.text)
    fragment = client.post(f"/inbox/{first.id}/read", headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith(f'<article id="message-{first.id}"')
    assert 'hx-swap-oob="true"' in fragment.text and '<span class="badge">1<' in fragment.text
    done = client.post("/inbox/read-all", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/inbox"
    assert 'class="badge"' not in client.get("/inbox").text


def test_nobody_marks_another_persons_message_read(client: TestClient, db: Session) -> None:
    person, other = make_person(db), make_person(db)
    theirs = service.notify_person(db, person_id=other.id, subject="Private", body="")
    login(client, make_account(db, person).email)
    token = csrf_from(client.get("/inbox").text)
    assert client.post(f"/inbox/{theirs.id}/read", data={"csrf_token": token}).status_code == 404
    assert theirs.read_at is None


@pytest.mark.parametrize("role", ["learner", "auditor"])
def test_only_ld_admins_see_the_outbox(client: TestClient, db: Session, role: str) -> None:
    account = make_account(db, make_person(db)) if role == "learner" else make_account(db, auditor=True)
    login(client, account.email)
    assert client.get("/admin/outbox").status_code == 403


def test_an_account_without_a_person_has_no_inbox(client: TestClient, db: Session) -> None:
    login(client, make_account(db, ld_admin=True).email)
    assert "not linked to a person" in client.get("/inbox").text
    assert 'id="nav-inbox"' not in client.get("/").text


def test_api_inbox_pages_and_marks_read_only_own_messages(client: TestClient, db: Session) -> None:
    person, other = make_person(db), make_person(db)
    mine = [service.notify_person(db, person_id=person.id, subject=f"M{n}", body="") for n in range(3)]
    theirs = service.notify_person(db, person_id=other.id, subject="Theirs", body="")
    headers = bearer(db, make_account(db, person))
    page = client.get("/api/v1/me/inbox", params={"limit": 2}, headers=headers).json()
    assert [m["subject"] for m in page["items"]] == ["M2", "M1"] and page["unread"] == 3
    rest = client.get("/api/v1/me/inbox", params={"cursor": page["next"]}, headers=headers).json()
    assert [m["subject"] for m in rest["items"]] == ["M0"] and rest["next"] is None
    read = client.post(f"/api/v1/me/inbox/{mine[0].id}/read", headers=headers)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    refused = client.post(f"/api/v1/me/inbox/{theirs.id}/read", headers=headers)
    assert refused.status_code == 404 and refused.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/me/inbox").status_code == 401
