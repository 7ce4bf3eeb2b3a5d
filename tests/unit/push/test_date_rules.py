"""The date rules of compliance as properties: due dates, month arithmetic, expiry and status."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace

from hypothesis import assume, given
from hypothesis import strategies as st

from learnbridge.push.date_rules import Dates, add_months, due_on, expiry, overdue_from, status, window_opens
from learnbridge.push.models import AssignmentStatus, DueKind, RenewFrom

S = AssignmentStatus
DAY = dt.timedelta(days=1)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
months = st.integers(min_value=-600, max_value=600)
days = st.integers(min_value=0, max_value=3650)
# Dates near a reference day, so that the comparisons inside `status` go both ways.
REFERENCE = dt.date(2026, 3, 2)
near = st.integers(min_value=-6, max_value=6).map(lambda n: REFERENCE + dt.timedelta(days=n))
maybe_near = st.none() | near


def _naive_add_months(day: dt.date, count: int) -> dt.date:
    """One month at a time, carrying the year by hand; clamp only at the end."""
    year, month = day.year, day.month
    step = 1 if count >= 0 else -1
    for _ in range(abs(count)):
        month += step
        if month == 13:
            year, month = year + 1, 1
        elif month == 0:
            year, month = year - 1, 12
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- due dates -------------------------------------------------------------------------------------


@given(st.sampled_from(DueKind), st.none() | dates, days, dates, st.none() | dates)
def test_due_on_follows_its_kind(
    kind: DueKind, fixed: dt.date | None, count: int, assigned: dt.date, hired: dt.date | None
) -> None:
    due = due_on(kind, fixed=fixed, days=count, assigned_on=assigned, hire_date=hired)
    if kind == DueKind.fixed:
        assert due == fixed
    elif kind == DueKind.after_assignment:
        assert due == assigned + dt.timedelta(days=count)
        assert due is not None and due >= assigned
    elif hired is None:
        assert due is None  # the exceptions queue
    else:
        assert due == hired + dt.timedelta(days=count)


@given(dates, days, st.integers(min_value=0, max_value=365))
def test_due_on_after_hire_ignores_the_assignment_day(hired: dt.date, count: int, shift: int) -> None:
    first = due_on(DueKind.after_hire, fixed=None, days=count, assigned_on=hired, hire_date=hired)
    later = hired + dt.timedelta(days=shift)
    assert first == due_on(DueKind.after_hire, fixed=None, days=count, assigned_on=later, hire_date=hired)


@given(st.none() | dates, st.integers(min_value=0, max_value=365))
def test_overdue_from_adds_the_grace_days(due: dt.date | None, grace: int) -> None:
    late = overdue_from(due, grace)
    if due is None:
        assert late is None
    else:
        assert late == due + dt.timedelta(days=grace) and late >= due
    assert overdue_from(due, 0) == due


# --- months ----------------------------------------------------------------------------------------


@given(dates, months)
def test_add_months_matches_a_naive_model(day: dt.date, count: int) -> None:
    assert add_months(day, count) == _naive_add_months(day, count)


@given(dates, months)
def test_add_months_lands_in_the_target_month_clamped_to_its_end(day: dt.date, count: int) -> None:
    result = add_months(day, count)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == count
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)
    assert add_months(day, 0) == day


@given(dates, months)
def test_add_months_is_undone_by_subtracting_them_unless_it_clamped(day: dt.date, count: int) -> None:
    back = add_months(add_months(day, count), -count)
    assert back <= day and (back.year, back.month) == (day.year, day.month)
    if day.day <= 28:
        assert back == day
    if add_months(day, count).day == day.day:
        assert back == day


@given(dates, dates, months)
def test_add_months_is_monotonic_in_the_day(a: dt.date, b: dt.date, count: int) -> None:
    a, b = min(a, b), max(a, b)
    assert add_months(a, count) <= add_months(b, count)


@given(dates, months, months)
def test_add_months_is_monotonic_in_the_count_and_steps_never_overshoot(day: dt.date, m: int, n: int) -> None:
    m, n = min(m, n), max(m, n)
    assert add_months(day, m) <= add_months(day, n)
    if m < n:
        assert add_months(day, m) < add_months(day, n)
    # Two steps can only lose days to clamping in between, never gain them.
    stepped = add_months(add_months(day, m), n)
    direct = add_months(day, m + n)
    assert stepped <= direct and (stepped.year, stepped.month) == (direct.year, direct.month)


def test_add_months_examples() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 48) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)
    assert add_months(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 15)


# --- expiry and the renewal window -----------------------------------------------------------------

validity = st.integers(min_value=1, max_value=240)


@given(st.sampled_from(RenewFrom), dates, st.none() | dates)
def test_no_validity_never_expires(renew_from: RenewFrom, done: dt.date, previous: dt.date | None) -> None:
    assert expiry(validity_months=None, renew_from=renew_from, completed_on=done, previous=previous) is None


@given(validity, dates, st.none() | dates)
def test_renew_from_completion_counts_from_the_completion(
    months_valid: int, done: dt.date, previous: dt.date | None
) -> None:
    result = expiry(
        validity_months=months_valid, renew_from=RenewFrom.completion, completed_on=done, previous=previous
    )
    assert result == add_months(done, months_valid)
    assert result is not None and result > done


@given(validity, dates, st.integers(min_value=0, max_value=400))
def test_renewing_before_expiry_keeps_the_remaining_time(
    months_valid: int, previous: dt.date, early_by: int
) -> None:
    done = previous - dt.timedelta(days=early_by)
    result = expiry(
        validity_months=months_valid, renew_from=RenewFrom.expiry, completed_on=done, previous=previous
    )
    assert result == add_months(previous, months_valid)
    # Never worse than counting from the completion: nobody loses time by renewing early.
    assert result is not None and result >= add_months(done, months_valid)


@given(validity, dates, st.integers(min_value=1, max_value=400))
def test_renewing_after_expiry_counts_from_the_completion(
    months_valid: int, previous: dt.date, late_by: int
) -> None:
    done = previous + dt.timedelta(days=late_by)
    result = expiry(
        validity_months=months_valid, renew_from=RenewFrom.expiry, completed_on=done, previous=previous
    )
    assert result == add_months(done, months_valid)
    first = expiry(
        validity_months=months_valid, renew_from=RenewFrom.expiry, completed_on=done, previous=None
    )
    assert first == result  # a first completion has nothing to keep


@given(st.none() | dates, st.integers(min_value=0, max_value=365))
def test_window_opens_before_expiry(expires: dt.date | None, window: int) -> None:
    opens = window_opens(expires, window)
    if expires is None:
        assert opens is None
    else:
        assert opens == expires - dt.timedelta(days=window) and opens <= expires


# --- status ----------------------------------------------------------------------------------------


@st.composite
def dates_of_status(draw: st.DrawFn) -> Dates:
    return Dates(
        removed=draw(st.booleans()),
        exempt_until=draw(maybe_near),
        completed_on=draw(maybe_near),
        expires_on=draw(maybe_near),
        window_opens_on=draw(maybe_near),
        overdue_from=draw(maybe_near),
        started_on=draw(maybe_near),
    )


def _precedence(d: Dates, today: dt.date) -> AssignmentStatus:
    """The documented order, written as a table of (applies?, status): the first that applies wins."""
    done = d.completed_on is not None
    table = [
        (d.removed, S.no_longer_required),
        (d.exempt_until is not None and today <= d.exempt_until, S.exempt),
        (done and d.expires_on is not None and today >= d.expires_on, S.expired),
        (done and d.window_opens_on is not None and today >= d.window_opens_on, S.expiring_soon),
        (done, S.completed),
        (d.overdue_from is not None and today > d.overdue_from, S.overdue),
        (d.started_on is not None, S.in_progress),
        (True, S.assigned),
    ]
    return next(result for applies, result in table if applies)


@given(dates_of_status(), near)
def test_status_takes_the_first_that_applies(d: Dates, today: dt.date) -> None:
    assert status(d, today) == _precedence(d, today)


@given(dates_of_status(), near)
def test_higher_conditions_override_everything_below(d: Dates, today: dt.date) -> None:
    assert status(replace(d, removed=True), today) == S.no_longer_required
    assert status(replace(d, removed=False, exempt_until=today), today) == S.exempt
    live = replace(d, removed=False, exempt_until=None)
    if live.completed_on is not None:
        assert status(live, today) in (S.expired, S.expiring_soon, S.completed)
        assert status(replace(live, expires_on=today), today) == S.expired
    else:
        assert status(live, today) in (S.overdue, S.in_progress, S.assigned)
    # An exemption that has ended changes nothing.
    ended = replace(d, exempt_until=today - DAY)
    assert status(ended, today) == status(replace(d, exempt_until=None), today)


_OPEN_RANK = {S.assigned: 0, S.in_progress: 0, S.overdue: 1}


@given(maybe_near, maybe_near, st.lists(near, min_size=2, max_size=8))
def test_an_uncompleted_assignment_only_ever_becomes_overdue(
    late_from: dt.date | None, started: dt.date | None, days_seen: list[dt.date]
) -> None:
    d = Dates(
        removed=False,
        exempt_until=None,
        completed_on=None,
        expires_on=None,
        window_opens_on=None,
        overdue_from=late_from,
        started_on=started,
    )
    seen = [status(d, today) for today in sorted(days_seen)]
    assert set(seen) <= set(_OPEN_RANK)
    ranks = [_OPEN_RANK[s] for s in seen]
    assert ranks == sorted(ranks), seen  # assigned / in progress -> overdue, never back
    if late_from is None:
        assert S.overdue not in seen
    else:
        assert status(d, late_from) != S.overdue and status(d, late_from + DAY) == S.overdue


_DONE_RANK = {S.completed: 0, S.expiring_soon: 1, S.expired: 2}


@given(
    near, st.none() | st.integers(min_value=0, max_value=10), st.integers(0, 5), st.lists(near, min_size=2)
)
def test_a_completion_only_ever_moves_towards_expiry(
    done: dt.date, valid_days: int | None, window: int, days_seen: list[dt.date]
) -> None:
    expires = done + dt.timedelta(days=valid_days) if valid_days is not None else None
    d = Dates(
        removed=False,
        exempt_until=None,
        completed_on=done,
        expires_on=expires,
        window_opens_on=window_opens(expires, window),
        overdue_from=done - DAY,  # a completion counts even when it came late
        started_on=None,
    )
    ranks = [_DONE_RANK[status(d, today)] for today in sorted(days_seen)]
    assert ranks == sorted(ranks)
    assume(expires is not None)
    assert expires is not None
    assert status(d, expires) == S.expired and status(d, expires - DAY) != S.expired
