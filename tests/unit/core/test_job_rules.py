"""The job queue's rules that need no database: backoff and when a daily job is due."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from learnbridge.core.jobs import BACKOFF_BASE, RecurringJob, backoff


def test_backoff_doubles_from_thirty_seconds() -> None:
    assert [backoff(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 240, 480]
    assert backoff(0) == BACKOFF_BASE


def test_a_daily_job_is_due_from_its_time_of_day_in_utc() -> None:
    job = RecurringJob(kind="x", at=dt.time(3, 0))
    assert job.due(dt.datetime(2026, 3, 2, 2, 59, 59, tzinfo=dt.UTC)) is None
    assert job.due(dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)) == "2026-03-02"
    # 04:30 in Berlin (UTC+1 in March) is 03:30 UTC.
    berlin = dt.timezone(dt.timedelta(hours=1))
    assert job.due(dt.datetime(2026, 3, 2, 4, 30, tzinfo=berlin)) == "2026-03-02"
    assert job.due(dt.datetime(2026, 3, 3, 1, 0, tzinfo=berlin)) is None


@given(st.datetimes(timezones=st.just(dt.UTC)), st.times())
def test_a_daily_job_is_due_for_today_or_not_at_all(now: dt.datetime, at: dt.time) -> None:
    day = RecurringJob(kind="x", at=at).due(now)
    assert day in (None, now.date().isoformat())
    assert (day is not None) == (now.time() >= at)
