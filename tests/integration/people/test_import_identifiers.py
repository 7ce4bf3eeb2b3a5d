"""The HR CSV's xAPI identifier columns (xapi_openid, xapi_accounts) and mbox_sha1sum kept with the
address: a column the file lacks changes nothing, an empty cell clears, an identifier names one person."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.errors import Invalid
from learnbridge.people.importer import import_people
from learnbridge.people.models import Person, PersonIdentifier

LMS = "https://lms.partner.example"
TOOL = "https://authoring.example.com/"
SEED = (
    "external_id,name,email,xapi_openid,xapi_accounts\n"
    f"E1,Al,Al@X.org,https://id.example.net/al,{LMS}|al-1; {TOOL}|al@tool\n"
    f"E2,Bo,bo@x.org,,{LMS}|bo-2\n"
    "E3,Cy,cy@x.org,,\n"
)


def identifiers(db: Session) -> dict[str, list[str]]:
    rows = db.execute(
        select(Person.external_id, PersonIdentifier.ifi)
        .join(Person, Person.id == PersonIdentifier.person_id)
        .order_by(PersonIdentifier.ifi)
    )
    found: dict[str, list[str]] = {}
    for ext, ifi in rows:
        found.setdefault(ext, []).append(ifi)
    return found


def sha(db: Session, ext: str) -> str | None:
    return db.scalar(select(Person.mbox_sha1sum).where(Person.external_id == ext))


def test_the_columns_record_each_persons_identifiers(db: Session) -> None:
    summary = import_people(db, text=SEED)
    assert summary.created == 3
    assert identifiers(db) == {
        "E1": [f"account:{TOOL}|al@tool", f"account:{LMS}|al-1", "openid:https://id.example.net/al"],
        "E2": [f"account:{LMS}|bo-2"],
    }
    assert sha(db, "E1") == hashlib.sha1(b"mailto:al@x.org", usedforsecurity=False).hexdigest()


def test_a_file_without_the_columns_leaves_identifiers_alone(db: Session) -> None:
    import_people(db, text=SEED)
    before = identifiers(db)
    summary = import_people(db, text="external_id,name\nE1,Al\nE2,Bo\n")
    assert identifiers(db) == before and summary.unchanged == 2
    # One column present: only that kind is replaced.
    import_people(db, text=f"external_id,name,xapi_accounts\nE1,Al,{LMS}|al-9\n")
    assert identifiers(db)["E1"] == [f"account:{LMS}|al-9", "openid:https://id.example.net/al"]


def test_empty_cells_clear_and_the_summary_counts_them(db: Session) -> None:
    import_people(db, text=SEED)
    summary = import_people(db, text="external_id,name,xapi_openid,xapi_accounts\nE1,Al,,\nE2,Bo,,\n")
    assert identifiers(db) == {}
    assert summary.cleared == {"xapi_openid": 1, "xapi_accounts": 2} and summary.updated == 2
    assert summary.clears_in_words() == ["2 people's xAPI accounts", "1 OpenID"]


def test_an_identifier_may_move_within_a_file_but_not_from_someone_it_leaves_out(db: Session) -> None:
    import_people(db, text=SEED)
    moved = f"external_id,name,xapi_accounts\nE1,Al,\nE3,Cy,{LMS}|al-1\n"
    import_people(db, text=moved)
    assert identifiers(db)["E3"] == [f"account:{LMS}|al-1"]
    with pytest.raises(Invalid) as refused:
        import_people(db, text=f"external_id,name,xapi_accounts\nE1,Al,{LMS}|bo-2\n")
    [error] = refused.value.errors
    assert (error.row, error.field) == (2, "xapi_accounts") and "'E2'" in error.message


def test_bad_cells_are_reported_by_row_and_column_and_nothing_is_written(db: Session) -> None:
    text = (
        "external_id,name,xapi_openid,xapi_accounts\n"
        "E1,Al,not a uri,\n"
        "E2,Bo,,lms.example|bo\n"
        f"E3,Cy,,{LMS}\n"
        f"E4,Di,,{LMS}|dup\n"
        f"E5,Ed,,{LMS}|dup\n"
    )
    with pytest.raises(Invalid) as refused:
        import_people(db, text=text)
    assert [(e.row, e.field) for e in refused.value.errors] == [
        (2, "xapi_openid"),
        (3, "xapi_accounts"),
        (4, "xapi_accounts"),
        (6, "xapi_accounts"),
    ]
    assert identifiers(db) == {} and db.scalar(select(Person.id)) is None


def test_mbox_sha1sum_follows_the_address_through_imports(db: Session) -> None:
    import_people(db, text=SEED)
    import_people(db, text="external_id,name,email\nE1,Al,al.new@x.org\nE2,Bo,\n")
    assert sha(db, "E1") == hashlib.sha1(b"mailto:al.new@x.org", usedforsecurity=False).hexdigest()
    assert sha(db, "E2") is None
    # An address that moves to another person takes its hash with it.
    import_people(db, text="external_id,name,email\nE1,Al,cy@x.org\nE3,Cy,\n")
    assert sha(db, "E1") == hashlib.sha1(b"mailto:cy@x.org", usedforsecurity=False).hexdigest()
    assert sha(db, "E3") is None


def test_a_dry_run_writes_no_identifiers(db: Session) -> None:
    summary = import_people(db, text=SEED, dry_run=True)
    assert summary.created == 3 and identifiers(db) == {}
