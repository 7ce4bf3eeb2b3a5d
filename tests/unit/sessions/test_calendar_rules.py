"""Calendar rules that need no database: which wall-clock times a clock change makes impossible or
ambiguous, the VTIMEZONE's observances, and the organizer setting."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from learnbridge.core.settings import Settings
from learnbridge.sessions.calendar import Identity, new_uid
from learnbridge.sessions.service import wall_clock_error
from learnbridge.sessions.vtimezone import observances, span, vtimezone


@pytest.mark.parametrize(
    ("zone", "when", "message"),
    [
        (
            "Europe/Berlin",
            dt.datetime(2026, 3, 29, 2, 30),
            "02:30 on 29 March 2026 does not exist in Europe/Berlin (clocks go forward an hour)",
        ),
        (
            "Europe/Berlin",
            dt.datetime(2026, 10, 25, 2, 30),
            "02:30 on 25 October 2026 happens twice in Europe/Berlin (clocks go back an hour): choose another"
            " time or give the offset, like 2026-10-25T02:30+02:00",
        ),
        (
            "America/New_York",
            dt.datetime(2026, 3, 8, 2, 0),
            "02:00 on 8 March 2026 does not exist in America/New_York (clocks go forward an hour)",
        ),
        (
            "Australia/Lord_Howe",  # half an hour back
            dt.datetime(2026, 4, 5, 1, 45),
            "01:45 on 5 April 2026 happens twice in Australia/Lord_Howe (clocks go back 30 minutes): choose"
            " another time or give the offset, like 2026-04-05T01:45+11:00",
        ),
    ],
)
def test_skipped_and_doubled_times_are_named(zone: str, when: dt.datetime, message: str) -> None:
    error = wall_clock_error("starts_at", when, zone)
    assert error is not None
    assert (error.field, error.message) == ("starts_at", message)


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(2026, 3, 29, 1, 59),
        dt.datetime(2026, 3, 29, 3, 0),
        dt.datetime(2026, 10, 25, 1, 59),
        dt.datetime(2026, 10, 25, 3, 0),
        dt.datetime(2026, 10, 25, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),  # an offset settles it
        None,
    ],
)
def test_times_around_a_change_and_times_with_an_offset_pass(when: dt.datetime | None) -> None:
    assert wall_clock_error("starts_at", when, "Europe/Berlin") is None


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31)),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Tokyo"]),
)
def test_a_time_passes_exactly_when_it_names_one_instant(when: dt.datetime, zone: str) -> None:
    tz = ZoneInfo(zone)
    instants = {when.replace(tzinfo=tz, fold=f).astimezone(dt.UTC) for f in (0, 1)}
    round_trips = when.replace(tzinfo=tz).astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) == when
    one_instant = len(instants) == 1 and round_trips
    assert (wall_clock_error("starts_at", when, zone) is None) == one_instant


@settings(max_examples=100, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(2021, 1, 1), max_value=dt.datetime(2034, 12, 31)),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo"]),
)
def test_the_vtimezone_gives_every_instant_zoneinfos_offset(when: dt.datetime, zone: str) -> None:
    """Reading the VTIMEZONE back (icalendar's own reader) gives zoneinfo's offset at any instant covered."""
    instant = when.replace(tzinfo=dt.UTC)
    read_back = vtimezone(zone, [instant]).to_tz()
    assert instant.astimezone(read_back).utcoffset() == instant.astimezone(ZoneInfo(zone)).utcoffset()


def test_observances_are_each_change_with_its_onset_in_the_old_offset() -> None:
    first, last = span([dt.datetime(2026, 7, 1, tzinfo=dt.UTC)])
    assert (first, last) == (dt.datetime(2025, 12, 31, tzinfo=dt.UTC), dt.datetime(2028, 1, 1, tzinfo=dt.UTC))
    found = observances(ZoneInfo("Europe/Berlin"), first, last)
    assert [(o.local_start, o.offset_from, o.offset_to, o.name, o.is_dst) for o in found[:3]] == [
        (dt.datetime(2025, 12, 31, 1, 0), dt.timedelta(hours=1), dt.timedelta(hours=1), "CET", False),
        (dt.datetime(2026, 3, 29, 2, 0), dt.timedelta(hours=1), dt.timedelta(hours=2), "CEST", True),
        (dt.datetime(2026, 10, 25, 3, 0), dt.timedelta(hours=2), dt.timedelta(hours=1), "CET", False),
    ]
    assert len(found) == 1 + 2 * 2  # two years of changes
    assert observances(ZoneInfo("Asia/Tokyo"), first, last)[1:] == []  # no changes at all


def test_uids_of_two_installations_differ_for_the_same_session_id() -> None:
    ours, theirs = (Identity(i, "learn.example.com", "x@example.com") for i in ("a" * 16, "b" * 16))
    assert new_uid(7, ours) == "session-7-aaaaaaaaaaaaaaaa@learn.example.com"
    assert new_uid(7, ours) != new_uid(7, theirs)
    assert new_uid(7, ours) != new_uid(8, ours)


def test_the_organizer_setting_comes_from_the_environment_and_must_be_an_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LEARNBRIDGE_MAIL_FROM", "lb@example.com")
    monkeypatch.delenv("LEARNBRIDGE_CALENDAR_ORGANIZER", raising=False)
    assert Settings().organizer_address() == "lb@example.com"
    monkeypatch.setenv("LEARNBRIDGE_CALENDAR_ORGANIZER", "academy@example.com")
    assert Settings().organizer_address() == "academy@example.com"
    monkeypatch.setenv("LEARNBRIDGE_CALENDAR_ORGANIZER", "not an address")
    with pytest.raises(ValidationError, match="calendar_organizer"):
        Settings()
