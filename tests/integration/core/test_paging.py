"""Keyset paging on both databases: pages walk every row once in order through ties on the first sort
key, ascending and descending, on text and on timestamps; the last page has no cursor; a cursor this API
did not give out is refused naming `cursor`."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.errors import Invalid
from learnbridge.core.paging import SortKey, encode_cursor, keyset_page
from learnbridge.people.models import Person
from tests.factories import make_person

NAMES = ["Bo", "Ann", "Bo", "Ann", "Cy", "Ann", "Bo"]
START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(db: Session) -> list[Person]:
    # Two people share each timestamp, so the id has to break the tie there too.
    found = [
        make_person(db, name=name, created_at=START + dt.timedelta(minutes=i // 2))
        for i, name in enumerate(NAMES)
    ]
    db.flush()
    return found


def walk(db: Session, ids: list[int], order: list[SortKey], *, descending: bool) -> list[list[Person]]:
    stmt = select(Person).where(Person.id.in_(ids))
    pages, cursor = [], None
    while True:
        page = keyset_page(db, stmt, order=order, descending=descending, cursor=cursor, limit=2)
        pages.append(page.items)
        if page.next is None:
            return pages
        cursor = page.next


@pytest.mark.parametrize("descending", [False, True])
def test_pages_walk_every_row_once_through_ties_on_the_name(
    db: Session, people: list[Person], descending: bool
) -> None:
    pages = walk(db, [p.id for p in people], [Person.name, Person.id], descending=descending)
    expected = sorted(people, key=lambda p: (p.name, p.id), reverse=descending)
    assert [p.id for page in pages for p in page] == [p.id for p in expected]
    assert [len(page) for page in pages] == [2, 2, 2, 1]


def test_pages_walk_through_ties_on_a_timestamp_newest_first(db: Session, people: list[Person]) -> None:
    pages = walk(db, [p.id for p in people], [Person.created_at, Person.id], descending=True)
    expected = sorted(people, key=lambda p: (p.created_at, p.id), reverse=True)
    assert [p.id for page in pages for p in page] == [p.id for p in expected]


def test_a_full_last_page_has_no_cursor_and_several_things_come_as_tuples(
    db: Session, people: list[Person]
) -> None:
    stmt = select(Person, Person.name).where(Person.id.in_([p.id for p in people[:2]]))
    page = keyset_page(db, stmt, order=[Person.id], cursor=None, limit=2)
    assert page.next is None
    assert [(p.id, name) for p, name in page.items] == [(p.id, p.name) for p in people[:2]]


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 json",
        encode_cursor([1]),  # one value for two sort keys
        encode_cursor([1, 2]),  # a number where the name goes
        encode_cursor(["Ann", "2"]),  # text where the id goes
        encode_cursor(["Ann", 10**30]),  # an id no column holds
    ],
)
def test_a_cursor_this_api_did_not_give_out_is_invalid_naming_cursor(db: Session, cursor: str) -> None:
    with pytest.raises(Invalid) as refused:
        keyset_page(db, select(Person), order=[Person.name, Person.id], cursor=cursor, limit=2)
    assert [e.field for e in refused.value.errors] == ["cursor"]


def test_a_timestamp_cursor_without_a_zone_is_invalid(db: Session) -> None:
    cursor = encode_cursor(["2026-03-01T09:00:00", 1])
    with pytest.raises(Invalid):
        keyset_page(db, select(Person), order=[Person.created_at, Person.id], cursor=cursor, limit=2)
