"""The SQL twins of the date rules agree with the Python ones, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import ColumnElement, Date, Integer, insert, literal, select
from sqlalchemy.orm import Session

from learnbridge.core.db import table_of
from learnbridge.push.date_rules import Dates, add_days_sql, add_months, add_months_sql, status, status_sql
from learnbridge.push.models import OPEN_ENDED, Assignment, Requirement
from tests.factories import make_person

DB_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ROWS = 8
REFERENCE = dt.date(2026, 3, 2)
AT = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)

# Reference days that stress calendars: an ordinary day, a leap day, a month's and a year's last day.
todays = st.sampled_from([REFERENCE, dt.date(2028, 2, 29), dt.date(2026, 1, 31), dt.date(2025, 12, 31)])
offsets = st.integers(min_value=-4, max_value=4)
# Month ends, 29 February, the first of a month: where month arithmetic goes wrong if it does.
tricky_days = st.sampled_from(
    [
        dt.date(2024, 2, 29),
        dt.date(2028, 2, 29),
        dt.date(2026, 1, 31),
        dt.date(2026, 3, 31),
        dt.date(2026, 5, 31),
        dt.date(2026, 8, 31),
        dt.date(2026, 10, 31),
        dt.date(2026, 12, 31),
        dt.date(2026, 4, 30),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 1),
        dt.date(2000, 2, 29),
        dt.date(1900, 2, 28),
    ]
)
sql_days = tricky_days | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))


@pytest.fixture
def pairs(db: Session) -> tuple[int, list[int]]:
    """A requirement and enough people for ROWS assignments (one per pair)."""
    requirement = Requirement(name="status in SQL")
    db.add(requirement)
    people = [make_person(db) for _ in range(ROWS)]
    db.flush()
    return requirement.id, [p.id for p in people]


@st.composite
def status_rows(draw: st.DrawFn, today: dt.date) -> dict[str, Any]:
    def near() -> dt.date | None:
        offset = draw(st.none() | offsets)
        return None if offset is None else today + dt.timedelta(days=offset)

    exempt = draw(st.sampled_from(["none", "near", "open"]))
    return {
        "removed_at": AT if draw(st.booleans()) else None,
        "exempt_until": {"none": None, "near": near(), "open": OPEN_ENDED}[exempt],
        "completed_on": near(),
        "expires_on": near(),
        "window_opens_on": near(),
        "overdue_from": near(),
        "started_on": near(),
    }


def _dates(row: dict[str, Any]) -> Dates:
    values = {k: v for k, v in row.items() if k != "removed_at"}
    return Dates(removed=row["removed_at"] is not None, **values)


@DB_SETTINGS
@given(data=st.data())
def test_status_sql_agrees_with_status(
    db: Session, pairs: tuple[int, list[int]], data: st.DataObject
) -> None:
    today = data.draw(todays, label="today")
    rows = data.draw(st.lists(status_rows(today), min_size=1, max_size=ROWS), label="rows")
    requirement_id, people = pairs
    savepoint = db.begin_nested()
    try:
        values = [
            {"requirement_id": requirement_id, "person_id": pid, "assigned_on": today, **row}
            for pid, row in zip(people, rows, strict=False)
        ]
        db.execute(insert(table_of(Assignment)), values)
        found: dict[int, str] = dict(
            db.execute(
                select(Assignment.person_id, status_sql(today)).where(
                    Assignment.requirement_id == requirement_id
                )
            ).all()
        )
        expected = {
            v["person_id"]: status(_dates(row), today).value for v, row in zip(values, rows, strict=True)
        }
        assert found == expected
    finally:
        savepoint.rollback()


def _dialect(db: Session) -> str:
    return db.get_bind().dialect.name


@DB_SETTINGS
@given(day=sql_days, count=st.integers(min_value=-300, max_value=300), as_column=st.booleans())
def test_add_months_sql_agrees_with_add_months(
    db: Session, day: dt.date, count: int, as_column: bool
) -> None:
    months = literal(count, Integer) if as_column else count
    found = db.scalar(select(add_months_sql(_dialect(db), literal(day, Date), months)))
    assert found == add_months(day, count)


@DB_SETTINGS
@given(
    day=sql_days,
    count=st.integers(min_value=-4000, max_value=4000),
    how=st.sampled_from(["int", "col", "neg"]),
)
def test_add_days_sql_agrees_with_timedelta(db: Session, day: dt.date, count: int, how: str) -> None:
    # As recompute uses it: a Python int, an integer column, and a negated column (-window_days).
    ways: dict[str, int | ColumnElement[int]] = {
        "int": count,
        "col": literal(count, Integer),
        "neg": -literal(-count, Integer),
    }
    days = ways[how]
    found = db.scalar(select(add_days_sql(_dialect(db), literal(day, Date), days)))
    assert found == day + dt.timedelta(days=count)


def test_date_sql_passes_a_missing_date_through(db: Session) -> None:
    missing = literal(None, Date)
    assert db.scalar(select(add_days_sql(_dialect(db), missing, 5))) is None
    assert db.scalar(select(add_months_sql(_dialect(db), missing, 12))) is None
    assert db.scalar(select(add_months_sql(_dialect(db), literal(dt.date(2024, 1, 31), Date), 1))) == dt.date(
        2024, 2, 29
    )
    assert db.scalar(
        select(add_months_sql(_dialect(db), literal(dt.date(2026, 3, 31), Date), -1))
    ) == dt.date(2026, 2, 28)
