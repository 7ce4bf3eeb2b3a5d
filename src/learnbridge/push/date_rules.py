"""The date rules of compliance, as plain functions (Python) and as SQL expressions that must agree.

Due dates: a fixed date, N days after assignment, or N days after the hire date (missing hire date:
no due date, and the assignment waits in the exceptions queue). Overdue from the day after due + grace.
Recertification: a completion holds for `validity_months`; the renewal window opens `window_days` before
expiry; a completion before the window opens renews nothing. The new expiry counts from the completion
day, or (renew_from=expiry) from the previous expiry when the renewal came before it lapsed.
Months are added as PostgreSQL does: 31 January + 1 month = the last day of February.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, cast, func, literal
from sqlalchemy.orm import InstrumentedAttribute

from learnbridge.push.models import Assignment, AssignmentStatus, DueKind, RenewFrom


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later, clamped to the last day of the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def due_on(
    kind: DueKind, *, fixed: dt.date | None, days: int, assigned_on: dt.date, hire_date: dt.date | None
) -> dt.date | None:
    if kind == DueKind.fixed:
        return fixed
    if kind == DueKind.after_assignment:
        return assigned_on + dt.timedelta(days=days)
    return hire_date + dt.timedelta(days=days) if hire_date else None


def overdue_from(due: dt.date | None, grace_days: int) -> dt.date | None:
    return due + dt.timedelta(days=grace_days) if due else None


def expiry(
    *, validity_months: int | None, renew_from: RenewFrom, completed_on: dt.date, previous: dt.date | None
) -> dt.date | None:
    if validity_months is None:
        return None
    start = completed_on
    if renew_from == RenewFrom.expiry and previous is not None and completed_on <= previous:
        start = previous
    return add_months(start, validity_months)


def window_opens(expires_on: dt.date | None, window_days: int) -> dt.date | None:
    return expires_on - dt.timedelta(days=window_days) if expires_on else None


@dataclass(frozen=True)
class Dates:
    """What an assignment's status depends on."""

    removed: bool
    exempt_until: dt.date | None
    completed_on: dt.date | None
    expires_on: dt.date | None
    window_opens_on: dt.date | None
    overdue_from: dt.date | None
    started_on: dt.date | None

    @classmethod
    def of(cls, a: Assignment) -> Dates:
        return cls(
            removed=a.removed_at is not None,
            exempt_until=a.exempt_until,
            completed_on=a.completed_on,
            expires_on=a.expires_on,
            window_opens_on=a.window_opens_on,
            overdue_from=a.overdue_from,
            started_on=a.started_on,
        )


def status(d: Dates, today: dt.date) -> AssignmentStatus:
    """The first that applies: removed, exempt, expired, expiring soon, completed, overdue, started."""
    if d.removed:
        return AssignmentStatus.no_longer_required
    if d.exempt_until is not None and d.exempt_until >= today:
        return AssignmentStatus.exempt
    if d.completed_on is not None:
        if d.expires_on is not None and d.expires_on <= today:
            return AssignmentStatus.expired
        if d.window_opens_on is not None and d.window_opens_on <= today:
            return AssignmentStatus.expiring_soon
        return AssignmentStatus.completed
    if d.overdue_from is not None and d.overdue_from < today:
        return AssignmentStatus.overdue
    if d.started_on is not None:
        return AssignmentStatus.in_progress
    return AssignmentStatus.assigned


def status_sql(today: dt.date) -> ColumnElement[str]:
    """`status` as one CASE expression over the assignments table."""
    a = Assignment
    done = a.completed_on.is_not(None)
    return case(
        (a.removed_at.is_not(None), AssignmentStatus.no_longer_required.value),
        (a.exempt_until >= today, AssignmentStatus.exempt.value),
        (and_(done, a.expires_on <= today), AssignmentStatus.expired.value),
        (and_(done, a.window_opens_on <= today), AssignmentStatus.expiring_soon.value),
        (done, AssignmentStatus.completed.value),
        (a.overdue_from < today, AssignmentStatus.overdue.value),
        (a.started_on.is_not(None), AssignmentStatus.in_progress.value),
        else_=AssignmentStatus.assigned.value,
    )


Days = int | ColumnElement[int] | InstrumentedAttribute[int] | InstrumentedAttribute[int | None]
DateSql = ColumnElement[Any] | InstrumentedAttribute[Any]


def add_days_sql(dialect: str, column: DateSql, days: Days) -> ColumnElement[dt.date]:
    """column + days, on SQLite (dates are ISO text) and PostgreSQL (date + integer)."""
    if dialect == "sqlite":
        return func.date(column, func.printf("%+d days", days), type_=Date)
    return cast(column + days, Date)


def add_months_sql(dialect: str, column: DateSql, months: Days) -> ColumnElement[dt.date]:
    """`add_months` in SQL: PostgreSQL clamps to the month's end itself; SQLite overflows into the next
    month, so the last day of the target month caps it."""
    if dialect == "sqlite":
        plain = func.date(column, func.printf("%+d months", months))
        last = func.date(
            column, literal("start of month"), func.printf("%+d months", months + 1), literal("-1 day")
        )
        return func.min(plain, last, type_=Date)
    return cast(column + func.make_interval(0, months), Date)
