"""VTIMEZONE components (RFC 5545 3.6.5) made from the IANA zone database, one observance per clock change.

Why not icalendar's `Timezone.from_tzinfo`: it lists every change of a kind in one comma-separated RDATE
and dates the start of summer time after the change. vobject (dateutil) kept only the first RDATE of such
a list, so every later summer read as winter: a Berlin session at 10:00 CEST came out at 09:00 UTC, an
hour off. Here each change is its own STANDARD or DAYLIGHT observance with a single DTSTART, which every
parser reads alike, and DTSTART is the wall-clock time just before the change, in the offset it changes
from, as the RFC's own examples write it (02:00 for the start of summer time in Berlin, 03:00 for its end).
Only the years around the calendar's events are covered, so the file stays small."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

# Clock changes are searched at this step, then narrowed to the second. No zone changes twice within it.
_STEP = dt.timedelta(hours=6)


@dataclass(frozen=True)
class Observance:
    """The offset in force from `utc_start` on, and the one before it."""

    utc_start: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    is_dst: bool

    @property
    def local_start(self) -> dt.datetime:
        """DTSTART: the local time, in the offset changed from, at which this observance begins."""
        return (self.utc_start + self.offset_from).replace(tzinfo=None)


def _state(zone: ZoneInfo, when: dt.datetime) -> tuple[dt.timedelta, str, bool]:
    local = when.astimezone(zone)
    return local.utcoffset() or dt.timedelta(), local.tzname() or "", bool(local.dst())


def _change_between(zone: ZoneInfo, before: dt.datetime, after: dt.datetime) -> dt.datetime:
    """The first second at which the zone's state differs from its state at `before` (it does at `after`)."""
    start = _state(zone, before)
    while after - before > dt.timedelta(seconds=1):
        middle = before + (after - before) / 2
        middle = middle.replace(microsecond=0)
        if _state(zone, middle) == start:
            before = middle
        else:
            after = middle
    return after


def observances(zone: ZoneInfo, first: dt.datetime, last: dt.datetime) -> list[Observance]:
    """The zone's offset at `first`, then every change up to `last` (UTC instants)."""
    offset, name, is_dst = _state(zone, first)
    found = [Observance(first, offset, offset, name, is_dst)]
    when = first
    while when < last:
        step = min(when + _STEP, last)
        if _state(zone, step) != _state(zone, when):
            change = _change_between(zone, when, step)
            offset, name, is_dst = _state(zone, change)
            found.append(Observance(change, found[-1].offset_to, offset, name, is_dst))
        when = step
    return found


def span(instants: Iterable[dt.datetime]) -> tuple[dt.datetime, dt.datetime]:
    """From 1 January of the first event's year to 1 January two years after the last one's (UTC), so
    a client that shows the event next to others, or keeps the zone, still has the changes around it."""
    years = [when.astimezone(dt.UTC).year for when in instants]
    first = dt.datetime(min(years), 1, 1, tzinfo=dt.UTC) - dt.timedelta(days=1)
    return first, dt.datetime(max(years) + 2, 1, 1, tzinfo=dt.UTC)


def vtimezone(tzid: str, instants: Iterable[dt.datetime]) -> Timezone:
    """A VTIMEZONE for `tzid` that covers the given instants with the zone's real changes."""
    zone = ZoneInfo(tzid)
    first, last = span(instants)
    component = Timezone()
    component.add("tzid", tzid)
    for observance in observances(zone, first, last):
        part = TimezoneDaylight() if observance.is_dst else TimezoneStandard()
        part.add("dtstart", observance.local_start)
        part.add("tzoffsetfrom", observance.offset_from)
        part.add("tzoffsetto", observance.offset_to)
        if observance.name:
            part.add("tzname", observance.name)
        component.add_component(part)
    return component
