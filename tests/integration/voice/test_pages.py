"""The needs board's pages, per role: everyone reads the board; people raise needs (similar ones shown as
they type) and vote; L&D admins and the unit's managers decide; bad input shows the form again, naming
the field; every action says what it did."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.voice.models import Need
from tests.factories import csrf_from, login, make_account, make_person, make_unit


def _signed_in(
    client: TestClient, db: Session, *, admin: bool = False, auditor: bool = False, **person: Any
) -> str:
    if auditor:
        account = make_account(db, auditor=True)
    else:
        account = make_account(db, make_person(db, **person), ld_admin=admin)
    login(client, account.email)
    return csrf_from(client.get("/needs/new" if not auditor else "/needs").text) if not auditor else ""


def _raise(client: TestClient, token: str, **fields: Any) -> Any:
    form = {
        "kind": "bottleneck",
        "title": "Forklift battery swaps stall the night shift",
        "csrf_token": token,
    }
    return client.post("/needs", data=form | fields, follow_redirects=False)


def test_raise_a_need_from_the_form_and_see_it_on_the_board(client: TestClient, db: Session) -> None:
    unit = make_unit(db, "Warehouse North")
    token = _signed_in(client, db, org_unit_id=unit.id)
    form = client.get("/needs/new").text
    assert "Warehouse North" in form and "Across the organisation" in form
    made = _raise(
        client, token, unit_id=str(unit.id), frequency="10", minutes_lost="20", people_affected="12"
    )
    assert made.status_code == 303 and made.headers["location"].endswith("?done=raised")
    page = client.get(made.headers["location"])
    assert "Your need is on the board, with your vote." in page.text
    assert "About 40 hours lost a week" in page.text and "Take my vote back" in page.text
    board = client.get("/needs", params={"sort": "cost"}).text
    assert "Forklift battery swaps stall the night shift" in board and "Highest cost" in board
    number = made.headers["location"].split("/")[2].split("?")[0]
    assert f"Need {number}</span>" in board  # the number a merge names


def test_similar_needs_are_shown_while_the_title_is_typed(client: TestClient, db: Session) -> None:
    token = _signed_in(client, db)
    _raise(client, token)
    _raise(client, token, title="Declined one about forklift", kind="idea")
    found = client.get("/needs/similar", params={"title": "the FORKLIFT batteries"}).text
    assert "Already raised?" in found and "Forklift battery swaps stall the night shift" in found
    assert "Declined one" in found  # still open: not declined yet
    need = db.scalar(select(Need).where(Need.title == "Declined one about forklift"))
    assert need is not None
    need.status = "declined"
    db.flush()
    assert "Declined one" not in client.get("/needs/similar", params={"title": "forklift"}).text
    assert "Already raised?" not in client.get("/needs/similar", params={"title": "a b c"}).text
    assert client.get("/needs/similar", params={"title": "x" * 201}).status_code == 422


def test_vote_and_take_it_back_with_and_without_script(client: TestClient, db: Session) -> None:
    token = _signed_in(client, db)
    _raise(client, token)
    need = db.scalar(select(Need))
    assert need is not None
    client.cookies.clear()
    voter = _signed_in(client, db)
    fragment = client.post(
        f"/needs/{need.id}/vote", data={"csrf_token": voter}, headers={"HX-Request": "true"}
    )
    assert (
        fragment.status_code == 200
        and "Your vote is counted." in fragment.text
        and "<strong>2</strong>" in fragment.text
    )
    back = client.post(f"/needs/{need.id}/unvote", data={"csrf_token": voter}, follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"].endswith("?done=unvoted")
    assert "Your vote is taken back." in client.get(back.headers["location"]).text
    assert client.post(f"/needs/{need.id}/vote", data={}).status_code == 403  # no CSRF token


def test_bad_input_shows_the_form_again_naming_the_field(client: TestClient, db: Session) -> None:
    token = _signed_in(client, db)
    for fields, field in (
        ({"title": "ab"}, "title"),
        ({"minutes_lost": "-5"}, "minutes_lost"),
        ({"private": "on"}, "private"),
    ):
        refused = _raise(client, token, **fields)
        assert refused.status_code == 422 and field in refused.text and "Raise a need" in refused.text
    assert db.scalar(select(Need)) is None
    assert client.get("/needs", params={"sort": "loudest"}).status_code == 422


def test_deciding_on_a_need_from_its_page(client: TestClient, db: Session) -> None:
    token = _signed_in(client, db)
    _raise(client, token)
    need = db.scalar(select(Need))
    assert need is not None
    assert "Save the decision" not in client.get(f"/needs/{need.id}").text
    learner_try = client.post(
        f"/needs/{need.id}/status", data={"status": "planned", "reason": "Mine", "csrf_token": token}
    )
    assert learner_try.status_code == 403
    client.cookies.clear()
    admin = _signed_in(client, db, admin=True)
    page = client.get(f"/needs/{need.id}").text
    assert "Save the decision" in page and "No decision yet." in page
    empty = client.post(
        f"/needs/{need.id}/status", data={"status": "planned", "reason": "", "csrf_token": admin}
    )
    assert empty.status_code == 422 and "reason" in empty.text
    decided = client.post(
        f"/needs/{need.id}/status",
        data={"status": "planned", "reason": "A how-to video in January.", "csrf_token": admin},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    shown = client.get(decided.headers["location"]).text
    assert "Decision saved" in shown and "New → Planned" in shown and "A how-to video in January." in shown


def test_an_auditor_reads_the_board_but_raises_nothing(client: TestClient, db: Session) -> None:
    token = _signed_in(client, db)
    _raise(client, token)
    client.cookies.clear()
    _signed_in(client, db, auditor=True)
    board = client.get("/needs")
    assert board.status_code == 200 and "Forklift battery swaps" in board.text
    assert "Raise a need" not in board.text and ">Vote<" not in board.text
    assert client.get("/needs/new").status_code == 200  # the form, but sending it is refused
    token = csrf_from(client.get("/needs/new").text)
    assert _raise(client, token).status_code == 403
    client.cookies.clear()
    assert client.get("/needs", follow_redirects=False).status_code in (303, 401)
